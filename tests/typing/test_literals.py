"""The Literal types name exactly DynamoDB's values, and untyped code still gets a clear
error, before anything is sent, for a value outside them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args
from unittest import mock

import botocore.model
import botocore.session
import pytest

from dynamodb2 import capacity, layer1
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transactions import transact_get, transaction

#: Each Literal type, and the enumeration of botocore's DynamoDB model it stands for.
ALIASES = {
    "BillingMode": (layer1.BillingMode, "BillingMode"),
    "TableClass": (layer1.TableClass, "TableClass"),
    "ConditionalOperator": (layer1.ConditionalOperator, "ConditionalOperator"),
    "ReturnValues": (layer1.ReturnValues, "ReturnValue"),
    "ReturnValuesOnConditionCheckFailure": (
        layer1.ReturnValuesOnConditionCheckFailure,
        "ReturnValuesOnConditionCheckFailure",
    ),
    "ReturnItemCollectionMetrics": (
        layer1.ReturnItemCollectionMetrics,
        "ReturnItemCollectionMetrics",
    ),
    "Select": (layer1.Select, "Select"),
    "ReturnConsumedCapacity": (capacity.ReturnConsumedCapacity, "ReturnConsumedCapacity"),
}


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_each_literal_type_is_the_service_models_enumeration(name: str) -> None:
    alias, shape = ALIASES[name]
    model = botocore.session.get_session().get_service_model("dynamodb")
    enumeration = model.shape_for(shape)

    assert isinstance(enumeration, botocore.model.StringShape)
    assert sorted(get_args(alias)) == sorted(enumeration.enum)


def test_reported_capacity_is_every_value_but_none() -> None:
    assert set(get_args(capacity.ReportedCapacity)) == {*capacity.RETURN_CONSUMED_CAPACITY} - {
        "NONE"
    }


def _table() -> tuple[Table, mock.NonCallableMagicMock]:
    connection = mock.create_autospec(DynamoDBConnection, instance=True)
    return Table("users", schema=[HashKey("username")], connection=connection), connection


KEY = {"username": "jane"}


def untyped(value: str) -> Any:
    """``value`` as a program without type annotations passes it (mypy cannot object)."""
    return value


#: Calls an untyped program might make with a value the Literal types refuse.
BAD_CALLS: dict[str, Callable[[Table], Any]] = {
    "update_item return_values": lambda t: t.update_item(
        KEY, add={"n": 1}, return_values=untyped("ALL")
    ),
    "get_item return_consumed_capacity": lambda t: t.get_item(
        username="jane", return_consumed_capacity=untyped("SUM")
    ),
    "put_item return_consumed_capacity": lambda t: t.put_item(
        KEY, return_consumed_capacity=untyped("total")
    ),
    "delete_item return_consumed_capacity": lambda t: t.delete_item(
        username="jane", return_consumed_capacity=untyped("ALL")
    ),
    "delete_item conditional_operator": lambda t: t.delete_item(
        expected={"n__eq": 1}, conditional_operator=untyped("XOR"), username="jane"
    ),
    "query_2 return_consumed_capacity": lambda t: t.query_2(
        username__eq="jane", return_consumed_capacity=untyped("SUM")
    ),
    "query_2 conditional_operator": lambda t: t.query_2(
        username__eq="jane", query_filter={"n__gt": 1}, conditional_operator=untyped("XOR")
    ),
    "scan conditional_operator": lambda t: t.scan(n__gt=1, conditional_operator=untyped("XOR")),
    "scan return_consumed_capacity": lambda t: t.scan(return_consumed_capacity=untyped("SUM")),
    "batch_get return_consumed_capacity": lambda t: t.batch_get(
        [KEY], return_consumed_capacity=untyped("SUM")
    ),
    "batch_write return_consumed_capacity": lambda t: t.batch_write(
        return_consumed_capacity=untyped("SUM")
    ),
    "Item.save return_consumed_capacity": lambda t: Item(t, data=KEY).save(
        return_consumed_capacity=untyped("SUM")
    ),
    "Table.create billing_mode": lambda t: Table.create(
        "things", schema=[HashKey("id")], connection=t.connection, billing_mode=untyped("ON_DEMAND")
    ),
    "Table.create table_class": lambda t: Table.create(
        "things", schema=[HashKey("id")], connection=t.connection, table_class=untyped("INFREQUENT")
    ),
    "Table.update billing_mode": lambda t: t.update(billing_mode=untyped("ON_DEMAND")),
    "transaction return_consumed_capacity": lambda t: transaction(
        t.connection, return_consumed_capacity=untyped("SUM")
    ),
    "transact_get return_consumed_capacity": lambda t: transact_get(
        t.connection, [(t, KEY)], return_consumed_capacity=untyped("SUM")
    ),
}


@pytest.mark.parametrize("call", sorted(BAD_CALLS))
def test_a_value_outside_the_literal_type_is_refused_before_sending(call: str) -> None:
    table, connection = _table()

    parameter = call.rsplit(maxsplit=1)[-1]

    with pytest.raises(ParameterValidationError, match=f"^{parameter} must be"):
        BAD_CALLS[call](table)

    assert connection.method_calls == []
