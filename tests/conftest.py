"""Fixtures shared by every test: an isolated AWS environment and the three backends."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dynamodb2.connection import Connection
from tests.backends import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Backend,
    delete_all_tables,
    reset_moto_server,
    running_dynalite,
    running_moto_server,
    selected_backends,
)
from tests.table_support import RecordingTransport, recorded_connection


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's AWS or boto config, profiles, endpoints or real
    credentials."""
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CA_BUNDLE",
        "AWS_MAX_ATTEMPTS",
        "AWS_RETRY_MODE",
        "AWS_USE_FIPS_ENDPOINT",
        "AWS_USE_DUALSTACK_ENDPOINT",
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "NO_PROXY",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "BOTO_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config-absent"))
    # boto 2's config file (~/.boto, /etc/boto.cfg): only this absent one is read.
    monkeypatch.setenv("BOTO_CONFIG", str(tmp_path / "boto-config-absent"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials-absent"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


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
    from tests.faults import TALLY

    if TALLY.runs:
        terminalreporter.write_sep("-", "fault injection")
        terminalreporter.write_line(TALLY.summary())
    quoted = sys.modules.get("tests.test_secrets_quoted")
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
