"""Test doubles for the seams: a transport answering from a script, and a fake clock.

Both are handed to :class:`~dynamodb2.connection.Connection` (``transport=``, ``sleep=``,
``clock=``); nothing is patched.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from dynamodb2.connection import Connection
from dynamodb2.transport import HttpRequest, HttpResponse

#: Answers one operation: (operation name, request body) -> response body, or raises.
Responder = Callable[[str, dict[str, Any]], dict[str, Any]]


def service_error(code: str, message: str = "", status: int = 400) -> HttpResponse:
    """An error response as DynamoDB sends it."""
    body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
    return HttpResponse(status, {}, json.dumps(body).encode())


class ServiceError(Exception):
    """Raised by a responder to answer with a DynamoDB error instead of a body."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(code)
        self.response = service_error(code, message, status)


class ScriptedTransport:
    """A transport that asks ``responder`` for each answer and records every request.

    Thread-safe: parallel scans call it from several threads.
    """

    def __init__(self, responder: Responder) -> None:
        self._responder = responder
        self._lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        body = json.loads(request.body)
        with self._lock:
            self.requests.append((request.operation, body))
        try:
            answer = self._responder(request.operation, body)
        except ServiceError as error:
            return error.response
        return HttpResponse(200, {}, json.dumps(answer).encode())

    def operations(self) -> list[str]:
        """The operation names sent so far, in order."""
        with self._lock:
            return [operation for operation, _ in self.requests]


class FakeClock:
    """A monotonic clock that only moves when ``sleep`` is called."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def scripted_connection(
    responder: Responder, clock: FakeClock | None = None
) -> tuple[Connection, ScriptedTransport]:
    """A connection whose requests go to ``responder`` (and whose waits go to ``clock``)."""
    transport = ScriptedTransport(responder)
    clock = clock or FakeClock()
    connection = Connection(
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        transport=transport,
        sleep=clock.sleep,
        clock=clock.clock,
    )
    return connection, transport


def refuse_everything(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
    """A responder for tests asserting that nothing is sent."""
    raise AssertionError(f"{operation} was sent, but nothing should have been")
