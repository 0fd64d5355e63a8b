"""The integration scenarios, through dynamodb2.aio, on moto, moto server and dynalite.

Each test walks one area of the synchronous suite (tests/integration/test_*_integration.py) with
``AsyncTable``: lifecycle and indexes, items and their saves, queries and scans with
their pages and cursors, batches, transactions, updates, time to live and layer1. What
the asynchronous API refuses before sending is what the synchronous one refuses.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from dynamodb2 import Attr, Key
from dynamodb2.aio import (
    AsyncConnection,
    AsyncDynamoDBConnection,
    AsyncItem,
    AsyncTable,
    transact_get,
    transaction,
)
from dynamodb2.cursors import decode_cursor, encode_cursor
from dynamodb2.exceptions import (
    ConditionalCheckFailedException,
    ItemNotFound,
    ParameterValidationError,
    QueryError,
    RequestValidationError,
    ResourceNotFoundException,
    TransactionCanceledException,
    ValidationException,
)
from dynamodb2.fields import GlobalAllIndex, HashKey, KeysOnlyIndex, RangeKey
from dynamodb2.table import Table
from dynamodb2.types import NUMBER
from tests.support.backends import Backend

pytestmark = pytest.mark.anyio

SCHEMA = [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]


async def make_posts(aconn: AsyncConnection, name: str = "posts", **options: Any) -> AsyncTable:
    table = await AsyncTable.create(
        name,
        schema=SCHEMA,
        indexes=[KeysOnlyIndex("by_subject", parts=[HashKey("forum"), RangeKey("subject")])],
        global_indexes=[
            GlobalAllIndex(
                "by_author",
                parts=[HashKey("author"), RangeKey("posted", data_type=NUMBER)],
                throughput={"read": 1, "write": 1},
            )
        ],
        connection=aconn,
        **options,
    )
    await table.wait_until_active(timeout=10)
    return table


async def test_lifecycle_create_describe_update_count_delete(aconn: AsyncConnection) -> None:
    table = await make_posts(aconn)
    assert isinstance(table.connection, AsyncDynamoDBConnection)

    fresh = AsyncTable("posts", connection=aconn)
    description = await fresh.describe()

    assert description["Table"]["TableName"] == "posts"
    assert [field.name for field in fresh.schema or ()] == ["forum", "posted"]
    assert [index.name for index in fresh.global_indexes or ()] == ["by_author"]
    assert await fresh.get_key_fields() == ["forum", "posted"]
    assert await table.update(throughput={"read": 3, "write": 4}) is True
    assert table.throughput == {"read": 3, "write": 4}
    assert await table.update() is False
    assert await table.count() == 0
    assert await table.delete() is True
    await table.wait_until_deleted(timeout=10)
    with pytest.raises(ResourceNotFoundException):
        await table.describe()


async def test_items_put_get_save_partial_save_and_delete(aconn: AsyncConnection) -> None:
    table = await make_posts(aconn)

    assert await table.put_item({"forum": "db", "posted": 1, "subject": "hi", "views": 3})
    with pytest.raises(ConditionalCheckFailedException):
        await table.put_item({"forum": "db", "posted": 1})
    item = await table.get_item(forum="db", posted=1)
    assert isinstance(item, AsyncItem)
    assert (item["subject"], item["views"]) == ("hi", Decimal(3))
    assert await item.get_keys() == {"forum": "db", "posted": Decimal(1)}

    item["views"] = 4
    item["tags"] = {"a", "b"}
    del item["subject"]
    assert await item.partial_save() is True
    assert await item.partial_save() is False
    stored = await table.lookup("db", 1)
    assert (stored["views"], stored["tags"], stored["subject"]) == (4, {"a", "b"}, None)

    # save() is a compare-and-set: a stale copy fails instead of overwriting.
    stale = await table.get_item(forum="db", posted=1)
    stored["views"] = 5
    assert await stored.save() is True
    stale["views"] = 6
    with pytest.raises(ConditionalCheckFailedException):
        await stale.save()
    assert await stale.save(overwrite=True) is True

    new = await table.new_item("db", 2)
    new["subject"] = "new"
    assert await new.save() is True
    assert await table.has_item(forum="db", posted=2) is True
    assert await table.delete_item(forum="db", posted=2, condition=Attr("subject").eq("x")) is False
    assert await new.delete() is True
    assert await table.has_item(forum="db", posted=2) is False
    with pytest.raises(ItemNotFound):
        await table.get_item(forum="db", posted=2)


async def test_update_item_actions_conditions_and_return_values(aconn: AsyncConnection) -> None:
    table = await make_posts(aconn)

    created = await table.update_item(
        {"forum": "db", "posted": 1},
        set={"subject": "hi", "meta": {"lang": "en"}},
        add={"views": 2},
        return_values="ALL_NEW",
    )
    assert created is not None
    assert (created["subject"], created["views"], created["meta"]) == ("hi", 2, {"lang": "en"})
    assert await table.update_item({"forum": "db", "posted": 1}, add={"views": 1}) is None
    with pytest.raises(ConditionalCheckFailedException):
        await table.update_item(
            {"forum": "db", "posted": 1}, remove=["meta"], condition=Attr("views").lt(3)
        )
    old = await table.update_item(
        {"forum": "db", "posted": 1}, set={"meta.lang": "fr"}, return_values="UPDATED_OLD"
    )
    assert old is not None
    assert old["meta"] == {"lang": "en"}


async def test_queries_and_scans_page_limit_resume_and_count(aconn: AsyncConnection) -> None:
    table = await make_posts(aconn)
    async with table.batch_write() as batch:
        for n in range(30):
            await batch.put_item(
                {"forum": "db" if n < 25 else "ops", "posted": n, "author": f"a{n % 3}"}
            )

    newest = [item["posted"] async for item in table.query_2(forum__eq="db", reverse=True, limit=3)]
    assert newest == [24, 23, 22]
    paged = table.query_2(forum__eq="db", posted__gte=5, max_page_size=4)
    assert [item["posted"] async for item in paged] == list(range(5, 25))
    assert paged.fetches >= 5
    assert paged.exhausted

    first = table.query_2(key_condition=Key("forum").eq("db"), max_page_size=7)
    taken = []
    async for item in first:
        taken.append(item["posted"])
        if len(taken) == 10:
            break
    rest = table.query_2(forum__eq="db", exclusive_start_key=first.last_evaluated_key)
    assert taken + [item["posted"] async for item in rest] == list(range(25))

    by_author = [item["posted"] async for item in table.query_2(author__eq="a1", index="by_author")]
    assert by_author == [n for n in range(30) if n % 3 == 1]
    assert await table.query_count(forum__eq="db", posted__lt=10) == 10
    assert await table.query_count(forum__eq="db", limit=4) == 25

    filtered = table.scan(author__eq="a2", max_page_size=5)
    assert sorted([item["posted"] async for item in filtered]) == [
        n for n in range(30) if n % 3 == 2
    ]
    everything = [item["posted"] async for item in table.parallel_scan(total_segments=3)]
    assert sorted(everything) == list(range(30))

    stopped = table.scan(limit=11)
    assert len(await stopped.to_list()) == 11
    last = stopped.last_evaluated_key
    assert last is not None
    cursor = encode_cursor(last, secret=b"k" * 32)
    resumed = table.scan(exclusive_start_key=decode_cursor(cursor, secret=b"k" * 32))
    assert len(await resumed.to_list()) == 19


async def test_batches_write_and_read_every_item_once(aconn: AsyncConnection) -> None:
    table = await make_posts(aconn)

    async with table.batch_write() as batch:
        for n in range(60):
            await batch.put_item({"forum": "db", "posted": n, "body": "x" * 100})
        await batch.delete_item(forum="db", posted=0)
    assert batch.sent == 61
    keys = [{"forum": "db", "posted": n} for n in range(150)] + [{"forum": "db", "posted": 5}]
    found = [item["posted"] async for item in table.batch_get(keys)]
    assert sorted(found) == list(range(1, 60))


async def test_transactions_commit_cancel_and_read_a_snapshot(
    aconn: AsyncConnection, backend: Backend
) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite has no transactions (TransactWriteItems)")
    table = await make_posts(aconn)
    await table.put_item({"forum": "db", "posted": 1, "views": 10})

    one_key = {"forum": "db", "posted": 1}
    async with transaction(aconn) as tx:
        tx.update(table, one_key, add={"views": -5}, condition=Attr("views").gte(5))
        tx.put(table, {"forum": "db", "posted": 2, "views": 5})
    failing = transaction()
    failing.update(table, one_key, add={"views": -50}, condition=Attr("views").gte(50))
    failing.delete(table, {"forum": "db", "posted": 2})
    with pytest.raises(TransactionCanceledException) as cancelled:
        await failing.commit()
    assert [action["operation"] for action in cancelled.value.actions or ()] == ["Update", "Delete"]

    one, two, missing = await transact_get(
        None,
        [
            (table, {"forum": "db", "posted": 1}),
            (table, {"forum": "db", "posted": 2}),
            (table, {"forum": "db", "posted": 3}),
        ],
    )
    assert (one["views"] if one else None, two["views"] if two else None, missing) == (5, 5, None)


async def test_layer1_methods_take_boto2_arguments(aconn: AsyncConnection) -> None:
    layer1 = AsyncDynamoDBConnection(connection=aconn)
    await layer1.create_table(
        [{"AttributeName": "id", "AttributeType": "S"}],
        "layered",
        [{"AttributeName": "id", "KeyType": "HASH"}],
        {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    await AsyncTable("layered", connection=layer1).wait_until_active(timeout=10)
    await layer1.put_item("layered", {"id": {"S": "a"}, "n": {"N": "1"}})
    assert await layer1.get_item("layered", {"id": {"S": "a"}}, consistent_read=True) == {
        "Item": {"id": {"S": "a"}, "n": {"N": "1"}}
    }
    assert "layered" in (await layer1.list_tables())["TableNames"]
    assert (await layer1.make_request("DescribeTable", {"TableName": "layered"}))["Table"]


async def test_time_to_live_is_enabled_described_and_disabled(
    aconn: AsyncConnection, backend: Backend
) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite has no time to live (UpdateTimeToLive)")
    table = await make_posts(aconn)

    assert await table.enable_ttl("expires") is True
    assert await table.enable_ttl("expires") is False
    assert (await table.describe_ttl()).attribute_name == "expires"
    assert await table.disable_ttl() is True


async def test_what_the_sync_api_refuses_before_sending_the_async_one_refuses_too(
    aconn: AsyncConnection, backend: Backend
) -> None:
    table = await make_posts(aconn)
    sync_table = Table("posts", connection=backend.connect())
    sync_table.describe()
    mistakes: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"forum": "db"}, RequestValidationError),  # no sort key
        ({"forum": "db", "posted": "one"}, RequestValidationError),  # wrong type
    ]
    for key, refusal in mistakes:
        with pytest.raises(refusal) as sync_error:
            sync_table.get_item(**key)
        with pytest.raises(refusal) as async_error:
            await table.get_item(**key)
        assert str(async_error.value) == str(sync_error.value)
    with pytest.raises(ParameterValidationError):
        await table.put_item({"forum": "db", "posted": 1, "big": "x" * 410_000})
    with pytest.raises(ValidationException):
        await table.update_item({"forum": "db", "posted": 1}, set={"forum": "x"})
    with pytest.raises(QueryError):
        AsyncTable("simple", schema=[HashKey("id")]).query(id__eq="x")


async def test_a_thousand_concurrent_get_items_share_one_connection(
    aconn: AsyncConnection,
) -> None:
    table = await make_posts(aconn)
    async with table.batch_write() as batch:
        for n in range(100):
            await batch.put_item({"forum": "db", "posted": n})

    items = await asyncio.gather(*(table.get_item(forum="db", posted=n % 100) for n in range(1000)))

    assert [item["posted"] for item in items] == [n % 100 for n in range(1000)]


async def test_concurrent_conditional_updates_of_one_item_let_exactly_one_through(
    aconn: AsyncConnection, backend: Backend
) -> None:
    # What examples/async_api.py relied on when its two buyers raced: DynamoDB applies
    # conditional writes to one item one at a time, and so do dynalite and moto in
    # process (which answers in the event loop's thread). moto's server checks the
    # condition and writes without a lock: under load it lets two through.
    if backend.name == "moto_server":
        pytest.skip("moto's server checks conditions and writes without a lock")
    table = await AsyncTable.create(
        "stock", schema=[HashKey("sku")], billing_mode="PAY_PER_REQUEST", connection=aconn
    )
    await table.wait_until_active(timeout=30)

    async def reserve() -> bool:
        try:
            await table.update_item({"sku": "a"}, add={"stock": -1}, condition=Attr("stock").gt(0))
        except ConditionalCheckFailedException:
            return False
        return True

    for stock in (1, 3):
        await table.put_item({"sku": "a", "stock": stock}, overwrite=True)
        won = await asyncio.gather(*(reserve() for _ in range(10)))
        item = await table.get_item(sku="a", consistent=True)
        assert (sum(won), item["stock"]) == (stock, 0)
