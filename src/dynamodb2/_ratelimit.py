"""Client-side rate limiting after throttling: botocore's ``adaptive`` retry mode.

>>> limiter = AdaptiveRateLimiter()
>>> limiter.before_sending()                 # free until the first throttling error
>>> limiter.after_response(throttled=False)

botocore's adaptive mode registers a token bucket on a client's ``before-send`` and
``needs-retry`` events. There is no botocore client here, so the same public pieces
(:mod:`botocore.retries.adaptive`, ``.bucket``, ``.throttling``) are wired to the
connection's attempts instead: each attempt takes a token first (waiting for one once
throttling was seen), and each response adjusts the sending rate (CUBIC: cut on
throttling, regrown on success).
"""

from __future__ import annotations

from typing import Any

__all__ = ["AdaptiveRateLimiter"]


class _ThrottledFlag:
    """botocore's throttling detector interface, answered from our own classification."""

    def is_throttling_error(self, **kwargs: Any) -> bool:
        return bool(kwargs.get("throttled"))


class AdaptiveRateLimiter:
    """botocore's ``ClientRateLimiter``, fed by a connection. Safe to share between threads."""

    def __init__(self) -> None:
        from botocore.retries import adaptive, bucket, throttling

        clock = bucket.Clock()
        self._bucket = bucket.TokenBucket(max_rate=1, clock=clock)
        self._throttled = False
        self._limiter = adaptive.ClientRateLimiter(
            rate_adjustor=throttling.CubicCalculator(
                starting_max_rate=0, start_time=clock.current_time()
            ),
            rate_clocker=adaptive.RateClocker(clock),
            token_bucket=self._bucket,
            throttling_detector=_ThrottledFlag(),
            clock=clock,
        )

    def before_sending(self) -> None:
        """Take a token; blocks while the sending rate is spent (once throttled)."""
        self._limiter.on_sending_request(request=None)

    def try_take(self) -> float:
        """Take a token without blocking (for an event loop): ``0.0`` when taken (or
        while no throttling was seen, when none is needed), else the seconds to wait
        before trying again."""
        if not self._throttled:
            return 0.0
        from botocore.exceptions import CapacityNotAvailableError

        try:
            self._bucket.acquire(1, block=False)
        except CapacityNotAvailableError:
            return max(1.0 / max(self._bucket.max_rate, 0.5), 0.001)
        return 0.0

    def after_response(self, *, throttled: bool) -> None:
        """Adjust the rate after an attempt: down on throttling, up otherwise."""
        if throttled:
            self._throttled = True
        self._limiter.on_receiving_response(throttled=throttled)
