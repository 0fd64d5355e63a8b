"""Single items on every backend, through dynamodb2.aio: the port of
tests/test_item_integration.py (AsyncTable's item calls and AsyncItem's save rules).

Each scenario is the synchronous one awaited, with the same assertions; the tables are
created per test (the synchronous module shares them per backend).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

from dynamodb2.aio import AsyncConnection, AsyncItem, AsyncTable
from dynamodb2.exceptions import (
    ConditionalCheckFailedException,
    ItemNotFound,
    ParameterValidationError,
    RequestValidationError,
)
from dynamodb2.fields import GlobalAllIndex, GlobalKeysOnlyIndex, HashKey, RangeKey
from dynamodb2.types import NUMBER, Binary
from tests.aio.support import (
    AsyncRecordingTransport,
    create_async_table,
    recorded_async_connection,
)
from tests.support.backends import Backend

USERS_SCHEMA = [HashKey("username")]
POSTS_SCHEMA = [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]
PEOPLE_INDEXES = [
    GlobalKeysOnlyIndex("by_email", parts=[HashKey("email")]),
    GlobalAllIndex("by_team", parts=[HashKey("team")]),
]


pytestmark = pytest.mark.anyio


@attrs.frozen
class Shared:
    """The test's tables on one backend, and the recorder of their connection."""

    backend: Backend
    connection: AsyncConnection
    recorder: AsyncRecordingTransport


@pytest.fixture
async def shared(backend: Backend) -> AsyncIterator[Shared]:
    """The tables, created empty for the test."""
    connection, recorder = recorded_async_connection(backend)
    async with connection:
        await create_async_table(connection, "users", USERS_SCHEMA)
        await create_async_table(connection, "posts", POSTS_SCHEMA)
        recorder.clear()
        yield Shared(backend, connection, recorder)


@pytest.fixture
def recorder(shared: Shared) -> AsyncRecordingTransport:
    """The recorder, holding only the current test's requests."""
    shared.recorder.clear()
    return shared.recorder


@pytest.fixture
def users(shared: Shared) -> AsyncTable:
    """An empty users table."""
    table = AsyncTable("users", schema=USERS_SCHEMA, connection=shared.connection)
    shared.recorder.clear()
    return table


@pytest.fixture
def posts(shared: Shared) -> AsyncTable:
    table = AsyncTable("posts", schema=POSTS_SCHEMA, connection=shared.connection)
    shared.recorder.clear()
    return table


async def stored(table: AsyncTable, **key: Any) -> dict[str, Any]:
    """The item as the table holds it, in wire form."""
    response = await table.connection.get_item(
        table.table_name, table.dynamizer.encode_item(key), consistent_read=True
    )
    item: dict[str, Any] = response.get("Item", {})
    return item


async def read(table: AsyncTable, **key: Any) -> dict[str, Any]:
    """The item as the table holds it, decoded."""
    return dict((await table.get_item(consistent=True, **key)).items())


# ---------------------------------------------------------------------- AsyncTable's item calls


async def test_put_item_with_overwrite_replaces_the_whole_item(users: AsyncTable) -> None:
    assert await users.put_item({"username": "jane", "first": "Jane", "age": 30})

    assert await users.put_item({"username": "jane", "last": "Doe"}, overwrite=True)

    assert await read(users, username="jane") == {"username": "jane", "last": "Doe"}


async def test_put_item_without_overwrite_refuses_an_existing_key(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", "first": "Jane"})

    with pytest.raises(ConditionalCheckFailedException):
        await users.put_item({"username": "jane", "first": "Impostor"})

    assert await read(users, username="jane") == {"username": "jane", "first": "Jane"}


async def test_get_item_consistent_asks_for_a_consistent_read(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "first": "Jane"})

    assert (await users.get_item(username="jane", consistent=True))["first"] == "Jane"
    assert (await users.get_item(username="jane"))["first"] == "Jane"

    consistent, eventual = recorder.bodies("GetItem")
    assert consistent["ConsistentRead"] is True
    # As boto 2 sent it: consistent_read=False goes on the wire as ConsistentRead false.
    assert eventual["ConsistentRead"] is False


async def test_get_item_attributes_projects_reserved_dotted_and_dashed_names(
    users: AsyncTable,
) -> None:
    await users.put_item(
        {
            "username": "jane",
            "size": 3,
            "status": "active",
            "profile.email": "jane@example.com",
            "first-name": "Jane",
            "profile": {"email": "nested@example.com"},
            "other": "left out",
        }
    )

    item = await users.get_item(
        username="jane", attributes=["size", "status", "profile.email", "first-name"]
    )

    assert dict(item.items()) == {
        "size": 3,
        "status": "active",
        "profile.email": "jane@example.com",
        "first-name": "Jane",
    }


async def test_get_item_of_a_missing_key_raises_item_not_found(users: AsyncTable) -> None:
    with pytest.raises(ItemNotFound):
        await users.get_item(username="nobody")


async def test_has_item_tells_whether_the_key_exists(users: AsyncTable) -> None:
    await users.put_item({"username": "jane"})

    assert await users.has_item(username="jane") is True
    assert await users.has_item(username="nobody") is False


async def test_lookup_takes_key_values_in_schema_order(posts: AsyncTable) -> None:
    await posts.put_item({"forum": "python", "posted": 5, "title": "hello"})

    found = await posts.lookup("python", 5)

    assert found is not None
    assert found["title"] == "hello"
    with pytest.raises(ItemNotFound):
        await posts.lookup("python", 6)
    assert await posts.lookup("python", posted=5) is not None


async def test_lookup_with_too_many_key_values_is_refused_before_sending(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    with pytest.raises(ParameterValidationError, match="3 key values"):
        await posts.lookup("python", 5, "extra")
    assert recorder.requests == []


async def test_new_item_holds_its_key_and_is_stored_only_on_save(posts: AsyncTable) -> None:
    item = await posts.new_item("python", 7)
    item["title"] = "draft"

    assert await item.get_keys() == {"forum": "python", "posted": 7}
    with pytest.raises(ItemNotFound):
        await posts.lookup("python", 7)

    assert await item.save()
    assert await read(posts, forum="python", posted=7) == {
        "forum": "python",
        "posted": 7,
        "title": "draft",
    }


async def test_delete_item_removes_the_item(users: AsyncTable) -> None:
    await users.put_item({"username": "jane"})

    assert await users.delete_item(username="jane") is True

    assert not await users.has_item(username="jane", consistent=True)


async def test_delete_item_with_failed_expectation_returns_false_and_keeps_the_item(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "status": "active", "logins": 3})

    assert await users.delete_item(expected={"status__eq": "inactive"}, username="jane") is False
    assert await users.delete_item(expected={"logins__gt": 5}, username="jane") is False
    assert await users.delete_item(expected={"status__null": True}, username="jane") is False

    assert await users.has_item(username="jane", consistent=True)


async def test_delete_item_with_met_expectations_deletes(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", "status": "active", "logins": 3})

    assert await users.delete_item(
        expected={"status__eq": "active", "logins__lt": 5, "banned__null": True},
        username="jane",
    )

    assert not await users.has_item(username="jane", consistent=True)


async def test_delete_item_expectations_joined_with_or_need_only_one(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", "status": "active"})

    assert await users.delete_item(
        expected={"status__eq": "inactive", "first-name__null": True},
        conditional_operator="OR",
        username="jane",
    )
    assert not await users.has_item(username="jane", consistent=True)


# ---------------------------------------------------------------------- AsyncItem as a dict


async def test_item_behaves_like_a_dict(users: AsyncTable) -> None:
    item = AsyncItem(users, data={"username": "jane", "first": "Jane"})

    item["last"] = "Doe"
    del item["first"]
    del item["never-there"]

    assert item["last"] == "Doe"
    assert item["missing"] is None
    assert item.get("missing", "default") == "default"
    assert "last" in item
    assert "first" not in item
    assert len(item) == 2
    assert sorted(item.keys()) == ["last", "username"]
    assert sorted(item.values()) == ["Doe", "jane"]
    assert sorted(item.items()) == [("last", "Doe"), ("username", "jane")]
    assert sorted(item) == ["Doe", "jane"]  # boto 2 iterates the values
    assert bool(item)
    assert not AsyncItem(users)


# ---------------------------------------------------------------------- saving


async def test_save_drops_none_empty_string_and_empty_set(users: AsyncTable) -> None:
    item = AsyncItem(
        users,
        data={"username": "jane", "nothing": None, "blank": "", "tags": set(), "kept": "x"},
    )

    assert await item.save()

    assert await stored(users, username="jane") == {"username": {"S": "jane"}, "kept": {"S": "x"}}


async def test_partial_save_removes_attributes_set_to_none_empty_string_or_empty_set(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "a": "1", "b": "2", "c": {"x"}, "d": "kept"})
    item = await users.get_item(username="jane", consistent=True)

    item["a"] = None
    item["b"] = ""
    item["c"] = set()

    assert await item.partial_save()
    assert await stored(users, username="jane") == {"username": {"S": "jane"}, "d": {"S": "kept"}}


async def test_save_of_a_stale_copy_is_rejected_while_a_fresh_copy_succeeds(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "visits": 1})
    first = await users.get_item(username="jane", consistent=True)
    stale = await users.get_item(username="jane", consistent=True)

    first["visits"] = 2
    assert await first.save()

    stale["note"] = "written from an old copy"
    with pytest.raises(ConditionalCheckFailedException):
        await stale.save()
    assert await read(users, username="jane") == {"username": "jane", "visits": 2}

    fresh = await users.get_item(username="jane", consistent=True)
    fresh["note"] = "written from a fresh copy"
    assert await fresh.save()
    assert await read(users, username="jane") == {
        "username": "jane",
        "visits": 2,
        "note": "written from a fresh copy",
    }


async def test_save_keeps_an_attribute_another_writer_added_meanwhile(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "visits": 1})
    mine = await users.get_item(username="jane", consistent=True)
    theirs = await users.get_item(username="jane", consistent=True)
    theirs["last"] = "Doe"  # an attribute my copy does not know: no condition can see it
    assert await theirs.partial_save()
    mine["first"] = "Janet"
    del mine["visits"]
    recorder.clear()

    assert await mine.save()

    assert recorder.operations == ["UpdateItem"]
    assert await read(users, username="jane") == {
        "username": "jane",
        "first": "Janet",
        "last": "Doe",
    }


async def test_save_of_a_loaded_item_with_sets_and_numbers_passes_its_own_check(
    users: AsyncTable,
) -> None:
    await users.put_item(
        {
            "username": "jane",
            "tags": {"b", "a", "c"},
            "scores": {3, 1, 2},
            "blobs": {b"\x00", b"\x01"},
            "ratio": Decimal("1.50"),
            "binary": b"\x00data",
        }
    )
    item = await users.get_item(username="jane", consistent=True)

    item["visits"] = 1
    assert await item.save()
    assert (await read(users, username="jane"))["visits"] == 1


async def test_save_of_a_loaded_item_with_maps_and_lists_passes_its_own_check(
    shared: Shared, users: AsyncTable
) -> None:
    if shared.backend.name == "dynalite":
        pytest.skip(
            "dynalite compares maps and lists by object identity, so '=' never matches "
            "them (DynamoDB supports = for lists and maps)"
        )
    await users.put_item(
        {
            "username": "jane",
            "profile": {"city": "Paris", "zip": 75001, "langs": ["fr", "en"]},
            "history": [1, "two", {"three": 3}],
        }
    )
    item = await users.get_item(username="jane", consistent=True)

    item["visits"] = 1
    assert await item.save()
    assert (await read(users, username="jane"))["visits"] == 1


async def test_save_of_a_new_item_whose_key_now_exists_is_rejected(users: AsyncTable) -> None:
    item = await users.new_item("jane")
    item["first"] = "Jane"
    await users.put_item({"username": "jane", "first": "Already here"})

    with pytest.raises(ConditionalCheckFailedException):
        await item.save()

    assert (await read(users, username="jane"))["first"] == "Already here"


async def test_save_with_overwrite_replaces_even_from_a_stale_copy(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", "visits": 1})
    stale = await users.get_item(username="jane", consistent=True)
    await users.put_item({"username": "jane", "visits": 5}, overwrite=True)

    stale["visits"] = 2
    assert await stale.save(overwrite=True)

    assert await read(users, username="jane") == {"username": "jane", "visits": 2}


async def test_partial_save_sends_changed_added_and_deleted_fields_in_one_update(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "last": "Doe", "age": 30})
    item = await users.get_item(username="jane", consistent=True)
    recorder.clear()

    item["first"] = "Janet"
    item["city"] = "Paris"
    del item["last"]
    assert await item.partial_save()

    assert recorder.operations == ["UpdateItem"]
    assert await read(users, username="jane") == {
        "username": "jane",
        "first": "Janet",
        "city": "Paris",
        "age": 30,
    }


async def test_partial_save_rejects_a_concurrent_change_to_the_same_field(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "age": 30})
    mine = await users.get_item(username="jane", consistent=True)
    theirs = await users.get_item(username="jane", consistent=True)
    theirs["first"] = "Janet"
    assert await theirs.partial_save()

    mine["first"] = "Jenny"
    with pytest.raises(ConditionalCheckFailedException):
        await mine.partial_save()

    assert (await read(users, username="jane"))["first"] == "Janet"


async def test_partial_save_rejects_adding_a_field_someone_else_added(users: AsyncTable) -> None:
    await users.put_item({"username": "jane"})
    mine = await users.get_item(username="jane", consistent=True)
    theirs = await users.get_item(username="jane", consistent=True)
    theirs["city"] = "Paris"
    assert await theirs.partial_save()

    mine["city"] = "Rome"
    with pytest.raises(ConditionalCheckFailedException):
        await mine.partial_save()


async def test_partial_save_keeps_a_concurrent_change_to_another_field(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "age": 30})
    mine = await users.get_item(username="jane", consistent=True)
    theirs = await users.get_item(username="jane", consistent=True)
    theirs["age"] = 31
    assert await theirs.partial_save()

    mine["first"] = "Jenny"
    assert await mine.partial_save()

    assert await read(users, username="jane") == {"username": "jane", "first": "Jenny", "age": 31}


async def test_save_and_partial_save_return_false_without_a_request_when_nothing_changed(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "ratio": Decimal("1.50"), "tags": {"a", "b"}})
    item = await users.get_item(username="jane", consistent=True)
    item["ratio"] = Decimal("1.5")  # the same number
    item["tags"] = {"b", "a"}  # the same set
    recorder.clear()

    assert await item.save() is False
    assert await item.partial_save() is False
    assert recorder.requests == []


async def test_a_saved_item_needs_no_further_save(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    item = await users.new_item("jane")
    item["first"] = "Jane"
    assert await item.save()
    item["last"] = "Doe"
    assert await item.partial_save()
    recorder.clear()

    assert await item.save() is False
    assert await item.partial_save() is False
    assert recorder.requests == []


async def test_a_new_item_written_by_partial_save_can_be_saved_again(users: AsyncTable) -> None:
    item = await users.new_item("jane")
    item["first"] = "Jane"
    assert await item.partial_save()

    assert not item.needs_save()
    item["last"] = "Doe"
    assert await item.save()

    assert await read(users, username="jane") == {
        "username": "jane",
        "first": "Jane",
        "last": "Doe",
    }


async def test_item_delete_removes_it(users: AsyncTable) -> None:
    await users.put_item({"username": "jane"})
    item = await users.get_item(username="jane", consistent=True)

    assert await item.delete()

    assert not await users.has_item(username="jane", consistent=True)


async def test_reserved_dotted_and_dashed_names_work_in_save_and_partial_save(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "size": 1, "a.b": "dot", "first-name": "Jane"})
    item = await users.get_item(username="jane", consistent=True)
    stale = await users.get_item(username="jane", consistent=True)

    item["size"] = 2
    item["a.b"] = "dotted"
    del item["first-name"]
    assert await item.partial_save()
    item["status"] = "x"
    assert await item.save()

    stale["size"] = 5
    with pytest.raises(ConditionalCheckFailedException):
        await stale.partial_save()
    assert await read(users, username="jane") == {
        "username": "jane",
        "size": 2,
        "a.b": "dotted",
        "status": "x",
    }


# ---------------------------------------------------------------------- values


ROUND_TRIP_VALUES: dict[str, Any] = {
    "int": 42,
    "negative": -7,
    "big": 12345678901234567890123456789012345678,
    "tiny": Decimal("1E-130"),
    "fraction": Decimal("3.14159"),
    "float": 0.1,
    "binary": Binary(b"\x00\xffdata"),
    "strings": {"a", "b"},
    "numbers": {1, Decimal("2.5")},
    "binaries": {b"\x01", b"\x02"},
    "map": {"name": "jane", "nested": {"deep": [1, "x", {"y": b"z"}]}},
    "list": ["a", 1, ["b", {"c": Decimal("0.5")}], {"k": {"s"}}],
    "unicode": "žluťoučký kůň 🐎",
}


def expected_back(value: Any) -> Any:
    """What a value reads back as: numbers as Decimal, bytes as Binary."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, dict):
        return {name: expected_back(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [expected_back(inner) for inner in value]
    if isinstance(value, set):
        return {expected_back(inner) for inner in value}
    return value


async def test_values_of_every_type_round_trip(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", **ROUND_TRIP_VALUES})

    item = await read(users, username="jane")

    assert item == {"username": "jane", **expected_back(ROUND_TRIP_VALUES)}
    assert isinstance(item["binary"], bytes)


async def test_values_of_every_type_round_trip_through_partial_save(users: AsyncTable) -> None:
    await users.put_item({"username": "jane"})
    item = await users.get_item(username="jane", consistent=True)
    for name, value in ROUND_TRIP_VALUES.items():
        item[name] = value

    assert await item.partial_save()

    assert await read(users, username="jane") == {
        "username": "jane",
        **expected_back(ROUND_TRIP_VALUES),
    }


async def test_booleans_are_stored_as_numbers_by_default(users: AsyncTable) -> None:
    await users.put_item({"username": "jane", "admin": True, "banned": False})

    assert (await stored(users, username="jane"))["admin"] == {"N": "1"}
    assert (await stored(users, username="jane"))["banned"] == {"N": "0"}
    assert (await read(users, username="jane"))["admin"] == Decimal(1)


async def test_use_boolean_stores_booleans_as_bool(users: AsyncTable) -> None:
    users.use_boolean()
    await users.put_item({"username": "jane", "admin": True, "flags": {"beta": False}})

    assert (await stored(users, username="jane"))["admin"] == {"BOOL": True}
    item = await read(users, username="jane")
    assert item["admin"] is True
    assert item["flags"] == {"beta": False}


async def test_stored_booleans_read_back_as_bool_without_use_boolean(users: AsyncTable) -> None:
    await users.connection.put_item(
        "users",
        {
            "username": {"S": "jane"},
            "admin": {"BOOL": True},
            "flags": {"M": {"beta": {"BOOL": False}}},
        },
    )

    item = await read(users, username="jane")

    assert item["admin"] is True
    assert item["flags"] == {"beta": False}


async def test_unchanged_stored_booleans_need_no_save_without_use_boolean(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.connection.put_item(
        "users",
        {
            "username": {"S": "jane"},
            "admin": {"BOOL": True},
            "flags": {"M": {"beta": {"BOOL": False}}},
        },
    )
    item = await users.get_item(username="jane", consistent=True)
    item["admin"] = True
    recorder.clear()

    assert await item.save() is False
    assert await item.partial_save() is False
    assert recorder.requests == []

    item["visits"] = 1
    assert await item.partial_save()
    assert (await stored(users, username="jane"))["admin"] == {"BOOL": True}


async def test_full_save_keeps_untouched_stored_booleans_as_booleans_without_use_boolean(
    users: AsyncTable,
) -> None:
    # (No map here: dynalite's "=" never matches maps, so its compare-and-set would fail.)
    await users.connection.put_item(
        "users", {"username": {"S": "jane"}, "admin": {"BOOL": True}, "beta": {"BOOL": False}}
    )
    item = await users.get_item(username="jane", consistent=True)
    item["visits"] = 1

    assert await item.save()

    after = await stored(users, username="jane")
    assert (after["admin"], after["beta"]) == ({"BOOL": True}, {"BOOL": False})
    assert after["visits"] == {"N": "1"}


async def people_table(shared: Shared) -> AsyncTable:
    """The people table, with a keys-only and an all-attributes index, holding jane."""
    table = await create_async_table(
        shared.connection, "people", USERS_SCHEMA, global_indexes=PEOPLE_INDEXES
    )
    await table.put_item({"username": "jane", "email": "j@x", "team": "red", "secret": "keep"})
    shared.recorder.clear()
    return table


async def read_from_index(shared: Shared, index: str, **key: Any) -> list[AsyncItem]:
    """The items of a query of ``index`` through a table that knows neither its key nor
    its indexes, as boto 2's usual ``Table("name")``."""
    table = AsyncTable("people", connection=shared.connection)
    return [item async for item in table.query_2(index=index, **key)]


async def test_save_of_an_item_read_from_an_index_not_known_to_project_all_is_refused(
    shared: Shared, recorder: AsyncRecordingTransport
) -> None:
    people = await people_table(shared)
    (item,) = await read_from_index(shared, "by_email", email__eq="j@x")
    assert item.is_partial
    item["flag"] = "set"

    with pytest.raises(ParameterValidationError, match="partial_save"):
        await item.save()

    assert recorder.operations == ["Query", "DescribeTable"]
    assert (await stored(people, username="jane"))["secret"] == {"S": "keep"}
    assert await item.partial_save()
    assert (await read(people, username="jane"))["secret"] == "keep"


async def test_save_of_an_item_read_from_an_index_found_to_project_all_writes(
    shared: Shared, recorder: AsyncRecordingTransport
) -> None:
    people = await people_table(shared)
    (item,) = await read_from_index(shared, "by_team", team__eq="red")
    item["flag"] = "set"

    assert await item.save()

    assert not item.is_partial
    assert recorder.operations == ["Query", "DescribeTable", "UpdateItem"]
    assert await read(people, username="jane") == {
        "username": "jane",
        "email": "j@x",
        "team": "red",
        "secret": "keep",
        "flag": "set",
    }


async def test_save_of_an_item_read_with_some_attributes_is_refused_and_loses_nothing(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "last": "Doe", "age": 30})
    projected = await users.get_item(username="jane", attributes=["username", "first"])
    projected["first"] = "Janet"
    recorder.clear()

    with pytest.raises(ParameterValidationError, match="partial_save"):
        await projected.save()

    assert recorder.operations == []
    assert projected.is_partial
    assert (await read(users, username="jane"))["last"] == "Doe"


async def test_partial_save_of_an_item_read_with_some_attributes_keeps_the_others(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "last": "Doe"})
    projected = (await users.scan(attributes=["username", "first"]).to_list())[0]
    projected["first"] = "Janet"

    assert await projected.partial_save()

    assert await read(users, username="jane") == {
        "username": "jane",
        "first": "Janet",
        "last": "Doe",
    }


async def test_partial_save_of_a_projected_item_may_set_an_attribute_it_was_read_without(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "last": "Doe", "visits": 3})
    projected = await users.get_item(username="jane", attributes=["username", "visits"])
    # "last" is stored, but this copy cannot know it: no "still absent" check for it.
    projected["last"] = "Smith"

    assert await projected.partial_save()

    assert await read(users, username="jane") == {
        "username": "jane",
        "first": "Jane",
        "last": "Smith",
        "visits": 3,
    }


async def test_save_with_overwrite_of_a_projected_item_stores_exactly_its_attributes(
    users: AsyncTable,
) -> None:
    await users.put_item({"username": "jane", "first": "Jane", "last": "Doe"})
    projected = await users.get_item(username="jane", attributes=["username", "first"])

    assert await projected.save(overwrite=True)

    assert await read(users, username="jane") == {"username": "jane", "first": "Jane"}


async def test_saving_a_loaded_item_whose_key_was_changed_is_refused_and_writes_nothing(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "age": 30})
    item = await users.get_item(username="jane", consistent=True)
    item["username"] = "janet"
    item["age"] = 31
    recorder.clear()

    for save in (AsyncItem.partial_save, AsyncItem.save):
        with pytest.raises(RequestValidationError, match="key attribute 'username' was changed"):
            await save(item)
    assert recorder.operations == []
    assert await stored(users, username="janet") == {}

    assert await item.save(overwrite=True)
    assert await read(users, username="janet") == {"username": "janet", "age": 31}
    assert await read(users, username="jane") == {"username": "jane", "age": 30}


# ------------------------------------------ stored NULLs, empty strings and empty binaries

#: Values boto 2 called "no attribute" that DynamoDB stores, in wire form and as read.
STORED_NOTHINGS = [
    pytest.param({"NULL": True}, None, id="NULL"),
    pytest.param({"S": ""}, "", id="empty-string"),
    pytest.param({"B": ""}, b"", id="empty-binary"),
]


async def stored_with_null(shared: Shared, users: AsyncTable, stored: Any = None) -> AsyncItem:
    """jane, with ``nickname`` stored as ``stored`` (DynamoDB NULL unless told)."""
    await shared.connection.put_item(
        {
            "TableName": "users",
            "Item": {
                "username": {"S": "jane"},
                "nickname": {"NULL": True} if stored is None else stored,
                "age": {"N": "30"},
            },
        }
    )
    return await users.get_item(username="jane", consistent=True)


async def stored_wire(shared: Shared) -> dict[str, Any]:
    response = await shared.connection.get_item(
        {"TableName": "users", "Key": {"username": {"S": "jane"}}, "ConsistentRead": True}
    )
    item: dict[str, Any] = response["Item"]
    return item


@pytest.mark.parametrize(("stored", "read_back"), STORED_NOTHINGS)
async def test_a_stored_null_or_empty_value_is_not_a_change(
    shared: Shared, users: AsyncTable, stored: Any, read_back: Any
) -> None:
    item = await stored_with_null(shared, users, stored)

    assert item["nickname"] == read_back
    assert not item.needs_save()
    assert await item.save() is False
    assert await item.partial_save() is False


@pytest.mark.parametrize(("stored", "read_back"), STORED_NOTHINGS)
async def test_saving_other_changes_keeps_a_stored_null_or_empty_value(
    shared: Shared, users: AsyncTable, stored: Any, read_back: Any
) -> None:
    for save in (AsyncItem.save, AsyncItem.partial_save):
        item = await stored_with_null(shared, users, stored)
        item["age"] = 31

        assert await save(item)

        assert (await stored_wire(shared))["nickname"] == stored, save.__name__


async def test_deleting_a_stored_null_removes_it(shared: Shared, users: AsyncTable) -> None:
    item = await stored_with_null(shared, users)
    del item["nickname"]

    assert await item.partial_save()

    assert "nickname" not in await stored_wire(shared)
