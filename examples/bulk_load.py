"""Bulk load: many items through BatchTable, then JSON Lines through `dynamodb2 load`'s loader.

    python3 examples/bulk_load.py

1. From Python: ``table.batch_write()`` sends 25 puts a request and retries what DynamoDB
   leaves unprocessed (with backoff), so nothing is dropped.
2. From a JSON Lines file: :func:`dynamodb2.cli.load.load_lines` is what
   ``dynamodb2 load TABLE FILE`` runs. It needs no extra. Bad lines are reported with
   their numbers and every good line is still written.

The endpoint is chosen by ``examples/_embedded.py`` (moto in-process when nothing is
configured); on real AWS it creates an on-demand table and deletes it at the end.
"""

from __future__ import annotations

import time
import uuid

from _embedded import dynamodb_endpoint
from dynamodb2 import HashKey, RangeKey, Table
from dynamodb2.cli.load import load_lines
from dynamodb2.types import NUMBER

SENSORS = 10
READINGS_PER_SENSOR = 100

#: What a JSON Lines export might hold: plain JSON, one item a line, two lines broken.
JSON_LINES = [
    '{"sensor": "s-lab", "at": 1700000000, "celsius": 21.5}',
    '{"sensor": "s-lab", "at": 1700000060, "celsius": 21.75}',
    '{"sensor": "s-lab", "at": 1700000120 "celsius": 22}',
    '{"at": 1700000180, "celsius": 22.25}',
    '{"sensor": "s-lab", "at": 1700000240, "celsius": 22.125, "raw": {"$binary": "AQID"}}',
]


def main() -> None:
    with dynamodb_endpoint() as endpoint, endpoint.connect() as connection:
        readings = Table.create(
            f"dynamodb2-bulk-{uuid.uuid4().hex[:8]}",
            schema=[HashKey("sensor"), RangeKey("at", data_type=NUMBER)],
            connection=connection,
            billing_mode="PAY_PER_REQUEST",
        )
        readings.wait_until_active(timeout=300)
        try:
            started = time.perf_counter()
            with readings.batch_write() as batch:
                for sensor in range(SENSORS):
                    for minute in range(READINGS_PER_SENSOR):
                        batch.put_item(
                            {"sensor": f"s-{sensor}", "at": 1700000000 + 60 * minute, "celsius": 20}
                        )
            elapsed = time.perf_counter() - started
            print(f"batch_write: wrote {batch.sent} readings in {elapsed:.1f} s")

            report = load_lines(readings, JSON_LINES)
            print(f"load_lines: loaded {report.loaded} of {report.lines} lines")
            for rejection in report.rejected:
                print(f"  refused line {rejection.line_number}: {rejection.reason}")

            lab = list(readings.query_2(sensor__eq="s-lab"))
            print(f"s-lab readings: {[str(reading['celsius']) for reading in lab]}")
            print(f"s-3 has {readings.query_count(sensor__eq='s-3')} readings")
        finally:
            readings.delete()
            print("deleted the table")


if __name__ == "__main__":
    main()
