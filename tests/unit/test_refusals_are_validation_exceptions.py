"""Input DynamoDB itself would refuse is refused before sending with the error DynamoDB's
refusal was for boto 2 code: a ``RequestValidationError``, which is a
``ValidationException`` (so a ``JSONResponseError`` and a ``BotoServerError``) with status
400, reason ``"Bad Request"``, error code ``"ValidationException"`` and a body of
DynamoDB's shape, and also a ``ParameterValidationError`` (a ``ValueError``).

Each case is a call boto 2.49 sent and DynamoDB answered with ``ValidationException``;
nothing may be sent. Layer1's own limits, the parallel-scan pair, and the checks of
names, paths, tokens and enumerations that Table, transactions and time to live make.
Also what the dynamizer and the key fields refuse: empty attribute names, documents nested
more than 32 levels deep, an empty key name or an unknown key type; an index with no key
part or three, or an empty projected name; and an item without a value for a key
attribute (boto 2 sent it as ``NULL``) when it is deleted or partially saved, or its
wire key is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pytest

from dynamodb2._limits import check_segment
from dynamodb2.aio import AsyncDynamoDBConnection, AsyncTable
from dynamodb2.exceptions import (
    BotoServerError,
    JSONResponseError,
    ParameterValidationError,
    RequestValidationError,
    ValidationException,
)
from dynamodb2.fields import AllIndex, GlobalIncludeIndex, HashKey, RangeKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transactions import Transaction, transact_get
from tests.support.fakes import ScriptedTransport, async_connection_to, fake_connection

SCHEMA: Final = [HashKey("id"), RangeKey("at")]
KEY: Final = {"id": "e", "at": "t"}
ATTRIBUTES: Final = [{"AttributeName": "id", "AttributeType": "S"}]
KEY_SCHEMA: Final = [{"AttributeName": "id", "KeyType": "HASH"}]


def _wire_keys(count: int) -> list[dict[str, Any]]:
    return [{"id": {"S": f"k{i}"}} for i in range(count)]


def _nested(depth: int) -> dict[str, Any]:
    """A map nested ``depth`` levels deep (DynamoDB allows 32)."""
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(depth):
        value = {"m": value}
    return value


def _deletes(count: int) -> list[dict[str, Any]]:
    return [{"DeleteRequest": {"Key": key}} for key in _wire_keys(count)]


def answer(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
    return {"Items": [], "Count": 0} if operation in ("Query", "Scan") else {}


def layer1() -> tuple[DynamoDBConnection, ScriptedTransport]:
    connection, fake = fake_connection(answer)
    return DynamoDBConnection(connection=connection), fake


#: Calls of the layer1 connection DynamoDB refuses (boto 2 sent each one).
LAYER1_CASES: Final[dict[str, Callable[[Any], object]]] = {
    "batch_get_item-101-keys": lambda c: c.batch_get_item({"t_one": {"Keys": _wire_keys(101)}}),
    "batch_write_item-26-writes": lambda c: c.batch_write_item({"t_one": _deletes(26)}),
    "query-without-key-condition": lambda c: c.query("t_one"),
    "scan-segment-without-total": lambda c: c.scan("t_one", segment=1),
    "scan-total-without-segment": lambda c: c.scan("t_one", total_segments=2),
    "create_table-without-throughput": lambda c: c.create_table(ATTRIBUTES, "t_one", KEY_SCHEMA),
    "batch_get_item-duplicate-keys": lambda c: c.batch_get_item(
        {"t_one": {"Keys": [*_wire_keys(2), *_wire_keys(1)]}}
    ),
    "batch_write_item-duplicate-deletes": lambda c: c.batch_write_item(
        {"t_one": [*_deletes(2), *_deletes(1)]}
    ),
    "transact_write_items-101-actions": lambda c: c.transact_write_items(
        [{"Delete": {"TableName": "t_one", "Key": key}} for key in _wire_keys(101)]
    ),
    "transact_get_items-101-actions": lambda c: c.transact_get_items(
        [{"Get": {"TableName": "t_one", "Key": key}} for key in _wire_keys(101)]
    ),
    "transact_get_items-no-actions": lambda c: c.transact_get_items([]),
}

#: Calls of the high-level API DynamoDB would refuse, on a table whose key is known.
TABLE_CASES: Final[dict[str, Callable[[Table], object]]] = {
    "scan-segment-without-total": lambda t: list(t.scan(segment=1)),
    "scan-total-without-segment": lambda t: list(t.scan(total_segments=2)),
    "create-empty-schema": lambda t: Table.create("events", schema=[], connection=t.connection),
    "enable_ttl-empty-name": lambda t: t.enable_ttl(""),
    "enable_ttl-name-too-long": lambda t: t.enable_ttl("x" * 256),
    "query-unknown-capacity": lambda t: list(
        t.query_2(id__eq="e", return_consumed_capacity="ALL")  # type: ignore[arg-type]
    ),
    "update_item-malformed-path": lambda t: t.update_item(KEY, set={"a..b": 1}),
    "update_item-negative-index": lambda t: t.update_item(KEY, set={"a[-1]": 1}),
    "get_item-empty-projected-name": lambda t: t.get_item(attributes=[""], id="e", at="t"),
    "transaction-token-too-long": lambda t: Transaction(
        t.connection, client_request_token="x" * 37
    ),
    "transaction-check-without-condition": lambda t: Transaction(t.connection).check(
        t,
        KEY,
        None,  # type: ignore[arg-type]
    ),
    "transact_get-no-keys": lambda t: transact_get(t.connection, []),
    "put_item-empty-attribute-name": lambda t: t.put_item(data={**KEY, "": "x"}),
    "put_item-nested-too-deep": lambda t: t.put_item(data={**KEY, "doc": _nested(40)}),
    "update_item-nested-too-deep": lambda t: t.update_item(KEY, set={"doc": _nested(40)}),
    "create-empty-key-name": lambda t: Table.create(
        "events", schema=[HashKey("")], connection=t.connection
    ),
    "create-unknown-key-type": lambda t: Table.create(
        "events", schema=[HashKey("id", data_type="X")], connection=t.connection
    ),
    "create-index-without-parts": lambda t: Table.create(
        "events", schema=SCHEMA, indexes=[AllIndex("by_at", parts=[])], connection=t.connection
    ),
    "create-index-three-parts": lambda t: Table.create(
        "events",
        schema=SCHEMA,
        indexes=[AllIndex("by_at", parts=[HashKey("id"), RangeKey("at"), RangeKey("x")])],
        connection=t.connection,
    ),
    "create-index-empty-projected-name": lambda t: Table.create(
        "events",
        schema=SCHEMA,
        global_indexes=[GlobalIncludeIndex("by_at", parts=[HashKey("at")], includes=[""])],
        connection=t.connection,
    ),
    "item-delete-without-range-value": lambda t: t.new_item("e").delete(),
    "item-partial_save-without-range-value": lambda t: _partially_saved(t.new_item("e")),
    "item-get_raw_keys-without-range-value": lambda t: t.new_item("e").get_raw_keys(),
}


def _partially_saved(item: Any) -> object:
    item["note"] = "x"
    return item.partial_save()


def assert_shaped_as_dynamodbs_refusal(error: BaseException) -> None:
    assert isinstance(error, RequestValidationError)
    for kind in (ValidationException, JSONResponseError, BotoServerError):
        assert isinstance(error, kind)
    assert isinstance(error, ParameterValidationError)
    assert isinstance(error, ValueError)
    assert (error.status, error.reason, error.error_code) == (
        400,
        "Bad Request",
        "ValidationException",
    )
    assert error.body == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": str(error),
    }
    assert error.error_message == error.message == str(error)


@pytest.mark.parametrize("call", list(LAYER1_CASES.values()), ids=list(LAYER1_CASES))
def test_layer1_refuses_what_dynamodb_refuses_with_a_validation_exception(
    call: Callable[[Any], object],
) -> None:
    conn, fake = layer1()

    with pytest.raises(ValidationException) as refused:
        call(conn)

    assert_shaped_as_dynamodbs_refusal(refused.value)
    assert fake.requests == []


@pytest.mark.parametrize("call", list(TABLE_CASES.values()), ids=list(TABLE_CASES))
def test_table_refuses_what_dynamodb_refuses_with_a_validation_exception(
    call: Callable[[Table], object],
) -> None:
    conn, fake = layer1()
    table = Table("events", schema=SCHEMA, connection=conn)

    with pytest.raises(JSONResponseError) as refused:
        call(table)

    assert_shaped_as_dynamodbs_refusal(refused.value)
    assert fake.requests == []


@pytest.mark.parametrize("pair", [(1, None), (None, 2)], ids=["segment", "total"])
def test_check_segment_refuses_half_a_pair_as_dynamodb_does(pair: tuple[Any, Any]) -> None:
    with pytest.raises(ValidationException) as refused:
        check_segment(*pair)

    assert_shaped_as_dynamodbs_refusal(refused.value)


# --------------------------------------------------------------------------- asyncio


def async_layer1(sent: list[object]) -> AsyncDynamoDBConnection:
    async def transport(request: object) -> Any:
        sent.append(request)
        raise AssertionError("nothing may be sent")

    connection = async_connection_to(transport)
    return AsyncDynamoDBConnection(connection=connection)


@pytest.mark.anyio
@pytest.mark.parametrize("call", list(LAYER1_CASES.values()), ids=list(LAYER1_CASES))
async def test_the_asyncio_layer1_refuses_the_same_way(call: Callable[[Any], Any]) -> None:
    sent: list[object] = []
    conn = async_layer1(sent)

    with pytest.raises(ValidationException) as refused:
        await call(conn)

    assert_shaped_as_dynamodbs_refusal(refused.value)
    assert sent == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    "scan_arguments", [{"segment": 1}, {"total_segments": 2}], ids=["segment", "total"]
)
async def test_the_asyncio_table_refuses_half_a_segment_pair(
    scan_arguments: dict[str, Any],
) -> None:
    sent: list[object] = []
    table = AsyncTable("events", schema=SCHEMA, connection=async_layer1(sent))

    with pytest.raises(ValidationException) as refused:
        async for _item in table.scan(**scan_arguments):
            pass

    assert_shaped_as_dynamodbs_refusal(refused.value)
    assert sent == []
