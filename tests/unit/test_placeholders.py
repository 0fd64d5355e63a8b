"""The placeholder allocator and document path parsing."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2._placeholders import Placeholders, parse_path
from dynamodb2.exceptions import DynamoDBNumberError, ParameterValidationError
from dynamodb2.types import Dynamizer, NonBooleanDynamizer


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("name", ["name"]),
        ("profile.email", ["profile", "email"]),
        ("emails[0]", ["emails", 0]),
        ("matrix[1][12]", ["matrix", 1, 12]),
        ("a.b[2].c", ["a", "b", 2, "c"]),
        ("first-name", ["first-name"]),
        ("with space", ["with space"]),
        ("žluťoučký", ["žluťoučký"]),
    ],
)
def test_parse_path_splits_names_and_indexes(path: str, parts: list[str | int]) -> None:
    assert parse_path(path) == parts


@pytest.mark.parametrize(
    "path",
    ["", ".a", "a.", "a..b", "[0]", "a]", "a[", "a[x]", "a[-1]", "a[0]b", "a[0].[1]", "a.[0]"],
)
def test_parse_path_refuses_malformed_paths(path: str) -> None:
    with pytest.raises(ParameterValidationError, match="path"):
        parse_path(path)


def test_parse_path_refuses_a_non_string() -> None:
    with pytest.raises(ParameterValidationError, match="non-empty string"):
        parse_path(5)  # type: ignore[arg-type]


def test_the_same_name_gets_the_same_placeholder() -> None:
    placeholders = Placeholders(Dynamizer())

    assert placeholders.name("size") == "#n0"
    assert placeholders.name("status") == "#n1"
    assert placeholders.name("size") == "#n0"
    assert placeholders.names == {"#n0": "size", "#n1": "status"}


def test_a_name_with_dots_is_one_attribute() -> None:
    placeholders = Placeholders(Dynamizer())

    assert placeholders.name("profile.email") == "#n0"
    assert placeholders.names == {"#n0": "profile.email"}


def test_names_that_look_like_placeholders_cannot_collide() -> None:
    placeholders = Placeholders(Dynamizer())

    text = f"{placeholders.name(':v0')} = {placeholders.value('#n0')}"

    assert text == "#n0 = :v0"
    assert placeholders.names == {"#n0": ":v0"}
    assert placeholders.values == {":v0": {"S": "#n0"}}


@pytest.mark.parametrize("name", ["", None, 5])
def test_an_empty_or_non_string_name_is_refused(name: Any) -> None:
    with pytest.raises(ParameterValidationError, match="non-empty string"):
        Placeholders(Dynamizer()).name(name)


def test_a_path_string_is_parsed_and_its_names_shared() -> None:
    placeholders = Placeholders(Dynamizer())

    assert placeholders.path("profile.emails[0]") == "#n0.#n1[0]"
    assert placeholders.path("profile.phones[2][1]") == "#n0.#n2[2][1]"
    assert placeholders.names == {"#n0": "profile", "#n1": "emails", "#n2": "phones"}


def test_a_path_sequence_takes_names_literally() -> None:
    placeholders = Placeholders(Dynamizer())

    assert placeholders.path(["a.b", 2, "c[0]"]) == "#n0[2].#n1"
    assert placeholders.names == {"#n0": "a.b", "#n1": "c[0]"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ([], "start with an attribute name"),
        ([0, "a"], "start with an attribute name"),
        (["a", -1], "not negative"),
        (["a", True], "names or indexes"),
        (["a", 1.5], "names or indexes"),
    ],
)
def test_a_bad_path_sequence_is_refused(path: list[Any], message: str) -> None:
    with pytest.raises(ParameterValidationError, match=message):
        Placeholders(Dynamizer()).path(path)


def test_every_value_gets_its_own_placeholder() -> None:
    placeholders = Placeholders(Dynamizer())

    assert [placeholders.value(1), placeholders.value(1), placeholders.value("x")] == [
        ":v0",
        ":v1",
        ":v2",
    ]
    assert placeholders.values == {":v0": {"N": "1"}, ":v1": {"N": "1"}, ":v2": {"S": "x"}}


def test_values_are_encoded_by_the_dynamizer() -> None:
    with_bool = Placeholders(Dynamizer())
    without_bool = Placeholders(NonBooleanDynamizer())

    with_bool.value(True)
    without_bool.value(True)

    assert with_bool.values == {":v0": {"BOOL": True}}
    assert without_bool.values == {":v0": {"N": "1"}}


def test_a_value_error_names_the_attribute() -> None:
    with pytest.raises(DynamoDBNumberError) as raised:
        Placeholders(Dynamizer()).value(float("inf"), attribute="score")

    assert raised.value.attribute == "score"


def test_a_wire_value_is_used_as_given() -> None:
    placeholders = Placeholders(Dynamizer())

    assert placeholders.wire_value({"SS": ["a"]}) == ":v0"
    assert placeholders.values == {":v0": {"SS": ["a"]}}


def test_add_to_puts_only_what_was_allocated_into_the_body() -> None:
    empty = Placeholders(Dynamizer())
    assert empty.add_to({"TableName": "users"}) == {"TableName": "users"}

    only_names = Placeholders(Dynamizer())
    only_names.name("a")
    assert only_names.add_to({}) == {"ExpressionAttributeNames": {"#n0": "a"}}

    both = Placeholders(Dynamizer())
    both.name("a")
    both.value(1)
    body: dict[str, Any] = {"TableName": "users"}
    assert both.add_to(body) is body
    assert body == {
        "TableName": "users",
        "ExpressionAttributeNames": {"#n0": "a"},
        "ExpressionAttributeValues": {":v0": {"N": "1"}},
    }
