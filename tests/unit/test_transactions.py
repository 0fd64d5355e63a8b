"""Transactions as sent: one request, a stable token, limits checked, failures explained."""

from __future__ import annotations

import pickle
import uuid
from typing import Any

import pytest

import dynamodb2
from dynamodb2.conditions import Attr
from dynamodb2.exceptions import (
    DynamoDBError,
    ParameterValidationError,
    TransactionCanceledException,
)
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transport import HttpResponse
from tests.support.fakes import ScriptedTransport, json_response, quiet_connection

CANCELLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
    "message": "Transaction cancelled, please refer cancellation reasons for specific reasons",
    "CancellationReasons": [
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
    ],
}


def tables(recorder: ScriptedTransport) -> tuple[Table, Table]:
    connection = quiet_connection(recorder)
    accounts = Table("accounts", schema=[HashKey("id")], connection=connection)
    events = Table("events", schema=[HashKey("user"), RangeKey("at")], connection=connection)
    return accounts, events


def test_actions_are_sent_as_one_request_on_leaving_the_block() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, events = tables(recorder)
    with dynamodb2.transaction(quiet_connection(recorder)) as tx:
        tx.put(events, {"user": "jo", "at": "1", "n": 2}, condition=Attr("user").not_exists())
        tx.update(accounts, {"id": "jo"}, add={"balance": -10}, condition=Attr("balance").gte(10))
        tx.delete(events, {"user": "jo", "at": "0"})
        tx.check(accounts, {"id": "bo"}, Attr("open").eq(True))
        assert recorder.requests == []
    (body,) = recorder.bodies("TransactWriteItems")
    assert body["TransactItems"] == [
        {
            "Put": {
                "TableName": "events",
                "Item": {"user": {"S": "jo"}, "at": {"S": "1"}, "n": {"N": "2"}},
                "ConditionExpression": "attribute_not_exists(#n0)",
                "ExpressionAttributeNames": {"#n0": "user"},
            }
        },
        {
            "Update": {
                "TableName": "accounts",
                "Key": {"id": {"S": "jo"}},
                "UpdateExpression": "ADD #n0 :v0",
                "ConditionExpression": "#n0 >= :v1",
                "ExpressionAttributeNames": {"#n0": "balance"},
                "ExpressionAttributeValues": {":v0": {"N": "-10"}, ":v1": {"N": "10"}},
            }
        },
        {"Delete": {"TableName": "events", "Key": {"user": {"S": "jo"}, "at": {"S": "0"}}}},
        {
            "ConditionCheck": {
                "TableName": "accounts",
                "Key": {"id": {"S": "bo"}},
                "ConditionExpression": "#n0 = :v0",
                "ExpressionAttributeNames": {"#n0": "open"},
                # The table's boto 2 dynamizer stores booleans as numbers.
                "ExpressionAttributeValues": {":v0": {"N": "1"}},
            }
        },
    ]
    assert uuid.UUID(body["ClientRequestToken"]).version == 4
    assert "ReturnConsumedCapacity" not in body


def test_nothing_is_sent_when_the_block_raises() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, _events = tables(recorder)
    tx = dynamodb2.transaction()

    def change_mind() -> None:
        with tx:
            tx.put(accounts, {"id": "jo"})
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        change_mind()
    assert recorder.requests == []
    with pytest.raises(DynamoDBError, match="abandoned"):
        tx.put(accounts, {"id": "bo"})


def test_retries_resend_the_same_client_request_token() -> None:
    answers = iter(
        [
            json_response({"__type": "InternalServerError", "message": "try again"}, 500),
            json_response({"__type": "ThrottlingException", "message": "slow down"}, 400),
            json_response({}),
        ]
    )
    recorder = ScriptedTransport.answering(lambda _operation, _body: next(answers))
    accounts, _events = tables(recorder)
    with dynamodb2.transaction() as tx:
        tx.update(accounts, {"id": "jo"}, add={"balance": 1})
    first, second, third = recorder.bodies("TransactWriteItems")
    assert first == second == third
    assert first["ClientRequestToken"] == tx.client_request_token


def test_each_transaction_gets_its_own_token_unless_one_is_given() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, _events = tables(recorder)
    for token in (None, None, "resend-of-t1"):
        with dynamodb2.transaction(client_request_token=token) as tx:
            tx.put(accounts, {"id": "jo"})
    tokens = [body["ClientRequestToken"] for body in recorder.bodies("TransactWriteItems")]
    assert len(set(tokens[:2])) == 2
    assert tokens[2] == "resend-of-t1"


@pytest.mark.parametrize("kind", ["connection", "layer1", "omitted"])
def test_the_connection_may_be_a_connection_a_layer1_or_the_first_tables(kind: str) -> None:
    table_recorder, given_recorder = (
        ScriptedTransport(json_response({})),
        ScriptedTransport(json_response({})),
    )
    accounts, _events = tables(table_recorder)
    connection: Any = {
        "connection": quiet_connection(given_recorder),
        "layer1": DynamoDBConnection(connection=quiet_connection(given_recorder)),
        "omitted": None,
    }[kind]
    with dynamodb2.transaction(connection) as tx:
        tx.put(accounts, {"id": "jo"})
    used = table_recorder if kind == "omitted" else given_recorder
    assert len(used.bodies("TransactWriteItems")) == 1
    assert len(table_recorder.requests) + len(given_recorder.requests) == 1


def test_two_actions_on_one_item_are_refused_naming_both() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, events = tables(recorder)
    tx = dynamodb2.transaction()
    tx.put(events, {"user": "jo", "at": "1"})
    tx.put(events, {"user": "jo", "at": "2"})
    tx.put(accounts, {"id": "1"})  # same key values, another table: another item
    with pytest.raises(ParameterValidationError) as error:
        tx.check(events, {"user": "jo", "at": "1"}, Attr("n").exists())
    assert "action 3 (ConditionCheck on 'events'" in str(error.value)
    assert "same item as action 0 (Put on 'events')" in str(error.value)


def test_numbers_that_are_equal_are_the_same_item() -> None:
    recorder = ScriptedTransport(json_response({}))
    counters = Table(
        "counters", schema=[HashKey("n", data_type="N")], connection=quiet_connection(recorder)
    )
    tx = dynamodb2.transaction()
    tx.update(counters, {"n": 1}, add={"hits": 1})
    with pytest.raises(ParameterValidationError, match="same item"):
        tx.delete(counters, {"n": 1.0})


def test_more_than_a_hundred_actions_are_refused() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, _events = tables(recorder)
    tx = dynamodb2.transaction()
    for number in range(100):
        tx.put(accounts, {"id": str(number)})
    with pytest.raises(ParameterValidationError, match="at most 100 actions"):
        tx.put(accounts, {"id": "100"})
    assert len(tx) == 100


def test_more_than_four_megabytes_of_items_are_refused() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, _events = tables(recorder)
    tx = dynamodb2.transaction()
    for number in range(10):
        tx.put(accounts, {"id": str(number), "blob": "x" * 400_000})
    with pytest.raises(ParameterValidationError, match=r"action 10 \(Put on 'accounts'\).*4 MB"):
        tx.put(accounts, {"id": "10", "blob": "x" * 200_000})


def test_keys_are_checked_by_each_tables_rules_when_added() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, events = tables(recorder)
    tx = dynamodb2.transaction()
    with pytest.raises(ParameterValidationError, match="missing key attribute"):
        tx.delete(events, {"user": "jo"})
    with pytest.raises(ParameterValidationError, match="not a key attribute"):
        tx.check(accounts, {"id": "jo", "extra": 1}, Attr("a").exists())
    with pytest.raises(ParameterValidationError, match="key attribute 'id'"):
        tx.update(accounts, {"id": "jo"}, set={"id": "bo"})
    with pytest.raises(ParameterValidationError, match="check needs a condition"):
        tx.check(accounts, {"id": "jo"}, None)  # type: ignore[arg-type]
    assert len(tx) == 0


def test_a_cancelled_transaction_says_which_action_failed_and_why() -> None:
    recorder = ScriptedTransport.answering(lambda _operation, _body: json_response(CANCELLED, 400))
    accounts, events = tables(recorder)
    tx = dynamodb2.transaction()
    tx.put(events, {"user": "jo", "at": "1"})
    tx.update(accounts, {"id": "jo"}, add={"balance": -10}, condition=Attr("balance").gte(10))
    with pytest.raises(TransactionCanceledException) as error:
        tx.commit()
    cancelled = error.value
    assert cancelled.failed_actions == [(1, CANCELLED["CancellationReasons"][1])]
    assert cancelled.actions is not None
    assert cancelled.actions[1] == {
        "index": 1,
        "operation": "Update",
        "table": "accounts",
        "key": {"id": "jo"},
    }
    assert "action 1 (Update on 'accounts'): ConditionalCheckFailed" in str(cancelled)
    assert "(The conditional request failed)" in str(cancelled)
    assert "action 0" not in str(cancelled)
    assert str(pickle.loads(pickle.dumps(cancelled))) == str(cancelled)
    with pytest.raises(DynamoDBError, match="failed"):
        tx.commit()


def test_commit_can_be_called_explicitly_once() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, _events = tables(recorder)
    tx = dynamodb2.transaction()
    tx.put(accounts, {"id": "jo"})
    tx.commit()
    with pytest.raises(DynamoDBError, match="committed"):
        tx.commit()
    with pytest.raises(DynamoDBError, match="committed"):
        tx.put(accounts, {"id": "bo"})
    assert len(recorder.bodies("TransactWriteItems")) == 1


def test_an_empty_transaction_sends_nothing() -> None:
    recorder = ScriptedTransport(json_response({}))
    with dynamodb2.transaction(quiet_connection(recorder)):
        pass
    assert recorder.requests == []


def test_consumed_capacity_is_asked_for_and_kept_on_the_transaction() -> None:
    capacity = [{"TableName": "accounts", "CapacityUnits": 4.0}]
    recorder = ScriptedTransport.answering(
        lambda _operation, _body: json_response({"ConsumedCapacity": capacity})
    )
    accounts, _events = tables(recorder)
    with dynamodb2.transaction(return_consumed_capacity="TOTAL") as tx:
        tx.put(accounts, {"id": "jo"})
    assert recorder.bodies("TransactWriteItems")[0]["ReturnConsumedCapacity"] == "TOTAL"
    assert tx.consumed_capacity == capacity
    assert tx.consumed_capacity_units == 4.0


def test_transact_get_returns_items_in_order_with_none_for_missing() -> None:
    def answer(_operation: str, _body: dict[str, Any]) -> HttpResponse:
        return json_response(
            {
                "Responses": [{"Item": {"id": {"S": "jo"}, "balance": {"N": "5"}}}, {}],
                "ConsumedCapacity": [{"TableName": "accounts", "CapacityUnits": 4.0}],
            }
        )

    recorder = ScriptedTransport.answering(answer)
    accounts, events = tables(recorder)
    found = dynamodb2.transact_get(
        None,
        [(accounts, {"id": "jo"}), (events, {"user": "jo", "at": "1"})],
        return_consumed_capacity="TOTAL",
    )
    assert isinstance(found, list)
    first, second = found
    assert first is not None
    assert first["balance"] == 5
    assert first.table is accounts
    assert second is None
    assert found.consumed_capacity_units == 4.0
    (body,) = recorder.bodies("TransactGetItems")
    assert body == {
        "TransactItems": [
            {"Get": {"TableName": "accounts", "Key": {"id": {"S": "jo"}}}},
            {"Get": {"TableName": "events", "Key": {"user": {"S": "jo"}, "at": {"S": "1"}}}},
        ],
        "ReturnConsumedCapacity": "TOTAL",
    }


def test_transact_get_refuses_too_many_duplicate_or_no_keys() -> None:
    recorder = ScriptedTransport(json_response({}))
    accounts, _events = tables(recorder)
    with pytest.raises(ParameterValidationError, match="at most 100"):
        dynamodb2.transact_get(None, [(accounts, {"id": str(n)}) for n in range(101)])
    with pytest.raises(ParameterValidationError, match="keys 0 and 1 are the same item"):
        dynamodb2.transact_get(None, [(accounts, {"id": "a"}), (accounts, {"id": "a"})])
    with pytest.raises(ParameterValidationError, match="at least one"):
        dynamodb2.transact_get(None, [])
    assert recorder.requests == []
