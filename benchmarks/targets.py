"""The targets the benchmarks must show, checked against one run's ratios.

>>> TARGETS[0].describe()
'dynamodb2 Table.query_2 reading every attribute: at most 2.5x json.loads'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from . import loopback, startup
from .memory import ScanPeak
from .timing import Case, Samples, median_ratio

__all__ = ["MEMORY_GROWTH_ALLOWED", "TARGETS", "Target", "check_targets"]

#: How much larger the peak of the long scan may be than the short one's (noise).
MEMORY_GROWTH_ALLOWED: Final = 1.10


@attrs.frozen
class Target:
    """``subject``'s time over ``reference``'s (in the case titled ``case``) within a bound.

    ``at_most`` bounds subject/reference from above (subject at most N times slower);
    ``at_least`` bounds reference/subject from below (subject at least N times faster).
    """

    case: str
    subject: str
    reference: str
    at_most: float | None = None
    at_least: float | None = None
    summary: str = ""

    def describe(self) -> str:
        """The target in words."""
        return self.summary

    def measure(self, samples: Samples, cases: Sequence[Case]) -> float:
        """The ratio this target bounds, from one run."""
        case = next(c for c in cases if c.title.startswith(self.case))
        timings = samples[case.title]
        if self.at_most is not None:
            return median_ratio(timings[self.subject], timings[self.reference])
        return median_ratio(timings[self.reference], timings[self.subject])

    def holds(self, ratio: float) -> bool:
        """Whether a measured ratio meets the target."""
        if self.at_most is not None:
            return ratio <= self.at_most
        assert self.at_least is not None
        return ratio >= self.at_least


TARGETS: Final = (
    Target(
        "Query",
        "dynamodb2 Table.query_2, iterate + read every attribute",
        "json.loads (the floor)",
        at_most=2.5,
        summary="dynamodb2 Table.query_2 reading every attribute: at most 2.5x json.loads",
    ),
    Target(
        "GetItem",
        "dynamodb2 Table.get_item",
        "boto3 resource Table.get_item",
        at_least=5.0,
        summary="dynamodb2 Table.get_item: at least 5x faster than boto3 resource get_item",
    ),
    Target(
        "BatchWriteItem",
        "dynamodb2 BatchTable",
        "boto3 resource batch_writer",
        at_least=8.0,
        summary="dynamodb2 BatchTable (25 puts): at least 8x faster than boto3's batch_writer",
    ),
)


def check_targets(
    cases: Sequence[Case],
    samples: Samples,
    memory: Sequence[ScanPeak] | None,
    *,
    over_loopback: Samples | None = None,
    start_up: Mapping[str, Sequence[float]] | None = None,
) -> tuple[str, bool]:
    """A Markdown table of every target with its measured value; and whether all hold.

    ``over_loopback`` (:mod:`benchmarks.loopback`) and ``start_up``
    (:mod:`benchmarks.startup`) add their targets when given.
    """
    lines = ["| target | measured | holds |", "|---|---:|---|"]
    all_hold = True
    for target in TARGETS:
        if not any(case.title.startswith(target.case) for case in cases):
            continue
        ratio = target.measure(samples, cases)
        holds = target.holds(ratio)
        all_hold &= holds
        shown = f"{ratio:.2f}x" if target.at_most is not None else f"{ratio:.1f}x faster"
        lines.append(f"| {target.describe()} | {shown} | {'yes' if holds else 'NO'} |")
    if memory:
        small, large = memory[0], memory[-1]
        growth = large.peak_bytes / small.peak_bytes
        holds = growth <= MEMORY_GROWTH_ALLOWED
        all_hold &= holds
        lines.append(
            f"| scan peak memory independent of item count ({large.items:,} items vs "
            f"{small.items:,}: at most {MEMORY_GROWTH_ALLOWED:.2f}x) | {growth:.2f}x | "
            f"{'yes' if holds else 'NO'} |"
        )
    if over_loopback:
        rows, held = loopback.check(over_loopback)
        lines += rows
        all_hold &= held
    if start_up:
        rows, held = startup.check(start_up)
        lines += rows
        all_hold &= held
    return "\n".join(lines), all_hold
