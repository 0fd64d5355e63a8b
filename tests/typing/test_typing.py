"""The public API's types, as a user's type checker sees them.

mypy --strict, with the project's configuration, checks two programs: ``sample_program.py``
must check clean (its ``assert_type`` calls state what iteration, reads and writes give),
and ``planted_mistakes.py`` must get exactly the errors its ``# E:`` comments announce,
each at its line. The sample program also runs, against moto.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final, NamedTuple

import pytest

from dynamodb2 import Connection
from tests.support.backends import ROOT
from tests.typing import sample_program

HERE: Final = Path(__file__).resolve().parent
SAMPLE: Final = HERE / "sample_program.py"
PLANTED: Final = HERE / "planted_mistakes.py"
#: mypy's cache for these runs: after the first, a run takes about a second.
CACHE: Final = ROOT / ".cache" / "mypy"
#: The fewest mistakes the planted file must hold (the issue's four kinds, and more).
FEWEST_PLANTED: Final = 4

_ERROR: Final = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): error: (?P<message>.*)  \[(?P<code>[a-z-]+)\]$"
)
_EXPECTED: Final = re.compile(r"^\s*# E: (?P<code>[a-z-]+) (?P<text>.+)$")


class Error(NamedTuple):
    """One mypy error: where, which code, and its message."""

    path: Path
    line: int
    code: str
    message: str


@pytest.fixture(scope="module")
def mypy_errors() -> list[Error]:
    """mypy's errors over both programs, in one run with the project's configuration."""
    api = pytest.importorskip(
        "mypy.api", reason="mypy is not installed (the dev extra; nox -s typecheck runs this)"
    )
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(CACHE),
            "--show-error-codes",
            "--no-pretty",
            "--no-error-summary",
            "--no-color-output",
            str(SAMPLE),
            str(PLANTED),
        ]
    )
    assert stderr == "", stderr
    assert status in (0, 1), stdout  # 2 would be a crash or a bad configuration
    errors = []
    for line in stdout.splitlines():
        match = _ERROR.match(line)
        if match is not None:
            errors.append(
                Error(
                    Path(match["path"]).resolve(),
                    int(match["line"]),
                    match["code"],
                    match["message"],
                )
            )
        else:
            assert ": note: " in line, f"unexpected mypy output: {line}"
    return errors


def expected_errors() -> dict[int, tuple[str, str]]:
    """Line -> (code, text) for every ``# E:`` comment of the planted file."""
    expected = {}
    for number, line in enumerate(PLANTED.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECTED.match(line)
        if match is not None:
            expected[number + 1] = (match["code"], match["text"].strip('"'))
    return expected


def test_the_sample_program_checks_clean_under_strict_mypy(mypy_errors: list[Error]) -> None:
    assert [error for error in mypy_errors if error.path == SAMPLE] == []


def test_mypy_reports_every_planted_mistake_at_its_line_and_nothing_else(
    mypy_errors: list[Error],
) -> None:
    expected = expected_errors()
    reported = [error for error in mypy_errors if error.path == PLANTED]

    missed = [
        f"line {line}: no {code} error ({text})"
        for line, (code, text) in sorted(expected.items())
        if not any(error.line == line and error.code == code for error in reported)
    ]
    unexpected = [
        f"line {error.line}: {error.message} [{error.code}]"
        for error in reported
        if expected.get(error.line, ("", ""))[0] != error.code
        or expected[error.line][1] not in error.message
    ]
    assert len(expected) >= FEWEST_PLANTED
    assert missed == []
    assert unexpected == []
    assert len(reported) == len(expected)  # one error per planted mistake


@pytest.mark.parametrize(
    "kind",
    [
        'call-arg "consistant"',  # a misspelt keyword
        'arg-type "return_values"',  # a return_values DynamoDB does not know
        'arg-type "return_consumed_capacity"',  # likewise for return_consumed_capacity
        'arg-type "limit"',  # an argument of the wrong type
        'attr-defined "sav"',  # query results are Items, not Any
    ],
)
def test_the_planted_file_holds_each_kind_of_mistake(kind: str) -> None:
    assert f"# E: {kind}" in PLANTED.read_text(encoding="utf-8")


def test_the_projects_own_mypy_run_skips_only_the_planted_file() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10: mypy itself depends on tomli there
        tomllib = pytest.importorskip("tomli")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    excluded = config["tool"]["mypy"]["exclude"]

    def is_excluded(path: Path) -> bool:
        relative = path.relative_to(ROOT).as_posix()
        return any(re.search(pattern, relative) for pattern in excluded)

    assert is_excluded(PLANTED)
    assert not is_excluded(SAMPLE)
    assert not is_excluded(Path(__file__))


def test_the_sample_program_runs(dynamodb2_connection: Connection) -> None:
    sample_program.run(dynamodb2_connection)
