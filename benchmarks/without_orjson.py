"""The canned cases without orjson: ``python -m benchmarks.without_orjson [--rounds N]``.

orjson is made unimportable in this process before anything imports it, so dynamodb2
encodes and decodes with the ``json`` module, as a plain install (without the ``fast``
extra) does; the rivals use ``json`` either way. Prints the timings as JSON, on one line
(``python -m benchmarks`` runs it and prints the tables).
"""

from __future__ import annotations

import sys

# Before any import of orjson: a None entry makes "import orjson" raise ImportError.
sys.modules["orjson"] = None  # type: ignore[assignment]

import json  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from .__main__ import canned_samples  # noqa: E402

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Time the canned cases with the json codec; print the samples as JSON."""
    from dynamodb2 import _json  # noqa: PLC0415 - after the orjson block

    if _json.BACKEND != "json":
        raise RuntimeError(f"expected the json codec, got {_json.BACKEND}")
    _cases, samples = canned_samples(argv)
    print(json.dumps(samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
