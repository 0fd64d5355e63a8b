"""Before: a boto 2 program, run unchanged on dynamodb2 through the import shim.

    python3 -m dynamodb2.shim examples/migrate_boto2_before.py

``examples/migrate_boto2_after.py`` is the same program moved to dynamodb2: only the
import lines differ (``boto.dynamodb2`` becomes ``dynamodb2``, ``boto.exception``
becomes ``dynamodb2.exceptions``), and it runs with plain ``python3``. The endpoint is
chosen by ``examples/_embedded.py``, as for every example.
"""

from __future__ import annotations

import time
import uuid

from boto.dynamodb2.fields import HashKey, RangeKey
from boto.dynamodb2.layer1 import DynamoDBConnection
from boto.dynamodb2.table import Table
from boto.dynamodb2.types import NUMBER
from boto.exception import JSONResponseError

from _embedded import dynamodb_endpoint


def run(connection: DynamoDBConnection) -> None:
    scores = Table.create(
        "scores-" + uuid.uuid4().hex[:8],
        schema=[HashKey("player"), RangeKey("game", data_type=NUMBER)],
        throughput={"read": 5, "write": 5},
        connection=connection,
    )
    while scores.describe()["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.5)
    try:
        with scores.batch_write() as batch:
            for game, points in enumerate([120, 80, 200], start=1):
                batch.put_item(data={"player": "ann", "game": game, "points": points})
        first = scores.get_item(player="ann", game=1)
        first["points"] += 10
        first.save()
        print("ann's first game now has", first["points"], "points")

        recent = scores.query_2(player__eq="ann", game__gte=2, reverse=True)
        print("ann's later games:", [(int(s["game"]), int(s["points"])) for s in recent])

        try:
            scores.put_item(data={"player": "ann", "game": 1, "points": 0})
        except JSONResponseError as error:
            print("put_item refused to overwrite:", error.error_code)
    finally:
        scores.delete()
        print("deleted the table")


if __name__ == "__main__":
    with dynamodb_endpoint() as endpoint:
        run(endpoint.layer1())
