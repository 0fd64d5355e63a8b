"""After: the boto 2 program of ``examples/migrate_boto2_before.py``, moved to dynamodb2.

    python3 examples/migrate_boto2_after.py

Only the import lines changed: ``boto.dynamodb2.x`` became ``dynamodb2.x`` and
``boto.exception`` became ``dynamodb2.exceptions``. Every call, argument and result is
boto 2's. (``dynamodb2.exceptions.JSONResponseError`` is boto 2's name for the base of
every service error, kept as an alias.)
"""

from __future__ import annotations

import time
import uuid

from _embedded import dynamodb_endpoint
from dynamodb2.exceptions import JSONResponseError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.types import NUMBER


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
