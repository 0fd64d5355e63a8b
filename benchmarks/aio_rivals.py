"""One library's asyncio client timed on the async cases; run in a process of its own.

``python -m benchmarks.aio_rivals LIBRARY URL MODE [ROUNDS]`` prints a JSON object of
timings. LIBRARY is ``dynamodb2``, ``aiodynamo`` or ``aioboto3``; MODE ``canned`` (client
CPU per operation, :func:`time.process_time`, against the canned server of
:mod:`benchmarks.aio` on loopback) or ``e2e`` (wall time against a real DynamoDB
implementation: 100 concurrent get_items, and a 10,000-item batch load).

Only the standard library is imported before the library under test: aioboto3 pins a
botocore older than dynamodb2 needs, so ``nox -s bench`` runs it from a virtualenv of its
own, where dynamodb2 is not installed.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["CANNED_CASES", "E2E_CASES", "E2E_CPU_CASES", "main"]

TABLE = "bench"
#: Operations per timed run of a canned case (each awaited in turn).
OPERATIONS = {
    "GetItem": 300,
    "PutItem": 300,
    "Query page": 30,
    "BatchWriteItem": 60,
    "BatchGetItem": 30,
}
CANNED_CASES = tuple(OPERATIONS)
E2E_CASES = ("100 concurrent get_items", "10,000-item batch load")
#: The end-to-end cases' client CPU (what the targets bound: wall time is the server's).
E2E_CPU_CASES = tuple(f"{name} (client CPU)" for name in E2E_CASES)
#: Items per canned Query page and BatchGetItem response.
PAGE = 100
#: Items of the batch load.
LOAD = 10_000

_Case = Callable[[], Awaitable[Any]]


def _touch(item: Any) -> Any:
    """Read every attribute of ``item`` (a dict, or dynamodb2's dict-like Item), as the
    synchronous benchmarks do."""
    for _value in item.values():
        pass
    return item


def _item(n: int) -> dict[str, Any]:
    return {"id": f"item-{n:05d}", "n": n, "name": f"name {n}", "tags": ["a", "b"], "score": n / 4}


# --------------------------------------------------------------------------- the clients


def _cases(
    get: _Case, put: _Case, query: _Case, batch_write: _Case, batch_get: _Case, load: _Case
) -> dict[str, _Case]:
    """Every case by name, from one library's operations."""

    async def gets() -> Any:
        return await asyncio.gather(*(get() for _ in range(100)))

    names = (*CANNED_CASES, *E2E_CASES)
    return dict(zip(names, (get, put, query, batch_write, batch_get, gets, load), strict=True))


async def _dynamodb2(url: str) -> tuple[dict[str, _Case], Callable[[], Awaitable[None]]]:
    from dynamodb2.aio import AsyncConnection, AsyncTable
    from dynamodb2.fields import HashKey

    connection = AsyncConnection(
        endpoint_url=url,
        max_pool_connections=100,
        aws_access_key_id="AKIDBENCHMARK",
        aws_secret_access_key="benchmark-secret-key",
        region_name="us-east-1",
    )
    table = AsyncTable(TABLE, schema=[HashKey("id")], connection=connection)
    keys = [{"id": f"item-{n:05d}"} for n in range(PAGE)]

    async def get() -> Any:
        return _touch(await table.get_item(id="item-00001"))

    async def put() -> Any:
        return await table.put_item(_item(1), overwrite=True)

    async def query() -> Any:
        return [_touch(item) async for item in table.query_2(id__eq="item-00001")]

    async def batch_write() -> Any:
        async with table.batch_write() as batch:
            for n in range(25):
                await batch.put_item(_item(n))

    async def batch_get() -> Any:
        return [_touch(item) async for item in table.batch_get(keys)]

    async def load() -> Any:
        async with table.batch_write() as batch:
            for n in range(LOAD):
                await batch.put_item(_item(n))

    cases = _cases(get, put, query, batch_write, batch_get, load)
    return cases, connection.close


async def _aiodynamo(url: str) -> tuple[dict[str, _Case], Callable[[], Awaitable[None]]]:
    from decimal import Decimal

    import aiohttp
    import yarl
    from aiodynamo.client import Client
    from aiodynamo.credentials import Key, StaticCredentials
    from aiodynamo.expressions import HashKey
    from aiodynamo.http.aiohttp import AIOHTTP
    from aiodynamo.models import BatchWriteRequest

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    client = Client(
        AIOHTTP(session),
        StaticCredentials(Key("AKIDBENCHMARK", "benchmark-secret-key")),
        "us-east-1",
        endpoint=yarl.URL(url),
        # Numbers as Decimal, as dynamodb2 and aioboto3 give them (aiodynamo's default
        # is float, which loses digits).
        numeric_type=Decimal,
    )
    table = client.table(TABLE)
    keys = [{"id": f"item-{n:05d}"} for n in range(PAGE)]

    async def get() -> Any:
        return _touch(await table.get_item({"id": "item-00001"}))

    async def put() -> Any:
        return await table.put_item(_item(1))

    async def query() -> Any:
        return [_touch(item) async for item in table.query(HashKey("id", "item-00001"))]

    async def batch_write() -> Any:
        return await client.batch_write(
            {TABLE: BatchWriteRequest(items_to_put=[_item(n) for n in range(25)])}
        )

    async def batch_get() -> Any:
        from aiodynamo.models import BatchGetRequest

        found = await client.batch_get({TABLE: BatchGetRequest(keys=keys)})
        return [_touch(item) for item in found.items[TABLE]]

    async def load() -> Any:
        # aiodynamo sends one BatchWriteItem per call (unprocessed items retried): 25 each.
        for start in range(0, LOAD, 25):
            items = [_item(n) for n in range(start, start + 25)]
            await client.batch_write({TABLE: BatchWriteRequest(items_to_put=items)})

    cases = _cases(get, put, query, batch_write, batch_get, load)
    return cases, session.close


async def _aioboto3(url: str) -> tuple[dict[str, _Case], Callable[[], Awaitable[None]]]:
    import aioboto3
    from boto3.dynamodb.conditions import Key
    from botocore.config import Config

    session = aioboto3.Session(
        aws_access_key_id="AKIDBENCHMARK",
        aws_secret_access_key="benchmark-secret-key",
        region_name="us-east-1",
    )
    context = session.resource(
        "dynamodb", endpoint_url=url, config=Config(max_pool_connections=100)
    )
    resource = await context.__aenter__()
    table = await resource.Table(TABLE)
    keys = [{"id": f"item-{n:05d}"} for n in range(PAGE)]

    async def get() -> Any:
        return _touch((await table.get_item(Key={"id": "item-00001"}))["Item"])

    async def put() -> Any:
        return await table.put_item(Item=_decimal_item(1))

    async def query() -> Any:
        page = await table.query(KeyConditionExpression=Key("id").eq("item-00001"))
        return [_touch(item) for item in page["Items"]]

    async def batch_write() -> Any:
        async with table.batch_writer() as batch:
            for n in range(25):
                await batch.put_item(Item=_decimal_item(n))

    async def batch_get() -> Any:
        found = await resource.batch_get_item(RequestItems={TABLE: {"Keys": keys}})
        return [_touch(item) for item in found["Responses"][TABLE]]

    async def load() -> Any:
        async with table.batch_writer() as batch:
            for n in range(LOAD):
                await batch.put_item(Item=_decimal_item(n))

    async def close() -> None:
        await context.__aexit__(None, None, None)

    cases = _cases(get, put, query, batch_write, batch_get, load)
    return cases, close


def _decimal_item(n: int) -> dict[str, Any]:
    from decimal import Decimal

    item = _item(n)
    item["score"] = Decimal(str(item["score"]))
    return item


_CLIENTS = {"dynamodb2": _dynamodb2, "aiodynamo": _aiodynamo, "aioboto3": _aioboto3}


# --------------------------------------------------------------------------- timing


async def _time(library: str, url: str, mode: str, rounds: int) -> dict[str, list[float]]:
    cases, close = await _CLIENTS[library](url)
    results: dict[str, list[float]] = {}
    try:
        if mode == "canned":
            for name in CANNED_CASES:
                case, count = cases[name], OPERATIONS[name]
                for _ in range(5):
                    await case()  # warm up: connections, imports, caches
                samples = []
                for _ in range(rounds):
                    started = time.process_time()
                    for _ in range(count):
                        await case()
                    samples.append((time.process_time() - started) / count)
                results[name] = samples
        else:
            await cases[E2E_CASES[0]]()  # warm up the pool
            for name in E2E_CASES:
                walls, cpus = [], []
                for _ in range(rounds if name == E2E_CASES[0] else 1):
                    started, cpu = time.perf_counter(), time.process_time()
                    await cases[name]()
                    cpus.append(time.process_time() - cpu)
                    walls.append(time.perf_counter() - started)
                results[name] = walls
                results[f"{name} (client CPU)"] = cpus
    finally:
        await close()
    return results


def main(argv: list[str]) -> None:
    """Time LIBRARY against URL in MODE; print ``{case: [seconds, ...]}`` as JSON."""
    library, url, mode = argv[:3]
    rounds = int(argv[3]) if len(argv) > 3 else 5
    results = asyncio.run(_time(library, url, mode, rounds))
    print(
        json.dumps(
            {name: [statistics.median(values), min(values)] for name, values in results.items()}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
