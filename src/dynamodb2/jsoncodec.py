"""JSON encoding and decoding of request and response bodies: orjson when installed, else json.

Bodies are plain JSON (numbers travel as strings inside attribute values), so both
codecs produce the same bytes for the same data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["BACKEND", "dumps", "loads"]

dumps: Callable[[Any], bytes]
loads: Callable[[bytes], Any]

try:
    import orjson
except ImportError:  # pragma: no cover - depends on the installed extras
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)

    def dumps(obj: Any) -> bytes:
        """Serialize ``obj`` to compact UTF-8 JSON."""
        return _encoder.encode(obj).encode("utf-8")

    loads = json.loads
    BACKEND = "json"
else:
    dumps = orjson.dumps
    loads = orjson.loads
    BACKEND = "orjson"
