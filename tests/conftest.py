"""Fixtures shared by every test: an isolated AWS environment and the three backends."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dynamodb2.connection import Connection
from tests.support.backends import (
    Backend,
    delete_all_tables,
    reset_moto_server,
    running_dynalite,
    running_moto_server,
    selected_backends,
)
from tests.support.environment import isolate_aws_environment
from tests.support.table_support import RecordingTransport, recorded_connection


@pytest.fixture
def anyio_backend() -> str:
    """anyio's plugin runs every ``@pytest.mark.anyio`` test on asyncio, the event loop
    dynamodb2.aio supports (trio may be installed by another package; it is not used)."""
    return "asyncio"


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's AWS config, profiles, endpoints or real credentials."""
    isolate_aws_environment(monkeypatch, tmp_path)


@pytest.fixture(scope="session")
def moto_server_url() -> Iterator[str]:
    """URL of a moto server shared by the session (reset after each test that uses it)."""
    with running_moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def dynalite_url() -> Iterator[str]:
    """URL of a dynalite process shared by the session (emptied after each test)."""
    with running_dynalite() as url:
        yield url


@pytest.fixture(params=selected_backends())
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Each integration test runs once per backend: moto, moto server and dynalite."""
    name: str = request.param
    if name == "moto":
        from moto import mock_aws

        with mock_aws():
            yield Backend(name, None)
    elif name == "moto_server":
        url = request.getfixturevalue("moto_server_url")
        reset_moto_server(url)
        yield Backend(name, url)
        reset_moto_server(url)
    else:
        url = request.getfixturevalue("dynalite_url")
        server = Backend(name, url)
        with server.connect() as cleaner:
            delete_all_tables(cleaner)
            yield server
            delete_all_tables(cleaner)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs against a backend as an integration test."""
    for item in items:
        if "backend" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the fault-injection totals (faults by kind, operations, losses) if any ran."""
    from tests.support.faults import TALLY

    if TALLY.runs:
        terminalreporter.write_sep("-", "fault injection")
        terminalreporter.write_line(TALLY.summary())
    quoted = sys.modules.get("tests.unit.test_secrets_quoted")
    tried = getattr(quoted, "TRIED", None)
    if tried:
        terminalreporter.write_sep("-", "secrets quoted back")
        terminalreporter.write_line(
            f"{sum(tried.values())} error responses quoting a secret, in {len(tried)} distinct "
            "combinations of secret, framing, placement, quoting styles and status: none leaked"
        )


@pytest.fixture
def recorded(backend: Backend) -> Iterator[tuple[Connection, RecordingTransport]]:
    """A connection to the test's backend, and the recorder of every request it sends."""
    connection, recorder = recorded_connection(backend)
    with connection:
        yield connection, recorder


@pytest.fixture
def recorder(recorded: tuple[Connection, RecordingTransport]) -> RecordingTransport:
    """The requests the ``recorded`` connection sent, and their responses."""
    return recorded[1]
