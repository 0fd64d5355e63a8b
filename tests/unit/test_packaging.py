"""What pyproject.toml claims about the package's dependencies, checked against the
noxfile session that tests those claims."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

import dynamodb2.cli
import dynamodb2.pytest_plugin

ROOT = Path(__file__).resolve().parents[2]


def _floor_extras() -> tuple[str, ...]:
    # Read, not imported: the noxfile needs nox, which only the dev extra installs.
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "FLOOR_EXTRAS" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, tuple)
            return tuple(str(extra) for extra in value)
    raise AssertionError("noxfile.py defines no FLOOR_EXTRAS")


def _extras() -> dict[str, list[str]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10: tomli comes with mypy and nox there
        tomllib = pytest.importorskip("tomli")
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras: dict[str, list[str]] = project["project"]["optional-dependencies"]
    return extras


def test_lowest_session_floor_tests_every_extra_users_install() -> None:
    """``nox -s lowest`` installs these extras at their floors: an extra left out would
    have lower bounds nothing tests (docs and dev are tools, not what users install)."""
    assert set(_floor_extras()) == set(_extras()) - {"docs", "dev"}


@pytest.mark.parametrize(
    ("hint", "needed"),
    [
        (dynamodb2.cli.INSTALL_HINT, {"click", "rich"}),
        (dynamodb2.pytest_plugin.INSTALL_HINT, {"moto", "flask", "flask-cors"}),
    ],
)
def test_install_hints_name_the_extra_that_brings_what_is_missing(
    hint: str, needed: set[str]
) -> None:
    (extra,) = re.findall(r"pip install 'dynamodb2\[(\w+)\]'", hint)
    provided = {Requirement(text).name for text in _extras()[extra]}
    assert needed <= provided
