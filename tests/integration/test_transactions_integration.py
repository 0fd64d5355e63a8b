"""Transactions against moto (in-process and server); dynalite has no transactions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import cast

import botocore.session
import pytest

import dynamodb2
from dynamodb2.conditions import Attr
from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    ItemNotFound,
    ParameterValidationError,
    TransactionCanceledException,
)
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from dynamodb2.transport import EventEmitter, HttpRequest, HttpResponse, HTTPTransport
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, Backend
from tests.support.fakes import json_response
from tests.support.feature_support import DYNALITE_HAS_NO_TRANSACTIONS, create_table


@pytest.fixture
def backend_with_transactions(backend: Backend) -> Backend:
    if backend.name == "dynalite":
        pytest.skip(DYNALITE_HAS_NO_TRANSACTIONS)
    return backend


@pytest.fixture
def accounts(backend_with_transactions: Backend) -> Table:
    table = create_table(backend_with_transactions, "accounts", [HashKey("id")])
    table.put_item({"id": "alice", "balance": 100})
    table.put_item({"id": "bob", "balance": 0})
    return table


@pytest.fixture
def ledger(backend_with_transactions: Backend) -> Table:
    return create_table(backend_with_transactions, "ledger", [HashKey("entry")])


def balances(accounts: Table) -> dict[str, int]:
    return {item["id"]: int(item["balance"]) for item in accounts.scan()}


def transfer(tx: dynamodb2.Transaction, accounts: Table, ledger: Table, amount: int) -> None:
    tx.update(
        accounts, {"id": "alice"}, add={"balance": -amount}, condition=Attr("balance").gte(amount)
    )
    tx.update(accounts, {"id": "bob"}, add={"balance": amount})
    tx.put(ledger, {"entry": f"t-{amount}", "amount": amount}, Attr("entry").not_exists())


def test_a_transaction_applies_every_action_on_leaving_the_block(
    accounts: Table, ledger: Table
) -> None:
    with dynamodb2.transaction(accounts.connection) as tx:
        transfer(tx, accounts, ledger, 30)
        tx.check(ledger, {"entry": "closed"}, Attr("entry").not_exists())
    assert balances(accounts) == {"alice": 70, "bob": 30}
    assert ledger.get_item(entry="t-30")["amount"] == 30


def test_a_cancelled_transaction_writes_nothing_and_names_the_failing_action(
    accounts: Table, ledger: Table
) -> None:
    tx = dynamodb2.transaction()
    transfer(tx, accounts, ledger, 500)
    with pytest.raises(TransactionCanceledException) as error:
        tx.commit()
    assert balances(accounts) == {"alice": 100, "bob": 0}
    with pytest.raises(ItemNotFound):
        ledger.lookup("t-500")
    codes = [reason.get("Code") for reason in error.value.cancellation_reasons]
    assert codes == ["ConditionalCheckFailed", "None", "None"]
    assert [index for index, _reason in error.value.failed_actions] == [0]
    assert "action 0 (Update on 'accounts'): ConditionalCheckFailed" in str(error.value)


def test_delete_and_check_actions(accounts: Table, ledger: Table) -> None:
    ledger.put_item({"entry": "old"})
    tx = dynamodb2.transaction()
    tx.delete(ledger, {"entry": "old"})
    tx.check(accounts, {"id": "bob"}, Attr("balance").gt(0))
    with pytest.raises(TransactionCanceledException) as error:
        tx.commit()
    assert [index for index, _reason in error.value.failed_actions] == [1]
    assert ledger.lookup("old") is not None
    with dynamodb2.transaction() as tx:
        tx.delete(ledger, {"entry": "old"}, condition=Attr("entry").exists())
        tx.check(accounts, {"id": "bob"}, Attr("balance").gte(0))
    with pytest.raises(ItemNotFound):
        ledger.lookup("old")


def test_nothing_is_written_when_the_block_raises(accounts: Table, ledger: Table) -> None:
    def interrupted() -> None:
        with dynamodb2.transaction() as tx:
            transfer(tx, accounts, ledger, 10)
            raise KeyError("oops")

    with pytest.raises(KeyError):
        interrupted()
    assert balances(accounts) == {"alice": 100, "bob": 0}


def test_a_refused_action_is_left_out_and_the_accepted_ones_still_commit(
    accounts: Table, ledger: Table
) -> None:
    tx = dynamodb2.transaction()
    tx.update(accounts, {"id": "alice"}, add={"balance": -1})
    with pytest.raises(ParameterValidationError, match="same item"):
        tx.update(accounts, {"id": "alice"}, add={"balance": -1})
    tx.commit()  # what was accepted is still sent
    assert balances(accounts) == {"alice": 99, "bob": 0}


def test_a_block_that_raises_on_a_refused_action_sends_nothing(
    accounts: Table, ledger: Table
) -> None:
    def doubled() -> None:
        with dynamodb2.transaction() as tx:
            tx.update(accounts, {"id": "alice"}, add={"balance": -1})
            tx.update(accounts, {"id": "alice"}, add={"balance": -1})

    with pytest.raises(ParameterValidationError, match="same item"):
        doubled()
    assert balances(accounts) == {"alice": 100, "bob": 0}


def test_transact_get_reads_items_in_order(accounts: Table, ledger: Table) -> None:
    ledger.put_item({"entry": "e1", "amount": 5})
    alice, missing, entry = dynamodb2.transact_get(
        accounts.connection,
        [(accounts, {"id": "alice"}), (accounts, {"id": "carol"}), (ledger, {"entry": "e1"})],
    )
    assert alice is not None
    assert alice["balance"] == 100
    assert missing is None
    assert entry is not None
    assert entry["amount"] == 5


def test_transact_get_reports_consumed_capacity(accounts: Table) -> None:
    found = dynamodb2.transact_get(
        None, [(accounts, {"id": "alice"})], return_consumed_capacity="TOTAL"
    )
    assert found.consumed_capacity_units > 0
    assert found.consumed_capacity[0]["TableName"] == "accounts"


class FailFirstAttempt:
    """Answers a transaction's first attempt with HTTP 500, then forwards to the backend."""

    def __init__(self, forward: HTTPTransport) -> None:
        self.forward = forward
        self.sent: list[dict[str, object]] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.operation == "TransactWriteItems":
            self.sent.append(json.loads(request.body))
            if len(self.sent) == 1:
                return json_response({"__type": "InternalServerError", "message": "blip"}, 500)
        return self.forward(request)


@pytest.fixture
def flaky_connection(
    backend_with_transactions: Backend,
) -> Iterator[tuple[Connection, FailFirstAttempt]]:
    session = botocore.session.Session()
    client = session.create_client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=backend_with_transactions.endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    recorder = FailFirstAttempt(HTTPTransport(cast(EventEmitter, client.meta.events)))
    connection = backend_with_transactions.connect(transport=recorder, session=session)
    yield connection, recorder
    connection.close()


def test_a_retried_transaction_carries_the_same_token_and_applies_once(
    accounts: Table, ledger: Table, flaky_connection: tuple[Connection, FailFirstAttempt]
) -> None:
    connection, recorder = flaky_connection
    with dynamodb2.transaction(connection) as tx:
        transfer(tx, accounts, ledger, 25)
    first, retried = recorder.sent
    assert first == retried
    assert first["ClientRequestToken"] == tx.client_request_token
    assert connection.retries == 1
    assert balances(accounts) == {"alice": 75, "bob": 25}
