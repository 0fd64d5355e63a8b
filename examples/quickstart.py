"""Quickstart: create a table, batch write, get, query, scan, update, then delete the table.

Run it from a clone of the repository::

    python3 examples/quickstart.py

With no DynamoDB endpoint (``AWS_ENDPOINT_URL_DYNAMODB`` / ``AWS_ENDPOINT_URL``) and no AWS
credentials configured, it starts moto's DynamoDB server inside this process and uses
that. Otherwise it uses the configured endpoint, or real AWS: there it creates a small
on-demand table with a random name and deletes it at the end.

It uses the high-level API, as boto 2's ``boto.dynamodb2.table.Table`` did: items are
plain Python values (numbers come back as ``Decimal``), queries and filters are
``attribute__operator=value`` keywords.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from _embedded import dynamodb_endpoint
from dynamodb2 import Connection, HashKey, Item, RangeKey, Table
from dynamodb2.types import NUMBER

#: Blog posts: ``author`` is the partition (hash) key, ``posted`` the sort (range) key.
POSTS: Final[list[dict[str, Any]]] = [
    {"author": "alice", "posted": 1, "title": "Hello, DynamoDB", "likes": 3, "tags": {"intro"}},
    {"author": "alice", "posted": 2, "title": "Batch writes", "likes": 12},
    {"author": "alice", "posted": 3, "title": "Queries", "likes": 7, "tags": {"howto", "query"}},
    {"author": "bob", "posted": 1, "title": "Scans", "likes": 15},
    {"author": "bob", "posted": 2, "title": "Updates", "likes": 1},
]


def create_table(connection: Connection, table_name: str) -> Table:
    """Create the table (on demand: no capacity to plan) and wait until it is ACTIVE."""
    posts = Table.create(
        table_name,
        schema=[HashKey("author"), RangeKey("posted", data_type=NUMBER)],
        connection=connection,
        billing_mode="PAY_PER_REQUEST",
    )
    # Local servers create tables at once; AWS takes a few seconds.
    status = posts.wait_until_active(timeout=300)["Table"]["TableStatus"]
    print(f"Created table {table_name} ({status})")
    return posts


def batch_write(posts: Table) -> None:
    """Put every post, 25 to a request; unprocessed writes are retried, never dropped."""
    with posts.batch_write() as batch:
        for post in POSTS:
            batch.put_item(data=post)
    print(f"Wrote {len(POSTS)} posts in one batch")


def get_item(posts: Table) -> Item:
    """Read one post by its full primary key."""
    post = posts.get_item(author="alice", posted=1, consistent=True)
    print(f"Got alice's post 1: {post['title']!r}, tags {sorted(post['tags'])}")
    return post


def query(posts: Table) -> list[Item]:
    """Alice's posts from number 2 on, newest first: conditions on both keys."""
    found = list(posts.query_2(author__eq="alice", posted__gte=2, reverse=True))
    titles = ", ".join(repr(post["title"]) for post in found)
    print(f"Query: alice has {len(found)} posts from number 2 on, newest first: {titles}")
    return found


def scan(posts: Table) -> list[Item]:
    """Every post with at least 10 likes, read two items per page to show paging."""
    found = sorted(posts.scan(likes__gte=10, max_page_size=2), key=lambda post: post["title"])
    listed = ", ".join(f"{post['title']!r} ({post['likes']})" for post in found)
    print(f"Scan: {len(found)} posts have at least 10 likes: {listed}")
    return found


def partial_save(posts: Table) -> None:
    """Change an item read earlier: only the changed attribute is sent."""
    post = posts.get_item(author="bob", posted=2)
    post["title"] = "Updates, revised"
    post.partial_save()
    print(f"Renamed bob's post 2 with partial_save: {post['title']!r}")


def update_item(posts: Table) -> Any:
    """Add a like to bob's post 2 atomically (no read first), and get the new count."""
    updated = posts.update_item(
        {"author": "bob", "posted": 2}, add={"likes": 1}, return_values="UPDATED_NEW"
    )
    assert updated is not None
    print(f"Updated bob's post 2: likes is now {updated['likes']}")
    return updated["likes"]


def delete_table(posts: Table) -> None:
    """Delete the table and everything in it."""
    posts.delete()
    posts.wait_until_deleted(timeout=300)
    print(f"Deleted table {posts.table_name}")


def main() -> None:
    """Run every step against the endpoint chosen by :func:`dynamodb_endpoint`."""
    table_name = f"dynamodb2-quickstart-{uuid.uuid4().hex[:8]}"
    with dynamodb_endpoint() as endpoint, endpoint.connect() as connection:
        posts = create_table(connection, table_name)
        try:
            batch_write(posts)
            get_item(posts)
            query(posts)
            scan(posts)
            partial_save(posts)
            update_item(posts)
        finally:
            delete_table(posts)
    print("Done.")


if __name__ == "__main__":
    main()
