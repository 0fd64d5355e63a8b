"""Python values to DynamoDB attribute values and back: the dynamizers and type constants.

>>> Dynamizer().encode({"tags": {"a", "b"}, "n": 1.5, "ok": True})["M"]["n"]
{'N': '1.5'}
>>> Dynamizer().decode({"N": "0.1"})
Decimal('0.1')

Numbers come back as :class:`~decimal.Decimal` (boto 2's behaviour). In: ``int``,
``Decimal`` and ``float``; a float is sent as its shortest exact repr (``0.1`` becomes
``"0.1"``, never ``0.1000000000000000055511151231257827``). NaN, Infinity, more than 38
significant digits and magnitudes outside DynamoDB's range raise
:class:`~dynamodb2.exceptions.DynamoDBNumberError` before anything is sent.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Final, cast

from ._limits import (
    MAX_BATCH_GET_KEYS,
    MAX_BATCH_WRITE_REQUESTS,
    MAX_IN_VALUES,
    MAX_ITEM_BYTES,
    MAX_TRANSACTION_ACTIONS,
    value_size_bound,
)
from ._wire import AttributeValue, Body, EncodedItem
from .exceptions import (
    DynamoDBNumberError,
    MalformedResponseError,
    ParameterValidationError,
    RequestValidationError,
    UnsupportedTypeError,
)

__all__ = [
    "BINARY",
    "BINARY_SET",
    "BOOLEAN",
    "FILTER_OPERATORS",
    "LIST",
    "MAP",
    "MAX_BATCH_GET_KEYS",
    "MAX_BATCH_WRITE_REQUESTS",
    "MAX_IN_VALUES",
    "MAX_ITEM_BYTES",
    "MAX_NESTING_DEPTH",
    "MAX_TRANSACTION_ACTIONS",
    "NULL",
    "NUMBER",
    "NUMBER_SET",
    "QUERY_OPERATORS",
    "STRING",
    "STRING_SET",
    "AttributeValue",
    "Binary",
    "Body",
    "Dynamizer",
    "NativeNumberDynamizer",
    "NonBooleanDynamizer",
    "NonBooleanNativeNumberDynamizer",
    "attribute_name",
    "make_dynamizer",
]

STRING: Final = "S"
NUMBER: Final = "N"
BINARY: Final = "B"
STRING_SET: Final = "SS"
NUMBER_SET: Final = "NS"
BINARY_SET: Final = "BS"
NULL: Final = "NULL"
BOOLEAN: Final = "BOOL"
MAP: Final = "M"
LIST: Final = "L"

#: boto 2's query operators (``field__op=value``) and their legacy comparison names.
QUERY_OPERATORS: Final[Mapping[str, str]] = {
    "eq": "EQ",
    "lte": "LE",
    "lt": "LT",
    "gte": "GE",
    "gt": "GT",
    "beginswith": "BEGINS_WITH",
    "between": "BETWEEN",
}

#: boto 2's filter operators (``field__op=value``) and their legacy comparison names.
FILTER_OPERATORS: Final[Mapping[str, str]] = {
    "eq": "EQ",
    "ne": "NE",
    "lte": "LE",
    "lt": "LT",
    "gte": "GE",
    "gt": "GT",
    "nnull": "NOT_NULL",
    "null": "NULL",
    "contains": "CONTAINS",
    "ncontains": "NOT_CONTAINS",
    "beginswith": "BEGINS_WITH",
    "in": "IN",
    "between": "BETWEEN",
}

#: DynamoDB refuses documents nested deeper than this.
MAX_NESTING_DEPTH: Final = 32

_MAX_DIGITS: Final = 38
_MIN_EXPONENT: Final = -130  # smallest magnitude: 1E-130
_MAX_EXPONENT: Final = 125  # largest magnitude: 9.99...9E+125 (38 nines)
_SAFE_INT: Final = 10**38  # any int of smaller magnitude has at most 38 digits
#: Any int with more bits is at least 2**419, over DynamoDB's largest number (below
#: 10**126): refused without converting it (a Decimal or its text, which for an int of
#: more than 4,300 digits Python refuses with a ValueError, and which is slow to make).
_MAX_INT_BITS: Final = (10**126).bit_length()
#: How much of a refused number's repr an error shows.
_SHOWN_NUMBER_CHARACTERS: Final = 60
_PLAIN_NUMBER_TYPES: Final = frozenset({int, Decimal})
_STR_ONLY: Final = frozenset({str})


class Binary(bytes):
    """Binary data, as boto 2 returned it. A ``bytes`` subclass, so plain ``bytes`` work too.

    >>> Binary(b"\\x00\\x01").encode()
    'AAE='
    """

    def encode(self) -> str:
        """The base64 text DynamoDB sends on the wire (boto 2 named this ``encode``)."""
        return base64.b64encode(self).decode("ascii")

    @property
    def value(self) -> bytes:
        """The raw bytes (boto 2's Python 2 ``Binary`` kept them here)."""
        return bytes(self)

    def __repr__(self) -> str:
        return f"Binary({bytes(self)!r})"


def _number_error(value: object, problem: str) -> DynamoDBNumberError:
    return DynamoDBNumberError(f"{problem}: {_shown_number(value)}")


def _shown_number(value: object) -> str:
    """``value``'s repr for a message, shortened if long; an int too long for its text
    (Python refuses ``repr`` of an int over 4,300 digits) by its size.

    >>> _shown_number(10**5000)
    'an int of about 5001 digits'
    >>> _shown_number(Decimal("1" * 100))
    "Decimal('111111111111111111111111111111111111111111... (111 characters)"
    """
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        return f"an int of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    if len(text) > _SHOWN_NUMBER_CHARACTERS:
        return f"{text[: _SHOWN_NUMBER_CHARACTERS - 9]}... ({len(text)} characters)"
    return text


def _check_decimal(number: Decimal, original: object) -> str:
    """Validate a Decimal against DynamoDB's number rules; return its wire text."""
    if not number.is_finite():
        raise _number_error(original, "NaN and Infinity cannot be stored in DynamoDB")
    if number:
        _sign, digits, exponent = number.as_tuple()
        assert isinstance(exponent, int)
        significant = len(digits)
        # Trailing zeros are not significant digits for DynamoDB (1E+40 has one digit).
        for digit in reversed(digits):
            if digit:
                break
            significant -= 1
        if significant > _MAX_DIGITS:
            raise _number_error(
                original, f"more than {_MAX_DIGITS} significant digits cannot be stored exactly"
            )
        magnitude = number.adjusted()
        if magnitude > _MAX_EXPONENT:
            raise _number_error(original, "number too large for DynamoDB (max 9.99E+125)")
        if magnitude < _MIN_EXPONENT:
            raise _number_error(original, "number too small for DynamoDB (min 1E-130)")
    return str(number)


def _number_text(value: object) -> str:
    """Wire text of an int, float or Decimal, checked against DynamoDB's limits."""
    kind = type(value)
    if kind is Decimal:
        assert isinstance(value, Decimal)
        text = str(value)
        # The common case, without as_tuple(): str() writes a finite Decimal without an
        # exponent only when its magnitude is between 1E-7 and 1E+38, and 38 characters
        # hold at most 38 digits, so such a number is within every limit.
        if len(text) <= _MAX_DIGITS and "E" not in text and value.is_finite():
            return text
        return _check_decimal(value, value)
    if kind is int:
        assert isinstance(value, int)
        if -_SAFE_INT < value < _SAFE_INT:
            return str(value)
        if value.bit_length() > _MAX_INT_BITS:
            raise _number_error(value, "number too large for DynamoDB (max 9.99E+125)")
        return _check_decimal(Decimal(value), value)
    if kind is float:
        assert isinstance(value, float)
        if not math.isfinite(value):
            raise _number_error(value, "NaN and Infinity cannot be stored in DynamoDB")
        # repr() is the shortest text that reads back as the same float.
        return _check_decimal(Decimal(repr(value)), value)
    if isinstance(value, Decimal):
        return _check_decimal(value, value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):  # int subclasses (IntEnum, ...)
        return _number_text(int(value))
    if isinstance(value, float):
        return _number_text(float(value))
    raise UnsupportedTypeError(f"{type(value).__name__} is not a number")


def _is_number(value: object, bool_is_number: bool) -> bool:
    if isinstance(value, bool):
        return bool_is_number
    return isinstance(value, (int, float, Decimal))


#: boto 2's per-type hooks: overriding one switches a subclass to boto 2's dispatch.
_BOTO2_HOOKS: Final = frozenset(
    {"_get_dynamodb_type"}
    | {
        f"_{direction}_{tag}"
        for direction in ("encode", "decode")
        for tag in ("n", "s", "b", "ns", "ss", "bs", "null", "bool", "m", "l")
    }
)


class Dynamizer:
    """Encodes Python values to DynamoDB attribute values and decodes them back.

    ============================  ==========  ==================================
    Python                        DynamoDB    back to Python
    ============================  ==========  ==================================
    ``str``                       ``S``       ``str``
    ``int`` ``float`` ``Decimal`` ``N``       ``Decimal``
    ``bytes`` ``bytearray``       ``B``       :class:`Binary` (a ``bytes``)
    ``bool``                      ``BOOL``    ``bool``
    ``None``                      ``NULL``    ``None``
    ``set`` of str/number/bytes   ``SS`` ...  ``set``
    ``dict`` (any Mapping)        ``M``       ``dict``
    ``list`` ``tuple``            ``L``       ``list``
    ============================  ==========  ==================================

    >>> d = Dynamizer()
    >>> d.encode([1, "a", None])
    {'L': [{'N': '1'}, {'S': 'a'}, {'NULL': True}]}
    >>> d.decode({"SS": ["a"]})
    {'a'}

    Subclass and override :meth:`decode_number` to change how numbers come back. boto 2's
    hooks work too: a subclass that overrides ``_get_dynamodb_type``, ``_encode_<tag>`` or
    ``_decode_<tag>`` (``_encode_s``, ``_decode_n``...) has every value go through them, as
    boto 2's dispatch did. Instances hold no per-call state and may be shared between
    threads.
    """

    #: Whether ``True``/``False`` are sent as ``BOOL`` (else as the numbers 1 and 0).
    booleans_as_bool: bool = True
    #: Whether the class overrides one of boto 2's per-type hooks (set per subclass).
    _boto2_hooks: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._boto2_hooks = cls._boto2_hooks or any(name in vars(cls) for name in _BOTO2_HOOKS)

    def __init__(self) -> None:
        # Numbers decode through _DECIMALS, all in C (no Python frame per number); a
        # subclass's own decode_number is honoured.
        number: Callable[[str], Any] = (
            _DECIMALS.__getitem__
            if type(self).decode_number is Dynamizer.decode_number
            else self.decode_number
        )
        self._number = number
        self._decode_map, self._decode_list = _make_decoders(number)
        if self._boto2_hooks:
            self.__dict__.update(
                _encode=self._encode_by_hooks,
                _decode_map=self._decode_map_by_hooks,
                _decode_list=self._decode_list_by_hooks,
            )

    # What __init__ derives from the class (closures): left out of a pickle, made again.
    _DERIVED: ClassVar[frozenset[str]] = frozenset(
        {"_number", "_decode_map", "_decode_list", "_encode"}
    )

    def __getstate__(self) -> dict[str, Any]:
        # Pickled (and deep-copied) as boto 2's were: a dynamizer's own attributes, not
        # the decoders it builds (local functions, which pickle cannot name).
        return {name: value for name, value in vars(self).items() if name not in self._DERIVED}

    def __setstate__(self, state: dict[str, Any]) -> None:
        Dynamizer.__init__(self)
        vars(self).update(state)

    # -------------------------------------------------------------- encoding

    def encode(self, attr: Any) -> AttributeValue:
        """The attribute value for one Python value.

        Raises:
            UnsupportedTypeError: for types DynamoDB cannot store and mixed sets
                (a ``TypeError``).
            DynamoDBNumberError: for NaN, Infinity and numbers out of range
                (a ``ValueError``).
            RequestValidationError: for empty sets (a ``ParameterValidationError``).
            RequestValidationError: for nesting deeper than 32 levels.
        """
        return self._encode(attr, 0)

    def encode_item(self, data: Mapping[str, Any]) -> dict[str, AttributeValue]:
        """Encode every attribute of an item; errors name the attribute at fault.

        >>> Dynamizer().encode_item({"id": "a", "n": 2})
        {'id': {'S': 'a'}, 'n': {'N': '2'}}
        """
        # Not marked as an EncodedItem: the caller may change what it is given.
        return _encode_item_bounded(self, data, drop_empty=False, marked=False)[0]

    def _encode(self, value: Any, depth: int) -> AttributeValue:
        kind = type(value)
        if kind is str:
            return {"S": value if value.isascii() else _text(value)}
        if kind is Decimal:
            # _number_text's fast path, inlined: numbers are most of the values encoded.
            text = str(value)
            if len(text) <= _MAX_DIGITS and "E" not in text and value.is_finite():
                return {"N": text}
            return {"N": _check_decimal(value, value)}
        if kind is int or kind is float:
            return {"N": _number_text(value)}
        if kind is bool:
            if self.booleans_as_bool:
                return {"BOOL": value}
            return {"N": "1" if value else "0"}
        if value is None:
            return {"NULL": True}
        if kind is dict:
            return {"M": self._encode_map(value, depth + 1)[0]}
        if kind is list or kind is tuple:
            return {"L": self._encode_list(value, depth + 1)[0]}
        if kind is set or kind is frozenset:
            return self._encode_set(value)[0]
        if isinstance(value, Mapping):
            return {"M": self._encode_map(value, depth + 1)[0]}
        if isinstance(value, (set, frozenset)):
            return self._encode_set(value)[0]
        if isinstance(value, (bytes, bytearray, memoryview)):
            return {"B": base64.b64encode(value).decode("ascii")}
        if isinstance(value, str):
            # The text itself: str() of a (str, Enum) member is "Color.RED", not "red".
            return {"S": _text(str.__str__(value))}
        if isinstance(value, (int, float, Decimal)):
            return {"N": _number_text(value)}
        if isinstance(value, list):
            return {"L": self._encode_list(value, depth + 1)[0]}
        raise UnsupportedTypeError(
            f"cannot store a value of type {kind.__module__}.{kind.__qualname__} "
            "in DynamoDB (use str, int, float, Decimal, bytes, bool, None, set, dict or list)"
        )

    # The encoders of documents and sets also bound the size of what they encode from
    # above (see _limits.item_size_bound), in the same pass: an item is sized without
    # being walked, or encoded, a second time. The commonest members (ASCII strings,
    # Decimals and ints) are encoded inline, as _encode would encode them.

    def _encode_bounded(self, value: Any, depth: int) -> tuple[AttributeValue, int]:
        """``_encode(value, depth)``, and an upper bound of the value's size."""
        kind = type(value)
        if kind is dict:
            members, bound = self._encode_map(value, depth + 1)
            return {"M": members}, bound
        if kind is list or kind is tuple:
            elements, bound = self._encode_list(value, depth + 1)
            return {"L": elements}, bound
        if kind is set or kind is frozenset:
            return self._encode_set(value)
        wire = self._encode(value, depth)
        return wire, value_size_bound(wire)

    def _encode_map(
        self, value: Mapping[Any, Any], depth: int
    ) -> tuple[dict[str, AttributeValue], int]:
        if depth > MAX_NESTING_DEPTH:
            raise RequestValidationError(
                f"documents may nest at most {MAX_NESTING_DEPTH} levels deep"
            )
        encode = self._encode_bounded
        booleans = self.booleans_as_bool
        encoded: dict[str, AttributeValue] = {}
        bound = 3 + len(value)
        for key, item in value.items():
            if type(key) is str and key.isascii():
                name = key
                bound += len(name)
            else:
                name = _attribute_name(key, what="map keys", empty=True)
                bound += 4 * len(name)
            kind = type(item)
            if kind is str:
                if item.isascii():
                    encoded[name] = {"S": item}
                    bound += len(item)
                    continue
            elif kind is Decimal:
                text = str(item)
                if len(text) <= _MAX_DIGITS and "E" not in text and item.is_finite():
                    encoded[name] = {"N": text}
                    bound += len(text) + 2
                    continue
            elif kind is int and -_SAFE_INT < item < _SAFE_INT:
                text = str(item)
                encoded[name] = {"N": text}
                bound += len(text) + 2
                continue
            elif kind is bool:
                encoded[name] = {"BOOL": item} if booleans else ({"N": "1"} if item else {"N": "0"})
                bound += 3
                continue
            try:
                encoded[name], size = encode(item, depth)
            except (ParameterValidationError, UnsupportedTypeError) as error:
                raise error.with_attribute(name) from None
            bound += size
        return encoded, bound

    def _encode_list(self, value: Iterable[Any], depth: int) -> tuple[list[AttributeValue], int]:
        if depth > MAX_NESTING_DEPTH:
            raise RequestValidationError(
                f"documents may nest at most {MAX_NESTING_DEPTH} levels deep"
            )
        encode = self._encode_bounded
        booleans = self.booleans_as_bool
        encoded: list[AttributeValue] = []
        append = encoded.append
        bound = 3
        for item in value:
            kind = type(item)
            if kind is str:
                if item.isascii():
                    append({"S": item})
                    bound += 1 + len(item)
                    continue
            elif kind is Decimal:
                text = str(item)
                if len(text) <= _MAX_DIGITS and "E" not in text and item.is_finite():
                    append({"N": text})
                    bound += 3 + len(text)
                    continue
            elif kind is int and -_SAFE_INT < item < _SAFE_INT:
                text = str(item)
                append({"N": text})
                bound += 3 + len(text)
                continue
            elif kind is bool:
                append({"BOOL": item} if booleans else ({"N": "1"} if item else {"N": "0"}))
                bound += 4
                continue
            try:
                wire, size = encode(item, depth)
            except (ParameterValidationError, UnsupportedTypeError) as error:
                # Each element before this one was appended: this is element len(encoded).
                raise error.with_attribute(f"[{len(encoded)}]") from None
            append(wire)
            bound += 1 + size
        return encoded, bound

    def _encode_set(self, value: set[Any] | frozenset[Any]) -> tuple[AttributeValue, int]:
        if not value:
            # DynamoDB refuses one anywhere, in a map or a list too (boto 2 sent those,
            # as {"NS": []}, and met its ValidationException).
            raise RequestValidationError(
                "DynamoDB cannot store an empty set (remove the attribute instead)"
            )
        kinds = set(map(type, value))
        if kinds == _STR_ONLY:
            # Joined, the strings are checked in one call (most are ASCII).
            joined = "".join(value)
            if joined.isascii():
                return {"SS": list(value)}, len(joined)
            return {"SS": [text if text.isascii() else _text(text) for text in value]}, 4 * len(
                joined
            )
        texts: list[str]
        if kinds <= _PLAIN_NUMBER_TYPES:
            # ints and Decimals: no bools to weigh, no floats that may collide.
            try:
                texts = list(map(str, value))
            except ValueError:  # an int over 4,300 digits: far too large, said below
                texts = ["x" * (_MAX_DIGITS + 1)]
            # _number_text's fast path, for all at once: no text longer than 38
            # characters, none with an exponent, none NaN or Infinity ("N", "I").
            joined = "".join(texts)
            if not (
                # (none is longer than 38 characters when all of them together are not)
                (len(joined) <= _MAX_DIGITS or max(map(len, texts)) <= _MAX_DIGITS)
                and "E" not in joined
                and "N" not in joined
                and "I" not in joined
            ):
                texts = [_number_text(element) for element in value]
                joined = "".join(texts)
            return {"NS": texts}, len(joined) + 2 * len(texts)
        if all(_is_number(element, not self.booleans_as_bool) for element in value):
            texts = [_number_text(element) for element in value]
            # Python sets merge numerically equal ints and Decimals, but a float is kept
            # apart from the decimal it is sent as (0.1 != Decimal("0.1"), 1e23 != 10**23):
            # both would reach DynamoDB as one number twice, and it refuses duplicates.
            if len(texts) > 1 and any(issubclass(kind, float) for kind in kinds):
                texts = list({Decimal(text): text for text in texts}.values())
            return {"NS": texts}, len("".join(texts)) + 2 * len(texts)
        if all(isinstance(element, (bytes, bytearray)) for element in value):
            texts = [base64.b64encode(element).decode("ascii") for element in value]
            return {"BS": texts}, sum(map(len, texts))
        if all(isinstance(element, str) for element in value):
            texts = [_text(str.__str__(element)) for element in value]
            return {"SS": texts}, 4 * len("".join(texts))
        names = ", ".join(sorted(kind.__name__ for kind in kinds))
        raise UnsupportedTypeError(
            f"a set must hold only strings, only numbers or only bytes; this one holds {names}"
        )

    # -------------------------------------------------------------- decoding

    def decode(self, attr: Any, *, operation: str | None = None) -> Any:
        """The Python value for one attribute value.

        Anything that is not a one-key attribute value mapping is returned unchanged
        (boto 2 did the same).

        Raises:
            MalformedResponseError: for a value DynamoDB never sends (``{"N": "x"}``,
                ``{"L": "not a list"}``, ...), naming the path inside it and
                ``operation``, the operation that returned it, when given.
        """
        if not isinstance(attr, Mapping) or len(attr) != 1:
            return attr
        if self._boto2_hooks:
            return self._decode_by_hooks(attr)
        if type(attr) is not dict:
            attr = dict(attr)
        ((tag, _payload),) = attr.items()
        if tag not in _TAGS:
            return attr
        try:
            return self._decode_list([attr])[0]
        except _DECODE_ERRORS as error:
            raise _malformed_value(self, attr, None, operation, error) from error

    def decode_item(
        self, item: Mapping[str, Any], *, operation: str | None = None
    ) -> dict[str, Any]:
        """Decode every attribute of a wire item.

        >>> Dynamizer().decode_item({"id": {"S": "a"}, "n": {"N": "2"}})
        {'id': 'a', 'n': Decimal('2')}

        Raises:
            MalformedResponseError: for a value DynamoDB never sends, naming the
                attribute's path (``"doc.list[3]"``) and ``operation``, the operation
                that returned the item, when given:

                >>> Dynamizer().decode_item({"n": {"N": "ten"}}, operation="GetItem")
                Traceback (most recent call last):
                ...
                dynamodb2.exceptions.MalformedResponseError: malformed attribute 'n' in \
the response to GetItem: N holds 'ten', which is not a number
        """
        try:
            return self._decode_map(item)
        except _DECODE_ERRORS as error:
            # The fast decoders only fail; find where, and why, on this slow path.
            raise _malformed_item(self, item, operation, error) from error

    def decode_number(self, text: str) -> Any:
        """The Python value of a number's wire text: a ``Decimal`` here."""
        return Decimal(text)

    # -------------------------------------------------------------- boto 2's hooks
    # Each does what the fast paths above do for one type; they run only for a subclass
    # that overrides one of them, through boto 2's dispatch.

    def _encode_by_hooks(self, attr: Any, depth: int = 0) -> AttributeValue:
        tag = self._get_dynamodb_type(attr)
        encoder = getattr(self, f"_encode_{tag.lower()}", None)
        if encoder is None:
            raise UnsupportedTypeError(f"Unable to encode dynamodb type: {tag}")
        encoded: AttributeValue = {tag: encoder(attr)}  # type: ignore[misc]
        return encoded

    def _decode_by_hooks(self, attr: Mapping[str, Any]) -> Any:
        ((tag, payload),) = attr.items()
        if not isinstance(tag, str) or tag.lower() == tag:
            return attr
        decoder = getattr(self, f"_decode_{tag.lower()}", None)
        return attr if decoder is None else decoder(payload)

    def _decode_map_by_hooks(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        return {name: self.decode(value) for name, value in payload.items()}

    def _decode_list_by_hooks(self, payload: list[Any]) -> list[Any]:
        return [self.decode(value) for value in payload]

    def _get_dynamodb_type(self, attr: Any) -> str:
        """The wire type tag a value is sent as (boto 2's hook)."""
        ((tag, _payload),) = Dynamizer._encode(self, attr, 0).items()
        return tag

    def _encode_n(self, attr: Any) -> str:
        return _number_text(attr)

    def _encode_s(self, attr: Any) -> str:
        if isinstance(attr, bytes):
            return attr.decode("utf-8")
        return _text(attr if isinstance(attr, str) else str(attr))

    def _encode_b(self, attr: Any) -> str:
        return base64.b64encode(attr).decode("ascii")

    def _encode_ns(self, attr: Any) -> list[str]:
        return [self._encode_n(element) for element in attr]

    def _encode_ss(self, attr: Any) -> list[str]:
        return [self._encode_s(element) for element in attr]

    def _encode_bs(self, attr: Any) -> list[str]:
        return [self._encode_b(element) for element in attr]

    def _encode_null(self, attr: Any) -> bool:
        return True

    def _encode_bool(self, attr: Any) -> bool:
        return bool(attr)

    def _encode_m(self, attr: Mapping[Any, Any]) -> dict[str, AttributeValue]:
        return {
            _attribute_name(k, what="map keys", empty=True): self.encode(v) for k, v in attr.items()
        }

    def _encode_l(self, attr: Iterable[Any]) -> list[AttributeValue]:
        return [self.encode(element) for element in attr]

    def _decode_n(self, attr: str) -> Any:
        return self.decode_number(attr)

    def _decode_s(self, attr: str) -> str:
        return attr

    def _decode_b(self, attr: str) -> Binary:
        return _decode_binary(attr)

    def _decode_ns(self, attr: list[str]) -> set[Any]:
        return set(map(self._decode_n, attr))

    def _decode_ss(self, attr: list[str]) -> set[Any]:
        return set(map(self._decode_s, attr))

    def _decode_bs(self, attr: list[str]) -> set[Any]:
        return set(map(self._decode_b, attr))

    def _decode_null(self, attr: Any) -> None:
        return None

    def _decode_bool(self, attr: Any) -> bool:
        return bool(attr)

    def _decode_m(self, attr: Mapping[str, Any]) -> dict[str, Any]:
        return {name: self.decode(value) for name, value in attr.items()}

    def _decode_l(self, attr: list[Any]) -> list[Any]:
        return [self.decode(value) for value in attr]


def _encode_item_bounded(
    dynamizer: Dynamizer, data: Mapping[str, Any], *, drop_empty: bool, marked: bool = True
) -> tuple[dict[str, AttributeValue], int]:
    """Encode an item; and bound its size from above in the same pass (internal: what
    :meth:`Dynamizer.encode_item` and ``KeySchema.encode_item`` share).

    ``drop_empty`` leaves out boto 2's "no attribute" values (``None``, ``""``, empty
    sets: what ``is_storable`` refuses). The bound is ``_limits.item_size_bound`` of the
    result, taken from values as they are encoded, so that an item is walked once: the
    size check needs no second encoding (such as JSON) of the item.

    >>> _encode_item_bounded(Dynamizer(), {"id": "a", "n": 2, "no": None}, drop_empty=True)
    ({'id': {'S': 'a'}, 'n': {'N': '2'}}, 9)
    """
    encode = dynamizer._encode
    fast = not dynamizer._boto2_hooks
    booleans = dynamizer.booleans_as_bool
    # Marked as checked (``marked``: the package's own items, which no other code
    # changes before they are sent) only when this encoder, not a boto 2 hook, wrote
    # every value.
    encoded: dict[str, AttributeValue] = EncodedItem() if fast and marked else {}
    bound = 0
    for given, value in data.items():
        if type(given) is str and given and given.isascii():
            name = given
            bound += len(name)
        else:
            name = _attribute_name(given)
            bound += 4 * len(name)
        kind = type(value)
        if fast:
            # The commonest values inline, as _encode would encode them (and bounded
            # as value_size_bound bounds them).
            if kind is str:
                if value.isascii():
                    if value or not drop_empty:
                        encoded[name] = {"S": value}
                        bound += len(value)
                    continue
            elif kind is Decimal:
                text = str(value)
                if len(text) <= _MAX_DIGITS and "E" not in text and value.is_finite():
                    encoded[name] = {"N": text}
                    bound += len(text) + 2
                    continue
            elif kind is bool:
                if booleans:
                    encoded[name] = {"BOOL": value}
                    bound += 1
                else:
                    encoded[name] = {"N": "1"} if value else {"N": "0"}
                    bound += 3
                continue
            elif kind is int and -_SAFE_INT < value < _SAFE_INT:
                text = str(value)
                encoded[name] = {"N": text}
                bound += len(text) + 2
                continue
            # Documents and sets (a set once known not empty), before the test for
            # values to drop, which none of them is.
            try:
                if kind is dict:
                    members, size = dynamizer._encode_map(value, 1)
                    encoded[name] = {"M": members}
                    bound += size
                    continue
                if kind is list:
                    elements, size = dynamizer._encode_list(value, 1)
                    encoded[name] = {"L": elements}
                    bound += size
                    continue
                if kind is set and value:
                    encoded[name], size = dynamizer._encode_set(value)
                    bound += size
                    continue
            except (ParameterValidationError, UnsupportedTypeError) as error:
                raise error.with_attribute(name) from None
        if drop_empty and (
            value is None or (isinstance(value, (str, bytes, set, frozenset)) and len(value) == 0)
        ):
            continue
        try:
            if not fast:
                encoded[name] = wire = encode(value, 0)
                size = value_size_bound(wire)
            else:
                encoded[name], size = dynamizer._encode_bounded(value, 0)
        except (ParameterValidationError, UnsupportedTypeError) as error:
            raise error.with_attribute(name) from None
        bound += size
    return encoded, bound


class NonBooleanDynamizer(Dynamizer):
    """boto 2's default: ``True``/``False`` are sent as the numbers 1 and 0.

    ``BOOL`` values already stored still decode to ``bool``.
    """

    booleans_as_bool = False


class NativeNumberDynamizer(Dynamizer):
    """Numbers come back as ``int`` when integral and ``float`` when that is exact.

    >>> NativeNumberDynamizer().decode_item({"a": {"N": "7"}, "b": {"N": "2.5"},
    ...                                      "c": {"N": "0.1000000000000000000001"}})
    {'a': 7, 'b': 2.5, 'c': Decimal('0.1000000000000000000001')}

    A fractional number whose shortest float repr reads back as the same decimal
    (``"0.1"``, ``"2.5"``) becomes a ``float``; any other (``"0.1000000000000000000001"``,
    more than 17 significant digits) stays a ``Decimal``, so no value is silently changed.
    See ``docs/numbers.md`` for the trade-offs.
    """

    def decode_number(self, text: str) -> Any:
        """``int`` for integral text, ``float`` when it round-trips exactly, else ``Decimal``."""
        if "." not in text and "e" not in text and "E" not in text:
            return int(text)
        number = Decimal(text)
        if number == number.to_integral_value():
            return int(number)
        as_float = float(text)
        if math.isfinite(as_float) and Decimal(repr(as_float)) == number:
            return as_float
        return number


class NonBooleanNativeNumberDynamizer(NativeNumberDynamizer):
    """Native numbers, with boto 2's booleans: ``True``/``False`` are sent as 1 and 0
    (and so come back as the ints 1 and 0)."""

    booleans_as_bool = False


def make_dynamizer(*, booleans: bool, native_numbers: bool) -> Dynamizer:
    """The dynamizer for a choice of boolean and number handling.

    >>> type(make_dynamizer(booleans=True, native_numbers=True)).__name__
    'NativeNumberDynamizer'
    >>> type(make_dynamizer(booleans=False, native_numbers=False)).__name__
    'NonBooleanDynamizer'
    """
    if native_numbers:
        return NativeNumberDynamizer() if booleans else NonBooleanNativeNumberDynamizer()
    return Dynamizer() if booleans else NonBooleanDynamizer()


class _Decimals(dict[str, Decimal]):
    """Number texts to their ``Decimal``: the small integers are made once and shared
    (counts, flags, versions, boto 2's booleans stored as 1 and 0: the numbers that
    repeat most), any other text becomes a new ``Decimal``.

    A hit is one dict lookup instead of parsing the text, and the shared ``Decimal``
    keeps its hash once computed (a number set hashes each member); a miss costs one
    failed lookup more than ``Decimal(text)`` (about 40 ns), with no Python frame:
    ``__missing__`` is ``Decimal`` itself. The values are immutable, so sharing them
    changes nothing a caller can see but identity.
    """

    __slots__ = ()
    __missing__ = staticmethod(Decimal)


#: How many small integers (0, 1, ...) :data:`_DECIMALS` holds.
_SHARED_DECIMALS: Final = 256
_DECIMALS: Final = _Decimals({str(n): Decimal(n) for n in range(_SHARED_DECIMALS)})


_TAGS: Final = frozenset(
    {STRING, NUMBER, BINARY, STRING_SET, NUMBER_SET, BINARY_SET, NULL, BOOLEAN, MAP, LIST}
)


def _make_decoders(
    number: Callable[[str], Any],
) -> tuple[Callable[[Mapping[str, Any]], dict[str, Any]], Callable[[list[Any]], list[Any]]]:
    """The map and list decoders of a dynamizer whose numbers decode with ``number``.

    This runs once per attribute of every item read, so it is written for speed: the
    common tags are looked up inline, most frequent first, instead of iterating each
    one-key attribute dict and calling through a table per value (which took 40% more
    time on a Query page).
    """

    def decode_map(payload: Mapping[str, Any]) -> dict[str, Any]:
        decoded: dict[str, Any] = {}
        for name, attr in payload.items():
            if "S" in attr:
                decoded[name] = attr["S"]
            elif "N" in attr:
                decoded[name] = number(attr["N"])
            elif "BOOL" in attr:
                decoded[name] = attr["BOOL"]
            elif "M" in attr:
                decoded[name] = decode_map(attr["M"])
            elif "L" in attr:
                value = attr["L"]
                if value.__class__ is not list:
                    raise TypeError("L")
                decoded[name] = decode_list(value)
            elif "SS" in attr:
                value = attr["SS"]
                if value.__class__ is not list:
                    raise TypeError("SS")
                decoded[name] = set(value)
            elif "NS" in attr:
                value = attr["NS"]
                if value.__class__ is not list:
                    raise TypeError("NS")
                decoded[name] = set(map(number, value))
            else:
                decoded[name] = _decode_rare(attr)
        return decoded

    def decode_list(payload: list[Any]) -> list[Any]:
        decoded: list[Any] = []
        append = decoded.append
        for attr in payload:
            if "S" in attr:
                append(attr["S"])
            elif "N" in attr:
                append(number(attr["N"]))
            elif "BOOL" in attr:
                append(attr["BOOL"])
            elif "M" in attr:
                append(decode_map(attr["M"]))
            elif "L" in attr:
                value = attr["L"]
                if value.__class__ is not list:
                    raise TypeError("L")
                append(decode_list(value))
            elif "SS" in attr:
                value = attr["SS"]
                if value.__class__ is not list:
                    raise TypeError("SS")
                append(set(value))
            elif "NS" in attr:
                value = attr["NS"]
                if value.__class__ is not list:
                    raise TypeError("NS")
                append(set(map(number, value)))
            else:
                append(_decode_rare(attr))
        return decoded

    return decode_map, decode_list


#: What the fast decoders raise on a malformed value (decimal.InvalidOperation is an
#: ArithmeticError, binascii.Error a ValueError). Caught only at the entry points.
_DECODE_ERRORS: Final = (
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)


def _list(payload: Any) -> list[Any]:
    """``payload`` if it is a list; otherwise raise (a string would iterate by character)."""
    if type(payload) is not list:
        raise TypeError(f"not a list: {type(payload).__name__}")
    return payload


def _decode_rare(attr: Mapping[str, Any]) -> Any:
    if "NULL" in attr:
        return None
    if "B" in attr:
        return _decode_binary(attr["B"])
    if "BS" in attr:
        return {_decode_binary(b) for b in _list(attr["BS"])}
    raise KeyError(next(iter(attr), "(no type)"))


def _decode_binary(payload: str) -> Binary:
    return Binary(base64.b64decode(payload, validate=True))


# ------------------------------------------------------------------ malformed responses
# Only reached once the fast decoders above have failed: walk the value again, slowly,
# to name the attribute at fault and say what is wrong with it.


def _malformed_item(
    dynamizer: Dynamizer, item: object, operation: str | None, error: BaseException
) -> MalformedResponseError:
    if not isinstance(item, Mapping):
        return MalformedResponseError(
            f"an item is a JSON object of attribute values, not {_shown(item)}",
            operation=operation,
        )
    for name, attr in item.items():
        if _fails(dynamizer, attr):
            return _malformed_value(dynamizer, attr, str(name), operation, error)
    return MalformedResponseError(  # pragma: no cover - some attribute above fails
        f"{type(error).__name__}: {error}", operation=operation
    )


def _malformed_value(
    dynamizer: Dynamizer,
    attr: object,
    path: str | None,
    operation: str | None,
    error: BaseException,
) -> MalformedResponseError:
    """The error for ``attr``, which fails to decode: at the innermost member that fails."""
    while isinstance(attr, dict) and len(attr) == 1:
        ((tag, payload),) = attr.items()
        members: Iterable[tuple[str, Any]]
        if tag == MAP and isinstance(payload, dict):
            members = (
                (f"{path}.{name}" if path is not None else str(name), value)
                for name, value in payload.items()
            )
        elif tag == LIST and type(payload) is list:
            members = ((f"{path or ''}[{index}]", value) for index, value in enumerate(payload))
        else:
            break
        failing = next(
            ((where, value) for where, value in members if _fails(dynamizer, value)), None
        )
        if failing is None:
            break
        path, attr = failing
    problem = _problem(dynamizer, attr) or f"{type(error).__name__}: {error}"
    return MalformedResponseError(problem, attribute=path, operation=operation)


def _fails(dynamizer: Dynamizer, attr: object) -> bool:
    try:
        dynamizer._decode_list([attr])
    except _DECODE_ERRORS:
        return True
    return False


def _problem(dynamizer: Dynamizer, attr: object) -> str | None:
    """What is wrong with one attribute value, or ``None`` if nothing is found."""
    if not isinstance(attr, dict):
        return f"an attribute value is a JSON object with one type tag, not {_shown(attr)}"
    if len(attr) != 1:
        tags = ", ".join(map(repr, attr)) or "none"
        return f"an attribute value has one type tag, not {len(attr)} ({tags})"
    ((tag, payload),) = attr.items()
    if tag not in _TAGS:
        return f"unknown type tag {tag!r}"
    kind, expected = _PAYLOAD_TYPES[tag]
    if not isinstance(payload, kind):
        return f"{tag} holds {_shown(payload)}, not {expected}"
    is_set = tag in (STRING_SET, NUMBER_SET, BINARY_SET)
    elements = cast("list[Any]", payload) if is_set else [payload]
    for element in elements:
        if tag in (NUMBER, NUMBER_SET):
            if not isinstance(element, str):
                return f"{tag} holds {_shown(element)}, not a number's text"
            try:
                dynamizer._number(element)
            except _DECODE_ERRORS:
                return f"{tag} holds {_shown(element)}, which is not a number"
        elif tag in (BINARY, BINARY_SET):
            if not isinstance(element, str):
                return f"{tag} holds {_shown(element)}, not base64 text"
            try:
                base64.b64decode(element, validate=True)
            except (binascii.Error, ValueError):
                return f"{tag} holds {_shown(element)}, which is not base64"
        elif tag == STRING_SET and not isinstance(element, str):
            return f"{tag} holds {_shown(element)}, not a string"
    return None


#: The JSON type each tag's payload must have, and how to say so.
_PAYLOAD_TYPES: Final[Mapping[str, tuple[type | tuple[type, ...], str]]] = {
    STRING: (str, "a string"),
    NUMBER: (str, "a number's text"),
    BINARY: (str, "base64 text"),
    STRING_SET: (list, "a list of strings"),
    NUMBER_SET: (list, "a list of numbers' text"),
    BINARY_SET: (list, "a list of base64 text"),
    NULL: (bool, "true"),
    BOOLEAN: (bool, "true or false"),
    MAP: (dict, "a JSON object"),
    LIST: (list, "a list"),
}


def _shown(value: object) -> str:
    """``value`` for a message: its type and a short repr."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    kind = "null" if value is None else type(value).__name__
    return f"{kind} {text}" if kind not in ("str",) else text


def attribute_name(name: object) -> str:
    """``name`` as an attribute name DynamoDB takes: a non-empty ``str`` that JSON can
    carry as written (a ``(str, Enum)`` member gives its text), else a clear error.

    >>> attribute_name("views")
    'views'
    >>> attribute_name("")
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: attribute names must not be empty
    """
    if type(name) is str and name and name.isascii():
        return name
    return _attribute_name(name)


def _attribute_name(name: object, *, what: str = "attribute names", empty: bool = False) -> str:
    """``name`` as a plain ``str``, or a clear error for one DynamoDB cannot take.

    A ``str`` subclass (a ``(str, Enum)`` member) gives its text; anything else, and an
    empty name unless ``empty`` allows it, is refused before anything is sent.

    >>> _attribute_name("views")
    'views'
    >>> _attribute_name(7)
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.UnsupportedTypeError: attribute names must be str, not int (7)
    """
    if not isinstance(name, str):
        raise UnsupportedTypeError(f"{what} must be str, not {type(name).__name__} ({name!r})")
    text = _text(str.__str__(name), what=what)
    if not text and not empty:
        # DynamoDB refuses an empty name with a ValidationException (boto 2 sent it).
        raise RequestValidationError(f"{what} must not be empty")
    return text


def _text(value: str, *, what: str = "text") -> str:
    """``value`` if it can be sent as written: lone surrogates included.

    A lone surrogate (``"\\ud800"``: DynamoDB hands back what another client such as
    boto3 stored so, and ``surrogateescape`` decoding leaves them) is sent as its JSON
    ``\\u`` escape, as boto3 and boto 2 send it, and comes back the same. Refused, before
    anything is sent: a high surrogate followed by a low one (``"\\ud83d\\ude00"`` as two
    code points), which JSON cannot tell from the one character the pair encodes, so
    would not come back as written.

    >>> _text("héllo"), _text("a\\udc80")
    ('héllo', 'a\\udc80')
    >>> _text("a\\ud83d\\ude00")
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.ParameterValidationError: text cannot be sent as written: \
'\\ud83d\\ude00' at position 1 is a surrogate pair, which JSON reads back as one \
character ('😀'); join it first (.encode('utf-16', 'surrogatepass').decode('utf-16'))
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        pair = _SURROGATE_PAIR.search(value)
        if pair is not None:
            joined = pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            raise ParameterValidationError(
                f"{what} cannot be sent as written: {pair.group()!r} at position "
                f"{pair.start()} is a surrogate pair, which JSON reads back as one character "
                f"({joined!r}); join it first (.encode('utf-16', 'surrogatepass')"
                ".decode('utf-16'))"
            ) from None
    return value


#: A high surrogate then a low one: JSON's escapes of the two are the escape of the
#: character they encode together (``"\\ud83d\\ude00"`` is read back as one emoji).
_SURROGATE_PAIR: Final = re.compile("[\ud800-\udbff][\udc00-\udfff]")
