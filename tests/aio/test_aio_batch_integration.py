"""batch_get and batch_write on every backend, through dynamodb2.aio: the port of
tests/test_batch_integration.py (AsyncTable.batch_get, AsyncBatchTable)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from dynamodb2.aio import AsyncConnection, AsyncTable
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey
from dynamodb2.types import NUMBER
from tests.aio.support import AsyncRecordingTransport, create_async_table

pytestmark = pytest.mark.anyio


@pytest.fixture
def recorder(arecorded: tuple[AsyncConnection, AsyncRecordingTransport]) -> AsyncRecordingTransport:
    return arecorded[1]


@pytest.fixture
async def users(arecorded: tuple[AsyncConnection, AsyncRecordingTransport]) -> AsyncTable:
    connection, recorder = arecorded
    table = await create_async_table(connection, "users", [HashKey("username")])
    recorder.clear()
    return table


@pytest.fixture
async def counters(arecorded: tuple[AsyncConnection, AsyncRecordingTransport]) -> AsyncTable:
    connection, recorder = arecorded
    table = await create_async_table(connection, "counters", [HashKey("id", data_type=NUMBER)])
    recorder.clear()
    return table


class Interrupted(Exception):
    """Raised inside a batch block by the tests."""


async def everything(table: AsyncTable) -> dict[str, dict[str, Any]]:
    """Every item of a users table, by username."""
    return {item["username"]: dict(item.items()) async for item in table.scan(consistent=True)}


async def test_batch_get_returns_each_existing_item_once_for_many_missing_and_repeated_keys(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    async with users.batch_write() as batch:
        for n in range(130):
            await batch.put_item({"username": f"user{n:03d}", "n": n})
    recorder.clear()
    keys = [{"username": f"user{n:03d}"} for n in range(130)]
    keys += [{"username": f"missing{n}"} for n in range(15)]
    keys += [{"username": f"user{n:03d}"} for n in range(0, 130, 10)]

    found = Counter([item["username"] async for item in users.batch_get(keys)])

    assert found == Counter({f"user{n:03d}": 1 for n in range(130)})
    requests = recorder.bodies("BatchGetItem")
    assert len(requests) >= 2
    sizes = [len(body["RequestItems"]["users"]["Keys"]) for body in requests]
    assert max(sizes) <= 100
    assert sum(sizes) >= 145  # each distinct key asked for (some maybe twice, if unprocessed)


async def test_batch_get_treats_equal_numbers_as_one_key(counters: AsyncTable) -> None:
    await counters.put_item({"id": 1, "hits": 5})

    found = await counters.batch_get([{"id": 1}, {"id": Decimal("1.0")}, {"id": 1.0}]).to_list()

    assert [dict(item.items()) for item in found] == [{"id": 1, "hits": 5}]


async def test_batch_get_with_attributes_and_consistent(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "jane", "size": 3, "a.b": "dot", "other": "x"})
    recorder.clear()

    (item,) = await users.batch_get(
        [{"username": "jane"}], consistent=True, attributes=["size", "a.b"]
    ).to_list()

    assert dict(item.items()) == {"size": 3, "a.b": "dot"}
    (body,) = recorder.bodies("BatchGetItem")
    assert body["RequestItems"]["users"]["ConsistentRead"] is True


async def test_batch_get_refuses_a_bad_key_before_any_request(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    with pytest.raises(ParameterValidationError, match="username"):
        users.batch_get([{"username": "jane"}, {"name": "typo"}])
    assert recorder.requests == []


async def test_batch_write_of_many_puts_and_deletes_stores_them_all(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    for n in range(6):
        await users.put_item({"username": f"old{n}", "n": n})
    recorder.clear()

    async with users.batch_write() as batch:
        for n in range(40):
            await batch.put_item({"username": f"new{n:02d}", "n": n, "tags": {"x", str(n)}})
            if n % 10 == 0:
                await batch.delete_item(username=f"old{n // 10}")

    stored = await everything(users)
    assert sorted(stored) == sorted([f"new{n:02d}" for n in range(40)] + ["old4", "old5"])
    assert stored["new07"] == {"username": "new07", "n": 7, "tags": {"x", "7"}}
    sizes = [len(body["RequestItems"]["users"]) for body in recorder.bodies("BatchWriteItem")]
    assert max(sizes) == 25
    assert sum(sizes) == 44


async def test_two_writes_to_one_key_in_a_batch_are_merged_and_the_last_wins(
    users: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await users.put_item({"username": "deleted-then-put"})
    recorder.clear()

    async with users.batch_write() as batch:
        await batch.put_item({"username": "twice", "version": 1})
        await batch.put_item({"username": "twice", "version": 2})
        await batch.put_item({"username": "put-then-deleted"})
        await batch.delete_item(username="put-then-deleted")
        await batch.delete_item(username="deleted-then-put")
        await batch.put_item({"username": "deleted-then-put", "back": True})

    assert await everything(users) == {
        "twice": {"username": "twice", "version": 2},
        "deleted-then-put": {"username": "deleted-then-put", "back": 1},
    }
    (body,) = recorder.bodies("BatchWriteItem")
    assert len(body["RequestItems"]["users"]) == 3


async def test_two_writes_to_one_numeric_key_written_differently_are_merged(
    counters: AsyncTable,
) -> None:
    async with counters.batch_write() as batch:
        await batch.put_item({"id": 1, "version": 1})
        await batch.put_item({"id": Decimal("1.0"), "version": 2})

    assert [dict(item.items()) async for item in counters.scan()] == [{"id": 1, "version": 2}]


@pytest.mark.parametrize(
    ("bad_item", "error"),
    [
        ({"name": "no key"}, "username"),
        ({"username": 5}, "STRING"),
        ({"username": "nan", "score": float("nan")}, "score"),
        ({"username": ""}, "no value for this key attribute"),
    ],
    ids=["missing-key", "wrong-key-type", "nan", "empty-key"],
)
async def test_a_bad_item_raises_at_put_item_and_the_rest_is_still_written(
    users: AsyncTable, bad_item: dict[str, Any], error: str
) -> None:
    await users.describe()  # learn the key types, as any table read from DynamoDB does

    async with users.batch_write() as batch:
        await batch.put_item({"username": "before"})
        with pytest.raises(ParameterValidationError, match=error):
            await batch.put_item(bad_item)
        await batch.put_item({"username": "after"})

    assert sorted(await everything(users)) == ["after", "before"]


async def test_leaving_a_block_that_raised_still_writes_and_the_exception_propagates(
    users: AsyncTable,
) -> None:
    async def write_then_fail() -> None:
        async with users.batch_write() as batch:
            await batch.put_item({"username": "jane"})
            await batch.delete_item(username="nobody")
            raise Interrupted

    with pytest.raises(Interrupted):
        await write_then_fail()

    assert sorted(await everything(users)) == ["jane"]
