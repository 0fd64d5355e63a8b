"""DynamoDBConnection as boto 2 users built and called it: constructor keywords,
attributes, positional order, and the refusals that send nothing. No network."""

from __future__ import annotations

import base64
import inspect
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final, cast

import botocore.config
import botocore.session
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HTTPHeaders
from botocore.hooks import HierarchicalEmitter

import dynamodb2
from dynamodb2 import layer1
from dynamodb2.exceptions import (
    InsecureTransportWarning,
    ParameterValidationError,
)
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.regioninfo import RegionInfo
from dynamodb2.retry import RetryPolicy
from tests.support.fakes import ScriptedTransport, connection, error_response, json_response

KEYS: Final[dict[str, Any]] = {
    "aws_access_key_id": "AKIDLAYER1",
    "aws_secret_access_key": "layer1-secret",
}


# --------------------------------------------------------------------------- helpers


class _Raw:
    """The raw stream botocore's AWSResponse reads its content from."""

    reason = "OK"

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_options: Any) -> Iterator[bytes]:
        yield self._body


class Answerer:
    """Answers every request a DynamoDBConnection sends, through botocore's public
    ``before-send`` event (the hook moto and botocore's Stubber use): the connection's
    real transport runs, but nothing leaves the process."""

    def __init__(
        self, conn: DynamoDBConnection, body: bytes = b'{"TableNames": []}', status: int = 200
    ) -> None:
        self.body = body
        self.status = status
        self.sent: list[AWSPreparedRequest] = []
        events = cast(HierarchicalEmitter, conn.connection.events)
        # botocore-stubs type handlers as returning None; a before-send handler returns
        # the response to use instead of sending.
        events.register("before-send.dynamodb", self._answer)  # type: ignore[arg-type]

    def _answer(self, request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse:
        self.sent.append(request)
        headers = HTTPHeaders.from_dict({"content-length": str(len(self.body))})
        return AWSResponse(request.url, self.status, headers, _Raw(self.body))

    def header(self, name: str) -> str:
        value = self.sent[-1].headers[name]
        return value.decode() if isinstance(value, bytes) else str(value)


def scripted(*answers: Any) -> tuple[DynamoDBConnection, ScriptedTransport]:
    transport = ScriptedTransport(*answers) if answers else ScriptedTransport(json_response({}))
    return DynamoDBConnection(connection=connection(transport)), transport


# --------------------------------------------------------------------------- constructor


def test_host_port_and_is_secure_false_build_an_http_endpoint() -> None:
    conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False, **KEYS)
    answer = Answerer(conn)

    conn.list_tables()

    assert conn.connection.endpoint_url == "http://localhost:8000"
    assert answer.sent[-1].url == "http://localhost:8000/"
    assert (conn.host, conn.port, conn.is_secure) == ("localhost", 8000, False)


@pytest.mark.parametrize(
    ("options", "url"),
    [
        ({"port": 8000, "is_secure": False}, "http://dynamodb.us-west-2.amazonaws.com:8000"),
        ({"is_secure": False}, "http://dynamodb.us-west-2.amazonaws.com"),
        ({"port": 8443}, "https://dynamodb.us-west-2.amazonaws.com:8443"),
        ({}, "https://dynamodb.us-west-2.amazonaws.com"),
    ],
)
# Plain HTTP to AWS warns: test_is_secure_false_to_a_region_warns_about_plain_http.
@pytest.mark.filterwarnings("ignore::dynamodb2.exceptions.InsecureTransportWarning")
def test_port_and_is_secure_apply_to_the_regions_endpoint_without_a_host(
    options: dict[str, Any], url: str
) -> None:
    conn = DynamoDBConnection(region="us-west-2", **options, **KEYS)

    assert conn.connection.endpoint_url == url
    assert conn.is_secure is url.startswith("https:")
    assert conn.host == "dynamodb.us-west-2.amazonaws.com"


def test_host_without_port_uses_the_schemes_default_port() -> None:
    secure = DynamoDBConnection(host="dynamodb.local", **KEYS)
    plain = DynamoDBConnection(host="dynamodb.local", is_secure=False, **KEYS)

    assert (secure.connection.endpoint_url, secure.port) == ("https://dynamodb.local", 443)
    assert (plain.connection.endpoint_url, plain.port) == ("http://dynamodb.local", 80)


def test_ipv6_host_keeps_its_brackets_and_port() -> None:
    conn = DynamoDBConnection(host="[::1]", port=8000, is_secure=False, **KEYS)

    assert conn.connection.endpoint_url == "http://[::1]:8000"
    assert (conn.host, conn.port) == ("[::1]", 8000)


def test_host_given_as_url_with_its_own_port_does_not_get_a_second_one() -> None:
    conn = DynamoDBConnection(host="http://localhost:8000", port=8000, **KEYS)

    assert conn.connection.endpoint_url == "http://localhost:8000"
    assert (conn.host, conn.port, conn.is_secure) == ("localhost", 8000, False)


def test_make_request_refuses_a_body_that_is_not_a_json_object() -> None:
    conn, transport = scripted()

    with pytest.raises(ParameterValidationError, match="JSON object"):
        conn.make_request("ListTables", "[]")
    assert transport.requests == []


def test_region_info_with_a_custom_endpoint_is_used_with_port_and_scheme() -> None:
    region = RegionInfo(name="us-west-2", endpoint="localhost")
    conn = DynamoDBConnection(region=region, port=8000, is_secure=False, **KEYS)
    answer = Answerer(conn)

    conn.list_tables()

    assert conn.connection.endpoint_url == "http://localhost:8000"
    assert conn.region.name == "us-west-2"
    assert "/us-west-2/dynamodb/aws4_request" in answer.header("Authorization")


def test_region_info_with_aws_endpoint_names_the_region() -> None:
    region = RegionInfo(name="eu-west-1", endpoint="dynamodb.eu-west-1.amazonaws.com")

    conn = DynamoDBConnection(region=region, **KEYS)

    assert conn.region.name == "eu-west-1"
    assert conn.connection.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


def test_region_string_picks_the_regions_endpoint() -> None:
    conn = DynamoDBConnection(region="ap-northeast-1", **KEYS)

    assert conn.region.name == "ap-northeast-1"
    assert conn.region.endpoint == "dynamodb.ap-northeast-1.amazonaws.com"
    assert (conn.host, conn.port, conn.is_secure) == (
        "dynamodb.ap-northeast-1.amazonaws.com",
        443,
        True,
    )


def test_default_region_is_the_configured_one_else_us_east_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    assert DynamoDBConnection(**KEYS).region.name == "ca-central-1"

    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert DynamoDBConnection(**KEYS).region.name == "us-east-1"


def test_security_token_signs_with_a_session_token() -> None:
    conn = DynamoDBConnection(security_token="layer1-session-token", **KEYS)
    answer = Answerer(conn)

    conn.list_tables()

    assert answer.header("X-Amz-Security-Token") == "layer1-session-token"
    assert "Credential=AKIDLAYER1/" in answer.header("Authorization")


class _ProxyHandler(BaseHTTPRequestHandler):
    seen: list[tuple[str, dict[str, str]]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        self.seen.append((self.path, dict(self.headers.items())))
        body = b'{"TableNames": ["via-proxy"]}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


def test_proxy_settings_route_requests_through_the_proxy_with_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    seen: list[tuple[str, dict[str, str]]] = []
    handler = type("Handler", (_ProxyHandler,), {"seen": seen})
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        conn = DynamoDBConnection(
            host="dynamodb.proxied.test",
            port=8000,
            is_secure=False,
            proxy="127.0.0.1",
            proxy_port=proxy.server_address[1],
            proxy_user="proxyuser",
            proxy_pass="proxypass",
            retry=RetryPolicy(max_attempts=1),
            **KEYS,
        )
        with conn.connection:
            got = conn.list_tables()
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join()

    assert got == {"TableNames": ["via-proxy"]}
    ((path, headers),) = seen
    assert path == "http://dynamodb.proxied.test:8000/"
    expected = "Basic " + base64.b64encode(b"proxyuser:proxypass").decode()
    assert headers["Proxy-Authorization"] == expected


def test_validate_certs_false_warns() -> None:
    with pytest.warns(InsecureTransportWarning):
        DynamoDBConnection(validate_certs=False, **KEYS)


def test_is_secure_false_to_a_region_warns_about_plain_http() -> None:
    with pytest.warns(InsecureTransportWarning, match="dynamodb.us-east-1.amazonaws.com"):
        connection = DynamoDBConnection(is_secure=False, **KEYS)
    assert connection.connection.endpoint_url.startswith("http://")


@pytest.mark.parametrize(
    "ignored",
    [{"https_connection_factory": object()}, {"path": "/custom"}, {"provider": "google"}],
)
def test_boto2_only_keywords_are_ignored_with_a_deprecation_warning(
    ignored: dict[str, Any],
) -> None:
    (name,) = ignored
    with pytest.warns(DeprecationWarning, match=name):
        conn = DynamoDBConnection(**ignored, **KEYS)
    assert conn.region.name == "us-east-1"


def test_boto2_defaults_for_ignored_keywords_do_not_warn() -> None:
    # filterwarnings = error: any warning here fails the test.
    DynamoDBConnection(path="/", provider="aws", https_connection_factory=None, debug=2, **KEYS)


def test_unknown_keyword_raises_type_error() -> None:
    with pytest.raises(TypeError, match="hostname"):
        DynamoDBConnection(hostname="localhost", **KEYS)


def test_boto2_class_attributes() -> None:
    assert DynamoDBConnection.NumberRetries == 10
    assert DynamoDBConnection.APIVersion == "2012-08-10"
    assert DynamoDBConnection.DefaultRegionName == "us-east-1"
    assert DynamoDBConnection.DefaultRegionEndpoint == "dynamodb.us-east-1.amazonaws.com"
    assert DynamoDBConnection.TargetPrefix == "DynamoDB_20120810"
    assert DynamoDBConnection.ServiceName == "DynamoDB"
    assert DynamoDBConnection.ResponseError is dynamodb2.JSONResponseError


# boto 2's instance attributes that code reads (dql's engine opens its CloudWatch connection
# with conn.region.name, conn.aws_access_key_id and conn.aws_secret_access_key).


def test_the_keys_it_signs_with_are_attributes_and_the_secret_is_not_in_the_repr() -> None:
    conn = DynamoDBConnection(security_token="layer1-token", **KEYS)
    answer = Answerer(conn)

    conn.list_tables()

    assert (conn.aws_access_key_id, conn.aws_secret_access_key) == ("AKIDLAYER1", "layer1-secret")
    assert (conn.access_key, conn.secret_key) == ("AKIDLAYER1", "layer1-secret")
    assert conn.provider.name == "aws"
    assert (conn.provider.access_key, conn.provider.secret_key) == ("AKIDLAYER1", "layer1-secret")
    assert conn.provider.security_token == "layer1-token"
    assert f"Credential={conn.aws_access_key_id}/" in answer.header("Authorization")
    for text in (repr(conn), repr(conn.provider), str(conn), repr(vars(conn))):
        assert "layer1-secret" not in text


def test_the_keys_found_by_the_credential_chain_are_the_attributes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-env")

    conn = DynamoDBConnection()

    assert (conn.aws_access_key_id, conn.aws_secret_access_key) == (
        "AKIDFROMENV",
        "secret-from-env",
    )
    assert conn.provider.security_token is None
    assert conn.profile_name is None


def test_without_credentials_the_key_attributes_are_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    conn = DynamoDBConnection()

    assert (conn.aws_access_key_id, conn.aws_secret_access_key) == (None, None)
    assert conn.provider.access_key is None


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {"host": "localhost", "port": 8000, "is_secure": False},
            ("http", "/", "us-east-1", "localhost", 8000),
        ),
        (
            {"host": "localhost", "port": 8000, "is_secure": False, "region": "eu-west-1"},
            ("http", "/", "eu-west-1", "localhost", 8000),
        ),
        (
            {"region": "ap-south-1"},
            ("https", "/", "ap-south-1", "dynamodb.ap-south-1.amazonaws.com", 443),
        ),
        (
            {"endpoint_url": "http://localhost:4566/dynamo"},
            ("http", "/dynamo", "us-east-1", "localhost", 4566),
        ),
    ],
)
def test_protocol_path_and_signing_region_describe_the_endpoint(
    options: dict[str, Any], expected: tuple[str, str, str, str, int]
) -> None:
    conn = DynamoDBConnection(**options, **KEYS)
    answer = Answerer(conn)

    conn.list_tables()

    protocol, path, signing_region, host, port = expected
    assert (conn.protocol, conn.path, conn.auth_region_name) == (protocol, path, signing_region)
    assert (conn.host, conn.port) == (host, port)
    assert conn.auth_service_name == "dynamodb"
    assert f"/{signing_region}/dynamodb/aws4_request" in answer.header("Authorization")
    assert answer.sent[-1].url.startswith(f"{protocol}://")


def test_a_port_given_as_text_is_taken_as_boto_2_took_it() -> None:
    # faraday's mock set-up: ``_host, port = "localhost:8000".split(":")``.
    region = RegionInfo(name="mock", endpoint="localhost:8000")
    conn = DynamoDBConnection(region=region, port="8000", is_secure=False, **KEYS)
    proxied = DynamoDBConnection(proxy="proxy.internal", proxy_port="3128", **KEYS)

    assert (conn.host, conn.port, conn.connection.endpoint_url) == (
        "localhost",
        8000,
        "http://localhost:8000",
    )
    assert proxied.proxy_port == 3128
    with pytest.raises(ParameterValidationError, match="port"):
        DynamoDBConnection(host="localhost", port="80a", **KEYS)


def test_the_signing_region_can_be_set_as_in_boto_2() -> None:
    # A local DynamoDB keeps tables apart by the signature's region: boto 2 code sets it
    # through auth_region_name or its auth handler.
    conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False, **KEYS)
    answer = Answerer(conn)

    conn._auth_handler.region_name = "us-mock-1"
    conn.list_tables()
    assert "/us-mock-1/dynamodb/aws4_request" in answer.header("Authorization")
    assert (conn.auth_region_name, conn._auth_handler.region_name) == ("us-mock-1",) * 2
    assert conn._auth_handler.service_name == "dynamodb"

    conn.auth_region_name = "eu-west-1"
    conn.list_tables()
    assert "/eu-west-1/dynamodb/aws4_request" in answer.header("Authorization")
    assert conn.connection.signing_region == conn.connection.settings.signing_region
    assert conn.connection.region_name == "us-east-1"  # only the signature changes
    with pytest.raises(ParameterValidationError, match="signing_region"):
        conn.auth_region_name = ""


def test_num_retries_is_the_retries_after_the_first_attempt() -> None:
    assert DynamoDBConnection(**KEYS).num_retries == 9  # NumberRetries: 10 attempts
    assert _FewRetries(**KEYS).num_retries == 2
    assert DynamoDBConnection(retry=RetryPolicy(max_attempts=1), **KEYS).num_retries == 0


def test_http_connection_kwargs_give_the_read_timeout_and_refuse_changes() -> None:
    conn = DynamoDBConnection(config=botocore.config.Config(read_timeout=7), **KEYS)

    assert dict(conn.http_connection_kwargs) == {"timeout": 7}
    with pytest.raises(TypeError):
        conn.http_connection_kwargs["timeout"] = 1  # type: ignore[index]


def test_proxy_attributes_are_the_proxy_given() -> None:
    conn = DynamoDBConnection(
        proxy="proxy.internal",
        proxy_port=3128,
        proxy_user="me",
        proxy_pass="p@ss",
        **KEYS,
    )

    assert (conn.proxy, conn.proxy_port, conn.proxy_user, conn.proxy_pass) == (
        "proxy.internal",
        3128,
        "me",
        "p@ss",
    )


def test_proxy_attributes_come_from_the_environment_for_the_endpoints_scheme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://secure-proxy.internal:8443")
    monkeypatch.setenv("HTTP_PROXY", "http://plain-proxy.internal:8080")

    secure = DynamoDBConnection(**KEYS)
    plain = DynamoDBConnection(host="localhost", port=8000, is_secure=False, **KEYS)

    assert (secure.proxy, secure.proxy_port) == ("secure-proxy.internal", 8443)
    assert (plain.proxy, plain.proxy_port) == ("plain-proxy.internal", 8080)
    assert (
        DynamoDBConnection(host="localhost", port=8000, is_secure=False, **KEYS).proxy_user is None
    )


def test_without_a_proxy_the_proxy_attributes_are_none() -> None:
    conn = DynamoDBConnection(**KEYS)

    assert (conn.proxy, conn.proxy_port, conn.proxy_user, conn.proxy_pass) == (None,) * 4


def test_debug_is_kept_and_validate_checksums_is_the_connections_setting() -> None:
    conn = DynamoDBConnection(debug=2, validate_checksums=False, **KEYS)

    assert conn.debug == 2
    assert DynamoDBConnection(**KEYS).debug == 0
    assert conn.validate_checksums is False
    conn.validate_checksums = True
    assert conn.connection.validate_checksums is True
    with pytest.raises(ParameterValidationError, match="validate_checksums"):
        conn.validate_checksums = "no"  # type: ignore[assignment]


def test_https_validate_certificates_is_validate_certs() -> None:
    assert DynamoDBConnection(**KEYS).https_validate_certificates is True
    with pytest.warns(InsecureTransportWarning):
        conn = DynamoDBConnection(validate_certs=False, **KEYS)
    assert conn.https_validate_certificates is False


class _FewRetries(DynamoDBConnection):
    NumberRetries = 3


def test_number_retries_of_a_subclass_sets_the_attempts() -> None:
    assert DynamoDBConnection(**KEYS).connection.retry.max_attempts == 10
    assert _FewRetries(**KEYS).connection.retry.max_attempts == 3


def test_an_explicit_retry_policy_wins_over_number_retries() -> None:
    policy = RetryPolicy(max_attempts=7, base_delay=0.0)
    assert _FewRetries(retry=policy, **KEYS).connection.retry is policy


def test_number_retries_bounds_the_attempts_on_throttling() -> None:
    # The subclass's 3 attempts, with the default policy's short first waits.
    conn = _FewRetries(**KEYS)
    answerer = Answerer(
        conn, body=b'{"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException"}', status=400
    )

    with pytest.raises(dynamodb2.exceptions.ThrottlingException):
        conn.list_tables()

    assert len(answerer.sent) == 3


def test_throughput_exceeded_events_counts_retried_throttling() -> None:
    conn, _ = scripted(
        error_response("ProvisionedThroughputExceededException"),
        error_response("ProvisionedThroughputExceededException"),
        json_response({"TableNames": []}),
    )
    assert conn.throughput_exceeded_events == 0

    conn.list_tables()

    assert conn.throughput_exceeded_events == 2


def test_throughput_exceeded_events_can_be_reset_as_in_boto2() -> None:
    conn, _ = scripted(
        error_response("ProvisionedThroughputExceededException"),
        json_response({"TableNames": []}),
        error_response("ProvisionedThroughputExceededException"),
        json_response({"TableNames": []}),
    )
    conn.list_tables()
    conn.throughput_exceeded_events = 0

    conn.list_tables()

    assert conn.throughput_exceeded_events == 1


# --------------------------------------------------------------------------- calls


@pytest.mark.parametrize(
    "body", ['{"Limit": 2}', b'{"Limit": 2}', {"Limit": 2}], ids=["str", "bytes", "dict"]
)
def test_make_request_sends_the_json_body_for_the_action(body: Any) -> None:
    conn, transport = scripted(json_response({"TableNames": ["a"]}))

    got = conn.make_request("ListTables", body)

    assert got == {"TableNames": ["a"]}
    assert transport.last.operation == "ListTables"
    assert json.loads(transport.last.body) == {"Limit": 2}


# boto 2.49's positional parameters, method by method (from boto/dynamodb2/layer1.py).
BOTO2_POSITIONAL: Final[dict[str, list[str]]] = {
    "batch_get_item": ["request_items", "return_consumed_capacity"],
    "batch_write_item": [
        "request_items",
        "return_consumed_capacity",
        "return_item_collection_metrics",
    ],
    "create_table": [
        "attribute_definitions",
        "table_name",
        "key_schema",
        "provisioned_throughput",
        "local_secondary_indexes",
        "global_secondary_indexes",
    ],
    "delete_item": [
        "table_name",
        "key",
        "expected",
        "conditional_operator",
        "return_values",
        "return_consumed_capacity",
        "return_item_collection_metrics",
        "condition_expression",
        "expression_attribute_names",
        "expression_attribute_values",
    ],
    "delete_table": ["table_name"],
    "describe_table": ["table_name"],
    "get_item": [
        "table_name",
        "key",
        "attributes_to_get",
        "consistent_read",
        "return_consumed_capacity",
        "projection_expression",
        "expression_attribute_names",
    ],
    "list_tables": ["exclusive_start_table_name", "limit"],
    "put_item": [
        "table_name",
        "item",
        "expected",
        "return_values",
        "return_consumed_capacity",
        "return_item_collection_metrics",
        "conditional_operator",
        "condition_expression",
        "expression_attribute_names",
        "expression_attribute_values",
    ],
    "query": [
        "table_name",
        "key_conditions",
        "index_name",
        "select",
        "attributes_to_get",
        "limit",
        "consistent_read",
        "query_filter",
        "conditional_operator",
        "scan_index_forward",
        "exclusive_start_key",
        "return_consumed_capacity",
        "projection_expression",
        "filter_expression",
        "expression_attribute_names",
        "expression_attribute_values",
    ],
    "scan": [
        "table_name",
        "attributes_to_get",
        "limit",
        "select",
        "scan_filter",
        "conditional_operator",
        "exclusive_start_key",
        "return_consumed_capacity",
        "total_segments",
        "segment",
        "projection_expression",
        "filter_expression",
        "expression_attribute_names",
        "expression_attribute_values",
    ],
    "update_item": [
        "table_name",
        "key",
        "attribute_updates",
        "expected",
        "conditional_operator",
        "return_values",
        "return_consumed_capacity",
        "return_item_collection_metrics",
        "update_expression",
        "condition_expression",
        "expression_attribute_names",
        "expression_attribute_values",
    ],
    "update_table": [
        "table_name",
        "provisioned_throughput",
        "global_secondary_index_updates",
        "attribute_definitions",
    ],
}

# Values the client-side checks accept; every other parameter gets a marker of its type.
VALID_ARGUMENTS: Final[dict[str, Any]] = {
    "table_name": "table_1",
    "total_segments": 4,
    "segment": 1,
}
VALID_REQUEST_ITEMS: Final[dict[str, Any]] = {
    "batch_get_item": {"table_1": {"Keys": [{"id": {"S": "a"}}]}},
    "batch_write_item": {"table_1": [{"DeleteRequest": {"Key": {"id": {"S": "a"}}}}]},
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _marker(method: str, name: str) -> Any:
    """A value of the type ``name`` takes (layer1 refuses others), telling it apart."""
    hint = str(inspect.signature(getattr(DynamoDBConnection, method)).parameters[name].annotation)
    if hint.startswith("bool"):
        return True
    if hint.startswith("int"):
        return len(name)
    if hint.startswith("Sequence[str]"):
        return [f"<{name}>"]
    if hint.startswith("Sequence["):
        return [{"marker": f"<{name}>"}]
    if hint.startswith("Mapping["):
        return {"marker": f"<{name}>"}
    return f"<{name}>"


@pytest.mark.parametrize("method", sorted(BOTO2_POSITIONAL))
def test_methods_keep_boto2s_positional_order(method: str) -> None:
    parameters = [
        parameter.name
        for parameter in inspect.signature(getattr(DynamoDBConnection, method)).parameters.values()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and parameter.name != "self"
    ]

    boto2 = BOTO2_POSITIONAL[method]
    assert parameters[: len(boto2)] == boto2


@pytest.mark.parametrize("method", sorted(BOTO2_POSITIONAL))
def test_positional_arguments_land_in_their_request_fields(method: str) -> None:
    conn, transport = scripted()
    names = BOTO2_POSITIONAL[method]
    arguments = [
        VALID_REQUEST_ITEMS[method]
        if name == "request_items"
        else VALID_ARGUMENTS.get(name, _marker(method, name))
        for name in names
    ]

    getattr(conn, method)(*arguments)

    body = json.loads(transport.last.body)
    assert transport.last.operation == _camel(method)
    assert body == {_camel(name): value for name, value in zip(names, arguments, strict=True)}


def test_parameters_left_out_are_not_sent() -> None:
    conn, transport = scripted()

    conn.get_item("table_1", {"id": {"S": "a"}})

    assert json.loads(transport.last.body) == {"TableName": "table_1", "Key": {"id": {"S": "a"}}}


def test_create_table_with_pay_per_request_needs_no_throughput() -> None:
    conn, transport = scripted()

    conn.create_table(
        [{"AttributeName": "id", "AttributeType": "S"}],
        "table_1",
        [{"AttributeName": "id", "KeyType": "HASH"}],
        billing_mode="PAY_PER_REQUEST",
    )

    body = json.loads(transport.last.body)
    assert body["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in body


def _snake(member: str) -> str:
    """A wire member's keyword: ``SSESpecification`` -> ``sse_specification``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", member).lower()


#: Each layer1 method and the operation it calls.
OPERATIONS: Final = {
    name: "".join(part.title() for part in name.split("_"))
    for name in [
        "batch_get_item",
        "batch_write_item",
        "create_table",
        "delete_item",
        "delete_table",
        "describe_table",
        "get_item",
        "list_tables",
        "put_item",
        "query",
        "scan",
        "update_item",
        "update_table",
        "transact_write_items",
        "transact_get_items",
        "update_time_to_live",
        "describe_time_to_live",
        "execute_statement",
    ]
}


def input_members(method: str) -> list[str]:
    """The request fields of the operation ``method`` calls, from botocore's model."""
    model = botocore.session.get_session().get_service_model("dynamodb")
    shape = model.operation_model(OPERATIONS[method]).input_shape
    assert shape is not None
    return list(shape.members)


@pytest.mark.parametrize("method", list(OPERATIONS))
def test_every_field_of_the_operation_has_a_keyword(method: str) -> None:
    members = input_members(method)
    parameters = inspect.signature(getattr(DynamoDBConnection, method)).parameters

    assert [member for member in members if _snake(member) not in parameters] == []


@pytest.mark.parametrize("method", ["create_table", "update_table"])
def test_the_newer_table_fields_are_sent_under_their_wire_names(method: str) -> None:
    wire_name = {_snake(member): member for member in input_members(method)}
    requirements: dict[str, dict[str, Any]] = {
        "create_table": {
            "attribute_definitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "table_name": "table_1",
            "key_schema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "billing_mode": "PAY_PER_REQUEST",
        },
        "update_table": {"table_name": "table_1"},
    }
    required = requirements[method]
    keywords = [
        name
        for name, parameter in inspect.signature(
            getattr(DynamoDBConnection, method)
        ).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and name not in required
    ]
    assert keywords

    # A botocore older than the API this package knows (the lowest allowed) lacks the
    # newest members: those are checked with a newer one.
    known = [keyword for keyword in keywords if keyword in wire_name]
    assert len(known) >= len(keywords) - 2
    for keyword in known:
        conn, transport = scripted()
        value = _marker(method, keyword)
        getattr(conn, method)(**required, **{keyword: value})
        assert json.loads(transport.last.body)[wire_name[keyword]] == value


# --------------------------------------------------------------------------- refusals


def _keys(count: int) -> list[dict[str, Any]]:
    return [{"id": {"S": f"k{i}"}} for i in range(count)]


def _puts(count: int) -> list[dict[str, Any]]:
    return [{"PutRequest": {"Item": {"id": {"S": f"k{i}"}}}} for i in range(count)]


REFUSALS: Final[list[tuple[str, Any]]] = [
    (
        "batch-get-101-keys",
        lambda c: c.batch_get_item({"t_one": {"Keys": _keys(60)}, "t_two": {"Keys": _keys(41)}}),
    ),
    ("batch-write-26-requests", lambda c: c.batch_write_item({"t_one": _puts(26)})),
    (
        "batch-write-26-over-two-tables",
        lambda c: c.batch_write_item({"t_one": _puts(13), "t_two": _puts(13)}),
    ),
    ("batch-get-bad-table", lambda c: c.batch_get_item({"x": {"Keys": _keys(1)}})),
    ("name-too-short", lambda c: c.describe_table("ab")),
    ("name-too-long", lambda c: c.describe_table("t" * 256)),
    ("name-bad-characters", lambda c: c.get_item("bad name!", {"id": {"S": "a"}})),
    ("name-slash", lambda c: c.put_item("users/1", {"id": {"S": "a"}})),
    ("name-empty", lambda c: c.delete_table("")),
    ("name-not-a-string", lambda c: c.scan(42)),
    (
        "create-table-without-throughput",
        lambda c: c.create_table(
            [{"AttributeName": "id", "AttributeType": "S"}],
            "table_1",
            [{"AttributeName": "id", "KeyType": "HASH"}],
        ),
    ),
    ("segment-without-total", lambda c: c.scan("table_1", segment=0)),
    ("total-without-segment", lambda c: c.scan("table_1", total_segments=2)),
    ("segment-too-large", lambda c: c.scan("table_1", segment=2, total_segments=2)),
    ("segment-negative", lambda c: c.scan("table_1", segment=-1, total_segments=2)),
    ("zero-total-segments", lambda c: c.scan("table_1", segment=0, total_segments=0)),
    ("query-without-key-condition", lambda c: c.query("table_1")),
    ("transact-write-101", lambda c: c.transact_write_items(_checks(101))),
    ("transact-write-none", lambda c: c.transact_write_items([])),
    ("transact-get-101", lambda c: c.transact_get_items(_gets(101))),
    ("transact-get-none", lambda c: c.transact_get_items(())),
]


def _checks(count: int) -> list[dict[str, Any]]:
    return [
        {
            "ConditionCheck": {
                "TableName": "table_1",
                "Key": key,
                "ConditionExpression": "attribute_exists(id)",
            }
        }
        for key in _keys(count)
    ]


def _gets(count: int) -> list[dict[str, Any]]:
    return [{"Get": {"TableName": "table_1", "Key": key}} for key in _keys(count)]


@pytest.mark.parametrize("call", [pytest.param(call, id=name) for name, call in REFUSALS])
def test_client_side_refusals_raise_and_send_nothing(call: Any) -> None:
    conn, transport = scripted()

    with pytest.raises(ParameterValidationError):
        call(conn)

    assert transport.calls == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.batch_get_item({"t_one": {"Keys": _keys(60)}, "t_two": {"Keys": _keys(40)}}),
        lambda c: c.batch_write_item({"t_one": _puts(25)}),
        lambda c: c.describe_table("abc"),
        lambda c: c.describe_table("t" * 255),
        lambda c: c.describe_table("Aa0_-.z"),
        lambda c: c.describe_table("arn:aws:dynamodb:us-east-1:123456789012:table/users"),
        lambda c: c.scan("table_1", segment=1, total_segments=2),
        lambda c: c.transact_write_items(_checks(100)),
        lambda c: c.transact_get_items(_gets(100)),
    ],
    ids=[
        "batch-get-100",
        "batch-write-25",
        "name-3",
        "name-255",
        "name-all-characters",
        "table-arn",
        "segment-last",
        "transact-write-100",
        "transact-get-100",
    ],
)
def test_limits_themselves_are_allowed(call: Any) -> None:
    conn, transport = scripted()

    call(conn)

    assert transport.calls == 1


def _put(**attributes: Any) -> dict[str, Any]:
    return {"PutRequest": {"Item": attributes}}


def _delete(**key: Any) -> dict[str, Any]:
    return {"DeleteRequest": {"Key": key}}


A: Final = {"S": "a"}
B: Final = {"S": "b"}


@pytest.mark.parametrize(
    "keys",
    [
        [{"id": A}, {"id": B}, {"id": A}],
        [{"id": A, "at": {"N": "1"}}, {"at": {"N": "1"}, "id": A}],  # attribute order
        [{"id": {"N": "1"}}, {"id": {"N": "1.00"}}],  # one number, as DynamoDB compares
        [{"id": {"B": "YWI="}}, {"id": {"B": "YWI="}}],
        [{"id": {"N": "007"}}, {"id": {"N": "7E0"}}],  # digits read as an int, and not
        [{"id": {"N": "9" * 38}}, {"id": {"N": "9" * 38 + ".0"}}],
        [{"id": {"N": "1" + "0" * 38}}, {"id": {"N": "1E38"}}],  # 39 digits
        [{"id": A, "at": {"N": "2"}}, {"at": {"N": "2.0"}, "id": {"S": "a"}}],
    ],
    ids=[
        "same-key",
        "same-key-other-order",
        "same-number",
        "same-binary",
        "leading-zeros",
        "38-digits",
        "39-digits",
        "composite-number",
    ],
)
def test_batch_get_item_refuses_a_key_twice_in_one_table(keys: list[Any]) -> None:
    conn, transport = scripted()

    with pytest.raises(ParameterValidationError, match="item keys contains duplicates") as error:
        conn.batch_get_item({"table_1": {"Keys": keys}})

    assert "of table 'table_1'" in str(error.value)
    assert transport.calls == 0


@pytest.mark.parametrize(
    "request_items",
    [
        {"table_1": {"Keys": [{"id": A}]}, "table_2": {"Keys": [{"id": A}]}},  # two tables
        {"table_1": {"Keys": [{"id": A, "at": {"N": "1"}}, {"id": A, "at": {"N": "2"}}]}},
        {"table_1": {"Keys": [{"id": {"S": "1"}}, {"id": {"N": "1"}}]}},  # two types
        {"table_1": {"Keys": [{"id": {"N": "10"}}, {"id": {"N": "1"}}]}},
        {"table_1": {"Keys": [{"id": {"B": "MQ=="}}, {"id": {"S": "MQ=="}}]}},
    ],
    ids=["two-tables", "other-range-key", "string-and-number", "two-numbers", "binary-and-string"],
)
def test_batch_get_item_sends_keys_that_differ(request_items: dict[str, Any]) -> None:
    conn, transport = scripted()

    conn.batch_get_item(request_items)

    assert transport.calls == 1


@pytest.mark.parametrize(
    "requests",
    [
        [_delete(id=A), _delete(id=B), _delete(id=A)],
        [_put(id=A, n={"N": "1"}), _put(id=A, n={"N": "1"})],
        [_put(id=A, tags={"SS": ["x"]}), _delete(id=A)],  # the put holds the whole key
        [_delete(id=A), _put(id=A, n={"N": "2"})],
        [_delete(id=A, at={"N": "1"}), _put(at={"N": "1.0"}, id=A, n={"N": "2"})],
    ],
    ids=["two-deletes", "the-same-put", "put-then-delete", "delete-then-put", "composite"],
)
def test_batch_write_item_refuses_writing_one_item_twice(requests: list[Any]) -> None:
    conn, transport = scripted()

    with pytest.raises(ParameterValidationError, match="item keys contains duplicates") as error:
        conn.batch_write_item({"table_1": requests})

    assert "of table 'table_1' write the same item" in str(error.value)
    assert transport.calls == 0


@pytest.mark.parametrize(
    ("requests", "pair"),
    [
        ([_put(id=B), _put(id=A, n={"N": "1"}), _delete(id=B)], "0 and 2"),
        ([_put(id=B), _put(id=A, n={"N": "1"}), _put(id=A, n={"N": "1"})], "1 and 2"),
        ([_delete(id=B), _put(id=A), _delete(id=A, at={"N": "1"}), _put(id=B)], "0 and 3"),
    ],
    ids=["delete-of-an-earlier-put", "the-same-put-later", "put-of-an-earlier-delete"],
)
def test_batch_write_item_names_the_two_writes_of_one_item(requests: list[Any], pair: str) -> None:
    conn, transport = scripted()

    with pytest.raises(ParameterValidationError, match=f"requests {pair} of table") as error:
        conn.batch_write_item({"table_1": requests})

    assert "write the same item" in str(error.value)
    assert transport.calls == 0


@pytest.mark.parametrize(
    "request_items",
    [
        {"table_1": [_delete(id=A)], "table_2": [_delete(id=A)]},
        # Without the key schema these may be different items: DynamoDB decides.
        [_put(id=A, n={"N": "1"}), _put(id=A, n={"N": "2"})],
        [_delete(id=A, at={"N": "1"}), _put(id=A, n={"N": "2"})],
        [_delete(id=A, at={"N": "1"}), _delete(id=A, at={"N": "2"})],
    ],
    ids=["two-tables", "puts-of-different-items", "put-without-the-deletes-key", "two-keys"],
)
def test_batch_write_item_sends_writes_not_certainly_of_one_item(
    request_items: dict[str, Any] | list[Any],
) -> None:
    conn, transport = scripted()

    conn.batch_write_item(
        request_items if isinstance(request_items, dict) else {"table_1": request_items}
    )

    assert transport.calls == 1


# --------------------------------------------------------------------------- regions


def test_connect_to_region_gives_a_connection_to_that_region() -> None:
    conn = dynamodb2.connect_to_region("eu-west-1", **KEYS)

    assert isinstance(conn, DynamoDBConnection)
    assert conn.region.name == "eu-west-1"
    assert conn.host == "dynamodb.eu-west-1.amazonaws.com"
    assert conn.connection.region_name == "eu-west-1"


def test_regions_lists_region_infos_that_connect() -> None:
    found = layer1.regions()

    names = [region.name for region in found]
    assert {"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"} <= set(names)
    assert len(names) == len(set(names))
    for region in found:
        assert isinstance(region, RegionInfo)
        assert region.endpoint == f"dynamodb.{region.name}.amazonaws.com"
        assert region.connection_cls is DynamoDBConnection
    tokyo = next(region for region in found if region.name == "ap-northeast-1")
    conn = tokyo.connect(**KEYS)
    assert isinstance(conn, DynamoDBConnection)
    assert conn.region == tokyo
    assert dynamodb2.regions is layer1.regions
