"""Run boto 2.49's own tests, or a legacy boto 2 script, in this process under one implementation.

This file is a script, started by the harness in a fresh interpreter (never imported by the
project's test session)::

    python boto2_subprocess.py --implementation dynamodb2 --boto-source DIR \\
        [--dynalite-url URL] pytest --report OUT.json -- tests/unit/dynamodb2
    python boto2_subprocess.py --implementation boto2 --boto-source DIR \\
        script SCENARIO.py [args...]

``--implementation`` chooses who answers ``import boto``:

- ``boto2``: the real boto 2.49 from the extracted sdist (``DIR/boto``), made importable on
  Python 3.10+ here and only here (see :func:`make_boto2_importable`): the reference;
- ``dynamodb2``: this package through ``dynamodb2.shim.install(force=True)``.

In both, ``import tests...`` finds the sdist's own ``tests`` package (boto's tests import
``tests.compat`` and ``tests.unit``), never the project's. boto's test package imports
``boto.compat`` (``six``, ``long_type``, ``http_client``); under ``dynamodb2`` this script
supplies that module itself (:func:`install_boto_compat_for_boto_tests`): no program built
on ``boto.dynamodb2`` was found importing ``boto.compat``, so the shim does not provide it.

``--dynalite-url`` points every ``DynamoDBConnection()`` made without ``host`` at dynalite,
the way boto 2 users reached DynamoDB Local (``host=``, ``port=``, ``is_secure=False``), by
giving the class those defaults; boto 2's own tests call ``DynamoDBConnection()`` and
``Table.create(...)`` with no connection, which would otherwise go to AWS.

With ``pytest``, the outcome of every test (``passed``, ``failed``, ``error``, ``skipped``)
and its failure text go to ``--report`` as JSON, and the test modules' own ``time.sleep``
calls (boto's integration tests wait up to ten minutes for tables) sleep at most
:data:`TEST_SLEEP_CAP` seconds; the libraries' own sleeps (retry pacing) are left alone.
"""

from __future__ import annotations

import argparse
import collections
import collections.abc
import http.client
import importlib
import json
import os
import sys
import time
import types
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

IMPLEMENTATIONS: Final = ("boto2", "dynamodb2")

#: The longest sleep a boto test module's own ``time.sleep(...)`` gets, in seconds.
TEST_SLEEP_CAP: Final = 0.01

#: The ``collections`` names boto 2.49 imports that Python 3.10 moved to ``collections.abc``.
_MOVED_TO_ABC: Final = (
    "Callable",
    "Iterable",
    "Mapping",
    "MutableMapping",
    "MutableSequence",
    "MutableSet",
    "Sequence",
    "Set",
)

_real_sleep = time.sleep


# ---------------------------------------------------------------------- implementations


def make_boto2_importable(source: Path) -> None:
    """Let ``import boto`` find the sdist's boto 2.49 and work on this Python.

    On 3.10 and 3.11, boto 2.49 needs only ``collections.Mapping`` (``boto.dynamodb.types``);
    on 3.12+ also the removed ``imp`` module (``boto.plugin`` imports it; only its plugin
    loader, unused here, calls it) and a ``six`` whose importer has ``find_spec`` (boto's
    vendored six 1.9 has only ``find_module``, which 3.12 no longer calls).
    """
    for name in _MOVED_TO_ABC:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    if sys.version_info >= (3, 12):
        _provide_py312_stand_ins()
    sys.path.insert(0, str(source))


def _provide_py312_stand_ins() -> None:
    if "imp" not in sys.modules:
        imp = types.ModuleType("imp", "Stand-in for the removed imp module (boto.plugin).")
        sys.modules["imp"] = imp
    six: Any = importlib.import_module("six")
    aliases = {
        "boto.vendored.six": six,
        "boto.vendored.six.moves": six.moves,
        "boto.vendored.six.moves.urllib": six.moves.urllib,
        "boto.vendored.six.moves.urllib.parse": six.moves.urllib.parse,
        "boto.vendored.six.moves.urllib.request": six.moves.urllib.request,
        "boto.vendored.six.moves.urllib.error": six.moves.urllib.error,
        "boto.vendored.six.moves.queue": six.moves.queue,
        "boto.vendored.six.moves.http_client": http.client,
    }
    sys.modules.update(aliases)


def install_dynamodb2(source: Path) -> None:
    """Make ``import boto`` resolve to dynamodb2; keep the sdist's ``tests`` importable."""
    from dynamodb2 import shim

    shim.install(force=True)
    sys.path.insert(0, str(source))


def install_boto_compat_for_boto_tests() -> None:
    """Give boto's test package the three ``boto.compat`` names it imports.

    Test-only: ``tests/unit/__init__.py`` reads ``boto.compat.http_client`` and
    ``tests/unit/dynamodb2/test_table.py`` reads ``six`` (only ``six.PY2``) and
    ``long_type``. This module is placed in ``sys.modules`` directly, beside the shim.
    """
    six = importlib.import_module("six")
    compat = types.ModuleType("boto.compat", "boto.compat as boto 2.49's tests use it.")
    compat.__dict__.update(six=six, long_type=int, http_client=http.client)
    sys.modules["boto.compat"] = compat


def point_default_connections_at(url: str) -> None:
    """``DynamoDBConnection()`` without ``host`` talks to ``url`` (plain HTTP)."""
    connection_class: Any = importlib.import_module("boto.dynamodb2.layer1").DynamoDBConnection
    parsed = urllib.parse.urlsplit(url)
    original_init: Callable[..., None] = connection_class.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        if not args and not {"host", "connection", "endpoint_url"} & kwargs.keys():
            kwargs.update(host=parsed.hostname, port=parsed.port, is_secure=False)
        original_init(self, *args, **kwargs)

    connection_class.__init__ = __init__


# ---------------------------------------------------------------------- pytest plugins


class OutcomeRecorder:
    """A pytest plugin that records each test's outcome and failure text."""

    def __init__(self) -> None:
        self.outcomes: dict[str, dict[str, str]] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        failed_setup = report.when in ("setup", "teardown") and report.failed
        if report.when == "call" or failed_setup or report.skipped:
            outcome = "error" if failed_setup else report.outcome
            previous = self.outcomes.get(report.nodeid)
            # A teardown error after a failed call keeps the call's "failed".
            if previous is not None and previous["outcome"] != "passed":
                return
            self.outcomes[report.nodeid] = {
                "outcome": outcome,
                "message": _failure_summary(report) if outcome != "passed" else "",
            }


def _failure_summary(report: Any) -> str:
    crash = getattr(getattr(report, "longrepr", None), "reprcrash", None)
    text = str(report.longreprtext or "")
    if crash is not None:
        return f"{crash.message}\n--\n{text[-4000:]}"
    return text[-4000:]


class ShortSleeps:
    """A pytest plugin: each collected test module's ``time`` sleeps at most the cap."""

    def pytest_collection_finish(self, session: Any) -> None:
        for item in session.items:
            module = getattr(item, "module", None)
            if module is not None and getattr(module, "time", None) is time:
                module.time = _short_sleep_time()


def _short_sleep_time() -> types.SimpleNamespace:
    def sleep(seconds: float) -> None:
        _real_sleep(min(seconds, TEST_SLEEP_CAP))

    namespace = {name: getattr(time, name) for name in dir(time) if not name.startswith("_")}
    namespace["sleep"] = sleep
    return types.SimpleNamespace(**namespace)


# ---------------------------------------------------------------------- entry point


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--implementation", choices=IMPLEMENTATIONS, required=True)
    parser.add_argument("--boto-source", type=Path, required=True)
    parser.add_argument("--dynalite-url")
    commands = parser.add_subparsers(dest="command", required=True)
    tests = commands.add_parser("pytest")
    tests.add_argument("--report", type=Path, required=True)
    tests.add_argument("pytest_args", nargs="*")
    script = commands.add_parser("script")
    script.add_argument("path", type=Path)
    script.add_argument("script_args", nargs=argparse.REMAINDER)
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    options = _parse(argv)
    source: Path = options.boto_source.resolve()
    # This script's own folder (the project's tests/compat) must not shadow anything.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [entry for entry in sys.path if entry not in ("", here)]
    if options.implementation == "boto2":
        make_boto2_importable(source)
    else:
        install_dynamodb2(source)
        if options.command == "pytest":
            install_boto_compat_for_boto_tests()
    if options.dynalite_url:
        point_default_connections_at(options.dynalite_url)

    if options.command == "script":
        import runpy

        sys.argv = [str(options.path), *options.script_args]
        runpy.run_path(str(options.path), run_name="__main__")
        return 0

    import pytest

    recorder = OutcomeRecorder()
    args = [
        "-c",
        os.devnull,  # boto's sdist has no pytest configuration; the project's must not apply
        "--rootdir",
        str(source),
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
        "-rN",
        *options.pytest_args,
    ]
    os.chdir(source)
    status = pytest.main(args, plugins=[recorder, ShortSleeps()])
    options.report.write_text(json.dumps(recorder.outcomes, indent=1, sort_keys=True))
    return 0 if status in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) else int(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
