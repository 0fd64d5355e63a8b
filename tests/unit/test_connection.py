"""Connection through the transport seam: signing, retries, checksums, error mapping,
configuration and secrets. No network: every test hands the connection a function."""

from __future__ import annotations

import inspect
import json
import logging
import random
import re
import warnings
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest

from dynamodb2 import exceptions
from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    ChecksumMismatchError,
    ConnectionFailedError,
    DynamoDBResponseError,
    InsecureTransportWarning,
    NoCredentialsError,
    ParameterValidationError,
    ReadTimeoutError,
    TransportError,
    TruncatedResponseError,
)
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.fakes import (
    ACCESS_KEY,
    SECRET_KEY,
    SESSION_TOKEN,
    FakeClock,
    ScriptedTransport,
    connection,
    error_response,
    json_response,
)

OK = json_response({"TableNames": ["users"]})

# --------------------------------------------------------------------------- signing


def signed_request(**options: Any) -> HttpRequest:
    transport = ScriptedTransport(OK)
    connection(transport, **options).list_tables({"Limit": 3})
    return transport.last


def test_authorization_is_sigv4_scoped_to_the_region_and_dynamodb() -> None:
    headers = signed_request(region_name="eu-west-1").headers

    authorization = headers["Authorization"]
    match = re.fullmatch(
        r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
        r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[^,]+), "
        r"Signature=(?P<signature>[0-9a-f]{64})",
        authorization,
    )
    assert match is not None, authorization
    assert match["key"] == ACCESS_KEY
    assert (match["region"], match["service"]) == ("eu-west-1", "dynamodb")
    signed = match["signed"].split(";")
    assert {"content-type", "host", "x-amz-date", "x-amz-target"} <= set(signed)
    assert re.fullmatch(r"\d{8}T\d{6}Z", headers["X-Amz-Date"])
    assert headers["X-Amz-Date"].startswith(match["date"])


def test_session_token_is_sent_and_signed_as_x_amz_security_token() -> None:
    headers = signed_request(aws_session_token=SESSION_TOKEN).headers

    assert headers["X-Amz-Security-Token"] == SESSION_TOKEN
    assert "x-amz-security-token" in headers["Authorization"].split("SignedHeaders=")[1]


def test_no_security_token_header_without_a_session_token() -> None:
    headers = signed_request().headers

    assert not any(name.lower() == "x-amz-security-token" for name in headers)


def test_signature_covers_the_body() -> None:
    first = ScriptedTransport(OK)
    second = ScriptedTransport(OK)
    connection(first).list_tables({"Limit": 1})
    connection(second).list_tables({"Limit": 2})

    assert first.last.headers["Authorization"] != second.last.headers["Authorization"]


def test_request_is_a_json_post_to_the_endpoint_root() -> None:
    request = signed_request(endpoint_url="http://localhost:8000")

    assert request.method == "POST"
    assert request.url == "http://localhost:8000/"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert request.headers["User-Agent"].startswith("dynamodb2/")
    assert request.operation == "ListTables"


def _operation_methods() -> list[tuple[str, str]]:
    # Operation methods are the ones documented as "``OperationName``: ...".
    return [
        (name, "".join(part.capitalize() for part in name.split("_")))
        for name, member in inspect.getmembers(Connection, inspect.isfunction)
        if not name.startswith("_") and (member.__doc__ or "").startswith("``")
    ]


def test_the_connection_has_a_method_for_each_operation_the_library_needs() -> None:
    names = {name for name, _ in _operation_methods()}
    boto2_operations = {
        "batch_get_item", "batch_write_item", "create_table", "delete_item", "delete_table",
        "describe_table", "get_item", "list_tables", "put_item", "query", "scan",
        "update_item", "update_table",
    }  # fmt: skip
    modern = {
        "transact_write_items", "transact_get_items", "update_time_to_live",
        "describe_time_to_live", "execute_statement",
    }  # fmt: skip
    assert boto2_operations | modern <= names


@pytest.mark.parametrize(("method", "operation"), _operation_methods())
def test_each_operation_method_sends_its_x_amz_target(method: str, operation: str) -> None:
    transport = ScriptedTransport(json_response({}))
    conn = connection(transport)

    getattr(conn, method)({"TableName": "users"})

    assert transport.last.headers["X-Amz-Target"] == f"DynamoDB_20120810.{operation}"
    assert transport.last.operation == operation


def test_body_is_the_json_given() -> None:
    body = {
        "TableName": "users",
        "Item": {"name": {"S": "Zoë ✓"}, "tags": {"SS": ["a", "b"]}, "n": {"N": "1.5"}},
        "ConditionExpression": "attribute_not_exists(#n)",
        "ExpressionAttributeNames": {"#n": "name"},
    }
    transport = ScriptedTransport(json_response({}))

    connection(transport).put_item(body)

    assert json.loads(transport.last.body) == body


def test_response_body_is_returned_decoded() -> None:
    answer = {"Item": {"id": {"S": "a"}, "n": {"N": "12"}}}

    got = connection(ScriptedTransport(json_response(answer))).get_item({"TableName": "t"})

    assert got == answer


def test_empty_200_body_is_an_empty_dict() -> None:
    assert connection(ScriptedTransport(json_response(b""))).put_item({}) == {}


# --------------------------------------------------------------------------- retries

RETRYABLE: list[tuple[str, Any, type[Exception]]] = [
    (
        "throughput-exceeded",
        error_response("ProvisionedThroughputExceededException", "slow down"),
        exceptions.ProvisionedThroughputExceededException,
    ),
    (
        "throttling",
        error_response("ThrottlingException", "rate exceeded"),
        exceptions.ThrottlingException,
    ),
    (
        "request-limit",
        error_response("RequestLimitExceeded", "account limit"),
        exceptions.RequestLimitExceeded,
    ),
    (
        "http-500",
        error_response("InternalServerError", "oops", status=500),
        exceptions.InternalServerError,
    ),
    (
        "http-503-not-json",
        json_response(b"<html>Service Unavailable</html>", 503),
        exceptions.ServiceUnavailable,
    ),
    ("connection-failed", ConnectionFailedError("connection reset"), ConnectionFailedError),
    ("read-timeout", ReadTimeoutError("no answer"), ReadTimeoutError),
    ("crc-mismatch", json_response({}, headers={"x-amz-crc32": "1"}), ChecksumMismatchError),
    (
        "truncated-body",
        HttpResponse(200, {"content-length": "100"}, b'{"Items": ['),
        TruncatedResponseError,
    ),
    ("invalid-json-on-200", json_response(b'{"Items": [', crc32=False), TruncatedResponseError),
    ("json-array-on-200", json_response(b"[1, 2]"), TruncatedResponseError),
]


@pytest.mark.parametrize(
    "failure", [pytest.param(answer, id=name) for name, answer, _error in RETRYABLE]
)
def test_retryable_failure_is_retried_until_success(failure: Any) -> None:
    transport = ScriptedTransport(failure, failure, OK)
    clock = FakeClock()
    conn = connection(transport, clock=clock)

    assert conn.list_tables({}) == {"TableNames": ["users"]}
    assert transport.calls == 3
    assert len(clock.sleeps) == 2
    assert conn.retries == 2


@pytest.mark.parametrize(
    ("failure", "error"),
    [pytest.param(answer, error, id=name) for name, answer, error in RETRYABLE],
)
def test_persistent_retryable_failure_stops_after_max_attempts(
    failure: Any, error: type[Exception]
) -> None:
    transport = ScriptedTransport(failure)
    clock = FakeClock()
    conn = connection(transport, clock=clock, retry=RetryPolicy(max_attempts=4))

    with pytest.raises(error):
        conn.list_tables({})
    assert transport.calls == 4
    assert len(clock.sleeps) == 3


def test_waits_are_full_jitter_under_exponentially_growing_caps() -> None:
    policy = RetryPolicy(max_attempts=9, base_delay=0.01, max_delay=0.3)
    clock = FakeClock()
    conn = connection(
        ScriptedTransport(error_response("ThrottlingException")), clock=clock, retry=policy
    )

    with pytest.raises(exceptions.ThrottlingException):
        conn.list_tables({})

    caps = [min(0.3, 0.01 * 2 ** (n - 1)) for n in range(1, 9)]
    assert caps == [0.01, 0.02, 0.04, 0.08, 0.16, 0.3, 0.3, 0.3]
    assert len(clock.sleeps) == len(caps)
    for wait, cap in zip(clock.sleeps, caps, strict=True):
        assert 0.0 <= wait <= cap
    # Full jitter draws below the cap; a fixed backoff would sleep exactly the caps.
    assert clock.sleeps != caps


class _FixedDraw(random.Random):
    """A random.Random whose every draw is the same number."""

    def __init__(self, draw: float) -> None:
        super().__init__()
        self.draw = draw

    def random(self) -> float:
        return self.draw


def test_retry_policy_caps_double_per_attempt_up_to_max_delay() -> None:
    policy = RetryPolicy(base_delay=0.05, max_delay=1.0)

    assert [policy.delay_cap(n) for n in range(1, 8)] == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    assert policy.delay_cap(10_000) == 1.0


def test_retry_policy_delay_is_the_draw_times_the_cap() -> None:
    policy = RetryPolicy(base_delay=0.05, max_delay=1.0)

    assert policy.delay(3, _FixedDraw(0.0)) == 0.0
    assert policy.delay(3, _FixedDraw(0.5)) == pytest.approx(0.1)
    assert policy.delay(9, _FixedDraw(0.999)) == pytest.approx(0.999)


@pytest.mark.parametrize(
    "options",
    [{"max_attempts": 0}, {"base_delay": -1.0}, {"max_delay": -0.5}, {"total_timeout": 0.0}],
)
def test_retry_policy_refuses_nonsense(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        RetryPolicy(**options)


def test_last_error_is_raised_with_the_servers_message() -> None:
    transport = ScriptedTransport(
        error_response("ProvisionedThroughputExceededException", "first"),
        error_response("ProvisionedThroughputExceededException", "second"),
        error_response("ProvisionedThroughputExceededException", "third"),
    )
    conn = connection(transport, retry=RetryPolicy(max_attempts=3))

    with pytest.raises(exceptions.ProvisionedThroughputExceededException) as raised:
        conn.query({"TableName": "users"})

    assert raised.value.message == "third"
    assert raised.value.operation == "Query"
    assert "third" in str(raised.value)


def test_total_timeout_stops_retrying_before_the_budget_is_spent() -> None:
    clock = FakeClock()

    def slow_throttle(_request: HttpRequest) -> HttpResponse:
        clock.now += 1.0  # each attempt takes a second
        return error_response("ThrottlingException", "busy")

    policy = RetryPolicy(max_attempts=100, base_delay=1.0, max_delay=1.0, total_timeout=2.5)
    transport = ScriptedTransport(slow_throttle)
    conn = connection(transport, clock=clock, retry=policy)

    with pytest.raises(exceptions.ThrottlingException):
        conn.scan({"TableName": "users"})

    assert 2 <= transport.calls <= 3
    # No wait ran past the budget.
    elapsed = 0.0
    for wait in clock.sleeps:
        elapsed += 1.0 + wait
        assert elapsed <= 2.5


def test_without_total_timeout_the_same_failures_use_every_attempt() -> None:
    clock = FakeClock()
    transport = ScriptedTransport(error_response("ThrottlingException"))
    policy = RetryPolicy(max_attempts=7, base_delay=1.0, max_delay=1.0)

    with pytest.raises(exceptions.ThrottlingException):
        connection(transport, clock=clock, retry=policy).scan({})

    assert transport.calls == 7


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("ValidationException", exceptions.ValidationException),
        ("ConditionalCheckFailedException", exceptions.ConditionalCheckFailedException),
        ("TransactionCanceledException", exceptions.TransactionCanceledException),
        ("ResourceNotFoundException", exceptions.ResourceNotFoundException),
        ("AccessDeniedException", exceptions.AccessDeniedException),
    ],
)
def test_client_errors_are_never_retried(code: str, error: type[Exception]) -> None:
    transport = ScriptedTransport(error_response(code, "no"), OK)
    clock = FakeClock()
    conn = connection(transport, clock=clock)

    with pytest.raises(error):
        conn.put_item({"TableName": "users"})

    assert transport.calls == 1
    assert clock.sleeps == []
    assert conn.retries == 0


def test_failed_tls_handshake_is_not_retried() -> None:
    failure = ConnectionFailedError("certificate verify failed")
    failure.retryable = False
    transport = ScriptedTransport(failure, OK)

    with pytest.raises(ConnectionFailedError):
        connection(transport).list_tables({})

    assert transport.calls == 1


def test_throttle_events_count_every_throttling_error() -> None:
    transport = ScriptedTransport(
        error_response("ProvisionedThroughputExceededException"),
        error_response("ThrottlingException"),
        error_response("InternalServerError", status=500),
        error_response("RequestLimitExceeded"),
        OK,
    )
    conn = connection(transport)

    conn.list_tables({})

    assert conn.throttle_events == 3
    assert conn.retries == 4


# --------------------------------------------------------------------------- checksums


def test_right_crc32_passes() -> None:
    response = json_response({"Count": 1})
    assert "x-amz-crc32" in response.headers

    assert connection(ScriptedTransport(response)).scan({}) == {"Count": 1}


@pytest.mark.parametrize("header", ["12345", "not-a-number"])
def test_wrong_crc32_raises_checksum_mismatch_after_retries(header: str) -> None:
    transport = ScriptedTransport(json_response({"Count": 1}, headers={"x-amz-crc32": header}))

    with pytest.raises(ChecksumMismatchError, match="CRC32"):
        connection(transport, retry=RetryPolicy(max_attempts=3)).scan({})

    assert transport.calls == 3


def test_validate_checksums_false_skips_the_crc32_check() -> None:
    transport = ScriptedTransport(json_response({"Count": 1}, headers={"x-amz-crc32": "12345"}))

    got = connection(transport, validate_checksums=False).scan({})

    assert got == {"Count": 1}
    assert transport.calls == 1


def test_checksum_mismatch_is_a_retryable_transport_error() -> None:
    assert issubclass(ChecksumMismatchError, TransportError)
    assert ChecksumMismatchError("x").retryable


# --------------------------------------------------------------------------- error mapping


def raised_by(response: HttpResponse, operation: str = "GetItem") -> DynamoDBResponseError:
    conn = connection(ScriptedTransport(response), retry=RetryPolicy(max_attempts=1))
    with pytest.raises(DynamoDBResponseError) as raised:
        conn.call(operation, {"TableName": "users"})
    return raised.value


def test_error_is_mapped_by_type_with_namespace_and_carries_every_fact() -> None:
    body = {
        "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
        "message": "Requested resource not found",
    }
    response = json_response(body, 400, headers={"x-amzn-requestid": "ABC123"})

    error = raised_by(response, "DescribeTable")

    assert type(error) is exceptions.ResourceNotFoundException
    assert error.status == 400
    assert error.reason == "Bad Request"
    assert error.body == body
    assert error.error_code == "ResourceNotFoundException"
    assert error.message == "Requested resource not found"
    assert error.operation == "DescribeTable"
    assert error.request_id == "ABC123"


def test_reason_phrase_from_the_response_is_kept() -> None:
    response = json_response(
        {"__type": "ValidationException", "message": "m"}, 400, reason="Custom Reason"
    )

    assert raised_by(response).reason == "Custom Reason"


def test_error_without_type_is_mapped_by_the_x_amzn_errortype_header() -> None:
    response = json_response(
        {"message": "1 validation error detected"},
        400,
        headers={"x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/"},
    )

    error = raised_by(response)

    assert type(error) is exceptions.ValidationException
    assert error.error_code == "ValidationException"
    assert error.message == "1 validation error detected"


def test_capitalised_message_key_is_read() -> None:
    response = json_response({"__type": "ValidationException", "Message": "capital"}, 400)

    assert raised_by(response).message == "capital"


def test_unknown_error_type_gives_the_base_class_with_its_code() -> None:
    response = json_response({"__type": "ns#BrandNewException", "message": "new"}, 400)

    error = raised_by(response)

    assert type(error) is DynamoDBResponseError
    assert error.error_code == "BrandNewException"
    assert error.message == "new"


def test_non_json_4xx_body_becomes_the_message_and_is_not_retried() -> None:
    transport = ScriptedTransport(
        json_response(b"<html>Request Entity Too Large</html>", 413, crc32=False)
    )
    conn = connection(transport)

    with pytest.raises(DynamoDBResponseError) as raised:
        conn.put_item({"TableName": "users"})

    error = raised.value
    assert type(error) is DynamoDBResponseError
    assert error.status == 413
    # The standard phrase of the Python running ("Content Too Large" from 3.13 on).
    assert error.reason == HTTPStatus(413).phrase
    assert "Request Entity Too Large" in error.message
    assert transport.calls == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (500, exceptions.InternalServerError),
        (502, exceptions.InternalServerError),
        (503, exceptions.ServiceUnavailable),
    ],
)
def test_non_json_5xx_body_maps_to_a_server_error(
    status: int, error: type[DynamoDBResponseError]
) -> None:
    raised = raised_by(json_response(b"<html>upstream failed</html>", status, crc32=False))

    assert type(raised) is error
    assert raised.status == status
    assert "upstream failed" in raised.message


def test_error_for_an_empty_5xx_body_still_has_a_code() -> None:
    error = raised_by(HttpResponse(500, {}, b""))

    assert type(error) is exceptions.InternalServerError
    assert error.error_code == "InternalServerError"


# --------------------------------------------------------------------------- configuration


def test_no_credentials_anywhere_raises_no_credentials_error_and_sends_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    transport = ScriptedTransport(OK)
    conn = Connection(transport=transport)

    with pytest.raises(NoCredentialsError):
        conn.list_tables({})
    assert transport.calls == 0


def test_credentials_come_from_the_environment_by_default() -> None:
    transport = ScriptedTransport(OK)

    Connection(transport=transport).list_tables({})

    # conftest's isolated environment sets AWS_ACCESS_KEY_ID.
    assert "Credential=testing-access-key/" in transport.last.headers["Authorization"]


def test_half_an_explicit_key_pair_is_refused() -> None:
    with pytest.raises(ParameterValidationError, match="both"):
        Connection(aws_access_key_id="AKID", transport=ScriptedTransport(OK))


@pytest.mark.parametrize(
    "url", ["localhost:8000", "ftp://localhost:8000", "http://", "dynamodb.local"]
)
def test_endpoint_url_without_http_scheme_or_host_is_refused(url: str) -> None:
    with pytest.raises(ParameterValidationError, match="http"):
        Connection(endpoint_url=url, transport=ScriptedTransport(OK))


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"])
@pytest.mark.parametrize("url", ["localhost:8000", "ftp://localhost:8000", "http://"])
def test_configured_endpoint_url_without_http_scheme_or_host_is_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, url: str
) -> None:
    monkeypatch.setenv(variable, url)

    with pytest.raises(ParameterValidationError, match="endpoint"):
        Connection(transport=ScriptedTransport(OK))


@pytest.mark.parametrize("region", ["bad region!", "us-east-1/x"])
def test_malformed_region_name_is_refused(region: str) -> None:
    with pytest.raises(ParameterValidationError, match="region"):
        Connection(region_name=region, transport=ScriptedTransport(OK))


def test_verify_false_warns_about_insecure_transport() -> None:
    with pytest.warns(InsecureTransportWarning, match="verification is off"):
        conn = Connection(verify=False)
    conn.close()


@pytest.mark.parametrize(
    "endpoint",
    ["http://dynamodb.us-east-1.amazonaws.com", "http://dynamodb.cn-north-1.amazonaws.com.cn"],
)
def test_plain_http_to_an_aws_endpoint_warns(endpoint: str) -> None:
    with pytest.warns(InsecureTransportWarning, match="plain HTTP"):
        conn = Connection(endpoint_url=endpoint)
    conn.close()


@pytest.mark.parametrize(
    "endpoint",
    ["http://localhost:8000", "http://127.0.0.1:4566", "https://dynamodb.us-east-1.amazonaws.com"],
)
def test_a_local_server_over_http_or_aws_over_https_does_not_warn(endpoint: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", InsecureTransportWarning)
        conn = Connection(endpoint_url=endpoint)
    conn.close()


def test_endpoint_url_comes_from_aws_endpoint_url_dynamodb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:1111")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222")
    transport = ScriptedTransport(OK)
    conn = Connection(transport=transport)

    conn.list_tables({})

    assert conn.endpoint_url == "http://localhost:2222"
    assert transport.last.url == "http://localhost:2222/"


def test_endpoint_url_comes_from_aws_endpoint_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localhost:1111")

    assert Connection(transport=ScriptedTransport(OK)).endpoint_url == "http://localhost:1111"


def test_explicit_endpoint_url_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:2222")

    conn = Connection(endpoint_url="http://127.0.0.1:3333", transport=ScriptedTransport(OK))

    assert conn.endpoint_url == "http://127.0.0.1:3333"


def test_region_defaults_to_us_east_1_when_nothing_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)

    conn = Connection(transport=ScriptedTransport(OK))

    assert conn.region_name == "us-east-1"
    assert conn.endpoint_url == "https://dynamodb.us-east-1.amazonaws.com"


def test_region_comes_from_aws_default_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    transport = ScriptedTransport(OK)
    conn = Connection(transport=transport)

    conn.list_tables({})

    assert conn.region_name == "eu-central-1"
    assert conn.endpoint_url == "https://dynamodb.eu-central-1.amazonaws.com"
    assert "/eu-central-1/dynamodb/aws4_request" in transport.last.headers["Authorization"]


def test_named_profile_supplies_region_and_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = ap-southeast-2\n")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[dev]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = profile-secret\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    transport = ScriptedTransport(OK)

    conn = Connection(profile_name="dev", transport=transport)
    conn.list_tables({})

    assert conn.region_name == "ap-southeast-2"
    authorization = transport.last.headers["Authorization"]
    assert "Credential=AKIDFROMPROFILE/" in authorization
    assert "/ap-southeast-2/dynamodb/aws4_request" in authorization


# --------------------------------------------------------------------------- secrets


def test_repr_of_connection_shows_no_secrets() -> None:
    conn = connection(ScriptedTransport(OK), aws_session_token=SESSION_TOKEN)

    text = repr(conn)

    assert SECRET_KEY not in text
    assert SESSION_TOKEN not in text
    assert "us-east-1" in text


def test_repr_of_a_signed_request_shows_no_headers() -> None:
    request = signed_request(aws_session_token=SESSION_TOKEN)

    text = repr(request)

    assert SESSION_TOKEN not in text
    assert "Signature" not in text
    assert request.headers["Authorization"] not in text


def test_debug_logs_hold_no_secret_and_redact_authorization(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    transport = ScriptedTransport(error_response("ThrottlingException", "busy"), OK)
    conn = connection(transport, aws_session_token=SESSION_TOKEN, log_bodies=True)

    conn.list_tables({"Limit": 1})

    messages = [record.getMessage() for record in caplog.records]
    assert any("request headers" in message for message in messages)
    for message in messages:
        assert SECRET_KEY not in message
        assert SESSION_TOKEN not in message
        for request in transport.http_requests:
            assert request.headers["Authorization"] not in message
    ours = [m for m in messages if "request headers" in m]
    assert all("'Authorization': '<redacted>'" in m for m in ours)
    assert all("'X-Amz-Security-Token': '<redacted>'" in m for m in ours)


@pytest.mark.parametrize(
    "code",
    [
        "TransactionInProgressException",
        "ReplicatedWriteConflictException",
        "LimitExceededException",
    ],
)
def test_errors_botocore_retries_for_dynamodb_are_retried_too(code: str) -> None:
    answers = [
        HttpResponse(400, {}, json.dumps({"__type": f"com.amazonaws#{code}"}).encode()),
        HttpResponse(200, {}, b"{}"),
    ]
    sent: list[HttpRequest] = []

    def transport(request: HttpRequest) -> HttpResponse:
        sent.append(request)
        return answers.pop(0)

    conn = Connection(
        transport=transport,
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        sleep=lambda seconds: None,
    )

    assert conn.call("TransactWriteItems", {"TransactItems": []}) == {}
    assert len(sent) == 2
