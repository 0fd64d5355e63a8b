"""The legacy ``boto`` shim: ``import boto.dynamodb2...`` resolves to this package.

>>> from dynamodb2 import shim
>>> shim.install()                                   # doctest: +SKIP
True
>>> from boto.dynamodb2.table import Table           # doctest: +SKIP
>>> import dynamodb2.table                           # doctest: +SKIP
>>> Table is dynamodb2.table.Table                   # doctest: +SKIP
True

Or run a legacy program unchanged::

    python -m dynamodb2.shim legacy_script.py --its --own args
    python -m dynamodb2.shim -m legacy_package.tool args

A finder on :data:`sys.meta_path` answers every ``boto`` and ``boto.*`` import with a
small *alias module*: a module of boto's name whose attributes are this package's own
objects, looked up on use (nothing is copied, so ``boto.dynamodb2.table.Table`` *is*
``dynamodb2.table.Table``). Which boto modules exist, and what they map to:

=====================================  ===========================================
``boto``                               version, ``log``, ``config``, loggers
``boto.dynamodb2``                     :mod:`dynamodb2` (``connect_to_region``, ``regions``)
``boto.dynamodb2.<module>``            :mod:`dynamodb2.<module>` for ``table``, ``items``,
                                       ``results``, ``fields``, ``types``, ``layer1``,
                                       ``exceptions``
``boto.exception``                     ``JSONResponseError``, ``BotoServerError``,
                                       ``BotoClientError``, ``DynamoDBResponseError``
``boto.regioninfo``                    ``RegionInfo``
``boto.dynamodb.types``                ``Dynamizer``, ``NonBooleanDynamizer``, ``Binary``
``boto.dynamodb.exceptions``           ``DynamoDBNumberError``
=====================================  ===========================================

Any other ``boto`` module (``boto.s3``, boto's DynamoDB v1 ``boto.dynamodb.layer2``...)
fails to import with a message saying so.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import runpy
import sys
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, Final

import attrs

__all__ = ["install", "is_installed", "main", "uninstall"]

#: The attribute every alias module carries: the dotted name of the module it shows.
_ALIAS_MARKER: Final = "__dynamodb2_alias_of__"

_ROOT: Final = "boto"
_USAGE: Final = """\
usage: python -m dynamodb2.shim script.py [args...]
       python -m dynamodb2.shim -m module [args...]

Run a boto 2 program unchanged on dynamodb2: its `import boto.dynamodb2...` lines
resolve to dynamodb2 (even if a real boto is installed).
"""


@attrs.frozen
class _Alias:
    """One boto module the shim provides."""

    #: The module whose attributes the alias shows, or ``None`` for none.
    target: str | None
    #: The only names shown, or ``None`` for every attribute of ``target``.
    names: tuple[str, ...] | None = None
    #: Submodules (last name part only); a module with any is a package.
    submodules: tuple[str, ...] = ()
    #: What to say when a name is missing.
    missing_hint: str = ""

    @property
    def is_package(self) -> bool:
        return bool(self.submodules)


_DYNAMODB2_MODULES: Final = ("table", "items", "results", "fields", "types", "layer1", "exceptions")
_V1_HINT: Final = (
    "boto.dynamodb is boto's DynamoDB v1 API (Layer2, the 2011 API), which dynamodb2 does "
    "not provide: port the code to boto.dynamodb2; the shim keeps only what code built on "
    "boto.dynamodb2 used from it: boto.dynamodb.types's dynamizers, Binary and type "
    "helpers (float_to_decimal, get_dynamodb_type, dynamize_value, ...) and "
    "DynamoDBNumberError (boto.dynamodb.exceptions)"
)
_ONLY_DYNAMODB_HINT: Final = (
    "the dynamodb2 shim provides boto.dynamodb2 and the parts of boto it uses, "
    "boto.exception, boto.regioninfo, boto.dynamodb.types and boto.dynamodb.exceptions; "
    "not the rest of boto"
)

_ALIASES: Final[dict[str, _Alias]] = {
    "boto": _Alias(
        "dynamodb2._legacy_boto",
        submodules=("dynamodb2", "dynamodb", "exception", "regioninfo"),
        missing_hint=_ONLY_DYNAMODB_HINT,
    ),
    "boto.dynamodb2": _Alias(
        "dynamodb2",
        submodules=_DYNAMODB2_MODULES,
        missing_hint="boto.dynamodb2's modules are " + ", ".join(_DYNAMODB2_MODULES),
    ),
    **{f"boto.dynamodb2.{name}": _Alias(f"dynamodb2.{name}") for name in _DYNAMODB2_MODULES},
    "boto.exception": _Alias(
        "dynamodb2._legacy_exception",
        names=("BotoClientError", "BotoServerError", "DynamoDBResponseError", "JSONResponseError"),
        missing_hint=_ONLY_DYNAMODB_HINT,
    ),
    "boto.regioninfo": _Alias(
        "dynamodb2.regioninfo", names=("RegionInfo",), missing_hint=_ONLY_DYNAMODB_HINT
    ),
    "boto.dynamodb": _Alias(None, submodules=("exceptions", "types"), missing_hint=_V1_HINT),
    "boto.dynamodb.exceptions": _Alias(
        "dynamodb2.exceptions", names=("DynamoDBNumberError",), missing_hint=_V1_HINT
    ),
    # Every name of _legacy_types (its __all__), as boto 2's module showed its own.
    "boto.dynamodb.types": _Alias("dynamodb2._legacy_types", missing_hint=_V1_HINT),
}


# ---------------------------------------------------------------------- alias modules


def _alias_getattr(fullname: str, alias: _Alias, exposed: Sequence[str]) -> Callable[[str], Any]:
    """The module-level ``__getattr__`` (PEP 562) of one alias module."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - the name the import system looks up
        if name in alias.submodules:
            return importlib.import_module(f"{fullname}.{name}")
        # A restricted alias shows only its names. Dunder names (__path__, __wrapped__,
        # ...) are the alias's own unless exported: tools probe for them.
        shown = name in exposed or (alias.names is None and not name.startswith("__"))
        if alias.target is not None and shown:
            try:
                return getattr(importlib.import_module(alias.target), name)
            except AttributeError:
                pass
        hint = f": {alias.missing_hint}" if alias.missing_hint else ""
        raise AttributeError(f"module {fullname!r} has no attribute {name!r}{hint}")

    return __getattr__


def _exposed_names(alias: _Alias) -> list[str]:
    if alias.names is not None:
        return list(alias.names)
    if alias.target is None:
        return []
    target = importlib.import_module(alias.target)
    return list(getattr(target, "__all__", ()))


class _AliasLoader(importlib.abc.Loader):
    """Fills a new module of boto's name with lookups into this package's module."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        fullname = module.__name__
        alias = _ALIASES[fullname]
        namespace = module.__dict__
        if alias.target is not None:
            # Import now, so a broken target fails the import rather than a later lookup.
            target = importlib.import_module(alias.target)
            namespace["__doc__"] = (
                f"boto 2's {fullname}, provided by {alias.target} (dynamodb2 shim).\n\n"
                f"{target.__doc__ or ''}"
            )
        else:
            namespace["__doc__"] = f"boto 2's {fullname}, as far as the dynamodb2 shim provides it."
        exposed = _exposed_names(alias)
        namespace[_ALIAS_MARKER] = alias.target
        namespace["__all__"] = exposed
        namespace["__getattr__"] = _alias_getattr(fullname, alias, exposed)
        namespace["__dir__"] = lambda: sorted({*namespace, *exposed, *alias.submodules})
        if alias.target is not None:
            module.__class__ = _AliasModule


class _AliasModule(ModuleType):
    """An alias module whose names are set on the module it shows: so
    ``mock.patch("boto.dynamodb2.table.Item")`` in a boto 2 test suite patches what
    ``dynamodb2.table`` itself uses, as it patched boto's module. Deleting such a name
    puts back what it replaced (``mock.patch`` deletes the name it patched when it
    ends). Names the target does not have, dunder names and submodules stay the alias's
    own."""

    def __setattr__(self, name: str, value: Any) -> None:
        target = self._forwarded_to(name)
        if target is None or isinstance(value, ModuleType):
            super().__setattr__(name, value)
            return
        replaced: dict[str, list[Any]] = vars(self).setdefault(_REPLACED, {})
        replaced.setdefault(name, []).append(getattr(target, name))
        setattr(target, name, value)

    def __delattr__(self, name: str) -> None:
        replaced: dict[str, list[Any]] = vars(self).get(_REPLACED, {})
        earlier = replaced.get(name)
        target = self._forwarded_to(name)
        if not earlier or target is None:
            super().__delattr__(name)
            return
        setattr(target, name, earlier.pop())

    def _forwarded_to(self, name: str) -> ModuleType | None:
        if name.startswith("__"):
            return None
        alias = _ALIASES.get(self.__name__)
        if alias is None or alias.target is None or name in alias.submodules:
            return None
        if alias.names is not None and name not in alias.names:
            return None
        target = sys.modules.get(alias.target)
        return target if target is not None and hasattr(target, name) else None


#: Where an alias module keeps, by name, what the names set on it replaced.
_REPLACED: Final = "__dynamodb2_replaced__"


class _BotoFinder(importlib.abc.MetaPathFinder):
    """Answers ``boto`` and ``boto.*`` imports with alias modules."""

    def __init__(self) -> None:
        self.loader = _AliasLoader()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _ROOT and not fullname.startswith(_ROOT + "."):
            return None
        alias = _ALIASES.get(fullname)
        if alias is None:
            parent = _ALIASES.get(fullname.rpartition(".")[0])
            hint = (parent.missing_hint if parent else "") or _ONLY_DYNAMODB_HINT
            raise ModuleNotFoundError(f"No module named {fullname!r}: {hint}", name=fullname)
        spec = importlib.util.spec_from_loader(
            fullname, self.loader, origin="dynamodb2 shim alias", is_package=alias.is_package
        )
        assert spec is not None
        return spec


# ---------------------------------------------------------------------- install / uninstall


class _State:
    """What install() changed, so uninstall() can put it back."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.finder: _BotoFinder | None = None
        #: Modules of a real boto taken out of sys.modules by install(force=True).
        self.evicted: dict[str, ModuleType] = {}


_state = _State()


def _boto_module_names() -> list[str]:
    return [name for name in sys.modules if name == _ROOT or name.startswith(_ROOT + ".")]


def _is_alias(module: object) -> bool:
    return isinstance(module, ModuleType) and _ALIAS_MARKER in module.__dict__


def _real_boto_importable() -> bool:
    """Whether ``import boto`` would find a boto that is not this shim."""
    loaded = sys.modules.get(_ROOT)
    if loaded is not None:
        return not _is_alias(loaded)
    try:
        return importlib.util.find_spec(_ROOT) is not None
    except (ImportError, ValueError):
        return False


def is_installed() -> bool:
    """Whether the shim currently answers ``import boto``.

    >>> is_installed()                                # doctest: +SKIP
    False
    """
    return _state.finder is not None


def install(force: bool = False) -> bool:
    """Make ``import boto.dynamodb2...`` (and the boto names it uses) resolve to dynamodb2.

    >>> install()                                     # doctest: +SKIP
    True

    Without ``force``, a real boto that can be imported is left in charge and nothing
    changes. With ``force=True`` the shim wins: modules of a real boto already imported
    are set aside (:func:`uninstall` puts them back). Calling it again is harmless.

    Returns:
        Whether the shim now answers ``import boto``.
    """
    with _state.lock:
        if _state.finder is None and not force and _real_boto_importable():
            return False
        if force:
            for name in _boto_module_names():
                module = sys.modules[name]
                if not _is_alias(module):
                    _state.evicted[name] = sys.modules.pop(name)
        if _state.finder is None:
            _state.finder = _BotoFinder()
            sys.meta_path.insert(0, _state.finder)
            importlib.invalidate_caches()
        return True


def uninstall() -> bool:
    """Undo :func:`install`: forget the alias modules, restore a set-aside real boto.

    >>> uninstall()                                   # doctest: +SKIP
    True

    Code that already holds objects from the aliases keeps them (they are dynamodb2's).

    Returns:
        Whether the shim was installed.
    """
    with _state.lock:
        finder = _state.finder
        if finder is None:
            return False
        _state.finder = None
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        for name in _boto_module_names():
            if _is_alias(sys.modules[name]):
                del sys.modules[name]
        sys.modules.update(_state.evicted)
        _state.evicted.clear()
        importlib.invalidate_caches()
        return True


# ---------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Run a legacy script (or ``-m module``) with the shim installed, like ``python``.

    >>> main(["legacy_script.py", "--verbose"])       # doctest: +SKIP
    0

    The program sees ``sys.argv`` as ``[script, *args]`` and runs as ``__main__``; its
    ``sys.exit(code)`` becomes the process's exit code. The shim is installed with
    ``force=True``: asking for it by name means it should win over any installed boto.

    Returns:
        ``0`` when the program finished, ``2`` (after printing usage) when no program
        was named.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        sys.stdout.write(_USAGE)
        return 0
    if not args or args == ["-m"]:
        sys.stderr.write(_USAGE)
        return 2
    if args[0].startswith("-") and args[0] != "-m":
        sys.stderr.write(f"unknown option {args[0]!r}\n\n{_USAGE}")
        return 2
    install(force=True)
    if args[0] == "-m":
        module, rest = args[1], args[2:]
        sys.argv = [module, *rest]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    script, rest = args[0], args[1:]
    sys.argv = [script, *rest]
    # As `python script.py` does: the script's directory comes first on sys.path.
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    # Delegate to the importable module, so the program and this runner share one
    # shim state (this file also runs as __main__, a second copy of the module).
    from dynamodb2.shim import main as _main

    raise SystemExit(_main())
