"""Quickstart: create a table, batch write, get, query, scan, update, then delete the table.

Run it from a clone of the repository::

    python3 examples/quickstart.py

With no DynamoDB endpoint (``AWS_ENDPOINT_URL_DYNAMODB`` / ``AWS_ENDPOINT_URL``) and no AWS
credentials configured, it starts moto's DynamoDB server inside this process and uses
that. Otherwise it uses the configured endpoint, or real AWS: there it creates a small
on-demand table with a random name and deletes it at the end.

Each step is one function taking the connection and the table name, and printing what
it did. This version uses the boto 2-style layer1 API
(:class:`dynamodb2.layer1.DynamoDBConnection`): wire-format items, converted to and from
Python values with a :class:`~dynamodb2.types.Dynamizer`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Final

from _embedded import dynamodb_endpoint
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.types import Dynamizer

DYNAMIZER: Final = Dynamizer()

#: Blog posts: ``author`` is the partition (hash) key, ``posted`` the sort (range) key.
POSTS: Final[list[dict[str, Any]]] = [
    {"author": "alice", "posted": 1, "title": "Hello, DynamoDB", "likes": 3, "tags": {"intro"}},
    {"author": "alice", "posted": 2, "title": "Batch writes", "likes": 12},
    {"author": "alice", "posted": 3, "title": "Queries", "likes": 7, "tags": {"howto", "query"}},
    {"author": "bob", "posted": 1, "title": "Scans", "likes": 15},
    {"author": "bob", "posted": 2, "title": "Updates", "likes": 1},
]


def create_table(conn: DynamoDBConnection, table_name: str) -> None:
    """Create the table (on demand: no capacity to plan) and wait until it is ACTIVE."""
    conn.create_table(
        attribute_definitions=[
            {"AttributeName": "author", "AttributeType": "S"},
            {"AttributeName": "posted", "AttributeType": "N"},
        ],
        table_name=table_name,
        key_schema=[
            {"AttributeName": "author", "KeyType": "HASH"},
            {"AttributeName": "posted", "KeyType": "RANGE"},
        ],
        billing_mode="PAY_PER_REQUEST",
    )
    # Local servers create tables at once; AWS takes a few seconds.
    deadline = time.monotonic() + 300
    status = conn.describe_table(table_name)["Table"]["TableStatus"]
    while status != "ACTIVE":
        if time.monotonic() > deadline:
            raise TimeoutError(f"table {table_name} is still {status} after 5 minutes")
        time.sleep(1)
        status = conn.describe_table(table_name)["Table"]["TableStatus"]
    print(f"Created table {table_name} ({status})")


def batch_write(conn: DynamoDBConnection, table_name: str) -> None:
    """Put every post with BatchWriteItem (up to 25 per request), resending unprocessed ones."""
    requests: dict[str, list[Any]] = {
        table_name: [{"PutRequest": {"Item": DYNAMIZER.encode_item(post)}} for post in POSTS]
    }
    for attempt in range(8):
        unprocessed = conn.batch_write_item(requests).get("UnprocessedItems") or {}
        if not unprocessed:
            break
        requests = unprocessed
        time.sleep(0.05 * 2**attempt)
    else:
        raise RuntimeError(f"DynamoDB left {len(requests[table_name])} writes unprocessed")
    print(f"Wrote {len(POSTS)} posts in one batch")


def get_item(conn: DynamoDBConnection, table_name: str) -> dict[str, Any]:
    """Read one post by its full primary key."""
    key = DYNAMIZER.encode_item({"author": "alice", "posted": 1})
    response = conn.get_item(table_name, key, consistent_read=True)
    post = DYNAMIZER.decode_item(response["Item"])
    print(f"Got alice's post 1: {post['title']!r}, tags {sorted(post['tags'])}")
    return post


def query(conn: DynamoDBConnection, table_name: str) -> list[dict[str, Any]]:
    """Alice's posts from number 2 on, newest first: a key condition on both keys."""
    posts = list(
        _pages(
            conn.query,
            table_name,
            key_condition_expression="author = :author AND posted >= :since",
            expression_attribute_values=DYNAMIZER.encode_item({":author": "alice", ":since": 2}),
            scan_index_forward=False,
        )
    )
    titles = ", ".join(repr(post["title"]) for post in posts)
    print(f"Query: alice has {len(posts)} posts from number 2 on, newest first: {titles}")
    return posts


def scan(conn: DynamoDBConnection, table_name: str) -> list[dict[str, Any]]:
    """Every post with at least 10 likes, read two items per page to show paging."""
    posts = list(
        _pages(
            conn.scan,
            table_name,
            filter_expression="likes >= :min",
            expression_attribute_values=DYNAMIZER.encode_item({":min": 10}),
            limit=2,
        )
    )
    found = ", ".join(f"{post['title']!r} ({post['likes']})" for post in posts)
    print(f"Scan: {len(posts)} posts have at least 10 likes: {found}")
    return posts


def update_item(conn: DynamoDBConnection, table_name: str) -> Decimal:
    """Add a like to bob's post 2 atomically, and read back the new count."""
    response = conn.update_item(
        table_name,
        DYNAMIZER.encode_item({"author": "bob", "posted": 2}),
        update_expression="ADD likes :one",
        expression_attribute_values=DYNAMIZER.encode_item({":one": 1}),
        return_values="UPDATED_NEW",
    )
    likes: Decimal = DYNAMIZER.decode_item(response["Attributes"])["likes"]
    print(f"Updated bob's post 2: likes is now {likes}")
    return likes


def delete_table(conn: DynamoDBConnection, table_name: str) -> None:
    """Delete the table and everything in it."""
    conn.delete_table(table_name)
    print(f"Deleted table {table_name}")


def _pages(
    operation: Callable[..., Mapping[str, Any]], table_name: str, **params: Any
) -> Iterator[dict[str, Any]]:
    """The decoded items of every page of a query or scan, following LastEvaluatedKey."""
    start_key: Mapping[str, Any] | None = None
    while True:
        page = operation(table_name, exclusive_start_key=start_key, **params)
        for item in page.get("Items", []):
            yield DYNAMIZER.decode_item(item)
        start_key = page.get("LastEvaluatedKey")
        if not start_key:
            return


def main() -> None:
    """Run every step against the endpoint chosen by :func:`dynamodb_endpoint`."""
    table_name = f"dynamodb2-quickstart-{uuid.uuid4().hex[:8]}"
    with dynamodb_endpoint() as endpoint:
        conn = endpoint.layer1()
        create_table(conn, table_name)
        try:
            batch_write(conn, table_name)
            get_item(conn, table_name)
            query(conn, table_name)
            scan(conn, table_name)
            update_item(conn, table_name)
        finally:
            delete_table(conn, table_name)
            conn.close()
    print("Done.")


if __name__ == "__main__":
    main()
