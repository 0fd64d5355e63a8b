"""The first session of docs/cli.md runs as written: create, load, count, dump, delete.

The page's setup (its ``export`` lines), its ``users.jsonl`` and every ``$ dynamodb2 ...``
command are read from the page and run as real processes of the installed ``dynamodb2``
command against a moto server; each command must succeed and print what the page shows
(timings aside, lines in any order: a parallel scan has none).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.support.backends import ROOT, reset_moto_server

PAGE = ROOT / "docs" / "cli.md"
#: The endpoint the page's session uses; the test's moto server stands in for it.
DOCUMENTED_ENDPOINT = "http://localhost:5000"
_TIMINGS = (
    (re.compile(r"in \d+\.\d s \([\d,]+ items/s\)"), "in <time>"),
    (re.compile(r"\(\d+\.\d s\)"), "(<time>)"),
)


class Step(NamedTuple):
    command: str
    output: list[str]


def fenced_block_after(marker: str, text: str) -> str:
    match = re.search(rf"<!-- {re.escape(marker)} -->\n```\w*\n(.*?)^```", text, re.S | re.M)
    assert match, f"docs/cli.md has no fenced block after <!-- {marker} -->"
    return match.group(1)


def session_steps(text: str) -> list[Step]:
    steps: list[Step] = []
    for line in fenced_block_after("first-session", text).splitlines():
        if line.startswith("$ "):
            steps.append(Step(line[2:], []))
        else:
            steps[-1].output.append(line)
    return steps


def exported_settings(text: str) -> dict[str, str]:
    settings: dict[str, str] = {}
    for line in fenced_block_after("first-session-setup", text).splitlines():
        if line.startswith("export "):
            for assignment in shlex.split(line)[1:]:
                name, _, value = assignment.partition("=")
                settings[name] = value
    return settings


def normalized(lines: list[str]) -> list[str]:
    result = []
    for line in lines:
        text = line
        for pattern, replacement in _TIMINGS:
            text = pattern.sub(replacement, text)
        result.append(text)
    return sorted(result)


@pytest.fixture
def moto_server(moto_server_url: str) -> Iterator[str]:
    reset_moto_server(moto_server_url)
    yield moto_server_url
    reset_moto_server(moto_server_url)


def test_the_page_has_a_whole_first_session() -> None:
    commands = [shlex.split(step.command)[:2] for step in session_steps(PAGE.read_text())]

    assert commands[0] == ["dynamodb2", "create"]
    for needed in ("load", "count", "dump", "delete"):
        assert ["dynamodb2", needed] in commands
    assert commands[-1] == ["dynamodb2", "tables"]


def test_the_first_session_of_the_cli_page_runs_as_written(
    moto_server: str, tmp_path: Path
) -> None:
    text = PAGE.read_text(encoding="utf-8")
    (tmp_path / "users.jsonl").write_text(
        fenced_block_after("first-session-file: users.jsonl", text)
    )
    scripts = Path(sys.executable).parent
    assert (scripts / "dynamodb2").exists(), "the dynamodb2 command is not installed"
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.update(
        {
            name: value.replace(DOCUMENTED_ENDPOINT, moto_server)
            for name, value in exported_settings(text).items()
        }
    )
    env.pop("DYNAMODB2_DEBUG", None)

    for step in session_steps(text):
        run = subprocess.run(
            shlex.split(step.command),
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        shown = (run.stdout + run.stderr).replace(moto_server, DOCUMENTED_ENDPOINT)

        assert run.returncode == 0, f"$ {step.command}\n{shown}"
        assert normalized(shown.splitlines()) == normalized(step.output), f"$ {step.command}"
    assert len((tmp_path / "users-backup.jsonl").read_text().splitlines()) == 3
