"""A small concurrent service on dynamodb2.aio: many reads at once, a batch load, a
conditional update.

    python3 examples/async_api.py

1. A batch load: 500 products through ``async with table.batch_write()`` (25 puts a
   request, unprocessed ones retried: nothing dropped).
2. Many reads at once: 200 ``get_item`` calls gathered on one connection (its pool
   bounds the sockets; the rest wait their turn).
3. Conditional updates: 30 buyers at once, one for each of 30 products (stock 0, 1
   or 2): the condition refuses the sold-out ones and lets every other through. Then two
   buyers for the last unit of one product: the condition lets exactly one through.
4. A query read with ``async for``, page by page.

The endpoint is chosen by ``examples/_embedded.py`` (a moto server in this process when
nothing is configured); on real AWS it creates an on-demand table and deletes it.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from _embedded import dynamodb_endpoint
from dynamodb2 import Attr, HashKey, RangeKey
from dynamodb2.aio import AsyncConnection, AsyncTable
from dynamodb2.exceptions import ConditionalCheckFailedException
from dynamodb2.types import NUMBER

PRODUCTS = 500
READS = 200
#: The products 30 buyers reserve at once: 10 of each stock level (0, 1 and 2).
RUSH = range(100, 130)


async def reserve(products: AsyncTable, shop: str, sku: int, buyer: str) -> str:
    """Take one unit of stock, only if one is left."""
    try:
        await products.update_item(
            {"shop": shop, "sku": sku},
            add={"stock": -1},
            set={"reserved_by": buyer},
            condition=Attr("stock").gt(0),
        )
    except ConditionalCheckFailedException:
        return f"{buyer}: sold out"
    return f"{buyer}: reserved"


async def serve(connection: AsyncConnection) -> None:
    products = await AsyncTable.create(
        f"dynamodb2-async-{uuid.uuid4().hex[:8]}",
        schema=[HashKey("shop"), RangeKey("sku", data_type=NUMBER)],
        billing_mode="PAY_PER_REQUEST",
        connection=connection,
    )
    await products.wait_until_active(timeout=300)
    try:
        async with products.batch_write() as batch:
            for sku in range(PRODUCTS):
                await batch.put_item(
                    {"shop": "north", "sku": sku, "price": 100 + sku % 7, "stock": sku % 3}
                )
        print(f"batch load: wrote {batch.sent} products")

        started = time.perf_counter()
        items = await asyncio.gather(
            *(products.get_item(shop="north", sku=sku % PRODUCTS) for sku in range(READS))
        )
        elapsed = time.perf_counter() - started
        total = sum(item["price"] for item in items)
        print(f"gathered {len(items)} reads in {elapsed:.2f} s; total price {total}")

        # 30 buyers at once, each for a different product: the condition is checked
        # item by item, so 10 find their product sold out whatever the order.
        outcomes = await asyncio.gather(
            *(reserve(products, "north", sku, f"buyer {sku}") for sku in RUSH)
        )
        won = sum(outcome.endswith("reserved") for outcome in outcomes)
        print(f"rush of {len(outcomes)} buyers: {won} reserved, {len(outcomes) - won} sold out")
        left = await asyncio.gather(
            *(products.get_item(shop="north", sku=sku, consistent=True) for sku in RUSH)
        )
        before, after = sum(sku % 3 for sku in RUSH), sum(item["stock"] for item in left)
        print(f"stock of those products: {before} before, {after} after")

        # sku 1 has one unit left and two buyers want it. DynamoDB applies conditional
        # writes to one item one at a time, so sent at once, exactly one would win too;
        # moto's server does not (it checks the condition and writes without a lock, and
        # under load lets both through), so here they come one after the other.
        outcomes = [await reserve(products, "north", 1, buyer) for buyer in ("ann", "bob")]
        print(f"last unit of sku 1: {', '.join(outcomes)}")
        last = await products.get_item(shop="north", sku=1, consistent=True)
        print(f"sku 1 stock now {last['stock']}")

        cheap = [
            int(item["sku"])
            async for item in products.query_2(
                shop__eq="north", sku__lt=20, filter=Attr("price").eq(100), max_page_size=5
            )
        ]
        print(f"query: products under sku 20 priced 100: {cheap}")
    finally:
        await products.delete()
        print("deleted the table")


async def main() -> None:
    with dynamodb_endpoint() as endpoint:
        access_key, secret_key = endpoint.credentials or (None, None)
        async with AsyncConnection(
            region_name=endpoint.region_name,
            endpoint_url=endpoint.url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            max_pool_connections=20,
        ) as connection:
            await serve(connection)


if __name__ == "__main__":
    asyncio.run(main())
