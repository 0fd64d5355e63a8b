"""End to end: write items to moto server on loopback, read them back; items per second.

>>> print(run_end_to_end(1_000))                    # doctest: +SKIP
| operation | dynamodb2 items/s | boto3 items/s | dynamodb2 / boto3 |
...

moto server runs in a process of its own (so its CPU is not charged to the client's
GIL); dynamodb2 and boto3 each get a table of their own with the same items. Writes go
through ``BatchTable`` and boto3's ``batch_writer``; reads through ``Table.scan`` /
``parallel_scan(total_segments=4)`` and boto3's ``Table.scan`` (one thread, and four
threads each scanning a segment). Every attribute of every item read is touched. Each
operation runs ``rounds`` times per library, in alternating order; the median counts.
The server does most of the work here (moto 5's response serializer takes seconds for a
1 MB page, and its one process scans segments one at a time), so these numbers say more
about moto than about either client; they show the client is not the bottleneck.
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import boto3
from botocore.config import Config

from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.types import NUMBER

from .data import HASH_KEY, RANGE_KEY, native_item

__all__ = ["moto_server", "run_end_to_end"]

REGION: Final = "us-east-1"
SEGMENTS: Final = 4
#: Distinct partitions the items are spread over.
_PARTITIONS: Final = 64


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Start ``python -m moto.server`` on a free loopback port; yield its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _items(count: int) -> list[dict[str, Any]]:
    return [
        native_item(index, partition=f"user-{index % _PARTITIONS:04d}") for index in range(count)
    ]


def _touch(item: Any) -> None:
    for _value in item.values():
        pass


def _dynamodb2_suite(url: str, items: list[dict[str, Any]]) -> dict[str, Callable[[], int]]:
    connection = Connection(region_name=REGION, endpoint_url=url, max_pool_connections=SEGMENTS)
    table = Table.create(
        "e2e_dynamodb2",
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=connection,
        billing_mode="PAY_PER_REQUEST",
    )

    def write() -> int:
        with table.batch_write() as batch:
            for item in items:
                batch.put_item(data=item)
        return len(items)

    def scan() -> int:
        count = 0
        for item in table.scan():
            _touch(item)
            count += 1
        return count

    def parallel_scan() -> int:
        count = 0
        for item in table.parallel_scan(total_segments=SEGMENTS):
            _touch(item)
            count += 1
        return count

    return {"write": write, "scan": scan, "parallel_scan": parallel_scan}


def _boto3_suite(url: str, items: list[dict[str, Any]]) -> dict[str, Callable[[], int]]:
    session = boto3.session.Session(region_name=REGION)
    config = Config(max_pool_connections=SEGMENTS)
    resource = session.resource("dynamodb", endpoint_url=url, config=config)
    table = resource.create_table(
        TableName="e2e_boto3",
        KeySchema=[
            {"AttributeName": HASH_KEY, "KeyType": "HASH"},
            {"AttributeName": RANGE_KEY, "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": HASH_KEY, "AttributeType": "S"},
            {"AttributeName": RANGE_KEY, "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )

    def write() -> int:
        with table.batch_writer() as writer:
            for item in items:
                writer.put_item(Item=item)
        return len(items)

    def scan_segment(**segment: int) -> int:
        count = 0
        arguments: dict[str, Any] = dict(segment)
        while True:
            page = table.scan(**arguments)
            for item in page["Items"]:
                _touch(item)
                count += 1
            if "LastEvaluatedKey" not in page:
                return count
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def parallel_scan() -> int:
        with ThreadPoolExecutor(SEGMENTS) as pool:
            counts = pool.map(
                lambda segment: scan_segment(Segment=segment, TotalSegments=SEGMENTS),
                range(SEGMENTS),
            )
            return sum(counts)

    return {"write": write, "scan": scan_segment, "parallel_scan": parallel_scan}


_OPERATIONS: Final = (
    ("write", "write (BatchTable / batch_writer)"),
    ("scan", "scan, one thread"),
    ("parallel_scan", f"parallel scan, {SEGMENTS} segments"),
)


def run_end_to_end(count: int, rounds: int = 3) -> str:
    """Write ``count`` items and scan them back with both libraries; a Markdown table."""
    items = _items(count)
    with moto_server() as url:
        suites = {"dynamodb2": _dynamodb2_suite(url, items), "boto3": _boto3_suite(url, items)}
        timings: dict[str, dict[str, list[float]]] = {
            name: {operation: [] for operation, _ in _OPERATIONS} for name in suites
        }
        order = list(suites)
        for _round in range(rounds):
            for operation, _title in _OPERATIONS:
                for name in order:
                    started = time.perf_counter()
                    done = suites[name][operation]()
                    elapsed = time.perf_counter() - started
                    if done != count:
                        raise AssertionError(f"{name} {operation}: {done} items, not {count}")
                    timings[name][operation].append(elapsed)
                order.reverse()
    lines = [
        "| operation | dynamodb2 items/s | boto3 items/s | dynamodb2 / boto3 |",
        "|---|---:|---:|---:|",
    ]
    for operation, title in _OPERATIONS:
        ours = count / statistics.median(timings["dynamodb2"][operation])
        theirs = count / statistics.median(timings["boto3"][operation])
        lines.append(f"| {title} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |")
    return "\n".join(lines)
