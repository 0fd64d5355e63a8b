"""Test doubles for the transport seam: one scripted transport, canned responses, one fake clock.

Unit tests hand these to ``Connection(transport=..., sleep=..., clock=...)``; nothing is
patched and nothing touches the network.

- :class:`ScriptedTransport` answers from a script of responses (``ScriptedTransport(a, b)``)
  or from a function of each request's operation and body
  (``ScriptedTransport.answering(responder)``), and records every request.
- :class:`FakeClock` is a monotonic clock that only moves when its ``sleep`` is called.
- :func:`connection`, :func:`scripted_connection`, :func:`fake_connection` and
  :func:`quiet_connection` build a :class:`~dynamodb2.connection.Connection` over a
  scripted transport, with the test credentials and retry policy each group of tests uses.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable, Mapping
from typing import Any, Final

import botocore.session

from dynamodb2.aio import AsyncConnection, AsyncTransport
from dynamodb2.connection import Connection
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.backends import ACCESS_KEY as BACKEND_ACCESS_KEY
from tests.support.backends import REGION, shared_botocore_session
from tests.support.backends import SECRET_KEY as BACKEND_SECRET_KEY

ACCESS_KEY: Final = "AKIDUNITTEST"
SECRET_KEY: Final = "unit-test-secret-key-value"
SESSION_TOKEN: Final = "unit-test-session-token-value"

#: One scripted answer: a response, an exception to raise, or a function of the request.
Answer = HttpResponse | Exception | Callable[[HttpRequest], HttpResponse]

#: Answers one request: (operation, request body) -> response body (or a whole response),
#: or raises :class:`ServiceError` for an error response.
Responder = Callable[[str, dict[str, Any]], Mapping[str, Any] | HttpResponse]


def json_response(
    body: Mapping[str, Any] | bytes,
    status: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
    crc32: bool = True,
    reason: str = "",
) -> HttpResponse:
    """A response whose body is ``body`` (JSON-encoded unless bytes), with a right
    ``content-length`` and, unless ``crc32=False``, a right ``x-amz-crc32``."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    all_headers = {"content-length": str(len(raw)), "x-amzn-requestid": "REQ-1"}
    if crc32:
        all_headers["x-amz-crc32"] = str(zlib.crc32(raw) & 0xFFFFFFFF)
    all_headers.update(headers or {})
    return HttpResponse(status=status, headers=all_headers, body=raw, reason=reason)


def error_response(code: str, message: str = "", status: int = 400) -> HttpResponse:
    """An error response as DynamoDB sends it: ``__type`` with the service namespace."""
    return json_response(
        {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message},
        status,
    )


class ServiceError(Exception):
    """Raised by a responder to answer with a DynamoDB error instead of a body."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status

    @property
    def response(self) -> HttpResponse:
        """The error response as DynamoDB sends it (no headers)."""
        body = {"__type": f"com.amazonaws.dynamodb.v20120810#{self.code}", "message": self.message}
        return HttpResponse(self.status, {}, json.dumps(body).encode())


class ScriptedTransport:
    """A transport that answers from a script and records every request it is given.

    Each call takes the next answer; the last one repeats forever. An answer may be a
    response, an exception to raise, or a function of the request. :meth:`answering`
    makes one whose every answer comes from a :data:`Responder`.

    ``requests`` holds each request's operation and decoded JSON body (a list tests may
    clear); ``http_requests`` the requests themselves. Thread-safe: parallel scans call it
    from several threads.
    """

    def __init__(self, *answers: Answer) -> None:
        if not answers:
            raise ValueError("give at least one answer")
        self._answers = list(answers)
        self._lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.http_requests: list[HttpRequest] = []

    @classmethod
    def answering(cls, responder: Responder) -> ScriptedTransport:
        """A transport whose every answer is ``responder(operation, body)``: a body (sent
        with status 200), a whole response, or :class:`ServiceError` for an error."""

        def answer(request: HttpRequest) -> HttpResponse:
            try:
                body = responder(request.operation, json.loads(request.body))
            except ServiceError as error:
                return error.response
            if isinstance(body, HttpResponse):
                return body
            return HttpResponse(200, {}, json.dumps(body).encode())

        return cls(answer)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            self.http_requests.append(request)
            self.requests.append((request.operation, json.loads(request.body or b"{}")))
            answer = self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, HttpResponse):
            return answer
        return answer(request)

    @property
    def calls(self) -> int:
        """How many requests were sent."""
        return len(self.http_requests)

    @property
    def last(self) -> HttpRequest:
        """The most recent request."""
        return self.http_requests[-1]

    def operations(self) -> list[str]:
        """The operation names sent so far, in order."""
        with self._lock:
            return [operation for operation, _ in self.requests]

    def bodies(self, operation: str) -> list[dict[str, Any]]:
        """The bodies of every ``operation`` request so far."""
        with self._lock:
            return [body for name, body in self.requests if name == operation]


def refuse_everything(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
    """A responder for tests asserting that nothing is sent."""
    raise AssertionError(f"{operation} was sent, but nothing should have been")


class FakeClock:
    """A monotonic clock (call it) that only moves when told to; :meth:`sleep` moves it."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record the wait and advance the clock by it."""
        self.sleeps.append(seconds)
        self.now += seconds


_shared_session: botocore.session.Session | None = None


def shared_session() -> botocore.session.Session:
    """One botocore session for every scripted connection: a new session loads botocore's
    endpoint and service data again (~0.1 s), which would dominate these tests' time.
    Connections built by :func:`connection` take nothing else from it: their region and
    credentials are explicit."""
    global _shared_session  # noqa: PLW0603 - a lazily built, process-wide cache
    if _shared_session is None:
        _shared_session = botocore.session.Session()
    return _shared_session


def connection(
    transport: Callable[[HttpRequest], HttpResponse],
    *,
    clock: FakeClock | None = None,
    retry: RetryPolicy | None = None,
    **options: Any,
) -> Connection:
    """A Connection with test credentials over ``transport``, sleeping on a fake clock."""
    clock = clock if clock is not None else FakeClock()
    options.setdefault("region_name", "us-east-1")
    options.setdefault("aws_access_key_id", ACCESS_KEY)
    options.setdefault("aws_secret_access_key", SECRET_KEY)
    options.setdefault("session", shared_session())
    return Connection(
        transport=transport,
        sleep=clock.sleep,
        clock=clock,
        retry=retry if retry is not None else RetryPolicy(max_attempts=5),
        **options,
    )


def scripted_connection(
    responder: Responder, clock: FakeClock | None = None
) -> tuple[Connection, ScriptedTransport]:
    """A connection whose requests go to ``responder`` (and whose waits go to ``clock``)."""
    transport = ScriptedTransport.answering(responder)
    clock = clock or FakeClock(start=1000.0)
    connection = Connection(
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        transport=transport,
        sleep=clock.sleep,
        clock=clock,
    )
    return connection, transport


def fake_connection(
    responder: Responder,
    *,
    sleeps: list[float] | None = None,
    max_attempts: int = 5,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> tuple[Connection, ScriptedTransport]:
    """A connection answered by ``responder``; waits are recorded in ``sleeps``, not slept.

    Retries wait ``base_delay * 2**(attempt - 1)`` at most; with a fixed seed-free policy
    the waits are random, so tests check that waits happened, not their exact length.
    ``retry`` replaces the quick test policy (``max_attempts`` is then ignored);
    ``sleep``, if given, is called with each wait after it is recorded.
    """
    fake = ScriptedTransport.answering(responder)
    waits = sleeps if sleeps is not None else []

    def record(seconds: float) -> None:
        waits.append(seconds)
        if sleep is not None:
            sleep(seconds)

    connection = Connection(
        region_name=REGION,
        endpoint_url="http://dynamodb.test",
        aws_access_key_id=BACKEND_ACCESS_KEY,
        aws_secret_access_key=BACKEND_SECRET_KEY,
        session=shared_botocore_session(),
        transport=fake,
        sleep=record,
        retry=retry or RetryPolicy(max_attempts=max_attempts, base_delay=0.05, max_delay=1.0),
    )
    return connection, fake


def quiet_connection(transport: ScriptedTransport, **options: Any) -> Connection:
    """A Connection that sends through ``transport``, never sleeping between retries."""
    options.setdefault("retry", RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0))
    return Connection(
        region_name=REGION,
        endpoint_url="http://dynamodb.test",
        aws_access_key_id=BACKEND_ACCESS_KEY,
        aws_secret_access_key=BACKEND_SECRET_KEY,
        transport=transport,
        sleep=lambda _seconds: None,
        **options,
    )


def async_connection_to(transport: AsyncTransport, **options: Any) -> AsyncConnection:
    """An :class:`AsyncConnection` with test credentials whose requests go to
    ``transport`` (an asynchronous fake DynamoDB); ``options`` are the connection's."""
    options.setdefault("session", shared_botocore_session())
    return AsyncConnection(
        region_name=REGION,
        endpoint_url="http://dynamodb.test",
        aws_access_key_id=BACKEND_ACCESS_KEY,
        aws_secret_access_key=BACKEND_SECRET_KEY,
        transport=transport,
        **options,
    )
