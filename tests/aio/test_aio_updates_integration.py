"""AsyncTable.update_item against every backend, through dynamodb2.aio: what is stored, and
what comes back (the port of tests/test_updates_integration.py)."""

from __future__ import annotations

import pytest

from dynamodb2.aio import AsyncConnection, AsyncTable
from dynamodb2.conditions import Attr
from dynamodb2.exceptions import ConditionalCheckFailedException
from dynamodb2.fields import HashKey
from tests.aio.support import create_async_table

pytestmark = pytest.mark.anyio

KEY = {"username": "ada"}


@pytest.fixture
async def users(aconn: AsyncConnection) -> AsyncTable:
    table = await create_async_table(aconn, "users", [HashKey("username")])
    await table.put_item(
        {
            "username": "ada",
            "visits": 1,
            "tags": {"math", "poetry"},
            "profile": {"city": "London", "emails": ["ada@example.com"]},
            "log": ["created"],
            "temp": "x",
        }
    )
    return table


async def test_update_item_sets_nested_paths_and_counts_atomically(users: AsyncTable) -> None:
    for _ in range(3):
        await users.update_item(KEY, add={"visits": 1}, set={"profile.city": "Paris"})
    stored = await users.get_item(username="ada")
    assert stored["visits"] == 4
    assert stored["profile"] == {"city": "Paris", "emails": ["ada@example.com"]}


async def test_update_item_adds_and_deletes_set_elements(users: AsyncTable) -> None:
    await users.update_item(KEY, add={"tags": {"chess"}})
    await users.update_item(KEY, delete={"tags": {"poetry"}})
    assert (await users.get_item(username="ada"))["tags"] == {"math", "chess"}


async def test_update_item_appends_prepends_and_creates_missing_lists(users: AsyncTable) -> None:
    await users.update_item(
        KEY, append={"log": ["saved"]}, prepend={"profile.emails": ["new@x.org"]}
    )
    await users.update_item(KEY, append={"history": [1, 2]})
    stored = await users.get_item(username="ada")
    assert stored["log"] == ["created", "saved"]
    assert stored["profile"]["emails"] == ["new@x.org", "ada@example.com"]
    assert stored["history"] == [1, 2]


async def test_update_item_set_if_not_exists_keeps_an_existing_value(users: AsyncTable) -> None:
    await users.update_item(KEY, set_if_not_exists={"visits": 100, "joined": 2024})
    stored = await users.get_item(username="ada")
    assert (stored["visits"], stored["joined"]) == (1, 2024)


async def test_update_item_removes_attributes_and_list_elements(users: AsyncTable) -> None:
    await users.update_item(KEY, remove=["temp", "log[0]"])
    stored = await users.get_item(username="ada")
    assert "temp" not in stored
    assert stored["log"] == []


async def test_update_item_creates_the_item_when_absent(users: AsyncTable) -> None:
    assert await users.update_item({"username": "new"}, add={"visits": 1}) is None
    assert (await users.get_item(username="new"))["visits"] == 1


async def test_update_item_return_values(users: AsyncTable) -> None:
    updated_new = await users.update_item(KEY, add={"visits": 1}, return_values="UPDATED_NEW")
    assert updated_new is not None
    assert dict(updated_new.items()) == {"visits": 2}
    updated_old = await users.update_item(KEY, add={"visits": 1}, return_values="UPDATED_OLD")
    assert updated_old is not None
    assert dict(updated_old.items()) == {"visits": 2}
    all_new = await users.update_item(KEY, remove=["temp"], return_values="ALL_NEW")
    assert all_new is not None
    assert all_new["visits"] == 3
    assert "temp" not in all_new
    assert (
        await users.update_item({"username": "new"}, set={"a": 1}, return_values="ALL_OLD") is None
    )


async def test_update_item_condition_failure_changes_nothing(users: AsyncTable) -> None:
    with pytest.raises(ConditionalCheckFailedException):
        await users.update_item(
            KEY,
            add={"visits": 1},
            remove=["temp"],
            condition=Attr("visits").gt(10) | Attr("profile.city").eq("Paris"),
        )
    stored = await users.get_item(username="ada")
    assert (stored["visits"], stored["temp"]) == (1, "x")
    await users.update_item(KEY, add={"visits": 1}, condition=Attr("visits").lt(10))
    assert (await users.get_item(username="ada"))["visits"] == 2


async def test_update_item_with_names_that_are_reserved_or_placeholder_shaped(
    users: AsyncTable,
) -> None:
    await users.update_item(
        KEY,
        set={("#n0",): ":v0", ("size",): 3, ("a.b",): "dotted"},
        add={(":v1",): 2},
        condition=Attr(":v0").not_exists(),
    )
    stored = await users.get_item(username="ada")
    assert (stored["#n0"], stored["size"], stored["a.b"], stored[":v1"]) == (":v0", 3, "dotted", 2)
