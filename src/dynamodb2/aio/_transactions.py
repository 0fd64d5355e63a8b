"""Transactions for asyncio: ``async with transaction() as tx``, ``await transact_get()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any

from dynamodb2._arguments import refusal
from dynamodb2._plans import run_async
from dynamodb2._requests import Call
from dynamodb2.capacity import ReturnConsumedCapacity, check_return_consumed_capacity
from dynamodb2.transactions import (
    TransactGetResult,
    _Actions,
    _given,
    _transact_get_request,
    _transact_get_result,
)

from ._connection import AsyncConnection, AsyncDynamoDBConnection
from ._items import AsyncItem
from ._table import AsyncTable

__all__ = ["AsyncTransaction", "transact_get", "transaction"]


def _layer1(
    connection: AsyncConnection | AsyncDynamoDBConnection | None,
) -> AsyncDynamoDBConnection | None:
    if connection is None or isinstance(connection, AsyncDynamoDBConnection):
        return connection
    if isinstance(connection, AsyncConnection):
        return AsyncDynamoDBConnection(connection=connection)
    raise refusal("connection", "an AsyncDynamoDBConnection or an AsyncConnection", connection)


class AsyncTransaction(_Actions):
    """:class:`~dynamodb2.transactions.Transaction` for ``async with``: ``put``,
    ``update``, ``delete`` and ``check`` collect actions (on :class:`AsyncTable`\\ s),
    checked as they are added; leaving the block normally commits them as one
    ``TransactWriteItems`` (nothing is sent if it raised)."""

    def __init__(
        self,
        connection: AsyncDynamoDBConnection | AsyncConnection | None = None,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        client_request_token: str | None = None,
    ) -> None:
        super().__init__(
            connection,
            return_consumed_capacity=return_consumed_capacity,
            client_request_token=client_request_token,
        )

    @staticmethod
    def _layer1(connection: Any) -> Any:
        return _layer1(connection)

    async def commit(self) -> None:
        """Send the actions as one ``TransactWriteItems`` (nothing if there are none)."""
        await run_async(self._commit_plan(), self._send)

    async def _send(self, call: Call) -> Any:
        return await call.send_async(self._connection)

    async def __aenter__(self) -> AsyncTransaction:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._commits_on_exit(exc_value):
            await self.commit()


def transaction(
    connection: AsyncConnection | AsyncDynamoDBConnection | None = None,
    *,
    return_consumed_capacity: ReturnConsumedCapacity | None = None,
    client_request_token: str | None = None,
) -> AsyncTransaction:
    """A transaction to fill in an ``async with`` block; it commits when the block ends.

    >>> async with aio.transaction() as tx:                             # doctest: +SKIP
    ...     tx.update(accounts, {"id": "alice"}, add={"balance": -10},
    ...               condition=Attr("balance").gte(10))
    ...     tx.update(accounts, {"id": "bob"}, add={"balance": 10})
    """
    return AsyncTransaction(
        connection,
        return_consumed_capacity=return_consumed_capacity,
        client_request_token=client_request_token,
    )


async def transact_get(
    connection: AsyncConnection | AsyncDynamoDBConnection | None,
    keys: Sequence[tuple[AsyncTable, Mapping[str, Any]]],
    *,
    return_consumed_capacity: ReturnConsumedCapacity | None = None,
) -> TransactGetResult[AsyncItem]:
    """Read up to 100 items, from any tables, as one consistent snapshot (see
    :func:`dynamodb2.transactions.transact_get`).

    >>> alice, bob = await aio.transact_get(None, [(accounts, {"id": "alice"}),
    ...                                            (accounts, {"id": "bob"})])  # doctest: +SKIP
    """
    capacity = check_return_consumed_capacity(return_consumed_capacity)
    pairs, entries, resolved = _transact_get_request(_layer1(connection), keys)
    response = await resolved.transact_get_items(
        entries, **_given(return_consumed_capacity=capacity)
    )
    return _transact_get_result(pairs, response, capacity)
