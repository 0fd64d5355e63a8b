"""JSON Lines formats of the command line: exact numbers, binary, sets, and bad lines."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb2.cli.formats import (
    LineError,
    detect_format,
    format_dynamodb,
    format_plain,
    parse_dynamodb,
    parse_plain,
)
from dynamodb2.exceptions import ParameterValidationError


def test_plain_json_numbers_are_read_exactly_never_as_floats() -> None:
    item = parse_plain(
        '{"big": 12345678901234567890123456789012345678, "price": 0.10, '
        '"tiny": 1.000000000000000000000000000000000001, "sci": 1e-130}'
    )

    assert item["big"] == 12345678901234567890123456789012345678
    assert item["price"] == Decimal("0.10")
    assert str(item["price"]) == "0.10"
    assert item["tiny"] == Decimal("1.000000000000000000000000000000000001")
    assert item["sci"] == Decimal("1E-130")
    assert not any(isinstance(value, float) for value in item.values())


def test_plain_json_numbers_are_written_as_their_exact_decimal_text() -> None:
    line = format_plain(
        {"big": Decimal("12345678901234567890123456789012345678"), "d": Decimal("0.1")}
    )

    assert line == '{"big":12345678901234567890123456789012345678,"d":0.1}'
    assert json.loads(line, parse_float=Decimal)["d"] == Decimal("0.1")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_plain_json_refuses_nan_and_infinity(constant: str) -> None:
    with pytest.raises(LineError, match="not a number DynamoDB can store"):
        parse_plain(f'{{"id": "a", "n": {constant}}}')


def test_binary_in_plain_json_is_a_dollar_binary_object_both_ways() -> None:
    item = parse_plain('{"id": "a", "raw": {"$binary": "AAH/"}, "m": {"inner": {"$binary": ""}}}')

    assert item["raw"] == b"\x00\x01\xff"
    assert item["m"] == {"inner": b""}
    assert format_plain({"raw": b"\x00\x01\xff"}) == '{"raw":{"$binary":"AAH/"}}'


def test_bad_base64_in_plain_json_names_the_attribute() -> None:
    with pytest.raises(LineError, match=r"m\.raw: not valid base64"):
        parse_plain('{"m": {"raw": {"$binary": "not base64!"}}}')


def test_sets_are_written_to_plain_json_as_sorted_lists() -> None:
    line = format_plain({"s": {"b", "a", "c"}, "n": {Decimal(10), Decimal(2), Decimal("-1.5")}})

    assert line == '{"s":["a","b","c"],"n":[-1.5,2,10]}'


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not valid JSON"),
        ('{"id": "a"', "not valid JSON"),
        ("[1, 2]", "expected a JSON object, got an array"),
        ('"text"', "expected a JSON object, got a string"),
        ("42", "expected a JSON object, got a number"),
        ("null", "expected a JSON object, got null"),
    ],
)
def test_lines_that_are_not_json_objects_are_refused_with_the_reason(
    line: str, problem: str
) -> None:
    with pytest.raises(LineError, match=problem):
        parse_plain(line)


def test_dynamodb_json_keeps_every_type() -> None:
    line = (
        '{"s": {"S": "x"}, "n": {"N": "1.50"}, "b": {"B": "AAE="}, "t": {"BOOL": true}, '
        '"z": {"NULL": true}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, '
        '"bs": {"BS": ["AA=="]}, "m": {"M": {"l": {"L": [{"N": "7"}, {"S": "y"}]}}}}'
    )

    item = parse_dynamodb(line)

    assert item == {
        "s": "x",
        "n": Decimal("1.50"),
        "b": b"\x00\x01",
        "t": True,
        "z": None,
        "ss": {"a", "b"},
        "ns": {Decimal(1), Decimal("2.5")},
        "bs": {b"\x00"},
        "m": {"l": [Decimal(7), "y"]},
    }
    assert str(item["n"]) == "1.50"


def test_dynamodb_json_accepts_the_item_wrapper_of_dynamodb_exports() -> None:
    assert parse_dynamodb('{"Item": {"id": {"S": "a"}}}') == {"id": "a"}


def test_an_attribute_named_item_is_not_mistaken_for_the_export_wrapper() -> None:
    assert parse_dynamodb('{"Item": {"S": "a"}}') == {"Item": "a"}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "a"}', 'id: expected an attribute value such as {"S": "text"}'),
        ('{"id": {"X": "a"}}', "id: expected an attribute value"),
        ('{"id": {"S": "a", "N": "1"}}', "id: expected an attribute value"),
        ('{"n": {"N": 5}}', "n: N holds 5"),
        ('{"n": {"N": "five"}}', "n: 'five' is not a number"),
        ('{"m": {"M": {"x": {"L": [{"BOOL": "yes"}]}}}}', r"m\.x\[0\]: BOOL holds"),
        ('{"ss": {"SS": ["a", 1]}}', "ss: SS holds"),
        ('{"z": {"NULL": false}}', "z: NULL holds false"),
    ],
)
def test_malformed_dynamodb_json_is_refused_with_the_attribute_path(
    line: str, problem: str
) -> None:
    with pytest.raises(LineError, match=problem):
        parse_dynamodb(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": {"S": "a"}, "n": {"N": "1"}}', "dynamodb"),
        ('{"Item": {"id": {"S": "a"}}}', "dynamodb"),
        ('{"id": "a", "n": 1}', "json"),
        ('{"id": {"S": "a"}, "n": 1}', "json"),
        ("{}", "json"),
        ("not json", None),
        ("[1]", None),
    ],
)
def test_format_is_detected_from_a_line(line: str, expected: str | None) -> None:
    assert detect_format(line) == expected


def test_dynamodb_json_output_sorts_set_members_so_dumps_are_stable() -> None:
    item = {"ss": {"c", "a", "b"}, "ns": {Decimal(10), Decimal(9)}, "bs": {b"\x02", b"\x01"}}

    assert format_dynamodb(item) == (
        '{"ss":{"SS":["a","b","c"]},"ns":{"NS":["9","10"]},"bs":{"BS":["AQ==","Ag=="]}}'
    )


# Values DynamoDB stores, as they come back from it (Decimal numbers, sets, bytes).
_numbers = (
    st.decimals(allow_nan=False, allow_infinity=False, places=None)
    .filter(lambda number: number == 0 or -130 <= number.adjusted() <= 125)
    .filter(lambda number: len(number.as_tuple().digits) <= 38)
)
_scalars = st.one_of(
    st.text(),
    _numbers,
    st.binary(),
    st.booleans(),
    st.none(),
    st.frozensets(st.text(), min_size=1).map(set),
    st.frozensets(st.binary(), min_size=1).map(set),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        # A map whose one key is "$binary" reads back as binary in plain JSON (documented).
        st.dictionaries(st.text().filter(lambda name: name != "$binary"), inner, max_size=4),
    ),
    max_leaves=12,
)
_items = st.dictionaries(st.text(min_size=1), _values, max_size=6)


@given(_items)
def test_every_item_survives_dynamodb_json_unchanged(item: dict[str, Any]) -> None:
    assert parse_dynamodb(format_dynamodb(item)) == item


@given(_items)
def test_plain_json_keeps_everything_but_sets_which_become_lists(item: dict[str, Any]) -> None:
    back = parse_plain(format_plain(item))

    assert back == _sets_as_sorted_lists(item)


def _sets_as_sorted_lists(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, dict):
        return {name: _sets_as_sorted_lists(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_sets_as_sorted_lists(inner) for inner in value]
    return value


# Text holding lone surrogates, as DynamoDB hands back what boto3 stored: never a high
# surrogate followed by a low one (JSON reads their escapes back as one character).
_surrogates = st.characters(categories=["Cs"])
_text_with_lone_surrogates = st.text(st.one_of(st.characters(), _surrogates)).filter(
    lambda text: not re.search("[\ud800-\udbff][\udc00-\udfff]", text)
)


@pytest.mark.parametrize("writer", [format_plain, format_dynamodb])
def test_lone_surrogates_are_written_as_json_escapes_and_read_back(writer: Any) -> None:
    item = {"id": "k\ud800", "name\udc00": ["v\udfff é", {"m\udbff": "x"}]}

    line = writer(item)

    # Written as boto3 writes them: a file of such lines is UTF-8 (here, ASCII).
    assert "\\ud800" in line
    assert "\\udc00" in line
    line.encode("utf-8")
    parse = parse_dynamodb if writer is format_dynamodb else parse_plain
    assert parse(line) == item


@pytest.mark.parametrize("writer", [format_plain, format_dynamodb])
def test_a_surrogate_pair_held_as_two_code_points_is_refused(writer: Any) -> None:
    with pytest.raises(ParameterValidationError, match="surrogate pair"):
        writer({"id": "a\ud83d\ude00"})


@given(st.dictionaries(_text_with_lone_surrogates, _text_with_lone_surrogates, min_size=1))
def test_text_with_lone_surrogates_survives_both_formats(item: dict[str, str]) -> None:
    assert parse_plain(format_plain(item)) == item
    assert parse_dynamodb(format_dynamodb(item)) == item
    format_plain(item).encode("utf-8")
    format_dynamodb(item).encode("utf-8")
