"""Credentials never leak: not into logs, reprs, exceptions or what exceptions carry.

A whole working session (successful calls, service errors, retries over injected faults,
calls that give up) runs on every backend with DEBUG logging on for every logger
(botocore's and urllib3's included), with and without ``log_bodies``. Then every log
record, formatted with its traceback, and every exception raised (its str, repr,
traceback, chained causes and their attributes) is searched for the secret key, the
session token and each request's signature. Bodies appear in the logs only with
``log_bodies=True``.

TLS: a local HTTPS endpoint with a self-signed certificate is refused by default (and
not retried), accepted with its CA bundle, and accepted with a warning when
verification is turned off. (Endpoint URLs without an http(s) scheme are refused in
tests/unit/test_connection.py.)
"""

from __future__ import annotations

import contextlib
import datetime
import http.server
import ipaddress
import json
import logging
import ssl
import threading
import traceback
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import attrs
import pytest
from urllib3.exceptions import InsecureRequestWarning

from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    BatchWriteError,
    ConditionalCheckFailedException,
    ConnectionFailedError,
    DynamoDBError,
    DynamoDBResponseError,
    InsecureTransportWarning,
    ParameterValidationError,
    ResourceNotFoundException,
    ValidationException,
)
from dynamodb2.fields import HashKey
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.retry import RetryPolicy
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse, HTTPTransport, Transport
from tests.support.backends import REGION, Backend, shared_botocore_session
from tests.support.faults import Fault, FaultInjector, FaultPlan, FaultyProxy, FaultyTransport
from tests.support.table_support import wait_until_active

ACCESS_KEY: Final = "AKIDSECRETSTEST0001"
SECRET_KEY: Final = "wJalrXUtnFEMI-secret-key-that-must-never-leak"
SESSION_TOKEN: Final = "FwoGZXIvYXdzE-session-token-that-must-never-leak"
#: A value stored in items: it may reach the logs only with log_bodies=True.
BODY_MARKER: Final = "body-marker-7f3a"
RETRY: Final = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002)


@attrs.define
class SignatureCapture:
    """A transport wrapper keeping every Authorization header sent (to search for)."""

    inner: Transport
    signatures: list[str] = attrs.field(factory=list)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.signatures.append(request.headers["Authorization"])
        return self.inner(request)


@attrs.define
class Session:
    """A connection with secret credentials to a backend, through injectable faults."""

    connection: Connection
    injector: FaultInjector
    capture: SignatureCapture
    raised: list[BaseException] = attrs.field(factory=list)

    def expect(self, error: type[BaseException], call: Callable[[], object]) -> None:
        """Run ``call``, which must raise ``error``; keep the exception for inspection."""
        with pytest.raises(error) as raised:
            call()
        self.raised.append(raised.value)


@pytest.fixture(params=[False, True], ids=["bodies-off", "bodies-on"])
def session(request: pytest.FixtureRequest, backend: Backend) -> Iterator[Session]:
    log_bodies: bool = request.param
    injector = FaultInjector(seed=7)
    options: dict[str, Any] = {
        "region_name": REGION,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
        "aws_session_token": SESSION_TOKEN,
        "session": shared_botocore_session(),
        "retry": RETRY,
        "log_bodies": log_bodies,
        "read_timeout": 0.5,
    }
    with contextlib.ExitStack() as stack:
        url: str | None = None
        faults_at_the_seam = backend.endpoint_url is None  # moto in-process: no socket
        if backend.endpoint_url is not None:
            # A server: faults on real sockets, through the proxy.
            proxy = stack.enter_context(FaultyProxy(backend.endpoint_url, injector, stall=1.0))
            url = proxy.url
        events = Connection(endpoint_url=url, **options).events
        real = HTTPTransport(events, read_timeout=options["read_timeout"])
        capture = SignatureCapture(FaultyTransport(real, injector) if faults_at_the_seam else real)
        connection = stack.enter_context(Connection(endpoint_url=url, transport=capture, **options))
        stack.callback(real.close)
        yield Session(connection, injector, capture)


def work_through_a_session(session: Session) -> None:
    """Successful calls, service errors, retried faults, and calls that give up."""
    connection = session.connection
    injector = session.injector
    table = Table.create("secrets", schema=[HashKey("id")], connection=connection)
    wait_until_active(table)
    table.put_item({"id": "a", "note": BODY_MARKER})
    assert table.get_item(id="a", consistent=True)["note"] == BODY_MARKER
    with table.batch_write() as batch:
        for n in range(30):
            batch.put_item({"id": f"b{n}", "note": BODY_MARKER})
    assert len(list(table.batch_get([{"id": f"b{n}"} for n in range(30)]))) == 30
    assert len(list(table.scan(max_page_size=10))) == 31
    item = table.get_item(id="a")
    item["note"] = BODY_MARKER + "-changed"
    item.partial_save()

    # Service errors.
    session.expect(ConditionalCheckFailedException, lambda: table.put_item({"id": "a"}))
    layer1 = DynamoDBConnection(connection=connection)
    session.expect(
        ValidationException,
        lambda: layer1.update_item("secrets", {"id": {"S": "a"}}, update_expression="SET"),
    )
    missing = Table("no_such_table", schema=[HashKey("id")], connection=connection)
    session.expect(ResourceNotFoundException, lambda: missing.get_item(id="a"))
    session.expect(ParameterValidationError, lambda: table.put_item({"id": "x" * 3000}))

    # Faults that are retried until they pass.
    for first, second in (
        (Fault.THROTTLED, Fault.RESET_AFTER),
        (Fault.TRUNCATED, Fault.CRC_MISMATCH),
        (Fault.READ_TIMEOUT, Fault.SERVER_ERROR),
    ):
        injector.inject_next(first, operation="GetItem")
        injector.inject_next(second, operation="GetItem")
        assert table.get_item(id="a", consistent=True)["id"] == "a"

    # Calls that give up.
    injector.plan = FaultPlan.always(Fault.RESET_BEFORE, operations=frozenset({"GetItem"}))
    session.expect(ConnectionFailedError, lambda: table.get_item(id="a"))
    injector.plan = FaultPlan.always(Fault.THROTTLED, operations=frozenset({"BatchWriteItem"}))

    def give_up_on_a_batch() -> None:
        with table.batch_write() as batch:
            batch.put_item({"id": "c", "note": BODY_MARKER})

    session.expect(BatchWriteError, give_up_on_a_batch)
    injector.plan = FaultPlan()


def reachable_text(error: BaseException) -> str:
    """Everything an exception shows or carries: its str, repr and traceback, and the
    reprs of the attributes and arguments of it and of every exception chained to it."""
    parts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        parts += [str(current), repr(current), repr(current.args)]
        parts += [f"{name}={value!r}" for name, value in vars(current).items()]
        pending += [current.__cause__, current.__context__]
        block = getattr(current, "block_exception", None)
        if isinstance(block, BaseException):
            pending.append(block)
    return "\n".join(parts)


def assert_no_secret(text: str, signatures: list[str], where: str) -> None:
    assert SECRET_KEY not in text, where
    assert SESSION_TOKEN not in text, where
    assert "Signature=" not in text, where
    for signature in signatures:
        assert signature.rsplit("Signature=", 1)[-1] not in text, where


def test_a_whole_session_leaks_no_credential_into_logs_or_exceptions(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: dynamodb2, botocore, urllib3, moto

    work_through_a_session(session)

    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    records = [formatter.format(record) for record in caplog.records]
    signatures = session.capture.signatures
    assert len(signatures) > 20
    for text in records:
        assert_no_secret(text, signatures, text[:200])
    for error in session.raised:
        assert_no_secret(reachable_text(error), signatures, repr(error))
    loggers = {record.name for record in caplog.records}
    assert "dynamodb2.connection" in loggers
    assert any(name.startswith("botocore") for name in loggers)
    ours = [
        record.getMessage() for record in caplog.records if "request headers" in record.getMessage()
    ]
    assert ours
    assert all("'Authorization': '<redacted>'" in message for message in ours)
    assert all("'X-Amz-Security-Token': '<redacted>'" in message for message in ours)
    bodies_logged = any(BODY_MARKER in text for text in records)
    assert bodies_logged is session.connection.log_bodies
    assert session.injector.total_injected >= 6


# --------------------------------------------------------------------------- reprs


def test_reprs_of_the_public_objects_show_no_credential() -> None:
    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        session=shared_botocore_session(),
        transport=lambda _request: HttpResponse(200, {}, b"{}"),
    )
    layer1 = DynamoDBConnection(connection=connection)
    table = Table("users", schema=[HashKey("id")], connection=layer1)
    objects: list[object] = [
        connection,
        layer1,
        table,
        Item(table, data={"id": "a"}),
        table.batch_write(),
        table.scan(),
        RETRY,
        HTTPTransport(connection.events),
    ]

    for thing in objects:
        assert_no_secret(repr(thing), [], type(thing).__name__)
        assert_no_secret(str(thing), [], type(thing).__name__)


def test_a_refused_key_pair_does_not_echo_the_key() -> None:
    with pytest.raises(ParameterValidationError) as raised:
        Connection(aws_secret_access_key=SECRET_KEY, session=shared_botocore_session())

    assert_no_secret(reachable_text(raised.value), [], "half a key pair")


def test_a_batch_write_error_carries_items_only() -> None:
    responses = iter([json.dumps({"__type": "x#ThrottlingException", "message": "busy"})] * 99)

    def throttle(_request: HttpRequest) -> HttpResponse:
        return HttpResponse(400, {}, next(responses).encode())

    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        session=shared_botocore_session(),
        transport=throttle,
        retry=RETRY,
        sleep=lambda _seconds: None,
    )
    table = Table("users", schema=[HashKey("id")], connection=connection)

    with pytest.raises(BatchWriteError) as raised, table.batch_write() as batch:
        batch.put_item({"id": "a", "note": "n"})

    error = raised.value
    assert error.unsent_requests == [
        {"PutRequest": {"Item": {"id": {"S": "a"}, "note": {"S": "n"}}}}
    ]
    assert_no_secret(reachable_text(error), [], "BatchWriteError")
    assert isinstance(error.__cause__, DynamoDBResponseError)
    assert isinstance(error, DynamoDBError)


# --------------------------------------------------------------------------- TLS


@attrs.frozen
class Certificate:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files."""

    cert: Path
    key: Path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dynamodb2 test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path = folder / "cert.pem"
    key_path = folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_path, key_path)


class _Answer(http.server.BaseHTTPRequestHandler):
    """Answers any POST like ListTables on an empty account."""

    requests = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        type(self).requests += 1
        body = b'{"TableNames": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amz-crc32", str(zlib.crc32(body) & 0xFFFFFFFF))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def https_url(certificate: Certificate) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate.cert, certificate.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    _Answer.requests = 0
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def tls_connection(url: str, **options: Any) -> Connection:
    return Connection(
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_botocore_session(),
        retry=RETRY,
        connect_timeout=2,
        read_timeout=2,
        **options,
    )


def test_tls_certificates_are_verified_by_default_and_a_failure_is_not_retried(
    https_url: str,
) -> None:
    with (
        tls_connection(https_url) as connection,
        pytest.raises(ConnectionFailedError, match="TLS") as raised,
    ):
        connection.list_tables({})

    assert raised.value.retryable is False
    assert connection.retries == 0
    assert _Answer.requests == 0


def test_a_ca_bundle_given_as_verify_is_trusted(https_url: str, certificate: Certificate) -> None:
    with tls_connection(https_url, verify=str(certificate.cert)) as connection:
        assert connection.list_tables({}) == {"TableNames": []}

    assert _Answer.requests == 1


def test_verify_false_warns_and_then_talks_to_anyone(https_url: str) -> None:
    with pytest.warns(InsecureTransportWarning, match="verification is off"):
        connection = tls_connection(https_url, verify=False)
    # urllib3 warns as well, on every unverified request.
    with connection, pytest.warns(InsecureRequestWarning):
        assert connection.list_tables({}) == {"TableNames": []}

    assert _Answer.requests == 1


# --------------------------------------------------------------------------- error bodies


def test_a_signature_error_quoting_the_canonical_request_is_scrubbed_of_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # DynamoDB's InvalidSignatureException quotes the canonical request it computed,
    # signed headers and their values included: x-amz-security-token among them.
    body = json.dumps(
        {
            "__type": "com.amazon.coral.service#InvalidSignatureException",
            "message": "The request signature we calculated does not match the signature you "
            "provided. The Canonical String for this request should have been 'POST\\n/\\n\\n"
            f"x-amz-security-token:{SESSION_TOKEN}\\n' (and the key was {SECRET_KEY})",
        }
    ).encode()
    checksum = str(zlib.crc32(body) & 0xFFFFFFFF)
    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=SESSION_TOKEN,
        session=shared_botocore_session(),
        transport=lambda _request: HttpResponse(400, {"x-amz-crc32": checksum}, body),
        log_bodies=True,
    )
    caplog.set_level(logging.DEBUG, logger="dynamodb2")

    with pytest.raises(DynamoDBResponseError) as raised:
        connection.list_tables({})

    assert raised.value.error_code == "InvalidSignatureException"
    assert "x-amz-security-token:<redacted>" in str(raised.value)
    assert_no_secret(reachable_text(raised.value), [], "the raised error")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "x-amz-security-token:<redacted>" in logged
    assert_no_secret(logged, [], "the logged body")
