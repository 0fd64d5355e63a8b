"""Mistakes mypy --strict must report, each at its line (tests/typing/test_typing.py).

A comment ``# E: <code> <text>`` says the next line must get exactly one error, of that
code, whose message contains the text; no other line may get one. The project's own mypy run
excludes this file (pyproject.toml, ``[tool.mypy] exclude``). Never run: each call is
wrong on purpose.
"""

from __future__ import annotations

from typing import Any

from dynamodb2 import Connection
from dynamodb2.fields import HashKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.results import ResultSet
from dynamodb2.table import Table
from dynamodb2.transactions import transaction


def misspelt_keywords(users: Table) -> None:
    # E: call-arg "consistant"
    users.batch_get(keys=[{"username": "jane"}], consistant=True)
    # E: call-arg "sett"
    users.update_item({"username": "jane"}, sett={"age": 31})
    # E: call-arg "biling_mode"
    Table.create("t", schema=[HashKey("id")], biling_mode="PAY_PER_REQUEST")
    # E: call-arg "return_consumed_capacty"
    users.batch_write(return_consumed_capacty="TOTAL")


def bad_literals(users: Table, connection: Connection) -> None:
    # E: arg-type "return_values"
    users.update_item({"username": "jane"}, set={"age": 31}, return_values="ALL")
    # E: arg-type "return_consumed_capacity"
    users.get_item(username="jane", return_consumed_capacity="SUM")
    # E: call-overload "put_item"
    users.put_item({"username": "jane"}, return_consumed_capacity="total")
    # E: arg-type "return_consumed_capacity"
    transaction(connection, return_consumed_capacity="ALL")
    # E: arg-type "billing_mode"
    Table.create("t", schema=[HashKey("id")], billing_mode="ON_DEMAND")
    # E: arg-type "table_class"
    Table.create("t", schema=[HashKey("id")], table_class="INFREQUENT")
    # E: arg-type "conditional_operator"
    users.scan(conditional_operator="XOR", age__gt=21)
    # E: arg-type "select"
    DynamoDBConnection(connection=connection).query("users", select="ALL")


def wrong_types(users: Table) -> None:
    # E: arg-type "schema"
    Table("users", schema=HashKey("username"))
    # E: arg-type "limit"
    users.query_2(username__eq="jane", limit="10")
    # E: arg-type "reverse"
    users.query_2(username__eq="jane", reverse="yes")
    # E: arg-type "keys"
    users.batch_get(keys="jane")


def results_are_items(users: Table) -> None:
    for item in users.query_2(username__eq="jane"):
        # E: attr-defined "sav"
        item.sav()
    for item in users.batch_get(keys=[{"username": "jane"}]):
        # E: attr-defined "partial_sav"
        item.partial_sav()
    for item in users.parallel_scan(total_segments=4):
        # E: attr-defined "delet"
        item.delet()
    # E: assignment "ResultSet[Item]"
    rows: ResultSet[dict[str, Any]] = users.scan()
    # E: assignment "int"
    total: str = users.query_count(username__eq="jane")
    written = users.put_item({"username": "jane"}, return_consumed_capacity="TOTAL")
    # E: union-attr "consumed_capacity_units"
    print(written.consumed_capacity_units)
    del rows, total
