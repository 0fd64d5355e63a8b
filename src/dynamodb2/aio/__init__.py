"""asyncio: the same Table API, awaited, on the same core as the synchronous one.

>>> from dynamodb2.aio import AsyncTable
>>> users = AsyncTable("users", schema=[HashKey("username")])       # doctest: +SKIP
>>> await users.put_item(data={"username": "jo"})                   # doctest: +SKIP
True
>>> async for user in users.query_2(username__eq="jo"):             # doctest: +SKIP
...     print(user["username"])

Everything that is not I/O (request building, key checks, expressions, response decoding,
retry decisions, error mapping, dirty tracking, batch bookkeeping) is the synchronous
API's own code; these classes only await. docs/asyncio.md shows each synchronous call
beside its asynchronous form.
"""

from __future__ import annotations

from ._batch import AsyncBatchTable
from ._connection import AsyncConnection, AsyncDynamoDBConnection
from ._items import AsyncItem
from ._results import AsyncBatchGetResultSet, AsyncResultSet
from ._table import AsyncTable
from ._transactions import AsyncTransaction, transact_get, transaction
from ._transport import AsyncHTTPTransport, AsyncTransport, ThreadedTransport

__all__ = [
    "AsyncBatchGetResultSet",
    "AsyncBatchTable",
    "AsyncConnection",
    "AsyncDynamoDBConnection",
    "AsyncHTTPTransport",
    "AsyncItem",
    "AsyncResultSet",
    "AsyncTable",
    "AsyncTransaction",
    "AsyncTransport",
    "ThreadedTransport",
    "transact_get",
    "transaction",
]
