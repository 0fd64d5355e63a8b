"""A synchronous connection where an asyncio one belongs, or the other way round, is
refused when the object is made, with the class that was wanted, not at the first call."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from dynamodb2.aio import (
    AsyncConnection,
    AsyncDynamoDBConnection,
    AsyncItem,
    AsyncTable,
    AsyncTransaction,
)
from dynamodb2.connection import Connection
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transactions import Transaction

REGION = "us-east-1"
ENDPOINT = "http://127.0.0.1:9"  # nothing is sent


def sync_connection() -> Connection:
    return Connection(region_name=REGION, endpoint_url=ENDPOINT)


def async_connection() -> AsyncConnection:
    return AsyncConnection(region_name=REGION, endpoint_url=ENDPOINT)


CASES = [
    (lambda c: DynamoDBConnection(connection=c), async_connection, "Connection"),
    (lambda c: AsyncDynamoDBConnection(connection=c), sync_connection, "AsyncConnection"),
    (lambda c: Table("t", connection=c), async_connection, "Connection"),
    (lambda c: AsyncTable("t", connection=c), sync_connection, "AsyncConnection"),
    (Transaction, async_connection, "Connection"),
    (AsyncTransaction, sync_connection, "AsyncConnection"),
]


@pytest.mark.parametrize(("make", "wrong", "wanted"), CASES)
def test_a_connection_of_the_other_kind_is_refused(
    make: Callable[[Any], object], wrong: Callable[[], object], wanted: str
) -> None:
    connection = wrong()
    with pytest.raises(ParameterValidationError, match=wanted) as refused:
        make(connection)
    assert type(connection).__name__ in str(refused.value)


def test_the_right_kind_is_taken() -> None:
    assert Table("t", connection=sync_connection()).connection.connection is not None
    table = AsyncTable("t", connection=async_connection())
    assert isinstance(table.connection, AsyncDynamoDBConnection)


def test_the_asyncio_layer1_has_boto2s_attributes() -> None:
    conn = AsyncDynamoDBConnection(
        host="localhost",
        port=8000,
        is_secure=False,
        aws_access_key_id="AKIDASYNC",
        aws_secret_access_key="async-secret",
    )

    assert (conn.aws_access_key_id, conn.aws_secret_access_key) == ("AKIDASYNC", "async-secret")
    assert (conn.protocol, conn.path, conn.auth_region_name) == ("http", "/", REGION)
    assert conn.num_retries == 9
    assert "async-secret" not in repr(conn) + repr(conn.provider)


def test_asyncio_tables_and_items_pickle_onto_an_asyncio_connection() -> None:
    table = AsyncTable("users", schema=[HashKey("username")], connection=async_connection())
    item = AsyncItem(table, data={"username": "jo", "tags": {"a"}})

    copied = pickle.loads(pickle.dumps(item))

    assert type(copied) is AsyncItem
    assert dict(copied) == {"username": "jo", "tags": {"a"}}
    assert type(copied.table.connection) is AsyncDynamoDBConnection
    assert type(copied.table.connection.connection) is AsyncConnection
    assert copied.table.connection.connection.endpoint_url == ENDPOINT
    assert copy.deepcopy(item).table.connection is table.connection
