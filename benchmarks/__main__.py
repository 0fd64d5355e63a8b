"""Run the benchmarks and print Markdown tables: ``python -m benchmarks [--quick] [--e2e-items N]``.

Credentials, region and configuration files are set to harmless values for this process
first, so no user configuration (or instance metadata lookup) plays a part. The canned
cases run twice: here, with orjson (the ``fast`` extra), and in a process of its own
without it (``python -m benchmarks.without_orjson``: the ``json`` module, what a plain
install uses).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import aio
from .canned import install
from .e2e import run_end_to_end
from .loopback import tables as loopback_tables
from .memory import HELD_ITEM_VARIANTS, held_items, held_items_rss, scan_peaks
from .report import case_table, machine_summary, with_results
from .startup import run_startup, startup_table
from .targets import check_targets
from .timing import Case, Samples, run_rounds

__all__ = ["canned_samples", "main", "main_recording"]

_ISOLATED_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIDBENCHMARK",
    "AWS_SECRET_ACCESS_KEY": "benchmark-secret-key",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "BOTO_CONFIG": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
_CLEARED_ENVIRONMENT = (
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="timing rounds (default 15)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="5 rounds, 10,000-item memory run, 200 end-to-end items: a smoke run",
    )
    parser.add_argument(
        "--e2e-items",
        type=int,
        default=10_000,
        help="items written and scanned against moto server (default 10,000, about 4 "
        "minutes: moto is slow to serve scans; 0 skips)",
    )
    parser.add_argument(
        "--e2e-rounds", type=int, default=1, help="end-to-end rounds per library (default 1)"
    )
    parser.add_argument(
        "--memory-items",
        type=int,
        default=100_000,
        help="items in the large memory run (default 100,000; the small run has a tenth)",
    )
    parser.add_argument(
        "--case",
        action="append",
        default=[],
        metavar="WORD",
        help="time only the cases whose title starts with WORD (Query, GetItem, ...)",
    )
    parser.add_argument(
        "--gc",
        action="store_true",
        help="keep the garbage collector running while timing (timeit's default is off)",
    )
    parser.add_argument(
        "--loopback-rounds",
        type=int,
        default=15,
        help="rounds of the over-HTTP cases against a canned server on loopback, beside "
        "the raw-socket floor client (default 15; 0 skips)",
    )
    parser.add_argument(
        "--startup-runs",
        type=int,
        default=15,
        help="fresh interpreters per start-up variant (default 15; 0 skips)",
    )
    parser.add_argument(
        "--held-items",
        type=int,
        default=10_000,
        help="profile items held in the held-item memory run (default 10,000; 0 skips)",
    )
    parser.add_argument(
        "--no-json-codec",
        action="store_true",
        help="skip the run of the canned cases without orjson",
    )
    parser.add_argument(
        "--aio-rounds",
        type=int,
        default=3,
        help="rounds of the asyncio benchmarks beside aiodynamo and aioboto3: canned "
        "server on loopback and dynalite (default 3; 0 skips; see benchmarks/aio.py)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if a target does not hold"
    )
    parser.add_argument(
        "--results-into",
        type=Path,
        metavar="PAGE",
        help="also write the tables into PAGE between its benchmark-results markers "
        "(docs/performance.md); progress is never written there",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = min(args.rounds, 5)
        args.e2e_items = min(args.e2e_items, 200)
        args.e2e_rounds = 1
        args.memory_items = min(args.memory_items, 10_000)
        args.loopback_rounds = min(args.loopback_rounds, 3)
        args.startup_runs = min(args.startup_runs, 3)
        args.held_items = min(args.held_items, 1000)
        args.aio_rounds = min(args.aio_rounds, 1)
    return args


def _loopback(rounds: int) -> dict[str, dict[str, list[float]]]:
    """The loopback cases, run by ``python -m benchmarks.loopback`` in a process of its own
    (no canned ``before-send`` handler there: every request goes through a socket)."""
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.loopback", "--json", "--rounds", str(rounds)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    samples: dict[str, dict[str, list[float]]] = json.loads(output.strip().splitlines()[-1])
    return samples


def _isolate() -> None:
    for name in _CLEARED_ENVIRONMENT:
        os.environ.pop(name, None)
    os.environ.update(_ISOLATED_ENVIRONMENT)


def canned_samples(argv: Sequence[str] | None = None) -> tuple[list[Case], Samples]:
    """Set up the canned cases (``--case``) and time them (``--rounds``, ``--gc``)."""
    args = _parse(argv)
    _isolate()
    # Before any botocore session is created: sessions copy the handlers at creation.
    canned = install()
    # The rivals (boto3, PynamoDB) are imported only when the benchmarks run.
    from .micro import build_cases, install_answers  # noqa: PLC0415 - see above

    answers = install_answers(canned)
    cases = [
        case
        for case in build_cases(answers, canned)
        if not args.case or any(case.title.startswith(word) for word in args.case)
    ]
    started = time.perf_counter()

    def progress(done: int) -> None:
        print(f"  round {done}/{args.rounds} done", file=sys.stderr, flush=True)

    samples = run_rounds(cases, rounds=args.rounds, collect_garbage=args.gc, progress=progress)
    print(f"  timing took {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return cases, samples


def _samples_without_orjson(argv: Sequence[str]) -> Samples:
    """The canned cases timed by ``python -m benchmarks.without_orjson``."""
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.without_orjson", *argv],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    samples: Samples = json.loads(output.strip().splitlines()[-1])
    return samples


def _canned_arguments(args: argparse.Namespace) -> list[str]:
    arguments = ["--rounds", str(args.rounds)]
    for word in args.case:
        arguments += ["--case", word]
    if args.gc:
        arguments.append("--gc")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    """Run everything asked for; return the exit status."""
    args = _parse(argv)
    _isolate()

    print("## Machine\n")
    print(machine_summary())
    collector = "running" if args.gc else "paused while timing"
    heading = (
        f"## Client-side CPU, canned responses ({args.rounds} interleaved rounds, "
        f"garbage collector {collector})"
    )
    cases, samples = canned_samples(_canned_arguments(args))
    canned = install()  # the handler canned_samples installed
    codecs = {"orjson": samples}
    print(f"\n{heading}, orjson\n")
    for case in cases:
        print(case_table(case, samples))
        print()
    if not args.no_json_codec:
        without = _samples_without_orjson(_canned_arguments(args))
        codecs["json"] = without
        print(f"{heading}, without orjson (the json module)\n")
        for case in cases:
            if case.title in without:
                print(case_table(case, without))
                print()

    held = held_rss = None
    if args.held_items > 0:
        print(f"## Memory: {args.held_items:,} held items (20-attribute profile items)\n")
        held = held_items(args.held_items)
        held_rss = held_items_rss(args.held_items)
        print("| | bytes per item (tracemalloc) | x boto3 | RSS growth per item | x boto3 |")
        print("|---|---:|---:|---:|---:|")
        for variant in HELD_ITEM_VARIANTS:
            rss = held_rss.get(variant)
            rss_cells = (
                f"{rss:,.0f} | {rss / held_rss[HELD_ITEM_VARIANTS[0]]:.2f}" if rss else "- | -"
            )
            print(
                f"| {variant} | {held.bytes_per_item[variant]:,.0f} | "
                f"{held.ratio(variant):.2f} | {rss_cells} |"
            )
        print()

    memory = None
    if args.memory_items > 0:
        print("## Memory: peak while iterating a scan (tracemalloc)\n")
        memory = scan_peaks(canned, [args.memory_items // 10, args.memory_items])
        print("| items scanned | pages | peak |")
        print("|---:|---:|---:|")
        for peak in memory:
            print(f"| {peak.items:,} | {peak.pages:,} | {peak.peak_bytes / 1e6:.1f} MB |")
        print()

    if args.e2e_items > 0:
        print(f"## End to end: moto server on loopback, {args.e2e_items:,} items\n")
        canned.enabled = False  # real HTTP to moto server from here on
        print(run_end_to_end(args.e2e_items, rounds=args.e2e_rounds))
        print()

    over_loopback = None
    if args.loopback_rounds > 0:
        print(
            f"## Over HTTP: a canned server on loopback, client CPU ({args.loopback_rounds} "
            "interleaved rounds, garbage collector paused while timing)\n"
        )
        over_loopback = _loopback(args.loopback_rounds)
        print(loopback_tables(over_loopback))

    start_up = None
    if args.startup_runs > 0:
        print(f"## Start-up: fresh interpreters, {args.startup_runs} runs each\n")
        start_up = run_startup(args.startup_runs)
        print(startup_table(start_up))
        print()

    aio_misses: list[str] = []
    if args.aio_rounds > 0:
        print(
            f"## asyncio: dynamodb2.aio beside aiodynamo and aioboto3 ({args.aio_rounds} "
            "interleaved rounds)\n"
        )
        canned.enabled = False
        aio_results = aio.run(args.aio_rounds, args.aio_rounds)
        print(aio.tables(aio_results))
        aio_misses = aio.check(aio_results)

    print("## Targets\n")
    report, all_hold = check_targets(
        cases,
        samples,
        memory,
        over_loopback=over_loopback,
        start_up=start_up,
        codecs=codecs,
        held_memory=held,
        held_rss=held_rss,
    )
    print(report)
    for miss in aio_misses:
        print(f"- asyncio target missed: {miss}")
    all_hold = all_hold and not aio_misses
    if args.check and not all_hold:
        return 1
    return 0


class _Tee(io.StringIO):
    """Keeps what is written, and passes it on to ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text)
        return super().write(text)

    def flush(self) -> None:
        self._stream.flush()


def main_recording(argv: Sequence[str] | None = None) -> int:
    """:func:`main`; with ``--results-into PAGE``, what it prints on stdout (the tables,
    never the progress, which goes to stderr) is written into ``PAGE`` as well."""
    page = _parse(argv).results_into
    if page is None:
        return main(argv)
    printed = _Tee(sys.stdout)
    with contextlib.redirect_stdout(printed):
        status = main(argv)
    page.write_text(
        with_results(page.read_text(encoding="utf-8"), printed.getvalue()), encoding="utf-8"
    )
    print(f"results written into {page}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main_recording())
