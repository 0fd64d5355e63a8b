"""``load`` on bad input: it stops after ``--max-errors`` refused lines, hints at the other
format, and leaves the table object it is handed as it was."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from moto import mock_aws

from dynamodb2 import Connection, HashKey, Table
from dynamodb2.cli._app import cli
from dynamodb2.cli._commands import EXIT_REJECTED_LINES
from dynamodb2.cli.load import load_lines
from dynamodb2.exceptions import ResourceNotFoundException


@pytest.fixture(autouse=True)
def moto() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def users() -> Table:
    return Table.create("users", schema=[HashKey("id")], billing_mode="PAY_PER_REQUEST")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def refused_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("line ")]


def stored_ids(table: Table) -> list[str]:
    return sorted(str(item["id"]) for item in table.scan())


# ------------------------------------------------------------------- --max-errors, hints


@pytest.mark.usefixtures("users")
def test_plain_json_read_as_dynamodb_json_stops_after_100_lines_with_a_hint(
    tmp_path: Path,
) -> None:
    source = write_lines(tmp_path / "plain.jsonl", [f'{{"id": "u{n}"}}' for n in range(1000)])

    result = invoke("load", "--format", "dynamodb", "users", str(source))

    assert result.exit_code == 1
    assert len(refused_lines(result)) == 100
    *_, hint, error = result.stderr.splitlines()
    assert hint == (
        "hint: the refused lines look like plain JSON but were read as DynamoDB JSON "
        "(--format dynamodb); try --format json"
    )
    assert error == (
        "Error: stopped at line 100 after 100 refused lines (--max-errors 100); "
        "the 0 items read before it were written"
    )


def test_dynamodb_json_read_as_plain_json_is_refused_by_key_type_with_a_hint(
    tmp_path: Path, users: Table
) -> None:
    lines = [f'{{"id": {{"S": "u{n}"}}, "n": {{"N": "{n}"}}}}' for n in range(3)]
    source = write_lines(tmp_path / "typed.jsonl", lines)

    result = invoke("load", "--format", "json", "users", str(source))

    assert result.exit_code == EXIT_REJECTED_LINES
    assert [line.split(":", 1)[0] for line in refused_lines(result)] == [
        "line 1",
        "line 2",
        "line 3",
    ]
    assert "must be STRING, not a map" in refused_lines(result)[0]
    assert (
        "hint: the refused lines look like DynamoDB JSON but were read as plain JSON "
        "(--format json); try --format dynamodb"
    ) in result.stderr.splitlines()
    assert stored_ids(users) == []


def test_max_errors_stops_the_load_but_writes_the_good_lines_before_it(
    tmp_path: Path, users: Table
) -> None:
    lines = ['{"id": "a"}', "bad", '{"id": "b"}', "bad", '{"id": "c"}', "bad", '{"id": "d"}']
    source = write_lines(tmp_path / "mixed.jsonl", lines)

    result = invoke("load", "--max-errors", "2", "users", str(source))

    assert result.exit_code == 1
    assert [line.split(":", 1)[0] for line in refused_lines(result)] == ["line 2", "line 4"]
    assert "hint:" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Error: stopped at line 4 after 2 refused lines (--max-errors 2); "
        "the 2 items read before it were written"
    )
    assert stored_ids(users) == ["a", "b"]


def test_max_errors_0_never_stops(tmp_path: Path, users: Table) -> None:
    source = write_lines(tmp_path / "bad.jsonl", ["bad"] * 150 + ['{"id": "last"}'])

    result = invoke("load", "--max-errors", "0", "users", str(source))

    assert result.exit_code == EXIT_REJECTED_LINES
    assert len(refused_lines(result)) == 150
    assert stored_ids(users) == ["last"]


def test_a_few_refused_lines_of_the_right_format_get_no_hint(tmp_path: Path, users: Table) -> None:
    source = write_lines(tmp_path / "items.jsonl", ['{"id": "a"}', '{"name": "no key"}'])

    result = invoke("load", "users", str(source))

    assert result.exit_code == EXIT_REJECTED_LINES
    assert "hint:" not in result.stderr
    assert stored_ids(users) == ["a"]


# --------------------------------------------------------------- the caller's table


def test_load_lines_leaves_the_table_it_is_handed_as_it_was(users: Table) -> None:
    handed = Table("users", connection=users.connection)
    dynamizer = handed.dynamizer

    report = load_lines(handed, ['{"id": "a", "yes": true, "none": null, "empty": ""}'])

    assert (report.loaded, report.rejected) == (1, [])
    # Not switched to booleans, not described: the load used a Table of its own.
    assert handed.dynamizer is dynamizer
    assert handed.dynamizer.booleans_as_bool is False
    assert handed.schema is None
    stored = users.get_item(id="a")
    assert dict(stored.items()) == {"id": "a", "yes": True, "none": None, "empty": ""}


def test_load_lines_checks_key_types_from_describe_table_even_with_a_schema_given(
    users: Table,
) -> None:
    # A hand-written schema says nothing of key types; the load asks DynamoDB, so a key
    # of the wrong type is refused with its line number instead of failing a batch.
    handed = Table("users", schema=[HashKey("id")], connection=users.connection)

    report = load_lines(handed, ['{"id": 5}', '{"id": "ok"}'])

    assert [(r.line_number, r.reason) for r in report.rejected] == [
        (1, "attribute 'id': key attribute of table 'users' must be STRING, not NUMBER")
    ]
    assert stored_ids(users) == ["ok"]


def test_load_lines_into_a_missing_table_fails_before_reading_a_line() -> None:
    read: list[str] = []

    def lines() -> Iterator[str]:
        read.append("first")
        yield '{"id": "a"}'

    with pytest.raises(ResourceNotFoundException):
        load_lines(Table("absent", connection=Connection()), lines())
    assert read == []


@pytest.mark.usefixtures("users")
def test_load_lines_refuses_a_max_errors_below_one() -> None:
    with pytest.raises(ValueError, match="max_errors must be at least 1"):
        load_lines(Table("users"), [], max_errors=0)
