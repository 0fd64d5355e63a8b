"""Dynamizers: every type both ways, every refusal with its attribute path, boto 2's
decode of non-attribute inputs, and hypothesis properties (round trip, agreement with
boto3's TypeSerializer / TypeDeserializer)."""

from __future__ import annotations

import base64
import copy
import datetime
import enum
import pickle
import types
from collections import OrderedDict
from decimal import Decimal
from typing import Any

import boto3.dynamodb.types as boto3_types
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamodb2 import _json
from dynamodb2.exceptions import (
    DynamoDBNumberError,
    ParameterValidationError,
    RequestValidationError,
    UnsupportedTypeError,
)
from dynamodb2.types import (
    MAX_NESTING_DEPTH,
    Binary,
    Dynamizer,
    NativeNumberDynamizer,
    NonBooleanDynamizer,
)

dynamizer = Dynamizer()

# --------------------------------------------------------------------------- encoding


class Colour(enum.IntEnum):
    RED = 3


class Name(str):
    pass


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("hello", {"S": "hello"}),
        ("", {"S": ""}),
        (Name("sub"), {"S": "sub"}),
        (0, {"N": "0"}),
        (-42, {"N": "-42"}),
        (2**100, {"N": "1267650600228229401496703205376"}),
        (10**38 - 1, {"N": "9" * 38}),
        (Colour.RED, {"N": "3"}),
        (Decimal("1.50"), {"N": "1.50"}),
        (Decimal("-0"), {"N": "-0"}),
        (Decimal("1E+40"), {"N": "1E+40"}),  # one significant digit
        (Decimal("9.9999999999999999999999999999999999999E+125"), {"N": "9." + "9" * 37 + "E+125"}),
        (Decimal("1E-130"), {"N": "1E-130"}),
        (True, {"BOOL": True}),
        (False, {"BOOL": False}),
        (None, {"NULL": True}),
        (b"\x00\x01\xff", {"B": "AAH/"}),
        (bytearray(b"ab"), {"B": "YWI="}),
        (Binary(b"ab"), {"B": "YWI="}),
        (b"", {"B": ""}),
        ({"a", "b"}, {"SS": ["a", "b"]}),
        (frozenset({"a"}), {"SS": ["a"]}),
        ({1, Decimal("2.5")}, {"NS": ["1", "2.5"]}),
        ({b"a", b"b"}, {"BS": ["YQ==", "Yg=="]}),
        ([], {"L": []}),
        ([1, "a", None], {"L": [{"N": "1"}, {"S": "a"}, {"NULL": True}]}),
        ((1, "a"), {"L": [{"N": "1"}, {"S": "a"}]}),
        ({}, {"M": {}}),
        (
            {"name": "x", "tags": {"t"}, "inner": {"deep": [True]}},
            {
                "M": {
                    "name": {"S": "x"},
                    "tags": {"SS": ["t"]},
                    "inner": {"M": {"deep": {"L": [{"BOOL": True}]}}},
                }
            },
        ),
        (OrderedDict(a=1), {"M": {"a": {"N": "1"}}}),
        (types.MappingProxyType({"a": "b"}), {"M": {"a": {"S": "b"}}}),
    ],
)
def test_encode(value: Any, wire: dict[str, Any]) -> None:
    encoded = dynamizer.encode(value)

    for set_tag in ("SS", "NS", "BS"):
        if set_tag in encoded:  # sets come out in no particular order
            assert sorted(encoded[set_tag]) == sorted(wire[set_tag])
            return
    assert encoded == wire


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1 / 3, "0.3333333333333333"),
        (1e-7, "1E-7"),
        (1e16, "1E+16"),
        (-2.5, "-2.5"),
        (123456789.125, "123456789.125"),
        (1.0, "1.0"),
        (5e-130, "5E-130"),
    ],
)
def test_float_is_sent_as_its_shortest_repr(number: float, text: str) -> None:
    assert dynamizer.encode(number) == {"N": text}
    assert Decimal(text) == Decimal(repr(number))


def test_number_set_of_a_float_and_its_decimal_is_sent_once() -> None:
    # 0.1 != Decimal("0.1") in Python, so the set holds both, but both are the number
    # 0.1 on the wire, and DynamoDB refuses a set with duplicates.
    value = {0.1, Decimal("0.1"), 10**23, 1e23}
    assert len(value) == 4

    encoded = dynamizer.encode(value)

    numbers = [Decimal(text) for text in encoded["NS"]]
    assert sorted(numbers) == [Decimal("0.1"), Decimal("1E+23")]


def test_encode_item_encodes_each_attribute() -> None:
    assert dynamizer.encode_item({"id": "a", "n": 2, "b": None}) == {
        "id": {"S": "a"},
        "n": {"N": "2"},
        "b": {"NULL": True},
    }


# --------------------------------------------------------------------------- booleans


def test_dynamizer_sends_booleans_as_bool() -> None:
    assert dynamizer.encode(True) == {"BOOL": True}
    assert dynamizer.decode({"BOOL": False}) is False


def test_non_boolean_dynamizer_sends_booleans_as_one_and_zero() -> None:
    legacy = NonBooleanDynamizer()

    assert legacy.encode(True) == {"N": "1"}
    assert legacy.encode(False) == {"N": "0"}
    assert legacy.encode({"flag": True}) == {"M": {"flag": {"N": "1"}}}
    assert sorted(legacy.encode({True, False})["NS"]) == ["0", "1"]
    # BOOL values already stored still read back as bool.
    assert legacy.decode({"BOOL": True}) is True


def test_dynamizer_refuses_a_set_of_booleans() -> None:
    with pytest.raises(UnsupportedTypeError, match="bool"):
        dynamizer.encode({True, False})


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("wire", "value"),
    [
        ({"S": "x"}, "x"),
        ({"N": "12"}, Decimal("12")),
        ({"N": "0.1"}, Decimal("0.1")),
        ({"N": "-1.50E+3"}, Decimal("-1.50E+3")),
        ({"BOOL": True}, True),
        ({"NULL": True}, None),
        ({"SS": ["a", "b"]}, {"a", "b"}),
        ({"NS": ["1", "2.5"]}, {Decimal("1"), Decimal("2.5")}),
        ({"L": [{"S": "a"}, {"N": "1"}]}, ["a", Decimal("1")]),
        ({"M": {"k": {"L": [{"NULL": True}]}}}, {"k": [None]}),
    ],
)
def test_decode(wire: dict[str, Any], value: Any) -> None:
    decoded = dynamizer.decode(wire)

    assert decoded == value
    assert type(decoded) is type(value)


@pytest.mark.parametrize(
    "text",
    ["0", "1", "255", "256", "-1", "-0", "1.0", "1E+2", "0E-5", "007", "12345678901234567890"],
)
def test_a_number_decodes_to_exactly_its_decimal_in_every_container(text: str) -> None:
    # Small integers decode to shared Decimals: each must still be the text's own
    # Decimal, exponent and sign included ("1.0" is not "1", "-0" is not "0").
    expected = Decimal(text)
    item = dynamizer.decode_item(
        {
            "n": {"N": text},
            "ns": {"NS": [text]},
            "l": {"L": [{"N": text}]},
            "m": {"M": {"n": {"N": text}}},
        }
    )
    decoded = [item["n"], *item["ns"], *item["l"], item["m"]["n"]]

    assert all(type(number) is Decimal for number in decoded)
    assert [number.as_tuple() for number in decoded] == [expected.as_tuple()] * 4


def test_binary_decodes_to_binary_and_binary_sets_to_sets_of_binary() -> None:
    one = dynamizer.decode({"B": "AAH/"})
    many = dynamizer.decode({"BS": ["YQ==", "Yg=="]})

    assert type(one) is Binary
    assert one == b"\x00\x01\xff"
    assert many == {b"a", b"b"}
    assert all(type(element) is Binary for element in many)


def test_binary_is_bytes_with_boto2s_encode_and_value() -> None:
    data = Binary(b"\x00\x01")

    assert isinstance(data, bytes)
    assert data.encode() == "AAE="
    assert data.value == b"\x00\x01"
    assert type(data.value) is bytes
    assert repr(data) == "Binary(b'\\x00\\x01')"


def test_decode_item_decodes_each_attribute() -> None:
    assert dynamizer.decode_item({"id": {"S": "a"}, "n": {"N": "2"}}) == {
        "id": "a",
        "n": Decimal("2"),
    }


@pytest.mark.parametrize(
    "not_an_attribute",
    [
        "plain string",
        {},
        {"S": "x", "N": "1"},  # two keys
        {"s": "x"},  # lower case: not a type tag
        {"UNKNOWN": 1},
        [],
        None,
        5,
    ],
)
def test_decode_returns_non_attribute_values_unchanged_like_boto2(not_an_attribute: Any) -> None:
    assert dynamizer.decode(not_an_attribute) == not_an_attribute


# --------------------------------------------------------------------------- refusals


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


class Opaque:
    pass


@pytest.mark.parametrize(
    ("bad", "error", "problem"),
    [
        (float("nan"), DynamoDBNumberError, "NaN"),
        (float("inf"), DynamoDBNumberError, "Infinity"),
        (float("-inf"), DynamoDBNumberError, "Infinity"),
        (Decimal("NaN"), DynamoDBNumberError, "NaN"),
        (Decimal("-Infinity"), DynamoDBNumberError, "Infinity"),
        (Decimal("1" * 39), DynamoDBNumberError, "38 significant digits"),
        (10**38 + 1, DynamoDBNumberError, "38 significant digits"),
        (Decimal("1.00000000000000000000000000000000000001"), DynamoDBNumberError, "38"),
        (Decimal("1E+126"), DynamoDBNumberError, "too large"),
        (1e200, DynamoDBNumberError, "too large"),
        # (An id: pytest cannot repr an int past 4,300 digits.)
        pytest.param(10**5000, DynamoDBNumberError, "an int of about 5001 digits", id="10**5000"),
        pytest.param({-(10**5000), 1}, DynamoDBNumberError, "too large", id="{-10**5000}"),
        (Decimal("9" * 5000), DynamoDBNumberError, r"38 significant digits.*\(5011 characters\)"),
        (Decimal("1E-131"), DynamoDBNumberError, "too small"),
        (5e-324, DynamoDBNumberError, "too small"),
        ({1, "a"}, UnsupportedTypeError, "int, str"),
        ({b"a", "a"}, UnsupportedTypeError, "bytes, str"),
        (set(), RequestValidationError, "empty set"),
        (frozenset(), RequestValidationError, "empty set"),
        (datetime.datetime(2020, 1, 1), UnsupportedTypeError, "datetime.datetime"),
        (datetime.date(2020, 1, 1), UnsupportedTypeError, "datetime.date"),
        (Opaque(), UnsupportedTypeError, "Opaque"),
        (1 + 2j, UnsupportedTypeError, "complex"),
        ({1: "x"}, UnsupportedTypeError, "map keys must be str"),
        ({("a",): "x"}, UnsupportedTypeError, "map keys must be str"),
        ("a\ud83d\ude00", ParameterValidationError, "surrogate pair"),
        ({"x", "\ud800\udc00"}, ParameterValidationError, "surrogate pair"),
        ({"\udbff\udfff": 1}, ParameterValidationError, "map keys cannot be sent as written"),
    ],
)
def test_refusals_name_the_attribute_path(bad: Any, error: type[Exception], problem: str) -> None:
    item = {"outer": {"inner": [1, bad]}}

    with pytest.raises(error, match=problem) as raised:
        dynamizer.encode_item(item)

    assert "'outer.inner[1]'" in str(raised.value)
    assert raised.value.attribute == "outer.inner[1]"  # type: ignore[attr-defined]


@pytest.mark.parametrize("elements", [["a", True, Decimal(1), 2], [[], {}, {"n"}, "é"]])
def test_a_refused_list_element_is_named_by_its_index(elements: list[Any]) -> None:
    with pytest.raises(UnsupportedTypeError) as raised:
        dynamizer.encode_item({"list": [*elements, 1 + 2j, "after"]})

    assert raised.value.attribute == "list[4]"


def test_number_errors_are_value_errors_and_type_errors_are_type_errors() -> None:
    with pytest.raises(ValueError, match="NaN"):
        dynamizer.encode(float("nan"))
    with pytest.raises(TypeError, match="datetime"):
        dynamizer.encode(datetime.datetime(2020, 1, 1))


def test_documents_may_nest_32_levels_but_not_33() -> None:
    deepest_allowed = _nested(MAX_NESTING_DEPTH)
    assert MAX_NESTING_DEPTH == 32

    encoded = dynamizer.encode(deepest_allowed)
    levels = 0
    while "M" in encoded:
        levels += 1
        encoded = encoded["M"].get("a", {})
    assert levels == 32

    with pytest.raises(ParameterValidationError, match="32 levels") as raised:
        dynamizer.encode_item({"doc": _nested(33)})
    assert raised.value.attribute == "doc" + ".a" * 32


def test_lists_count_towards_nesting_depth() -> None:
    value: Any = "leaf"
    for _ in range(33):
        value = [value]

    with pytest.raises(ParameterValidationError, match="nest"):
        dynamizer.encode(value)


def test_refusal_at_the_top_level_has_no_attribute_path() -> None:
    with pytest.raises(DynamoDBNumberError) as raised:
        dynamizer.encode(float("nan"))

    assert raised.value.attribute is None
    assert "attribute" not in str(raised.value)


# --------------------------------------------------------------------------- native numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("-12345678901234567890123456789", -12345678901234567890123456789),
        ("-0", 0),
        ("1E+2", 100),
        ("1.0", 1),
        ("2.50", 2.5),
        ("0.1", 0.1),
        ("1.5E-130", 1.5e-130),
        ("0.1000000000000000000001", Decimal("0.1000000000000000000001")),
        ("12345678901234567890.5", Decimal("12345678901234567890.5")),
    ],
)
def test_native_number_dynamizer_gives_int_float_or_exact_decimal(text: str, value: Any) -> None:
    decoded = NativeNumberDynamizer().decode({"N": text})

    assert decoded == value
    assert type(decoded) is type(value)


def test_native_number_dynamizer_decodes_sets_and_nested_numbers() -> None:
    native = NativeNumberDynamizer()

    assert native.decode({"NS": ["1", "2.5"]}) == {1, 2.5}
    assert native.decode_item({"doc": {"M": {"n": {"N": "7"}}}}) == {"doc": {"n": 7}}
    assert type(native.decode_item({"n": {"N": "7"}})["n"]) is int


def test_native_number_dynamizer_round_trips_floats_exactly() -> None:
    native = NativeNumberDynamizer()

    for number in (0.1, 1 / 3, 2.5e-7, -123.456):
        decoded = native.decode(native.encode(number))
        assert decoded == number
        assert type(decoded) is float


# --------------------------------------------------------------------------- properties


def _decimal(sign: int, coefficient: int, exponent: int) -> Decimal:
    return Decimal((sign, tuple(int(digit) for digit in str(coefficient)), exponent))


# Numbers DynamoDB can store: at most 38 significant digits, magnitude 1E-130 .. <1E+126.
integers = st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1)
decimals = st.one_of(
    st.builds(
        _decimal,
        st.integers(0, 1),
        st.integers(1, 10**38 - 1),
        st.integers(-130, 125 - 37),
    ),
    st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0.00"), Decimal("1E+2")]),
)
floats = st.floats(
    min_value=-1e125, max_value=1e125, allow_nan=False, allow_infinity=False, allow_subnormal=False
).filter(lambda number: number == 0 or abs(number) >= 1e-130)
texts = st.text(max_size=6)
blobs = st.binary(max_size=6)


def _values(numbers: st.SearchStrategy[Any], with_bytearray: bool) -> st.SearchStrategy[Any]:
    binaries = st.one_of(blobs, blobs.map(bytearray)) if with_bytearray else blobs
    scalars = st.one_of(texts, numbers, st.booleans(), st.none(), binaries)
    sets = st.one_of(
        st.sets(texts, min_size=1, max_size=4),
        st.frozensets(numbers, min_size=1, max_size=4),
        st.sets(blobs, min_size=1, max_size=4),
    )
    return st.recursive(
        st.one_of(scalars, sets),
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.lists(children, max_size=3).map(tuple),
            st.dictionaries(texts, children, max_size=3),
        ),
        max_leaves=10,
    )


every_value = _values(st.one_of(integers, decimals, floats), with_bytearray=True)
# boto3 refuses floats; everything else it accepts, it should encode as we do.
boto3_values = _values(st.one_of(integers, decimals), with_bytearray=True)


def expected_after_round_trip(value: Any) -> Any:
    """What decode(encode(value)) should give: numbers as Decimal, bytes as Binary,
    tuples as lists, frozensets as sets."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bytes, bytearray)):
        return Binary(bytes(value))
    if isinstance(value, (set, frozenset)):
        return {expected_after_round_trip(element) for element in value}
    if isinstance(value, (list, tuple)):
        return [expected_after_round_trip(element) for element in value]
    assert isinstance(value, dict)
    return {name: expected_after_round_trip(element) for name, element in value.items()}


def canonical(value: Any) -> Any:
    """A hashable, type-tagged form, so ``True`` never equals ``Decimal(1)`` and numbers
    compare by their exact text; both libraries' Binary types become bytes."""
    if value is None or isinstance(value, bool):
        return ("scalar", value)
    if isinstance(value, str):
        return ("S", value)
    if isinstance(value, Decimal):
        return ("N", str(value))
    if isinstance(value, boto3_types.Binary):
        boto3_binary: Any = value  # boto3-stubs leave out Binary.value
        return ("B", bytes(boto3_binary.value))
    if isinstance(value, bytes):
        assert type(value) is Binary, f"binary decoded as {type(value)}"
        return ("B", bytes(value))
    if isinstance(value, (set, frozenset)):
        # Sets compare by value: Decimal("1.0") and Decimal("1") are one element.
        return ("set", frozenset(canonical_set_element(element) for element in value))
    if isinstance(value, list):
        return ("L", tuple(canonical(element) for element in value))
    assert isinstance(value, dict), f"unexpected {type(value)}"
    return ("M", tuple(sorted((name, canonical(item)) for name, item in value.items())))


def canonical_set_element(value: Any) -> Any:
    if isinstance(value, Decimal):
        return ("N", value.normalize() if value else Decimal(0))
    return canonical(value)


@settings(max_examples=100, deadline=None)
@given(every_value)
def test_round_trip_gives_back_the_value(value: Any) -> None:
    decoded = dynamizer.decode(dynamizer.encode(value))

    assert canonical(decoded) == canonical(expected_after_round_trip(value))


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=6), every_value, max_size=4))
def test_item_round_trip_gives_back_the_item(item: dict[str, Any]) -> None:
    decoded = dynamizer.decode_item(dynamizer.encode_item(item))

    assert canonical(decoded) == canonical(expected_after_round_trip(item))


def boto3_wire(value: Any) -> Any:
    """boto3's serializer output in wire form: its binary values are raw bytes, which
    botocore base64-encodes later; here they are encoded now."""
    (tag, payload), *_ = value.items()
    if tag == "B":
        return {"B": base64.b64encode(bytes(payload)).decode("ascii")}
    if tag == "BS":
        return {"BS": sorted(base64.b64encode(bytes(item)).decode("ascii") for item in payload)}
    if tag in ("SS", "NS"):
        return {tag: sorted(payload)}
    if tag == "M":
        return {"M": {name: boto3_wire(item) for name, item in payload.items()}}
    if tag == "L":
        return {"L": [boto3_wire(item) for item in payload]}
    return value


def sorted_sets(value: Any) -> Any:
    (tag, payload), *_ = value.items()
    if tag in ("SS", "NS", "BS"):
        return {tag: sorted(payload)}
    if tag == "M":
        return {"M": {name: sorted_sets(item) for name, item in payload.items()}}
    if tag == "L":
        return {"L": [sorted_sets(item) for item in payload]}
    return value


def boto3_input(wire: Any) -> Any:
    """Our wire form as botocore hands it to boto3's deserializer: binary as bytes."""
    (tag, payload), *_ = wire.items()
    if tag == "B":
        return {"B": base64.b64decode(payload)}
    if tag == "BS":
        return {"BS": [base64.b64decode(item) for item in payload]}
    if tag == "M":
        return {"M": {name: boto3_input(item) for name, item in payload.items()}}
    if tag == "L":
        return {"L": [boto3_input(item) for item in payload]}
    return wire


def _boto3_serialize(value: Any) -> Any:
    try:
        return boto3_types.TypeSerializer().serialize(value)
    except (TypeError, ArithmeticError):
        return None  # boto3 refuses it (e.g. 38 digits just above 1E-130)


@settings(max_examples=100, deadline=None)
@given(boto3_values)
def test_encoding_agrees_with_boto3_wherever_boto3_accepts_the_value(value: Any) -> None:
    theirs = _boto3_serialize(value)
    if theirs is None:
        return
    assert sorted_sets(dynamizer.encode(value)) == boto3_wire(theirs)


@settings(max_examples=100, deadline=None)
@given(boto3_values)
def test_decoding_agrees_with_boto3(value: Any) -> None:
    wire = dynamizer.encode(value)

    ours = dynamizer.decode(wire)
    theirs = boto3_types.TypeDeserializer().deserialize(boto3_input(wire))

    assert canonical(ours) == canonical(theirs)


def test_boto3_agreement_covers_the_common_values() -> None:
    # The properties above skip what boto3 refuses; make sure ordinary values are not
    # among those skips.
    for value in (1, Decimal("1.5"), "s", b"b", {"a"}, {1, 2}, {b"x"}, [1, {"m": None}], True):
        assert _boto3_serialize(value) is not None


def test_boto3_is_laxer_than_dynamodb_about_the_largest_numbers() -> None:
    # boto3 accepts 1E+126, which DynamoDB refuses (its maximum is 9.99...E+125); we refuse
    # it before sending.
    assert _boto3_serialize(Decimal("1E+126")) == {"N": "1E+126"}
    with pytest.raises(DynamoDBNumberError):
        dynamizer.encode(Decimal("1E+126"))


def booleans_as_numbers(value: Any) -> Any:
    """What boto 2's NonBooleanDynamizer stores for ``value``: True and False as 1 and 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, tuple)):
        return [booleans_as_numbers(element) for element in value]
    if isinstance(value, dict):
        return {name: booleans_as_numbers(element) for name, element in value.items()}
    return value


@settings(max_examples=100, deadline=None)
@given(every_value)
def test_non_boolean_round_trip_gives_back_the_value_with_booleans_as_numbers(
    value: Any,
) -> None:
    non_boolean = NonBooleanDynamizer()

    decoded = non_boolean.decode(non_boolean.encode(value))

    assert canonical(decoded) == canonical(expected_after_round_trip(booleans_as_numbers(value)))


@settings(max_examples=100, deadline=None)
@given(every_value)
def test_the_wire_form_survives_the_json_codec_unchanged(value: Any) -> None:
    # What the dynamizer makes is what is sent: it must be plain JSON, read back as is.
    wire = dynamizer.encode(value)

    assert _json.loads(_json.dumps(wire)) == wire
    assert canonical(dynamizer.decode(_json.loads(_json.dumps(wire)))) == canonical(
        expected_after_round_trip(value)
    )


class Shade(str, enum.Enum):
    RED = "red"
    GREEN = "green"


def test_str_and_int_enum_members_are_stored_as_their_values() -> None:
    data: dict[Any, Any] = {
        Shade.RED: Shade.GREEN,
        "tags": {Shade.RED},
        "level": Colour.RED,
        "m": {Shade.RED: 1},
    }
    encoded = dynamizer.encode_item(data)

    assert encoded == {
        "red": {"S": "green"},
        "tags": {"SS": ["red"]},
        "level": {"N": "3"},
        "m": {"M": {"red": {"N": "1"}}},
    }
    # Plain str on the wire: a JSON encoder that refuses str subclasses (orjson's keys) can
    # still write them.
    assert all(type(name) is str for name in encoded)
    assert type(encoded["red"]["S"]) is str


@pytest.mark.parametrize(
    ("name", "error", "problem"),
    [
        (1, UnsupportedTypeError, "attribute names must be str, not int"),
        (b"a", UnsupportedTypeError, "attribute names must be str, not bytes"),
        ("", ParameterValidationError, "attribute names must not be empty"),
        ("\ud800\udc80", ParameterValidationError, "attribute names cannot be sent as written"),
    ],
)
def test_attribute_names_that_are_not_text_are_refused(
    name: Any, error: type[Exception], problem: str
) -> None:
    with pytest.raises(error, match=problem):
        dynamizer.encode_item({"id": "a", name: "x"})


class _UpperStrings(Dynamizer):
    """A boto 2-style subclass: a per-type hook, and an attribute of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.prefix = ">"

    def _encode_s(self, attr: str) -> str:
        return self.prefix + attr.upper()


@pytest.mark.parametrize("make", [Dynamizer, NativeNumberDynamizer, _UpperStrings])
def test_dynamizers_pickle_and_copy_keeping_their_behaviour(make: type[Dynamizer]) -> None:
    original = make()
    value = {"s": "abc", "n": Decimal("1.5"), "l": [1, {"m": "x"}]}

    for copied in (pickle.loads(pickle.dumps(original)), copy.deepcopy(original)):
        assert type(copied) is make
        assert copied.encode(value) == original.encode(value)
        wire = original.encode(value)
        assert copied.decode(wire) == original.decode(wire)
