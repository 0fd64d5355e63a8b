"""Transactions against moto (in-process and server), through dynamodb2.aio: the port of
tests/test_transactions_integration.py; dynalite has no transactions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from dynamodb2.aio import (
    AsyncConnection,
    AsyncHTTPTransport,
    AsyncTable,
    AsyncTransaction,
    transact_get,
    transaction,
)
from dynamodb2.conditions import Attr
from dynamodb2.exceptions import (
    ItemNotFound,
    ParameterValidationError,
    TransactionCanceledException,
)
from dynamodb2.fields import HashKey
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.aio.conftest import async_connection
from tests.aio.support import create_async_table
from tests.support.backends import Backend
from tests.support.fakes import json_response
from tests.support.feature_support import DYNALITE_HAS_NO_TRANSACTIONS

pytestmark = pytest.mark.anyio


@pytest.fixture
def backend_with_transactions(backend: Backend) -> Backend:
    if backend.name == "dynalite":
        pytest.skip(DYNALITE_HAS_NO_TRANSACTIONS)
    return backend


@pytest.fixture
async def accounts(backend_with_transactions: Backend, aconn: AsyncConnection) -> AsyncTable:
    table = await create_async_table(aconn, "accounts", [HashKey("id")])
    await table.put_item({"id": "alice", "balance": 100})
    await table.put_item({"id": "bob", "balance": 0})
    return table


@pytest.fixture
async def ledger(backend_with_transactions: Backend, aconn: AsyncConnection) -> AsyncTable:
    return await create_async_table(aconn, "ledger", [HashKey("entry")])


async def balances(accounts: AsyncTable) -> dict[str, int]:
    return {item["id"]: int(item["balance"]) async for item in accounts.scan()}


def transfer(tx: AsyncTransaction, accounts: AsyncTable, ledger: AsyncTable, amount: int) -> None:
    tx.update(
        accounts, {"id": "alice"}, add={"balance": -amount}, condition=Attr("balance").gte(amount)
    )
    tx.update(accounts, {"id": "bob"}, add={"balance": amount})
    tx.put(ledger, {"entry": f"t-{amount}", "amount": amount}, Attr("entry").not_exists())


async def test_a_transaction_applies_every_action_on_leaving_the_block(
    accounts: AsyncTable, ledger: AsyncTable
) -> None:
    async with transaction(accounts.connection) as tx:
        transfer(tx, accounts, ledger, 30)
        tx.check(ledger, {"entry": "closed"}, Attr("entry").not_exists())
    assert await balances(accounts) == {"alice": 70, "bob": 30}
    assert (await ledger.get_item(entry="t-30"))["amount"] == 30


async def test_a_cancelled_transaction_writes_nothing_and_names_the_failing_action(
    accounts: AsyncTable, ledger: AsyncTable
) -> None:
    tx = transaction()
    transfer(tx, accounts, ledger, 500)
    with pytest.raises(TransactionCanceledException) as error:
        await tx.commit()
    assert await balances(accounts) == {"alice": 100, "bob": 0}
    with pytest.raises(ItemNotFound):
        await ledger.lookup("t-500")
    codes = [reason.get("Code") for reason in error.value.cancellation_reasons]
    assert codes == ["ConditionalCheckFailed", "None", "None"]
    assert [index for index, _reason in error.value.failed_actions] == [0]
    assert "action 0 (Update on 'accounts'): ConditionalCheckFailed" in str(error.value)


async def test_delete_and_check_actions(accounts: AsyncTable, ledger: AsyncTable) -> None:
    await ledger.put_item({"entry": "old"})
    tx = transaction()
    tx.delete(ledger, {"entry": "old"})
    tx.check(accounts, {"id": "bob"}, Attr("balance").gt(0))
    with pytest.raises(TransactionCanceledException) as error:
        await tx.commit()
    assert [index for index, _reason in error.value.failed_actions] == [1]
    assert await ledger.lookup("old") is not None
    async with transaction() as tx:
        tx.delete(ledger, {"entry": "old"}, condition=Attr("entry").exists())
        tx.check(accounts, {"id": "bob"}, Attr("balance").gte(0))
    with pytest.raises(ItemNotFound):
        await ledger.lookup("old")


async def test_nothing_is_written_when_the_block_raises(
    accounts: AsyncTable, ledger: AsyncTable
) -> None:
    async def interrupted() -> None:
        async with transaction() as tx:
            transfer(tx, accounts, ledger, 10)
            raise KeyError("oops")

    with pytest.raises(KeyError):
        await interrupted()
    assert await balances(accounts) == {"alice": 100, "bob": 0}


async def test_a_refused_action_is_left_out_and_the_accepted_ones_still_commit(
    accounts: AsyncTable, ledger: AsyncTable
) -> None:
    tx = transaction()
    tx.update(accounts, {"id": "alice"}, add={"balance": -1})
    with pytest.raises(ParameterValidationError, match="same item"):
        tx.update(accounts, {"id": "alice"}, add={"balance": -1})
    await tx.commit()  # what was accepted is still sent
    assert await balances(accounts) == {"alice": 99, "bob": 0}


async def test_a_block_that_raises_on_a_refused_action_sends_nothing(
    accounts: AsyncTable, ledger: AsyncTable
) -> None:
    async def doubled() -> None:
        async with transaction() as tx:
            tx.update(accounts, {"id": "alice"}, add={"balance": -1})
            tx.update(accounts, {"id": "alice"}, add={"balance": -1})

    with pytest.raises(ParameterValidationError, match="same item"):
        await doubled()
    assert await balances(accounts) == {"alice": 100, "bob": 0}


async def test_transact_get_reads_items_in_order(accounts: AsyncTable, ledger: AsyncTable) -> None:
    await ledger.put_item({"entry": "e1", "amount": 5})
    alice, missing, entry = await transact_get(
        accounts.connection,
        [(accounts, {"id": "alice"}), (accounts, {"id": "carol"}), (ledger, {"entry": "e1"})],
    )
    assert alice is not None
    assert alice["balance"] == 100
    assert missing is None
    assert entry is not None
    assert entry["amount"] == 5


async def test_transact_get_reports_consumed_capacity(accounts: AsyncTable) -> None:
    found = await transact_get(
        None, [(accounts, {"id": "alice"})], return_consumed_capacity="TOTAL"
    )
    assert found.consumed_capacity_units > 0
    assert found.consumed_capacity[0]["TableName"] == "accounts"


class FailFirstAttempt:
    """Answers a transaction's first attempt with HTTP 500, then forwards to the backend."""

    def __init__(self, forward: AsyncHTTPTransport) -> None:
        self.forward = forward
        self.sent: list[dict[str, object]] = []

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.operation == "TransactWriteItems":
            self.sent.append(json.loads(request.body))
            if len(self.sent) == 1:
                return json_response({"__type": "InternalServerError", "message": "blip"}, 500)
        return await self.forward(request)

    async def close(self) -> None:
        await self.forward.close()


@pytest.fixture
async def flaky_connection(
    backend_with_transactions: Backend,
) -> AsyncIterator[tuple[AsyncConnection, FailFirstAttempt]]:
    probe = async_connection(backend_with_transactions)
    recorder = FailFirstAttempt(AsyncHTTPTransport(probe.events))
    async with async_connection(backend_with_transactions, transport=recorder) as connection:
        yield connection, recorder


async def test_a_retried_transaction_carries_the_same_token_and_applies_once(
    accounts: AsyncTable,
    ledger: AsyncTable,
    flaky_connection: tuple[AsyncConnection, FailFirstAttempt],
) -> None:
    connection, recorder = flaky_connection
    async with transaction(connection) as tx:
        transfer(tx, accounts, ledger, 25)
    first, retried = recorder.sent
    assert first == retried
    assert first["ClientRequestToken"] == tx.client_request_token
    assert connection.retries == 1
    assert await balances(accounts) == {"alice": 75, "bob": 25}
