"""DynamoDB's documented limits, and the checks that refuse a request before it is sent.

>>> check_table_name("users")
>>> check_table_name("a")
Traceback (most recent call last):
...
dynamodb2.exceptions.RequestValidationError: table name 'a' must be 3 to 255 characters long
>>> item_size({"id": {"S": "abc"}, "n": {"N": "12.5"}})
9
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from ._arguments import whole_number
from .exceptions import RequestValidationError

__all__ = [
    "MAX_ATTRIBUTE_NAME_BYTES",
    "MAX_BATCH_GET_KEYS",
    "MAX_BATCH_WRITE_REQUESTS",
    "MAX_EXPRESSION_BYTES",
    "MAX_IN_VALUES",
    "MAX_ITEM_BYTES",
    "MAX_KEY_NAME_LENGTH",
    "MAX_LOCAL_INDEXES",
    "MAX_PROJECTED_ATTRIBUTES",
    "MAX_TOTAL_SEGMENTS",
    "MAX_TRANSACTION_ACTIONS",
    "SHORT_NAME",
    "attribute_value_size",
    "binary_size",
    "check_attribute_name",
    "check_expression_size",
    "check_index_name",
    "check_item_size",
    "check_key_name",
    "check_segment",
    "check_sizes",
    "check_table_name",
    "item_size",
    "item_size_bound",
    "value_size_bound",
]

#: Keys in one BatchGetItem request.
MAX_BATCH_GET_KEYS: Final = 100
#: Put and delete requests in one BatchWriteItem request.
MAX_BATCH_WRITE_REQUESTS: Final = 25
#: Actions in one TransactWriteItems / TransactGetItems request.
MAX_TRANSACTION_ACTIONS: Final = 100
#: Values in one ``IN`` comparison.
MAX_IN_VALUES: Final = 100
#: The largest item DynamoDB stores, attribute names included: 400 KB.
MAX_ITEM_BYTES: Final = 400 * 1024
#: The longest attribute name, in UTF-8 bytes ("less than 64 KB").
MAX_ATTRIBUTE_NAME_BYTES: Final = 64 * 1024 - 1
#: The longest name of a key attribute of a table or an index, and of an attribute an
#: index projects, in characters (DynamoDB's key schemas and projections allow 255).
MAX_KEY_NAME_LENGTH: Final = 255
#: Local secondary indexes on one table (a fixed limit; the 20 global secondary indexes
#: are a default quota an account may raise, so DynamoDB judges those).
MAX_LOCAL_INDEXES: Final = 5
#: ``NonKeyAttributes`` of all of a table's ``INCLUDE`` indexes together (an attribute
#: projected into two indexes counts twice).
MAX_PROJECTED_ATTRIBUTES: Final = 100
#: DynamoDB's largest ``TotalSegments``.
MAX_TOTAL_SEGMENTS: Final = 1_000_000
#: No name of this many characters or fewer can pass 64 KB (UTF-8 takes at most 4 bytes
#: a character): one length test clears it.
SHORT_NAME: Final = MAX_ATTRIBUTE_NAME_BYTES // 4
#: The longest expression (condition, filter, key condition, projection, update) DynamoDB
#: takes, in UTF-8 bytes ("The maximum length of any expression string is 4 KB").
MAX_EXPRESSION_BYTES: Final = 4096
#: No expression of this many characters or fewer can pass 4 KB.
_SHORT_EXPRESSION: Final = MAX_EXPRESSION_BYTES // 4


def check_expression_size(field: str, expression: str) -> None:
    """Refuse an expression over DynamoDB's 4 KB, naming its field.

    >>> check_expression_size("FilterExpression", "#n0 = :v0" + " AND #n0 = :v0" * 300)
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: FilterExpression is 4209 bytes; DynamoDB \
takes expressions of at most 4096 bytes (4 KB)
    """
    if len(expression) <= _SHORT_EXPRESSION:
        return
    size = len(expression.encode("utf-8", "surrogatepass"))
    if size > MAX_EXPRESSION_BYTES:
        raise RequestValidationError(
            f"{field} is {size} bytes; DynamoDB takes expressions of at most "
            f"{MAX_EXPRESSION_BYTES} bytes (4 KB)"
        )


_TABLE_NAME: Final = re.compile(r"[A-Za-z0-9_.\-]+")


#: Table names found valid (every request names its table): at most this many are kept.
_VALID_TABLE_NAMES: Final[set[str]] = set()
_MAX_VALID_TABLE_NAMES: Final = 1024


def check_table_name(name: object, *, what: str = "table name") -> None:
    """Refuse names DynamoDB would refuse: 3-255 characters of ``A-Z a-z 0-9 _ - .``.

    A full table ARN (``arn:aws:dynamodb:...:table/name``) is accepted as well.
    """
    if type(name) is str and name in _VALID_TABLE_NAMES:
        return
    if not isinstance(name, str):
        # Named as the argument it is given as: "table name" is table_name.
        raise RequestValidationError(
            f"{what.replace(' ', '_')} takes a string, not {type(name).__name__} {name!r:.40}"
        )
    if name.startswith("arn:"):
        if len(name) > 1024:
            raise RequestValidationError(f"{what} ARN is longer than 1024 characters")
        return
    if not 3 <= len(name) <= 255:
        raise RequestValidationError(f"{what} {name!r} must be 3 to 255 characters long")
    if _TABLE_NAME.fullmatch(name) is None:
        raise RequestValidationError(
            f"{what} {name!r} may only contain letters, digits, '_', '-' and '.'"
        )
    if type(name) is str and len(_VALID_TABLE_NAMES) < _MAX_VALID_TABLE_NAMES:
        _VALID_TABLE_NAMES.add(name)


def check_index_name(name: str) -> None:
    """Refuse an index name DynamoDB would refuse: 3-255 characters of
    ``A-Z a-z 0-9 _ - .`` (no ARN, unlike a table name).

    >>> check_index_name("by email")
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: index name 'by email' may only contain \
letters, digits, '_', '-' and '.'
    """
    if not 3 <= len(name) <= 255:
        raise RequestValidationError(
            f"index name {name[:40]!r} must be 3 to 255 characters long, not {len(name)}"
        )
    if _TABLE_NAME.fullmatch(name) is None:
        raise RequestValidationError(
            f"index name {name[:40]!r} may only contain letters, digits, '_', '-' and '.'"
        )


# --------------------------------------------------------------------------- names


def check_attribute_name(name: str) -> None:
    """Refuse an attribute name over DynamoDB's 64 KB (65,535 bytes in UTF-8).

    >>> check_attribute_name("x" * 70_000)
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: an attribute name is 70000 bytes \
('xxxxxxxxxxxxxxxxxxxx'...); DynamoDB allows at most 65535 (less than 64 KB)

    One length test for names of up to 16,383 characters, which cannot be too long.
    """
    if len(name) > SHORT_NAME:
        size = len(name) if name.isascii() else len(name.encode("utf-8", "surrogatepass"))
        if size > MAX_ATTRIBUTE_NAME_BYTES:
            raise RequestValidationError(
                f"an attribute name is {size} bytes ({name[:20]!r}...); DynamoDB allows at "
                f"most {MAX_ATTRIBUTE_NAME_BYTES} (less than 64 KB)"
            )


def check_key_name(name: str, *, what: str) -> None:
    """Refuse a key attribute name (of a table or an index), or an index's projected
    attribute name, over DynamoDB's 255 characters; ``what`` says which it is.

    DynamoDB counts characters as UTF-16 does (a character outside the Basic
    Multilingual Plane, such as an emoji, counts twice).
    """
    if len(name) > MAX_KEY_NAME_LENGTH or not name.isascii():
        length = len(name.encode("utf-16-le", "surrogatepass")) // 2
        if length > MAX_KEY_NAME_LENGTH:
            raise RequestValidationError(
                f"{what} {name[:20]!r}... is {length} characters long; DynamoDB allows at "
                f"most {MAX_KEY_NAME_LENGTH}"
            )


def _check_names_in(item: Mapping[str, Any]) -> None:
    """Refuse an attribute name over 64 KB anywhere in a wire item (map keys included)."""
    for name, value in item.items():
        check_attribute_name(name)
        if type(value) is dict and len(value) == 1:
            for tag, payload in value.items():
                if tag == "M" and isinstance(payload, Mapping):
                    _check_names_in(payload)
                elif tag == "L" and isinstance(payload, list):
                    for element in payload:
                        _check_names_in({"": element})


# --------------------------------------------------------------------------- segments


def check_segment(segment: object, total_segments: object) -> tuple[int | None, int | None]:
    """Refuse a segment DynamoDB would refuse (``0 <= segment < total_segments <= 1e6``);
    return both as whole numbers (a fraction rounded down, as DynamoDB rounds it).

    >>> check_segment(3, 3)
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: segment must be between 0 and \
total_segments - 1 (2), not 3
    """
    if (segment is None) != (total_segments is None):
        raise RequestValidationError("give both segment and total_segments, or neither")
    if segment is None or total_segments is None:
        return None, None
    first = whole_number(segment, "segment")
    total = whole_number(total_segments, "total_segments")
    assert first is not None
    assert total is not None
    if not 1 <= total <= MAX_TOTAL_SEGMENTS:
        raise RequestValidationError(
            f"total_segments must be between 1 and {MAX_TOTAL_SEGMENTS}, not {total_segments}"
        )
    if not 0 <= first < total:
        raise RequestValidationError(
            f"segment must be between 0 and total_segments - 1 ({total - 1}), not {segment}"
        )
    return first, total


# --------------------------------------------------------------------------- item size
# DynamoDB's rules ("Item sizes and formats" in its developer guide): an item is the sum
# of its attribute names (UTF-8 bytes) and values. A string is its UTF-8 bytes; binary
# its raw bytes (not the base64 text); a number about one byte per two significant
# digits plus one; a boolean or null one byte; a set the sum of its elements; a list or
# map 3 bytes plus, per element, 1 byte, the element, and (in a map) its name.


def item_size(item: Mapping[str, Any]) -> int:
    """The size DynamoDB counts for an item in wire form, in bytes.

    >>> item_size({"body": {"S": "héllo"}, "tags": {"SS": ["a", "b"]}})
    16

    A value this function does not recognise counts as nothing, so it never
    overestimates: DynamoDB judges those.
    """
    total = 0
    for name, value in item.items():
        total += (len(name) if name.isascii() else len(name.encode("utf-8", "surrogatepass"))) + (
            attribute_value_size(value)
        )
    return total


def attribute_value_size(value: Any) -> int:
    """The size DynamoDB counts for one attribute value in wire form (without its name).

    >>> attribute_value_size({"L": [{"N": "1"}, {"BOOL": True}]})
    8
    """
    if type(value) is not dict or len(value) != 1:
        return 0
    try:
        return _value_size(value)
    except (AttributeError, TypeError, ValueError, ArithmeticError):
        return 0  # not a well-formed attribute value: DynamoDB will say what is wrong


def _value_size(value: Any) -> int:
    # Runs once per value of every item written: kept to plain, fast operations.
    for tag, payload in value.items():
        if tag == "S":
            return (
                len(payload) if payload.isascii() else len(payload.encode("utf-8", "surrogatepass"))
            )
        if tag == "N":
            return _number_size(payload)
        if tag == "M":
            size = 3
            for name, element in payload.items():
                size += 1 + (
                    len(name) if name.isascii() else len(name.encode("utf-8", "surrogatepass"))
                )
                size += _value_size(element)
            return size
        if tag == "L":
            size = 3
            for element in payload:
                size += 1 + _value_size(element)
            return size
        if tag == "BOOL" or tag == "NULL":  # noqa: PLR1714 - two string compares are faster
            return 1
        if tag == "B":
            return binary_size(payload)
        if tag == "SS":
            return sum(
                len(element) if element.isascii() else len(element.encode("utf-8", "surrogatepass"))
                for element in payload
            )
        if tag == "NS":
            return sum(_number_size(element) for element in payload)
        if tag == "BS":
            return sum(binary_size(element) for element in payload)
        return 0
    return 0


def binary_size(payload: str | bytes) -> int:
    """The raw length of binary data given as base64 text (as on the wire), or of bytes.

    >>> binary_size("AAE=")
    2
    """
    if isinstance(payload, bytes):
        return len(payload)
    text = payload.rstrip()
    padding = len(text) - len(text.rstrip("="))
    return len(text) * 3 // 4 - padding


def _number_size(text: str) -> int:
    # DynamoDB stores a number as base-100 digit pairs aligned on the decimal point,
    # plus an exponent byte, plus a terminator for negative numbers: about 1 byte per
    # two significant digits, plus one (dynalite, checked against DynamoDB, agrees).
    negative = text.startswith("-")
    whole, _, fraction = text[1:].partition(".") if negative else text.partition(".")
    if whole.isdigit() and (not fraction or fraction.isdigit()) and text.isascii():
        whole = whole.lstrip("0")
        digits = (whole + fraction).lstrip("0").rstrip("0")
        if not digits:
            return 1  # zero
        # The power of ten of the first significant digit (0.05 is 5E-2).
        leading_zeros = len(fraction) - len(fraction.lstrip("0"))
        exponent = len(whole) - 1 if whole else -(leading_zeros + 1)
    else:  # an exponent (1E+40), or not a number at all
        number = Decimal(text)
        if not number.is_finite():
            return 0
        if not number:
            return 1
        # Trailing zeros are not stored (not normalize(): it rounds to 28 digits).
        digits = "".join(map(str, number.as_tuple().digits)).rstrip("0")
        exponent = number.adjusted()
    significant = len(digits)
    pairs = (significant + 1) // 2 + (1 if significant % 2 == 0 and exponent % 2 == 0 else 0)
    return 1 + pairs + (1 if negative else 0)


# --------------------------------------------------------------------------- size bounds
# Counting an item exactly (above) costs more than encoding it: numbers are parsed digit
# by digit. A bound is enough to see that an item fits, and nearly every item fits by
# far; only an item whose bound passes 400 KB is counted exactly. The bound never
# undercounts: a string counts 4 bytes a character unless it is ASCII (UTF-8 takes at
# most 4), a number its text's length plus 2 (DynamoDB stores about one byte per two
# digits, plus one, plus one for a negative sign, which the text holds), binary its
# base64 text (4 characters per 3 bytes) and a list or map its 3 bytes, one per element
# and its elements (a property test checks the bound against item_size).


def item_size_bound(item: Mapping[str, Any]) -> int:
    """An upper bound of :func:`item_size`, counted without parsing numbers.

    >>> item_size_bound({"id": {"S": "abc"}, "n": {"N": "12.5"}})
    12
    """
    total = 0
    for name, value in item.items():
        total += (len(name) if name.isascii() else 4 * len(name)) + value_size_bound(value)
    return total


def value_size_bound(value: Any) -> int:
    """An upper bound of :func:`attribute_value_size` for one attribute value.

    >>> value_size_bound({"N": "7"})
    3
    """
    if type(value) is not dict or len(value) != 1:
        return 0  # not an attribute value: DynamoDB judges it
    try:
        return _bound(value)
    except (AttributeError, TypeError, ValueError):
        return 0  # not a well-formed attribute value: DynamoDB will say what is wrong


def _bound(value: Any) -> int:
    # Runs for the lists, maps and sets of every item written: the strings of a set are
    # joined and measured in C, scalars are not called for.
    if "S" in value:
        text = value["S"]
        return len(text) if text.isascii() else 4 * len(text)
    if "N" in value:
        return len(value["N"]) + 2
    if "M" in value:
        size = 3
        for name, element in value["M"].items():
            size += 1 + (len(name) if name.isascii() else 4 * len(name))
            if "S" in element:
                text = element["S"]
                size += len(text) if text.isascii() else 4 * len(text)
            elif "N" in element:
                size += len(element["N"]) + 2
            else:
                size += _bound(element)
        return size
    if "L" in value:
        elements = value["L"]
        size = 3 + len(elements)
        for element in elements:
            if "S" in element:
                text = element["S"]
                size += len(text) if text.isascii() else 4 * len(text)
            elif "N" in element:
                size += len(element["N"]) + 2
            else:
                size += _bound(element)
        return size
    if "SS" in value:
        text = "".join(value["SS"])
        return len(text) if text.isascii() else 4 * len(text)
    if "NS" in value:
        numbers = value["NS"]
        return len("".join(numbers)) + 2 * len(numbers)
    if "B" in value:
        return len(value["B"])
    if "BS" in value:
        return sum(map(len, value["BS"]))
    return 1  # BOOL, NULL (and anything else, which DynamoDB judges)


def check_item_size(
    item: Mapping[str, Any], *, what: str = "item", bound: int | None = None
) -> None:
    """Refuse an item larger than DynamoDB's 400 KB, naming its largest attribute, or
    holding an attribute name over 64 KB (map keys included).

    ``bound``, when given, is an upper bound of the item's size already known (from
    the pass that encoded it): the item is then counted only if it passes 400 KB.

    >>> check_item_size({"body": {"S": "x" * 500_000}})
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: attribute 'body': item is 500004 bytes as \
DynamoDB counts them (names and values); an item holds at most 409600 (400 KB); this \
attribute takes 500004
    """
    # The bound counts every name too (at 4 bytes a character unless ASCII).
    size = item_size_bound(item) if bound is None else bound
    if size <= MAX_ATTRIBUTE_NAME_BYTES:
        return  # no name in it can pass 64 KB, and it fits
    _check_names_in(item)
    if size <= MAX_ITEM_BYTES:
        return  # it fits
    check_sizes(
        {
            name: len(name.encode("utf-8", "surrogatepass")) + attribute_value_size(value)
            for name, value in item.items()
        },
        what=what,
    )


def check_sizes(sizes: Mapping[str, int], *, what: str, extra: int = 0) -> None:
    """Refuse ``sizes`` (bytes per attribute) and ``extra`` bytes that add up to more
    than an item holds, naming the largest attribute and what ``what`` is.

    >>> check_sizes({"a": 400_000, "b": 9_601}, what="the item")
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: attribute 'a': the item is 409601 bytes \
as DynamoDB counts them (names and values); an item holds at most 409600 (400 KB); this \
attribute takes 400000
    """
    total = extra + sum(sizes.values())
    if total <= MAX_ITEM_BYTES or not sizes:
        return
    largest = max(sizes, key=sizes.__getitem__)
    raise RequestValidationError(
        f"{what} is {total} bytes as DynamoDB counts them (names and values); an item holds "
        f"at most {MAX_ITEM_BYTES} (400 KB); this attribute takes {sizes[largest]}",
        attribute=largest,
    )
