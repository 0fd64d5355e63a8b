"""``BatchTable.put_item(..., store_empty=True)``: ``None`` and ``""`` are stored, not dropped."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from tests.support.fakes import fake_connection


def written_items(**put_options: Any) -> list[dict[str, Any]]:
    requests: list[dict[str, Any]] = []

    def store(operation: str, body: dict[str, Any]) -> dict[str, Any]:
        assert operation == "BatchWriteItem"
        requests.extend(body["RequestItems"]["users"])
        return {"UnprocessedItems": {}}

    connection, _fake = fake_connection(store)
    table = Table("users", schema=[HashKey("username")], connection=connection)
    with table.batch_write() as batch:
        batch.put_item({"username": "ann", "note": None, "nick": "", "age": 3}, **put_options)
    return [request["PutRequest"]["Item"] for request in requests]


def test_batch_puts_drop_none_and_empty_strings_by_default_as_boto2_did() -> None:
    assert written_items() == [{"username": {"S": "ann"}, "age": {"N": "3"}}]


def test_store_empty_stores_none_as_null_and_empty_strings_as_given() -> None:
    assert written_items(store_empty=True) == [
        {"username": {"S": "ann"}, "note": {"NULL": True}, "nick": {"S": ""}, "age": {"N": "3"}}
    ]


def test_store_empty_refuses_an_empty_set_which_dynamodb_cannot_store() -> None:
    connection, _fake = fake_connection(lambda _operation, _body: {"UnprocessedItems": {}})
    table = Table("users", schema=[HashKey("username")], connection=connection)

    with table.batch_write() as batch, pytest.raises(ParameterValidationError, match="empty"):
        batch.put_item({"username": "ann", "tags": set()}, store_empty=True)
