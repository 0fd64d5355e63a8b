"""Scan a whole table with several threads at once, then stop a scan early.

    python3 examples/parallel_scan.py

The endpoint is chosen by ``examples/_embedded.py``: ``AWS_ENDPOINT_URL_DYNAMODB`` if set,
else real AWS if credentials are configured, else moto started in this process.

It creates a table, writes 400 orders, totals them with a parallel scan of 4 segments,
takes just a few items from another parallel scan (its threads stop as soon as the loop
ends), and deletes the table.
"""

from __future__ import annotations

import itertools
import sys
import threading
import time

from _embedded import dynamodb_endpoint
from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey

TABLE_NAME = "dynamodb2-example-orders"
ORDERS = 400
SEGMENTS = 4


def scan_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("dynamodb2-parallel-scan"))


def main() -> int:
    # At least one pooled HTTP connection per worker thread.
    with (
        dynamodb_endpoint() as endpoint,
        endpoint.connect(max_pool_connections=SEGMENTS) as connection,
    ):
        return run(connection)


def run(connection: Connection) -> int:
    table = Table.create(
        TABLE_NAME,
        schema=[HashKey("order_id")],
        connection=connection,
        billing_mode="PAY_PER_REQUEST",
    )
    table.wait_until_active(timeout=120)
    table.use_native_numbers()
    print(f"created table {TABLE_NAME!r}")
    try:
        with table.batch_write() as batch:
            for number in range(ORDERS):
                batch.put_item(
                    {"order_id": f"order-{number:04d}", "cents": number, "paid": number % 3 == 0}
                )
        print(f"wrote {ORDERS} orders")

        started = time.perf_counter()
        seen = set()
        total = 0
        for order in table.parallel_scan(total_segments=SEGMENTS, max_page_size=50):
            seen.add(order["order_id"])
            total += order["cents"]
        elapsed = time.perf_counter() - started
        print(
            f"parallel scan of {SEGMENTS} segments: {len(seen)} orders, "
            f"{total} cents in all, in {elapsed:.2f} s"
        )

        paid = sum(1 for _ in table.parallel_scan(total_segments=SEGMENTS, paid__eq=1))
        print(f"parallel scan with a filter: {paid} paid orders")

        first = list(itertools.islice(table.parallel_scan(total_segments=SEGMENTS), 5))
        print(f"took {len(first)} orders and stopped; scan threads still running: {scan_threads()}")

        expected_total = ORDERS * (ORDERS - 1) // 2
        ok = len(seen) == ORDERS and total == expected_total and scan_threads() == 0
        return 0 if ok else 1
    finally:
        table.delete()
        table.wait_until_deleted(timeout=120)
        print(f"deleted table {TABLE_NAME!r}")


if __name__ == "__main__":
    sys.exit(main())
