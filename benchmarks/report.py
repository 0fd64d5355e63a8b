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
import sys
from collections.abc import Sequence
from typing import Final

from .timing import BASELINE, FLOOR, Case, Samples, median_ratio

__all__ = ["case_table", "format_seconds", "machine_summary"]

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


def machine_summary() -> str:
    """Date, CPU, Python and package versions, as Markdown lines."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return "\n".join(
        [
            f"- date: {now}",
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
