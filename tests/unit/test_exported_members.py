"""Every public module declares its public names in ``__all__``, and declares all of them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types

import pytest

import dynamodb2

PUBLIC_MODULES = sorted(
    f"dynamodb2.{info.name}"
    for info in pkgutil.iter_modules(dynamodb2.__path__)
    if not info.name.startswith("_")
)


def _is_submodule(value: object) -> bool:
    return isinstance(value, types.ModuleType) and value.__name__.startswith("dynamodb2.")


def test_the_package_has_public_modules_to_check() -> None:
    # Every module not starting with "_" is public and is checked below.
    assert "dynamodb2.table" in PUBLIC_MODULES
    assert all(not name.split(".")[-1].startswith("_") for name in PUBLIC_MODULES)


def test_package_all_is_exactly_its_public_surface() -> None:
    # As httpx's test_exported_members: every public name of the package is exported and
    # every export exists. Submodules are attributes of the package once imported; those
    # not re-exported by name are reached as modules (dynamodb2.layer1) and not counted.
    # Names that are not identifiers cannot be imported: pytest's assertion rewriting adds
    # "@py_builtins" and "@pytest_ar" to the package of a plugin (dynamodb2.pytest_plugin).
    public = {
        name
        for name, value in vars(dynamodb2).items()
        if name.isidentifier()
        and not name.startswith("_")
        and not (_is_submodule(value) and name not in dynamodb2.__all__)
    }

    assert sorted(public | {"__version__"}) == sorted(dynamodb2.__all__)
    assert len(dynamodb2.__all__) == len(set(dynamodb2.__all__))


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_module_has_an_all_whose_names_exist(module_name: str) -> None:
    module = importlib.import_module(module_name)

    exported = getattr(module, "__all__", None)

    assert isinstance(exported, list), f"{module_name} has no __all__ list"
    assert len(exported) == len(set(exported)), f"{module_name}.__all__ repeats a name"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == []


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_class_and_function_defined_in_a_module_is_exported(
    module_name: str,
) -> None:
    module = importlib.import_module(module_name)

    defined_here = [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module_name
    ]

    assert sorted(set(defined_here) - set(module.__all__)) == []


def test_every_public_constant_is_exported_by_some_module() -> None:
    exported_anywhere = {
        name
        for module_name in PUBLIC_MODULES
        for name in importlib.import_module(module_name).__all__
    }
    constants = {
        f"{module_name}.{name}"
        for module_name in PUBLIC_MODULES
        for name in vars(importlib.import_module(module_name))
        if name.isupper() and not name.startswith("_") and name not in exported_anywhere
    }

    assert constants == set()


@pytest.mark.parametrize(
    "name", ["HashKey", "RangeKey", "JSONResponseError", "ItemNotFound", "connect_to_region"]
)
def test_boto2_top_level_names_are_exported(name: str) -> None:
    assert name in dynamodb2.__all__
