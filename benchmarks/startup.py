"""Start-up: importing the package, and the time from ``import`` to the first item in hand.

``python -m benchmarks.startup`` prints the table. Each measurement runs in a fresh
interpreter (``python -c ...``) and times itself with :func:`time.perf_counter`, from
just before the first import to the end: interpreter start-up is left out, everything
a program pays before its first item is in (imports, session, configuration, endpoint,
credentials from the environment, the request over loopback to the canned server of
:mod:`benchmarks.loopback`). The variants run interleaved, ``runs`` times each; the
minimum and the median are shown (the minimum is the least disturbed by other work on
the machine). The same import measured by ``python -X importtime -c "import
dynamodb2.table"`` is its last line's cumulative time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Final

from .loopback import running_server

__all__ = ["STARTUP_TARGETS", "run_startup", "startup_table"]

_PROLOGUE: Final = "import time\nstarted = time.perf_counter()\n"
_EPILOGUE: Final = "\nprint(time.perf_counter() - started)\n"

_IMPORT_DYNAMODB2: Final = "import dynamodb2.table"
_IMPORT_BOTO3: Final = "import boto3"
_FIRST_ITEM_DYNAMODB2: Final = """
from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.types import NUMBER
table = Table(
    "bench",
    schema=[HashKey("pk"), RangeKey("sk", data_type=NUMBER)],
    connection=Connection(endpoint_url=URL),
)
item = dict(table.get_item(pk="user-0001", sk=1))
assert item["name"] == "User Name 1"
"""
_FIRST_ITEM_BOTO3: Final = """
import boto3
table = boto3.resource("dynamodb", endpoint_url=URL).Table("bench")
item = table.get_item(Key={"pk": "user-0001", "sk": 1})["Item"]
assert item["name"] == "User Name 1"
"""

#: (subject, reference): the subject's minimum at most the reference's.
STARTUP_TARGETS: Final = (
    ("import dynamodb2.table", "import boto3"),
    ("dynamodb2: import to first item", "boto3 resource: import to first item"),
)


def _variants(url: str) -> dict[str, str]:
    first = f"URL = {url!r}\n"
    return {
        "import dynamodb2.table": _IMPORT_DYNAMODB2,
        "import boto3": _IMPORT_BOTO3,
        "dynamodb2: import to first item": first + _FIRST_ITEM_DYNAMODB2,
        "boto3 resource: import to first item": first + _FIRST_ITEM_BOTO3,
    }


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        environment.pop(name, None)
    environment.update(
        {
            "AWS_ACCESS_KEY_ID": "AKIDBENCHMARK",
            "AWS_SECRET_ACCESS_KEY": "benchmark-secret-key",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "BOTO_CONFIG": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    return environment


def _run(code: str, environment: Mapping[str, str]) -> float:
    output = subprocess.run(
        [sys.executable, "-c", _PROLOGUE + code + _EPILOGUE],
        check=True,
        capture_output=True,
        text=True,
        env=dict(environment),
    ).stdout
    return float(output.strip().splitlines()[-1])


def run_startup(runs: int = 15, seed: int = 15) -> dict[str, list[float]]:
    """Seconds per run of each variant, ``runs`` interleaved fresh interpreters each."""
    environment = _environment()
    shuffler = random.Random(seed)
    with running_server() as url:
        variants = _variants(url)
        timings: dict[str, list[float]] = {label: [] for label in variants}
        for code in variants.values():
            _run(code, environment)  # warm the file system cache and .pyc files
        for _ in range(runs):
            order = list(variants.items())
            shuffler.shuffle(order)
            for label, code in order:
                timings[label].append(_run(code, environment))
    return timings


def startup_table(timings: Mapping[str, Sequence[float]]) -> str:
    """The start-up timings as Markdown."""
    lines = ["| | min | median |", "|---|---:|---:|"]
    for label, values in timings.items():
        lines.append(
            f"| {label} | {min(values) * 1e3:.0f} ms | {statistics.median(values) * 1e3:.0f} ms |"
        )
    return "\n".join(lines)


def check(timings: Mapping[str, Sequence[float]]) -> tuple[list[str], bool]:
    """Rows for the targets table, and whether the start-up targets hold."""
    rows, held = [], True
    for subject, reference in STARTUP_TARGETS:
        ratio = min(timings[subject]) / min(timings[reference])
        holds = ratio <= 1.0
        held &= holds
        rows.append(
            f"| {subject}: no slower than {reference} (minimum of the runs) | "
            f"{ratio:.2f}x | {'yes' if holds else 'NO'} |"
        )
    return rows, held


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.startup [--runs N]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    timings = run_startup(args.runs)
    print(startup_table(timings))
    print()
    rows, _held = check(timings)
    print("\n".join(["| target | measured | holds |", "|---|---:|---|", *rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
