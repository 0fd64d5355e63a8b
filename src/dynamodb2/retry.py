"""When to try a request again, and how long to wait first.

>>> policy = RetryPolicy(max_attempts=5, base_delay=0.1, max_delay=2.0)
>>> 0.0 <= policy.delay(3) <= 0.4
True

Waits grow exponentially from ``base_delay`` and are capped at ``max_delay``; each wait is
drawn uniformly from ``[0, cap]`` ("full jitter"), which spreads out clients that were
throttled together. An optional ``total_timeout`` bounds the whole call, waits included.

botocore's retry modes map onto a policy with :meth:`RetryPolicy.for_mode` (a connection
does this for ``AWS_RETRY_MODE``, ``AWS_MAX_ATTEMPTS`` and ``Config(retries=...)``):

>>> RetryPolicy.for_mode("standard").max_attempts    # boto3's default for DynamoDB
4

An argument of the wrong type is refused when the policy is made, by a
:class:`~dynamodb2.exceptions.ParameterValidationError` (a ``ValueError``):

>>> RetryPolicy(max_attempts="3")
Traceback (most recent call last):
...
dynamodb2.exceptions.ParameterValidationError: max_attempts takes a whole number, not str '3'

Everything here is arithmetic (sans-I/O): the synchronous and asynchronous connections
both ask the policy what to do and do the waiting themselves.

``Connection(on_retry=...)`` is told of every retry as it happens, with a
:class:`RetryEvent` (what failed, which attempt comes next, how long until then).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any, Final

import attrs

from ._arguments import refusal, whole_number
from .exceptions import ParameterValidationError

__all__ = [
    "DEFAULT_PACING",
    "DEFAULT_RETRY_POLICY",
    "RETRY_MODES",
    "Pacing",
    "RetryEvent",
    "RetryPolicy",
    "RoundBackoff",
]

#: botocore's retry modes (``AWS_RETRY_MODE``, ``Config(retries={"mode": ...})``).
RETRY_MODES: Final = ("legacy", "standard", "adaptive")
#: Attempts in all by mode when no maximum is configured (botocore's for DynamoDB: its
#: legacy retry table gives DynamoDB 10, standard mode 4).
_MODE_ATTEMPTS: Final = {"legacy": 10, "standard": 4, "adaptive": 4}


def _positive_attempts(_instance: object, _attribute: object, value: int) -> None:
    whole_number(value, "max_attempts", minimum=1, wire=False, none=False)


def _number(name: str, value: object) -> float:
    # Seconds: an int or a float (a wait is arithmetic on floats), not a bool, not NaN.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise refusal(name, "a number of seconds", value)
    return value


def _not_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if _number(attribute.name, value) < 0:
        raise ParameterValidationError(f"{attribute.name} must not be negative, not {value}")


def _positive_or_none(_instance: object, _attribute: object, value: float | None) -> None:
    if value is not None and _number("total_timeout", value) <= 0:
        raise ParameterValidationError(f"total_timeout must be positive or None, not {value}")


def _bool(_instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise refusal(attribute.name, "True or False", value)


def _mode(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and value not in RETRY_MODES:
        raise refusal("mode", f"one of {', '.join(RETRY_MODES)}, or None", value)


@attrs.frozen
class RetryPolicy:
    """How a connection retries throttling, server errors and broken connections.

    Attributes:
        max_attempts: attempts in all, the first included (boto 2 made 10).
        base_delay: the cap of the first wait, in seconds; it doubles per attempt.
        max_delay: no single wait is longer than this, in seconds.
        total_timeout: if set, no retry starts once this many seconds have passed since
            the call began, no wait runs past it, and an attempt in flight is stopped
            when it runs out (its connection and response read are bounded by what is
            left).
        throttling_base_delay: the cap of the first wait after a throttling error, if
            it differs from ``base_delay`` (botocore's standard mode: 1 s after
            throttling, 25 ms after other errors, for DynamoDB).
        rate_limited: client-side rate limiting after throttling, as botocore's
            ``adaptive`` retry mode does (its token bucket and CUBIC rate control).
        mode: the botocore retry mode this policy was made for (``None``: this
            package's own policy); for display.
    """

    max_attempts: int = attrs.field(default=10, validator=_positive_attempts)
    base_delay: float = attrs.field(default=0.05, validator=_not_negative)
    max_delay: float = attrs.field(default=20.0, validator=_not_negative)
    total_timeout: float | None = attrs.field(default=None, validator=_positive_or_none)
    throttling_base_delay: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_not_negative)
    )
    rate_limited: bool = attrs.field(default=False, validator=_bool)
    mode: str | None = attrs.field(default=None, validator=_mode)

    @classmethod
    def for_mode(cls, mode: str, max_attempts: int | None = None) -> RetryPolicy:
        """The policy of botocore's retry ``mode`` for DynamoDB, with ``max_attempts``
        attempts in all (botocore's default for the mode if ``None``).

        - ``legacy``: 10 attempts; waits capped at 50 ms, doubling.
        - ``standard``: 4 attempts; waits capped at 25 ms, doubling (1 s after
          throttling), at most 20 s.
        - ``adaptive``: as ``standard``, plus client-side rate limiting once throttled.

        The retried errors are this package's (a superset of botocore's: checksum
        mismatches and truncated bodies too); waits use full jitter in every mode.
        """
        if not isinstance(mode, str) or mode not in RETRY_MODES:
            raise ParameterValidationError(
                f"retry mode must be one of {', '.join(RETRY_MODES)}, not {mode!r}"
            )
        attempts = max_attempts if max_attempts is not None else _MODE_ATTEMPTS[mode]
        if mode == "legacy":
            return cls(max_attempts=attempts, base_delay=0.05, max_delay=20.0, mode=mode)
        return cls(
            max_attempts=attempts,
            base_delay=0.025,
            max_delay=20.0,
            throttling_base_delay=1.0,
            rate_limited=mode == "adaptive",
            mode=mode,
        )

    def delay_cap(self, attempt: int, *, throttled: bool = False) -> float:
        """The longest wait after failed attempt number ``attempt`` (1-based)."""
        exponent = min(max(attempt - 1, 0), 62)  # 2**62 already exceeds any sane cap
        base = self.base_delay
        if throttled and self.throttling_base_delay is not None:
            base = self.throttling_base_delay
        return min(self.max_delay, base * float(1 << exponent))

    def delay(
        self, attempt: int, rng: random.Random | None = None, *, throttled: bool = False
    ) -> float:
        """A wait after failed attempt number ``attempt``: uniform in ``[0, delay_cap]``."""
        draw = rng.random() if rng is not None else random.random()
        return draw * self.delay_cap(attempt, throttled=throttled)

    def time_left(self, elapsed: float) -> float | None:
        """Seconds left in the call's budget after ``elapsed`` seconds; ``None`` if the
        policy has no ``total_timeout``."""
        if self.total_timeout is None:
            return None
        return self.total_timeout - elapsed

    def next_wait(
        self,
        attempt: int,
        elapsed: float,
        rng: random.Random | None = None,
        *,
        throttled: bool = False,
    ) -> float | None:
        """After retryable failure of attempt number ``attempt``, ``elapsed`` seconds into
        the call: the wait before the next attempt, or ``None`` to give up (attempts
        spent, or the wait would reach the end of the time budget)."""
        if attempt >= self.max_attempts:
            return None
        wait = self.delay(attempt, rng, throttled=throttled)
        left = self.time_left(elapsed)
        if left is not None and left <= wait:
            return None
        return wait


#: The policy a connection uses unless told otherwise.
DEFAULT_RETRY_POLICY = RetryPolicy()


def _policy(_instance: object, _attribute: object, value: object) -> None:
    if not isinstance(value, RetryPolicy):
        raise refusal("policy", "a RetryPolicy", value)


def _function(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not callable(value):
        raise refusal(attribute.name, "a function", value)


def _random_source(_instance: object, _attribute: object, value: object) -> None:
    if not callable(getattr(value, "random", None)):
        raise refusal("random", "a random.Random (an object with a random() method)", value)


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

    policy: RetryPolicy = attrs.field(default=DEFAULT_RETRY_POLICY, validator=_policy)
    sleep: Callable[[float], object] = attrs.field(default=time.sleep, validator=_function)
    clock: Callable[[], float] = attrs.field(default=time.monotonic, validator=_function)
    random: random.Random = attrs.field(factory=random.Random, validator=_random_source)

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


def _at_least(minimum: int) -> Callable[[object, attrs.Attribute[int], int], None]:
    def check(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        whole_number(value, attribute.name, minimum=minimum, wire=False, none=False)

    return check


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

    max_stalls: int = attrs.field(validator=_at_least(1))
    level: int = attrs.field(default=0, validator=_at_least(0))
    stalls: int = attrs.field(default=0, validator=_at_least(0))

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


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise refusal(attribute.name, "a string", value)


def _exception(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, Exception):
        raise refusal("error", "an exception", value)


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

    operation: str = attrs.field(validator=_text)
    attempt: int = attrs.field(validator=_at_least(1))
    max_attempts: int = attrs.field(validator=_at_least(1))
    error: Exception = attrs.field(validator=_exception)
    delay: float = attrs.field(validator=_not_negative)

    @property
    def next_attempt(self) -> int:
        """The number of the attempt about to be made."""
        return self.attempt + 1
