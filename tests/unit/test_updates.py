"""The update compiler writes exact UpdateExpressions and refuses what DynamoDB would."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamodb2 import transaction
from dynamodb2._limits import MAX_ITEM_BYTES
from dynamodb2._placeholders import Placeholders
from dynamodb2._updates import Update
from dynamodb2.conditions import Attr
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.table import Table
from dynamodb2.types import Dynamizer
from tests.support.fakes import ScriptedTransport, json_response, quiet_connection


def update(**actions: Any) -> tuple[str, Placeholders]:
    placeholders = Placeholders(Dynamizer())
    built = Update.of(**actions)
    built.check_paths(("id",), None)
    return built.compile(placeholders), placeholders


def test_each_action_compiles_to_its_clause() -> None:
    assert update(set={"a": 1})[0] == "SET #n0 = :v0"
    assert update(add={"a": 1})[0] == "ADD #n0 :v0"
    assert update(delete={"a": {"x"}})[0] == "DELETE #n0 :v0"
    assert update(remove=["a", "b.c"])[0] == "REMOVE #n0, #n1.#n2"
    assert update(set_if_not_exists={"a": 1})[0] == "SET #n0 = if_not_exists(#n0, :v0)"
    assert update(append={"a": [1]})[0] == ("SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)")
    assert update(prepend={"a": [1]})[0] == ("SET #n0 = list_append(:v1, if_not_exists(#n0, :v0))")


def test_all_actions_make_one_expression_in_clause_order() -> None:
    text, placeholders = update(
        delete={"tags": {"old"}},
        add={"visits": 1},
        remove=["temp"],
        set={"profile.city": "Oslo"},
        append={"log": ["x"]},
        prepend={"recent": ["y"]},
        set_if_not_exists={"created": 5},
    )
    assert text == (
        "SET #n0.#n1 = :v0, #n2 = if_not_exists(#n2, :v1), "
        "#n3 = list_append(if_not_exists(#n3, :v2), :v3), "
        "#n4 = list_append(:v4, if_not_exists(#n4, :v2)) "
        "REMOVE #n5 ADD #n6 :v5 DELETE #n7 :v6"
    )
    assert placeholders.names == {
        "#n0": "profile",
        "#n1": "city",
        "#n2": "created",
        "#n3": "log",
        "#n4": "recent",
        "#n5": "temp",
        "#n6": "visits",
        "#n7": "tags",
    }
    assert placeholders.values == {
        ":v0": {"S": "Oslo"},
        ":v1": {"N": "5"},
        ":v2": {"L": []},
        ":v3": {"L": [{"S": "x"}]},
        ":v4": {"L": [{"S": "y"}]},
        ":v5": {"N": "1"},
        ":v6": {"SS": ["old"]},
    }


def test_paths_may_be_tuples_of_literal_parts_or_attrs() -> None:
    text, placeholders = update(set={("a.b", 0): 1, Attr("c.d"): 2})
    assert text == "SET #n0[0] = :v0, #n1.#n2 = :v1"
    assert placeholders.names == {"#n0": "a.b", "#n1": "c", "#n2": "d"}


def test_an_empty_update_is_refused() -> None:
    with pytest.raises(ParameterValidationError, match="at least one action"):
        update()
    with pytest.raises(ParameterValidationError, match="at least one action"):
        update(set={}, remove=[])


def test_the_same_path_in_two_actions_is_refused() -> None:
    with pytest.raises(ParameterValidationError, match="'a' is used by both set and remove"):
        update(set={"a": 1}, remove=["a"])
    with pytest.raises(ParameterValidationError, match="used by both set and set"):
        update(set={"a.b": 1, ("a", "b"): 2})


@pytest.mark.parametrize(
    "actions",
    [
        {"set": {"a": 1}, "remove": ["a.b"]},
        {"set": {"a.b": 1, "a": {}}},
        {"add": {"n": 1}, "set": {"n[0]": 1}},
    ],
)
def test_overlapping_paths_are_refused(actions: dict[str, Any]) -> None:
    with pytest.raises(ParameterValidationError, match="overlap"):
        update(**actions)


def test_sibling_paths_do_not_overlap() -> None:
    assert update(set={"a.b": 1, "a.c": 2, "l[0]": 1, "l[1]": 2})[0].startswith("SET")


def test_key_attributes_cannot_be_updated() -> None:
    with pytest.raises(ParameterValidationError, match="cannot change key attribute 'id'"):
        update(set={"id": "x"})
    with pytest.raises(ParameterValidationError, match="key attribute"):
        update(remove=["id"])


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        ({"set": {"a": None}}, r"remove=\['a'\]"),
        ({"add": {"a": "x"}}, "add takes a number"),
        ({"add": {"a": True}}, "add takes a number"),
        ({"add": {"a": [1]}}, "add takes a number"),
        ({"delete": {"a": 1}}, "delete takes a set"),
        ({"append": {"a": "x"}}, "append takes a list"),
        ({"prepend": {"a": {"x"}}}, "prepend takes a list"),
        ({"remove": "a"}, "remove takes a list of paths"),
        ({"set": ["a"]}, "set takes a mapping"),
        ({"add": {"a": set()}}, "empty set"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(actions: dict[str, Any], message: str) -> None:
    with pytest.raises(ParameterValidationError, match=message):
        update(**actions)


paths = st.lists(
    st.text(alphabet="ab.", min_size=1, max_size=5).filter(
        lambda p: not p.startswith(".") and not p.endswith(".") and ".." not in p
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@settings(max_examples=200, deadline=None)
@given(paths)
def test_accepted_updates_never_hold_overlapping_paths(raw_paths: list[str]) -> None:
    """Whatever set of paths is given, either it is refused or no path prefixes another."""
    split = [tuple(path.split(".")) for path in raw_paths]
    overlapping = any(
        other != parts and other[: len(parts)] == parts for parts in split for other in split
    )
    if overlapping:
        with pytest.raises(ParameterValidationError, match="overlap"):
            update(set=dict.fromkeys(raw_paths, 1))
    else:
        text, _placeholders = update(set=dict.fromkeys(raw_paths, 1))
        assert text.count(" = ") == len(raw_paths)


# --------------------------------------------------------------------------- Table.update_item


def recorded_table(answer: dict[str, Any] | None = None) -> tuple[Table, ScriptedTransport]:
    recorder = ScriptedTransport.answering(lambda _operation, _body: json_response(answer or {}))
    table = Table(
        "events",
        schema=[HashKey("user"), RangeKey("at")],
        connection=quiet_connection(recorder),
    )
    return table, recorder


def test_update_item_sends_one_update_with_condition_sharing_the_placeholders() -> None:
    table, recorder = recorded_table()
    result = table.update_item(
        {"user": "jo", "at": "1"},
        add={"visits": 1},
        condition=Attr("visits").lt(10) & Attr(":v0").not_exists(),
    )
    assert result is None
    (body,) = recorder.bodies("UpdateItem")
    assert body == {
        "TableName": "events",
        "Key": {"user": {"S": "jo"}, "at": {"S": "1"}},
        "UpdateExpression": "ADD #n0 :v0",
        "ConditionExpression": "#n0 < :v1 AND attribute_not_exists(#n1)",
        "ExpressionAttributeNames": {"#n0": "visits", "#n1": ":v0"},
        "ExpressionAttributeValues": {":v0": {"N": "1"}, ":v1": {"N": "10"}},
    }


def test_update_item_returns_the_returned_attributes_as_an_item() -> None:
    table, recorder = recorded_table({"Attributes": {"visits": {"N": "3"}}})
    item = table.update_item(
        {"user": "jo", "at": "1"}, add={"visits": 1}, return_values="UPDATED_NEW"
    )
    assert item is not None
    assert item["visits"] == 3
    assert recorder.bodies("UpdateItem")[0]["ReturnValues"] == "UPDATED_NEW"


def test_update_item_refuses_bad_input_before_sending() -> None:
    table, recorder = recorded_table()
    with pytest.raises(ParameterValidationError, match="return_values must be one of"):
        table.update_item({"user": "jo", "at": "1"}, set={"a": 1}, return_values="ALL")  # type: ignore[arg-type]
    with pytest.raises(ParameterValidationError, match="key attribute 'at'"):
        table.update_item({"user": "jo", "at": "1"}, set={"at": "2"})
    with pytest.raises(ParameterValidationError, match="missing key attribute"):
        table.update_item({"user": "jo"}, set={"a": 1})
    with pytest.raises(ParameterValidationError, match="at least one action"):
        table.update_item({"user": "jo", "at": "1"})
    assert recorder.requests == []


def test_an_update_whose_written_values_pass_400_kb_is_refused_naming_the_largest() -> None:
    table, recorder = recorded_table()
    key = {"user": "jo", "at": "1"}  # 4 + 2 + 2 + 1 = 9 bytes
    half = "x" * (MAX_ITEM_BYTES // 2)

    with pytest.raises(ParameterValidationError, match="400 KB") as raised:
        table.update_item(key, set={"a": "x" * MAX_ITEM_BYTES})
    assert raised.value.attribute == "a"
    with pytest.raises(ParameterValidationError, match="400 KB") as raised:
        table.update_item(key, set={"a": half}, append={"log": [half + "y"]})
    assert raised.value.attribute == "log"
    with pytest.raises(ParameterValidationError), transaction(table.connection) as tx:
        tx.update(table, key, prepend={"log": [half, half]})
    assert recorder.requests == []


def test_an_update_that_may_fit_is_sent() -> None:
    table, recorder = recorded_table()
    key = {"user": "jo", "at": "1"}
    # Values alone (with the key) just fit; if_not_exists and ADD may keep less.
    table.update_item(
        key,
        set={"a": "x" * (MAX_ITEM_BYTES - 10)},
        set_if_not_exists={"b": "y" * MAX_ITEM_BYTES},
        add={"n": 1},
    )
    assert len(recorder.bodies("UpdateItem")) == 1
