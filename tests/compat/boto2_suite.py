"""Run boto 2.49's own test files in a subprocess, under boto 2.49 or dynamodb2, and read back
every test's outcome.

>>> run = run_boto2_tests("dynamodb2", ["tests/unit/dynamodb2"])       # doctest: +SKIP
>>> run.count("passed"), run.failing()                               # doctest: +SKIP
(118, {})
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import attrs

from tests.compat.boto2_sdist import boto2_source_tree
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY
from tests.support.environment import LEAKY_VARIABLES

Implementation = Literal["boto2", "dynamodb2"]

RUNNER: Final = Path(__file__).resolve().parent / "boto2_subprocess.py"
#: The failure text kept per test in assertion messages.
_MESSAGE_CHARS: Final = 300


@attrs.frozen
class Outcome:
    """One boto test's result: ``passed``, ``failed``, ``error`` or ``skipped``."""

    outcome: str
    message: str

    @property
    def first_line(self) -> str:
        """The failure's first line (the exception and its message), shortened."""
        line = self.message.split("\n--\n", 1)[0].strip().splitlines()[:1]
        return (line[0] if line else "")[:_MESSAGE_CHARS]


@attrs.frozen
class SuiteRun:
    """Every test's outcome in one run, keyed ``test_table.py::TableTestCase::test_x``."""

    implementation: Implementation
    outcomes: Mapping[str, Outcome]
    output: str

    def count(self, outcome: str) -> int:
        """How many tests ended with ``outcome``."""
        return sum(1 for result in self.outcomes.values() if result.outcome == outcome)

    def passing(self) -> set[str]:
        """The ids of the tests that passed."""
        return {test for test, result in self.outcomes.items() if result.outcome == "passed"}

    def failing(self) -> dict[str, Outcome]:
        """The tests that did not pass (failed, errored or skipped), with their outcomes."""
        return {
            test: result for test, result in self.outcomes.items() if result.outcome != "passed"
        }

    def summary(self) -> str:
        """``118 tests: 110 passed, 8 failed`` and so on."""
        kinds = ("passed", "failed", "error", "skipped")
        counts = ", ".join(f"{self.count(kind)} {kind}" for kind in kinds if self.count(kind))
        return f"{self.implementation}: {len(self.outcomes)} tests: {counts}"


def short_test_id(nodeid: str) -> str:
    """``tests/unit/dynamodb2/test_table.py::A::b`` -> ``test_table.py::A::b``."""
    path, _, rest = nodeid.partition("::")
    return f"{Path(path).name}::{rest}"


def subprocess_environment(**extra: str) -> dict[str, str]:
    """The subprocess's environment: test credentials, no boto or AWS configuration files,
    none of the variables every test is isolated from
    (:data:`tests.support.environment.LEAKY_VARIABLES`)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "BOTO_", "PYTEST_"))
        and name != "PYTHONPATH"
        and name not in LEAKY_VARIABLES  # the proxies and NO_PROXY among them
    }
    environment.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        # boto 2 reads ~/.boto and /etc/boto.cfg unless BOTO_CONFIG names a file.
        BOTO_CONFIG=os.devnull,
        PYTHONDONTWRITEBYTECODE="1",
    )
    environment.update(extra)
    return environment


def run_boto2_tests(
    implementation: Implementation,
    paths: Sequence[str],
    *,
    dynalite_url: str | None = None,
    deselect: Sequence[str] = (),
    timeout: float = 300,
) -> SuiteRun:
    """Run boto's test files (``paths``, relative to the sdist) under ``implementation``."""
    with tempfile.TemporaryDirectory(prefix="boto2-suite-") as scratch:
        report = Path(scratch) / "outcomes.json"
        arguments = [
            *(["--dynalite-url", dynalite_url] if dynalite_url else []),
            "pytest",
            "--report",
            str(report),
            "--",
            *paths,
            *(f"--deselect={test}" for test in deselect),
        ]
        result = _run_runner(implementation, arguments, timeout)
        output = f"{result.stdout}\n{result.stderr}"
        if result.returncode != 0 or not report.exists():
            raise RuntimeError(
                f"boto 2's tests did not run under {implementation} "
                f"(exit {result.returncode}):\n{output[-6000:]}"
            )
        raw: dict[str, dict[str, str]] = json.loads(report.read_text())
    outcomes = {
        short_test_id(nodeid): Outcome(entry["outcome"], entry["message"])
        for nodeid, entry in raw.items()
    }
    return SuiteRun(implementation, outcomes, output)


def run_boto2_script(
    implementation: Implementation, script: Path, *args: str, timeout: float = 300
) -> None:
    """Run a boto 2 program (``script args...``) under ``implementation``; it writes what
    it observed where its arguments say. Raises if it fails, with its output."""
    result = _run_runner(implementation, ["script", str(script), *args], timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"{script.name} failed under {implementation} (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
        )


def _run_runner(
    implementation: Implementation, arguments: Sequence[str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """:data:`RUNNER` under ``implementation`` with ``arguments``, in a fresh interpreter."""
    command = [
        sys.executable,
        str(RUNNER),
        "--implementation",
        implementation,
        "--boto-source",
        str(boto2_source_tree()),
        *arguments,
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=subprocess_environment(),
        check=False,
    )


def describe_failures(failures: Mapping[str, Outcome]) -> str:
    """One line per test: its id, outcome and the first line of its failure."""
    return "\n".join(
        f"  {test} [{result.outcome}]: {result.first_line}"
        for test, result in sorted(failures.items())
    )
