"""AsyncTable's lifecycle on every backend, through dynamodb2.aio: create, introspect,
update, indexes, delete, count (the port of tests/test_table_integration.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from dynamodb2.aio import AsyncConnection, AsyncTable
from dynamodb2.exceptions import ParameterValidationError, ResourceNotFoundException
from dynamodb2.fields import (
    AllIndex,
    GlobalAllIndex,
    GlobalBaseIndexField,
    GlobalIncludeIndex,
    GlobalKeysOnlyIndex,
    HashKey,
    IncludeIndex,
    KeysOnlyIndex,
    RangeKey,
)
from dynamodb2.types import BINARY, NUMBER
from tests.aio.support import AsyncRecordingTransport, create_async_table
from tests.support.backends import Backend

pytestmark = pytest.mark.anyio

SCHEMA = [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]
LOCAL_INDEXES = [
    KeysOnlyIndex("by_subject", parts=[HashKey("forum"), RangeKey("subject")]),
    IncludeIndex(
        "by_views",
        parts=[HashKey("forum"), RangeKey("views", data_type=NUMBER)],
        includes=["title", "author"],
    ),
]
GLOBAL_INDEXES = [
    GlobalAllIndex(
        "by_author",
        parts=[HashKey("author"), RangeKey("posted", data_type=NUMBER)],
        throughput={"read": 2, "write": 3},
    ),
    GlobalIncludeIndex(
        "by_digest",
        parts=[HashKey("digest", data_type=BINARY)],
        includes=["title"],
        throughput={"read": 4, "write": 1},
    ),
]


@pytest.fixture
def recorder(
    arecorded: tuple[AsyncConnection, AsyncRecordingTransport],
) -> AsyncRecordingTransport:
    return arecorded[1]


@pytest.fixture
def conn(arecorded: tuple[AsyncConnection, AsyncRecordingTransport]) -> AsyncConnection:
    return arecorded[0]


def throughput_by_index(table: AsyncTable) -> dict[str, Mapping[str, int] | None]:
    return {
        index.name: index.throughput
        for index in table.global_indexes or []
        if isinstance(index, GlobalBaseIndexField)
    }


async def make_messages(conn: AsyncConnection) -> AsyncTable:
    return await create_async_table(
        conn,
        "messages",
        SCHEMA,
        indexes=LOCAL_INDEXES,
        global_indexes=GLOBAL_INDEXES,
        throughput={"read": 7, "write": 9},
    )


async def test_fresh_table_introspects_schema_and_indexes_through_describe(
    conn: AsyncConnection,
) -> None:
    await make_messages(conn)

    fresh = AsyncTable("messages", connection=conn)
    described = await fresh.describe()

    assert described["Table"]["TableName"] == "messages"
    assert fresh.schema == SCHEMA
    assert fresh.throughput == {"read": 7, "write": 9}
    assert fresh.billing_mode == "PROVISIONED"
    local = {index.name: index for index in fresh.indexes or []}
    assert type(local["by_subject"]) is KeysOnlyIndex
    assert local["by_subject"].parts == (HashKey("forum"), RangeKey("subject"))
    assert type(local["by_views"]) is IncludeIndex
    assert local["by_views"].parts == (HashKey("forum"), RangeKey("views", data_type=NUMBER))
    assert sorted(local["by_views"].includes) == ["author", "title"]
    found = {index.name: index for index in fresh.global_indexes or []}
    assert found == {
        "by_author": GLOBAL_INDEXES[0],
        "by_digest": GLOBAL_INDEXES[1],
    }


async def test_local_index_projecting_everything_is_introspected_as_all_index(
    conn: AsyncConnection,
) -> None:
    every = AllIndex("by_subject", parts=[HashKey("forum"), RangeKey("subject")])
    await create_async_table(conn, "messages", SCHEMA, indexes=[every])

    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()

    assert fresh.indexes == [every]
    assert fresh.global_indexes == []


async def test_global_keys_only_index_is_introspected_with_its_throughput(
    conn: AsyncConnection,
) -> None:
    keys_only = GlobalKeysOnlyIndex(
        "by_author", parts=[HashKey("author")], throughput={"read": 1, "write": 2}
    )
    await create_async_table(conn, "messages", SCHEMA, global_indexes=[keys_only])

    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()

    assert fresh.global_indexes == [keys_only]


async def test_create_sends_each_attribute_definition_once(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    await make_messages(conn)

    (body,) = recorder.bodies("CreateTable")
    definitions = {d["AttributeName"]: d["AttributeType"] for d in body["AttributeDefinitions"]}
    assert definitions == {
        "forum": "S",
        "posted": "N",
        "subject": "S",
        "views": "N",
        "author": "S",
        "digest": "B",
    }
    assert len(body["AttributeDefinitions"]) == len(definitions)
    assert body["ProvisionedThroughput"] == {"ReadCapacityUnits": 7, "WriteCapacityUnits": 9}


async def test_on_demand_table_with_global_index_sends_no_throughput(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    table = await create_async_table(
        conn,
        "messages",
        SCHEMA,
        global_indexes=[GlobalAllIndex("by_author", parts=[HashKey("author")])],
        billing_mode="PAY_PER_REQUEST",
    )

    (body,) = recorder.bodies("CreateTable")
    assert body["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in body
    assert "ProvisionedThroughput" not in body["GlobalSecondaryIndexes"][0]
    assert table.billing_mode == "PAY_PER_REQUEST"

    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()
    assert fresh.billing_mode == "PAY_PER_REQUEST"
    (index,) = fresh.global_indexes or []
    assert isinstance(index, GlobalAllIndex)
    # DynamoDB reports an on-demand index's throughput as 0/0; so does the AsyncTable.
    assert index.throughput == {"read": 0, "write": 0}


async def test_on_demand_table_refuses_throughput_before_sending(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    with pytest.raises(ParameterValidationError, match="on-demand"):
        await AsyncTable.create(
            "messages",
            schema=SCHEMA,
            throughput={"read": 1, "write": 1},
            billing_mode="PAY_PER_REQUEST",
            connection=conn,
        )
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([], "needs a schema"),
        ([RangeKey("posted")], "starts with HashKey"),
        ([HashKey("forum"), HashKey("posted")], "second key"),
    ],
)
async def test_create_refuses_a_bad_schema_before_sending(
    conn: AsyncConnection, recorder: AsyncRecordingTransport, schema: list[HashKey], message: str
) -> None:
    with pytest.raises(ParameterValidationError, match=message):
        await AsyncTable.create("messages", schema=schema, connection=conn)
    assert recorder.requests == []


async def test_create_refuses_an_attribute_typed_two_ways_before_sending(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    clashing = GlobalAllIndex("by_posted", parts=[HashKey("posted")])  # STRING, not NUMBER
    with pytest.raises(ParameterValidationError, match="posted"):
        await AsyncTable.create(
            "messages", schema=SCHEMA, global_indexes=[clashing], connection=conn
        )
    assert recorder.requests == []


async def test_update_changes_table_and_global_index_throughput(conn: AsyncConnection) -> None:
    table = await make_messages(conn)

    assert await table.update(
        throughput={"read": 11, "write": 12},
        global_indexes={"by_author": {"read": 13, "write": 14}},
    )
    await table.wait_until_active(timeout=10)

    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()
    assert fresh.throughput == {"read": 11, "write": 12}
    assert throughput_by_index(fresh) == {
        "by_author": {"read": 13, "write": 14},
        "by_digest": {"read": 4, "write": 1},
    }


async def test_a_refused_update_leaves_the_tables_throughput_as_it_was(
    conn: AsyncConnection,
) -> None:
    missing = AsyncTable(
        "absent", schema=SCHEMA, throughput={"read": 5, "write": 5}, connection=conn
    )

    with pytest.raises(ResourceNotFoundException):
        await missing.update(throughput={"read": 9, "write": 9})
    assert missing.throughput == {"read": 5, "write": 5}


async def test_update_global_secondary_index_changes_only_that_index(conn: AsyncConnection) -> None:
    table = await make_messages(conn)

    assert await table.update_global_secondary_index({"by_digest": {"read": 6, "write": 5}})
    await table.wait_until_active(timeout=10)

    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()
    assert fresh.throughput == {"read": 7, "write": 9}
    assert throughput_by_index(fresh) == {
        "by_author": {"read": 2, "write": 3},
        "by_digest": {"read": 6, "write": 5},
    }


@pytest.mark.parametrize(
    "throughput",
    [{"read": 5}, {"read": 0, "write": 5}, {"read": "5", "write": 5}, {"read": True, "write": 1}],
    ids=["no-write", "zero", "string", "bool"],
)
async def test_malformed_throughput_is_refused_before_any_request(
    conn: AsyncConnection, recorder: AsyncRecordingTransport, throughput: dict[str, Any]
) -> None:
    table = AsyncTable("messages", schema=SCHEMA, connection=conn)

    with pytest.raises(ParameterValidationError, match="'read': 5, 'write': 5"):
        await AsyncTable.create("messages", schema=SCHEMA, throughput=throughput, connection=conn)
    with pytest.raises(ParameterValidationError, match="'read': 5, 'write': 5"):
        await table.update(throughput=throughput)
    with pytest.raises(ParameterValidationError, match="global index 'by_author'"):
        await table.update_global_secondary_index({"by_author": throughput})
    assert recorder.requests == []


async def test_update_with_nothing_to_change_returns_false_without_a_request(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    table = AsyncTable("messages", schema=SCHEMA, connection=conn)

    assert await table.update() is False
    assert await table.update_global_secondary_index({}) is False
    assert recorder.requests == []


async def test_global_secondary_index_can_be_created_and_deleted(
    backend: Backend, conn: AsyncConnection
) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite's UpdateTable cannot create or delete global secondary indexes")
    table = await create_async_table(conn, "messages", SCHEMA)

    created = GlobalIncludeIndex(
        "by_author",
        parts=[HashKey("author"), RangeKey("views", data_type=NUMBER)],
        includes=["title"],
        throughput={"read": 2, "write": 2},
    )
    assert await table.create_global_secondary_index(created)
    await table.wait_until_active(timeout=10)
    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()
    assert fresh.global_indexes == [created]

    assert await table.delete_global_secondary_index("by_author")
    await table.wait_until_active(timeout=10)
    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()
    assert fresh.global_indexes == []


async def test_global_index_added_to_an_on_demand_table_by_a_fresh_table_has_no_throughput(
    backend: Backend, conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite's UpdateTable cannot create or delete global secondary indexes")
    await create_async_table(conn, "messages", SCHEMA, billing_mode="PAY_PER_REQUEST")
    fresh = AsyncTable("messages", connection=conn)

    assert await fresh.create_global_secondary_index(
        GlobalAllIndex("by_author", parts=[HashKey("author")])
    )

    (body,) = recorder.bodies("UpdateTable")
    (update,) = body["GlobalSecondaryIndexUpdates"]
    assert "ProvisionedThroughput" not in update["Create"]


async def test_delete_removes_the_table(conn: AsyncConnection) -> None:
    table = await create_async_table(conn, "messages", SCHEMA)

    assert await table.delete() is True

    # Like DynamoDB, a backend may still describe the table as DELETING for a moment.
    try:
        status = (await AsyncTable("messages", connection=conn).describe())["Table"]["TableStatus"]
    except ResourceNotFoundException:
        status = "gone"
    assert status in ("DELETING", "gone")


async def test_count_is_the_item_count_describe_reports(conn: AsyncConnection) -> None:
    table = await create_async_table(conn, "messages", SCHEMA)
    for posted in range(3):
        await table.put_item({"forum": "python", "posted": posted})

    reported = (await table.connection.describe_table("messages"))["Table"]["ItemCount"]
    assert await table.count() == reported
    assert isinstance(await table.count(), int)


async def test_table_without_schema_reads_without_describing_as_boto2_did(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    await create_async_table(conn, "messages", SCHEMA)
    await AsyncTable("messages", schema=SCHEMA, connection=conn).put_item(
        {"forum": "a", "posted": 1}
    )
    recorder.clear()

    fresh = AsyncTable("messages", connection=conn)
    item = await fresh.get_item(forum="a", posted=1)

    assert item["posted"] == 1
    # No DescribeTable: a least-privilege policy without it still works, as with boto 2.
    assert recorder.operations == ["GetItem"]
    assert await fresh.get_key_fields() == ["forum", "posted"]
    assert recorder.operations == ["GetItem", "DescribeTable"]


async def test_described_key_types_are_checked_before_sending(
    conn: AsyncConnection, recorder: AsyncRecordingTransport
) -> None:
    await create_async_table(conn, "messages", SCHEMA)
    fresh = AsyncTable("messages", connection=conn)
    await fresh.describe()
    recorder.clear()

    with pytest.raises(ParameterValidationError, match="NUMBER") as raised:
        await fresh.get_item(forum="a", posted="not a number")
    assert raised.value.attribute == "posted"
    assert recorder.requests == []
