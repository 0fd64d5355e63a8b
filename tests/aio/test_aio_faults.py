"""Nothing lost, nothing doubled, under injected faults, through dynamodb2.aio.

The fault suite's scenarios (tests/integration/test_faults.py) for the asynchronous API, with the
same fault injection: at the seam (:class:`tests.support.faults.AsyncFaultyTransport` runs the
very exchange :class:`~tests.support.faults.FaultyTransport` does, around the asyncio transport)
and on real sockets (:class:`tests.support.faults.FaultyProxy` in front of moto server and
dynalite). Setup and checks use a clean synchronous connection. Cancellation is checked
too: a cancelled call leaves the pool usable, and a cancelled batch block hands its
unsent writes to the ``CancelledError``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest

from dynamodb2.aio import AsyncConnection, AsyncHTTPTransport, AsyncTable
from dynamodb2.connection import Connection
from dynamodb2.fields import HashKey
from tests.aio.conftest import async_connection
from tests.integration.test_faults import MIXED, READ_TIMEOUT, RETRY, SEED, damage, row, seed
from tests.support.backends import Backend
from tests.support.faults import TALLY, AsyncFaultyTransport, Fault, FaultInjector, FaultyProxy
from tests.support.table_support import create_table

pytestmark = [pytest.mark.anyio, pytest.mark.integration]


@attrs.frozen
class AsyncFaulty:
    """A backend seen through faults by an async connection, and a clean sync one."""

    route: str
    injector: FaultInjector
    connection: AsyncConnection
    clean: Connection

    def table(self) -> AsyncTable:
        """The ``items`` table (created cleanly), through the faulty connection."""
        create_table(self.clean, "items", [HashKey("id")])
        return AsyncTable("items", schema=[HashKey("id")], connection=self.connection)


@pytest.fixture(params=["seam", "proxy"])
async def faulty(request: pytest.FixtureRequest, backend: Backend) -> AsyncIterator[AsyncFaulty]:
    route: str = request.param
    injector = FaultInjector(seed=SEED)
    clean = backend.connect()
    if route == "seam":
        inner = AsyncHTTPTransport(clean.events)
        connection = async_connection(
            backend, transport=AsyncFaultyTransport(inner, injector), retry=RETRY
        )
        yield AsyncFaulty(route, injector, connection, clean)
        await inner.close()
        clean.close()
        return
    if backend.endpoint_url is None:
        clean.close()
        pytest.skip("moto in-process answers inside botocore: there is no socket to proxy")
    with FaultyProxy(backend.endpoint_url, injector, stall=READ_TIMEOUT * 2) as proxy:
        connection = async_connection(
            Backend(backend.name, proxy.url),
            retry=RETRY,
            read_timeout=READ_TIMEOUT,
            connect_timeout=2.0,
        )
        yield AsyncFaulty(route, injector, connection, clean)
        await connection.close()
        clean.close()


async def test_batch_write_under_faults_stores_every_put_once_and_removes_every_delete(
    faulty: AsyncFaulty,
) -> None:
    table = faulty.table()
    doomed = [{"id": f"old-{n:03d}", "n": n} for n in range(40)]
    seed(faulty.clean, doomed)
    faulty.injector.plan = MIXED
    faulty.injector.inject_each_kind("BatchWriteItem")
    expected: dict[str, dict[str, Any]] = {}
    operations = 0

    async with table.batch_write() as batch:
        for n in range(200):
            await batch.put_item(row(n))
            expected[row(n)["id"]] = row(n)
            operations += 1
            if n % 10 == 3:  # rewrite an earlier item: the last write must win
                again = row(n - 3, version=2)
                await batch.put_item(again)
                expected[again["id"]] = again
                operations += 1
        for old in doomed:
            await batch.delete_item(id=old["id"])
            operations += 1
        for n in range(180, 200):
            await batch.delete_item(id=row(n)["id"])
            del expected[row(n)["id"]]
            operations += 1

    lost, duplicates = damage(expected, faulty.clean)
    TALLY.record(faulty.injector, operations=operations, lost=lost, duplicates=duplicates)
    assert (lost, duplicates) == (0, 0)
    assert set(faulty.injector.injected) == set(Fault)


async def test_batch_get_and_scans_under_faults_return_every_item_exactly_once(
    faulty: AsyncFaulty,
) -> None:
    table = faulty.table()
    rows = [row(n) for n in range(150)]
    seed(faulty.clean, rows)
    keys = [{"id": r["id"]} for r in rows] + [{"id": f"missing-{n}"} for n in range(20)]
    table.max_batch_get = 20  # more requests, so more faults
    faulty.injector.plan = MIXED
    faulty.injector.inject_each_kind("BatchGetItem")
    faulty.injector.inject_each_kind("Scan")

    got = Counter([item["id"] async for item in table.batch_get(keys)])
    scanned = table.scan(max_page_size=10, consistent=True)
    paged = Counter([item["id"] async for item in scanned])
    parallel = Counter([item["id"] async for item in table.parallel_scan(3, max_page_size=10)])

    every_once = Counter({r["id"]: 1 for r in rows})
    for found in (got, paged, parallel):
        TALLY.record(
            faulty.injector,
            operations=len(rows),
            lost=sum(1 for r in rows if r["id"] not in found),
            duplicates=sum(count - 1 for count in found.values()),
        )
    assert (got, paged, parallel) == (every_once, every_once, every_once)
    assert set(faulty.injector.injected) == set(Fault)


async def test_a_cancelled_batch_block_hands_its_unsent_writes_to_the_cancellation(
    backend: Backend,
) -> None:
    clean = backend.connect()
    create_table(clean, "items", [HashKey("id")])
    async with async_connection(backend) as connection:
        table = AsyncTable("items", schema=[HashKey("id")], connection=connection)
        caught: list[BaseException] = []
        started = asyncio.Event()

        async def load() -> None:
            try:
                async with table.batch_write() as batch:
                    for n in range(30):
                        await batch.put_item(row(n))
                    started.set()
                    await asyncio.sleep(30)  # cancelled here, 5 writes still buffered
            except asyncio.CancelledError as cancelled:
                caught.append(cancelled)
                raise

        task = asyncio.ensure_future(load())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

        unsent = caught[0].unsent_requests  # type: ignore[attr-defined]
        assert sorted(r["PutRequest"]["Item"]["id"]["S"] for r in unsent) == [
            row(n)["id"] for n in range(25, 30)
        ]
        written, _ = damage({row(n)["id"]: row(n) for n in range(25)}, clean)
        assert written == 0
    clean.close()


async def test_a_cancelled_call_leaves_the_pool_usable(backend: Backend) -> None:
    if backend.endpoint_url is None:
        pytest.skip("moto in-process opens no connection")
    clean = backend.connect()
    create_table(clean, "items", [HashKey("id")])
    seed(clean, [row(n) for n in range(50)])
    transport_options = {"max_pool_connections": 2}
    async with async_connection(backend, **transport_options) as connection:
        table = AsyncTable("items", schema=[HashKey("id")], connection=connection)
        for _ in range(5):
            calls = [asyncio.ensure_future(table.scan().to_list()) for _ in range(4)]
            await asyncio.sleep(0.001)
            for call in calls[::2]:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)
        # Every connection that went back to the pool can carry a request.
        items = await asyncio.gather(*(table.get_item(id=row(n)["id"]) for n in range(50)))
        assert [item["n"] for item in items] == list(range(50))
    clean.close()
