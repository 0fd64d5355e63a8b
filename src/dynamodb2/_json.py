"""JSON encoding and decoding of request and response bodies: orjson when installed, else json.

Request bodies hold only what DynamoDB's JSON allows (str keys; numbers travel as strings
inside attribute values), and for such data both codecs produce equivalent JSON. A
mapping key that is not a string (``{0: ...}``, which json would write as ``"0"``) is
refused by both, with orjson's ``TypeError``: a body is refused or sent the same way
whichever codec is installed.

Lone surrogates (``"\\ud800"``): JSON can carry them as ``\\u`` escapes, other clients
(boto3) write them so, and DynamoDB implementations hand them back. orjson refuses them
both ways, so a body it refuses for that is decoded (or encoded) by the standard library
instead: the answer is the same, only slower, and only for such bodies. On the way out,
they are written as ``\\u`` escapes, as boto3 writes them. NaN and Infinity, which are
not JSON, are refused by both codecs in a response. (A request body the package builds
holds no floats: numbers travel as text.)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn

from ._wire import EncodedItem

__all__ = ["BACKEND", "dumps", "loads"]

dumps: Callable[[Any], bytes]
loads: Callable[[bytes | str], Any]

# Everything outside ASCII as \u escapes: the only way to write a lone surrogate.
_ascii_encoder = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False)


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


# One decoder for every body: json.loads with a keyword builds a new one per call (about
# 3 µs, a tenth of a GetItem's client time without orjson).
_decoder = json.JSONDecoder(parse_constant=_refuse_constant)
# The decoder's scanner (json.scanner.make_scanner of it; typeshed leaves it out).
_scan: Callable[[str, int], tuple[Any, int]] = _decoder.scan_once  # type: ignore[attr-defined]


def _stdlib_loads(data: bytes | str) -> Any:
    """json's decoding, as strict as orjson's except that lone surrogates are kept."""
    if isinstance(data, (bytes, bytearray)):
        # As json.loads reads bytes: UTF-8, -16 or -32, told by the first bytes. A body
        # opening with "{" and then not a zero byte is UTF-8 to json.detect_encoding (no
        # byte order mark starts with "{"): every body DynamoDB sends, told without it.
        if data[:1] == b"{" and data[1:2] != b"\0":
            encoding = "utf-8"
        else:
            encoding = json.detect_encoding(data)
        text = data.decode(encoding, "surrogatepass")
    elif data.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", data, 0)
    else:
        text = data
    if text[:1] != "{":  # whitespace first, or not an object: json's own path
        try:
            return _decoder.decode(text)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
    # What JSONDecoder.decode does for text without leading whitespace, without its two
    # regular expression matches and two frames (a tenth of decoding a GetItem).
    try:
        value, end = _scan(text, 0)
    except StopIteration as error:
        raise json.JSONDecodeError("Expecting value", text, error.value) from None
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if end != len(text) and text[end:].strip(" \t\n\r"):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _ascii_dumps(obj: Any) -> bytes:
    return _ascii_encoder.encode(obj).encode("ascii")


def _refuse_non_str_keys(mapping: dict[Any, Any]) -> None:
    """Raise orjson's ``TypeError`` for a key that is not a string, at any depth (json
    would write ``0``, ``None`` or ``True`` as a string key). An item the package
    encoded (:class:`~dynamodb2._wire.EncodedItem`) holds none: it is not walked."""
    for key, value in mapping.items():
        if type(key) is not str and not isinstance(key, str):
            raise TypeError("Dict key must be str")
        kind = type(value)
        if kind is dict:
            # One level down inline: most mappings in a body are attribute values
            # ({"S": "..."}), whose members need no call of their own.
            for inner, member in value.items():
                if type(inner) is not str and not isinstance(inner, str):
                    raise TypeError("Dict key must be str")
                if type(member) is not str:
                    _refuse_non_str_keys_below(member)
        elif kind is not str and kind is not EncodedItem:
            _refuse_non_str_keys_below(value)


def _refuse_non_str_keys_below(value: Any) -> None:
    if type(value) is EncodedItem:
        return
    if isinstance(value, dict):
        _refuse_non_str_keys(value)
    elif isinstance(value, (list, tuple)):
        for element in value:
            kind = type(element)
            if kind is dict:
                _refuse_non_str_keys(element)
            elif kind is not str:
                _refuse_non_str_keys_below(element)


try:
    import orjson
except ImportError:  # pragma: no cover - depends on the installed extras
    _encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    _encode_text: Callable[[Any], str] = _encoder.encode
    _make_c_encoder = getattr(json.encoder, "c_make_encoder", None)
    if _make_c_encoder is not None:
        # What _encoder.encode runs for a body, made once instead of at every call (the
        # C encoder object: about 1 µs of a 12 µs encoding).
        _c_encoder = _make_c_encoder(
            None,  # markers: no circular-reference check, as check_circular=False
            _encoder.default,
            json.encoder.encode_basestring,
            None,  # indent
            _encoder.key_separator,
            _encoder.item_separator,
            _encoder.sort_keys,
            _encoder.skipkeys,
            _encoder.allow_nan,
        )

        def _encode_text(obj: Any) -> str:
            return "".join(_c_encoder(obj, 0))

    def dumps(obj: Any) -> bytes:
        """Serialize ``obj`` to compact UTF-8 JSON (lone surrogates as ``\\u`` escapes);
        a mapping key that is not a string raises ``TypeError``, as with orjson."""
        _refuse_non_str_keys_below(obj)
        text = _encode_text(obj)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return _ascii_dumps(obj)

    loads = _stdlib_loads
    BACKEND = "json"
else:
    _orjson_dumps = orjson.dumps
    _orjson_loads = orjson.loads
    _OrjsonDecodeError = orjson.JSONDecodeError

    def dumps(obj: Any) -> bytes:
        """Serialize ``obj`` to compact UTF-8 JSON (lone surrogates as ``\\u`` escapes)."""
        try:
            return _orjson_dumps(obj)
        except TypeError as error:
            if "surrogates" not in str(error):
                raise
            return _ascii_dumps(obj)

    def loads(data: bytes | str) -> Any:
        """Decode JSON; a body orjson refuses is tried again with the standard library,
        which keeps lone surrogates (and refuses what is not JSON just the same)."""
        try:
            return _orjson_loads(data)
        except _OrjsonDecodeError:
            return _stdlib_loads(data)

    BACKEND = "orjson"
