"""What the command line tells people while it works: retries, as they happen.

A wrong endpoint, or a table throttled hard, should not look like slow progress:

    retrying: connection refused, attempt 3 of 10 in 0.2 s

Notices go to stderr (above the live progress line when one is drawn) and are left out
with ``--quiet``. At most one a second is shown, so a throttled load does not flood the
terminal; the first one always is.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final

import click
from rich.console import Console
from rich.text import Text

from dynamodb2.exceptions import (
    ChecksumMismatchError,
    ConnectionFailedError,
    DynamoDBResponseError,
    ReadTimeoutError,
    ThrottlingError,
    TruncatedResponseError,
)
from dynamodb2.retry import RetryEvent

__all__ = ["MESSAGES", "Messages", "RetryNotices", "retry_reason"]

#: Network errors beneath a failed connection, in words.
_NETWORK_REASONS: Final[tuple[tuple[type[BaseException], str], ...]] = (
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset"),
    (socket.gaierror, "host name not found"),
    (TimeoutError, "connection timed out"),
)


class Messages:
    """Lines for people on stderr; while a progress line is drawn, printed above it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._console: Console | None = None

    def show(self, text: str) -> None:
        """Print ``text`` as one line on stderr (from any thread)."""
        with self._lock:
            if self._console is not None:
                self._console.print(Text(text), soft_wrap=True)
            else:
                click.echo(text, err=True)

    @contextmanager
    def above(self, console: Console) -> Iterator[None]:
        """While the block runs, print through ``console`` (a live progress display's)."""
        with self._lock:
            self._console = console
        try:
            yield
        finally:
            with self._lock:
                self._console = None


#: The command line's one stderr.
MESSAGES: Final = Messages()


class RetryNotices:
    """A ``Connection(on_retry=...)`` callback that shows retries, at most one a second."""

    def __init__(
        self,
        show: Callable[[str], None] = MESSAGES.show,
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._show = show
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._last: float | None = None

    def __call__(self, event: RetryEvent) -> None:
        now = self._clock()
        with self._lock:
            if self._last is not None and now - self._last < self._interval:
                return
            self._last = now
        self._show(
            f"retrying: {retry_reason(event.error)}, attempt {event.next_attempt} of "
            f"{event.max_attempts} in {event.delay:.1f} s"
        )


def retry_reason(error: BaseException) -> str:
    """Why a request is being retried, in a few words (``connection refused``)."""
    if isinstance(error, ThrottlingError):
        return f"throttled ({error.error_code})"
    if isinstance(error, DynamoDBResponseError):
        return f"HTTP {error.status} ({error.error_code})"
    if isinstance(error, ReadTimeoutError):
        return "no response within the read timeout"
    if isinstance(error, TruncatedResponseError):
        return "the response was cut short"
    if isinstance(error, ChecksumMismatchError):
        return "the response failed its checksum"
    cause = error.__cause__ or error.__context__
    seen = 0
    while cause is not None and seen < 10:  # a bounded walk down the chain
        for kind, reason in _NETWORK_REASONS:
            if isinstance(cause, kind):
                return reason
        cause = cause.__cause__ or cause.__context__
        seen += 1
    if isinstance(error, ConnectionFailedError):
        return "connection failed"
    return type(error).__name__
