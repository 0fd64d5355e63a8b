"""``dynamodb2 create``, ``delete`` and ``tables``: a table's life from the command line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from moto import mock_aws

from dynamodb2 import HashKey, Table
from dynamodb2.cli import _commands
from dynamodb2.cli._app import cli
from dynamodb2.layer1 import DynamoDBConnection


@pytest.fixture(autouse=True)
def moto() -> Iterator[None]:
    with mock_aws():
        yield


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def described(name: str) -> dict[str, object]:
    table: dict[str, object] = DynamoDBConnection().describe_table(name)["Table"]
    return table


def key_schema(name: str) -> list[tuple[str, str, str]]:
    table = DynamoDBConnection().describe_table(name)["Table"]
    types = {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]}
    return [
        (k["AttributeName"], types[k["AttributeName"]], k["KeyType"]) for k in table["KeySchema"]
    ]


def table_names() -> list[str]:
    names: list[str] = DynamoDBConnection().list_tables()["TableNames"]
    return names


# ------------------------------------------------------------------------------ create


def test_create_makes_an_on_demand_table_by_default_and_says_what_it_made() -> None:
    result = invoke("create", "users", "--hash", "username:S", "--wait")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "Created table 'users': key username (string, partition); on-demand; ACTIVE\n"
    )
    assert key_schema("users") == [("username", "S", "HASH")]
    assert described("users")["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}


def test_create_with_a_sort_key_and_provisioned_capacity() -> None:
    result = invoke(
        "create", "events", "--hash", "device", "--range", "at:N", "--read", "3", "--write", "2"
    )

    assert result.exit_code == 0, result.stderr
    assert "key device (string, partition), at (number, sort); provisioned: read 3, write 2" in (
        result.stderr
    )
    assert key_schema("events") == [("device", "S", "HASH"), ("at", "N", "RANGE")]
    throughput = described("events")["ProvisionedThroughput"]
    assert isinstance(throughput, dict)
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (3, 2)


def test_create_takes_binary_keys_and_names_with_a_colon_given_a_type() -> None:
    result = invoke("create", "blobs", "--hash", "a:b:B", "--on-demand")

    assert result.exit_code == 0, result.stderr
    assert key_schema("blobs") == [("a:b", "B", "HASH")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hash", "id:X"], "the key type after ':' must be S (string), N (number) or B"),
        (["--hash", ":S"], "':S' names no attribute"),
        (["--hash", "id", "--on-demand", "--read", "1", "--write", "1"], "--on-demand takes no"),
        (["--hash", "id", "--read", "1"], "give --read and --write together"),
        ([], "Missing option '--hash'"),
    ],
)
def test_create_refuses_a_bad_key_or_billing_as_a_usage_error(
    args: list[str], message: str
) -> None:
    result = invoke("create", "users", *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert table_names() == []


def test_create_of_an_existing_table_says_so_in_one_line() -> None:
    invoke("create", "users", "--hash", "username")

    result = invoke("create", "users", "--hash", "username")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: table 'users' already exists (region us-east-1")
    assert len(result.stderr.splitlines()) == 1


def test_create_refuses_a_name_dynamodb_would_refuse_before_sending() -> None:
    result = invoke("create", "no spaces allowed", "--hash", "id")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "table name" in result.stderr
    assert table_names() == []


# ------------------------------------------------------------------------------ delete


def make_table(name: str = "users") -> Table:
    table = Table.create(name, schema=[HashKey("username")], billing_mode="PAY_PER_REQUEST")
    table.put_item({"username": "ann"})
    return table


def test_delete_with_yes_deletes_the_table_without_asking() -> None:
    make_table()

    result = invoke("delete", "users", "--yes", "--wait")

    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Deleted table 'users'\n"
    assert table_names() == []


def test_delete_without_yes_refuses_when_stdin_is_not_a_terminal() -> None:
    make_table()

    result = invoke("delete", "users", input="y\n")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: not deleting table 'users' without confirmation: stdin is not a terminal "
        "to ask on; give --yes\n"
    )
    assert table_names() == ["users"]


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_delete_on_a_terminal_asks_first_and_deletes_only_on_yes(
    monkeypatch: pytest.MonkeyPatch, answer: str, deleted: bool
) -> None:
    make_table()
    monkeypatch.setattr(_commands, "_stdin_is_terminal", lambda: True)

    result = invoke("delete", "users", input=answer)

    assert "Delete table 'users' and its 1 item (approximate count) (region us-east-1" in (
        result.stderr
    )
    assert "[y/N]" in result.stderr
    assert table_names() == ([] if deleted else ["users"])
    assert result.exit_code == (0 if deleted else 1)


def test_delete_of_a_missing_table_says_where_it_looked() -> None:
    result = invoke("delete", "absent", "--yes")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: table 'absent' not found (region us-east-1")


# ------------------------------------------------------------------------------ tables


def test_tables_says_on_stderr_when_there_are_none() -> None:
    result = invoke("tables")

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "no tables (region us-east-1, endpoint https://dynamodb.us-east-1.amazonaws.com)\n"
    )


def test_tables_with_quiet_prints_nothing_when_there_are_none() -> None:
    result = invoke("-q", "tables")

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("command", ["create", "delete"])
def test_the_new_commands_have_help(command: str) -> None:
    result = invoke(command, "--help")

    assert result.exit_code == 0
    assert "--wait" in result.stdout
