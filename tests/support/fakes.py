"""Test doubles for the transport seam: scripted transports, canned responses, a fake clock.

Unit tests hand these to ``Connection(transport=..., sleep=..., clock=...)``; nothing is
patched and nothing touches the network.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping
from typing import Any, Final

import botocore.session

from dynamodb2.connection import Connection
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HttpResponse

ACCESS_KEY: Final = "AKIDUNITTEST"
SECRET_KEY: Final = "unit-test-secret-key-value"
SESSION_TOKEN: Final = "unit-test-session-token-value"

Answer = HttpResponse | Exception | Callable[[HttpRequest], HttpResponse]


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


class ScriptedTransport:
    """A transport that answers from a script and records every request it is given.

    Each call takes the next answer; the last one repeats forever. An answer may be a
    response, an exception to raise, or a function of the request.
    """

    def __init__(self, *answers: Answer) -> None:
        if not answers:
            raise ValueError("give at least one answer")
        self._answers = list(answers)
        self.requests: list[HttpRequest] = []

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        answer = self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, HttpResponse):
            return answer
        return answer(request)

    @property
    def calls(self) -> int:
        """How many requests were sent."""
        return len(self.requests)

    @property
    def last(self) -> HttpRequest:
        """The most recent request."""
        return self.requests[-1]


class FakeClock:
    """A monotonic clock that only moves when told to; its :meth:`sleep` moves it."""

    def __init__(self) -> None:
        self.now = 0.0
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
