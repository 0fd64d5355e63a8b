"""``dynamodb2 load`` then ``dynamodb2 dump`` gives back every item, every value exact.

These run on dynalite: moto's Scan serializes each item slowly (about 10 ms for the
items below, so 50,000 would take minutes), while dynalite answers a 50,000-item round
trip in under a minute. Skipped when ``DYNAMODB2_TEST_BACKENDS`` leaves dynalite out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dynamodb2 import HashKey, RangeKey, Table
from dynamodb2.cli._app import cli
from dynamodb2.cli.formats import format_dynamodb, format_plain, parse_dynamodb
from dynamodb2.types import NUMBER
from tests.support.backends import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Backend,
    delete_all_tables,
    selected_backends,
    shared_botocore_session,
)

pytestmark = pytest.mark.skipif(
    "dynalite" not in selected_backends(),
    reason="the round trips run on dynalite, which DYNAMODB2_TEST_BACKENDS leaves out",
)


@pytest.fixture
def dynalite(dynalite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Table]:
    """An empty on-demand table on dynalite; the CLI finds it through the environment."""
    backend = Backend("dynalite", dynalite_url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynalite_url)
    with backend.connect() as cleaner:
        delete_all_tables(cleaner)
        table = Table.create(
            "round_trip",
            schema=[HashKey("pk"), RangeKey("n", data_type=NUMBER)],
            connection=backend.connect(),
            billing_mode="PAY_PER_REQUEST",
        )
        table.wait_until_active(timeout=30)
        yield table
        delete_all_tables(cleaner)


def every_kind_of_value(number: int) -> dict[str, Any]:
    """An item with values that differ per item: each holds big and precise numbers,
    binary, a set and a nested document, plus one more kind of value in turn."""
    item: dict[str, Any] = {
        "pk": f"partition-{number % 97}",
        "n": number,
        "big_int": 10**37 + number,  # 38 digits: DynamoDB's most
        "precise": Decimal(f"0.{number:012d}00000000000000000000000001"),
        "raw": bytes([number % 256, 0, 255]),
        "words": {f"w{number % 5}", "common"},
        "nested": {"map": {"list": [number, "text", None, {"deep": Decimal("1.25")}]}},
    }
    extra = number % 5
    if extra == 0:
        item["numbers"] = {Decimal(number), Decimal("0.5"), Decimal(-(10**37))}
    elif extra == 1:
        item["blobs"] = {bytes([number % 256]), b"\x00\xff"}
    elif extra == 2:
        item["tiny"] = Decimal(f"{number + 1}E-130")
        item["negative"] = -(10**20) - number
    elif extra == 3:
        item["flag"] = number % 2 == 0
        item["nothing"] = None
    else:
        item["empty"] = ""
    return item


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, ["--quiet", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def read_items(path: Path) -> dict[tuple[str, Any], dict[str, Any]]:
    items = (parse_dynamodb(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {(item["pk"], item["n"]): item for item in items}


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.usefixtures("dynalite")
def test_load_then_dump_of_50000_items_in_dynamodb_json_preserves_every_value(
    tmp_path: Path,
) -> None:
    source = tmp_path / "items.jsonl"
    with source.open("w", encoding="utf-8") as lines:
        for number in range(50_000):
            lines.write(format_dynamodb(every_kind_of_value(number)) + "\n")
    dumped = tmp_path / "dumped.jsonl"

    invoke("load", "round_trip", str(source))
    invoke("dump", "--format", "dynamodb", "--segments", "4", "-o", str(dumped), "round_trip")

    original = read_items(source)
    assert len(original) == 50_000
    # Equal as values: Decimal("1.50") == Decimal("1.5"), and DynamoDB stores numbers
    # normalized, so their text may change but never their value.
    assert read_items(dumped) == original


@pytest.mark.integration
@pytest.mark.usefixtures("dynalite")
def test_load_then_dump_in_plain_json_keeps_numbers_and_binary_exact(tmp_path: Path) -> None:
    def plain(number: int) -> dict[str, Any]:
        item = every_kind_of_value(number)
        # Plain JSON has no sets: they come back as lists, so leave them out here.
        return {name: value for name, value in item.items() if not isinstance(value, set)}

    source = tmp_path / "items.jsonl"
    source.write_text("".join(format_plain(plain(n)) + "\n" for n in range(2_000)))
    dumped = tmp_path / "dumped.jsonl"

    invoke("load", "--format", "json", "round_trip", str(source))
    invoke("dump", "--format", "json", "-o", str(dumped), "round_trip")

    def by_key(path: Path) -> dict[tuple[str, Any], Any]:
        items = [json.loads(line, parse_float=Decimal) for line in path.read_text().splitlines()]
        return {(item["pk"], item["n"]): item for item in items}

    assert by_key(dumped) == by_key(source)
    assert len(by_key(dumped)) == 2_000


@pytest.mark.integration
@pytest.mark.parametrize("format", ["dynamodb", "json"])
def test_dump_then_load_keeps_lone_surrogates_another_client_stored(
    dynalite: Table, tmp_path: Path, format: str
) -> None:
    client: Any = shared_botocore_session().create_client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"],
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    # As boto3 writes them: each lone surrogate as its JSON escape.
    stored = {
        "pk": {"S": "k\ud800"},
        "n": {"N": "1"},
        "v\udc00": {"M": {"inner\udbff": {"L": [{"S": "x\udfff"}]}}},
    }
    client.put_item(TableName="round_trip", Item=stored)
    dumped = tmp_path / "dumped.jsonl"

    invoke("dump", "--format", format, "-o", str(dumped), "round_trip")
    assert "\\ud800" in dumped.read_text(encoding="utf-8")
    client.delete_item(TableName="round_trip", Key={"pk": stored["pk"], "n": stored["n"]})
    invoke("load", "--format", format, "round_trip", str(dumped))

    back = client.scan(TableName="round_trip", ConsistentRead=True)["Items"]
    client.close()
    assert back == [stored]
