"""Helpers for the condition, update, transaction and capacity tests.

- :func:`create_table` makes a Table on a backend and waits until it is ACTIVE (dynalite
  answers CreateTable while the table is still CREATING, and refuses item calls until
  it is not).
- :func:`json_response` is a canned response for the scripted transport of
  :mod:`tests.support.fakes`, for unit tests that check what is sent.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Sequence
from typing import Any

from dynamodb2.fields import BaseSchemaField
from dynamodb2.table import Table
from dynamodb2.transport import HttpResponse
from tests.support.backends import Backend

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
