"""Client tokens make retried transactions safe: one token per call, the same on every retry.

DynamoDB applies a TransactWriteItems once per ClientRequestToken (for ten minutes): a
retry after a lost response then succeeds without applying the writes again. botocore
fills the token in for its clients; the connection does the same.
"""

from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path
from typing import Any

import botocore
import pytest

from dynamodb2.connection import IDEMPOTENCY_TOKENS
from dynamodb2.exceptions import ConnectionFailedError
from dynamodb2.layer1 import DynamoDBConnection
from tests.support.fakes import ScriptedTransport, connection, json_response

OK = json_response({})


def model_tokens() -> dict[str, str]:
    """Operation -> token member, for every member botocore marks idempotencyToken."""
    path = Path(botocore.__file__).parent / "data/dynamodb/2012-08-10/service-2.json.gz"
    model: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    tokens: dict[str, str] = {}
    for operation, spec in model["operations"].items():
        shape = model["shapes"].get(spec.get("input", {}).get("shape", ""), {})
        for member, member_spec in shape.get("members", {}).items():
            if member_spec.get("idempotencyToken"):
                tokens[operation] = member
    return tokens


def test_every_operation_with_an_idempotency_token_gets_one() -> None:
    # The installed botocore's model may be older than the API this package knows (the
    # lowest-versions session runs the lowest botocore allowed): every token in it is one
    # of ours; ours may name operations newer than it.
    assert model_tokens()
    assert model_tokens().items() <= dict(IDEMPOTENCY_TOKENS).items()


def sent_tokens(transport: ScriptedTransport, field: str = "ClientRequestToken") -> list[Any]:
    return [json.loads(request.body).get(field) for request in transport.http_requests]


def test_a_transaction_without_a_token_gets_a_fresh_one_kept_across_retries() -> None:
    transport = ScriptedTransport(ConnectionFailedError("reset after sending"), OK, OK)
    conn = connection(transport)

    conn.transact_write_items({"TransactItems": []})
    conn.transact_write_items({"TransactItems": []})

    first_try, retry, next_call = sent_tokens(transport)
    assert first_try == retry
    assert next_call != first_try
    assert uuid.UUID(first_try).version == 4


def test_a_token_given_is_sent_as_given() -> None:
    transport = ScriptedTransport(OK)

    DynamoDBConnection(connection=connection(transport)).transact_write_items(
        [{"Delete": {"TableName": "users", "Key": {"id": {"S": "a"}}}}],
        client_request_token="my-token",
    )

    assert sent_tokens(transport) == ["my-token"]


@pytest.mark.parametrize("operation", ["GetItem", "PutItem", "BatchWriteItem", "TransactGetItems"])
def test_other_operations_get_no_token(operation: str) -> None:
    transport = ScriptedTransport(OK)

    connection(transport).call(operation, {"TableName": "users"})

    assert json.loads(transport.last.body) == {"TableName": "users"}
