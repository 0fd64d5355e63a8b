"""What the shim's ``boto.dynamodb.types`` holds: boto 2's type helpers that code built on
``boto.dynamodb2`` imported from there (flywheel's fields take ``float_to_decimal`` and
``Binary``; mappers take ``get_dynamodb_type``, ``dynamize_value``,
``LossyFloatDynamizer``). boto.dynamodb2 itself took only ``Dynamizer``,
``NonBooleanDynamizer`` and ``Binary``, the classes of :mod:`dynamodb2.types`.

>>> float_to_decimal(2.5), get_dynamodb_type({1, 2}), dynamize_value(5)
(Decimal('2.5'), 'NS', {'N': '5'})

Each does what boto 2.49's did, including its quirks (``is_num(True, False)`` is true,
as a ``bool`` is an ``int``; ``dynamize_value`` returns a ``None``, a ``bool``, a map or a
list as it is), except where boto 2 failed on valid input: ``float_to_decimal(0.1)``
raised ``decimal.Inexact`` until a call had grown the precision of boto 2's shared
``DYNAMODB_CONTEXT``; here it returns the float's exact value, and the context is left as
it is. ``dynamize_value`` of a set of plain ``bytes`` raised ``AttributeError`` (only
:class:`Binary` members worked); here it is a ``BS``. tests/compat/test_boto2_types_helpers.py
runs the same calls under boto 2.49 and compares.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any, Final

from .types import Binary, Dynamizer, NonBooleanDynamizer

__all__ = [
    "DYNAMODB_CONTEXT",
    "Binary",
    "Dynamizer",
    "LossyFloatDynamizer",
    "NonBooleanDynamizer",
    "convert_binary",
    "convert_num",
    "dynamize_value",
    "float_to_decimal",
    "get_dynamodb_type",
    "is_binary",
    "is_num",
    "is_str",
    "item_object_hook",
    "serialize_num",
]

#: DynamoDB's numbers: 38 digits, exponents from -128 to 126; anything lost is an error.
DYNAMODB_CONTEXT: Final = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)


def float_to_decimal(f: float) -> Decimal:
    """The exact value of the float ``f``, with as many digits as it takes.

    >>> float_to_decimal(0.25), float_to_decimal(1e20)
    (Decimal('0.25'), Decimal('100000000000000000000'))
    >>> len(str(float_to_decimal(0.1)))  # 0.1 is not exactly a binary fraction
    57
    """
    numerator, denominator = (Decimal(part) for part in f.as_integer_ratio())
    # A context of its own, whose precision doubles until the quotient is exact.
    context = DYNAMODB_CONTEXT.copy()
    context.traps[Inexact] = context.traps[Rounded] = False
    while True:
        context.clear_flags()
        quotient = context.divide(numerator, denominator)
        if not context.flags[Inexact]:
            return quotient
        context.prec *= 2


def is_num(n: Any, boolean_as_int: bool = True) -> bool:
    """Whether ``n`` is a number (or one of the number types itself).

    >>> is_num(3), is_num(Decimal("1.5")), is_num("3"), is_num(float)
    (True, True, False, True)
    """
    kinds: tuple[type, ...] = (
        (int, float, Decimal, bool) if boolean_as_int else (int, float, Decimal)
    )
    return isinstance(n, kinds) or n in kinds


def is_str(n: Any) -> bool:
    """Whether ``n`` is a string (or the ``str`` type, or a subclass of it).

    >>> is_str("a"), is_str(str), is_str(b"a")
    (True, True, False)
    """
    return isinstance(n, str) or (isinstance(n, type) and issubclass(n, str))


def is_binary(n: Any) -> bool:
    """Whether ``n`` is binary data (``bytes``, of which :class:`Binary` is a subclass).

    >>> is_binary(b"a"), is_binary(Binary(b"a")), is_binary("a")
    (True, True, False)
    """
    return isinstance(n, bytes)


def serialize_num(val: Any) -> str:
    """A number's wire text (``True`` is ``"1"``).

    >>> serialize_num(True), serialize_num(Decimal("1.50"))
    ('1', '1.50')
    """
    if isinstance(val, bool):
        return str(int(val))
    return str(val)


def convert_num(s: str) -> int | float:
    """A number's wire text as an ``int``, or a ``float`` when it has a ``.``.

    >>> convert_num("3"), convert_num("1.5")
    (3, 1.5)
    """
    return float(s) if "." in s else int(s)


def convert_binary(n: str) -> Binary:
    """Base64 wire text as :class:`Binary`.

    >>> convert_binary("YWI=")
    Binary(b'ab')
    """
    return Binary(base64.b64decode(n))


def get_dynamodb_type(val: Any, use_boolean: bool = True) -> str:
    """The DynamoDB type of a value: ``"S"``, ``"N"``, ``"B"``, ``"SS"``, ``"NS"``,
    ``"BS"``, ``"NULL"``, ``"BOOL"`` (``"N"`` without ``use_boolean``), ``"M"`` or ``"L"``.

    Raises:
        TypeError: for a type DynamoDB cannot store, and for a set mixing kinds.

    >>> get_dynamodb_type("a"), get_dynamodb_type(True), get_dynamodb_type(True, False)
    ('S', 'BOOL', 'N')
    """
    kind: str | None = None
    if val is None:
        kind = "NULL"
    elif is_num(val):
        kind = "BOOL" if isinstance(val, bool) and use_boolean else "N"
    elif is_str(val):
        kind = "S"
    elif isinstance(val, (set, frozenset)):
        # An empty set counts as a number set, as in boto 2.
        if all(is_num(member) for member in val):
            kind = "NS"
        elif all(is_str(member) for member in val):
            kind = "SS"
        elif all(is_binary(member) for member in val):
            kind = "BS"
    elif is_binary(val):
        kind = "B"
    elif isinstance(val, Mapping):
        kind = "M"
    elif isinstance(val, list):
        kind = "L"
    if kind is None:
        raise TypeError(f'Unsupported type "{type(val)}" for value "{val}"')
    return kind


def dynamize_value(val: Any) -> Any:
    """The attribute value of a scalar or a set: ``{"N": "5"}``, ``{"SS": [...]}``...;
    boto 2 returned any other value (``None``, a ``bool``, a map, a list) as it is.

    >>> dynamize_value("a"), dynamize_value(b"ab"), dynamize_value(None)
    ({'S': 'a'}, {'B': 'YWI='}, None)
    """
    kind = get_dynamodb_type(val)
    if kind == "N":
        return {kind: serialize_num(val)}
    if kind == "S":
        return {kind: val}
    if kind == "NS":
        return {kind: [serialize_num(member) for member in val]}
    if kind == "SS":
        return {kind: list(val)}
    if kind == "B":
        return {kind: Binary(val).encode()}
    if kind == "BS":
        return {kind: [Binary(member).encode() for member in val]}
    return val


def item_object_hook(dct: dict[str, Any]) -> Any:
    """A ``json.loads`` object hook turning one-type attribute values into Python values
    (numbers as ``int``/``float``); anything else is returned as it is.

    >>> item_object_hook({"N": "2"}), item_object_hook({"SS": ["a"]}), item_object_hook({"a": 1})
    (2, {'a'}, {'a': 1})
    """
    if len(dct) > 1:
        return dct
    if "S" in dct:
        return dct["S"]
    if "N" in dct:
        return convert_num(dct["N"])
    if "SS" in dct:
        return set(dct["SS"])
    if "NS" in dct:
        return set(map(convert_num, dct["NS"]))
    if "B" in dct:
        return convert_binary(dct["B"])
    if "BS" in dct:
        return set(map(convert_binary, dct["BS"]))
    return dct


class LossyFloatDynamizer(NonBooleanDynamizer):
    """boto 2's deprecated dynamizer of numbers as ``int``/``float`` (digits past a
    float's precision are lost): ``{"N": "1.5"}`` decodes to ``1.5``, ``{"N": "3"}`` to
    ``3``; booleans are written as numbers.

    >>> LossyFloatDynamizer().decode({"N": "1.5"}), LossyFloatDynamizer().encode(True)
    (1.5, {'N': '1'})
    """

    def _encode_n(self, attr: Any) -> str:
        return serialize_num(attr)

    def _encode_ns(self, attr: Any) -> list[str]:
        return [str(member) for member in attr]

    def _decode_n(self, attr: str) -> int | float:
        return convert_num(attr)

    def _decode_ns(self, attr: list[str]) -> set[int | float]:
        return set(map(self._decode_n, attr))
