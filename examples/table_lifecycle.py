"""A table's life: create it on demand, wait for it, switch its billing, expire items, delete it.

    python3 examples/table_lifecycle.py

The endpoint is chosen by ``examples/_embedded.py``: ``AWS_ENDPOINT_URL_DYNAMODB`` if set,
else real AWS if credentials are configured, else moto started in this process.

It creates an on-demand table (random suffix) with a global index, a stream and a tag,
switches it to provisioned capacity and back, turns time to live on and off, and deletes
the table, waiting until DynamoDB no longer knows it. On AWS a billing switch can take
several minutes (moto is ACTIVE at once), and a second time-to-live change within an hour
is refused: the script says so and goes on.
"""

from __future__ import annotations

import time
import uuid

from _embedded import dynamodb_endpoint
from dynamodb2 import Connection, GlobalAllIndex, HashKey, Table, ValidationException
from dynamodb2.exceptions import ParameterValidationError

#: Seconds to wait for each change (a billing switch can take several minutes on AWS).
WAIT = 900
THROUGHPUT = {"read": 5, "write": 5}


def show_billing(table: Table, what: str) -> None:
    table.wait_until_active(timeout=WAIT)  # also describes the table: billing and throughput
    print(f"{what}: ACTIVE, billing {table.billing_mode}, throughput {table.throughput}")


def main() -> None:
    with dynamodb_endpoint() as endpoint, endpoint.connect() as connection:
        run(connection)


def run(connection: Connection) -> None:
    name = f"dynamodb2-example-lifecycle-{uuid.uuid4().hex[:8]}"
    table = Table.create(
        name,
        schema=[HashKey("session_id")],
        global_indexes=[GlobalAllIndex("by_user", parts=[HashKey("user")])],
        connection=connection,
        billing_mode="PAY_PER_REQUEST",
        stream_specification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        tags={"team": "web"},
    )
    print(f"created on-demand table {name!r}")
    try:
        show_billing(table, "created")
        description = table.describe()["Table"]
        listed = connection.list_tags_of_resource({"ResourceArn": description["TableArn"]})
        tags = {tag["Key"]: tag["Value"] for tag in listed["Tags"]}
        print(f"stream: {description['StreamSpecification']['StreamViewType']}, tags: {tags}")

        # A switch to provisioned needs a throughput for every global index too.
        try:
            table.update(throughput=THROUGHPUT, billing_mode="PROVISIONED")
        except ParameterValidationError as error:
            print(f"refused before sending: {error}")
        table.update(
            throughput=THROUGHPUT,
            global_indexes={"by_user": THROUGHPUT},
            billing_mode="PROVISIONED",
        )
        show_billing(table, "switched to provisioned")
        table.update(billing_mode="PAY_PER_REQUEST")
        show_billing(table, "switched back to on-demand")

        print(f"enable_ttl('expires_at'): {table.enable_ttl('expires_at')}")
        print(f"time to live: {table.describe_ttl()}")
        print(f"enable_ttl('expires_at') again: {table.enable_ttl('expires_at')} (already on)")
        try:
            table.enable_ttl("ends_at")
        except ParameterValidationError as error:
            print(f"enable_ttl('ends_at') refused: {error}")
        table.put_item({"session_id": "s-1", "user": "ann", "expires_at": int(time.time()) + 3600})
        print("put a session that expires in an hour")
        try:
            print(f"disable_ttl(): {table.disable_ttl()}")
            print(f"time to live: {table.describe_ttl()}")
        except ValidationException as error:
            print(f"DynamoDB allows one time-to-live change an hour: {error.message}")
    finally:
        table.delete()
        table.wait_until_deleted(timeout=WAIT)
        print(f"deleted table {name!r}")


if __name__ == "__main__":
    main()
