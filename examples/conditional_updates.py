"""Conditions and update expressions: optimistic locking, counters, lists, sets, queries.

    python3 examples/conditional_updates.py

The endpoint is chosen by ``examples/_embedded.py``: ``AWS_ENDPOINT_URL_DYNAMODB`` if set
(DynamoDB Local, a moto server), else real AWS if credentials are configured, else moto
started in this process.

It creates one on-demand table with a random suffix and deletes it at the end.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from _embedded import dynamodb_endpoint
from dynamodb2 import (
    Attr,
    ConditionalCheckFailedException,
    Connection,
    HashKey,
    Key,
    RangeKey,
    Table,
)
from dynamodb2.types import NUMBER


def create_table(connection: Connection) -> Table:
    table = Table.create(
        f"example-products-{uuid.uuid4().hex[:8]}",
        schema=[HashKey("category"), RangeKey("sku", data_type=NUMBER)],
        connection=connection,
        billing_mode="PAY_PER_REQUEST",
    )
    while table.describe()["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.5)
    return table


def counts(stock: dict[str, Any]) -> dict[str, int]:
    """Numbers come back as Decimal (as in boto 2); ints print more plainly."""
    return {place: int(count) for place, count in stock.items()}


def set_price(products: Table, sku: int, price: int, expected_version: int) -> bool:
    """Optimistic locking: change the price only if nobody changed the item meanwhile."""
    try:
        products.update_item(
            {"category": "books", "sku": sku},
            set={"price": price},
            add={"version": 1},
            condition=Attr("version").eq(expected_version),
        )
    except ConditionalCheckFailedException:
        print(f"sku {sku}: version is no longer {expected_version}; price not changed")
        return False
    print(f"sku {sku}: price set to {price} (was version {expected_version})")
    return True


def main() -> None:
    with dynamodb_endpoint() as endpoint, endpoint.connect() as connection:
        run(connection)


def run(connection: Connection) -> None:
    products = create_table(connection)
    print(f"created table {products.table_name}")
    try:
        for sku, title, price in [(1, "SICP", 45), (2, "TAOCP", 190), (3, "K&R", 30)]:
            products.put_item(
                {"category": "books", "sku": sku, "title": title, "price": price, "version": 1},
                condition=Attr("title").not_exists(),
            )
        print("put three books (only if absent)")

        set_price(products, 1, 50, expected_version=1)
        set_price(products, 1, 55, expected_version=1)  # stale: refused

        item = products.update_item(
            {"category": "books", "sku": 2},
            add={"views": 1, "tags": {"classic", "algorithms"}},
            append={"reviews": ["dense but rewarding"]},
            set={"stock": {"warehouse": 3, "shop": 1}},
            return_values="ALL_NEW",
        )
        assert item is not None
        print(
            f"sku 2: views={item['views']} tags={sorted(item['tags'])} "
            f"reviews={item['reviews']} stock={counts(item['stock'])}"
        )
        # A nested path needs its parent map to exist: "stock" does now.
        products.update_item(
            {"category": "books", "sku": 2},
            set={"stock.shop": 0},
            delete={"tags": {"classic"}},
            remove=["reviews"],
        )
        after = products.get_item(category="books", sku=2)
        print(
            f"sku 2 after set/delete/remove: tags={sorted(after['tags'])} "
            f"stock={counts(after['stock'])} reviews={after['reviews']}"
        )

        cheap = products.query_2(
            key_condition=Key("category").eq("books") & Key("sku").between(1, 3),
            filter=Attr("price").lt(100) & ~Attr("title").begins_with("T"),
        )
        print(f"cheap books: {[item['title'] for item in cheap]}")
        # Built conditions mix with boto 2's keyword filters in one request.
        mixed = products.scan(filter=Attr("version").gte(1), price__gt=40)
        print(f"scanned books over 40: {sorted(item['title'] for item in mixed)}")

        removed = products.delete_item(condition=Attr("price").gt(1000), category="books", sku=3)
        print(f"delete sku 3 if price > 1000: {'deleted' if removed else 'kept'}")
    finally:
        products.delete()
        print("deleted the table")


if __name__ == "__main__":
    main()
