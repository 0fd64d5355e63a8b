"""The asyncio API reads responses through the same readers as the synchronous one: a
response of the wrong shape raises MalformedResponseError naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dynamodb2.aio import AsyncTable, transact_get
from dynamodb2.exceptions import MalformedResponseError
from dynamodb2.fields import HashKey
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.fakes import async_connection_to

pytestmark = pytest.mark.anyio


def table_answering(operation: str, answer: Any) -> AsyncTable:
    async def transport(request: HttpRequest) -> HttpResponse:
        assert request.operation == operation
        return HttpResponse(200, {}, json.dumps(answer).encode())

    connection = async_connection_to(transport, retry=RetryPolicy(max_attempts=1))
    return AsyncTable("events", schema=[HashKey("id")], connection=connection)


async def test_count_of_a_malformed_item_count_names_the_field() -> None:
    table = table_answering("DescribeTable", {"Table": {"ItemCount": "many"}})

    with pytest.raises(
        MalformedResponseError,
        match=r"field 'Table\.ItemCount' in the response to DescribeTable: is",
    ):
        await table.count()


async def test_describe_of_an_empty_answer_names_the_table_field() -> None:
    table = table_answering("DescribeTable", {})

    with pytest.raises(
        MalformedResponseError, match="field 'Table' in the response to DescribeTable: is missing"
    ):
        await table.describe()


async def test_query_count_of_a_count_that_is_not_a_number_names_the_field() -> None:
    table = table_answering("Query", {"Count": "x"})

    with pytest.raises(
        MalformedResponseError,
        match="field 'Count' in the response to Query: is a string, not a whole number",
    ):
        await table.query_count(id__eq="e")


async def test_transact_get_of_too_few_responses_names_the_field() -> None:
    table = table_answering("TransactGetItems", {"Responses": [{}]})

    with pytest.raises(MalformedResponseError, match="holds 1 entries for the 2 keys"):
        await transact_get(None, [(table, {"id": "a"}), (table, {"id": "b"})])
