"""Inside moto's ``mock_aws`` every call is answered in process: no socket is opened,
no name is resolved."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from moto import mock_aws

from dynamodb2.exceptions import ConnectionFailedError
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.retry import RetryPolicy


class NetworkUsed(OSError):
    """Raised by the patched socket functions."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of reaching the network fail, and record each attempt."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **_kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what.startswith('socket.') else args}")
            raise NetworkUsed(f"{what} called: the network was used")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_the_patch_catches_a_real_request(no_network: list[str]) -> None:
    # Without mock_aws the same connection does try the network (and the patch sees it).
    conn = DynamoDBConnection(
        host="127.0.0.1", port=9, is_secure=False, retry=RetryPolicy(max_attempts=1)
    )

    with pytest.raises(ConnectionFailedError):
        conn.list_tables()

    assert no_network


def test_a_full_round_of_layer1_calls_inside_mock_aws_opens_no_socket(
    no_network: list[str],
) -> None:
    key = {"forum": {"S": "python"}, "subject": {"S": "boto"}}
    with mock_aws():
        conn = DynamoDBConnection(region="us-east-1")
        conn.create_table(
            [
                {"AttributeName": "forum", "AttributeType": "S"},
                {"AttributeName": "subject", "AttributeType": "S"},
            ],
            "messages",
            [
                {"AttributeName": "forum", "KeyType": "HASH"},
                {"AttributeName": "subject", "KeyType": "RANGE"},
            ],
            {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        )
        assert conn.describe_table("messages")["Table"]["TableName"] == "messages"
        assert conn.list_tables()["TableNames"] == ["messages"]

        conn.put_item("messages", {**key, "views": {"N": "1"}})
        assert conn.get_item("messages", key)["Item"]["views"] == {"N": "1"}
        conn.update_item(
            "messages",
            key,
            update_expression="ADD #v :one",
            expression_attribute_names={"#v": "views"},
            expression_attribute_values={":one": {"N": "1"}},
        )
        page = conn.query(
            "messages",
            key_condition_expression="forum = :f",
            expression_attribute_values={":f": {"S": "python"}},
        )
        assert page["Items"][0]["views"] == {"N": "2"}

        other = {"forum": {"S": "python"}, "subject": {"S": "other"}}
        conn.batch_write_item({"messages": [{"PutRequest": {"Item": other}}]})
        got = conn.batch_get_item({"messages": {"Keys": [key, other]}})
        assert len(got["Responses"]["messages"]) == 2
        assert conn.scan("messages")["Count"] == 2

        conn.delete_item("messages", other)
        conn.update_table("messages", {"ReadCapacityUnits": 7, "WriteCapacityUnits": 7})
        conn.delete_table("messages")
        assert conn.list_tables()["TableNames"] == []
        conn.close()

    assert no_network == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: DynamoDBConnection(host="dynamodb.us-east-1.amazonaws.com", port=443),
        lambda: DynamoDBConnection(endpoint_url="https://dynamodb.us-east-1.amazonaws.com:443/"),
        lambda: DynamoDBConnection(region="us-east-1", port=443),
    ],
    ids=["host-port-443", "endpoint-url-443", "region-port-443"],
)
def test_a_default_port_in_the_endpoint_is_dropped_so_mock_aws_answers(
    no_network: list[str], make: Any
) -> None:
    # boto 2 code often says port=443; moto matches the URL without the default port.
    with mock_aws():
        conn = make()
        assert conn.port == 443
        assert ":443" not in conn.connection.endpoint_url
        assert conn.list_tables()["TableNames"] == []
        conn.close()

    assert no_network == []
