"""A transport error says what was wrong with a response, never what the server sent.

A hostile or broken server (or proxy) may echo the request's headers into whatever it
answers: the status line, a ``Content-Length`` or ``x-amz-crc32`` value, a chunk-size
line, the reason phrase of a refused ``CONNECT``. Those bytes carry the session token,
the ``Authorization`` header's signature or a proxy's password. Every transport (the
synchronous ``HTTPTransport``, botocore's through ``transport=``, the asyncio one) is
driven here over real loopback sockets against such echoes; nothing of a secret may be
recoverable from the exception raised (str, repr, args, attributes, chained causes and
contexts, traceback), from any log record, or from the CLI's ``Error:`` line.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any, Final

import pytest
from click.testing import CliRunner

from dynamodb2 import _http11
from dynamodb2.aio import AsyncConnection
from dynamodb2.cli._app import cli
from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    ChecksumMismatchError,
    ConnectionFailedError,
    DynamoDBError,
    DynamoDBResponseError,
)
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import BotocoreTransport
from tests.support.fakes import ACCESS_KEY, SECRET_KEY, shared_session
from tests.support.http_servers import Action, CannedServer, Request, response_bytes
from tests.unit.test_secrets import reachable_text
from tests.unit.test_secrets_quoted import leaked

#: An STS-like session token: base64 text, as the server receives it in its header.
TOKEN: Final = (
    "IQoJb3JpZ2luX2VjEHsaCXVzLWVhc3QtMSJHMEUCIQD/xyz+abcdefghijklmnopqrstuvwx/yzABCDEFG"
    "HIJKLMNOP+QRSTUVwxyz0123456789/ABCdefGHIjklMNOpqrSTUvwxYZ+0123456789abcdefghij=="
)
PROXY_USER: Final = "deploy"
PROXY_PASSWORD: Final = "pr0xy-Passw0rd-that-must-never-be-printed"
ONE_ATTEMPT: Final = RetryPolicy(max_attempts=1)


def _echo(template: str) -> Callable[[Request], Action]:
    """A handler sending ``template`` with ``{token}`` and ``{auth}`` filled in from the
    request it answers, then closing the connection."""

    def answer(request: Request) -> Action:
        text = template.format(
            token=request.headers.get("x-amz-security-token", ""),
            auth=request.headers.get("authorization", ""),
        )
        return Action(send=text.encode("latin-1"), close=True)

    return answer


def _crc32_echo(request: Request) -> bytes:
    token = request.headers.get("x-amz-security-token", "")
    return response_bytes(200, b"{}", headers={"x-amz-crc32": token}, crc32=False)


#: Responses that quote the request's secrets where a transport reads them.
ECHOES: Final[dict[str, Callable[[Request], bytes | Action]]] = {
    "status line": _echo("HTTP/1.1 4O3 x-amz-security-token:{token}\r\n\r\n"),
    "status line quoting Authorization": _echo("HTTP/1.1 4O3 {auth}\r\n\r\n"),
    "version": _echo("{token} 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "chunk size line": _echo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{token}\r\n"),
    "Content-Length": _echo("HTTP/1.1 200 OK\r\nContent-Length: {token}\r\n\r\n"),
    "reason phrase": _echo("HTTP/1.1 403 {token}\r\nContent-Length: 0\r\n\r\n"),
    "x-amz-crc32": _crc32_echo,
}


def _signatures(server: CannedServer) -> list[str]:
    return [
        request.headers["authorization"].rsplit("Signature=", 1)[-1]
        for request in server.requests
        if "authorization" in request.headers
    ]


def _assert_nothing_quoted(text: str, server: CannedServer) -> None:
    assert not leaked(TOKEN, text)
    assert not leaked(SECRET_KEY, text)
    assert not leaked(PROXY_PASSWORD, text)
    assert PROXY_PASSWORD not in text
    for signature in _signatures(server):
        assert signature[:16] not in text


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG):
        yield caplog


def _options(kind: str, proxies: dict[str, str] | None = None) -> dict[str, Any]:
    options: dict[str, Any] = {
        "region_name": "us-east-1",
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
        "aws_session_token": TOKEN,
        "session": shared_session(),
        "retry": ONE_ATTEMPT,
    }
    if kind == "botocore":
        options["transport"] = BotocoreTransport(proxies=proxies)
    elif proxies:
        options["proxies"] = proxies
    return options


def _call(kind: str, url: str, proxies: dict[str, str] | None = None) -> BaseException | None:
    """List tables at ``url`` over the ``kind`` of transport; the error raised, if any."""
    options = _options(kind, proxies)
    try:
        if kind == "asyncio":

            async def call() -> None:
                async with AsyncConnection(endpoint_url=url, **options) as conn:
                    await conn.list_tables({})

            asyncio.run(call())
        else:
            with Connection(endpoint_url=url, **options) as conn:
                conn.list_tables({})
    except (DynamoDBError, DynamoDBResponseError) as error:
        return error
    return None


@pytest.mark.parametrize("kind", ["http", "botocore", "asyncio"])
@pytest.mark.parametrize("echo", list(ECHOES))
def test_an_error_from_a_response_echoing_the_request_quotes_none_of_it(
    kind: str, echo: str, all_logs: pytest.LogCaptureFixture
) -> None:
    with CannedServer(ECHOES[echo]) as server:
        error = _call(kind, server.url)

    assert server.requests, "the request reached the server"
    # botocore's HTTP client reads a bad Content-Length as "no length" and the body up
    # to the end of the connection (an empty one): no error to look at then.
    if error is not None:
        _assert_nothing_quoted(reachable_text(error), server)
    logged = "\n".join(record.getMessage() for record in all_logs.records)
    _assert_nothing_quoted(logged, server)


@pytest.mark.parametrize("kind", ["http", "botocore", "asyncio"])
def test_a_proxy_refusing_connect_with_a_reason_quoting_its_credentials_is_not_quoted(
    kind: str,
) -> None:
    seen: list[str] = []

    def refuse(request: Request) -> bytes:
        seen.append(request.headers.get("proxy-authorization", ""))
        reason = "Denied for Proxy-Authorization: " + request.headers.get("proxy-authorization", "")
        return response_bytes(407, b"", reason=reason)

    with CannedServer(refuse) as proxy:
        proxy_url = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{proxy.port}"
        error = _call(kind, "https://127.0.0.1:9", proxies={"https": proxy_url})

    assert seen, "the proxy was asked"
    assert seen[0].startswith("Basic "), "with credentials"
    assert isinstance(error, ConnectionFailedError)
    text = reachable_text(error)
    if kind != "botocore":  # botocore's message names the proxy (password masked) only
        assert "refused CONNECT: HTTP 407" in str(error)
    assert seen[0].split()[1] not in text
    _assert_nothing_quoted(text, proxy)


def test_the_cli_error_line_quotes_nothing_of_a_status_line_echoing_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    with CannedServer(ECHOES["status line"]) as server:
        result = CliRunner().invoke(
            cli, ["--endpoint-url", server.url, "--max-attempts", "1", "tables"]
        )

    assert result.exit_code == 1
    assert "not an HTTP/1.x status line" in result.output
    _assert_nothing_quoted(result.output, server)


def test_a_checksum_header_that_is_no_number_is_described_by_its_length() -> None:
    with CannedServer(_crc32_echo) as server, pytest.raises(ChecksumMismatchError) as raised:
        _call_raising(server.url)

    assert str(raised.value) == f"ListTables: x-amz-crc32 is not a CRC32 (length {len(TOKEN)})"


def _call_raising(url: str) -> None:
    with Connection(endpoint_url=url, **_options("http")) as conn:
        conn.list_tables({})


# --------------------------------------------------------------------------- the parser


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"HTTP/1.1 4O3 " + TOKEN.encode(), r"not an HTTP/1.x status line \(length \d+, no"),
        (TOKEN.encode() + b" 200 OK", r"\(length \d+, not starting with HTTP/1\.\)"),
        (b"\x15\x03\x01\x00\x02\x02\x46", r"a TLS record: is the URL https://\?"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: " + TOKEN.encode(), r"invalid Content-Length"),
        # Digits int() takes that are not ASCII, and more digits than int() reads.
        (b"HTTP/1.1 200 OK\r\nContent-Length: \xb2", r"invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 5000, r"more than 1073741824 bytes"),
        # A length no buffer can be allocated for is refused before one is asked for.
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000", r"more than 1073741824"),
    ],
)
def test_a_malformed_head_is_described_without_its_bytes(head: bytes, message: str) -> None:
    with pytest.raises(_http11.ProtocolError, match=message) as raised:
        _http11.parse_head(head)

    assert not leaked(TOKEN, str(raised.value))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (TOKEN.encode(), r"invalid chunk size line \(not a hexadecimal size; length \d+\)"),
        # What int(x, 16) would take but HTTP does not.
        (b"-1", "invalid chunk size line"),
        (b"0x10", "invalid chunk size line"),
        (b"1_0", "invalid chunk size line"),
        (b"", "invalid chunk size line"),
        (b"fffffffffffff", r"a chunk announces more than 1073741824 bytes"),
    ],
)
def test_a_malformed_chunk_size_line_is_described_without_its_bytes(
    line: bytes, message: str
) -> None:
    with pytest.raises(_http11.ProtocolError, match=message) as raised:
        _http11.parse_chunk_size(line)

    assert not leaked(TOKEN, str(raised.value))


@pytest.mark.parametrize("kind", ["http", "asyncio"])
def test_a_content_length_too_large_to_buffer_is_a_connection_failure(kind: str) -> None:
    huge = _echo("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999\r\n\r\n{{}}")
    with CannedServer(huge) as server:
        error = _call(kind, server.url)

    assert isinstance(error, ConnectionFailedError)
    assert re.search("announces more than", str(error))
