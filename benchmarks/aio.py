"""The asyncio benchmarks: dynamodb2.aio beside aiodynamo and aioboto3.

``python -m benchmarks.aio [--rounds N] [--e2e-rounds N] [--libraries dynamodb2,aiodynamo]
[--check]`` prints two tables (``--e2e-rounds 0`` skips dynalite; ``--libraries`` leaves
out a library not installed, aioboto3 say):

- **canned**: client CPU per operation (:func:`time.process_time` of the client process)
  for GetItem, PutItem, a 100-item Query page, a 25-item BatchWriteItem and a 100-key
  BatchGetItem, against a canned DynamoDB on loopback in another process (fixed bytes
  per ``X-Amz-Target``, with ``Content-Length`` and ``x-amz-crc32``): every library
  pays its own HTTP client, signing, serializing and parsing, and nothing else;
- **end to end** against dynalite: wall time of 100 concurrent get_items and of a
  10,000-item batch load.

Each library runs in a process of its own (:mod:`benchmarks.aio_rivals`), the three
interleaved round by round; aioboto3 from the virtualenv ``AIOBOTO3_PYTHON`` names
(``nox -s bench`` makes one: aioboto3 pins an older botocore). Targets: dynamodb2 at
least 1.5x faster than aiodynamo and 5x faster than aioboto3 on every case.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from . import loopback
from .aio_rivals import CANNED_CASES, E2E_CASES, E2E_CPU_CASES, PAGE, TABLE
from .loopback import _answer, running_server

__all__ = ["AIO_TARGETS", "main", "run"]

ROOT: Final = Path(__file__).resolve().parent.parent
LIBRARIES: Final = ("dynamodb2", "aiodynamo", "aioboto3")
#: (rival, how many times faster dynamodb2 must be, on every case).
AIO_TARGETS: Final = (("aiodynamo", 1.5), ("aioboto3", 5.0))


def _wire(n: int) -> dict[str, Any]:
    return {
        "id": {"S": f"item-{n:05d}"},
        "n": {"N": str(n)},
        "name": {"S": f"name {n}"},
        "tags": {"L": [{"S": "a"}, {"S": "b"}]},
        "score": {"N": str(n / 4)},
    }


def _answers() -> dict[bytes, bytes]:
    def encode(body: Mapping[str, Any]) -> bytes:
        return json.dumps(body, separators=(",", ":")).encode()

    items = [_wire(n) for n in range(PAGE)]
    return {
        b"GetItem": _answer(encode({"Item": _wire(1)})),
        b"PutItem": _answer(b"{}"),
        b"Query": _answer(encode({"Items": items, "Count": PAGE, "ScannedCount": PAGE})),
        b"BatchWriteItem": _answer(encode({"UnprocessedItems": {}})),
        b"BatchGetItem": _answer(encode({"Responses": {TABLE: items}, "UnprocessedKeys": {}})),
        b"DescribeTable": _answer(encode({"Table": {"TableName": TABLE}})),
    }


def serve() -> None:
    """Serve this benchmark's canned answers on a loopback port until killed."""
    loopback.serve(_answers())


def _canned_server() -> contextlib.AbstractContextManager[str]:
    return running_server("benchmarks.aio")


@contextlib.contextmanager
def _dynalite() -> Iterator[str]:
    from tests.support.backends import running_dynalite

    from dynamodb2 import Connection, HashKey, Table

    with running_dynalite() as url:
        with Connection(endpoint_url=url) as connection:
            table = Table.create(
                TABLE,
                schema=[HashKey("id")],
                billing_mode="PAY_PER_REQUEST",
                connection=connection,
            )
            table.wait_until_active()
            with table.batch_write() as batch:
                for n in range(PAGE):
                    batch.put_item({"id": f"item-{n:05d}", "n": n})
        yield url


def _python(library: str) -> str:
    if library == "aioboto3":
        return os.environ.get("AIOBOTO3_PYTHON", sys.executable)
    return sys.executable


def _one(library: str, url: str, mode: str, rounds: int) -> dict[str, list[float]]:
    output = subprocess.run(
        [_python(library), "-m", "benchmarks.aio_rivals", library, url, mode, str(rounds)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    result: dict[str, list[float]] = json.loads(output.strip().splitlines()[-1])
    return result


def run(
    rounds: int, e2e_rounds: int, libraries: tuple[str, ...] = LIBRARIES
) -> dict[str, dict[str, dict[str, list[float]]]]:
    """``{mode: {case: {library: [median of each round]}}}``, libraries interleaved (a
    mode with no rounds is skipped, its server not started)."""
    results: dict[str, dict[str, dict[str, list[float]]]] = {"canned": {}, "e2e": {}}
    plans = (("canned", _canned_server, rounds), ("e2e", _dynalite, e2e_rounds))
    for mode, server, count in plans:
        if count <= 0:
            continue
        with server() as url:
            for _ in range(count):
                for library in libraries:
                    timings = _one(library, url, mode, 5)
                    for case, (median, _minimum) in timings.items():
                        results[mode].setdefault(case, {}).setdefault(library, []).append(median)
    return results


def _format(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def tables(results: Mapping[str, Mapping[str, Mapping[str, list[float]]]]) -> str:
    """The results as Markdown tables, with how many times faster dynamodb2 is."""
    lines = []
    titles = {
        "canned": "Client CPU per operation, canned DynamoDB on loopback (median of rounds)",
        "e2e": "End to end against dynalite, wall time (median of rounds)",
    }
    for mode, cases in (("canned", CANNED_CASES), ("e2e", E2E_CASES + E2E_CPU_CASES)):
        lines += [f"**{titles[mode]}**", ""]
        lines.append("| case | dynamodb2.aio | aiodynamo | aioboto3 | x aiodynamo | x aioboto3 |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for case in cases:
            row = results[mode].get(case, {})
            medians = {library: statistics.median(row[library]) for library in row}
            ours = medians.get("dynamodb2")
            cells = [_format(medians[lib]) if lib in medians else "-" for lib in LIBRARIES]
            ratios = [
                f"{medians[rival] / ours:.1f}" if ours and rival in medians else "-"
                for rival, _ in AIO_TARGETS
            ]
            lines.append(f"| {case} | " + " | ".join(cells + ratios) + " |")
        lines.append("")
    return "\n".join(lines)


def check(results: Mapping[str, Mapping[str, Mapping[str, list[float]]]]) -> list[str]:
    """The targets that do not hold (empty when all do)."""
    misses = []
    for mode, cases in (("canned", CANNED_CASES), ("e2e", E2E_CPU_CASES)):
        for case in cases:
            row = results[mode].get(case, {})
            if "dynamodb2" not in row:
                misses.append(f"{case}: dynamodb2 was not measured")
                continue
            ours = statistics.median(row["dynamodb2"])
            for rival, at_least in AIO_TARGETS:
                if rival not in row:
                    misses.append(f"{case}: {rival} was not measured")
                    continue
                ratio = statistics.median(row[rival]) / ours
                if ratio < at_least:
                    misses.append(f"{case}: {ratio:.2f}x faster than {rival}, need {at_least}x")
    return misses


def main(argv: list[str] | None = None) -> int:
    """Run the asyncio benchmarks; print the tables; with ``--check``, 1 if a target misses."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.aio", description=__doc__)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help="canned rounds (default 3)")
    parser.add_argument("--e2e-rounds", type=int, default=3, help="dynalite rounds (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target misses")
    parser.add_argument(
        "--libraries",
        default=",".join(LIBRARIES),
        help=f"the libraries to time, comma-separated (default {','.join(LIBRARIES)})",
    )
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    libraries = tuple(name.strip() for name in args.libraries.split(",") if name.strip())
    unknown = sorted(set(libraries) - set(LIBRARIES))
    if unknown:
        parser.error(f"unknown libraries: {', '.join(unknown)} (known: {', '.join(LIBRARIES)})")
    results = run(args.rounds, args.e2e_rounds, libraries)
    print(tables(results))
    misses = check(results)
    for miss in misses:
        print(f"target missed: {miss}")
    return 1 if args.check and misses else 0


if __name__ == "__main__":
    sys.exit(main())
