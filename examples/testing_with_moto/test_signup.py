"""Testing code that uses dynamodb2 with moto: ``pytest examples/testing_with_moto``.

The fixture sets fake credentials and a region first (so nothing can reach a real
account), then starts ``mock_aws``: every DynamoDB call made inside it, by dynamodb2 or
boto3, is answered by moto in this process. Each test gets a fresh, empty moto.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws
from signup import create_users_table, sign_up

from dynamodb2 import Table


@pytest.fixture
def users(monkeypatch: pytest.MonkeyPatch) -> Iterator[Table]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        yield create_users_table()


def test_sign_up_stores_the_user(users: Table) -> None:
    assert sign_up(users, "ann", "ann@example.com") is True

    assert users.get_item(username="ann")["email"] == "ann@example.com"


def test_sign_up_refuses_a_taken_username_and_keeps_the_first_user(users: Table) -> None:
    sign_up(users, "ann", "ann@example.com")

    assert sign_up(users, "ann", "impostor@example.com") is False
    assert users.get_item(username="ann")["email"] == "ann@example.com"
