"""A web API's "list" endpoint, paged with cursors: handler(cursor) -> (items, next_cursor).

    python3 examples/paginated_api.py

The endpoint is chosen by ``examples/_embedded.py``: ``AWS_ENDPOINT_URL_DYNAMODB`` if set,
else real AWS if credentials are configured, else moto started in this process.

It creates a table, fills it, pages through it the way a client of a web API would (each
request gets only the cursor the previous response gave), shows a tampered cursor being
refused, and deletes the table.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from _embedded import dynamodb_endpoint
from dynamodb2 import Connection, Table
from dynamodb2.cursors import decode_cursor, encode_cursor
from dynamodb2.exceptions import InvalidCursorError
from dynamodb2.fields import HashKey, RangeKey

TABLE_NAME = "dynamodb2-example-articles"
PAGE_SIZE = 4
#: Signs cursors so that clients cannot forge them; keep it out of source code in real life.
CURSOR_SECRET = os.environ.get("CURSOR_SECRET", "example secret").encode()


def list_articles(
    connection: Connection, author: str, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """GET /authors/<author>/articles?cursor=...: newest first, PAGE_SIZE at a time.

    Raises InvalidCursorError (a ValueError: answer 400) for a cursor that was altered.
    ``connection`` is the process's one connection, shared by every request (building one
    takes a while).
    """
    start = decode_cursor(cursor, secret=CURSOR_SECRET) if cursor else None
    table = Table(TABLE_NAME, connection=connection)  # nothing kept between requests
    table.use_native_numbers()  # ints and floats, ready for JSON
    results = table.query_2(
        author__eq=author, reverse=True, limit=PAGE_SIZE, exclusive_start_key=start
    )
    items = [dict(item.items()) for item in results]
    resume = results.last_evaluated_key
    return items, encode_cursor(resume, secret=CURSOR_SECRET) if resume else None


def main() -> int:
    with dynamodb_endpoint() as endpoint, endpoint.connect() as connection:
        return run(connection)


def run(connection: Connection) -> int:
    table = Table.create(
        TABLE_NAME,
        schema=[HashKey("author"), RangeKey("published", data_type="N")],
        connection=connection,
        billing_mode="PAY_PER_REQUEST",
    )
    table.wait_until_active(timeout=120)
    print(f"created table {TABLE_NAME!r}")
    try:
        with table.batch_write() as batch:
            for day in range(1, 11):
                batch.put_item(
                    {"author": "ann", "published": 20240100 + day, "title": f"Day {day}"}
                )
            batch.put_item({"author": "bob", "published": 20240101, "title": "Not Ann's"})
        print("wrote 11 articles, 10 by ann")

        cursor: str | None = None
        page_number = 0
        seen = 0
        while True:
            page_number += 1
            items, cursor = list_articles(connection, "ann", cursor)
            seen += len(items)
            titles = ", ".join(item["title"] for item in items) or "(empty)"
            print(f"page {page_number}: {titles}")
            print(f"  next cursor: {cursor}")
            if cursor is None:
                break
        print(f"read {seen} articles by ann in {page_number} pages")

        _, cursor = list_articles(connection, "ann", None)
        assert cursor is not None
        tampered = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
        try:
            list_articles(connection, "ann", tampered)
        except InvalidCursorError as error:
            print(f"tampered cursor refused (HTTP 400): {error}")
        else:
            print("a tampered cursor was accepted!")
            return 1
        return 0 if seen == 10 else 1
    finally:
        table.delete()
        table.wait_until_deleted(timeout=120)
        print(f"deleted table {TABLE_NAME!r}")


if __name__ == "__main__":
    sys.exit(main())
