"""JSON encoding and decoding of request and response bodies: orjson when installed, else json.

Request bodies hold only what DynamoDB's JSON allows (str keys; numbers travel as strings
inside attribute values), and for such data both codecs produce equivalent JSON. They
differ outside it: orjson refuses non-str keys and NaN, where json would write them.
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
