"""boto 2-style layer1 calls, exactly as boto 2 users wrote them, on every backend, awaited
on AsyncDynamoDBConnection: the port of tests/test_layer1_integration.py."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from dynamodb2 import exceptions
from dynamodb2.aio import AsyncConnection, AsyncDynamoDBConnection, AsyncTable

pytestmark = pytest.mark.anyio

TABLE = "messages"

ATTRIBUTES = [
    {"AttributeName": "forum", "AttributeType": "S"},
    {"AttributeName": "subject", "AttributeType": "S"},
    {"AttributeName": "posted", "AttributeType": "N"},
]
KEY_SCHEMA = [
    {"AttributeName": "forum", "KeyType": "HASH"},
    {"AttributeName": "subject", "KeyType": "RANGE"},
]
THROUGHPUT = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
LSI = [
    {
        "IndexName": "by_posted",
        "KeySchema": [
            {"AttributeName": "forum", "KeyType": "HASH"},
            {"AttributeName": "posted", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    }
]


def message(forum: str, subject: str, posted: int, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "forum": {"S": forum},
        "subject": {"S": subject},
        "posted": {"N": str(posted)},
    }
    item.update(extra)
    return item


@pytest.fixture
def conn(aconn: AsyncConnection) -> AsyncDynamoDBConnection:
    return AsyncDynamoDBConnection(connection=aconn)


async def wait_until_active(conn: AsyncDynamoDBConnection, name: str) -> None:
    await AsyncTable(name, connection=conn).wait_until_active(timeout=10)


@pytest.fixture
async def table(conn: AsyncDynamoDBConnection) -> str:
    await conn.create_table(ATTRIBUTES, TABLE, KEY_SCHEMA, THROUGHPUT, local_secondary_indexes=LSI)
    await wait_until_active(conn, TABLE)
    return TABLE


async def test_create_table_with_local_index_is_described_back(
    conn: AsyncDynamoDBConnection,
) -> None:
    created = await conn.create_table(
        ATTRIBUTES, TABLE, KEY_SCHEMA, THROUGHPUT, local_secondary_indexes=LSI
    )
    assert created["TableDescription"]["TableName"] == TABLE

    described = (await conn.describe_table(TABLE))["Table"]
    assert described["KeySchema"] == KEY_SCHEMA
    assert {d["AttributeName"]: d["AttributeType"] for d in described["AttributeDefinitions"]} == {
        "forum": "S",
        "subject": "S",
        "posted": "N",
    }
    (index,) = described["LocalSecondaryIndexes"]
    assert index["IndexName"] == "by_posted"
    assert index["KeySchema"][1] == {"AttributeName": "posted", "KeyType": "RANGE"}
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 5


async def test_list_tables_pages_with_limit(conn: AsyncDynamoDBConnection) -> None:
    for name in ("alpha", "bravo", "charlie"):
        await conn.create_table(ATTRIBUTES[:1], name, KEY_SCHEMA[:1], THROUGHPUT)
    first = await conn.list_tables(limit=2)
    assert first["TableNames"] == ["alpha", "bravo"]
    rest = await conn.list_tables(exclusive_start_table_name=first["LastEvaluatedTableName"])
    assert rest["TableNames"] == ["charlie"]


async def test_put_and_get_item_with_string_set_and_map(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    item = message(
        "python",
        "boto",
        1,
        tags={"SS": ["aws", "dynamodb"]},
        author={"M": {"name": {"S": "jane"}, "karma": {"N": "12"}}},
    )
    assert await conn.put_item(table, item) == {}

    got = (await conn.get_item(table, {"forum": {"S": "python"}, "subject": {"S": "boto"}}))["Item"]
    assert sorted(got["tags"]["SS"]) == ["aws", "dynamodb"]
    assert got["author"] == {"M": {"name": {"S": "jane"}, "karma": {"N": "12"}}}


async def test_get_item_of_missing_key_has_no_item(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    got = await conn.get_item(table, {"forum": {"S": "none"}, "subject": {"S": "none"}})
    assert "Item" not in got


async def test_get_item_with_projection_expression(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    await conn.put_item(table, message("python", "proj", 2, body={"S": "hello"}, size={"N": "3"}))
    got = await conn.get_item(
        table,
        {"forum": {"S": "python"}, "subject": {"S": "proj"}},
        projection_expression="#b",
        expression_attribute_names={"#b": "body"},
        consistent_read=True,
    )
    assert got["Item"] == {"body": {"S": "hello"}}


async def test_batch_write_then_batch_get(conn: AsyncDynamoDBConnection, table: str) -> None:
    puts = [{"PutRequest": {"Item": message("batch", f"s{i:02d}", i)}} for i in range(20)]
    result = await conn.batch_write_item({table: puts})
    assert not result.get("UnprocessedItems")

    keys = [{"forum": {"S": "batch"}, "subject": {"S": f"s{i:02d}"}} for i in range(0, 20, 2)]
    got = await conn.batch_get_item({table: {"Keys": keys}})
    subjects = sorted(item["subject"]["S"] for item in got["Responses"][table])
    assert subjects == [f"s{i:02d}" for i in range(0, 20, 2)]

    await conn.batch_write_item(
        {table: [{"DeleteRequest": {"Key": key}} for key in keys]},
    )
    remaining = (await conn.scan(table))["Items"]
    assert len(remaining) == 10


async def test_query_by_key_conditions_on_local_index(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    for i in range(6):
        await conn.put_item(table, message("python", f"subject-{i}", 100 - i))
    await conn.put_item(table, message("ruby", "other", 1))

    page = await conn.query(
        table,
        {
            "forum": {"AttributeValueList": [{"S": "python"}], "ComparisonOperator": "EQ"},
            "posted": {"AttributeValueList": [{"N": "97"}], "ComparisonOperator": "GE"},
        },
        index_name="by_posted",
    )
    assert [item["posted"]["N"] for item in page["Items"]] == ["97", "98", "99", "100"]

    backwards = await conn.query(
        table,
        {"forum": {"AttributeValueList": [{"S": "python"}], "ComparisonOperator": "EQ"}},
        index_name="by_posted",
        scan_index_forward=False,
        limit=2,
    )
    assert [item["posted"]["N"] for item in backwards["Items"]] == ["100", "99"]
    assert backwards["LastEvaluatedKey"]["posted"] == {"N": "99"}


async def test_query_with_key_condition_expression(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    for i in range(3):
        await conn.put_item(table, message("go", f"topic-{i}", i))
    page = await conn.query(
        table,
        key_condition_expression="#f = :f AND begins_with(#s, :p)",
        expression_attribute_names={"#f": "forum", "#s": "subject"},
        expression_attribute_values={":f": {"S": "go"}, ":p": {"S": "topic-"}},
        select="COUNT",
    )
    assert page["Count"] == 3


async def test_parallel_scan_segments_cover_every_item_once(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    for i in range(30):
        await conn.put_item(table, message(f"forum-{i % 7}", f"subject-{i}", i))
    seen: list[str] = []
    for segment in range(3):
        start = None
        while True:
            page = await conn.scan(
                table, segment=segment, total_segments=3, exclusive_start_key=start
            )
            seen.extend(item["subject"]["S"] for item in page["Items"])
            start = page.get("LastEvaluatedKey")
            if not start:
                break
    assert sorted(seen) == sorted(f"subject-{i}" for i in range(30))


async def test_update_item_with_update_expression(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    await conn.put_item(table, message("python", "counter", 1, views={"N": "10"}))
    updated = await conn.update_item(
        table,
        {"forum": {"S": "python"}, "subject": {"S": "counter"}},
        update_expression="SET #v = #v + :one, #t = :title",
        expression_attribute_names={"#v": "views", "#t": "title"},
        expression_attribute_values={":one": {"N": "1"}, ":title": {"S": "Counting"}},
        return_values="ALL_NEW",
    )
    assert updated["Attributes"]["views"] == {"N": "11"}
    assert updated["Attributes"]["title"] == {"S": "Counting"}


async def test_update_item_with_legacy_attribute_updates(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    await conn.put_item(table, message("python", "legacy", 1, views={"N": "1"}))
    await conn.update_item(
        table,
        {"forum": {"S": "python"}, "subject": {"S": "legacy"}},
        attribute_updates={"views": {"Action": "ADD", "Value": {"N": "4"}}},
    )
    got = await conn.get_item(table, {"forum": {"S": "python"}, "subject": {"S": "legacy"}})
    assert got["Item"]["views"] == {"N": "5"}


async def test_delete_item_returns_old_values(conn: AsyncDynamoDBConnection, table: str) -> None:
    await conn.put_item(table, message("python", "gone", 1))
    deleted = await conn.delete_item(
        table, {"forum": {"S": "python"}, "subject": {"S": "gone"}}, return_values="ALL_OLD"
    )
    assert deleted["Attributes"]["posted"] == {"N": "1"}
    assert "Item" not in await conn.get_item(
        table, {"forum": {"S": "python"}, "subject": {"S": "gone"}}
    )


async def test_update_table_throughput(conn: AsyncDynamoDBConnection, table: str) -> None:
    await conn.update_table(table, {"ReadCapacityUnits": 7, "WriteCapacityUnits": 9})
    # The new throughput shows once the table is ACTIVE again (UPDATING until then).
    await wait_until_active(conn, table)
    throughput = (await conn.describe_table(table))["Table"]["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (7, 9)


async def test_delete_table_then_describe_raises_not_found(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    deleted = await conn.delete_table(table)
    assert deleted["TableDescription"]["TableName"] == table
    # Deletion may take a moment (dynalite reports DELETING first, as DynamoDB does).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            await conn.describe_table(table)
        except exceptions.ResourceNotFoundException as error:
            raised = error
            break
        await asyncio.sleep(0.01)
    else:
        pytest.fail("the table was still there 10 s after delete_table")
    assert raised.status == 400
    assert raised.error_code == "ResourceNotFoundException"
    assert raised.operation == "DescribeTable"


async def test_missing_table_raises_resource_not_found(conn: AsyncDynamoDBConnection) -> None:
    with pytest.raises(exceptions.ResourceNotFoundException) as raised:
        await conn.get_item("no_such_table", {"id": {"S": "x"}})
    # Legacy handlers keep catching it under boto 2's name.
    assert isinstance(raised.value, exceptions.JSONResponseError)


async def test_failed_condition_raises_conditional_check_failed(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    item = message("python", "once", 1)
    await conn.put_item(table, item)
    with pytest.raises(exceptions.ConditionalCheckFailedException) as raised:
        await conn.put_item(
            table,
            item,
            condition_expression="attribute_not_exists(#f)",
            expression_attribute_names={"#f": "forum"},
        )
    assert raised.value.message


async def test_legacy_expected_condition_is_passed_through(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    item = message("python", "expected", 1)
    await conn.put_item(table, item)
    with pytest.raises(exceptions.ConditionalCheckFailedException):
        await conn.put_item(table, item, expected={"forum": {"Exists": False}})


async def test_item_with_key_of_wrong_type_raises_validation_exception(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    with pytest.raises(exceptions.ValidationException) as raised:
        await conn.put_item(table, message("python", "x", 1) | {"forum": {"N": "1"}})
    assert raised.value.status == 400


async def test_key_with_attribute_outside_schema_raises_validation_exception(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    with pytest.raises(exceptions.ValidationException):
        await conn.get_item(
            table, {"forum": {"S": "python"}, "subject": {"S": "x"}, "extra": {"S": "y"}}
        )


async def test_key_missing_its_range_part_raises_validation_exception(
    conn: AsyncDynamoDBConnection, table: str
) -> None:
    with pytest.raises(exceptions.ValidationException):
        await conn.get_item(table, {"forum": {"S": "python"}})
