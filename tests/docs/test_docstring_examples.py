"""The ``>>>`` examples in the package's docstrings run, and print what they show.

The reference site (docs/reference) renders these docstrings, so a stale example is a
documentation bug a reader copies. Examples that need a server are marked ``+SKIP``.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dynamodb2


def _module_names() -> list[str]:
    names = [dynamodb2.__name__]
    for info in pkgutil.walk_packages(dynamodb2.__path__, prefix=f"{dynamodb2.__name__}."):
        if info.name.endswith(".__main__"):
            continue  # running it is the command line itself
        names.append(info.name)
    return sorted(names)


MODULES = _module_names()


def test_every_module_is_found() -> None:
    assert "dynamodb2.table" in MODULES
    assert "dynamodb2.cli.load" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
