"""Built conditions in filters, key conditions and write conditions, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2.conditions import Attr, Key
from dynamodb2.exceptions import ConditionalCheckFailedException, ItemNotFound, QueryError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.table import Table
from dynamodb2.types import NUMBER
from tests.support.backends import Backend
from tests.support.feature_support import create_table

PEOPLE = [
    {
        "username": "ada",
        "age": 36,
        "city": "London",
        "tags": {"math", "poetry"},
        "profile": {"emails": ["ada@example.com"], "first.last": "Ada Lovelace"},
        "size": 3,
        "status": "active",
    },
    {
        "username": "alan",
        "age": 41,
        "city": "Manchester",
        "tags": {"math", "running", "chess"},
        "profile": {"emails": ["alan@example.com", "turing@example.com"]},
        "size": 5,
        "status": "inactive",
    },
    {
        "username": "grace",
        "age": 85,
        "city": "New York",
        "tags": {"navy"},
        "profile": {"emails": []},
        "size": 1,
        "status": "active",
        "retired": True,
    },
]


@pytest.fixture
def people(backend: Backend) -> Table:
    table = create_table(backend, "people", [HashKey("username")])
    with table.batch_write() as batch:
        for person in PEOPLE:
            batch.put_item(data=person)
    return table


@pytest.fixture
def events(backend: Backend) -> Table:
    table = create_table(backend, "events", [HashKey("user"), RangeKey("at", data_type=NUMBER)])
    with table.batch_write() as batch:
        for user in ("ada", "alan"):
            for at in range(1, 6):
                batch.put_item(data={"user": user, "at": at, "kind": "login" if at % 2 else "post"})
    return table


def names(results: Any) -> list[str]:
    return sorted(item["username"] for item in results)


def test_filter_on_nested_path_with_list_index(people: Table) -> None:
    assert names(people.scan(filter=Attr("profile.emails[1]").eq("turing@example.com"))) == ["alan"]


def test_filter_on_a_map_key_containing_a_dot(people: Table) -> None:
    found = people.scan(filter=Attr(["profile", "first.last"]).begins_with("Ada"))
    assert names(found) == ["ada"]


def test_and_or_not_keep_their_grouping(people: Table) -> None:
    # Written without parentheses, the first filter would read as the second one.
    active = Attr("status").eq("active")
    grouped = people.scan(filter=~active & (Attr("city").eq("Manchester") | Attr("age").gt(80)))
    assert names(grouped) == ["alan"]
    regrouped = people.scan(filter=(~active & Attr("city").eq("Manchester")) | Attr("age").gt(80))
    assert names(regrouped) == ["alan", "grace"]


def test_size_filters_by_number_of_set_elements(people: Table) -> None:
    assert names(people.scan(filter=Attr("tags").size().gte(2))) == ["ada", "alan"]
    assert names(people.scan(filter=Attr("profile.emails").size().eq(0))) == ["grace"]


def test_attribute_type_exists_and_not_exists(people: Table) -> None:
    assert names(people.scan(filter=Attr("tags").attribute_type("SS"))) == [
        "ada",
        "alan",
        "grace",
    ]
    assert names(people.scan(filter=Attr("age").attribute_type("S"))) == []
    assert names(people.scan(filter=Attr("retired").exists())) == ["grace"]
    assert names(people.scan(filter=Attr("retired").not_exists())) == ["ada", "alan"]


def test_is_in_between_contains_and_ne(people: Table) -> None:
    assert names(people.scan(filter=Attr("city").is_in(["London", "New York"]))) == [
        "ada",
        "grace",
    ]
    assert names(people.scan(filter=Attr("age").between(36, 41))) == ["ada", "alan"]
    assert names(people.scan(filter=Attr("tags").contains("math"))) == ["ada", "alan"]
    assert names(people.scan(filter=Attr("profile.emails").contains("ada@example.com"))) == ["ada"]
    assert names(people.scan(filter=Attr("status").ne("active"))) == ["alan"]


def test_reserved_words_as_attribute_names(people: Table) -> None:
    assert names(people.scan(filter=Attr("size").gt(2) & Attr("status").eq("active"))) == ["ada"]


def test_comparing_two_attributes(people: Table) -> None:
    assert names(people.scan(filter=Attr("size").gt(Attr("tags").size()))) == ["ada", "alan"]


def test_names_and_values_shaped_like_placeholders_never_collide(backend: Backend) -> None:
    """boto3#4032: a name or value that looks like ``:v0`` / ``#n0`` must stay data."""
    table = create_table(backend, "tricky", [HashKey("id")])
    table.put_item(data={"id": "hit", ":v0": ":v0", "#n0": "#n1", "#n1": ":v1"})
    table.put_item(data={"id": "miss", ":v0": ":v0", "#n0": "#n0", "#n1": ":v1"})
    condition = Attr(":v0").eq(":v0") & Attr("#n0").eq("#n1")
    # Built conditions and boto 2 keywords in the same request share one allocator.
    matching: dict[str, Any] = {"#n1__eq": ":v1"}
    not_matching: dict[str, Any] = {"#n1__eq": ":v0"}
    assert [item["id"] for item in table.scan(filter=condition, **matching)] == ["hit"]
    assert [item["id"] for item in table.scan(filter=condition, **not_matching)] == []
    # ... and in a write condition with boto 2's expected= beside it.
    assert table.delete_item(expected={"#n1__eq": ":v0"}, condition=condition, id="hit") is False
    assert table.delete_item(expected={"#n1__eq": ":v1"}, condition=condition, id="hit") is True
    with pytest.raises(ItemNotFound):
        table.lookup("hit")


def test_query_with_key_condition_and_filter(events: Table) -> None:
    found = events.query_2(
        key_condition=Key("user").eq("ada") & Key("at").between(2, 4),
        filter=Attr("kind").eq("post"),
    )
    assert [int(item["at"]) for item in found] == [2, 4]


def test_key_condition_beside_boto2_keywords(events: Table) -> None:
    found = events.query_2(user__eq="alan", key_condition=Key("at").gt(3), reverse=True)
    assert [int(item["at"]) for item in found] == [5, 4]
    assert events.query_count(key_condition=Key("user").eq("alan") & Key("at").lte(2)) == 2
    assert (
        events.query_count(
            user__eq="ada", key_condition=Key("at").gte(2), filter=Attr("kind").eq("login")
        )
        == 2
    )


def test_gte_and_lte_on_the_sort_key_both_apply(events: Table) -> None:
    # boto 2 kept one of the two silently; DynamoDB takes one condition: a between.
    found = events.query_2(user__eq="alan", at__gte=2, at__lte=4)
    assert [int(item["at"]) for item in found] == [2, 3, 4]
    assert events.query_count(user__eq="alan", at__lte=4, at__gte=3) == 2


def test_key_condition_mistakes_raise_query_error_before_sending(events: Table) -> None:
    with pytest.raises(QueryError, match="needs user__eq=value or Key\\('user'\\)"):
        events.query_2(key_condition=Key("at").gt(1))
    with pytest.raises(QueryError, match="one condition on the sort key"):
        events.query_2(user__eq="ada", at__gt=1, key_condition=Key("at").lt(4))
    with pytest.raises(QueryError, match="'kind' is not a key attribute"):
        events.query_2(key_condition=Key("user").eq("ada") & Key("kind").eq("post"))
    with pytest.raises(QueryError, match="only takes __eq"):
        events.query_count(user__eq="ada", key_condition=Key("user").begins_with("a"))
    with pytest.raises(QueryError, match="key_condition takes conditions built with Key"):
        events.query_2(key_condition=Attr("user").eq("ada"))  # type: ignore[arg-type]


def test_put_item_condition_refuses_the_write_and_keeps_the_item(people: Table) -> None:
    with pytest.raises(ConditionalCheckFailedException):
        people.put_item(
            {"username": "ada", "age": 99}, overwrite=True, condition=Attr("age").gt(50)
        )
    assert people.get_item(username="ada")["age"] == 36
    assert people.put_item(
        {"username": "ada", "age": 37}, overwrite=True, condition=Attr("age").lt(50)
    )
    assert people.get_item(username="ada")["age"] == 37


def test_put_item_condition_adds_to_the_no_overwrite_check(people: Table) -> None:
    assert people.put_item({"username": "new", "age": 1}, condition=Attr("age").not_exists())
    with pytest.raises(ConditionalCheckFailedException):
        # The item exists: the built-in "not there yet" half fails.
        people.put_item({"username": "new", "age": 2}, condition=Attr("age").not_exists())


def test_delete_item_condition_false_returns_false_and_keeps_the_item(people: Table) -> None:
    assert people.delete_item(condition=Attr("status").eq("inactive"), username="ada") is False
    assert people.lookup("ada") is not None
    assert people.delete_item(condition=Attr("status").eq("active"), username="ada") is True
    with pytest.raises(ItemNotFound):
        people.lookup("ada")


def test_item_save_partial_save_and_delete_honour_conditions(people: Table) -> None:
    # No map or list attributes: dynalite cannot compare documents with "=", which the
    # compare-and-set save needs (DynamoDB and moto can).
    people.put_item({"username": "lin", "age": 30, "city": "Oslo", "tags": {"math"}})
    lin = people.get_item(username="lin")
    lin["age"] = 40
    with pytest.raises(ConditionalCheckFailedException):
        lin.partial_save(condition=Attr("city").eq("Paris"))
    assert lin.partial_save(condition=Attr("city").eq("Oslo"))
    lin["city"] = "Paris"
    with pytest.raises(ConditionalCheckFailedException):
        lin.save(condition=Attr("tags").contains("chess"))
    assert lin.save(condition=Attr("tags").contains("math"))
    stored = people.get_item(username="lin")
    assert (stored["age"], stored["city"]) == (40, "Paris")
    assert stored.delete(condition=Attr("age").lt(18)) is False
    assert stored.delete(condition=Attr("age").gte(18)) is True
    with pytest.raises(ItemNotFound):
        people.lookup("lin")
