"""Timeouts that really bound a call: a server that trickles one byte every 0.2 s is
stopped by ``read_timeout`` (per attempt) and by ``RetryPolicy.total_timeout`` (the whole
call), whether it trickles the head or the body. Local servers only (tests/support/http_servers.py).
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from dynamodb2.connection import Connection
from dynamodb2.exceptions import ConnectionFailedError, ReadTimeoutError
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HTTPTransport
from tests.support.fakes import ACCESS_KEY, SECRET_KEY, shared_session
from tests.support.http_servers import Action, CannedServer, Request, ok

BODY = ok({"TableNames": ["slow"]})
HEAD, _, PAYLOAD = BODY.partition(b"\r\n\r\n")


def connect(url: str, **options: Any) -> Connection:
    return Connection(
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_session(),
        **options,
    )


def trickle_body(_request: Request) -> Action:
    """The head at once, then the body one byte every 0.2 s (about 6 s in all)."""
    return Action(send=HEAD + b"\r\n\r\n", trickle=PAYLOAD, interval=0.2)


def trickle_head(_request: Request) -> Action:
    """Even the head one byte every 0.2 s."""
    return Action(trickle=BODY, interval=0.2)


@pytest.fixture(params=[trickle_body, trickle_head], ids=["body", "head"])
def trickling(request: pytest.FixtureRequest) -> Iterator[CannedServer]:
    with CannedServer(request.param) as server:
        yield server


def timed(call: Any) -> tuple[BaseException, float]:
    started = time.monotonic()
    with pytest.raises((ReadTimeoutError, ConnectionFailedError)) as raised:
        call()
    return raised.value, time.monotonic() - started


def test_read_timeout_stops_an_attempt_that_trickles(trickling: CannedServer) -> None:
    with connect(trickling.url, read_timeout=1, retry=RetryPolicy(max_attempts=1)) as conn:
        error, elapsed = timed(lambda: conn.list_tables({}))

    assert isinstance(error, ReadTimeoutError)
    assert "within 1 s" in str(error)
    # The whole response is bounded, not each read (each byte comes within 0.2 s).
    assert 0.9 <= elapsed < 1.6
    assert len(trickling.requests) == 1


def test_read_timeout_bounds_each_attempt_of_a_retried_call(trickling: CannedServer) -> None:
    policy = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.01)
    with connect(trickling.url, read_timeout=0.5, retry=policy) as conn:
        error, elapsed = timed(lambda: conn.list_tables({}))
        retries = conn.retries

    assert isinstance(error, ReadTimeoutError)
    assert retries == 2
    assert len(trickling.requests) == 3
    assert 1.4 <= elapsed < 2.5


def test_total_timeout_stops_a_trickling_call_whatever_read_timeout_says(
    trickling: CannedServer,
) -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=0.01, total_timeout=2)
    with connect(trickling.url, read_timeout=60, retry=policy) as conn:
        error, elapsed = timed(lambda: conn.list_tables({}))

    assert isinstance(error, ReadTimeoutError)
    # The budget, with a little room for a busy machine; without it, 6 s a response.
    assert 1.9 <= elapsed < 2.6
    assert len(trickling.requests) == 1


def test_total_timeout_shortens_the_last_attempt_too() -> None:
    # Slow, but each response complete within read_timeout: the budget ends mid-attempt.
    def slow(_request: Request) -> Action:
        return Action(send=b"", trickle=BODY[:40], interval=0.05, close=True)

    policy = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.01, total_timeout=1.5)
    with CannedServer(slow) as server, connect(server.url, read_timeout=5, retry=policy) as conn:
        _error, elapsed = timed(lambda: conn.list_tables({}))

    assert elapsed < 2.1
    assert 1 <= len(server.requests) <= 10


def test_a_response_that_completes_in_time_is_not_cut() -> None:
    def slowish(_request: Request) -> Action:
        return Action(send=BODY, delay=0.3)

    with (
        CannedServer(slowish) as server,
        connect(server.url, read_timeout=1, retry=RetryPolicy(max_attempts=1)) as conn,
    ):
        assert conn.list_tables({}) == {"TableNames": ["slow"]}


def test_connect_timeout_bounds_a_connection_that_is_never_accepted() -> None:
    # A listener with a full backlog: the kernel drops further connection attempts, so
    # connecting hangs (on loopback, without leaving the machine).
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(listener.getsockname())
            fillers.append(filler)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        conn = connect(url, connect_timeout=0.3, retry=RetryPolicy(max_attempts=1))
        probe = socket.socket()
        probe.settimeout(0.3)
        try:
            probe.connect(listener.getsockname())
        except (TimeoutError, OSError):
            pass
        else:
            pytest.skip("this kernel accepts connections past the backlog")
        finally:
            probe.close()
        error, elapsed = timed(lambda: conn.list_tables({}))
    finally:
        for filler in fillers:
            filler.close()
        listener.close()

    assert isinstance(error, ConnectionFailedError)
    assert "connect timeout" in str(error)
    assert elapsed < 1.0


def test_an_attempt_with_no_budget_left_is_not_sent() -> None:
    with CannedServer(lambda _r: BODY) as server:
        transport = HTTPTransport()
        request = HttpRequest("POST", server.url + "/", {}, b"{}", "ListTables", timeout=0.0)
        with pytest.raises(ReadTimeoutError, match="budget"):
            transport(request)
        transport.close()

    assert server.requests == []
