"""What the command line tells people: retries as they happen, and credential errors that
name the settings a newcomer can change."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from dynamodb2.cli._app import cli
from dynamodb2.cli._notices import Messages, RetryNotices, retry_reason
from dynamodb2.connection import Connection
from dynamodb2.exceptions import ConnectionFailedError, ReadTimeoutError
from dynamodb2.retry import RetryEvent, RetryPolicy
from tests.support.fakes import ScriptedTransport, connection, error_response, json_response


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# ------------------------------------------------------------------------------ retries


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        (
            error_response("ProvisionedThroughputExceededException"),
            "throttled (ProvisionedThroughputExceededException)",
        ),
        (error_response("ThrottlingException"), "throttled (ThrottlingException)"),
        (error_response("InternalServerError", status=500), "HTTP 500 (InternalServerError)"),
        (ReadTimeoutError("no answer"), "no response within the read timeout"),
        (ConnectionFailedError("broken"), "connection failed"),
    ],
)
def test_each_retry_is_shown_with_its_reason_and_the_attempt_to_come(
    failure: object, reason: str
) -> None:
    shown: list[str] = []
    conn = connection(
        ScriptedTransport(failure, json_response({"TableNames": []})),  # type: ignore[arg-type]
        retry=RetryPolicy(max_attempts=4, base_delay=0.0),
        on_retry=RetryNotices(shown.append),
    )

    conn.list_tables({})

    assert shown == [f"retrying: {reason}, attempt 2 of 4 in 0.0 s"]


def test_a_refused_connection_is_named_as_such() -> None:
    shown: list[str] = []
    real_http = Connection(
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        retry=RetryPolicy(max_attempts=2, base_delay=0.0),
        on_retry=RetryNotices(shown.append),
    )

    with pytest.raises(ConnectionFailedError):
        real_http.list_tables({})
    assert shown == ["retrying: connection refused, attempt 2 of 2 in 0.0 s"]


def test_retry_notices_show_at_most_one_a_second_and_always_the_first() -> None:
    now = [0.0]
    shown: list[str] = []
    notices = RetryNotices(shown.append, clock=lambda: now[0])
    error = ConnectionFailedError("broken")

    for at, attempt in [(0.0, 1), (0.4, 2), (0.9, 3), (1.1, 4), (1.5, 5), (2.2, 6)]:
        now[0] = at
        notices(RetryEvent("Scan", attempt, 10, error, 0.25))

    assert [line.split(", ")[1] for line in shown] == [
        "attempt 2 of 10 in 0.2 s",
        "attempt 5 of 10 in 0.2 s",
        "attempt 7 of 10 in 0.2 s",
    ]


def test_retry_reason_of_an_unknown_error_is_its_class_name() -> None:
    assert retry_reason(KeyError("x")) == "KeyError"


# -------------------------------------------------------------------------- credentials


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")


@pytest.mark.usefixtures("no_credentials")
def test_no_credentials_names_the_environment_variables_profiles_and_profile_option(
    tmp_path: Path,
) -> None:
    result = invoke("--endpoint-url", f"http://127.0.0.1:{closed_port()}", "tables")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
        f"or use a profile from {tmp_path / 'aws-credentials-absent'} or "
        f"{tmp_path / 'aws-config-absent'} with --profile NAME or AWS_PROFILE=NAME "
        "(aws configure writes one)\n"
    )
    assert "aws_access_key_id" not in result.stderr


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("how", ["--profile", "AWS_PROFILE"])
def test_a_profile_without_credentials_is_named_with_how_it_was_chosen(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "aws-config-absent"
    config.write_text("[profile dev]\nregion = eu-west-1\n")
    args = ["--endpoint-url", f"http://127.0.0.1:{closed_port()}", "tables"]
    if how == "--profile":
        args[:0] = ["--profile", "dev"]
    else:
        monkeypatch.setenv("AWS_PROFILE", "dev")

    result = invoke(*args)

    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: no AWS credentials found for profile 'dev' (named by {how}) in "
    )
    assert "aws configure --profile dev, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in (
        result.stderr
    )


@pytest.mark.parametrize("how", ["--profile", "AWS_PROFILE"])
def test_an_unknown_profile_says_where_profiles_live_and_how_to_make_one(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["tables"]
    if how == "--profile":
        args[:0] = ["--profile", "nope"]
    else:
        monkeypatch.setenv("AWS_PROFILE", "nope")

    result = invoke(*args)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: profile 'nope' not found in {tmp_path / 'aws-credentials-absent'} or "
        f"{tmp_path / 'aws-config-absent'} (it was named by {how}); create it with: "
        "aws configure --profile nope\n"
    )


def test_notices_go_above_a_live_progress_line_through_its_console() -> None:
    messages = Messages()
    drawn = io.StringIO()
    console = Console(file=drawn, width=200)

    with messages.above(console):
        messages.show("retrying: connection refused, attempt 2 of 10 in 0.1 s")

    assert drawn.getvalue() == "retrying: connection refused, attempt 2 of 10 in 0.1 s\n"


def test_notices_go_to_stderr_when_no_progress_line_is_drawn(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Messages().show("retrying: throttled (ThrottlingException), attempt 2 of 10 in 0.0 s")

    assert capsys.readouterr().err == (
        "retrying: throttled (ThrottlingException), attempt 2 of 10 in 0.0 s\n"
    )
