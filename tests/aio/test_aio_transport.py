"""AsyncHTTPTransport and AsyncConnection on real loopback sockets and through moto: framing,
keep-alive, the pool bound, timeouts, TLS, proxies, retries and events, mock_aws with no
socket. Servers are tests/support/http_servers.py's."""

from __future__ import annotations

import asyncio
import copy
import gc
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from dynamodb2.aio import AsyncConnection, AsyncHTTPTransport
from dynamodb2.exceptions import (
    ConnectionFailedError,
    ProvisionedThroughputExceededException,
    ReadTimeoutError,
    TruncatedResponseError,
)
from dynamodb2.retry import RetryEvent, RetryPolicy
from tests.support.backends import free_port
from tests.support.fakes import ACCESS_KEY, SECRET_KEY, shared_session
from tests.support.http_servers import (
    Action,
    CannedServer,
    ForwardProxy,
    Request,
    error,
    ok,
)

pytestmark = pytest.mark.anyio

TABLES = {"TableNames": ["users"]}


def connect(url: str, **options: Any) -> AsyncConnection:
    options.setdefault("retry", RetryPolicy(max_attempts=1))
    return AsyncConnection(
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_session(),
        **options,
    )


def answer_tables(_request: Request) -> bytes:
    return ok(TABLES)


async def test_requests_reuse_one_kept_alive_connection_and_read_every_framing() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'5\r\n{"Tab\r\n12\r\nleNames": ["users"\r\n1;ext=1\r\n]\r\n1\r\n}\r\n0\r\nX: y\r\n\r\n'
    )
    answers = iter([ok(TABLES), chunked, ok(TABLES, headers={"Connection": "close"}), ok(TABLES)])
    with CannedServer(lambda _r: next(answers)) as server:
        async with connect(server.url) as conn:
            for _ in range(4):
                assert await conn.list_tables({}) == TABLES

    assert server.connections == 2  # the third response said Connection: close


async def test_concurrent_calls_open_no_more_connections_than_the_pool_allows() -> None:
    with CannedServer(lambda _r: Action(send=ok(TABLES), delay=0.02)) as server:
        async with connect(server.url, max_pool_connections=3) as conn:
            results = await asyncio.gather(*(conn.list_tables({}) for _ in range(30)))

    assert results == [TABLES] * 30
    assert server.connections == 3


async def test_calls_cancelled_while_they_wait_for_the_pool_raise_only_timeouts() -> None:
    # A request handler's own timeout (wait_for) often fires in the same loop pass as a
    # busy connection is handed back: the waiter must leave the queue quietly.
    with CannedServer(lambda _r: Action(send=ok(TABLES), delay=0.002)) as server:
        async with connect(server.url, max_pool_connections=2) as conn:

            async def handler() -> str:
                try:
                    await asyncio.wait_for(conn.list_tables({}), 0.003)
                except asyncio.TimeoutError:
                    return "timed out"
                return "answered"

            handlers = [handler() for _ in range(300)]
            outcomes = await asyncio.gather(*handlers, return_exceptions=True)
            kinds = {outcome if isinstance(outcome, str) else repr(outcome) for outcome in outcomes}
            assert kinds <= {"timed out", "answered"}, kinds
            assert "timed out" in kinds  # the waits were cut short, so the test could fail
            assert await conn.list_tables({}) == TABLES  # and the pool is still usable

    assert server.connections <= 2 + outcomes.count("timed out")


async def test_a_connection_in_use_when_the_transport_closes_is_not_pooled_again() -> None:
    with CannedServer(lambda _r: Action(send=ok(TABLES), delay=0.1)) as server:
        conn = connect(server.url)
        call = asyncio.ensure_future(conn.list_tables({}))
        while not server.requests:  # the request is out
            await asyncio.sleep(0.005)
        await conn.close()
        assert await call == TABLES
        assert server.connections == 1
        # The connection closes when its request ends; the next call opens another.
        assert await conn.list_tables({}) == TABLES
        assert server.connections == 2
        await conn.close()


async def test_closing_with_a_request_in_flight_keeps_the_pool_bound() -> None:
    # A request made after close() waits for the one place the in-flight request holds.
    lock = threading.Lock()
    active = [0, 0]  # now, most at once

    def slow(_request: Request) -> bytes:
        with lock:
            active[0] += 1
            active[1] = max(active)
        time.sleep(0.1)
        with lock:
            active[0] -= 1
        return ok(TABLES)

    with CannedServer(slow) as server:
        conn = connect(server.url, max_pool_connections=1)
        first = asyncio.ensure_future(conn.list_tables({}))
        while not server.requests:
            await asyncio.sleep(0.005)
        await conn.close()
        second = asyncio.ensure_future(conn.list_tables({}))
        assert list(await asyncio.gather(first, second)) == [TABLES, TABLES]
        await conn.close()

    assert active[1] == 1


async def test_a_copy_of_the_transport_dropped_leaves_the_originals_connections() -> None:
    with CannedServer(answer_tables) as server:
        transport = AsyncHTTPTransport(max_pool_connections=3)
        async with connect(server.url, transport=transport) as conn:
            assert await conn.list_tables({}) == TABLES
            copied = copy.copy(transport)
            assert copied.max_pool_connections == 3
            del copied
            gc.collect()
            await asyncio.sleep(0.01)  # where a dropped transport's sockets would close
            for _ in range(3):
                assert await conn.list_tables({}) == TABLES

    assert server.connections == 1


async def test_a_connection_dropped_unclosed_closes_its_idle_sockets() -> None:
    # boto 2 code makes a Table (and so a connection) per request: under asyncio an
    # unclosed connection's sockets are held by the event loop, not by the connection.
    with CannedServer(answer_tables) as server:
        conn = connect(server.url)
        assert await conn.list_tables({}) == TABLES
        del conn
        gc.collect()
        for _ in range(200):
            if server.ended:
                break
            await asyncio.sleep(0.01)
        assert (server.connections, server.ended) == (1, 1)


async def test_a_response_that_trickles_past_the_read_timeout_is_cut_off() -> None:
    slow = Action(send=ok(TABLES)[:20], trickle=ok(TABLES)[20:], interval=0.05)
    with CannedServer(lambda _r: slow) as server:
        async with connect(server.url, read_timeout=0.3) as conn:
            with pytest.raises(ReadTimeoutError, match=r"within 0\.3 s"):
                await conn.list_tables({})


async def test_a_body_arriving_in_pieces_is_read_whole_and_the_connection_kept() -> None:
    whole = ok(TABLES)
    head_end = whole.index(b"\r\n\r\n") + 4
    # The head and a few body bytes, then the rest of the body a byte at a time.
    pieces = Action(send=whole[: head_end + 3], trickle=whole[head_end + 3 :], interval=0.002)
    answers: Iterator[bytes | Action] = iter([pieces, ok(TABLES)])
    with CannedServer(lambda _r: next(answers)) as server:
        async with connect(server.url) as conn:
            assert await conn.list_tables({}) == TABLES
            assert await conn.list_tables({}) == TABLES

    assert server.connections == 1


async def test_a_large_body_is_read_whole() -> None:
    names = {"TableNames": [f"table-{n:07d}" for n in range(200_000)]}  # about 3.4 MB
    with CannedServer(lambda _r: ok(names)) as server:
        async with connect(server.url) as conn:
            assert await conn.list_tables({}) == names
            assert await conn.list_tables({}) == names

    assert server.connections == 1


async def test_the_read_timeout_counts_from_each_requests_own_start() -> None:
    # One connection: the first answer comes at once, the second trickles for a second.
    slow = Action(send=ok(TABLES)[:20], trickle=ok(TABLES)[20:], interval=0.05)
    answers: Iterator[bytes | Action] = iter([ok(TABLES), ok(TABLES), slow])
    loop = asyncio.get_running_loop()
    with CannedServer(lambda _r: next(answers)) as server:
        async with connect(server.url, read_timeout=0.3) as conn:
            assert await conn.list_tables({}) == TABLES
            await asyncio.sleep(0.4)  # past the first request's deadline: no harm done
            assert await conn.list_tables({}) == TABLES
            await asyncio.sleep(0.2)
            started = loop.time()
            with pytest.raises(ReadTimeoutError, match=r"within 0\.3 s"):
                await conn.list_tables({})
            waited = loop.time() - started

    assert 0.28 <= waited < 1.0  # neither cut at an earlier request's deadline, nor late
    assert server.connections == 1


async def test_a_body_cut_short_is_retried_as_truncated_then_raised() -> None:
    cut = Action(send=ok(TABLES)[:-3], close=True)
    with CannedServer(lambda _r: cut) as server:
        async with connect(server.url, retry=RetryPolicy(max_attempts=2, base_delay=0)) as conn:
            with pytest.raises(TruncatedResponseError):
                await conn.list_tables({})

    assert len(server.requests) == 2


async def test_retries_are_reported_and_throttling_counted() -> None:
    answers = iter(
        [error("ProvisionedThroughputExceededException"), error("InternalServerError", 500)]
    )
    events: list[RetryEvent] = []
    waits: list[float] = []
    with CannedServer(lambda _r: next(answers, ok(TABLES))) as server:
        policy = RetryPolicy(max_attempts=3, base_delay=0.01)
        async with connect(
            server.url, retry=policy, on_retry=events.append, sleep=waits.append
        ) as conn:
            assert await conn.list_tables({}) == TABLES
            assert (conn.throttle_events, conn.retries) == (1, 2)

    assert [(event.operation, event.attempt) for event in events] == [
        ("ListTables", 1),
        ("ListTables", 2),
    ]
    assert len(waits) == 2


async def test_errors_are_the_sync_connections_classes() -> None:
    with CannedServer(lambda _r: error("ProvisionedThroughputExceededException")) as server:
        async with connect(server.url) as conn:
            with pytest.raises(ProvisionedThroughputExceededException):
                await conn.list_tables({})


async def test_a_refused_connection_is_a_connection_failure() -> None:
    async with connect("http://127.0.0.1:9") as conn:
        with pytest.raises(ConnectionFailedError):
            await conn.list_tables({})


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(authority: trustme.CA) -> Iterator[CannedServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with CannedServer(answer_tables, tls=context) as server:
        yield server


async def test_tls_verifies_with_the_ca_bundle_and_refuses_an_unknown_ca(
    tls_server: CannedServer, authority: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))

    async with connect(tls_server.url, verify=str(bundle)) as conn:
        assert await conn.list_tables({}) == TABLES
    async with connect(
        tls_server.url, verify=str(other), retry=RetryPolicy(max_attempts=5)
    ) as conn:
        with pytest.raises(ConnectionFailedError, match="not trusted") as raised:
            await conn.list_tables({})
    assert raised.value.retryable is False


async def test_proxies_forward_plain_http_and_tunnel_tls(
    tls_server: CannedServer, authority: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    with CannedServer(answer_tables) as plain, ForwardProxy() as proxy:
        async with connect(plain.url, proxies={"http": proxy.url("user:pw@")}) as conn:
            assert await conn.list_tables({}) == TABLES
        async with connect(
            tls_server.url, verify=str(bundle), proxies={"https": proxy.url()}
        ) as conn:
            assert await conn.list_tables({}) == TABLES

    assert [seen[0] for seen in proxy.seen] == ["POST", "CONNECT"]


async def test_mock_aws_answers_without_opening_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto import mock_aws

    async def no_sockets(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(asyncio.get_running_loop(), "create_connection", no_sockets)
    with mock_aws():
        async with AsyncConnection(
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        ) as conn:
            assert await conn.list_tables({}) == {"TableNames": []}
            assert isinstance(conn._transport, AsyncHTTPTransport)  # the default one


async def test_a_proxy_that_cannot_be_reached_is_named_in_the_error() -> None:
    port = free_port()
    async with AsyncConnection(
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:8000",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        proxies={"http": f"http://me:pr0xy-s3cret@127.0.0.1:{port}"},
        retry=RetryPolicy(max_attempts=1),
        session=shared_session(),
    ) as conn:
        with pytest.raises(ConnectionFailedError) as failed:
            await conn.list_tables({})

    assert f"through proxy http://127.0.0.1:{port} failed" in str(failed.value)
    assert "pr0xy-s3cret" not in str(failed.value)
