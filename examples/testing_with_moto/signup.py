"""Application code to test: sign a user up, refusing a username that is taken.

Nothing here knows about moto: the tests in ``test_signup.py`` hand it a connection to
moto, and production hands it one to DynamoDB (``Connection(region_name=...)``).
"""

from __future__ import annotations

from dynamodb2 import Attr, ConditionalCheckFailedException, Connection, HashKey, Table

__all__ = ["create_users_table", "sign_up"]


def create_users_table(connection: Connection, name: str = "users") -> Table:
    """The users table, keyed by username."""
    users = Table.create(
        name,
        schema=[HashKey("username")],
        billing_mode="PAY_PER_REQUEST",
        connection=connection,
    )
    users.wait_until_active(timeout=60)
    return users


def sign_up(users: Table, username: str, email: str) -> bool:
    """Add a user; ``False`` if the username is taken (checked by DynamoDB, atomically)."""
    try:
        users.put_item(
            {"username": username, "email": email, "logins": 0},
            condition=Attr("username").not_exists(),
        )
    except ConditionalCheckFailedException:
        return False
    return True
