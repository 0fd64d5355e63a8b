"""Items, tables, dynamizers and connections pickled and deep-copied, as boto 2's were
(an item in a cache, passed to a multiprocessing pool, or copied as a snapshot), on every
backend. A copy keeps what was loaded, so it saves only its own changes."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from typing import TypeVar

import botocore.session
import pytest

from dynamodb2.connection import Connection
from dynamodb2.fields import HashKey
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.types import Binary
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, Backend
from tests.support.table_support import create_table

_T = TypeVar("_T")

VALUES = {
    "username": "jo",
    "visits": Decimal(3),
    "tags": {"a", "b"},
    "doc": {"list": [1, "x", None, True], "blob": Binary(b"\x00\x01")},
}


def users(backend: Backend) -> Table:
    # A connection made without session= (a botocore session cannot be pickled).
    return create_table(backend.connect(session=None), "users", [HashKey("username")])


def round_trip(value: _T) -> _T:
    copied: _T = pickle.loads(pickle.dumps(value))
    return copied


def test_a_pickled_item_keeps_its_values_and_saves_only_its_changes(backend: Backend) -> None:
    table = users(backend)
    table.put_item(VALUES)
    loaded = table.get_item(username="jo")

    copied = round_trip(loaded)

    assert isinstance(copied, Item)
    assert dict(copied) == VALUES
    assert copied._determine_alterations() == {"adds": {}, "changes": {}, "deletes": []}
    table.get_item(username="jo").partial_save()  # nothing changed: nothing sent
    copied["visits"] += 1
    assert copied.partial_save()
    stored = table.get_item(username="jo", consistent=True)
    assert dict(stored) == {**VALUES, "visits": Decimal(4)}
    # The copy's snapshot moved on; the original's did not: it is stale now.
    loaded["visits"] = Decimal(10)
    assert loaded._determine_alterations()["changes"] == {"visits": Decimal(10)}


def test_items_of_a_page_pickle_read_or_not(backend: Backend) -> None:
    table = users(backend)
    with table.batch_write() as batch:
        for n in range(5):
            batch.put_item({"username": f"u{n}", "n": n, "tags": {f"t{n}"}})

    results = table.scan(consistent=True)
    first = next(results)
    early = pickle.loads(pickle.dumps(first))  # while its page is still being read
    page = [first, *results]
    assert dict(early) == dict(first)
    read = [dict(item) for item in page[:2]]
    copies = round_trip(page)

    assert sorted((dict(item) for item in copies), key=lambda d: d["username"]) == sorted(
        (dict(item) for item in page), key=lambda d: d["username"]
    )
    assert [dict(item) for item in copies[:2]] == read
    for item in copies:
        item["n"] += 100
        assert item.partial_save()
    assert sorted(item["n"] for item in table.scan(consistent=True)) == list(range(100, 105))


def test_a_deep_copy_is_independent_and_shares_the_connection(backend: Backend) -> None:
    table = users(backend)
    table.put_item(VALUES)
    loaded = table.get_item(username="jo")

    snapshot = copy.deepcopy(loaded)
    loaded["doc"]["list"].append("more")
    loaded["tags"].add("c")

    assert dict(snapshot) == VALUES
    assert snapshot.table is not loaded.table
    assert snapshot.table.connection is loaded.table.connection
    assert snapshot._determine_alterations() == {"adds": {}, "changes": {}, "deletes": []}


def test_a_pickled_table_and_connection_reach_the_same_endpoint(backend: Backend) -> None:
    table = users(backend)
    table.put_item({"username": "jo"})
    layer1 = table.connection
    layer1.auth_region_name = REGION  # set explicitly: kept by the pickle

    copied = round_trip(table)

    assert isinstance(copied, Table)
    assert (copied.table_name, copied.schema) == (table.table_name, table.schema)
    assert isinstance(copied.connection, DynamoDBConnection)
    assert copied.connection is not layer1
    inner = copied.connection.connection
    assert (inner.region_name, inner.endpoint_url) == (
        layer1.connection.region_name,
        layer1.connection.endpoint_url,
    )
    assert copied.connection.aws_access_key_id == ACCESS_KEY
    assert copied.get_item(username="jo")["username"] == "jo"


def test_a_connection_made_with_a_session_refuses_pickling_saying_why() -> None:
    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=botocore.session.Session(),
    )

    with pytest.raises(TypeError, match="session="):
        pickle.dumps(connection)
    with pytest.raises(TypeError, match="session="):
        copy.deepcopy(connection)
    table = Table("users", schema=[HashKey("username")], connection=connection)
    assert copy.deepcopy(table).connection is table.connection  # a table's copy shares it


class _PrefixedConnection(DynamoDBConnection):
    """A boto 2-style subclass: an argument of its own, and attributes set on it."""

    def __init__(self, prefix: str, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.prefix = prefix


def test_a_layer1_subclass_pickles_with_its_own_attributes() -> None:
    conn = _PrefixedConnection(
        "app_", host="localhost", port=8000, is_secure=False, aws_access_key_id="a",
        aws_secret_access_key="b",
    )  # fmt: skip
    conn.table_prefix = "prod_"  # type: ignore[attr-defined]

    copied = round_trip(conn)

    assert type(copied) is _PrefixedConnection
    assert (copied.prefix, copied.table_prefix) == ("app_", "prod_")  # type: ignore[attr-defined]
    assert copied.connection.endpoint_url == "http://localhost:8000"
    assert copied.provider.access_key == "a"


def test_a_deep_copy_of_a_connection_is_independent_as_in_boto_2() -> None:
    conn = DynamoDBConnection(aws_access_key_id="a", aws_secret_access_key="b")

    copied = copy.deepcopy(conn)
    copied.auth_region_name = "us-mock-2"

    assert copied.connection is not conn.connection
    assert (conn.auth_region_name, copied.auth_region_name) == ("us-east-1", "us-mock-2")


def test_items_pickled_one_by_one_share_a_connection_when_unpickled() -> None:
    table = Table(
        "users",
        schema=[HashKey("username")],
        connection=DynamoDBConnection(aws_access_key_id="a", aws_secret_access_key="b"),
    )
    pickles = [pickle.dumps(Item(table, data={"username": f"u{n}"})) for n in range(20)]

    items = [pickle.loads(blob) for blob in pickles]

    assert len({id(item.table.connection.connection) for item in items}) == 1
    # One changed since is not handed out again: it would not pickle the same now.
    items[0].table.connection.auth_region_name = "eu-west-1"
    again = pickle.loads(pickles[0])
    assert again.table.connection.auth_region_name == "us-east-1"
