"""Parallel scan: every item of a table once, from segments scanned concurrently on threads.

>>> for item in table.parallel_scan(total_segments=8):     # doctest: +SKIP
...     print(item["username"])

DynamoDB splits a scan into ``total_segments`` disjoint segments; each is paged through
by one of ``max_workers`` threads, and the pages are handed to the iterating thread as
they arrive (so items come in no particular order).

Memory stays bounded: a worker needs a *permit* to fetch a page, and a permit is given
back only when the consumer takes a fetched page. So at most ``max_workers`` pages are
fetched and not yet taken, plus the page being iterated: a slow consumer slows the
workers down instead of piling pages up.

Stopping early is clean: closing the generator (``break`` out of a ``for`` loop over it,
``close()``, or dropping the last reference) stops the workers from fetching more and
waits for their threads to end (a request already in flight is finished first). An
error in any worker stops the others and is raised to the consumer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final, Generic, TypeVar

from .exceptions import ParameterValidationError

__all__ = ["DEFAULT_MAX_WORKERS", "MAX_TOTAL_SEGMENTS", "FetchPage", "parallel_scan", "workers_for"]

#: DynamoDB's largest ``TotalSegments``.
MAX_TOTAL_SEGMENTS: Final = 1_000_000

#: Threads when ``max_workers`` is not given and there are more segments: a thread, a
#: pooled connection and a page in memory each, so a scan of thousands of segments does
#: not start thousands of threads.
DEFAULT_MAX_WORKERS: Final = 32

_T = TypeVar("_T")

#: Fetches one page of one segment: ``(segment, start_key) -> (items, next_start_key)``;
#: ``start_key`` is ``None`` for the first page, and a ``None`` next key ends the segment.
FetchPage = Callable[[int, Mapping[str, Any] | None], tuple[Sequence[_T], Mapping[str, Any] | None]]

_THREAD_NAME_PREFIX: Final = "dynamodb2-parallel-scan"


class _Finished:
    """A worker's last message: it has no more pages to give."""


class _Failed:
    """A worker's last message but one when its fetch raised."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Shared(Generic[_T]):
    """What the consumer and its workers share."""

    def __init__(self, total_segments: int, workers: int) -> None:
        self.stop = threading.Event()
        self.permits = threading.Semaphore(workers)
        self.messages: queue.SimpleQueue[Sequence[_T] | _Finished | _Failed] = queue.SimpleQueue()
        self.segments: queue.SimpleQueue[int] = queue.SimpleQueue()
        for segment in range(total_segments):
            self.segments.put(segment)


def parallel_scan(
    fetch_page: FetchPage[_T],
    total_segments: int = 4,
    max_workers: int | None = None,
) -> Generator[_T, None, None]:
    """Every item of every segment, once, from ``max_workers`` threads fetching pages.

    ``max_workers`` defaults to ``total_segments``, up to :data:`DEFAULT_MAX_WORKERS`
    (32), and is never more than ``total_segments``; each worker takes the next segment
    when it finishes one. Arguments are checked now; threads start with the first
    ``next()``.

    >>> def fetch_page(segment, start_key):
    ...     return [f"item of segment {segment}"], None
    >>> sorted(parallel_scan(fetch_page, total_segments=2))
    ['item of segment 0', 'item of segment 1']
    """
    return _items(fetch_page, total_segments, workers_for(total_segments, max_workers))


def workers_for(total_segments: int, max_workers: int | None) -> int:
    """How many workers scan ``total_segments`` given ``max_workers`` (checked)."""
    if type(total_segments) is not int or not 1 <= total_segments <= MAX_TOTAL_SEGMENTS:
        raise ParameterValidationError(
            f"total_segments must be an int from 1 to {MAX_TOTAL_SEGMENTS}, not {total_segments!r}"
        )
    if max_workers is None:
        max_workers = min(total_segments, DEFAULT_MAX_WORKERS)
    if type(max_workers) is not int or max_workers < 1:
        raise ParameterValidationError(
            f"max_workers must be an int of at least 1, not {max_workers!r}"
        )
    return min(max_workers, total_segments)


def _items(
    fetch_page: FetchPage[_T], total_segments: int, workers: int
) -> Generator[_T, None, None]:
    shared: _Shared[_T] = _Shared(total_segments, workers)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=_THREAD_NAME_PREFIX)
    try:
        for _ in range(workers):
            executor.submit(_work, fetch_page, shared)
        running = workers
        while running:
            message = shared.messages.get()
            if isinstance(message, _Finished):
                running -= 1
            elif isinstance(message, _Failed):
                raise message.error
            else:
                shared.permits.release()  # the page is taken: one more may be fetched
                yield from message
    finally:
        shared.stop.set()
        # Wake every worker waiting for a permit, so it sees the stop and ends.
        for _ in range(workers):
            shared.permits.release()
        executor.shutdown(wait=True, cancel_futures=True)


def _work(fetch_page: FetchPage[_T], shared: _Shared[_T]) -> None:
    """Page through segments until none is left, or until told to stop."""
    try:
        while not shared.stop.is_set():
            try:
                segment = shared.segments.get_nowait()
            except queue.Empty:
                return
            start_key: Mapping[str, Any] | None = None
            while True:
                shared.permits.acquire()
                if shared.stop.is_set():
                    return
                items, start_key = fetch_page(segment, start_key)
                shared.messages.put(items)
                if start_key is None:
                    break
    except BaseException as error:  # every error, handed to the consumer who raises it
        shared.stop.set()
        shared.messages.put(_Failed(error))
    finally:
        shared.messages.put(_Finished())
