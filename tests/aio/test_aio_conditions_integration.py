"""Built conditions in filters, key conditions and write conditions, on every backend,
through dynamodb2.aio: the port of tests/test_conditions_integration.py."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2.aio import AsyncConnection, AsyncItem, AsyncResultSet, AsyncTable
from dynamodb2.conditions import Attr, Key
from dynamodb2.exceptions import ConditionalCheckFailedException, ItemNotFound, QueryError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.types import NUMBER
from tests.aio.support import create_async_table

pytestmark = pytest.mark.anyio

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
async def people(aconn: AsyncConnection) -> AsyncTable:
    table = await create_async_table(aconn, "people", [HashKey("username")])
    async with table.batch_write() as batch:
        for person in PEOPLE:
            await batch.put_item(data=person)
    return table


@pytest.fixture
async def events(aconn: AsyncConnection) -> AsyncTable:
    table = await create_async_table(
        aconn, "events", [HashKey("user"), RangeKey("at", data_type=NUMBER)]
    )
    async with table.batch_write() as batch:
        for user in ("ada", "alan"):
            for at in range(1, 6):
                await batch.put_item(
                    data={"user": user, "at": at, "kind": "login" if at % 2 else "post"}
                )
    return table


async def names(results: AsyncResultSet[AsyncItem]) -> list[str]:
    return sorted([item["username"] async for item in results])


async def test_filter_on_nested_path_with_list_index(people: AsyncTable) -> None:
    assert await names(people.scan(filter=Attr("profile.emails[1]").eq("turing@example.com"))) == [
        "alan"
    ]


async def test_filter_on_a_map_key_containing_a_dot(people: AsyncTable) -> None:
    found = people.scan(filter=Attr(["profile", "first.last"]).begins_with("Ada"))
    assert await names(found) == ["ada"]


async def test_and_or_not_keep_their_grouping(people: AsyncTable) -> None:
    # Written without parentheses, the first filter would read as the second one.
    active = Attr("status").eq("active")
    grouped = people.scan(filter=~active & (Attr("city").eq("Manchester") | Attr("age").gt(80)))
    assert await names(grouped) == ["alan"]
    regrouped = people.scan(filter=(~active & Attr("city").eq("Manchester")) | Attr("age").gt(80))
    assert await names(regrouped) == ["alan", "grace"]


async def test_size_filters_by_number_of_set_elements(people: AsyncTable) -> None:
    assert await names(people.scan(filter=Attr("tags").size().gte(2))) == ["ada", "alan"]
    assert await names(people.scan(filter=Attr("profile.emails").size().eq(0))) == ["grace"]


async def test_attribute_type_exists_and_not_exists(people: AsyncTable) -> None:
    assert await names(people.scan(filter=Attr("tags").attribute_type("SS"))) == [
        "ada",
        "alan",
        "grace",
    ]
    assert await names(people.scan(filter=Attr("age").attribute_type("S"))) == []
    assert await names(people.scan(filter=Attr("retired").exists())) == ["grace"]
    assert await names(people.scan(filter=Attr("retired").not_exists())) == ["ada", "alan"]


async def test_is_in_between_contains_and_ne(people: AsyncTable) -> None:
    assert await names(people.scan(filter=Attr("city").is_in(["London", "New York"]))) == [
        "ada",
        "grace",
    ]
    assert await names(people.scan(filter=Attr("age").between(36, 41))) == ["ada", "alan"]
    assert await names(people.scan(filter=Attr("tags").contains("math"))) == ["ada", "alan"]
    assert await names(people.scan(filter=Attr("profile.emails").contains("ada@example.com"))) == [
        "ada"
    ]
    assert await names(people.scan(filter=Attr("status").ne("active"))) == ["alan"]


async def test_reserved_words_as_attribute_names(people: AsyncTable) -> None:
    assert await names(people.scan(filter=Attr("size").gt(2) & Attr("status").eq("active"))) == [
        "ada"
    ]


async def test_comparing_two_attributes(people: AsyncTable) -> None:
    assert await names(people.scan(filter=Attr("size").gt(Attr("tags").size()))) == ["ada", "alan"]


async def test_names_and_values_shaped_like_placeholders_never_collide(
    aconn: AsyncConnection,
) -> None:
    """boto3#4032: a name or value that looks like ``:v0`` / ``#n0`` must stay data."""
    table = await create_async_table(aconn, "tricky", [HashKey("id")])
    await table.put_item(data={"id": "hit", ":v0": ":v0", "#n0": "#n1", "#n1": ":v1"})
    await table.put_item(data={"id": "miss", ":v0": ":v0", "#n0": "#n0", "#n1": ":v1"})
    condition = Attr(":v0").eq(":v0") & Attr("#n0").eq("#n1")
    # Built conditions and boto 2 keywords in the same request share one allocator.
    matching: dict[str, Any] = {"#n1__eq": ":v1"}
    not_matching: dict[str, Any] = {"#n1__eq": ":v0"}
    assert [item["id"] async for item in table.scan(filter=condition, **matching)] == ["hit"]
    assert [item["id"] async for item in table.scan(filter=condition, **not_matching)] == []
    # ... and in a write condition with boto 2's expected= beside it.
    assert (
        await table.delete_item(expected={"#n1__eq": ":v0"}, condition=condition, id="hit") is False
    )
    assert (
        await table.delete_item(expected={"#n1__eq": ":v1"}, condition=condition, id="hit") is True
    )
    with pytest.raises(ItemNotFound):
        await table.lookup("hit")


async def test_query_with_key_condition_and_filter(events: AsyncTable) -> None:
    found = events.query_2(
        key_condition=Key("user").eq("ada") & Key("at").between(2, 4),
        filter=Attr("kind").eq("post"),
    )
    assert [int(item["at"]) async for item in found] == [2, 4]


async def test_key_condition_beside_boto2_keywords(events: AsyncTable) -> None:
    found = events.query_2(user__eq="alan", key_condition=Key("at").gt(3), reverse=True)
    assert [int(item["at"]) async for item in found] == [5, 4]
    assert await events.query_count(key_condition=Key("user").eq("alan") & Key("at").lte(2)) == 2
    assert (
        await events.query_count(
            user__eq="ada", key_condition=Key("at").gte(2), filter=Attr("kind").eq("login")
        )
        == 2
    )


async def test_gte_and_lte_on_the_sort_key_both_apply(events: AsyncTable) -> None:
    # boto 2 kept one of the two silently; DynamoDB takes one condition: a between.
    found = events.query_2(user__eq="alan", at__gte=2, at__lte=4)
    assert [int(item["at"]) async for item in found] == [2, 3, 4]
    assert await events.query_count(user__eq="alan", at__lte=4, at__gte=3) == 2


async def test_key_condition_mistakes_raise_query_error_before_sending(events: AsyncTable) -> None:
    with pytest.raises(QueryError, match="needs user__eq=value or Key\\('user'\\)"):
        events.query_2(key_condition=Key("at").gt(1))
    with pytest.raises(QueryError, match="one condition on the sort key"):
        events.query_2(user__eq="ada", at__gt=1, key_condition=Key("at").lt(4))
    with pytest.raises(QueryError, match="'kind' is not a key attribute"):
        events.query_2(key_condition=Key("user").eq("ada") & Key("kind").eq("post"))
    with pytest.raises(QueryError, match="only takes __eq"):
        await events.query_count(user__eq="ada", key_condition=Key("user").begins_with("a"))
    with pytest.raises(QueryError, match="key_condition takes conditions built with Key"):
        events.query_2(key_condition=Attr("user").eq("ada"))  # type: ignore[arg-type]


async def test_put_item_condition_refuses_the_write_and_keeps_the_item(people: AsyncTable) -> None:
    with pytest.raises(ConditionalCheckFailedException):
        await people.put_item(
            {"username": "ada", "age": 99}, overwrite=True, condition=Attr("age").gt(50)
        )
    assert (await people.get_item(username="ada"))["age"] == 36
    assert await people.put_item(
        {"username": "ada", "age": 37}, overwrite=True, condition=Attr("age").lt(50)
    )
    assert (await people.get_item(username="ada"))["age"] == 37


async def test_put_item_condition_adds_to_the_no_overwrite_check(people: AsyncTable) -> None:
    assert await people.put_item({"username": "new", "age": 1}, condition=Attr("age").not_exists())
    with pytest.raises(ConditionalCheckFailedException):
        # The item exists: the built-in "not there yet" half fails.
        await people.put_item({"username": "new", "age": 2}, condition=Attr("age").not_exists())


async def test_delete_item_condition_false_returns_false_and_keeps_the_item(
    people: AsyncTable,
) -> None:
    assert (
        await people.delete_item(condition=Attr("status").eq("inactive"), username="ada") is False
    )
    assert await people.lookup("ada") is not None
    assert await people.delete_item(condition=Attr("status").eq("active"), username="ada") is True
    with pytest.raises(ItemNotFound):
        await people.lookup("ada")


async def test_item_save_partial_save_and_delete_honour_conditions(people: AsyncTable) -> None:
    # No map or list attributes: dynalite cannot compare documents with "=", which the
    # compare-and-set save needs (DynamoDB and moto can).
    await people.put_item({"username": "lin", "age": 30, "city": "Oslo", "tags": {"math"}})
    lin = await people.get_item(username="lin")
    lin["age"] = 40
    with pytest.raises(ConditionalCheckFailedException):
        await lin.partial_save(condition=Attr("city").eq("Paris"))
    assert await lin.partial_save(condition=Attr("city").eq("Oslo"))
    lin["city"] = "Paris"
    with pytest.raises(ConditionalCheckFailedException):
        await lin.save(condition=Attr("tags").contains("chess"))
    assert await lin.save(condition=Attr("tags").contains("math"))
    stored = await people.get_item(username="lin")
    assert (stored["age"], stored["city"]) == (40, "Paris")
    assert await stored.delete(condition=Attr("age").lt(18)) is False
    assert await stored.delete(condition=Attr("age").gte(18)) is True
    with pytest.raises(ItemNotFound):
        await people.lookup("lin")
