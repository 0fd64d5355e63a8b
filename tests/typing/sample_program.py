"""A program on dynamodb2's public (sync) API, with the types a checker must infer.

Each ``assert_type`` states what mypy --strict infers for an expression; mypy reports any
that does not hold (``tests/typing/test_typing.py`` runs it, and so does the project's own
mypy run). The program also runs, against moto, so every line is code that works.
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import Decimal
from typing import Any, Literal

from typing_extensions import assert_type

from dynamodb2 import Attr, Connection, Key
from dynamodb2.aio import (
    AsyncBatchGetResultSet,
    AsyncBatchTable,
    AsyncItem,
    AsyncResultSet,
    AsyncTable,
)
from dynamodb2.aio import transact_get as aio_transact_get
from dynamodb2.batch import BatchTable
from dynamodb2.capacity import ReportedCapacity, ReturnConsumedCapacity, WriteResult
from dynamodb2.cursors import decode_cursor, encode_cursor
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.layer1 import BillingMode, DynamoDBConnection, ReturnValues, Select
from dynamodb2.results import BatchGetResultSet, ResultSet
from dynamodb2.table import Table
from dynamodb2.transactions import TransactGetResult, Transaction, transact_get, transaction
from dynamodb2.types import NUMBER

TABLE_NAME = "typing-sample-posts"


def create_table(connection: Connection, billing_mode: BillingMode) -> Table:
    """A program's own function can take the API's literal types."""
    return Table.create(
        TABLE_NAME,
        schema=[HashKey("forum"), RangeKey("posted", data_type=NUMBER)],
        connection=connection,
        billing_mode=billing_mode,
        table_class="STANDARD",
    )


def reads(posts: Table) -> None:
    """Single items, queries, scans, batch reads and parallel scans give ``Item``."""
    post = posts.get_item(forum="python", posted=1)
    assert_type(post, Item)
    assert_type(post["subject"], Any)
    assert_type(post.get("missing"), Any)
    assert_type(post.get_keys(), dict[str, Any])
    assert_type(posts.lookup("python", 1), Item)
    assert_type(posts.has_item(forum="python", posted=1), bool)

    capacity: ReturnConsumedCapacity = "TOTAL"
    counted = posts.get_item(forum="python", posted=1, return_consumed_capacity=capacity)
    assert_type(counted.consumed_capacity_units, float)

    results = posts.query_2(forum__eq="python", posted__gte=0, limit=10, reverse=True)
    assert_type(results, ResultSet[Item])
    for item in results:
        assert_type(item, Item)
    assert_type(results.last_evaluated_key, dict[str, Any] | None)

    by_key = posts.query_2(key_condition=Key("forum").eq("python"), filter=Attr("views").gt(0))
    assert_type(list(by_key), list[Item])

    scanned = posts.scan(views__gte=0, conditional_operator="AND", return_consumed_capacity="TOTAL")
    assert_type(scanned, ResultSet[Item])
    assert_type(next(iter(scanned)), Item)
    assert_type(scanned.consumed_capacity_units, float)

    fetched = posts.batch_get(keys=[{"forum": "python", "posted": 1}, {"forum": "go", "posted": 2}])
    assert_type(fetched, BatchGetResultSet[Item])
    for item in fetched:
        assert_type(item, Item)

    assert_type(posts.parallel_scan(total_segments=2), Generator[Item, None, None])
    for item in posts.parallel_scan(total_segments=2, views__gte=0):
        assert_type(item, Item)

    assert_type(posts.query_count(forum__eq="python"), int)
    assert_type(posts.count(), int)


def pages(posts: Table) -> None:
    """A page's end as a cursor, and the query resumed from it."""
    first = posts.query_2(forum__eq="python", max_page_size=1, limit=1)
    assert_type(list(first), list[Item])
    last_key = first.last_evaluated_key
    cursor = encode_cursor(last_key) if last_key is not None else None
    assert_type(cursor, str | None)
    if cursor is not None:
        start = decode_cursor(cursor)
        assert_type(start, dict[str, Any])
        for item in posts.query_2(forum__eq="python", exclusive_start_key=start):
            assert_type(item, Item)


def writes(posts: Table) -> None:
    """Writes return boto 2's ``bool``; asking for capacity returns a ``WriteResult``."""
    assert_type(posts.put_item({"forum": "python", "posted": 1, "views": 0}), bool)
    written = posts.put_item({"forum": "go", "posted": 2}, return_consumed_capacity="TOTAL")
    assert_type(written, Literal[False] | WriteResult)
    if written:
        assert_type(written, WriteResult)
        assert_type(written.consumed_capacity_units, float)

    reported: ReportedCapacity = "INDEXES"
    assert_type(
        posts.put_item({"forum": "rust", "posted": 3}, return_consumed_capacity=reported),
        Literal[False] | WriteResult,
    )
    maybe: ReturnConsumedCapacity = "NONE"
    assert_type(
        posts.delete_item(forum="rust", posted=3, return_consumed_capacity=maybe),
        bool | WriteResult,
    )

    post = posts.get_item(forum="python", posted=1)
    post["subject"] = "Typing"
    assert_type(post.partial_save(), bool)
    post["views"] = 1
    assert_type(post.save(return_consumed_capacity="TOTAL"), Literal[False] | WriteResult)

    return_values: ReturnValues = "ALL_NEW"
    updated = posts.update_item(
        {"forum": "python", "posted": 1},
        add={"views": 1},
        set={"tags": ["typed"]},
        condition=Attr("views").gte(0),
        return_values=return_values,
    )
    assert_type(updated, Item | None)
    assert updated is not None
    assert updated["views"] == Decimal(2)

    with posts.batch_write() as batch:
        assert_type(batch, BatchTable)
        batch.put_item(data={"forum": "go", "posted": 4})
        batch.delete_item(forum="go", posted=4)

    new = posts.new_item("python", 5)
    assert_type(new, Item)
    assert_type(new.delete(), bool)


def transactions(connection: Connection, posts: Table) -> None:
    """Transactions write several items at once and read a consistent snapshot."""
    with transaction(connection, return_consumed_capacity="TOTAL") as tx:
        assert_type(tx, Transaction)
        tx.update(posts, {"forum": "python", "posted": 1}, add={"views": 1})
        tx.put(posts, {"forum": "go", "posted": 6})
    snapshot = transact_get(connection, [(posts, {"forum": "python", "posted": 1})])
    assert_type(snapshot, TransactGetResult[Item])
    for found in snapshot:
        assert_type(found, Item | None)


def low_level(connection: Connection) -> None:
    """boto 2's layer1 API takes DynamoDB's own parameters, literals included."""
    layer1 = DynamoDBConnection(connection=connection)
    select: Select = "COUNT"
    response = layer1.query(
        TABLE_NAME,
        key_condition_expression="forum = :forum",
        expression_attribute_values={":forum": {"S": "python"}},
        select=select,
        return_consumed_capacity="NONE",
    )
    assert_type(response, dict[str, Any])
    assert response["Count"] == 1


def run(connection: Connection) -> None:
    """The whole program, on one connection (its table is deleted at the end)."""
    posts = create_table(connection, "PAY_PER_REQUEST")
    assert_type(posts.wait_until_active(), dict[str, Any])
    try:
        writes(posts)
        reads(posts)
        pages(posts)
        transactions(connection, posts)
        low_level(connection)
    finally:
        assert_type(posts.delete(), bool)


async def asyncio_api(posts: AsyncTable) -> None:
    """The asynchronous API gives the same types, awaited: AsyncItem, async result sets."""
    post = await posts.get_item(forum="python", posted=1)
    assert_type(post, AsyncItem)
    assert_type(await post.partial_save(), bool)
    assert_type(await posts.put_item({"forum": "go", "posted": 2}), bool)
    assert_type(posts.query_2(forum__eq="python"), AsyncResultSet[AsyncItem])
    assert_type(posts.batch_get([{"forum": "go", "posted": 2}]), AsyncBatchGetResultSet[AsyncItem])
    async for found in posts.scan():
        assert_type(found, AsyncItem)
    async with posts.batch_write() as batch:
        assert_type(batch, AsyncBatchTable)
        await batch.put_item({"forum": "go", "posted": 3})
    assert_type(
        await posts.update_item({"forum": "go", "posted": 3}, add={"views": 1}), AsyncItem | None
    )
    snapshot = await aio_transact_get(None, [(posts, {"forum": "go", "posted": 3})])
    assert_type(snapshot, TransactGetResult[AsyncItem])
