"""Item sizes counted the way DynamoDB counts them, and the 400 KB limit enforced on it.

DynamoDB's rules ("Item sizes and formats", DynamoDB developer guide): names and strings
are their UTF-8 bytes, binary its raw bytes, a number about one byte per two significant
digits plus one, booleans and nulls one byte, lists and maps 3 bytes plus one per
element. dynalite implements the exact number rule as measured against DynamoDB; the
integration test checks the boundary against it: an item of 409,600 bytes is stored, one
of 409,601 is refused (by dynalite when sent raw, and by this library before sending).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from decimal import Decimal, localcontext
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamodb2 import _json
from dynamodb2._limits import (
    MAX_ITEM_BYTES,
    attribute_value_size,
    binary_size,
    item_size,
    item_size_bound,
    value_size_bound,
)
from dynamodb2._schema import is_storable
from dynamodb2.connection import Connection
from dynamodb2.exceptions import DynamoDBNumberError, ParameterValidationError, ValidationException
from dynamodb2.fields import HashKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transport import HttpResponse
from dynamodb2.types import Dynamizer, NonBooleanDynamizer, _encode_item_bounded
from tests.support.backends import Backend
from tests.support.table_support import create_table, recorded_connection

dynamizer = Dynamizer()


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ({"S": "abc"}, 3),
        ({"S": ""}, 0),
        ({"S": "é"}, 2),  # UTF-8 bytes, not characters
        ({"S": "😀"}, 4),
        ({"B": "AAE="}, 2),  # raw bytes, not the base64 text
        ({"B": "AAEC"}, 3),
        ({"B": "AA=="}, 1),
        ({"BOOL": False}, 1),
        ({"NULL": True}, 1),
        ({"N": "0"}, 1),
        ({"N": "7"}, 2),
        ({"N": "-7"}, 3),  # negative numbers take a terminator byte
        ({"N": "12"}, 2),  # 1.2E+1: the pair "12" sits on one base-100 digit
        ({"N": "1.2"}, 3),  # 1.2E+0: "1" and "2" fall in two base-100 digits
        ({"N": "123"}, 3),
        ({"N": "1234"}, 3),
        ({"N": "12.5"}, 3),
        ({"N": "0.05"}, 2),
        ({"N": "100"}, 2),  # trailing zeros are not stored
        ({"N": "1E+40"}, 2),
        ({"N": "9" * 38}, 20),
        ({"SS": ["a", "bc"]}, 3),
        ({"NS": ["1", "12"]}, 4),
        ({"BS": ["AA==", "AAE="]}, 3),
        ({"L": []}, 3),
        ({"M": {}}, 3),
        ({"L": [{"S": "ab"}, {"NULL": True}]}, 3 + (1 + 2) + (1 + 1)),
        ({"M": {"ab": {"S": "c"}}}, 3 + 1 + 2 + 1),
        ({"M": {"x": {"L": [{"M": {}}]}}}, 3 + 1 + 1 + (3 + 1 + 3)),
    ],
)
def test_attribute_value_size_follows_dynamodbs_rules(value: dict[str, Any], size: int) -> None:
    assert attribute_value_size(value) == size


def test_item_size_adds_the_utf8_names() -> None:
    assert item_size({"id": {"S": "a"}, "名前": {"BOOL": True}}) == 2 + 1 + 6 + 1


@pytest.mark.parametrize("malformed", [{"S": 5}, {"X": "y"}, {}, "text", {"S": "a", "N": "1"}])
def test_values_it_does_not_recognise_count_as_nothing(malformed: Any) -> None:
    # Never an overestimate: a malformed value is left for DynamoDB to refuse.
    assert attribute_value_size(malformed) == 0


# --------------------------------------------------------------------------- properties


def reference_size(value: Mapping[str, Any]) -> int:
    """A plain, slow restatement of the rules, to check the fast one against."""
    ((tag, payload),) = value.items()
    if tag == "S":
        return len(payload.encode("utf-8"))
    if tag == "B":
        return len(base64.b64decode(payload))
    if tag == "N":
        return reference_number_size(payload)
    if tag in ("BOOL", "NULL"):
        return 1
    if tag == "SS":
        return sum(len(element.encode("utf-8")) for element in payload)
    if tag == "NS":
        return sum(reference_number_size(element) for element in payload)
    if tag == "BS":
        return sum(len(base64.b64decode(element)) for element in payload)
    if tag == "L":
        return 3 + sum(1 + reference_size(element) for element in payload)
    assert tag == "M"
    return 3 + sum(
        1 + len(name.encode("utf-8")) + reference_size(element) for name, element in payload.items()
    )


def reference_number_size(text: str) -> int:
    """dynalite's rule: 1 + ceil(digits / 2), + 1 when both the digit count and the
    exponent are even (the pairs are aligned on the decimal point), + 1 if negative."""
    number = Decimal(text)
    if not number:
        return 1
    with localcontext() as context:
        context.prec = 100  # normalize() rounds to the context's precision
        _sign, digits, _exponent = number.normalize().as_tuple()
    count = len(digits)
    even_both = count % 2 == 0 and number.adjusted() % 2 == 0
    return 1 + -(-count // 2) + (1 if even_both else 0) + (1 if number < 0 else 0)


def storable(number: Any) -> bool:
    """Whether DynamoDB can hold the number (at most 38 significant digits, in range)."""
    try:
        dynamizer.encode(number)
    except DynamoDBNumberError:
        return False
    return True


numbers = st.one_of(
    st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e100, max_value=1e100).filter(
        lambda number: number == 0 or abs(number) > 1e-100
    ),
    st.builds(
        lambda digits, exponent: Decimal(f"{digits}E{exponent}"),
        st.integers(1, 10**20),
        st.integers(-100, 100),
    ),
).filter(storable)
names = st.text(min_size=1, max_size=5)
#: boto 2's "no attribute" values, which a new item leaves out.
empty_values: st.SearchStrategy[Any] = st.sampled_from([None, "", set(), frozenset()])
values = st.recursive(
    st.one_of(
        st.text(max_size=8),
        numbers,
        st.binary(max_size=8),
        st.booleans(),
        st.none(),
        st.sets(st.text(max_size=4), min_size=1, max_size=3),
        st.sets(st.binary(min_size=1, max_size=4), min_size=1, max_size=3),
        st.sets(
            st.integers(-(10**6), 10**6) | st.decimals(places=2, min_value=-100, max_value=100),
            min_size=1,
            max_size=3,
        ),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(names, children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(numbers)
def test_number_size_matches_the_reference_for_every_way_numbers_are_written(
    number: Any,
) -> None:
    text = dynamizer.encode(number)["N"]

    assert attribute_value_size({"N": text}) == reference_number_size(text)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(names, values, min_size=1, max_size=5))
def test_item_size_matches_the_reference(item: dict[str, Any]) -> None:
    wire = dynamizer.encode_item(item)

    expected = sum(len(name.encode()) + reference_size(value) for name, value in wire.items())
    assert item_size(wire) == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(names, values, min_size=1, max_size=5))
def test_the_size_bound_never_undercounts(item: dict[str, Any]) -> None:
    # check_item_size counts exactly only items whose bound passes 400 KB: the bound
    # must never be less than the size.
    wire = dynamizer.encode_item(item)

    assert item_size_bound(wire) >= item_size(wire)
    for name, value in wire.items():
        assert value_size_bound(value) >= attribute_value_size(value), name


@pytest.mark.parametrize("dynamizer_class", [Dynamizer, NonBooleanDynamizer])
@settings(max_examples=200, deadline=None)
@given(item=st.dictionaries(names, values | empty_values, min_size=1, max_size=6))
def test_an_item_is_encoded_and_sized_in_one_pass(
    dynamizer_class: type[Dynamizer], item: dict[str, Any]
) -> None:
    chosen = dynamizer_class()
    for drop_empty in (False, True):
        kept = {name: value for name, value in item.items() if is_storable(value)}
        try:
            expected = chosen.encode_item(kept if drop_empty else item)
        except ParameterValidationError as error:  # an empty set kept, a lone surrogate
            with pytest.raises(type(error)):
                _encode_item_bounded(chosen, item, drop_empty=drop_empty)
            continue

        encoded, bound = _encode_item_bounded(chosen, item, drop_empty=drop_empty)

        assert encoded == expected
        assert bound >= item_size_bound(encoded) >= item_size(encoded)


def test_a_batch_encodes_each_item_once_and_the_body_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sizing an item does not encode it again (as JSON or otherwise): one dumps per request.
    dumped: list[Any] = []
    real_dumps = _json.dumps

    def counting_dumps(body: Any) -> bytes:
        dumped.append(body)
        return real_dumps(body)

    monkeypatch.setattr(_json, "dumps", counting_dumps)
    connection = Connection(
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        transport=lambda request: HttpResponse(200, {}, b'{"UnprocessedItems":{}}'),
    )
    table = Table("sizes", schema=[HashKey("id")], connection=connection)

    with table.batch_write() as batch:
        for number in range(30):
            batch.put_item({"id": str(number), "doc": {"n": number, "tags": {"a", "b"}}})

    assert [len(body["RequestItems"]["sizes"]) for body in dumped] == [25, 5]


def test_binary_size_is_the_raw_length_for_every_padding() -> None:
    for length in range(10):
        encoded = base64.b64encode(b"\x07" * length).decode()
        assert binary_size(encoded) == length


# --------------------------------------------------------------------------- the boundary

SHAPES: Final[dict[str, dict[str, Any]]] = {
    "strings": {"id": "a"},
    "numbers": {"id": "a", "ns": {12345678901234567890, -5, 1.5, 100}, "n": Decimal("-0.000123")},
    "documents": {
        "id": "a",
        "doc": {
            "list": [1, "x", None, True, {"blob": b"\x00\x01\x02"}],
            "map": {"d": "e", "empty": [], "nothing": {}, "n": Decimal("-12.5E10")},
        },
        "blobs": {b"\x01", b"\x02\x03"},
    },
}


def of_size(shape: dict[str, Any], size: int) -> dict[str, Any]:
    """``shape`` with a ``body`` string that makes it ``size`` bytes as DynamoDB counts."""
    item = {**shape, "body": "x"}
    item["body"] = "x" * (size - item_size(dynamizer.encode_item(item)) + 1)
    assert item_size(dynamizer.encode_item(item)) == size
    return item


@pytest.mark.parametrize("shape", list(SHAPES))
def test_an_item_one_byte_over_400_kb_is_refused_before_sending_and_dynamodb_agrees(
    backend: Backend, shape: str
) -> None:
    connection, recorder = recorded_connection(backend)
    with connection:
        table = create_table(connection, "sizes", [HashKey("id")])
        table.use_boolean()
        recorder.clear()

        with pytest.raises(ParameterValidationError, match="409601 bytes"):
            table.put_item(of_size(SHAPES[shape], MAX_ITEM_BYTES + 1), overwrite=True)
        batch = table.batch_write()
        with pytest.raises(ParameterValidationError, match="409601 bytes"):
            batch.put_item(of_size(SHAPES[shape], MAX_ITEM_BYTES + 1))
        assert batch.unsent_requests == []
        assert recorder.requests == []

        if backend.name != "dynalite":
            pytest.skip(
                "moto counts item sizes its own way and refuses some items DynamoDB "
                "stores; dynalite counts like DynamoDB"
            )
        # The same item sent raw (layer1 does not check sizes) is refused by DynamoDB...
        raw = Table("sizes", schema=[HashKey("id")], connection=connection)
        raw.use_boolean()
        too_big = raw.dynamizer.encode_item(of_size(SHAPES[shape], MAX_ITEM_BYTES + 1))
        with pytest.raises(ValidationException, match="Item size"):
            DynamoDBConnection(connection=connection).put_item("sizes", too_big)
        # ... and one byte less is stored.
        assert table.put_item(of_size(SHAPES[shape], MAX_ITEM_BYTES), overwrite=True)
        assert len(table.get_item(id="a", consistent=True)["body"]) > 400_000
