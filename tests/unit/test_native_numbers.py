"""Table.use_native_numbers: int and float instead of Decimal, never a changed value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.types import (
    Dynamizer,
    NativeNumberDynamizer,
    NonBooleanDynamizer,
    NonBooleanNativeNumberDynamizer,
)
from tests.support.backends import Backend
from tests.support.fakes import refuse_everything, scripted_connection


def significant_digits(number: Decimal) -> int:
    return len("".join(map(str, number.as_tuple().digits)).strip("0"))


dynamodb_numbers = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda d: d == 0 or (-130 <= d.adjusted() <= 125 and significant_digits(d) <= 38)
)


# ---------------------------------------------------------------------- unit: decoding


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("-12", -12),
        ("0", 0),
        ("1.0", 1),  # integral, whatever the notation
        ("1E+3", 1000),
        ("12345678901234567890123456789012345678", 12345678901234567890123456789012345678),
        ("1E+125", 10**125),
        ("2.5", 2.5),
        ("0.1", 0.1),
        ("-3.25", -3.25),
        ("1.5E-130", 1.5e-130),
    ],
)
def test_native_numbers_are_int_when_integral_and_float_when_exact(
    text: str, expected: float
) -> None:
    decoded = NativeNumberDynamizer().decode({"N": text})

    assert decoded == expected
    assert type(decoded) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "0.1000000000000000000001",  # more digits than a float holds
        "3.14159265358979323846264338327950288",
        "123456789012345678901234567890.5",  # integral part too big for float precision
        "9.99999999999999999999999999999999999E-100",
    ],
)
def test_numbers_no_float_holds_exactly_stay_decimal(text: str) -> None:
    decoded = NativeNumberDynamizer().decode({"N": text})

    assert type(decoded) is Decimal
    assert decoded == Decimal(text)


@given(dynamodb_numbers)
def test_a_native_number_written_back_is_the_same_number(number: Decimal) -> None:
    dynamizer = NativeNumberDynamizer()
    wire = Dynamizer().encode(number)

    native = dynamizer.decode(wire)
    again = dynamizer.encode(native)

    assert Decimal(again["N"]) == number
    assert type(native) in (int, float, Decimal)
    if type(native) is float:
        assert Decimal(repr(native)) == number


def test_number_sets_and_nested_numbers_are_native_too() -> None:
    decoded = NativeNumberDynamizer().decode_item(
        {
            "ns": {"NS": ["1", "2.5"]},
            "doc": {"M": {"n": {"N": "3"}, "l": {"L": [{"N": "0.5"}, {"N": "4"}]}}},
        }
    )

    assert decoded == {"ns": {1, 2.5}, "doc": {"n": 3, "l": [0.5, 4]}}
    assert type(decoded["doc"]["n"]) is int


# ---------------------------------------------------------------------- unit: the switch


def table_offline() -> Table:
    connection, _transport = scripted_connection(refuse_everything)
    return Table("scores", schema=[HashKey("player")], connection=connection)


def test_the_default_is_boto2s_decimal_and_non_boolean() -> None:
    assert type(table_offline().dynamizer) is NonBooleanDynamizer


@pytest.mark.parametrize("order", ["numbers-then-boolean", "boolean-then-numbers"])
def test_use_native_numbers_and_use_boolean_compose_in_either_order(order: str) -> None:
    table = table_offline()
    if order == "numbers-then-boolean":
        table.use_native_numbers()
        table.use_boolean()
    else:
        table.use_boolean()
        table.use_native_numbers()

    assert type(table.dynamizer) is NativeNumberDynamizer
    assert table.dynamizer.encode(True) == {"BOOL": True}
    assert table.dynamizer.decode({"N": "5"}) == 5


def test_use_native_numbers_alone_keeps_boto2_booleans() -> None:
    table = table_offline()

    table.use_native_numbers()

    assert type(table.dynamizer) is NonBooleanNativeNumberDynamizer
    assert table.dynamizer.encode(True) == {"N": "1"}


def test_switching_twice_changes_nothing_more() -> None:
    table = table_offline()
    table.use_boolean()
    table.use_native_numbers()

    table.use_native_numbers()
    table.use_boolean()

    assert type(table.dynamizer) is NativeNumberDynamizer


# ---------------------------------------------------------------------- integration

NUMBERS: dict[str, Decimal] = {
    "count": Decimal("42"),
    "price": Decimal("19.99"),
    "ratio": Decimal("0.1"),
    "precise": Decimal("0.1000000000000000000001"),
    "big": Decimal("12345678901234567890123456789012345678"),
    "tiny": Decimal("1.5E-130"),
}


def create_scores(backend: Backend) -> Table:
    table = Table.create(
        "scores",
        schema=[HashKey("player"), RangeKey("round", data_type="N")],
        connection=backend.connect(),
    )
    table.wait_until_active(timeout=30)
    table.put_item({"player": "ann", "round": 1, **NUMBERS, "ns": {1, Decimal("2.5")}})
    return table


def raw_item(backend: Backend) -> dict[str, Any]:
    layer1: DynamoDBConnection = backend.layer1()
    key = {"player": {"S": "ann"}, "round": {"N": "1"}}
    item: dict[str, Any] = layer1.get_item("scores", key, consistent_read=True)["Item"]
    return item


def test_native_numbers_read_from_every_backend(backend: Backend) -> None:
    create_scores(backend)
    table = Table("scores", connection=backend.connect())
    table.use_native_numbers()

    item = table.get_item(player="ann", round=1)

    assert item["round"] == 1
    assert type(item["round"]) is int
    assert type(item["count"]) is int
    assert item["count"] == 42
    assert type(item["price"]) is float
    assert item["price"] == 19.99
    assert type(item["ratio"]) is float
    assert type(item["precise"]) is Decimal
    assert item["precise"] == NUMBERS["precise"]
    assert type(item["big"]) is int
    assert item["big"] == int(NUMBERS["big"])
    assert item["tiny"] == 1.5e-130
    assert item["ns"] == {1, 2.5}


def test_saving_native_numbers_back_changes_no_stored_number(backend: Backend) -> None:
    create_scores(backend)
    before = raw_item(backend)
    table = Table("scores", connection=backend.connect())
    table.use_native_numbers()

    item = table.get_item(player="ann", round=1, consistent=True)
    item["note"] = "touched"
    assert item.save(overwrite=True)

    after = raw_item(backend)
    for name in [*NUMBERS, "round"]:
        assert Decimal(after[name]["N"]) == Decimal(before[name]["N"]), name
    assert {Decimal(n) for n in after["ns"]["NS"]} == {Decimal(1), Decimal("2.5")}


def test_native_numbers_work_in_keys_and_key_conditions(backend: Backend) -> None:
    table = create_scores(backend)
    table.use_native_numbers()
    for round_number in (2, 3, 4):
        table.put_item({"player": "ann", "round": round_number, "score": round_number * 1.5})

    rounds = [
        (item["round"], item["score"])
        for item in table.query_2(player__eq="ann", round__gte=2, consistent=True)
    ]

    assert rounds == [(2, 3.0), (3, 4.5), (4, 6.0)]
    assert [type(r) for r, _ in rounds] == [int, int, int]
    # 3.0 is integral: it comes back as an int (equal to the float).
    assert [type(s) for _, s in rounds] == [int, float, int]


def test_native_numbers_with_use_boolean_store_and_read_booleans(backend: Backend) -> None:
    table = create_scores(backend)
    table.use_native_numbers()
    table.use_boolean()

    table.put_item({"player": "bob", "round": 1, "won": True, "score": 7})
    item = table.get_item(player="bob", round=1, consistent=True)

    assert item["won"] is True
    assert type(item["score"]) is int
    layer1 = backend.layer1()
    raw = layer1.get_item("scores", {"player": {"S": "bob"}, "round": {"N": "1"}})["Item"]
    assert raw["won"] == {"BOOL": True}
