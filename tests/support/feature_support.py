"""Helpers for the condition, update, transaction and capacity tests.

- :func:`create_table` makes a Table on a backend and waits until it is ACTIVE (dynalite
  answers CreateTable while the table is still CREATING, and refuses item calls until
  it is not).
- :class:`Recorder` is a transport: it keeps every request body and answers with canned
  responses, for unit tests that check what is sent.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from dynamodb2.connection import Connection
from dynamodb2.fields import BaseSchemaField
from dynamodb2.retry import RetryPolicy
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, Backend

#: Transactions need DynamoDB's TransactWriteItems / TransactGetItems.
DYNALITE_HAS_NO_TRANSACTIONS = "dynalite does not implement TransactWriteItems/TransactGetItems"


def create_table(backend: Backend, name: str, schema: Sequence[BaseSchemaField]) -> Table:
    """Create a table on ``backend`` and return it once it is ACTIVE."""
    table = Table.create(name, schema=schema, connection=backend.connect())
    deadline = time.monotonic() + 10
    while table.describe()["Table"].get("TableStatus") != "ACTIVE":
        if time.monotonic() > deadline:
            raise RuntimeError(f"table {name} did not become ACTIVE")
        time.sleep(0.01)
    return table


def json_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    """A response as DynamoDB would send it (with its CRC32 header)."""
    payload = json.dumps(body).encode()
    return HttpResponse(status, {"x-amz-crc32": str(zlib.crc32(payload) & 0xFFFFFFFF)}, payload)


class Recorder:
    """A transport that records request bodies and answers from ``answer(operation, body)``."""

    def __init__(self, answer: Callable[[str, dict[str, Any]], HttpResponse] | None = None) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self._answer = answer or (lambda _operation, _body: json_response({}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        body = json.loads(request.body)
        self.requests.append((request.operation, body))
        return self._answer(request.operation, body)

    def bodies(self, operation: str) -> list[dict[str, Any]]:
        """The bodies of every request for ``operation``."""
        return [body for name, body in self.requests if name == operation]

    def connection(self, **options: Any) -> Connection:
        """A Connection that sends through this recorder, never sleeping between retries."""
        options.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0))
        return Connection(
            region_name=REGION,
            endpoint_url="http://dynamodb.test",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            transport=self,
            sleep=lambda _seconds: None,
            **options,
        )
