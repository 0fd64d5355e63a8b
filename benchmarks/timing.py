"""Timing: variants of each case run in interleaved rounds, in a new random order each round.

>>> runs = run_rounds([Case("noop", [Variant("pass", lambda: None, role=FLOOR)])], rounds=3)
>>> len(runs["noop"]["pass"])
3

Times are CPU time of this process (:func:`time.process_time`), not wall time: the
benchmark measures client-side CPU, and on a shared machine wall time also counts the
moments other processes hold the CPU. Each round times every variant of every case once
(a few calls, enough to last about ``target_seconds``), in a shuffled order, so a slow
spell of the machine (cache pressure, frequency scaling) touches all variants alike. The
garbage collector is paused while timing, as :mod:`timeit` does, unless asked otherwise.
A variant's time is the median over the rounds; a ratio between two variants is the
median of their per-round ratios, so each ratio compares timings taken moments apart.
"""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Final

import attrs

__all__ = [
    "BASELINE",
    "FLOOR",
    "RIVAL",
    "SUBJECT",
    "Case",
    "Variant",
    "best_rival_ratio",
    "median_ratio",
    "run_rounds",
]

#: The role of the variant a case's other variants are compared with as "x floor".
FLOOR: Final = "floor"
#: The role of the variant the "x faster" column compares with (boto3's resource layer).
BASELINE: Final = "baseline"
#: The role of another library's variant that does the case's whole work (the "best
#: rival" of a case is its fastest rival, round by round).
RIVAL: Final = "rival"
#: The role of the dynamodb2 variant a case's rivals are compared with.
SUBJECT: Final = "subject"


@attrs.frozen
class Variant:
    """One way of doing a case's work: ``run()`` does it once."""

    label: str
    run: Callable[[], object]
    role: str = ""


@attrs.frozen
class Case:
    """One piece of work done by several libraries."""

    title: str
    variants: Sequence[Variant]

    def variant(self, role: str) -> Variant | None:
        """The variant with this role, if any."""
        return next((v for v in self.variants if v.role == role), None)

    def with_role(self, role: str) -> list[Variant]:
        """Every variant with this role (the baseline counts as a rival too)."""
        roles = (RIVAL, BASELINE) if role == RIVAL else (role,)
        return [v for v in self.variants if v.role in roles]


#: Per case title, per variant label: the seconds per call of each round.
Samples = dict[str, dict[str, list[float]]]


def _time_calls(run: Callable[[], object], number: int, *, collect_garbage: bool) -> float:
    gc.collect()
    # As timeit does: a full collection's cost depends on everything else alive in the
    # process and lands on whichever call happens to trigger it, so by default it is
    # kept out of the timings (collected between them instead).
    pause = gc.isenabled() and not collect_garbage
    if pause:
        gc.disable()
    try:
        started = time.process_time()
        for _ in range(number):
            run()
        return (time.process_time() - started) / number
    finally:
        if pause:
            gc.enable()


def run_rounds(
    cases: Sequence[Case],
    *,
    rounds: int,
    target_seconds: float = 0.05,
    seed: int = 20,
    collect_garbage: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Samples:
    """Time every variant of every case, ``rounds`` times, interleaved and shuffled.

    ``collect_garbage`` keeps the cyclic garbage collector running while timing.
    """
    pairs = [(case, variant) for case in cases for variant in case.variants]
    numbers: dict[tuple[str, str], int] = {}
    for case, variant in pairs:
        variant.run()  # warm up: imports, caches, first-call work
        once = _time_calls(variant.run, 1, collect_garbage=collect_garbage)
        numbers[case.title, variant.label] = max(1, round(target_seconds / max(once, 1e-6)))
    samples: Samples = {case.title: {v.label: [] for v in case.variants} for case in cases}
    shuffler = random.Random(seed)
    for round_number in range(rounds):
        shuffler.shuffle(pairs)
        for case, variant in pairs:
            number = numbers[case.title, variant.label]
            timing = _time_calls(variant.run, number, collect_garbage=collect_garbage)
            samples[case.title][variant.label].append(timing)
        if progress is not None:
            progress(round_number + 1)
    return samples


def median_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """The median of the per-round ratios ``numerators[i] / denominators[i]``."""
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def best_rival_ratio(rivals: Sequence[Sequence[float]], subject: Sequence[float]) -> float:
    """How many times faster ``subject`` is than the fastest of ``rivals``: the median,
    over the rounds, of (the fastest rival's time in that round) / (the subject's)."""
    rounds = len(subject)
    if any(len(timings) != rounds for timings in rivals):
        raise ValueError("every variant must have one timing per round")
    return statistics.median(
        min(timings[index] for timings in rivals) / subject[index] for index in range(rounds)
    )
