"""boto 2.49's private helpers that public code built on ``boto.dynamodb2`` calls, pinned.

Each test names who relies on the member (found in public repositories) and pins its boto
2.49 meaning, through the shim, with a ``mock.create_autospec(DynamoDBConnection)`` layer1
connection as boto 2's own tests use:

- ``Item._is_storable``: dynamo_objects (serebrov/dynamo_objects, database.py, dynamock.py)
- ``Item._data``, ``_orig_data``, ``_dynamizer``, ``_loaded``, built without ``Item.__init__``:
  faraday (edgeflip/faraday, item.py), edgeflip's targetshare (models/dynamo/base/item.py)
- ``Table._dynamizer``: faraday (table.py sets it); a websocket connection store decodes
  ``UpdateItem``'s ``Attributes`` with ``table._dynamizer.decode``
- ``Table._encode_keys``, ``_put_item(..., expects=...)``, ``_update_item(..., expects=...)``:
  a DynamoDB lock client (``DynamoDBLock``), diff.pics (FugiTech/diff.pics, server.py:
  ``item.table._update_item(item.get_keys(), {key: {"Action": "ADD", ...}})``)
- ``Table._query``, ``_scan``, ``_batch_get`` (overridden, calling ``super()``) and
  ``BatchTable._to_put`` / ``_to_delete`` / ``flush`` / ``handle_unprocessed``: faraday
  (table.py)
- ``BatchGetResultSet.the_callable`` / ``call_args`` / ``call_kwargs`` / ``_keys_left`` /
  ``_max_batch_get`` / ``_results`` / ``_results_left`` / ``_reset`` / ``fetch_more`` and a
  no-argument constructor: targetshare (models/dynamo/base/results.py)
- ``ResultSet.the_callable``, ``_results``; ``BatchTable._unprocessed``: boto 2.49's own
  unit and integration tests, and the suites copied from them
- ``DynamoDBConnection._auth_handler.region_name``: faraday and edgeflip's mock set-up
  (``conn._auth_handler.region_name = "us-mock-1"``, with ``port`` as text)
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any
from unittest import mock

import pytest

USERS_ITEM = {
    "username": {"S": "johndoe"},
    "date_joined": {"N": "12345"},
    "first_name": {"S": "John"},
}


@pytest.fixture
def users(boto: dict[str, ModuleType]) -> Any:
    """A ``users`` table (hash key ``username``, range key ``date_joined``) on a mock layer1."""
    fields = boto["fields"]
    connection = mock.create_autospec(boto["layer1"].DynamoDBConnection, instance=True)
    return boto["table"].Table(
        "users",
        schema=[fields.HashKey("username"), fields.RangeKey("date_joined", data_type="N")],
        connection=connection,
    )


# ---------------------------------------------------------------------- Item


@pytest.mark.parametrize(
    ("value", "storable"),
    [
        (None, False),
        ("", False),
        (set(), False),
        ([], False),
        ({}, False),
        (0, True),
        (0.0, True),
        (False, True),
        ("x", True),
        ({1}, True),
    ],
)
def test_item_is_storable_says_whether_boto2_would_write_the_value(
    users: Any, boto: dict[str, ModuleType], value: Any, storable: bool
) -> None:
    item = boto["items"].Item(users)
    assert item._is_storable(value) is storable


def test_item_data_is_the_current_values_and_orig_data_the_loaded_ones(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    item = boto["items"].Item(users)
    item.load({"Item": USERS_ITEM})
    assert item._loaded is True
    assert item._data == {"username": "johndoe", "date_joined": 12345, "first_name": "John"}
    assert item._orig_data == item._data
    item["first_name"] = "Johnny"
    assert item._data["first_name"] == "Johnny"
    assert item._orig_data["first_name"] == "John"
    assert item._determine_alterations() == {
        "adds": {},
        "changes": {"first_name": "Johnny"},
        "deletes": [],
    }
    item.mark_clean()
    assert item._orig_data == item._data


def test_item_data_written_directly_is_what_the_item_shows_and_saves(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    item = boto["items"].Item(users)
    item._data["nickname"] = "JD"
    assert item["nickname"] == "JD"
    assert item._orig_data == {}
    assert item.needs_save()


def test_item_built_without_init_works_from_its_attributes(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    """faraday's Item subclass sets these attributes itself and never calls Item.__init__."""
    item_class = boto["items"].Item
    item = item_class.__new__(item_class)
    item.table = users
    item._dynamizer = boto["types"].Dynamizer()
    item._loaded = False
    item._data = {"username": "johndoe", "date_joined": 12345, "ok": True}
    item._orig_data = {}
    assert item.get_keys() == {"username": "johndoe", "date_joined": 12345}
    assert item.prepare_full() == {
        "username": {"S": "johndoe"},
        "date_joined": {"N": "12345"},
        "ok": {"BOOL": True},
    }
    item._orig_data.pop("username", None)


def test_item_dynamizer_is_its_tables(users: Any, boto: dict[str, ModuleType]) -> None:
    item = boto["items"].Item(users)
    assert item._dynamizer is users._dynamizer
    assert item._dynamizer.encode("x") == {"S": "x"}


# ---------------------------------------------------------------------- Table


def test_table_dynamizer_is_boto2s_non_boolean_one_until_use_boolean(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    types = boto["types"]
    assert isinstance(users._dynamizer, types.NonBooleanDynamizer)
    assert users._dynamizer.encode(True) == {"N": "1"}
    users.use_boolean()
    assert users._dynamizer.encode(True) == {"BOOL": True}
    assert users._dynamizer.decode({"N": "5"}) == 5


def test_table_dynamizer_set_by_a_subclass_encodes_its_items(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    class Shouting(boto["types"].Dynamizer):  # type: ignore[misc]
        def _encode_s(self, attr: str) -> str:
            return attr.upper()

    users._dynamizer = Shouting()
    assert users._encode_keys({"username": "john"}) == {"username": {"S": "JOHN"}}
    assert boto["items"].Item(users, data={"a": "b"}).prepare_full() == {"a": {"S": "B"}}


def test_table_encode_keys_encodes_each_value(users: Any) -> None:
    assert users._encode_keys({"username": "john", "date_joined": 5, "tags": {"a"}}) == {
        "username": {"S": "john"},
        "date_joined": {"N": "5"},
        "tags": {"SS": ["a"]},
    }


def test_table_put_item_sends_encoded_data_and_legacy_expects_as_is(users: Any) -> None:
    users.connection.put_item.return_value = {}
    assert users._put_item({"some": {"S": "data"}}) is True
    users.connection.put_item.assert_called_once_with("users", {"some": {"S": "data"}})

    users.connection.put_item.reset_mock()
    expects = {"username": {"Exists": False}}
    assert users._put_item(USERS_ITEM, expects=expects) is True
    users.connection.put_item.assert_called_once_with("users", USERS_ITEM, expected=expects)


def test_table_update_item_encodes_the_key_and_sends_legacy_updates(users: Any) -> None:
    users.connection.update_item.return_value = {}
    updates = {"visits": {"Action": "ADD", "Value": {"N": "1"}}}
    expects = {"visits": {"Value": {"N": "4"}}}
    key = {"username": "johndoe", "date_joined": 12345}
    assert users._update_item(key, updates, expects=expects) is True
    users.connection.update_item.assert_called_once_with(
        "users",
        {"username": {"S": "johndoe"}, "date_joined": {"N": "12345"}},
        updates,
        expected=expects,
    )


def test_table_private_query_returns_boto2s_page_dict(users: Any) -> None:
    users.connection.query.return_value = {"Items": [USERS_ITEM], "Count": 1}
    page = users._query(username__eq="johndoe", limit=5)
    assert set(page) >= {"results", "last_key"}
    assert page["last_key"] is None
    assert [dict(item) for item in page["results"]] == [
        {"username": "johndoe", "date_joined": 12345, "first_name": "John"}
    ]


def test_query_2_and_scan_and_batch_get_fetch_through_overridable_helpers(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    """faraday overrides Table._query/_scan/_batch_get and calls super(): pages go through them."""
    calls: list[str] = []
    table_class = boto["table"].Table

    class Recording(table_class):  # type: ignore[misc, valid-type]
        def _query(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("query")
            return super()._query(*args, **kwargs)

        def _scan(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("scan")
            return super()._scan(*args, **kwargs)

        def _batch_get(self, *args: Any, **kwargs: Any) -> Any:
            calls.append("batch_get")
            return super()._batch_get(*args, **kwargs)

    table = Recording("users", schema=users.schema, connection=users.connection)
    users.connection.query.return_value = {"Items": [USERS_ITEM], "Count": 1}
    users.connection.scan.return_value = {"Items": [USERS_ITEM], "Count": 1}
    users.connection.batch_get_item.return_value = {"Responses": {"users": [USERS_ITEM]}}
    assert len(list(table.query_2(username__eq="johndoe"))) == 1
    assert len(list(table.scan())) == 1
    assert len(list(table.batch_get(keys=[{"username": "johndoe", "date_joined": 12345}]))) == 1
    assert calls == ["query", "scan", "batch_get"]


# ---------------------------------------------------------------------- ResultSet


def test_result_set_holds_its_callable_and_arguments(users: Any) -> None:
    results = users.query_2(username__eq="johndoe", limit=3)
    assert results.the_callable == users._query
    assert results.call_kwargs["username__eq"] == "johndoe"
    assert results._results == []


def test_batch_get_result_set_state_is_boto2s(users: Any) -> None:
    keys = [{"username": "a", "date_joined": 1}, {"username": "b", "date_joined": 2}]
    results = users.batch_get(keys=keys)
    assert results.the_callable == users._batch_get
    assert results._keys_left == keys
    assert results._max_batch_get == 100
    assert results._results_left is True
    assert results.call_args[:] == ()
    assert results.call_kwargs["consistent"] is False
    # targetshare copies a result set's state into its own subclass.
    clone = type(results)()
    clone.__dict__ = results.__dict__
    users.connection.batch_get_item.return_value = {"Responses": {"users": [USERS_ITEM]}}
    clone._reset()
    clone.fetch_more()
    assert [item["username"] for item in clone._results] == ["johndoe"]
    assert clone._keys_left == []


# ---------------------------------------------------------------------- BatchTable


def test_batch_table_buffers_puts_and_deletes_until_flush(users: Any) -> None:
    users.connection.batch_write_item.return_value = {}
    with users.batch_write() as batch:
        batch.put_item(data={"username": "a", "date_joined": 1})
        batch.delete_item(username="b", date_joined=2)
        assert batch._to_put == [{"username": "a", "date_joined": 1}]
        assert batch._to_delete == [{"username": "b", "date_joined": 2}]
        assert batch._unprocessed == []
    assert batch._to_put == []
    assert batch._to_delete == []
    users.connection.batch_write_item.assert_called_once()


def test_batch_table_subclass_flush_is_what_runs(users: Any, boto: dict[str, ModuleType]) -> None:
    """faraday's BatchTable.flush builds the request from _to_put/_to_delete itself."""
    flushed: list[tuple[list[Any], list[Any]]] = []

    class Flushing(boto["table"].BatchTable):  # type: ignore[misc]
        def flush(self) -> bool:
            this: Any = self
            flushed.append((list(this._to_put), list(this._to_delete)))
            request = {
                this.table.table_name: [
                    {"DeleteRequest": {"Key": this.table._encode_keys(key)}}
                    for key in this._to_delete
                ]
            }
            this.handle_unprocessed(this.table.connection.batch_write_item(request))
            this._to_put = []
            this._to_delete = []
            return True

    users.connection.batch_write_item.return_value = {}
    with Flushing(users) as batch:
        for n in range(26):
            batch.delete_item(username="u", date_joined=n)
    assert [len(deletes) for _, deletes in flushed] == [25, 1]
    first_request = users.connection.batch_write_item.call_args_list[0].args[0]
    assert first_request["users"][0] == {
        "DeleteRequest": {"Key": {"username": {"S": "u"}, "date_joined": {"N": "0"}}}
    }


def test_a_subclass_overriding_put_and_update_with_boto2s_signatures_saves_through_them(
    boto: dict[str, ModuleType],
) -> None:
    """Audit and time-stamp subclasses override ``_put_item(self, item_data, expects=None)``
    and ``_update_item(self, key, item_data, expects=None)`` and call ``super()``: every
    save goes through them, keeps its condition, and sends what the override passes on."""
    seen: list[tuple[str, Any]] = []

    class Stamped(boto["table"].Table):  # type: ignore[misc]
        def _put_item(self, item_data: Any, expects: Any = None) -> Any:
            seen.append(("put", sorted(item_data)))
            stamped = dict(item_data, stamp={"N": "7"})
            return super()._put_item(stamped, expects=expects)

        def _update_item(self, key: Any, item_data: Any = None, expects: Any = None) -> Any:
            seen.append(("update", key))
            return super()._update_item(key, item_data, expects=expects)

    layer1 = mock.create_autospec(boto["layer1"].DynamoDBConnection)
    layer1.put_item.return_value = {}
    layer1.update_item.return_value = {}
    fields = boto["fields"]
    table = Stamped("users", schema=[fields.HashKey("username")], connection=layer1)

    assert table.put_item(data={"username": "jane", "first_name": "Jane"}) is True
    (name, item), options = layer1.put_item.call_args
    assert (name, item["stamp"]) == ("users", {"N": "7"})
    # put_item without overwrite may not replace an existing item: the condition survived.
    assert "attribute_not_exists" in options["condition_expression"]

    layer1.get_item.return_value = {"Item": {"username": {"S": "jane"}, "age": {"N": "1"}}}
    item = table.get_item(username="jane")
    item["age"] = 2
    assert item.partial_save() is True
    item["age"] = 3
    assert item.save() is True
    assert seen == [
        ("put", ["first_name", "username"]),
        ("update", {"username": "jane"}),
        ("update", {"username": "jane"}),
    ]
    for call in layer1.update_item.call_args_list:
        assert "SET" in call.kwargs["update_expression"]
        assert "condition_expression" in call.kwargs  # compare-and-set, as saved


def sent_writes(users: Any) -> list[list[dict[str, Any]]]:
    """The write requests of each ``batch_write_item`` call so far."""
    return [call.args[0]["users"] for call in users.connection.batch_write_item.call_args_list]


def test_batch_table_lists_are_live_appending_queues_a_write(users: Any) -> None:
    """Code built on boto 2 appends to ``_to_put`` / ``_to_delete`` (items and keys as
    Python values) and expects the next flush to send them (review11's batchpriv.py)."""
    users.connection.batch_write_item.return_value = {}
    batch = users.batch_write()
    batch.put_item(data={"username": "a", "date_joined": 1})
    puts = batch._to_put
    assert puts is batch._to_put  # one list, as boto 2's attribute was
    puts.append({"username": "appended", "date_joined": 2})
    batch._to_delete.append({"username": "gone", "date_joined": 3})
    batch._to_delete.extend([{"username": "gone", "date_joined": 4}])
    assert batch._to_put == [
        {"username": "a", "date_joined": 1},
        {"username": "appended", "date_joined": 2},
    ]
    assert batch._to_delete == [
        {"username": "gone", "date_joined": 3},
        {"username": "gone", "date_joined": 4},
    ]
    assert len(batch._to_put) + len(batch._to_delete) == 4

    batch.flush()

    assert sent_writes(users) == [
        [
            {"PutRequest": {"Item": {"username": {"S": "a"}, "date_joined": {"N": "1"}}}},
            {"PutRequest": {"Item": {"username": {"S": "appended"}, "date_joined": {"N": "2"}}}},
            {"DeleteRequest": {"Key": {"username": {"S": "gone"}, "date_joined": {"N": "3"}}}},
            {"DeleteRequest": {"Key": {"username": {"S": "gone"}, "date_joined": {"N": "4"}}}},
        ]
    ]
    assert batch._to_put == []
    assert batch._to_delete == []


def test_batch_table_lists_removing_drops_the_write(users: Any) -> None:
    users.connection.batch_write_item.return_value = {}
    batch = users.batch_write()
    for n in range(4):
        batch.put_item(data={"username": f"u{n}", "date_joined": n})
    batch.delete_item(username="d", date_joined=9)
    assert batch._to_put.pop() == {"username": "u3", "date_joined": 3}
    del batch._to_put[0]
    batch._to_put.remove({"username": "u2", "date_joined": 2})
    batch._to_put[0] = {"username": "v1", "date_joined": 1}
    batch._to_delete.clear()

    batch.flush()

    assert sent_writes(users) == [
        [{"PutRequest": {"Item": {"username": {"S": "v1"}, "date_joined": {"N": "1"}}}}]
    ]


def test_batch_table_unprocessed_list_is_live(users: Any, boto: dict[str, ModuleType]) -> None:
    """A subclass whose ``handle_unprocessed`` extends ``self._unprocessed`` itself, as
    boto 2's did: what it adds is resent."""
    held = {"PutRequest": {"Item": {"username": {"S": "b"}, "date_joined": {"N": "2"}}}}

    class Keeping(boto["table"].BatchTable):  # type: ignore[misc]
        def handle_unprocessed(self, resp: dict[str, Any]) -> None:
            this: Any = self
            this._unprocessed.extend(resp.get("UnprocessedItems", {}).get("users", []))

    users.connection.batch_write_item.side_effect = [{"UnprocessedItems": {"users": [held]}}, {}]
    with Keeping(users) as batch:
        batch.put_item(data={"username": "a", "date_joined": 1})
        batch.put_item(data={"username": "b", "date_joined": 2})
        batch.flush()  # (which, unlike boto 2's, resends what is unprocessed)
        assert sent_writes(users)[1:] == [[held]]
    assert batch._unprocessed == []


def test_batch_table_subclass_should_flush_counts_the_lists(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    class EveryTwo(boto["table"].BatchTable):  # type: ignore[misc]
        def should_flush(self) -> bool:
            this: Any = self
            return len(this._to_put) + len(this._to_delete) >= 2

    users.connection.batch_write_item.return_value = {}
    with EveryTwo(users) as batch:
        for n in range(5):
            batch.put_item(data={"username": str(n), "date_joined": n})
    assert [len(writes) for writes in sent_writes(users)] == [2, 2, 1]


def test_batch_table_subclass_flush_sending_the_lists_itself_keeps_what_comes_back_unprocessed(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    """faraday's flush: send ``_to_put`` itself, ``handle_unprocessed`` the answer, then
    empty the list. The unprocessed put is still pending when the answer is handled: it
    is the same write, not a newer one, so it is kept for the resend."""
    held = {"PutRequest": {"Item": {"username": {"S": "b"}, "date_joined": {"N": "2"}}}}

    class Flushing(boto["table"].BatchTable):  # type: ignore[misc]
        def flush(self) -> bool:
            this: Any = self
            request = {
                "users": [
                    {"PutRequest": {"Item": this.table._encode_keys(put)}} for put in this._to_put
                ]
            }
            this.handle_unprocessed(this.table.connection.batch_write_item(request))
            this._to_put = []
            return True

    users.connection.batch_write_item.side_effect = [{"UnprocessedItems": {"users": [held]}}, {}]
    with Flushing(users) as batch:
        batch.put_item(data={"username": "a", "date_joined": 1})
        batch.put_item(data={"username": "b", "date_joined": 2})
        batch.flush()
        assert batch._unprocessed == [held]
    assert sent_writes(users)[1] == [held]


# ---------------------------------------------------------------------- DynamoDBConnection


def test_the_auth_handlers_region_is_the_signing_region(boto: dict[str, ModuleType]) -> None:
    # faraday's _make_dynamo_mock(): the port split from the endpoint, as text.
    regioninfo = importlib.import_module("boto.regioninfo")
    endpoint = "localhost:8000"
    _host, port = endpoint.split(":")
    conn = boto["layer1"].DynamoDBConnection(
        aws_access_key_id="AXX",
        aws_secret_access_key="SEKRIT",
        region=regioninfo.RegionInfo(name="mock", endpoint=endpoint),
        port=port,
        is_secure=False,
    )

    conn._auth_handler.region_name = "us-mock-1"

    assert conn.auth_region_name == "us-mock-1"
    assert (conn.host, conn.port) == ("localhost", 8000)
