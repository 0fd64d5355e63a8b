"""Helpers for the high-level API's tests: recorded connections, ready tables, fake DynamoDB.

- :func:`backend_for_module` gives a whole test module one backend (per parameter), for
  read-only tests that share one seeded table instead of creating it per test.

- :func:`recorded_connection` connects to a backend through a transport that records every
  request (operation and JSON body) before sending it on, so integration tests can count
  requests and check that nothing was sent.
- :func:`create_table` is ``Table.create`` followed by waiting until the table and its
  global indexes are ``ACTIVE`` (dynalite, like DynamoDB, answers CreateTable and
  UpdateTable before it has finished them).
- :class:`FakeDynamoDB` is a transport for unit tests: a function per operation answers
  each request, and every request is kept.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

from dynamodb2.connection import Connection
from dynamodb2.fields import BaseIndexField, BaseSchemaField
from dynamodb2.retry import RetryPolicy
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse, HTTPTransport, Transport
from tests.backends import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Backend,
    delete_all_tables,
    reset_moto_server,
    shared_botocore_session,
)

__all__ = [
    "FakeDynamoDB",
    "RecordingTransport",
    "backend_for_module",
    "create_table",
    "fake_connection",
    "recorded_connection",
    "wait_until_active",
]


#: Environment variables that could point a test at a real account, endpoint or proxy.
_LEAKY_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "BOTO_PATH",
)


@contextlib.contextmanager
def backend_for_module(name: str, request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Backend ``name``, clean on entry and exit, for the tests of one module.

    The same as the ``backend`` fixture does for one test (with the same isolated AWS
    environment), so a module-scoped fixture can seed a table once for many read-only
    tests.
    """
    absent: Path = request.getfixturevalue("tmp_path_factory").mktemp("aws")
    with pytest.MonkeyPatch.context() as environment:
        for variable in _LEAKY_VARIABLES:
            environment.delenv(variable, raising=False)
        environment.setenv("AWS_CONFIG_FILE", str(absent / "config-absent"))
        environment.setenv("AWS_SHARED_CREDENTIALS_FILE", str(absent / "credentials-absent"))
        environment.setenv("BOTO_CONFIG", str(absent / "boto-config-absent"))
        environment.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        environment.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        environment.setenv("AWS_DEFAULT_REGION", REGION)
        environment.setenv("AWS_EC2_METADATA_DISABLED", "true")
        if name == "moto":
            from moto import mock_aws

            with mock_aws():
                yield Backend(name, None)
        elif name == "moto_server":
            url: str = request.getfixturevalue("moto_server_url")
            reset_moto_server(url)
            yield Backend(name, url)
            reset_moto_server(url)
        else:
            backend = Backend(name, request.getfixturevalue("dynalite_url"))
            with backend.connect() as cleaner:
                delete_all_tables(cleaner)
                yield backend
                delete_all_tables(cleaner)


@attrs.define
class RecordingTransport:
    """Passes requests on to ``inner`` after noting each one's operation and body."""

    inner: Transport
    requests: list[tuple[str, dict[str, Any]]] = attrs.field(factory=list)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append((request.operation, json.loads(request.body)))
        return self.inner(request)

    @property
    def operations(self) -> list[str]:
        """The operation of every request so far, in order."""
        return [operation for operation, _ in self.requests]

    def bodies(self, operation: str) -> list[dict[str, Any]]:
        """The bodies of every ``operation`` request so far."""
        return [body for name, body in self.requests if name == operation]

    def clear(self) -> None:
        """Forget the requests recorded so far."""
        self.requests.clear()


def recorded_connection(backend: Backend) -> tuple[Connection, RecordingTransport]:
    """A connection to ``backend`` whose requests are recorded."""
    # A first connection resolves the endpoint and gives the event emitter the real
    # transport needs (moto in-process answers through that emitter).
    probe = backend.connect()
    recorder = RecordingTransport(HTTPTransport(probe.events))
    return backend.connect(transport=recorder), recorder


def wait_until_active(table: Table, timeout: float = 10.0) -> None:
    """Block until the table and each of its global indexes is ``ACTIVE``."""
    deadline = time.monotonic() + timeout
    while True:
        described = table.connection.describe_table(table.table_name)["Table"]
        statuses = [described.get("TableStatus")]
        statuses += [
            index.get("IndexStatus", "ACTIVE")
            for index in described.get("GlobalSecondaryIndexes", [])
        ]
        if all(status == "ACTIVE" for status in statuses):
            return
        if time.monotonic() >= deadline:
            raise RuntimeError(f"table {table.table_name!r} not ACTIVE after {timeout} s")
        time.sleep(0.005)


def create_table(
    connection: Connection,
    name: str,
    schema: Sequence[BaseSchemaField],
    *,
    indexes: Sequence[BaseIndexField] | None = None,
    global_indexes: Sequence[BaseIndexField] | None = None,
    throughput: Mapping[str, int] | None = None,
    billing_mode: Literal["PROVISIONED", "PAY_PER_REQUEST"] | None = None,
) -> Table:
    """``Table.create(...)``, returned once the table can be used."""
    table = Table.create(
        name,
        schema=schema,
        throughput=throughput,
        indexes=indexes,
        global_indexes=global_indexes,
        connection=connection,
        billing_mode=billing_mode,
    )
    wait_until_active(table)
    return table


# ----------------------------------------------------------------------------- unit tests

#: Answers one request: (operation, request body) -> response body, or raises
#: :class:`ServiceError` for an error response.
Responder = Callable[[str, dict[str, Any]], Mapping[str, Any]]


class ServiceError(Exception):
    """Raised by a responder to answer with a DynamoDB error body."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


@attrs.define
class FakeDynamoDB:
    """A transport answering from ``responder``; keeps every request it was given."""

    responder: Responder
    requests: list[tuple[str, dict[str, Any]]] = attrs.field(factory=list)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        body = json.loads(request.body)
        self.requests.append((request.operation, body))
        try:
            answer = self.responder(request.operation, body)
        except ServiceError as error:
            payload = {
                "__type": f"com.amazonaws.dynamodb.v20120810#{error.code}",
                "message": error.message,
            }
            return HttpResponse(error.status, {}, json.dumps(payload).encode())
        return HttpResponse(200, {}, json.dumps(answer).encode())

    def bodies(self, operation: str) -> list[dict[str, Any]]:
        """The bodies of every ``operation`` request so far."""
        return [body for name, body in self.requests if name == operation]


def fake_connection(
    responder: Responder,
    *,
    sleeps: list[float] | None = None,
    max_attempts: int = 5,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> tuple[Connection, FakeDynamoDB]:
    """A connection answered by ``responder``; waits are recorded in ``sleeps``, not slept.

    Retries wait ``base_delay * 2**(attempt - 1)`` at most; with a fixed seed-free policy
    the waits are random, so tests check that waits happened, not their exact length.
    ``retry`` replaces the quick test policy (``max_attempts`` is then ignored);
    ``sleep``, if given, is called with each wait after it is recorded.
    """
    fake = FakeDynamoDB(responder)
    waits = sleeps if sleeps is not None else []

    def record(seconds: float) -> None:
        waits.append(seconds)
        if sleep is not None:
            sleep(seconds)

    connection = Connection(
        region_name=REGION,
        endpoint_url="http://dynamodb.test",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_botocore_session(),
        transport=fake,
        sleep=record,
        retry=retry or RetryPolicy(max_attempts=max_attempts, base_delay=0.05, max_delay=1.0),
    )
    return connection, fake
