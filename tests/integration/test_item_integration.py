"""Single items on every backend: Table's item calls and Item's save rules."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest

from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    ConditionalCheckFailedException,
    ItemNotFound,
    ParameterValidationError,
    RequestValidationError,
)
from dynamodb2.fields import GlobalAllIndex, GlobalKeysOnlyIndex, HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.table import Table
from dynamodb2.types import NUMBER, Binary
from tests.support.backends import Backend, selected_backends
from tests.support.table_support import (
    RecordingTransport,
    backend_for_module,
    create_table,
    recorded_connection,
)

USERS_SCHEMA = [HashKey("username")]
POSTS_SCHEMA = [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]
PEOPLE_INDEXES = [
    GlobalKeysOnlyIndex("by_email", parts=[HashKey("email")]),
    GlobalAllIndex("by_team", parts=[HashKey("team")]),
]


pytestmark = pytest.mark.integration


@attrs.frozen
class Shared:
    """The module's tables on one backend, and the recorder of their connection."""

    backend: Backend
    connection: Connection
    recorder: RecordingTransport


@pytest.fixture(scope="module", params=selected_backends())
def shared(request: pytest.FixtureRequest) -> Iterator[Shared]:
    """The tables are created once per backend; each test starts with them empty."""
    with backend_for_module(request.param, request) as backend:
        connection, recorder = recorded_connection(backend)
        with connection:
            create_table(connection, "users", USERS_SCHEMA)
            create_table(connection, "posts", POSTS_SCHEMA)
            create_table(connection, "people", USERS_SCHEMA, global_indexes=PEOPLE_INDEXES)
            yield Shared(backend, connection, recorder)


def emptied(table: Table) -> Table:
    with table.batch_write() as batch:
        for item in table.scan(consistent=True, attributes=table.get_key_fields()):
            batch.delete_item(**item.get_keys())
    return table


@pytest.fixture
def recorder(shared: Shared) -> RecordingTransport:
    """The recorder, holding only the current test's requests."""
    shared.recorder.clear()
    return shared.recorder


@pytest.fixture
def users(shared: Shared) -> Table:
    """An empty users table (a new Table object: use_boolean() does not leak)."""
    table = emptied(Table("users", schema=USERS_SCHEMA, connection=shared.connection))
    shared.recorder.clear()
    return table


@pytest.fixture
def posts(shared: Shared) -> Table:
    table = emptied(Table("posts", schema=POSTS_SCHEMA, connection=shared.connection))
    shared.recorder.clear()
    return table


def stored(table: Table, **key: Any) -> dict[str, Any]:
    """The item as the table holds it, in wire form."""
    response = table.connection.get_item(
        table.table_name, table.dynamizer.encode_item(key), consistent_read=True
    )
    item: dict[str, Any] = response.get("Item", {})
    return item


def read(table: Table, **key: Any) -> dict[str, Any]:
    """The item as the table holds it, decoded."""
    return dict(table.get_item(consistent=True, **key).items())


# ---------------------------------------------------------------------- Table's item calls


def test_put_item_with_overwrite_replaces_the_whole_item(users: Table) -> None:
    assert users.put_item({"username": "jane", "first": "Jane", "age": 30})

    assert users.put_item({"username": "jane", "last": "Doe"}, overwrite=True)

    assert read(users, username="jane") == {"username": "jane", "last": "Doe"}


def test_put_item_without_overwrite_refuses_an_existing_key(users: Table) -> None:
    users.put_item({"username": "jane", "first": "Jane"})

    with pytest.raises(ConditionalCheckFailedException):
        users.put_item({"username": "jane", "first": "Impostor"})

    assert read(users, username="jane") == {"username": "jane", "first": "Jane"}


def test_get_item_consistent_asks_for_a_consistent_read(
    users: Table, recorder: RecordingTransport
) -> None:
    users.put_item({"username": "jane", "first": "Jane"})

    assert users.get_item(username="jane", consistent=True)["first"] == "Jane"
    assert users.get_item(username="jane")["first"] == "Jane"

    consistent, eventual = recorder.bodies("GetItem")
    assert consistent["ConsistentRead"] is True
    # As boto 2 sent it: consistent_read=False goes on the wire as ConsistentRead false.
    assert eventual["ConsistentRead"] is False


def test_get_item_attributes_projects_reserved_dotted_and_dashed_names(users: Table) -> None:
    users.put_item(
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

    item = users.get_item(
        username="jane", attributes=["size", "status", "profile.email", "first-name"]
    )

    assert dict(item.items()) == {
        "size": 3,
        "status": "active",
        "profile.email": "jane@example.com",
        "first-name": "Jane",
    }


def test_get_item_of_a_missing_key_raises_item_not_found(users: Table) -> None:
    with pytest.raises(ItemNotFound):
        users.get_item(username="nobody")


def test_has_item_tells_whether_the_key_exists(users: Table) -> None:
    users.put_item({"username": "jane"})

    assert users.has_item(username="jane") is True
    assert users.has_item(username="nobody") is False


def test_lookup_takes_key_values_in_schema_order(posts: Table) -> None:
    posts.put_item({"forum": "python", "posted": 5, "title": "hello"})

    found = posts.lookup("python", 5)

    assert found is not None
    assert found["title"] == "hello"
    with pytest.raises(ItemNotFound):
        posts.lookup("python", 6)
    assert posts.lookup("python", posted=5) is not None


def test_lookup_with_too_many_key_values_is_refused_before_sending(
    posts: Table, recorder: RecordingTransport
) -> None:
    with pytest.raises(ParameterValidationError, match="3 key values"):
        posts.lookup("python", 5, "extra")
    assert recorder.requests == []


def test_new_item_holds_its_key_and_is_stored_only_on_save(posts: Table) -> None:
    item = posts.new_item("python", 7)
    item["title"] = "draft"

    assert item.get_keys() == {"forum": "python", "posted": 7}
    with pytest.raises(ItemNotFound):
        posts.lookup("python", 7)

    assert item.save()
    assert read(posts, forum="python", posted=7) == {
        "forum": "python",
        "posted": 7,
        "title": "draft",
    }


def test_delete_item_removes_the_item(users: Table) -> None:
    users.put_item({"username": "jane"})

    assert users.delete_item(username="jane") is True

    assert not users.has_item(username="jane", consistent=True)


def test_delete_item_with_failed_expectation_returns_false_and_keeps_the_item(
    users: Table,
) -> None:
    users.put_item({"username": "jane", "status": "active", "logins": 3})

    assert users.delete_item(expected={"status__eq": "inactive"}, username="jane") is False
    assert users.delete_item(expected={"logins__gt": 5}, username="jane") is False
    assert users.delete_item(expected={"status__null": True}, username="jane") is False

    assert users.has_item(username="jane", consistent=True)


def test_delete_item_with_met_expectations_deletes(users: Table) -> None:
    users.put_item({"username": "jane", "status": "active", "logins": 3})

    assert users.delete_item(
        expected={"status__eq": "active", "logins__lt": 5, "banned__null": True},
        username="jane",
    )

    assert not users.has_item(username="jane", consistent=True)


def test_delete_item_expectations_joined_with_or_need_only_one(users: Table) -> None:
    users.put_item({"username": "jane", "status": "active"})

    assert users.delete_item(
        expected={"status__eq": "inactive", "first-name__null": True},
        conditional_operator="OR",
        username="jane",
    )
    assert not users.has_item(username="jane", consistent=True)


# ---------------------------------------------------------------------- Item as a dict


def test_item_behaves_like_a_dict(users: Table) -> None:
    item = Item(users, data={"username": "jane", "first": "Jane"})

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
    assert not Item(users)


# ---------------------------------------------------------------------- saving


def test_save_drops_none_empty_string_and_empty_set(users: Table) -> None:
    item = Item(
        users,
        data={"username": "jane", "nothing": None, "blank": "", "tags": set(), "kept": "x"},
    )

    assert item.save()

    assert stored(users, username="jane") == {"username": {"S": "jane"}, "kept": {"S": "x"}}


def test_partial_save_removes_attributes_set_to_none_empty_string_or_empty_set(
    users: Table,
) -> None:
    users.put_item({"username": "jane", "a": "1", "b": "2", "c": {"x"}, "d": "kept"})
    item = users.get_item(username="jane", consistent=True)

    item["a"] = None
    item["b"] = ""
    item["c"] = set()

    assert item.partial_save()
    assert stored(users, username="jane") == {"username": {"S": "jane"}, "d": {"S": "kept"}}


def test_save_of_a_stale_copy_is_rejected_while_a_fresh_copy_succeeds(users: Table) -> None:
    users.put_item({"username": "jane", "visits": 1})
    first = users.get_item(username="jane", consistent=True)
    stale = users.get_item(username="jane", consistent=True)

    first["visits"] = 2
    assert first.save()

    stale["note"] = "written from an old copy"
    with pytest.raises(ConditionalCheckFailedException):
        stale.save()
    assert read(users, username="jane") == {"username": "jane", "visits": 2}

    fresh = users.get_item(username="jane", consistent=True)
    fresh["note"] = "written from a fresh copy"
    assert fresh.save()
    assert read(users, username="jane") == {
        "username": "jane",
        "visits": 2,
        "note": "written from a fresh copy",
    }


def test_save_keeps_an_attribute_another_writer_added_meanwhile(
    users: Table, recorder: RecordingTransport
) -> None:
    users.put_item({"username": "jane", "first": "Jane", "visits": 1})
    mine = users.get_item(username="jane", consistent=True)
    theirs = users.get_item(username="jane", consistent=True)
    theirs["last"] = "Doe"  # an attribute my copy does not know: no condition can see it
    assert theirs.partial_save()
    mine["first"] = "Janet"
    del mine["visits"]
    recorder.clear()

    assert mine.save()

    assert recorder.operations == ["UpdateItem"]
    assert read(users, username="jane") == {"username": "jane", "first": "Janet", "last": "Doe"}


def test_save_of_a_loaded_item_with_sets_and_numbers_passes_its_own_check(users: Table) -> None:
    users.put_item(
        {
            "username": "jane",
            "tags": {"b", "a", "c"},
            "scores": {3, 1, 2},
            "blobs": {b"\x00", b"\x01"},
            "ratio": Decimal("1.50"),
            "binary": b"\x00data",
        }
    )
    item = users.get_item(username="jane", consistent=True)

    item["visits"] = 1
    assert item.save()
    assert read(users, username="jane")["visits"] == 1


def test_save_of_a_loaded_item_with_maps_and_lists_passes_its_own_check(
    shared: Shared, users: Table
) -> None:
    if shared.backend.name == "dynalite":
        pytest.skip(
            "dynalite compares maps and lists by object identity, so '=' never matches "
            "them (DynamoDB supports = for lists and maps)"
        )
    users.put_item(
        {
            "username": "jane",
            "profile": {"city": "Paris", "zip": 75001, "langs": ["fr", "en"]},
            "history": [1, "two", {"three": 3}],
        }
    )
    item = users.get_item(username="jane", consistent=True)

    item["visits"] = 1
    assert item.save()
    assert read(users, username="jane")["visits"] == 1


def test_save_of_a_new_item_whose_key_now_exists_is_rejected(users: Table) -> None:
    item = users.new_item("jane")
    item["first"] = "Jane"
    users.put_item({"username": "jane", "first": "Already here"})

    with pytest.raises(ConditionalCheckFailedException):
        item.save()

    assert read(users, username="jane")["first"] == "Already here"


def test_save_with_overwrite_replaces_even_from_a_stale_copy(users: Table) -> None:
    users.put_item({"username": "jane", "visits": 1})
    stale = users.get_item(username="jane", consistent=True)
    users.put_item({"username": "jane", "visits": 5}, overwrite=True)

    stale["visits"] = 2
    assert stale.save(overwrite=True)

    assert read(users, username="jane") == {"username": "jane", "visits": 2}


def test_partial_save_sends_changed_added_and_deleted_fields_in_one_update(
    users: Table, recorder: RecordingTransport
) -> None:
    users.put_item({"username": "jane", "first": "Jane", "last": "Doe", "age": 30})
    item = users.get_item(username="jane", consistent=True)
    recorder.clear()

    item["first"] = "Janet"
    item["city"] = "Paris"
    del item["last"]
    assert item.partial_save()

    assert recorder.operations == ["UpdateItem"]
    assert read(users, username="jane") == {
        "username": "jane",
        "first": "Janet",
        "city": "Paris",
        "age": 30,
    }


def test_partial_save_rejects_a_concurrent_change_to_the_same_field(users: Table) -> None:
    users.put_item({"username": "jane", "first": "Jane", "age": 30})
    mine = users.get_item(username="jane", consistent=True)
    theirs = users.get_item(username="jane", consistent=True)
    theirs["first"] = "Janet"
    assert theirs.partial_save()

    mine["first"] = "Jenny"
    with pytest.raises(ConditionalCheckFailedException):
        mine.partial_save()

    assert read(users, username="jane")["first"] == "Janet"


def test_partial_save_rejects_adding_a_field_someone_else_added(users: Table) -> None:
    users.put_item({"username": "jane"})
    mine = users.get_item(username="jane", consistent=True)
    theirs = users.get_item(username="jane", consistent=True)
    theirs["city"] = "Paris"
    assert theirs.partial_save()

    mine["city"] = "Rome"
    with pytest.raises(ConditionalCheckFailedException):
        mine.partial_save()


def test_partial_save_keeps_a_concurrent_change_to_another_field(users: Table) -> None:
    users.put_item({"username": "jane", "first": "Jane", "age": 30})
    mine = users.get_item(username="jane", consistent=True)
    theirs = users.get_item(username="jane", consistent=True)
    theirs["age"] = 31
    assert theirs.partial_save()

    mine["first"] = "Jenny"
    assert mine.partial_save()

    assert read(users, username="jane") == {"username": "jane", "first": "Jenny", "age": 31}


def test_save_and_partial_save_return_false_without_a_request_when_nothing_changed(
    users: Table, recorder: RecordingTransport
) -> None:
    users.put_item({"username": "jane", "ratio": Decimal("1.50"), "tags": {"a", "b"}})
    item = users.get_item(username="jane", consistent=True)
    item["ratio"] = Decimal("1.5")  # the same number
    item["tags"] = {"b", "a"}  # the same set
    recorder.clear()

    assert item.save() is False
    assert item.partial_save() is False
    assert recorder.requests == []


def test_a_saved_item_needs_no_further_save(users: Table, recorder: RecordingTransport) -> None:
    item = users.new_item("jane")
    item["first"] = "Jane"
    assert item.save()
    item["last"] = "Doe"
    assert item.partial_save()
    recorder.clear()

    assert item.save() is False
    assert item.partial_save() is False
    assert recorder.requests == []


def test_a_new_item_written_by_partial_save_can_be_saved_again(users: Table) -> None:
    item = users.new_item("jane")
    item["first"] = "Jane"
    assert item.partial_save()

    assert not item.needs_save()
    item["last"] = "Doe"
    assert item.save()

    assert read(users, username="jane") == {"username": "jane", "first": "Jane", "last": "Doe"}


def test_item_delete_removes_it(users: Table) -> None:
    users.put_item({"username": "jane"})
    item = users.get_item(username="jane", consistent=True)

    assert item.delete()

    assert not users.has_item(username="jane", consistent=True)


def test_reserved_dotted_and_dashed_names_work_in_save_and_partial_save(users: Table) -> None:
    users.put_item({"username": "jane", "size": 1, "a.b": "dot", "first-name": "Jane"})
    item = users.get_item(username="jane", consistent=True)
    stale = users.get_item(username="jane", consistent=True)

    item["size"] = 2
    item["a.b"] = "dotted"
    del item["first-name"]
    assert item.partial_save()
    item["status"] = "x"
    assert item.save()

    stale["size"] = 5
    with pytest.raises(ConditionalCheckFailedException):
        stale.partial_save()
    assert read(users, username="jane") == {
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


def test_values_of_every_type_round_trip(users: Table) -> None:
    users.put_item({"username": "jane", **ROUND_TRIP_VALUES})

    item = read(users, username="jane")

    assert item == {"username": "jane", **expected_back(ROUND_TRIP_VALUES)}
    assert isinstance(item["binary"], bytes)


def test_values_of_every_type_round_trip_through_partial_save(users: Table) -> None:
    users.put_item({"username": "jane"})
    item = users.get_item(username="jane", consistent=True)
    for name, value in ROUND_TRIP_VALUES.items():
        item[name] = value

    assert item.partial_save()

    assert read(users, username="jane") == {"username": "jane", **expected_back(ROUND_TRIP_VALUES)}


def test_booleans_are_stored_as_numbers_by_default(users: Table) -> None:
    users.put_item({"username": "jane", "admin": True, "banned": False})

    assert stored(users, username="jane")["admin"] == {"N": "1"}
    assert stored(users, username="jane")["banned"] == {"N": "0"}
    assert read(users, username="jane")["admin"] == Decimal(1)


def test_use_boolean_stores_booleans_as_bool(users: Table) -> None:
    users.use_boolean()
    users.put_item({"username": "jane", "admin": True, "flags": {"beta": False}})

    assert stored(users, username="jane")["admin"] == {"BOOL": True}
    item = read(users, username="jane")
    assert item["admin"] is True
    assert item["flags"] == {"beta": False}


def test_stored_booleans_read_back_as_bool_without_use_boolean(users: Table) -> None:
    users.connection.put_item(
        "users",
        {
            "username": {"S": "jane"},
            "admin": {"BOOL": True},
            "flags": {"M": {"beta": {"BOOL": False}}},
        },
    )

    item = read(users, username="jane")

    assert item["admin"] is True
    assert item["flags"] == {"beta": False}


def test_unchanged_stored_booleans_need_no_save_without_use_boolean(
    users: Table, recorder: RecordingTransport
) -> None:
    users.connection.put_item(
        "users",
        {
            "username": {"S": "jane"},
            "admin": {"BOOL": True},
            "flags": {"M": {"beta": {"BOOL": False}}},
        },
    )
    item = users.get_item(username="jane", consistent=True)
    item["admin"] = True
    recorder.clear()

    assert item.save() is False
    assert item.partial_save() is False
    assert recorder.requests == []

    item["visits"] = 1
    assert item.partial_save()
    assert stored(users, username="jane")["admin"] == {"BOOL": True}


def test_full_save_keeps_untouched_stored_booleans_as_booleans_without_use_boolean(
    users: Table,
) -> None:
    # (No map here: dynalite's "=" never matches maps, so its compare-and-set would fail.)
    users.connection.put_item(
        "users", {"username": {"S": "jane"}, "admin": {"BOOL": True}, "beta": {"BOOL": False}}
    )
    item = users.get_item(username="jane", consistent=True)
    item["visits"] = 1

    assert item.save()

    after = stored(users, username="jane")
    assert (after["admin"], after["beta"]) == ({"BOOL": True}, {"BOOL": False})
    assert after["visits"] == {"N": "1"}


def test_save_of_an_item_read_with_some_attributes_is_refused_and_loses_nothing(
    users: Table, recorder: RecordingTransport
) -> None:
    users.put_item({"username": "jane", "first": "Jane", "last": "Doe", "age": 30})
    projected = users.get_item(username="jane", attributes=["username", "first"])
    projected["first"] = "Janet"
    recorder.clear()

    with pytest.raises(ParameterValidationError, match="partial_save"):
        projected.save()

    assert recorder.operations == []
    assert projected.is_partial
    assert read(users, username="jane")["last"] == "Doe"


@pytest.fixture
def people(shared: Shared) -> Table:
    """The people table, emptied, as a Table that knows its key (not its indexes)."""
    table = emptied(Table("people", schema=USERS_SCHEMA, connection=shared.connection))
    table.put_item({"username": "jane", "email": "j@x", "team": "red", "secret": "keep me"})
    shared.recorder.clear()
    return table


@pytest.mark.parametrize(
    "read_from_index",
    [
        lambda table: table.query_2(index="by_email", email__eq="j@x"),
        lambda table: table.scan(index="by_email"),
    ],
    ids=["query_2", "scan"],
)
def test_save_of_an_item_read_from_an_index_not_known_to_project_all_is_refused(
    shared: Shared,
    people: Table,
    recorder: RecordingTransport,
    read_from_index: Callable[[Table], Iterable[Item]],
) -> None:
    # boto 2's usual Table("name"): neither the key nor the indexes known.
    (item,) = read_from_index(Table("people", connection=shared.connection))
    assert item.is_partial  # maybe: the index's projection is not known yet
    item["flag"] = "set"

    with pytest.raises(ParameterValidationError, match="partial_save"):
        item.save()

    assert recorder.operations == [recorder.operations[0], "DescribeTable"]
    assert item.is_partial
    assert stored(people, username="jane")["secret"] == {"S": "keep me"}

    assert item.partial_save()

    assert read(people, username="jane") == {
        "username": "jane",
        "email": "j@x",
        "team": "red",
        "secret": "keep me",
        "flag": "set",
    }


def test_partial_save_of_an_item_read_from_an_index_found_to_project_all_checks_new_attributes(
    shared: Shared, people: Table, recorder: RecordingTransport
) -> None:
    # Found to project every attribute, the item is whole: an attribute it adds must not
    # exist yet (another writer may have added it since), as for any whole item.
    (item,) = Table("people", connection=shared.connection).query_2(index="by_team", team__eq="red")
    people.connection.update_item(
        "people",
        {"username": {"S": "jane"}},
        update_expression="SET nick = :v",
        expression_attribute_values={":v": {"S": "theirs"}},
    )
    item["nick"] = "mine"

    with pytest.raises(ConditionalCheckFailedException):
        item.partial_save()

    assert "DescribeTable" in recorder.operations
    assert not item.is_partial
    assert read(people, username="jane")["nick"] == "theirs"


class _OwnFromWire(Item):
    """An item class with a from_wire of its own (which result sets call per item)."""

    @classmethod
    def from_wire(cls, table: Any, wire_item: Any, **kwargs: Any) -> _OwnFromWire:
        return super().from_wire(table, wire_item, **kwargs)


class _OwnItemsTable(Table):
    _item_class = _OwnFromWire


def test_an_item_class_with_its_own_from_wire_is_refused_alike(
    shared: Shared, people: Table
) -> None:
    table = _OwnItemsTable("people", connection=shared.connection)
    (item,) = table.query_2(index="by_email", email__eq="j@x")
    item["flag"] = "set"

    assert type(item) is _OwnFromWire
    with pytest.raises(ParameterValidationError, match="partial_save"):
        item.save()
    assert "flag" not in stored(people, username="jane")


def test_save_of_an_item_read_from_an_index_found_to_project_all_writes(
    shared: Shared, people: Table, recorder: RecordingTransport
) -> None:
    (item,) = Table("people", connection=shared.connection).query_2(index="by_team", team__eq="red")
    item["flag"] = "set"

    assert item.save()

    assert not item.is_partial
    assert recorder.operations == ["Query", "DescribeTable", "UpdateItem"]
    assert read(people, username="jane")["flag"] == "set"


def test_a_table_that_knows_its_indexes_does_not_describe_itself_to_save(
    shared: Shared, people: Table, recorder: RecordingTransport
) -> None:
    knowing = Table(
        "people", schema=USERS_SCHEMA, global_indexes=PEOPLE_INDEXES, connection=shared.connection
    )
    (partial,) = knowing.query_2(index="by_email", email__eq="j@x")
    (whole,) = knowing.query_2(index="by_team", team__eq="red")

    assert partial.is_partial
    assert not whole.is_partial
    whole["flag"] = "set"
    assert whole.save()
    assert "DescribeTable" not in recorder.operations


def test_partial_save_of_an_item_read_with_some_attributes_keeps_the_others(
    users: Table,
) -> None:
    users.put_item({"username": "jane", "first": "Jane", "last": "Doe"})
    projected = next(iter(users.scan(attributes=["username", "first"])))
    projected["first"] = "Janet"

    assert projected.partial_save()

    assert read(users, username="jane") == {"username": "jane", "first": "Janet", "last": "Doe"}


def test_partial_save_of_a_projected_item_may_set_an_attribute_it_was_read_without(
    users: Table,
) -> None:
    users.put_item({"username": "jane", "first": "Jane", "last": "Doe", "visits": 3})
    projected = users.get_item(username="jane", attributes=["username", "visits"])
    # "last" is stored, but this copy cannot know it: no "still absent" check for it.
    projected["last"] = "Smith"

    assert projected.partial_save()

    assert read(users, username="jane") == {
        "username": "jane",
        "first": "Jane",
        "last": "Smith",
        "visits": 3,
    }


def test_save_with_overwrite_of_a_projected_item_stores_exactly_its_attributes(
    users: Table,
) -> None:
    users.put_item({"username": "jane", "first": "Jane", "last": "Doe"})
    projected = users.get_item(username="jane", attributes=["username", "first"])

    assert projected.save(overwrite=True)

    assert read(users, username="jane") == {"username": "jane", "first": "Jane"}


def test_saving_a_loaded_item_whose_key_was_changed_is_refused_and_writes_nothing(
    users: Table, recorder: RecordingTransport
) -> None:
    users.put_item({"username": "jane", "age": 30})
    item = users.get_item(username="jane", consistent=True)
    item["username"] = "janet"
    item["age"] = 31
    recorder.clear()

    for save in (Item.partial_save, Item.save):
        with pytest.raises(RequestValidationError, match="key attribute 'username' was changed"):
            save(item)
    assert recorder.operations == []
    assert stored(users, username="janet") == {}

    # Stored whole under the new key, when that is what is meant (the old one stays).
    assert item.save(overwrite=True)
    assert read(users, username="janet") == {"username": "janet", "age": 31}
    assert read(users, username="jane") == {"username": "jane", "age": 30}


# ------------------------------------------------------- boto 2's save steps, overridden


class _StampedItem(Item):
    """An item class overriding boto 2's save steps, as subclasses of its days did."""

    def prepare_full(self) -> dict[str, Any]:
        return dict(super().prepare_full(), stamp={"N": "1"})

    def prepare_partial(self) -> tuple[dict[str, Any], set[str]]:
        updates, fields = super().prepare_partial()
        updates["touched"] = {"Action": "ADD", "Value": {"N": "1"}}
        return updates, fields


class _StampingTable(Table):
    _item_class = _StampedItem


def test_an_item_class_overriding_boto2s_save_steps_saves_through_them(
    shared: Shared, users: Table, recorder: RecordingTransport
) -> None:
    table = _StampingTable("users", schema=USERS_SCHEMA, connection=shared.connection)

    assert table.put_item({"username": "jane", "age": 30})
    assert stored(users, username="jane")["stamp"] == {"N": "1"}

    item = table.get_item(username="jane", consistent=True)
    item["age"] = 31
    assert item.partial_save()
    assert read(users, username="jane") == {
        "username": "jane",
        "age": 31,
        "stamp": 1,
        "touched": 1,
    }

    # boto 2's save of a loaded item: the whole item under Expected (its loaded values),
    # which DynamoDB checks. (Neither moto nor dynalite checks {"Exists": true, "Value":
    # ...}, so the condition sent is what is asserted here.)
    item["age"] = 32
    assert item.save()
    assert recorder.bodies("PutItem")[-1]["Expected"]["age"] == {
        "Exists": True,
        "Value": {"N": "31"},
    }
    assert read(users, username="jane")["age"] == 32


class _AuditedItem(Item):
    """An item class overriding only boto 2's hooks around a save (logging, as many did)."""

    saved: ClassVar[list[str]] = []

    def mark_clean(self) -> None:
        _AuditedItem.saved.append(str(self["username"]))
        super().mark_clean()


class _AuditingTable(Table):
    _item_class = _AuditedItem


def test_an_item_class_overriding_only_mark_clean_saves_the_usual_way(
    shared: Shared, users: Table, recorder: RecordingTransport
) -> None:
    original = {"username": {"S": "jane"}, "nickname": {"NULL": True}, "n": {"N": "1"}}
    shared.connection.put_item({"TableName": "users", "Item": original})
    table = _AuditingTable("users", schema=USERS_SCHEMA, connection=shared.connection)
    item = table.get_item(username="jane", consistent=True)
    # Another writer adds an attribute meanwhile: an UpdateItem keeps it.
    shared.connection.put_item({"TableName": "users", "Item": {**original, "other": {"S": "x"}}})
    item["n"] = 2
    recorder.clear()
    _AuditedItem.saved.clear()

    assert item.save()

    assert recorder.operations == ["UpdateItem"]  # not boto 2's PutItem of the whole item
    assert _AuditedItem.saved == ["jane"]
    assert stored(users, username="jane") == {**original, "other": {"S": "x"}, "n": {"N": "2"}}


# ------------------------------------------ stored NULLs, empty strings and empty binaries

#: Values boto 2 called "no attribute" that DynamoDB stores (as another client may write
#: them; empty strings and binaries since 2020), in wire form and as they read back.
STORED_NOTHINGS = [
    pytest.param({"NULL": True}, None, id="NULL"),
    pytest.param({"S": ""}, "", id="empty-string"),
    pytest.param({"B": ""}, b"", id="empty-binary"),
]


def stored_with_null(shared: Shared, users: Table, stored: Any = None) -> Item:
    """jane, with ``nickname`` stored as ``stored`` (DynamoDB NULL unless told)."""
    shared.connection.put_item(
        {
            "TableName": "users",
            "Item": {
                "username": {"S": "jane"},
                "nickname": {"NULL": True} if stored is None else stored,
                "age": {"N": "30"},
            },
        }
    )
    return users.get_item(username="jane", consistent=True)


def stored_wire(shared: Shared) -> dict[str, Any]:
    response = shared.connection.get_item(
        {"TableName": "users", "Key": {"username": {"S": "jane"}}, "ConsistentRead": True}
    )
    item: dict[str, Any] = response["Item"]
    return item


@pytest.mark.parametrize(("stored", "read_back"), STORED_NOTHINGS)
def test_a_stored_null_or_empty_value_is_not_a_change(
    shared: Shared, users: Table, stored: Any, read_back: Any
) -> None:
    item = stored_with_null(shared, users, stored)

    assert item["nickname"] == read_back
    assert not item.needs_save()
    assert item.save() is False
    assert item.partial_save() is False


@pytest.mark.parametrize(("stored", "read_back"), STORED_NOTHINGS)
def test_saving_other_changes_keeps_a_stored_null_or_empty_value(
    shared: Shared, users: Table, stored: Any, read_back: Any
) -> None:
    for save in (Item.save, Item.partial_save, functools.partial(Item.save, overwrite=True)):
        item = stored_with_null(shared, users, stored)
        item["age"] = 31

        assert save(item)

        assert stored_wire(shared)["nickname"] == stored, save
        assert stored_wire(shared)["age"] == {"N": "31"}


def test_deleting_a_stored_null_removes_it(shared: Shared, users: Table) -> None:
    item = stored_with_null(shared, users)
    del item["nickname"]

    assert item.partial_save()

    assert "nickname" not in stored_wire(shared)
