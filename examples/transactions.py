"""Move money between accounts atomically, with dynamodb2.transaction and transact_get.

    python3 examples/transactions.py

The endpoint is chosen by ``examples/_embedded.py``: ``AWS_ENDPOINT_URL_DYNAMODB`` if set
(DynamoDB Local, a moto server), else real AWS if credentials are configured, else moto
started in this process.

It creates two on-demand tables with a random suffix and deletes them at the end.
"""

from __future__ import annotations

import time
import uuid

import dynamodb2
from _embedded import dynamodb_endpoint
from dynamodb2 import Attr, Connection, HashKey, Table, TransactionCanceledException


def create_table(name: str, key: str, connection: Connection) -> Table:
    table = Table.create(
        name, schema=[HashKey(key)], connection=connection, billing_mode="PAY_PER_REQUEST"
    )
    while table.describe()["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.5)
    return table


def transfer(accounts: Table, ledger: Table, source: str, target: str, amount: int) -> None:
    """Take ``amount`` from one account and give it to another, or do nothing at all."""
    with dynamodb2.transaction() as tx:
        tx.update(
            accounts,
            {"id": source},
            add={"balance": -amount},
            condition=Attr("balance").gte(amount),
        )
        tx.update(accounts, {"id": target}, add={"balance": amount})
        tx.put(
            ledger,
            {"entry": str(uuid.uuid4()), "from": source, "to": target, "amount": amount},
        )
    print(f"transaction {tx.client_request_token}: moved {amount} from {source} to {target}")


def show_balances(accounts: Table) -> None:
    alice, bob = dynamodb2.transact_get(
        None, [(accounts, {"id": "alice"}), (accounts, {"id": "bob"})]
    )
    assert alice is not None
    assert bob is not None
    print(f"balances: alice={alice['balance']} bob={bob['balance']}")


def main() -> None:
    with dynamodb_endpoint() as endpoint, endpoint.connect() as connection:
        run(connection)


def run(connection: Connection) -> None:
    suffix = uuid.uuid4().hex[:8]
    accounts = create_table(f"example-accounts-{suffix}", "id", connection)
    ledger = create_table(f"example-ledger-{suffix}", "entry", connection)
    print(f"created tables {accounts.table_name} and {ledger.table_name}")
    try:
        accounts.put_item({"id": "alice", "balance": 100})
        accounts.put_item({"id": "bob", "balance": 0})
        show_balances(accounts)

        transfer(accounts, ledger, "alice", "bob", 30)
        show_balances(accounts)

        try:
            transfer(accounts, ledger, "alice", "bob", 500)
        except TransactionCanceledException as error:
            for index, reason in error.failed_actions:
                print(f"cancelled: action {index} failed with {reason.get('Code')}")
        show_balances(accounts)
        print(f"ledger entries: {sum(1 for _ in ledger.scan())}")
    finally:
        accounts.delete()
        ledger.delete()
        print("deleted the tables")


if __name__ == "__main__":
    main()
