"""AsyncResultSet and AsyncBatchGetResultSet: lazy pages, awaited (``async for``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Any, TypeVar

from dynamodb2._plans import Pause, run_async
from dynamodb2.results import _BatchGets, _Fetch, _Pages

from ._connection import sleep_with

__all__ = ["AsyncBatchGetResultSet", "AsyncResultSet"]

_T = TypeVar("_T")


class AsyncResultSet(_Pages[_T]):
    """:class:`~dynamodb2.results.ResultSet` for ``async for``: every result of a query
    or scan, pages fetched as iteration reaches them.

    >>> async for item in table.query_2(username__eq="jo", limit=50):   # doctest: +SKIP
    ...     print(item["title"])

    ``limit``, ``max_page_size``, :attr:`last_evaluated_key` (to resume, also inside a
    page), :attr:`exhausted` and the capacity read are the synchronous result set's.
    """

    def __aiter__(self) -> AsyncIterator[_T]:
        return self

    async def __anext__(self) -> _T:
        # A coroutine per step is the cheapest awaitable here (three times cheaper than a
        # finished future); a result already in hand is returned without awaiting.
        offset = self._offset + 1
        results = self._results
        if offset < len(results) and self._limit is None:
            # The common step, inside a page with no limit to count (_hand_out's work),
            # as ResultSet.__next__ takes it.
            self._offset = offset
            self._yielded_in_page = offset + 1
            return results[offset]
        self._offset = offset
        while self._wants_page():
            await self.fetch_more()
        try:
            return self._hand_out()
        except StopIteration:
            raise StopAsyncIteration from None

    async def fetch_more(self) -> None:
        """Fetch the next page into the buffer."""
        self._take_page(await self._fetcher()(*self.call_args, **self._next_page_kwargs()))

    async def to_list(self) -> list[_T]:
        """Every remaining result, in a list (mind the memory for a large scan)."""
        return [result async for result in self]


class AsyncBatchGetResultSet(_BatchGets[_T], AsyncResultSet[_T]):
    """:class:`~dynamodb2.results.BatchGetResultSet` for ``async for``: the items for a
    list of keys, 100 keys a request, unprocessed keys asked for again with backoff."""

    async def fetch_more(self) -> None:
        """Fetch the items for the next chunk of keys (unprocessed ones first)."""
        await run_async(self._fetch_plan(), self._perform)

    def _perform(self, effect: Pause | _Fetch) -> Awaitable[Any]:
        if type(effect) is Pause:
            pacing = self._pacing
            return sleep_with(pacing.sleep, pacing.delay(effect.level))
        assert isinstance(effect, _Fetch)
        fetched: Awaitable[Any] = effect.fetch(*effect.args, **effect.kwargs)
        return fetched
