"""One Connection and one Table shared by 8 threads of mixed work, against real servers.

Each thread owns its partition of the table (``owner = "t<n>"``) and keeps a model of
what it wrote; it checks every read against the model as it goes, and at the end a clean
scan must hold exactly the union of the models. The table's schema is not given: the
threads' first requests race to learn it.

``DYNAMODB2_STRESS_OPS`` sets the operations per thread: 1000 by default, the full run
described in docs/reliability.md (about 90 s on moto server, 20 s on dynalite); a smaller
number makes a quick local check.
"""

from __future__ import annotations

import os
import random
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Final

import attrs
import pytest

from dynamodb2.connection import Connection
from dynamodb2.exceptions import ItemNotFound
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transport import HTTPTransport
from dynamodb2.types import NUMBER
from tests.support.backends import Backend
from tests.support.table_support import RecordingTransport, create_table

pytestmark = pytest.mark.integration

THREADS: Final = 8
OPERATIONS: Final = int(os.environ.get("DYNAMODB2_STRESS_OPS", "1000"))
KEYS_PER_THREAD: Final = 12
#: The sort key of each thread's counter item, kept apart from the ordinary keys.
COUNTER: Final = -1
KINDS: Final = ["put", "get", "update", "delete", "query", "add"]
WEIGHTS: Final = [30, 25, 20, 10, 10, 5]


@attrs.define
class ThreadReport:
    """What one thread did and what it found wrong."""

    model: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    counter: int = 0
    done: Counter[str] = attrs.field(factory=Counter)
    problems: list[str] = attrs.field(factory=list)


@pytest.fixture
def shared(backend: Backend) -> Iterator[tuple[Table, RecordingTransport, Connection]]:
    if backend.endpoint_url is None:
        pytest.skip(
            "moto in-process answers inside botocore on the calling thread: no connection "
            "pool or sockets are shared; the server backends exercise those"
        )
    with backend.connect() as setup:
        create_table(setup, "stress", [HashKey("owner"), RangeKey("k", data_type=NUMBER)])
    probe = backend.connect()
    recorder = RecordingTransport(HTTPTransport(probe.events, max_pool_connections=THREADS))
    with backend.connect(transport=recorder) as connection:
        # No schema: the threads learn it from DescribeTable, all at once.
        yield Table("stress", connection=connection), recorder, connection


def value_for(rng: random.Random, owner: str, k: int) -> dict[str, Any]:
    return {
        "owner": owner,
        "k": k,
        "v": rng.randrange(10**9),
        "tags": {f"t{rng.randrange(5)}", "x"},
        "doc": {"nested": [rng.randrange(100), "s"]},
    }


def plain(item: Any) -> dict[str, Any]:
    """An item as a dict with numbers as Decimal, for comparing with a model entry."""
    return {name: _decimals(value) for name, value in dict(item.items()).items()}


def _decimals(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, dict):
        return {name: _decimals(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_decimals(inner) for inner in value]
    return value


def work(table: Table, layer1: DynamoDBConnection, n: int, barrier: threading.Barrier) -> Any:
    owner = f"t{n}"
    rng = random.Random(1000 + n)
    report = ThreadReport()
    model = report.model
    barrier.wait()
    for _ in range(OPERATIONS):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        k = rng.randrange(KEYS_PER_THREAD)
        report.done[kind] += 1
        if kind == "put":
            data = value_for(rng, owner, k)
            table.put_item(data, overwrite=True)
            model[k] = plain(data)
        elif kind == "get":
            item = _find(table, owner, k)
            found = None if item is None else plain(item)
            if found != model.get(k):
                report.problems.append(f"get {owner}/{k}: {found} != {model.get(k)}")
        elif kind == "update":
            item = _find(table, owner, k)
            if item is None:
                item = table.new_item(owner, k)
            item["v"] = rng.randrange(10**9)
            item["updated"] = True
            item.partial_save()
            model[k] = plain(item)
        elif kind == "delete":
            table.delete_item(owner=owner, k=k)
            model.pop(k, None)
        elif kind == "query":
            found_all = {
                int(item["k"]): plain(item)
                for item in table.query_2(owner__eq=owner, k__gte=0, consistent=True)
            }
            if found_all != model:
                report.problems.append(f"query {owner}: {sorted(found_all)} != {sorted(model)}")
        else:
            layer1.update_item(
                "stress",
                {"owner": {"S": owner}, "k": {"N": str(COUNTER)}},
                update_expression="ADD hits :one",
                expression_attribute_values={":one": {"N": "1"}},
            )
            report.counter += 1
    return report


def _find(table: Table, owner: str, k: int) -> Item | None:
    """The item, or None (lookup raises ItemNotFound, as in boto 2.49)."""
    try:
        return table.lookup(owner, k, consistent=True)
    except ItemNotFound:
        return None


def test_eight_threads_sharing_a_connection_and_table_lose_no_write(
    shared: tuple[Table, RecordingTransport, Connection],
) -> None:
    table, recorder, connection = shared
    layer1 = DynamoDBConnection(connection=connection)
    barrier = threading.Barrier(THREADS)

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(work, table, layer1, n, barrier) for n in range(THREADS)]
        reports: list[ThreadReport] = [future.result() for future in futures]

    problems = [problem for report in reports for problem in report.problems]
    assert problems == []
    expected: dict[tuple[str, int], dict[str, Any]] = {}
    for n, report in enumerate(reports):
        for k, data in report.model.items():
            expected[(f"t{n}", k)] = data
        if report.counter:
            expected[(f"t{n}", COUNTER)] = {
                "owner": f"t{n}",
                "k": Decimal(COUNTER),
                "hits": Decimal(report.counter),
            }
    final: dict[tuple[str, int], dict[str, Any]] = {}
    duplicates = 0
    for item in table.scan(consistent=True):
        key = (item["owner"], int(item["k"]))
        duplicates += key in final
        final[key] = plain(item)
    assert duplicates == 0
    assert final == expected
    assert recorder.operations.count("DescribeTable") == 1
    total = sum(sum(report.done.values()) for report in reports)
    assert total == THREADS * OPERATIONS
    kinds: Counter[str] = Counter()
    for report in reports:
        kinds.update(report.done)
    print(f"\n{THREADS} threads x {OPERATIONS} operations: {dict(kinds)}")
