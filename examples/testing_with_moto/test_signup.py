"""Testing code that uses dynamodb2 with moto: ``pytest examples/testing_with_moto``.

The fixtures come from dynamodb2's pytest plugin, which pytest loads by itself
(``pip install 'dynamodb2[testing]'`` brings moto): ``dynamodb2_connection`` is a
connection answered by moto in this process, fresh and empty for each test, with fake
credentials set, so nothing can reach a real account. ``dynamodb2_server_connection``
is the same over real HTTP, to a moto server; ``dynamodb2_table_factory`` makes tables
for a test and deletes them after it.
"""

from __future__ import annotations

import pytest
from signup import create_users_table, sign_up

from dynamodb2 import Connection, HashKey, Table
from dynamodb2.pytest_plugin import TableFactory


@pytest.fixture
def users(dynamodb2_connection: Connection) -> Table:
    return create_users_table(dynamodb2_connection)


def test_sign_up_stores_the_user(users: Table) -> None:
    assert sign_up(users, "ann", "ann@example.com") is True

    assert users.get_item(username="ann")["email"] == "ann@example.com"


def test_sign_up_refuses_a_taken_username_and_keeps_the_first_user(users: Table) -> None:
    sign_up(users, "ann", "ann@example.com")

    assert sign_up(users, "ann", "impostor@example.com") is False
    assert users.get_item(username="ann")["email"] == "ann@example.com"


def test_sign_up_works_over_real_http_on_a_moto_server(
    dynamodb2_server_connection: Connection,
) -> None:
    users = create_users_table(dynamodb2_server_connection)

    assert sign_up(users, "bob", "bob@example.com") is True
    assert sign_up(users, "bob", "bob@example.org") is False


def test_sign_up_works_on_any_table_keyed_by_username(
    dynamodb2_table_factory: TableFactory,
) -> None:
    members = dynamodb2_table_factory([HashKey("username")], name="members")

    assert sign_up(members, "cy", "cy@example.com") is True
    assert members.get_item(username="cy")["logins"] == 0
