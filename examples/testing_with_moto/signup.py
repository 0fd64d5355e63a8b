"""Application code to test: sign a user up, refusing a username that is taken.

Nothing here knows about moto: the tests in ``test_signup.py`` run it against moto's
``mock_aws``, and production runs it against DynamoDB.
"""

from __future__ import annotations

from dynamodb2 import Attr, ConditionalCheckFailedException, HashKey, Table

__all__ = ["create_users_table", "sign_up"]


def create_users_table(name: str = "users") -> Table:
    """The users table, keyed by username."""
    users = Table.create(name, schema=[HashKey("username")], billing_mode="PAY_PER_REQUEST")
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
