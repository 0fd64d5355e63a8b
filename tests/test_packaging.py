"""What pyproject.toml claims about the package's dependencies, checked against the
noxfile session that tests those claims."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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


def test_lowest_session_floor_tests_every_extra_users_install() -> None:
    """``nox -s lowest`` installs these extras at their floors: an extra left out would
    have lower bounds nothing tests (docs and dev are tools, not what users install)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10: tomli comes with mypy and nox there
        tomllib = pytest.importorskip("tomli")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(project["project"]["optional-dependencies"])
    assert set(_floor_extras()) == extras - {"docs", "dev"}
