"""When to try a request again, and how long to wait first.

>>> policy = RetryPolicy(max_attempts=5, base_delay=0.1, max_delay=2.0)
>>> 0.0 <= policy.delay(3) <= 0.4
True

Waits grow exponentially from ``base_delay`` and are capped at ``max_delay``; each wait is
drawn uniformly from ``[0, cap]`` ("full jitter"), which spreads out clients that were
throttled together. An optional ``total_timeout`` bounds the whole call, waits included.

``Connection(on_retry=...)`` is told of every retry as it happens, with a
:class:`RetryEvent` (what failed, which attempt comes next, how long until then).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import attrs

__all__ = [
    "DEFAULT_PACING",
    "DEFAULT_RETRY_POLICY",
    "Pacing",
    "RetryEvent",
    "RetryPolicy",
    "RoundBackoff",
]


def _positive_attempts(_instance: object, _attribute: object, value: int) -> None:
    if value < 1:
        raise ValueError(f"max_attempts must be at least 1, not {value}")


def _not_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative, not {value}")


def _positive_or_none(_instance: object, _attribute: object, value: float | None) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"total_timeout must be positive or None, not {value}")


@attrs.frozen
class RetryPolicy:
    """How a connection retries throttling, server errors and broken connections.

    Attributes:
        max_attempts: attempts in all, the first included (boto 2 made 10).
        base_delay: the cap of the first wait, in seconds; it doubles per attempt.
        max_delay: no single wait is longer than this, in seconds.
        total_timeout: if set, no retry starts once this many seconds have passed since
            the call began, and no wait runs past it.
    """

    max_attempts: int = attrs.field(default=10, validator=_positive_attempts)
    base_delay: float = attrs.field(default=0.05, validator=_not_negative)
    max_delay: float = attrs.field(default=20.0, validator=_not_negative)
    total_timeout: float | None = attrs.field(default=None, validator=_positive_or_none)

    def delay_cap(self, attempt: int) -> float:
        """The longest wait after failed attempt number ``attempt`` (1-based)."""
        exponent = min(max(attempt - 1, 0), 62)  # 2**62 already exceeds any sane cap
        return min(self.max_delay, self.base_delay * float(1 << exponent))

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """A wait after failed attempt number ``attempt``: uniform in ``[0, delay_cap]``."""
        draw = rng.random() if rng is not None else random.random()
        return draw * self.delay_cap(attempt)


#: The policy a connection uses unless told otherwise.
DEFAULT_RETRY_POLICY = RetryPolicy()


@attrs.frozen
class Pacing:
    """How to wait between tries: a retry policy, and the sleep, clock and random number
    source to apply it with.

    A connection's ``pacing`` is what batches, batch reads and waiters of its tables
    use, so a test that gives the connection a fake sleep and clock fakes them all.

    >>> slept = []
    >>> pacing = Pacing(RetryPolicy(max_attempts=3, max_delay=1.0), sleep=slept.append)
    >>> waited = pacing.pause(5)
    >>> slept == [waited] and 0 <= waited <= 1.0
    True
    """

    policy: RetryPolicy = DEFAULT_RETRY_POLICY
    sleep: Callable[[float], object] = time.sleep
    clock: Callable[[], float] = time.monotonic
    random: random.Random = attrs.field(factory=random.Random)

    def delay(self, level: int) -> float:
        """A wait at backoff ``level`` (1-based), drawn as :meth:`RetryPolicy.delay` does."""
        return self.policy.delay(level, self.random)

    def pause(self, level: int) -> float:
        """Sleep a wait at backoff ``level``; return how long."""
        seconds = self.delay(level)
        self.sleep(seconds)
        return seconds


#: The pacing of a connection made with no retry policy, sleep or clock of its own.
DEFAULT_PACING = Pacing()


@attrs.define
class RoundBackoff:
    """The backoff of batch work retried in rounds (unprocessed writes or keys).

    The level rises by one before each round and falls by two after a round that made
    progress: waits grow while DynamoDB keeps refusing and relax as it takes work,
    instead of doubling for as long as anything is left. After ``max_stalls`` rounds in
    a row without progress, the work is given up.

    >>> backoff = RoundBackoff(max_stalls=2)
    >>> backoff.next_level(), backoff.stalled(), backoff.next_level(), backoff.stalled()
    (1, False, 2, True)
    """

    max_stalls: int
    level: int = 0
    stalls: int = 0

    def next_level(self) -> int:
        """The backoff level to wait at before the next round."""
        self.level += 1
        return self.level

    def progressed(self) -> None:
        """A round made progress: relax."""
        self.stalls = 0
        self.level = max(self.level - 2, 0)

    def stalled(self) -> bool:
        """A round made no progress; ``True`` once ``max_stalls`` did in a row."""
        self.stalls += 1
        return self.stalls >= self.max_stalls


@attrs.frozen
class RetryEvent:
    """A request that failed and is about to be sent again, for ``Connection(on_retry=...)``.

    >>> def show(event: RetryEvent) -> None:
    ...     print(f"retrying {event.operation}: attempt {event.next_attempt} of "
    ...           f"{event.max_attempts} in {event.delay:.1f} s ({event.error})")
    >>> conn = Connection(on_retry=show)                     # doctest: +SKIP

    The callback runs on the thread that made the call, before the wait; an exception it
    raises propagates to the caller.

    Attributes:
        operation: the DynamoDB operation, e.g. ``"BatchWriteItem"``.
        attempt: the attempt that failed (1 for the first).
        max_attempts: attempts in all that the policy allows.
        error: what went wrong: a throttling or server error
            (:class:`~dynamodb2.exceptions.DynamoDBResponseError`) or a
            :class:`~dynamodb2.exceptions.TransportError` (its ``__cause__`` is the network
            error beneath, such as ``ConnectionRefusedError``).
        delay: seconds until the next attempt.
    """

    operation: str
    attempt: int
    max_attempts: int
    error: Exception
    delay: float

    @property
    def next_attempt(self) -> int:
        """The number of the attempt about to be made."""
        return self.attempt + 1
