"""HTTPTransport on real sockets: keep-alive, stale connections, framing, TLS, proxies, IPv6,
the pool, and botocore's before-send event. Every server is on loopback
(tests/support/http_servers.py).
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from dynamodb2 import _http11
from dynamodb2.connection import Connection
from dynamodb2.exceptions import ConnectionFailedError, TruncatedResponseError
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HTTPTransport
from tests.support.fakes import ACCESS_KEY, SECRET_KEY, shared_session
from tests.support.http_servers import (
    Action,
    CannedServer,
    ForwardProxy,
    Request,
    ok,
    response_bytes,
)

TABLES = {"TableNames": ["users"]}


def connect(url: str, **options: Any) -> Connection:
    options.setdefault("retry", RetryPolicy(max_attempts=1))
    return Connection(
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_session(),
        **options,
    )


def answer_tables(_request: Request) -> bytes:
    return ok(TABLES)


# --------------------------------------------------------------------------- keep-alive


def test_requests_reuse_one_kept_alive_connection() -> None:
    with CannedServer(answer_tables) as server, connect(server.url) as conn:
        for _ in range(5):
            assert conn.list_tables({}) == TABLES

    assert server.connections == 1
    assert len(server.requests) == 5


def test_a_connection_the_server_closed_while_idle_is_replaced_without_an_error() -> None:
    # The server answers, then closes the connection (as an idle timeout would).
    def answer_and_close(_request: Request) -> Action:
        return Action(send=ok(TABLES), close=True)

    with CannedServer(answer_and_close) as server, connect(server.url) as conn:
        assert conn.list_tables({}) == TABLES
        # Give the close time to arrive, so that the pooled connection is seen dropped.
        threading.Event().wait(0.05)
        assert conn.list_tables({}) == TABLES
        assert conn.retries == 0

    assert server.connections == 2


def test_connection_close_in_the_response_is_honoured() -> None:
    def closing(_request: Request) -> bytes:
        return ok(TABLES, headers={"Connection": "close"})

    with CannedServer(closing) as server, connect(server.url) as conn:
        conn.list_tables({})
        conn.list_tables({})

    assert server.connections == 2


def test_a_chunked_response_is_reassembled() -> None:
    body = b'{"TableNames": ["a", "b"]}'
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:]))
        + b"0\r\nX-Trailer: t\r\n\r\n"
    )

    with CannedServer(lambda _r: chunked) as server, connect(server.url) as conn:
        assert conn.list_tables({}) == {"TableNames": ["a", "b"]}
        assert conn.list_tables({}) == {"TableNames": ["a", "b"]}

    assert server.connections == 1


def test_interim_responses_are_skipped() -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"

    with CannedServer(lambda _r: interim + ok(TABLES)) as server, connect(server.url) as conn:
        assert conn.list_tables({}) == TABLES
        assert conn.list_tables({}) == TABLES

    assert server.connections == 1


def test_a_body_without_length_is_read_to_the_end_of_the_connection() -> None:
    raw = b'HTTP/1.0 200 OK\r\n\r\n{"TableNames": []}'

    with (
        CannedServer(lambda _r: Action(send=raw, close=True)) as server,
        connect(server.url) as conn,
    ):
        assert conn.list_tables({}) == {"TableNames": []}


def test_a_body_cut_short_is_a_truncated_response_and_the_connection_is_dropped() -> None:
    full = ok(TABLES, crc32=False)

    with (
        CannedServer(lambda _r: Action(send=full[:-5], close=True)) as server,
        connect(server.url) as conn,
    ):
        with pytest.raises(TruncatedResponseError, match="Content-Length"):
            conn.list_tables({})
        with pytest.raises(TruncatedResponseError):
            conn.list_tables({})

    assert server.connections == 2


def test_no_response_at_all_is_a_retryable_connection_failure() -> None:
    with (
        CannedServer(lambda _r: Action(close=True)) as server,
        connect(server.url, retry=RetryPolicy(max_attempts=3, base_delay=0.001)) as conn,
        pytest.raises(ConnectionFailedError, match="closed before a complete response"),
    ):
        conn.list_tables({})

    assert len(server.requests) == 3


def test_garbage_instead_of_a_status_line_is_a_connection_failure() -> None:
    with (
        CannedServer(lambda _r: Action(send=b"SSH-2.0-OpenSSH\r\n\r\n", close=True)) as server,
        connect(server.url) as conn,
        pytest.raises(ConnectionFailedError, match="invalid response"),
    ):
        conn.list_tables({})


def test_only_the_headers_the_package_reads_are_kept() -> None:
    raw = response_bytes(
        200, b"{}", headers={"Server": "x", "Set-Cookie": "a=b", "X-Amzn-ErrorType": "E"}
    )
    with CannedServer(lambda _r: raw) as server:
        transport = HTTPTransport()
        response = transport(HttpRequest("POST", server.url + "/", {}, b"{}", "ListTables"))
        transport.close()

    assert set(response.headers) <= _http11.KEPT_HEADERS
    assert response.headers["x-amzn-requestid"] == "TESTREQUEST"
    # The error type is read from error responses only.
    assert "x-amzn-errortype" not in response.headers


def test_the_host_header_is_the_one_botocore_signs() -> None:
    with CannedServer(answer_tables) as server, connect(server.url.upper()) as conn:
        conn.list_tables({})

    # Lower case, and the port kept because it is not the default one.
    assert server.requests[0].headers["host"] == f"127.0.0.1:{server.port}"


def test_header_values_with_line_breaks_are_refused() -> None:
    with pytest.raises(ValueError, match="line breaks"):
        _http11.check_header_value("user_agent_extra", "x\r\nInjected: 1")


@pytest.mark.parametrize(
    ("line", "size"), [(b"1a", 26), (b"1A;name=value", 26), (b"0", 0), (b" 10 ", 16)]
)
def test_chunk_size_lines_are_hexadecimal_with_optional_extensions(line: bytes, size: int) -> None:
    assert _http11.parse_chunk_size(line) == size


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/2 200 OK",
        b"ICY 200 OK",
        b"HTTP/1.1 2000 OK",
        b"HTTP/1.1 200 OK\r\nContent-Length: ten",
        b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 11",
    ],
)
def test_malformed_heads_are_refused(head: bytes) -> None:
    with pytest.raises(_http11.ProtocolError):
        _http11.parse_head(head)


# --------------------------------------------------------------------------- the pool


def _hammer(conn: Connection, threads: int, calls: int) -> list[BaseException]:
    problems: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work() -> None:
        barrier.wait()
        try:
            for _ in range(calls):
                conn.list_tables({})
        except BaseException as error:
            problems.append(error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return problems


def _slow_answer(_request: Request) -> Action:
    # Slow enough that the threads' requests overlap.
    return Action(send=ok(TABLES), delay=0.002)


@pytest.mark.parametrize(("pool", "warned"), [(32, False), (4, True)])
def test_pool_full_warnings_appear_only_when_threads_outnumber_the_pool(
    caplog: pytest.LogCaptureFixture, pool: int, warned: bool
) -> None:
    with (
        CannedServer(_slow_answer) as server,
        connect(server.url, max_pool_connections=pool) as conn,
    ):
        problems = _hammer(conn, threads=16, calls=10)

    assert problems == []
    full = [r for r in caplog.records if "Connection pool is full" in r.getMessage()]
    assert bool(full) is warned
    if warned:
        assert all(record.levelno == logging.WARNING for record in full)
    # With room for every thread, no connection was opened twice.
    if not warned:
        assert server.connections <= 16


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def bundle(authority: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def tls_server(authority: trustme.CA) -> Iterator[CannedServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with CannedServer(answer_tables, tls=context) as server:
        yield server


def test_tls_with_the_servers_ca_bundle_succeeds_and_keeps_the_connection(
    tls_server: CannedServer, bundle: str
) -> None:
    with connect(tls_server.url, verify=bundle) as conn:
        assert conn.list_tables({}) == TABLES
        assert conn.list_tables({}) == TABLES

    assert tls_server.connections == 1


def test_tls_with_an_unknown_ca_fails_at_once_without_retrying(
    tls_server: CannedServer, tmp_path: Path
) -> None:
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))

    with connect(tls_server.url, verify=str(other), retry=RetryPolicy(max_attempts=5)) as conn:
        with pytest.raises(ConnectionFailedError, match="not trusted") as raised:
            conn.list_tables({})
        assert raised.value.retryable is False
        assert conn.retries == 0


def test_tls_checks_the_host_name(authority: trustme.CA, bundle: str) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("some-other-host.example").configure_cert(context)

    with (
        CannedServer(answer_tables, tls=context) as server,
        connect(server.url, verify=bundle) as conn,
        pytest.raises(ConnectionFailedError, match="not trusted"),
    ):
        conn.list_tables({})


# --------------------------------------------------------------------------- proxies


def test_plain_http_goes_to_the_proxy_in_absolute_form_with_basic_credentials() -> None:
    with (
        CannedServer(answer_tables) as server,
        ForwardProxy() as proxy,
        connect(server.url, proxies={"http": proxy.url("user:p%40ss@")}) as conn,
    ):
        assert conn.list_tables({}) == TABLES

    method, target, authorization = proxy.seen[0]
    assert (method, target) == ("POST", f"{server.url}/")
    # base64 of "user:p@ss" (the password is URL-decoded first, as botocore does).
    assert authorization == "Basic dXNlcjpwQHNz"


def test_https_goes_through_a_connect_tunnel_and_verifies_the_origin(
    tls_server: CannedServer, bundle: str
) -> None:
    with (
        ForwardProxy() as proxy,
        connect(tls_server.url, verify=bundle, proxies={"https": proxy.url("u:p@")}) as conn,
    ):
        assert conn.list_tables({}) == TABLES
        assert conn.list_tables({}) == TABLES

    assert [(m, t) for m, t, _ in proxy.seen] == [("CONNECT", f"127.0.0.1:{tls_server.port}")]
    assert proxy.seen[0][2] == "Basic dTpw"


def test_environment_proxies_apply_unless_no_proxy_names_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with CannedServer(answer_tables) as server, ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url())
        with connect(server.url) as conn:
            conn.list_tables({})
        assert len(proxy.seen) == 1

        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        with connect(server.url) as conn:
            conn.list_tables({})
        assert len(proxy.seen) == 1


def test_a_proxy_that_refuses_connect_is_a_connection_failure(bundle: str) -> None:
    refusing = CannedServer(lambda _r: response_bytes(407, b"", reason="Proxy Auth Required"))
    with (
        refusing,
        connect(
            "https://127.0.0.1:9",
            verify=bundle,
            proxies={"https": f"http://127.0.0.1:{refusing.port}"},
        ) as conn,
        pytest.raises(ConnectionFailedError, match="407"),
    ):
        conn.list_tables({})


# --------------------------------------------------------------------------- IPv6


def _has_ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_an_ipv6_literal_endpoint_works() -> None:
    with CannedServer(answer_tables, host="::1") as server, connect(server.url) as conn:
        assert conn.list_tables({}) == TABLES

    assert server.requests[0].headers["host"] == f"[::1]:{server.port}"


# --------------------------------------------------------------------------- before-send


def test_a_before_send_handler_answers_and_sees_a_botocore_request() -> None:
    seen: list[AWSPreparedRequest] = []

    def handler(request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse:
        seen.append(request)
        body = b'{"TableNames": ["stubbed"]}'

        class Raw:
            reason = "OK"

            def stream(self, **_kwargs: Any) -> Iterator[bytes]:
                yield body

        return AWSResponse(request.url, 200, {"content-length": str(len(body))}, Raw())  # type: ignore[arg-type]

    session = shared_session()
    session.register("before-send.dynamodb.ListTables", handler)  # type: ignore[arg-type]
    try:
        conn = connect("http://127.0.0.1:9")
        assert conn.list_tables({"Limit": 1}) == {"TableNames": ["stubbed"]}
    finally:
        session.unregister("before-send.dynamodb.ListTables", handler)  # type: ignore[arg-type]

    (request,) = seen
    assert isinstance(request, AWSPreparedRequest)
    assert request.method == "POST"
    assert request.url == "http://127.0.0.1:9/"
    assert isinstance(request.body, bytes)
    assert json.loads(request.body) == {"Limit": 1}
    assert request.headers["X-Amz-Target"] == "DynamoDB_20120810.ListTables"
    assert request.headers["Content-Length"] == str(len(request.body))


def test_without_a_handler_nothing_is_answered_in_process() -> None:
    with CannedServer(answer_tables) as server, connect(server.url) as conn:
        assert conn.list_tables({}) == TABLES

    assert len(server.requests) == 1
