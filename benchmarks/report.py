"""Markdown tables of benchmark results, and the machine they were measured on.

>>> format_seconds(0.0123)
'12.3 ms'
"""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from .timing import BASELINE, FLOOR, Case, Samples, median_ratio

__all__ = [
    "RESULTS_BEGIN",
    "RESULTS_END",
    "case_table",
    "format_seconds",
    "machine_summary",
    "with_results",
]

_PACKAGES: Final = ("dynamodb2", "boto3", "botocore", "pynamodb", "orjson", "moto")


def format_seconds(seconds: float) -> str:
    """A duration with a unit that keeps three significant digits readable."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def case_table(case: Case, samples: Samples) -> str:
    """One case as a Markdown table: median time, x the floor, x faster than boto3."""
    timings = samples[case.title]
    floor = case.variant(FLOOR)
    baseline = case.variant(BASELINE)
    header = ["", "median"]
    if floor is not None:
        header.append("x floor")
    if baseline is not None:
        header.append("x faster than boto3 resource")
    lines = [f"**{case.title}**", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" + "---:|" * (len(header) - 1))
    for variant in case.variants:
        own = timings[variant.label]
        row = [variant.label, format_seconds(statistics.median(own))]
        if floor is not None:
            row.append(f"{median_ratio(own, timings[floor.label]):.2f}")
        if baseline is not None:
            row.append(f"{median_ratio(timings[baseline.label], own):.1f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _versions(names: Sequence[str]) -> str:
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def _commit() -> str:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return found.stdout.strip()


def machine_summary() -> str:
    """Date, command, commit, CPU, Python and package versions, as Markdown lines."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    command = " ".join(["python -m benchmarks", *sys.argv[1:]])
    return "\n".join(
        [
            f"- date: {now}",
            f"- command: `{command}` (commit {_commit()})",
            f"- CPU: {_cpu_model()} ({os.cpu_count()} logical CPUs), {platform.system()} "
            f"{platform.release()}",
            f"- Python: {sys.version.splitlines()[0]}",
            f"- packages: {_versions(_PACKAGES)}",
            (
                f"- load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
                if load
                else "- load average: unknown"
            ),
        ]
    )


#: The lines around a run's results in docs/performance.md: ``--results-into`` rewrites
#: what lies between them.
RESULTS_BEGIN: Final = (
    "<!-- benchmark results: written by python -m benchmarks --results-into "
    "docs/performance.md; run it again rather than editing -->"
)
RESULTS_END: Final = "<!-- /benchmark results -->"


def with_results(page: str, results: str) -> str:
    """``page`` with what lies between :data:`RESULTS_BEGIN` and :data:`RESULTS_END`
    replaced by ``results`` (what the run printed on stdout: headings, the machine, the
    tables), its headings one level down to sit under the page's own.

    Progress goes to stderr and never reaches ``results``.

    Raises:
        ValueError: if the page lacks the markers.
    """
    before, begin, rest = page.partition(RESULTS_BEGIN)
    _old, end, after = rest.partition(RESULTS_END)
    if not begin or not end:
        raise ValueError(f"the page has no {RESULTS_BEGIN!r} ... {RESULTS_END!r} lines")
    lines = [f"#{line}" if line.startswith("#") else line for line in results.splitlines()]
    body = "\n".join(lines).strip("\n")
    return f"{before}{RESULTS_BEGIN}\n\n{body}\n\n{RESULTS_END}{after}"
