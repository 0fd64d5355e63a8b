"""Connections share botocore's models and built-in handlers, yet each reads the environment.

``Connection()`` builds its botocore session from shared parts (``dynamodb2._sessions``);
these tests pin that nothing a connection should resolve for itself leaks from one
connection to the next, and that handlers added to botocore's built-ins later (as
``import moto`` does) still reach new connections.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.handlers import BUILTIN_HANDLERS

from dynamodb2.connection import Connection
from dynamodb2.exceptions import ConnectionFailedError
from dynamodb2.retry import RetryPolicy
from tests.support.fakes import ScriptedTransport, json_response

OK = json_response({"TableNames": []})


def test_each_connection_takes_the_credentials_in_the_environment_when_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFIRST")
    first_transport = ScriptedTransport(OK)
    first = Connection(transport=first_transport)
    first.list_tables({})
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDSECOND")
    second_transport = ScriptedTransport(OK)

    Connection(transport=second_transport).list_tables({})
    first.list_tables({})

    assert "Credential=AKIDSECOND/" in second_transport.last.headers["Authorization"]
    assert "Credential=AKIDFIRST/" in first_transport.last.headers["Authorization"]


def test_each_connection_takes_the_region_and_endpoint_in_the_environment_when_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:7001")
    first = Connection(transport=ScriptedTransport(OK))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:7002")

    second = Connection(transport=ScriptedTransport(OK))

    assert (first.region_name, first.endpoint_url) == ("eu-west-3", "http://localhost:7001")
    assert (second.region_name, second.endpoint_url) == ("ap-south-1", "http://localhost:7002")


class _Answering:
    """A before-send handler answering ListTables for one endpoint only."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.calls = 0

    def __call__(self, request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse | None:
        if not request.url.startswith(self.url):
            return None
        self.calls += 1
        body = b'{"TableNames":["answered"]}'
        headers = {"x-amz-crc32": str(zlib.crc32(body)), "content-length": str(len(body))}
        return AWSResponse(request.url, 200, headers, _Raw(body))  # type: ignore[arg-type]


class _Raw:
    reason = "OK"

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self.body


def test_a_builtin_handler_added_after_a_connection_was_made_reaches_later_connections() -> None:
    # moto's mock_aws works this way: importing moto appends its handler to
    # BUILTIN_HANDLERS, possibly after the first connection was made.
    url = "http://builtin-handler-test.invalid:9"
    Connection(endpoint_url=url)
    handler = _Answering(url)
    BUILTIN_HANDLERS.append(("before-send", handler))
    try:
        later = Connection(endpoint_url=url, retry=RetryPolicy(max_attempts=1))

        answer = later.list_tables({})
    finally:
        BUILTIN_HANDLERS.remove(("before-send", handler))

    assert answer == {"TableNames": ["answered"]}
    assert handler.calls == 1


def test_a_builtin_handler_removed_is_gone_from_later_connections() -> None:
    url = "http://builtin-handler-test.invalid:9"
    handler = _Answering(url)
    BUILTIN_HANDLERS.append(("before-send", handler))
    try:
        Connection(endpoint_url=url)
    finally:
        BUILTIN_HANDLERS.remove(("before-send", handler))
    later = Connection(endpoint_url=url, retry=RetryPolicy(max_attempts=1))

    with pytest.raises(ConnectionFailedError):
        later.list_tables({})
    assert handler.calls == 0
