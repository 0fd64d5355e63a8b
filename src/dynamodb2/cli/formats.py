"""JSON Lines item formats: plain JSON and DynamoDB JSON, read and written exactly.

>>> parse_plain('{"id": "a", "price": 0.10, "raw": {"$binary": "AAE="}}')
{'id': 'a', 'price': Decimal('0.10'), 'raw': b'\\x00\\x01'}
>>> format_plain({"id": "a", "n": Decimal("12345678901234567890.5"), "tags": {"b", "a"}})
'{"id":"a","n":12345678901234567890.5,"tags":["a","b"]}'
>>> parse_dynamodb('{"id": {"S": "a"}, "n": {"N": "1.50"}}')
{'id': 'a', 'n': Decimal('1.50')}

**Plain JSON** is one JSON object per line. Numbers are read as ``int`` or ``Decimal``
(never ``float``), so every digit survives; ``NaN`` and ``Infinity`` are refused. JSON
has no binary type and no sets, so:

- binary values are written, and read, as ``{"$binary": "<base64>"}``;
- sets are written as sorted lists, and read back as lists: **lossy**. A string set
  becomes a list of strings, and a load of that line stores a list (``L``), not a set.

**DynamoDB JSON** is DynamoDB's own wire form, one item per line (``{"id": {"S": "a"}}``),
as the AWS CLI prints it; a line may also be wrapped as ``{"Item": {...}}`` (the form of
DynamoDB's export to S3). It keeps every type, sets included: use it for backups and
copies (``dynamodb2 dump --format dynamodb``).

Everything here works without the ``cli`` extra: the command line is built on it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, Literal

from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.types import Binary, Dynamizer, _text

__all__ = [
    "BINARY_KEY",
    "FORMATS",
    "Format",
    "LineError",
    "detect_format",
    "format_dynamodb",
    "format_item",
    "format_plain",
    "parse_dynamodb",
    "parse_item",
    "parse_plain",
]

#: The two formats: ``"json"`` (plain JSON) and ``"dynamodb"`` (DynamoDB JSON).
Format = Literal["json", "dynamodb"]
#: Their names, for command line choices.
FORMATS: Final[tuple[Format, ...]] = ("json", "dynamodb")
#: The one key of the object that stands for a binary value in plain JSON.
BINARY_KEY: Final = "$binary"

_TYPE_TAGS: Final = frozenset({"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "M", "L"})
#: Encodes values for DynamoDB JSON output.
_DYNAMIZER: Final = Dynamizer()


class LineError(ParameterValidationError):
    """A line that is not an item in the expected format (bad JSON, wrong shape)."""


# ---------------------------------------------------------------------------- reading


def _refuse_constant(name: str) -> Any:
    raise LineError(f"{name} is not a number DynamoDB can store")


def _load_object(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line, parse_float=Decimal, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise LineError("JSON nested too deeply") from None
    if not isinstance(value, dict):
        raise LineError(f"expected a JSON object, got {_json_kind(value)}")
    return value


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


def parse_plain(line: str) -> dict[str, Any]:
    """One plain JSON line as an item: numbers exact, ``{"$binary": ...}`` as bytes.

    >>> parse_plain('{"big": 123456789012345678901234567890, "x": 1e-3}')
    {'big': 123456789012345678901234567890, 'x': Decimal('0.001')}

    Raises :class:`LineError` for anything but a JSON object.
    """
    return {name: _from_plain(value, name) for name, value in _load_object(line).items()}


def _from_plain(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and BINARY_KEY in value:
            return _base64(value[BINARY_KEY], where)
        return {name: _from_plain(inner, f"{where}.{name}") for name, inner in value.items()}
    if isinstance(value, list):
        return [_from_plain(inner, f"{where}[{index}]") for index, inner in enumerate(value)]
    return value


def _base64(text: Any, where: str) -> bytes:
    if not isinstance(text, str):
        raise LineError(f"{where}: binary data must be a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise LineError(f"{where}: not valid base64: {text[:40]!r}") from None


def parse_dynamodb(line: str) -> dict[str, Any]:
    """One DynamoDB JSON line (``{"id": {"S": "a"}}``, or ``{"Item": {...}}``) as an item.

    >>> parse_dynamodb('{"Item": {"tags": {"SS": ["b", "a"]}}}')["tags"] == {"a", "b"}
    True

    Every attribute value is checked for a known type tag and the right payload;
    raises :class:`LineError` otherwise.
    """
    item = _load_object(line)
    item = _unwrapped(item)
    return {name: _from_wire(value, name) for name, value in item.items()}


def _unwrapped(item: dict[str, Any]) -> dict[str, Any]:
    """The item inside an export's ``{"Item": {...}}`` wrapper, or the item itself (an
    attribute named ``Item`` holds an attribute value such as ``{"S": ...}``)."""
    inner = item.get("Item")
    if len(item) == 1 and isinstance(inner, dict) and not _is_attribute_value(inner):
        return inner
    return item


def _is_attribute_value(value: Any) -> bool:
    """Whether ``value`` looks like a wire attribute value (one known type tag)."""
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _TYPE_TAGS


def _from_wire(value: Any, where: str) -> Any:
    if type(value) is not dict or len(value) != 1:
        raise _not_an_attribute_value(value, where)
    ((tag, payload),) = value.items()
    check = _PAYLOAD_CHECKS.get(tag)
    if check is None:
        raise _not_an_attribute_value(value, where)
    if not check(payload):
        raise LineError(f"{where}: {tag} holds {json.dumps(payload, default=str)[:60]}")
    if tag in {"S", "BOOL"}:
        return payload
    if tag == "N":
        return _number(payload, where)
    if tag == "M":
        return {name: _from_wire(inner, f"{where}.{name}") for name, inner in payload.items()}
    if tag == "L":
        return [_from_wire(inner, f"{where}[{index}]") for index, inner in enumerate(payload)]
    if tag == "NULL":
        return None
    if tag == "SS":
        return set(payload)
    if tag == "NS":
        return {_number(text, where) for text in payload}
    if tag == "B":
        return Binary(_base64(payload, where))
    return {Binary(_base64(text, where)) for text in payload}  # BS


def _not_an_attribute_value(value: Any, where: str) -> LineError:
    return LineError(
        f'{where}: expected an attribute value such as {{"S": "text"}}, got '
        f"{json.dumps(value, default=str)[:60]}"
    )


def _list_of_strings(payload: Any) -> bool:
    return isinstance(payload, list) and all(isinstance(text, str) for text in payload)


def _is_str(payload: Any) -> bool:
    return isinstance(payload, str)


#: What each type tag's payload must be.
_PAYLOAD_CHECKS: Final[dict[str, Callable[[Any], bool]]] = {
    "S": _is_str,
    "N": _is_str,
    "B": _is_str,
    "BOOL": lambda payload: isinstance(payload, bool),
    "NULL": lambda payload: payload is True,
    "SS": _list_of_strings,
    "NS": _list_of_strings,
    "BS": _list_of_strings,
    "M": lambda payload: isinstance(payload, dict),
    "L": lambda payload: isinstance(payload, list),
}


def _number(text: str, where: str) -> Decimal:
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise LineError(f"{where}: {text[:40]!r} is not a number") from None
    return number


def detect_format(line: str) -> Format | None:
    """``"dynamodb"`` if the line is a DynamoDB JSON item, ``"json"`` if it is another JSON
    object, ``None`` if it is not a JSON object at all (so cannot tell).

    >>> detect_format('{"id": {"S": "a"}}'), detect_format('{"id": "a"}')
    ('dynamodb', 'json')

    A plain JSON item whose every attribute happens to look like ``{"S": ...}`` is taken
    for DynamoDB JSON: give the format explicitly for such data.
    """
    try:
        item = _load_object(line)
    except LineError:
        return None
    item = _unwrapped(item)
    if item and all(_is_attribute_value(value) for value in item.values()):
        return "dynamodb"
    return "json"


def parse_item(line: str, format: Format) -> dict[str, Any]:
    """One line in the given format as an item (see :func:`parse_plain`, :func:`parse_dynamodb`)."""
    return parse_dynamodb(line) if format == "dynamodb" else parse_plain(line)


# ---------------------------------------------------------------------------- writing


def format_plain(item: Mapping[str, Any]) -> str:
    """An item as one line of plain JSON: exact numbers, sorted sets, ``$binary`` objects.

    >>> format_plain({"raw": b"\\x00\\x01", "ok": True, "none": None})
    '{"raw":{"$binary":"AAE="},"ok":true,"none":null}'
    """
    parts: list[str] = []
    _write_plain(item, parts)
    return _escape_lone_surrogates("".join(parts))


def _write_plain(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(json.dumps(value if value.isascii() else _text(value), ensure_ascii=False))
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif value is None:
        parts.append("null")
    elif isinstance(value, (int, Decimal)):
        # str(Decimal) is valid JSON number text for every finite Decimal ("1E+40").
        parts.append(str(value))
    elif isinstance(value, float):
        parts.append(repr(value))
    elif isinstance(value, (bytes, bytearray)):
        parts.append(f'{{"{BINARY_KEY}":"{base64.b64encode(value).decode("ascii")}"}}')
    elif isinstance(value, Mapping):
        parts.append("{")
        for index, (name, inner) in enumerate(value.items()):
            if index:
                parts.append(",")
            parts.append(json.dumps(name if name.isascii() else _text(name), ensure_ascii=False))
            parts.append(":")
            _write_plain(inner, parts)
        parts.append("}")
    elif isinstance(value, (list, tuple, set, frozenset)):
        elements = _sorted_set(value) if isinstance(value, (set, frozenset)) else value
        parts.append("[")
        for index, inner in enumerate(elements):
            if index:
                parts.append(",")
            _write_plain(inner, parts)
        parts.append("]")
    else:
        raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def _sorted_set(value: set[Any] | frozenset[Any]) -> list[Any]:
    """Set members in a stable order: numbers by value, strings and bytes as such."""
    return sorted(value)


def format_dynamodb(item: Mapping[str, Any]) -> str:
    """An item as one line of DynamoDB JSON, set members sorted so output is stable.

    >>> format_dynamodb({"id": "a", "n": {3, 1}, "ok": True})
    '{"id":{"S":"a"},"n":{"NS":["1","3"]},"ok":{"BOOL":true}}'
    """
    encoded = {name: _sorted_wire(_DYNAMIZER.encode(value)) for name, value in item.items()}
    return _escape_lone_surrogates(json.dumps(encoded, ensure_ascii=False, separators=(",", ":")))


def _sorted_wire(value: Mapping[str, Any]) -> dict[str, Any]:
    ((tag, payload),) = value.items()
    if tag == "SS":
        payload = sorted(payload)
    elif tag == "NS":
        payload = sorted(payload, key=Decimal)
    elif tag == "BS":
        payload = sorted(payload, key=base64.b64decode)
    elif tag == "M":
        payload = {name: _sorted_wire(inner) for name, inner in payload.items()}
    elif tag == "L":
        payload = [_sorted_wire(inner) for inner in payload]
    return {tag: payload}


def format_item(item: Mapping[str, Any], format: Format) -> str:
    """One item as a line (without the newline) in the given format."""
    return format_dynamodb(item) if format == "dynamodb" else format_plain(item)


def _escape_lone_surrogates(line: str) -> str:
    """``line`` (JSON text) with each lone surrogate written as its ``\\u`` escape, as
    boto3 sends one: UTF-8 cannot encode the character itself, so the line could not be
    written to a file. Reading the line gives back the same text.

    >>> _escape_lone_surrogates('{"a\\udc00":"\\ud800é"}')
    '{"a\\\\udc00":"\\\\ud800é"}'
    """
    if line.isascii() or _SURROGATE.search(line) is None:
        return line
    # A surrogate is only ever inside a JSON string, where its escape means the same.
    # (Text with a surrogate pair was refused before: the escapes of a pair read back as
    # one character.)
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", line)


#: A UTF-16 surrogate code point, which UTF-8 cannot encode.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
