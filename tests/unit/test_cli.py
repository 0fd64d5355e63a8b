"""The ``dynamodb2`` command line: each command, refused lines, progress, quiet, errors.

Most tests invoke the command group in-process with click's ``CliRunner`` against moto
(``mock_aws``); a few run ``python -m dynamodb2`` as a real process against a moto
server, one of them with stderr on a pseudo-terminal to see the progress bar.
"""

from __future__ import annotations

import json
import logging
import os
import pty
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from moto import mock_aws

from dynamodb2 import Connection, HashKey, RangeKey, Table
from dynamodb2._limits import MAX_ITEM_BYTES
from dynamodb2.cli import INSTALL_HINT
from dynamodb2.cli._app import cli
from dynamodb2.cli._commands import EXIT_REJECTED_LINES
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.types import NUMBER
from tests.support.backends import ROOT, reset_moto_server


@pytest.fixture
def moto() -> Iterator[None]:
    with mock_aws():
        yield


def invoke(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def create_table(name: str = "things", *, sort_key: bool = False) -> Table:
    schema = [HashKey("id")] + ([RangeKey("n", data_type=NUMBER)] if sort_key else [])
    return Table.create(name, schema=schema, billing_mode="PAY_PER_REQUEST")


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def stored(table: Table) -> dict[str, dict[str, object]]:
    return {item["id"]: dict(item.items()) for item in table.scan()}


# --------------------------------------------------------------------------- commands


@pytest.mark.usefixtures("moto")
def test_tables_lists_every_table_one_name_a_line() -> None:
    create_table("alpha")
    create_table("beta")

    result = invoke("tables")

    assert result.exit_code == 0
    assert result.stdout == "alpha\nbeta\n"


@pytest.mark.usefixtures("moto")
def test_describe_summarises_the_key_billing_and_size() -> None:
    create_table(sort_key=True)

    result = invoke("describe", "things")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "table      things" in lines
    assert "status     ACTIVE" in lines
    assert "key        id (S, partition), n (N, sort)" in lines
    assert "billing    PAY_PER_REQUEST" in lines


@pytest.mark.usefixtures("moto")
def test_describe_json_prints_the_describe_table_response() -> None:
    create_table()

    result = invoke("describe", "--json", "things")

    assert json.loads(result.stdout)["Table"]["TableName"] == "things"


@pytest.mark.usefixtures("moto")
def test_count_prints_describe_tables_item_count_and_says_it_is_approximate() -> None:
    table = create_table()
    table.put_item({"id": "a"})

    result = invoke("count", "things")

    assert result.exit_code == 0
    assert result.stdout.strip().isdigit()
    assert "approximate: DescribeTable's ItemCount" in result.stderr
    assert "--scan counts exactly" in result.stderr


@pytest.mark.usefixtures("moto")
def test_count_scan_counts_every_item_exactly_and_says_so() -> None:
    table = create_table()
    with table.batch_write() as batch:
        for number in range(57):
            batch.put_item({"id": f"item-{number}"})

    result = invoke("count", "--scan", "--segments", "3", "things")

    assert result.exit_code == 0
    assert result.stdout == "57\n"
    assert "exact: counted by a full scan in 3 segments" in result.stderr


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = invoke(command, "--help")

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {command}") or result.stdout.startswith(
        f"Usage: dynamodb2 {command}"
    )


# --------------------------------------------------------------------------- load


@pytest.mark.usefixtures("moto")
def test_load_writes_every_good_line_and_lists_refused_lines_with_their_numbers(
    tmp_path: Path,
) -> None:
    table = create_table()
    source = write_lines(
        tmp_path / "items.jsonl",
        [
            '{"id": "a", "n": 1}',
            "{not json",
            "",
            '{"n": 2}',
            '{"id": "c", "n": 1e400}',
            '{"id": "d", "n": 1234567890123456789012345678901234567890}',
            '{"id": "e", "text": "' + "x" * MAX_ITEM_BYTES + '"}',
            "[1, 2]",
            '{"id": "f", "n": 6}',
        ],
    )

    result = invoke("load", "things", str(source))

    assert result.exit_code == EXIT_REJECTED_LINES
    refused = [line for line in result.stderr.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in refused] == [
        "line 2",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert "not valid JSON" in refused[0]
    assert "attribute 'id': the item has no value for this key attribute" in refused[1]
    assert "number too large" in refused[2]
    assert "more than 38 significant digits" in refused[3]
    assert "400 KB" in refused[4]
    assert "expected a JSON object" in refused[5]
    assert "Loaded 2 items into 'things'" in result.stderr
    assert "refused 6 lines" in result.stderr
    assert sorted(stored(table)) == ["a", "f"]


@pytest.mark.usefixtures("moto")
def test_load_keeps_plain_json_numbers_exact(tmp_path: Path) -> None:
    table = create_table()
    source = write_lines(
        tmp_path / "numbers.jsonl",
        ['{"id": "a", "big": 12345678901234567890123456789012345678, "d": 0.1000000000000000001}'],
    )

    result = invoke("load", "things", str(source))

    assert result.exit_code == 0
    item = table.get_item(id="a")
    assert item["big"] == 12345678901234567890123456789012345678
    assert item["d"] == Decimal("0.1000000000000000001")


@pytest.mark.usefixtures("moto")
def test_load_stores_nulls_empty_strings_booleans_and_binary_as_given(tmp_path: Path) -> None:
    table = create_table()
    source = write_lines(
        tmp_path / "values.jsonl",
        ['{"id": "a", "none": null, "empty": "", "yes": true, "raw": {"$binary": "AAE="}}'],
    )

    invoke("load", "things", str(source))

    assert stored(table)["a"] == {
        "id": "a",
        "none": None,
        "empty": "",
        "yes": True,
        "raw": b"\x00\x01",
    }


@pytest.mark.usefixtures("moto")
def test_load_reads_stdin_given_as_a_dash() -> None:
    table = create_table()

    result = invoke("load", "things", "-", input='{"id": "a"}\n{"id": "b"}\n')

    assert result.exit_code == 0
    assert "from stdin (plain JSON)" in result.stderr
    assert sorted(stored(table)) == ["a", "b"]


@pytest.mark.usefixtures("moto")
def test_load_detects_dynamodb_json_and_keeps_its_sets(tmp_path: Path) -> None:
    table = create_table()
    source = write_lines(
        tmp_path / "items.jsonl", ['{"id": {"S": "a"}, "tags": {"SS": ["x", "y"]}}']
    )

    result = invoke("load", "things", str(source))

    assert "(DynamoDB JSON)" in result.stderr
    assert stored(table)["a"]["tags"] == {"x", "y"}


@pytest.mark.usefixtures("moto")
def test_format_json_reads_dynamodb_looking_lines_as_plain_maps(tmp_path: Path) -> None:
    table = create_table()
    source = write_lines(tmp_path / "items.jsonl", ['{"id": "a", "shape": {"S": "square"}}'])

    invoke("load", "--format", "json", "things", str(source))

    assert stored(table)["a"]["shape"] == {"S": "square"}


@pytest.mark.usefixtures("moto")
def test_load_into_a_missing_table_fails_in_one_line_before_reading_input(
    tmp_path: Path,
) -> None:
    source = write_lines(tmp_path / "items.jsonl", ['{"id": "a"}'])

    result = invoke("load", "absent", str(source))

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: table 'absent' not found (region us-east-1")
    assert len(result.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- dump


@pytest.mark.usefixtures("moto")
def test_dump_writes_plain_json_with_exact_numbers_and_sorted_sets() -> None:
    table = create_table()
    table.put_item(
        {
            "id": "a",
            "big": Decimal("12345678901234567890123456789012345678"),
            "d": Decimal("0.1000000000000000001"),
            "tags": {"b", "a"},
            "raw": b"\x00\x01",
        }
    )

    result = invoke("dump", "things")

    assert result.exit_code == 0
    assert json.loads(result.stdout, parse_float=Decimal) == {
        "id": "a",
        "big": 12345678901234567890123456789012345678,
        "d": Decimal("0.1000000000000000001"),
        "tags": ["a", "b"],
        "raw": {"$binary": "AAE="},
    }
    assert "Dumped 1 item from 'things' to stdout" in result.stderr


@pytest.mark.usefixtures("moto")
def test_dump_to_a_file_that_cannot_be_written_names_that_file(tmp_path: Path) -> None:
    create_table()
    target = tmp_path / "missing-folder" / "things.jsonl"

    result = invoke("dump", "-o", str(target), "things")

    assert result.exit_code == 1
    assert f"cannot write {str(target)!r}: No such file or directory" in result.stderr
    assert ".partial" not in result.stderr
    assert not target.parent.exists()


@pytest.mark.usefixtures("moto")
def test_dump_to_a_file_in_dynamodb_json_loads_back_into_an_equal_table(tmp_path: Path) -> None:
    source = create_table("source")
    items = [
        {"id": f"item-{number}", "n": number, "ns": {number, Decimal("0.5")}, "m": {"l": [True]}}
        for number in range(40)
    ]
    with source.batch_write() as batch:
        for item in items:
            batch.put_item(item)
    copy = create_table("copy")
    dumped = tmp_path / "source.jsonl"

    dump = invoke("dump", "--format", "dynamodb", "--segments", "2", "-o", str(dumped), "source")
    load = invoke("load", "copy", str(dumped))

    assert (dump.exit_code, load.exit_code) == (0, 0)
    assert len(dumped.read_text().splitlines()) == 40
    assert list(tmp_path.iterdir()) == [dumped]  # no ".partial" file left behind
    assert stored(copy) == stored(source)


# ------------------------------------------------------------- progress, quiet, errors


@pytest.mark.usefixtures("moto")
def test_progress_is_not_drawn_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    create_table()
    source = write_lines(tmp_path / "items.jsonl", [f'{{"id": "{n}"}}' for n in range(30)])

    result = invoke("load", "things", str(source))

    # Only the summary: no bar, no carriage returns, no escape sequences.
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Loaded 30 items")
    assert "\r" not in result.stderr
    assert "\x1b" not in result.stderr


@pytest.mark.usefixtures("moto")
def test_quiet_leaves_only_the_data_and_the_refused_lines(tmp_path: Path) -> None:
    table = create_table()
    table.put_item({"id": "a"})
    source = write_lines(tmp_path / "items.jsonl", ['{"id": "b"}', "oops"])

    load = invoke("--quiet", "load", "things", str(source))
    count = invoke("-q", "count", "things")
    dump = invoke("-q", "dump", "things")

    assert load.exit_code == EXIT_REJECTED_LINES
    assert load.stderr.splitlines() == [
        "line 2: not valid JSON (Expecting value at column 1)",
    ]
    assert count.stderr == ""
    assert dump.stderr == ""
    assert sorted(dump.stdout.splitlines()) == ['{"id":"a"}', '{"id":"b"}']


@pytest.mark.usefixtures("moto")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["describe", "absent"], "Error: table 'absent' not found (region us-east-1"),
        (["dump", "absent"], "Error: table 'absent' not found"),
        (["count", "--scan", "absent"], "Error: table 'absent' not found"),
        (["load", "things", "/nonexistent/items.jsonl"], "Error: No such file or directory"),
        (["--endpoint-url", "not a url", "tables"], "Error: endpoint URL must start with http://"),
        (["--region", "not_a_region!", "tables"], "Error: region name 'not_a_region!'"),
    ],
)
def test_errors_are_one_line_on_stderr_with_exit_code_1(args: list[str], message: str) -> None:
    create_table()

    result = invoke(*args)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("attempts", [1, 3])
def test_max_attempts_bounds_the_tries_on_an_endpoint_that_refuses_connections(
    attempts: int, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    caplog.set_level(logging.DEBUG, logger="dynamodb2")

    result = invoke("--endpoint-url", endpoint, "--max-attempts", str(attempts), "tables")

    assert result.exit_code == 1
    *notices, error = result.stderr.splitlines()
    assert error.startswith(f"Error: connection to {endpoint}/ failed")
    retries = [record for record in caplog.records if "retrying in" in record.getMessage()]
    assert len(retries) == attempts - 1
    # Retries are shown as they happen (at most one a second, so here the first).
    assert [notice.rsplit(" in ", 1)[0] for notice in notices] == (
        [] if attempts == 1 else ["retrying: connection refused, attempt 2 of 3"]
    )


def test_aws_max_attempts_bounds_the_tries_as_for_boto3(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    caplog.set_level(logging.DEBUG, logger="dynamodb2")

    result = invoke("--endpoint-url", endpoint, "tables")

    assert result.exit_code == 1
    assert len([r for r in caplog.records if "retrying in" in r.getMessage()]) == 1


@pytest.mark.parametrize(("mode", "attempts"), [("standard", 4), ("adaptive", 4), ("legacy", 10)])
def test_without_max_attempts_aws_retry_mode_sets_the_attempts_as_help_says(
    monkeypatch: pytest.MonkeyPatch, mode: str, attempts: int
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_RETRY_MODE", mode)
    # No waiting between the attempts: only their number matters here.
    monkeypatch.setattr(Connection, "_default_sleep", staticmethod(lambda _seconds: None))

    result = invoke("--endpoint-url", endpoint, "tables")

    assert result.exit_code == 1
    assert f"attempt 2 of {attempts} in" in result.stderr
    help_text = " ".join(invoke("--help").stdout.split())
    assert "AWS_RETRY_MODE standard or adaptive, as for boto3; else 10]" in help_text


def test_the_profiles_endpoint_url_is_used_as_help_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    config = tmp_path / "config"
    config.write_text(f"[profile local]\nendpoint_url = {endpoint}\nregion = eu-west-1\n")
    credentials = tmp_path / "credentials"
    credentials.write_text("[local]\naws_access_key_id = a\naws_secret_access_key = b\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))

    result = invoke("--profile", "local", "--max-attempts", "1", "tables")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: connection to {endpoint}/ failed")
    help_text = " ".join(invoke("--help").stdout.split())
    assert "AWS_ENDPOINT_URL, the profile's endpoint_url, else AWS's" in help_text
    assert "A profile of ~/.aws/config or ~/.aws/credentials" in help_text


def test_quiet_leaves_out_the_retry_notices() -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"

    result = invoke("--quiet", "--endpoint-url", endpoint, "--max-attempts", "2", "tables")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: connection to")
    assert len(result.stderr.splitlines()) == 1


def test_global_options_may_follow_the_command() -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"

    result = invoke("tables", "--endpoint-url", endpoint, "--max-attempts", "1")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: connection to {endpoint}/ failed")


@pytest.mark.usefixtures("moto")
def test_a_global_option_after_the_command_overrides_the_one_before() -> None:
    result = invoke("--region", "us-west-2", "describe", "absent", "--region", "eu-west-1")

    assert result.exit_code == 1
    assert "(region eu-west-1," in result.stderr


def test_max_attempts_below_one_is_a_usage_error() -> None:
    result = invoke("--max-attempts", "0", "tables")

    assert result.exit_code == 2
    assert "--max-attempts" in result.stderr


# --------------------------------------------------------------- as a real process


@pytest.fixture
def moto_server(moto_server_url: str) -> Iterator[str]:
    reset_moto_server(moto_server_url)
    yield moto_server_url
    reset_moto_server(moto_server_url)


def run_cli(
    *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dynamodb2", *args],
        input=input,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_python_m_dynamodb2_loads_from_stdin_and_dumps_as_a_real_process(
    moto_server: str,
) -> None:
    connection = Connection(endpoint_url=moto_server)
    Table.create("things", schema=[HashKey("id")], connection=connection)
    lines = "".join(f'{{"id": "item-{n}", "n": {n}.50}}\n' for n in range(60))

    load = run_cli("--endpoint-url", moto_server, "load", "things", "-", input=lines + "bad\n")
    dump = run_cli("--endpoint-url", moto_server, "dump", "things")

    assert load.returncode == EXIT_REJECTED_LINES, load.stderr
    assert "line 61: not valid JSON" in load.stderr
    assert "Loaded 60 items into 'things' from stdin" in load.stderr
    assert dump.returncode == 0, dump.stderr
    dumped = sorted(
        (json.loads(line, parse_float=Decimal) for line in dump.stdout.splitlines()),
        key=lambda item: int(item["id"].split("-")[1]),
    )
    assert dumped == [{"id": f"item-{n}", "n": Decimal(n) + Decimal("0.5")} for n in range(60)]


def test_progress_is_drawn_when_stderr_is_a_terminal(moto_server: str, tmp_path: Path) -> None:
    connection = Connection(endpoint_url=moto_server)
    Table.create("things", schema=[HashKey("id")], connection=connection)
    source = write_lines(tmp_path / "items.jsonl", [f'{{"id": "{n}"}}' for n in range(200)])
    controller, terminal = pty.openpty()
    # Nothing that tells rich to draw differently from how it draws on a terminal.
    unset = ("NO_COLOR", "TERM", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env.update(COLUMNS="120", TERM="xterm-256color")
    command = ["-m", "dynamodb2", "--endpoint-url", moto_server, "load", "things", str(source)]
    process = subprocess.Popen(
        [sys.executable, *command],
        stderr=terminal,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    os.close(terminal)
    chunks: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                data = os.read(controller, 65536)
            except OSError:  # the terminal closed with the process
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    assert process.wait(timeout=120) == 0
    reader.join(timeout=10)
    os.close(controller)
    shown = b"".join(chunks).decode("utf-8", "replace")

    assert "Loading things" in shown
    assert "200 items" in shown
    assert "ETA" in shown  # the file's size is known
    assert "Loaded 200 items into 'things'" in shown


def test_without_the_cli_extra_it_prints_a_one_line_hint_to_install_it() -> None:
    # click missing, as in an install without the extra.
    code = (
        "import runpy, sys; sys.modules['click'] = None; sys.argv = ['dynamodb2', 'tables']; "
        "runpy.run_module('dynamodb2', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 1
    assert result.stderr == INSTALL_HINT + "\n"
    assert "pip install 'dynamodb2[cli]'" in INSTALL_HINT


def test_importing_dynamodb2_or_its_loader_does_not_need_click_or_rich() -> None:
    code = (
        "import sys; sys.modules['click'] = None; sys.modules['rich'] = None; "
        "import dynamodb2, dynamodb2.cli, dynamodb2.cli.load, dynamodb2.cli.dump; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )

    assert result.stdout == "ok\n", result.stderr


def test_dynamodb2_debug_shows_the_error_itself_for_bug_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DYNAMODB2_DEBUG", "1")

    result = CliRunner().invoke(cli, ["--endpoint-url", "not a url", "tables"])

    assert isinstance(result.exception, ParameterValidationError)


def test_debug_after_the_command_shows_the_error_itself_too() -> None:
    result = CliRunner().invoke(cli, ["tables", "--endpoint-url", "not a url", "--debug"])

    assert isinstance(result.exception, ParameterValidationError)
