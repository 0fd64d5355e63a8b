"""AsyncBatchTable: buffered puts and deletes, 25 a request, awaited, never dropped."""

from __future__ import annotations

import asyncio
import typing
from collections.abc import Awaitable, Mapping
from types import TracebackType
from typing import Any

from dynamodb2._plans import Own, Pause, Plan, run_async
from dynamodb2._requests import Call
from dynamodb2.batch import _BatchWrites
from dynamodb2.capacity import ReturnConsumedCapacity
from dynamodb2.retry import Pacing

from ._connection import sleep_with

if typing.TYPE_CHECKING:
    from ._table import AsyncTable

__all__ = ["AsyncBatchTable"]


class AsyncBatchTable(_BatchWrites):
    """:class:`~dynamodb2.batch.BatchTable` for ``async with`` (``table.batch_write()``).

    >>> async with table.batch_write() as batch:                      # doctest: +SKIP
    ...     await batch.put_item(data={"username": "jo"})

    The synchronous batch's guarantees hold: 25 writes a request, writes to one key
    merged, unprocessed writes sent again with backoff, and when it gives up a
    :class:`~dynamodb2.exceptions.BatchWriteError` carrying every unsent write. A block
    that is cancelled (``asyncio.CancelledError``), like one interrupted by Ctrl-C,
    stops without flushing and the exception carries the unsent writes as its
    ``unsent_requests`` attribute; they stay in the batch for a later :meth:`flush`. A
    cancellation at any ``await`` of a send (or Ctrl-C anywhere) loses no write: each is
    written or still in the batch. Tasks may share a batch: a write one task is sending
    is not sent again by another's flush.
    """

    table: AsyncTable

    def __init__(
        self,
        table: AsyncTable,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        pacing: Pacing | None = None,
    ) -> None:
        super().__init__(table, return_consumed_capacity=return_consumed_capacity, pacing=pacing)

    async def __aenter__(self) -> AsyncBatchTable:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._flush_on_exit(exc_value):
            return
        try:
            await self.flush_all()
        except BaseException as error:
            self._failed_on_exit(error, exc_value)
            raise
        self._flushed_on_exit(exc_value)

    async def put_item(
        self, data: Mapping[str, Any], overwrite: bool = False, *, store_empty: bool = False
    ) -> None:
        """Add a put (see :meth:`BatchTable.put_item <dynamodb2.batch.BatchTable.put_item>`);
        a full request of 25 is sent before this returns."""
        # Buffered here, not in a coroutine of its own: this runs for every write.
        self._buffer(*self._put_entry(data, overwrite, store_empty))
        if self.should_flush():
            await self._run(self._send_buffered_plan())

    async def delete_item(self, **kwargs: Any) -> None:
        """Add a delete of the item with this key (``await batch.delete_item(username="x")``)."""
        self._buffer(self._delete_request(kwargs))
        if self.should_flush():
            await self._run(self._send_buffered_plan())

    async def flush(self) -> bool:
        """Write everything added so far, then any unprocessed writes (with backoff)."""
        await self._run(self._flush_plan())
        return True

    async def flush_all(self) -> None:
        """Send everything, then every unprocessed write until none are left."""
        if self._pending:
            await self.flush()
        await self.resend_unprocessed()

    async def resend_unprocessed(self) -> None:
        """Send unprocessed writes again, with backoff, until none are left (or raise
        :class:`~dynamodb2.exceptions.BatchWriteError` with every unsent write)."""
        await self._run(self._resend_plan())

    def _sender(self) -> object | None:
        # Tasks may share the batch: a write one of them is sending is not taken again.
        return asyncio.current_task()

    async def _run(self, plan: Plan[None]) -> None:
        await run_async(plan, self._perform)

    def _perform(self, effect: Call | Pause | Own) -> Awaitable[Any]:
        if type(effect) is Pause:
            pacing = self._pacing
            return sleep_with(pacing.sleep, pacing.delay(effect.level))
        if type(effect) is Own:
            return effect.on_async(self)
        assert isinstance(effect, Call)
        return self.table._send(effect)
