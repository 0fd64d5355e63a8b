"""Fixtures of the boto 2 compatibility tests."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest

from dynamodb2 import shim


@pytest.fixture
def boto() -> Iterator[dict[str, ModuleType]]:
    """boto 2's modules, answered by dynamodb2 through the shim (installed for the test)."""
    shim.install(force=True)
    try:
        yield {
            name: importlib.import_module(f"boto.dynamodb2.{name}")
            for name in ("table", "items", "results", "layer1", "fields", "types")
        }
    finally:
        shim.uninstall()
