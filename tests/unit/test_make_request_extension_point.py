"""boto 2's layer1 extension point: every operation method ends in
``self.make_request(action="GetItem", body=<JSON text>)``, so a ``DynamoDBConnection``
subclass that overrides ``make_request``, or ``mock.patch.object(conn, "make_request")``,
sees every call, and what it returns is what the method returns.

Here as in boto 2.49: the action is the operation's name, the body is the request as
JSON text (``json.dumps`` of the parameters, as boto 2 sent it), and an override may call
``super().make_request(action, body)`` to send it. Without an override nothing is encoded
twice: the methods hand the request to the connection as before.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Any, Final
from unittest import mock

import pytest

from dynamodb2.aio import AsyncDynamoDBConnection, AsyncTable
from dynamodb2.fields import HashKey
from dynamodb2.layer1 import DynamoDBConnection, _Layer1
from dynamodb2.table import Table
from tests.support.fakes import ScriptedTransport, async_connection_to, fake_connection

KEY: Final = {"id": {"S": "a"}}
ITEM: Final = {"Item": {"id": {"S": "from make_request"}}}

#: Every layer1 operation method, called with valid arguments, and the action boto 2 named.
OPERATIONS: Final[dict[str, tuple[Callable[[Any], Any], dict[str, Any]]]] = {
    "BatchGetItem": (
        lambda c: c.batch_get_item({"users": {"Keys": [KEY]}}),
        {"RequestItems": {"users": {"Keys": [KEY]}}},
    ),
    "BatchWriteItem": (
        lambda c: c.batch_write_item({"users": [{"DeleteRequest": {"Key": KEY}}]}),
        {"RequestItems": {"users": [{"DeleteRequest": {"Key": KEY}}]}},
    ),
    "CreateTable": (
        lambda c: c.create_table(
            [{"AttributeName": "id", "AttributeType": "S"}],
            "users",
            [{"AttributeName": "id", "KeyType": "HASH"}],
            {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        ),
        {
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "TableName": "users",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        },
    ),
    "DeleteItem": (lambda c: c.delete_item("users", KEY), {"TableName": "users", "Key": KEY}),
    "DeleteTable": (lambda c: c.delete_table("users"), {"TableName": "users"}),
    "DescribeTable": (lambda c: c.describe_table("users"), {"TableName": "users"}),
    "GetItem": (
        lambda c: c.get_item("users", KEY, consistent_read=True),
        {"TableName": "users", "Key": KEY, "ConsistentRead": True},
    ),
    "ListTables": (lambda c: c.list_tables(limit=5), {"Limit": 5}),
    "PutItem": (lambda c: c.put_item("users", KEY), {"TableName": "users", "Item": KEY}),
    "Query": (
        lambda c: c.query("users", key_condition_expression="id = :v"),
        {"TableName": "users", "KeyConditionExpression": "id = :v"},
    ),
    "Scan": (lambda c: c.scan("users", limit=2), {"TableName": "users", "Limit": 2}),
    "UpdateItem": (
        lambda c: c.update_item("users", KEY, update_expression="REMOVE x"),
        {"TableName": "users", "Key": KEY, "UpdateExpression": "REMOVE x"},
    ),
    "UpdateTable": (
        lambda c: c.update_table("users", billing_mode="PAY_PER_REQUEST"),
        {"TableName": "users", "BillingMode": "PAY_PER_REQUEST"},
    ),
    "TransactWriteItems": (
        lambda c: c.transact_write_items([{"Delete": {"TableName": "users", "Key": KEY}}]),
        {"TransactItems": [{"Delete": {"TableName": "users", "Key": KEY}}]},
    ),
    "TransactGetItems": (
        lambda c: c.transact_get_items([{"Get": {"TableName": "users", "Key": KEY}}]),
        {"TransactItems": [{"Get": {"TableName": "users", "Key": KEY}}]},
    ),
    "UpdateTimeToLive": (
        lambda c: c.update_time_to_live("users", {"Enabled": True, "AttributeName": "ttl"}),
        {
            "TableName": "users",
            "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"},
        },
    ),
    "DescribeTimeToLive": (lambda c: c.describe_time_to_live("users"), {"TableName": "users"}),
    "ExecuteStatement": (
        lambda c: c.execute_statement('SELECT * FROM "users"'),
        {"Statement": 'SELECT * FROM "users"'},
    ),
}


def answer(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
    return {"answered_by": "the service", "operation": operation}


class Instrumented(DynamoDBConnection):
    """A boto 2-style subclass: it answers every request itself."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.seen: list[tuple[str, Any]] = []

    def make_request(self, action: str, body: Any) -> Any:
        self.seen.append((action, body))
        return {"answered_by": "make_request", "action": action}


def instrumented() -> tuple[Instrumented, ScriptedTransport]:
    connection, fake = fake_connection(answer)
    return Instrumented(connection=connection), fake


def plain() -> tuple[DynamoDBConnection, ScriptedTransport]:
    connection, fake = fake_connection(answer)
    return DynamoDBConnection(connection=connection), fake


def test_the_operations_listed_here_are_every_layer1_operation() -> None:
    methods = {
        name
        for name, value in vars(_Layer1).items()
        if inspect.isfunction(value) and not name.startswith("_")
    }
    called = {call.__code__.co_names[0] for call, _body in OPERATIONS.values()}
    assert called == methods - {"make_request"}


@pytest.mark.parametrize("action", list(OPERATIONS))
def test_a_subclass_overriding_make_request_sees_every_operation(action: str) -> None:
    conn, fake = instrumented()
    call, body = OPERATIONS[action]

    result = call(conn)

    assert result == {"answered_by": "make_request", "action": action}
    ((seen_action, seen_body),) = conn.seen
    assert seen_action == action
    assert isinstance(seen_body, str)  # JSON text, as boto 2 passed it
    assert json.loads(seen_body) == body
    assert fake.requests == []


@pytest.mark.parametrize("action", list(OPERATIONS))
def test_patching_make_request_on_the_instance_sees_every_operation(action: str) -> None:
    conn, fake = plain()
    call, body = OPERATIONS[action]

    with mock.patch.object(conn, "make_request", return_value=ITEM) as make_request:
        result = call(conn)

    assert result is ITEM
    make_request.assert_called_once_with(action=action, body=mock.ANY)
    assert json.loads(make_request.call_args.kwargs["body"]) == body
    assert fake.requests == []


def test_the_body_is_boto2s_json_text() -> None:
    conn, _fake = plain()

    with mock.patch.object(conn, "make_request", return_value=ITEM) as make_request:
        conn.get_item("users", KEY)

    # json.dumps of the parameters in boto 2's order, with json's default separators.
    assert make_request.call_args == mock.call(
        action="GetItem", body='{"TableName": "users", "Key": {"id": {"S": "a"}}}'
    )


def test_patching_make_request_on_the_class_sees_the_calls() -> None:
    conn, fake = plain()

    with mock.patch.object(DynamoDBConnection, "make_request", return_value=ITEM) as patched:
        assert conn.describe_table("users") is ITEM

    patched.assert_called_once_with(action="DescribeTable", body='{"TableName": "users"}')
    assert fake.requests == []


def test_an_override_that_calls_super_sends_the_request() -> None:
    class Counting(DynamoDBConnection):
        actions: list[str]

        def make_request(self, action: str, body: Any) -> Any:
            self.actions.append(action)
            return super().make_request(action, body)

    connection, fake = fake_connection(answer)
    conn = Counting(connection=connection)
    conn.actions = []

    response = conn.get_item("users", KEY)

    assert response == {"answered_by": "the service", "operation": "GetItem"}
    assert conn.actions == ["GetItem"]
    assert fake.bodies("GetItem") == [{"TableName": "users", "Key": KEY}]


def test_a_table_on_an_overriding_connection_reads_what_make_request_returns() -> None:
    conn, fake = instrumented()
    conn.make_request = mock.Mock(return_value=ITEM)  # type: ignore[method-assign]
    users = Table("users", schema=[HashKey("id")], connection=conn)

    item = users.get_item(id="a")

    assert dict(item.items()) == {"id": "from make_request"}
    conn.make_request.assert_called_once()
    assert conn.make_request.call_args.kwargs["action"] == "GetItem"
    assert fake.requests == []


def test_without_an_override_nothing_goes_through_make_request_or_json_dumps() -> None:
    conn, fake = plain()

    with mock.patch("dynamodb2.layer1.json", wraps=json) as layer1_json:
        response = conn.get_item("users", KEY)

    assert response == {"answered_by": "the service", "operation": "GetItem"}
    assert fake.bodies("GetItem") == [{"TableName": "users", "Key": KEY}]
    assert layer1_json.mock_calls == []
    assert "make_request" not in vars(conn)


def test_once_the_patch_is_undone_requests_go_to_the_connection_again() -> None:
    conn, fake = plain()
    with mock.patch.object(conn, "make_request", return_value=ITEM):
        conn.describe_table("users")
    assert fake.requests == []

    conn.describe_table("users")

    assert fake.bodies("DescribeTable") == [{"TableName": "users"}]


# --------------------------------------------------------------------------- asyncio


def async_layer1(
    kind: type[AsyncDynamoDBConnection] = AsyncDynamoDBConnection,
) -> tuple[AsyncDynamoDBConnection, list[object]]:
    sent: list[object] = []

    async def transport(request: object) -> Any:
        sent.append(request)
        raise AssertionError("nothing may be sent")

    connection = async_connection_to(transport)
    return kind(connection=connection), sent


class AsyncInstrumented(AsyncDynamoDBConnection):
    async def make_request(self, action: str, body: Any) -> Any:
        return {"answered_by": "make_request", "action": action, "body": json.loads(body)}


@pytest.mark.anyio
@pytest.mark.parametrize("action", list(OPERATIONS))
async def test_an_asyncio_subclass_overriding_make_request_sees_every_operation(
    action: str,
) -> None:
    conn, sent = async_layer1(AsyncInstrumented)
    call, body = OPERATIONS[action]

    result = await call(conn)

    assert result == {"answered_by": "make_request", "action": action, "body": body}
    assert sent == []


@pytest.mark.anyio
async def test_patching_make_request_on_an_asyncio_connection_gives_an_async_mock() -> None:
    conn, sent = async_layer1()

    with mock.patch.object(conn, "make_request", return_value=ITEM) as make_request:
        result = await conn.get_item("users", KEY)

    assert isinstance(make_request, mock.AsyncMock)
    assert result is ITEM
    make_request.assert_awaited_once_with(
        action="GetItem", body='{"TableName": "users", "Key": {"id": {"S": "a"}}}'
    )
    assert sent == []


@pytest.mark.anyio
async def test_an_asyncio_table_reads_what_an_overriding_make_request_returns() -> None:
    class Answering(AsyncDynamoDBConnection):
        async def make_request(self, action: str, body: Any) -> Any:
            return ITEM if action == "GetItem" else {}

    conn, sent = async_layer1(Answering)
    users = AsyncTable("users", schema=[HashKey("id")], connection=conn)

    item = await users.get_item(id="a")

    assert dict(item.items()) == {"id": "from make_request"}
    assert sent == []
