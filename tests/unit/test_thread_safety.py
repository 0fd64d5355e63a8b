"""What may be shared between threads: Connection, DynamoDBConnection, Table, dynamizers.

Unit tests through the transport seam: each makes the race it pins as likely as it can
(a tiny thread switch interval, a barrier, a slow first step) and checks the shared
object's state afterwards. The stress test against real servers is in
``tests/integration/test_concurrency.py``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import botocore.session
import pytest

from dynamodb2.connection import Connection
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse
from dynamodb2.types import Dynamizer, NativeNumberDynamizer
from tests.support.fakes import FakeClock, connection, error_response, json_response

THREADS = 8


@pytest.fixture(autouse=True)
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond, so that unguarded read-modify-writes collide."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def run_together(task: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Run ``task(n)`` on ``threads`` threads started together; return the results."""
    barrier = threading.Barrier(threads)

    def start(n: int) -> Any:
        barrier.wait()
        return task(n)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(start, range(threads)))


class EveryOtherThrottled:
    """A transport that throttles every second request of each thread (so each call is
    retried once), counting requests and throttles under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._per_thread = threading.local()
        self.calls = 0
        self.throttled = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        throttle = not getattr(self._per_thread, "throttled_last", False)
        self._per_thread.throttled_last = throttle
        with self._lock:
            self.calls += 1
            self.throttled += throttle
        if throttle:
            return error_response("ProvisionedThroughputExceededException", "slow down")
        return json_response({})


def test_connection_counters_count_every_retry_from_every_thread() -> None:
    transport = EveryOtherThrottled()
    clock = FakeClock()
    conn = connection(transport, clock=clock)
    layer1 = DynamoDBConnection(connection=conn)

    def calls(_n: int) -> None:
        for _ in range(300):
            conn.get_item({"TableName": "users"})

    run_together(calls)

    assert transport.throttled == THREADS * 300
    assert conn.throttle_events == transport.throttled
    assert conn.retries == transport.throttled
    assert layer1.throughput_exceeded_events == transport.throttled
    assert transport.calls == THREADS * 300 + transport.throttled


DESCRIPTION = {
    "Table": {
        "TableName": "users",
        "TableStatus": "ACTIVE",
        "KeySchema": [
            {"AttributeName": "username", "KeyType": "HASH"},
            {"AttributeName": "joined", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "username", "AttributeType": "S"},
            {"AttributeName": "joined", "AttributeType": "N"},
        ],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    }
}


class SlowDescribe:
    """Answers DescribeTable slowly (so every thread arrives while it is under way) and
    GetItem at once; counts each operation."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.operations: list[str] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            self.operations.append(request.operation)
        if request.operation == "DescribeTable":
            time.sleep(0.05)
            return json_response(DESCRIPTION)
        body = json.loads(request.body)
        return json_response({"Item": {**body["Key"], "name": {"S": "x"}}})


def test_a_shared_table_learns_its_schema_once_however_many_threads_need_it() -> None:
    transport = SlowDescribe()
    table = Table("users", connection=connection(transport))

    def read(n: int) -> Any:
        # lookup() needs the key's names (get_item sends the key as given, as boto 2 did).
        return table.lookup(f"u{n}", n)["joined"]

    joined = run_together(read)

    assert joined == [Decimal(n) for n in range(THREADS)]
    assert transport.operations.count("DescribeTable") == 1
    assert [field.name for field in table.schema or []] == ["username", "joined"]


class CountingSession(botocore.session.Session):
    """A botocore session whose credential lookup is slow and counted."""

    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0
        self._count_lock = threading.Lock()

    def get_credentials(self) -> Any:
        with self._count_lock:
            self.lookups += 1
        time.sleep(0.05)  # the credential chain can take a while (instance metadata)
        return super().get_credentials()


def test_a_shared_connection_looks_credentials_up_once() -> None:
    session = CountingSession()
    conn = Connection(
        region_name="us-east-1",
        session=session,
        transport=lambda _request: json_response({}),
    )

    run_together(lambda _n: conn.list_tables({}))

    assert session.lookups == 1


@pytest.mark.parametrize("dynamizer", [Dynamizer(), NativeNumberDynamizer()], ids=type)
def test_a_shared_dynamizer_gives_every_thread_the_same_answers(dynamizer: Dynamizer) -> None:
    item = {
        "name": "x",
        "n": Decimal("1.5"),
        "tags": {"a", "b"},
        "doc": {"list": [1, "two", None, True, {"deep": b"\x00"}]},
    }
    expected_wire = dynamizer.encode_item(item)
    expected_back = dynamizer.decode_item(expected_wire)

    def round_trips(_n: int) -> bool:
        return all(
            dynamizer.decode_item(dynamizer.encode_item(item)) == expected_back
            and dynamizer.encode_item(item)["doc"] == expected_wire["doc"]
            for _ in range(300)
        )

    assert all(run_together(round_trips))
