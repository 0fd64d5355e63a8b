"""Scrubbing secrets never changes which error is raised, nor mangles ordinary text.

Local servers (moto, DynamoDB Local, dynalite) accept any credentials, and throwaway
ones such as ``AWS_SECRET_ACCESS_KEY=x`` are common. The error class, its code and the
retry decision come from the body as the server sent it; only what is shown is scrubbed,
and only of secrets long enough to be real credentials (16 characters or more: AWS
secret keys have 40, session tokens hundreds, signatures 64), so a one-letter secret
does not turn ``ConditionalCheckFailedException`` into ``ConditionalCheckFailedE<redacted>ception``.
"""

from __future__ import annotations

import json
import pickle
from typing import Final

import pytest

from dynamodb2._redaction import MIN_SECRET_LENGTH, Redactor
from dynamodb2.conditions import Attr
from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    ConditionalCheckFailedException,
    DynamoDBResponseError,
    ProvisionedThroughputExceededException,
    ResourceNotFoundException,
    ThrottlingError,
)
from dynamodb2.fields import HashKey
from dynamodb2.retry import RetryPolicy
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.backends import FAST_RETRY, REGION, Backend, shared_botocore_session
from tests.support.table_support import wait_until_active

#: Throwaway secrets seen with local servers, and ones made of letters of error codes.
SHORT_SECRETS: Final = ("x", "e", "on", "test", "Exception", "fakeSecret")
CONDITION_FAILED: Final = "The conditional request failed"


def error(code: str, message: str, status: int = 400) -> HttpResponse:
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
    return HttpResponse(status, {}, json.dumps(body).encode())


def connection_answering(secret_key: str, *responses: HttpResponse) -> Connection:
    pending = list(responses)

    def answer(_request: HttpRequest) -> HttpResponse:
        return pending.pop(0)

    return Connection(
        region_name=REGION,
        aws_access_key_id="x",
        aws_secret_access_key=secret_key,
        session=shared_botocore_session(),
        transport=answer,
        retry=RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0),
        sleep=lambda _seconds: None,
    )


@pytest.mark.parametrize("secret_key", SHORT_SECRETS)
def test_a_short_secret_key_leaves_the_error_class_code_and_message_alone(secret_key: str) -> None:
    connection = connection_answering(
        secret_key, error("ConditionalCheckFailedException", CONDITION_FAILED)
    )

    with pytest.raises(ConditionalCheckFailedException) as raised:
        connection.call("PutItem", {"TableName": "t", "Item": {"id": {"S": "a"}}})

    assert raised.value.error_code == "ConditionalCheckFailedException"
    assert raised.value.message == CONDITION_FAILED
    assert str(raised.value).startswith("ConditionalCheckFailedException (HTTP 400 ")
    assert str(raised.value).endswith(f"on PutItem: {CONDITION_FAILED}")
    assert "<redacted>" not in repr(raised.value) + repr(pickle.loads(pickle.dumps(raised.value)))


@pytest.mark.parametrize("secret_key", SHORT_SECRETS)
def test_a_short_secret_key_does_not_stop_throttling_from_being_retried(secret_key: str) -> None:
    connection = connection_answering(
        secret_key,
        error("ProvisionedThroughputExceededException", "Rate of requests exceeds"),
        error("ThrottlingException", "Rate exceeded"),
        HttpResponse(200, {}, b'{"TableNames": []}'),
    )

    assert connection.call("ListTables", {}) == {"TableNames": []}
    assert connection.retries == 2


def test_a_secret_quoted_in_the_error_code_does_not_change_the_class_or_code() -> None:
    # Long enough to be scrubbed, and made of an error code: the message quoting it is
    # scrubbed, while the class, the code and the retry decision stay the server's.
    secret_key = "ProvisionedThroughputExceededException/K7MDENG"
    connection = connection_answering(
        secret_key,
        error("ProvisionedThroughputExceededException", f"key {secret_key}"),
        error("ProvisionedThroughputExceededException", f"key {secret_key}"),
        error("ProvisionedThroughputExceededException", f"key {secret_key}"),
    )

    with pytest.raises(ProvisionedThroughputExceededException) as raised:
        connection.call("GetItem", {"TableName": "t", "Key": {"id": {"S": "a"}}})

    assert isinstance(raised.value, ThrottlingError)
    assert connection.retries == 2
    assert raised.value.error_code == "ProvisionedThroughputExceededException"
    assert raised.value.body is not None
    assert raised.value.body["__type"].endswith("#ProvisionedThroughputExceededException")
    assert raised.value.message == "key <redacted>"
    for shown in (str(raised.value), repr(raised.value), repr(pickle.dumps(raised.value))):
        assert secret_key not in shown


def test_an_error_type_given_by_header_is_read_before_scrubbing() -> None:
    secret_key = "x"
    body = b"<html>Not Found: ResourceNotFoundException</html>"
    response = HttpResponse(
        400, {"x-amzn-errortype": "ResourceNotFoundException:http://internal/"}, body
    )
    connection = connection_answering(secret_key, response)

    with pytest.raises(ResourceNotFoundException) as raised:
        connection.call("DescribeTable", {"TableName": "t"})

    assert raised.value.error_code == "ResourceNotFoundException"
    assert raised.value.message == body.decode()


def test_an_unknown_error_code_quoting_a_secret_is_scrubbed() -> None:
    # A code no DynamoDB error has is not a public constant: it is shown scrubbed.
    secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    connection = connection_answering(secret_key, error(f"Echo{secret_key}", "refused"))

    with pytest.raises(DynamoDBResponseError) as raised:
        connection.call("ListTables", {})

    assert type(raised.value) is DynamoDBResponseError
    assert raised.value.error_code == "Echo<redacted>"
    assert secret_key not in str(raised.value) + repr(raised.value)


def test_only_secrets_long_enough_to_be_credentials_are_scrubbed() -> None:
    assert MIN_SECRET_LENGTH == 16
    short = "a" * (MIN_SECRET_LENGTH - 1)
    long = "b" * MIN_SECRET_LENGTH
    redactor = Redactor([short, long, "x", None, ""])

    text = f"xx {short} {long} ConditionalCheckFailedException"
    assert redactor.text(text) == f"xx {short} <redacted> ConditionalCheckFailedException"


def test_a_dummy_secret_key_against_a_real_server_keeps_the_error_classes(
    backend: Backend,
) -> None:
    # As the review found it: the secret key "x", as guides to local servers suggest.
    connection = Connection(
        region_name=REGION,
        endpoint_url=backend.endpoint_url,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        session=shared_botocore_session(),
        retry=FAST_RETRY,
    )
    table = Table.create(
        "short_secret",
        schema=[HashKey("id")],
        billing_mode="PAY_PER_REQUEST",
        connection=connection,
    )
    wait_until_active(table)
    table.put_item({"id": "a"})

    with pytest.raises(ConditionalCheckFailedException) as failed:
        table.put_item({"id": "a"}, condition=Attr("id").not_exists())
    with pytest.raises(ResourceNotFoundException) as missing:
        Table("no_such_table", connection=connection).describe()

    assert failed.value.error_code == "ConditionalCheckFailedException"
    assert missing.value.error_code == "ResourceNotFoundException"
    assert "<redacted>" not in str(failed.value) + str(missing.value)
