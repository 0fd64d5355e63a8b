"""Helpers for the condition, update, transaction and capacity tests.

- :func:`create_table` makes a Table on a backend and waits until it is ACTIVE (dynalite
  answers CreateTable while the table is still CREATING, and refuses item calls until
  it is not).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from dynamodb2.fields import BaseSchemaField
from dynamodb2.table import Table
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
