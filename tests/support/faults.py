"""Fault injection for the reliability tests: seeded, counted, through the seam or a socket.

Two ways to put faults between the library and a DynamoDB backend, sharing one
:class:`FaultInjector` (what to inject, decided by a seeded :class:`random.Random`, and
counted per kind):

- :class:`FaultyTransport` wraps a transport (the real :class:`BotocoreTransport`, or a
  fake DynamoDB) at the seam below :class:`~dynamodb2.connection.Connection`;
- :class:`FaultyProxy` is a small threaded HTTP forwarder on a loopback port, put in front
  of moto server or dynalite with ``endpoint_url=proxy.url``: connection resets, stalls
  and cut-short bodies then happen on real sockets and reach the library through
  botocore and urllib3, as they would in production.

Faults (:class:`Fault`) are injected at the rates of a :class:`FaultPlan`. Some are
answered without asking the backend (throttling, 500, 503, a reset before sending); the
others (:data:`APPLIED`) forward the request first, so the backend *has applied it*, and
then lose or spoil the response: that is the case where a retried write is applied twice.
``UNPROCESSED`` makes a BatchWriteItem / BatchGetItem leave a random subset of its
requests unprocessed (the subset is not forwarded, and is handed back as
``UnprocessedItems`` / ``UnprocessedKeys``, as DynamoDB does).

Rewriting a batch request's body invalidates its signature; moto and dynalite do not
check signatures, which is what lets a proxy do it.
"""

from __future__ import annotations

import contextlib
import enum
import http.client
import json
import random
import socket
import socketserver
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

import attrs

from dynamodb2.exceptions import ConnectionFailedError, ReadTimeoutError
from dynamodb2.transport import HttpRequest, HttpResponse, Transport

__all__ = [
    "APPLIED",
    "DATA_OPERATIONS",
    "TALLY",
    "AsyncFaultyTransport",
    "Fault",
    "FaultInjector",
    "FaultPlan",
    "FaultTally",
    "FaultyProxy",
    "FaultyTransport",
]


class Fault(enum.Enum):
    """One kind of failure between the library and DynamoDB."""

    #: HTTP 400 ProvisionedThroughputExceededException; the backend never sees the request.
    THROTTLED = "throttled"
    #: HTTP 400 ThrottlingException; the backend never sees the request.
    THROTTLING = "throttling"
    #: HTTP 500 InternalServerError (JSON body); the backend never sees the request.
    SERVER_ERROR = "server_error"
    #: HTTP 503 with a plain-text body; the backend never sees the request.
    UNAVAILABLE = "unavailable"
    #: The connection is reset before the request reaches the backend.
    RESET_BEFORE = "reset_before"
    #: The backend applies the request; the connection is reset before the response.
    RESET_AFTER = "reset_after"
    #: The backend applies the request; no response comes within the read timeout.
    READ_TIMEOUT = "read_timeout"
    #: The backend applies the request; the body arrives cut short.
    TRUNCATED = "truncated"
    #: The backend applies the request; a byte of the body changes in transit.
    CRC_MISMATCH = "crc_mismatch"
    #: A random subset of a batch request is left unprocessed (batch operations only).
    UNPROCESSED = "unprocessed"


#: Faults after which the backend has applied the request although the client saw a failure.
APPLIED: Final = frozenset(
    {Fault.RESET_AFTER, Fault.READ_TIMEOUT, Fault.TRUNCATED, Fault.CRC_MISMATCH}
)
_BATCH_OPERATIONS: Final = frozenset({"BatchWriteItem", "BatchGetItem"})
#: The operations faults are injected into unless a plan says otherwise.
DATA_OPERATIONS: Final = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
    }
)
_NAMESPACE: Final = "com.amazonaws.dynamodb.v20120810#"
_ERRORS: Final[Mapping[Fault, tuple[int, str, str, str]]] = {
    Fault.THROTTLED: (
        400,
        "Bad Request",
        "ProvisionedThroughputExceededException",
        "The level of configured provisioned throughput for the table was exceeded. "
        "Consider increasing your provisioning level with the UpdateTable API.",
    ),
    Fault.THROTTLING: (400, "Bad Request", "ThrottlingException", "Rate of requests exceeds"),
    Fault.SERVER_ERROR: (500, "Internal Server Error", "InternalServerError", "Internal error"),
}


@attrs.frozen
class FaultPlan:
    """What to inject: a rate per fault kind, for some operations.

    Attributes:
        rates: the chance of each fault per request (they add up; the rest pass).
        max_streak: after this many faults in a row, the next request passes; it bounds
            the retries any one call can need (``None``: no bound, for give-up tests).
        limits: at most this many faults of a kind in all (slow ones: read timeouts).
        operations: the operations faults are injected into.
    """

    rates: Mapping[Fault, float] = attrs.field(factory=dict)
    max_streak: int | None = 3
    limits: Mapping[Fault, int] = attrs.field(factory=dict)
    operations: frozenset[str] = DATA_OPERATIONS

    @classmethod
    def always(cls, fault: Fault, *, operations: frozenset[str] = DATA_OPERATIONS) -> FaultPlan:
        """Every request of ``operations`` fails with ``fault``, forever."""
        return cls(rates={fault: 1.0}, max_streak=None, operations=operations)

    @classmethod
    def mixed(cls, total: float, *, without: frozenset[Fault] = frozenset()) -> FaultPlan:
        """Every fault kind, ``total`` of the requests in all, split evenly."""
        kinds = [fault for fault in Fault if fault not in without]
        return cls(rates=dict.fromkeys(kinds, total / len(kinds)))


class FaultInjector:
    """Decides, per request, which fault (if any) to inject; counts what it did.

    Thread-safe. With one seed and the same requests in the same order, it makes the
    same decisions.
    """

    def __init__(self, plan: FaultPlan | None = None, *, seed: int = 0) -> None:
        self.plan = plan if plan is not None else FaultPlan()
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._streak = 0
        self._scripted: list[tuple[Fault, str | None]] = []
        #: Faults injected so far, by kind.
        self.injected: Counter[Fault] = Counter()
        #: Requests seen so far, by operation.
        self.requests: Counter[str] = Counter()
        #: Write requests a BatchWriteItem left unprocessed, and keys a BatchGetItem did.
        self.unprocessed_entries = 0

    def inject_next(self, fault: Fault, *, operation: str | None = None) -> None:
        """Inject ``fault`` into the next request (of ``operation``, if given).

        Faults queued this way come first, in order, still bounded by the plan's
        ``max_streak``.
        """
        with self._lock:
            self._scripted.append((fault, operation))

    def inject_each_kind(self, operation: str) -> None:
        """Queue one fault of every kind for ``operation``'s next requests."""
        for fault in Fault:
            if fault is not Fault.UNPROCESSED or operation in _BATCH_OPERATIONS:
                self.inject_next(fault, operation=operation)

    def decide(self, operation: str) -> Fault | None:
        """The fault for the next request of ``operation``, or ``None`` to let it pass."""
        with self._lock:
            self.requests[operation] += 1
            plan = self.plan
            if plan.max_streak is not None and self._streak >= plan.max_streak:
                self._streak = 0
                return None
            for position, (fault, wanted) in enumerate(self._scripted):
                if wanted is None or wanted == operation:
                    del self._scripted[position]
                    if fault is Fault.UNPROCESSED and operation not in _BATCH_OPERATIONS:
                        break
                    self._streak += 1
                    self.injected[fault] += 1
                    return fault
            if operation not in plan.operations:
                return None
            draw = self._random.random()
            threshold = 0.0
            for fault, rate in plan.rates.items():
                if fault is Fault.UNPROCESSED and operation not in _BATCH_OPERATIONS:
                    continue
                limit = plan.limits.get(fault)
                if limit is not None and self.injected[fault] >= limit:
                    continue
                threshold += rate
                if draw < threshold:
                    self._streak += 1
                    self.injected[fault] += 1
                    return fault
            self._streak = 0
            return None

    def hold_back(self, entries: list[Any]) -> list[bool]:
        """For each entry of a batch, whether to leave it unprocessed (at least one is)."""
        with self._lock:
            held = [self._random.random() < 0.5 for _ in entries]
            if entries and not any(held):
                held[self._random.randrange(len(entries))] = True
            self.unprocessed_entries += sum(held)
            return held

    @property
    def total_injected(self) -> int:
        """Faults injected so far, of every kind."""
        return sum(self.injected.values())

    @property
    def total_requests(self) -> int:
        """Requests seen so far."""
        return sum(self.requests.values())

    def describe(self) -> str:
        """``"12 faults in 80 requests (throttled=3, reset_after=2, ...)"``."""
        kinds = ", ".join(
            f"{fault.value}={count}" for fault, count in sorted(self.injected.items(), key=_by_kind)
        )
        return f"{self.total_injected} faults in {self.total_requests} requests ({kinds})"


def _by_kind(entry: tuple[Fault, int]) -> str:
    return entry[0].value


# ----------------------------------------------------------------------------- tally


@attrs.define
class FaultTally:
    """Totals over every fault-injection test of a run (printed in pytest's summary)."""

    injected: Counter[Fault] = attrs.field(factory=Counter)
    requests: int = 0
    operations: int = 0
    lost: int = 0
    duplicates: int = 0
    runs: int = 0
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def record(
        self, injector: FaultInjector, *, operations: int, lost: int = 0, duplicates: int = 0
    ) -> None:
        """Add one test's numbers: what was injected, logical operations, and damage."""
        with self._lock:
            self.injected.update(injector.injected)
            self.requests += injector.total_requests
            self.operations += operations
            self.lost += lost
            self.duplicates += duplicates
            self.runs += 1

    def summary(self) -> str:
        """One paragraph for the end of a test run."""
        kinds = ", ".join(
            f"{fault.value}={self.injected[fault]}" for fault in Fault if self.injected[fault]
        )
        return (
            f"fault injection: {self.runs} runs, {sum(self.injected.values())} faults "
            f"injected ({kinds}) into {self.requests} requests for {self.operations} "
            f"operations; items lost: {self.lost}, duplicates: {self.duplicates}"
        )


#: The run's totals; ``tests/conftest.py`` prints them at the end.
TALLY: Final = FaultTally()


# ----------------------------------------------------------------------------- bodies


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"__type": _NAMESPACE + code, "message": message}).encode()


def _injected_error(fault: Fault) -> tuple[int, str, bytes, str]:
    """(status, reason, body, content type) of an error answered without the backend."""
    if fault is Fault.UNAVAILABLE:
        return 503, "Service Unavailable", b"Service Unavailable", "text/plain"
    status, reason, code, message = _ERRORS[fault]
    return status, reason, _error_body(code, message), "application/x-amz-json-1.0"


def _crc32(body: bytes) -> str:
    return str(zlib.crc32(body) & 0xFFFFFFFF)


def _corrupt(body: bytes) -> bytes:
    """The body with one byte changed (a bit flipped in transit)."""
    if not body:
        return b" "
    middle = len(body) // 2
    return body[:middle] + bytes([body[middle] ^ 0x01]) + body[middle + 1 :]


def _split_batch(
    injector: FaultInjector, operation: str, body: bytes
) -> tuple[bytes | None, dict[str, Any]]:
    """The request body to forward (``None``: nothing is left to forward) and what is held
    back, in the shape of the response's ``UnprocessedItems`` / ``UnprocessedKeys``."""
    request = json.loads(body)
    held_back: dict[str, Any] = {}
    forwarded: dict[str, Any] = {}
    for table, entry in request["RequestItems"].items():
        if operation == "BatchWriteItem":
            held = injector.hold_back(entry)
            kept = [write for write, hold in zip(entry, held, strict=True) if not hold]
            left = [write for write, hold in zip(entry, held, strict=True) if hold]
            if left:
                held_back[table] = left
            if kept:
                forwarded[table] = kept
        else:
            keys = entry["Keys"]
            held = injector.hold_back(keys)
            kept = [key for key, hold in zip(keys, held, strict=True) if not hold]
            left = [key for key, hold in zip(keys, held, strict=True) if hold]
            if left:
                held_back[table] = {**entry, "Keys": left}
            if kept:
                forwarded[table] = {**entry, "Keys": kept}
    if not forwarded:
        return None, held_back
    return json.dumps({**request, "RequestItems": forwarded}).encode(), held_back


def _with_unprocessed(operation: str, body: bytes, held_back: Mapping[str, Any]) -> bytes:
    """A successful batch response with ``held_back`` added to its unprocessed part."""
    response = json.loads(body) if body else {}
    field = "UnprocessedItems" if operation == "BatchWriteItem" else "UnprocessedKeys"
    unprocessed = dict(response.get(field) or {})
    for table, entry in held_back.items():
        if operation == "BatchWriteItem":
            unprocessed[table] = [*unprocessed.get(table, []), *entry]
        elif table in unprocessed:
            unprocessed[table] = {
                **entry,
                "Keys": [*unprocessed[table]["Keys"], *entry["Keys"]],
            }
        else:
            unprocessed[table] = entry
    response[field] = unprocessed
    if operation == "BatchGetItem":
        response.setdefault("Responses", {})
    return json.dumps(response).encode()


# ----------------------------------------------------------------------------- the seam


class FaultyTransport:
    """A transport that injects faults around ``inner`` (the seam's view of a network).

    Failures are reported the way :class:`~dynamodb2.transport.BotocoreTransport`
    reports them: :class:`ConnectionFailedError` for resets, :class:`ReadTimeoutError`
    for timeouts, and responses with spoiled bodies for the rest.
    """

    def __init__(self, inner: Transport, injector: FaultInjector) -> None:
        self.inner = inner
        self.injector = injector

    def __call__(self, request: HttpRequest) -> HttpResponse:
        exchange = self.exchange(request)
        try:
            forwarded = next(exchange)
            while True:
                forwarded = exchange.send(self.inner(forwarded))
        except StopIteration as done:
            response: HttpResponse = done.value
            return response

    def exchange(self, request: HttpRequest) -> Generator[HttpRequest, HttpResponse, HttpResponse]:
        """The faulty exchange, sans-I/O: yields each request to forward to the backend
        (sent back its response), returns what the client sees (or raises its failure).
        :class:`AsyncFaultyTransport` runs the same exchange, awaiting the backend."""
        if False:  # pragma: no cover - makes this a generator even when nothing is forwarded
            yield request
        operation = request.operation
        fault = self.injector.decide(operation)
        if fault is None:
            return (yield request)
        if fault in _ERRORS or fault is Fault.UNAVAILABLE:
            status, reason, body, content_type = _injected_error(fault)
            headers = {
                "content-type": content_type,
                "content-length": str(len(body)),
                "x-amz-crc32": _crc32(body),
            }
            return HttpResponse(status, headers, body, reason)
        if fault is Fault.RESET_BEFORE:
            raise ConnectionFailedError("Connection reset by peer (injected, before sending)")
        if fault is Fault.UNPROCESSED:
            forward, held_back = _split_batch(self.injector, operation, request.body)
            if forward is None:
                body = _with_unprocessed(operation, b"", held_back)
                return HttpResponse(200, {"content-length": str(len(body))}, body)
            response = yield attrs.evolve(request, body=forward)
            if response.status != 200:
                return response
            body = _with_unprocessed(operation, response.body, held_back)
            headers = {
                name: value
                for name, value in response.headers.items()
                if name not in ("content-length", "x-amz-crc32")
            }
            headers["content-length"] = str(len(body))
            return HttpResponse(200, headers, body, response.reason)
        response = yield request
        if fault is Fault.RESET_AFTER:
            raise ConnectionFailedError("Connection reset by peer (injected, after sending)")
        if fault is Fault.READ_TIMEOUT:
            raise ReadTimeoutError("Read timed out (injected, after sending)")
        headers = dict(response.headers)
        headers["content-length"] = str(len(response.body))
        headers["x-amz-crc32"] = _crc32(response.body)
        if fault is Fault.TRUNCATED:
            return HttpResponse(response.status, headers, response.body[: len(response.body) // 2])
        assert fault is Fault.CRC_MISMATCH
        return HttpResponse(response.status, headers, _corrupt(response.body), response.reason)


class AsyncFaultyTransport:
    """:class:`FaultyTransport` for an asynchronous connection: the same exchange
    (:meth:`FaultyTransport.exchange`), the backend awaited."""

    def __init__(self, inner: Callable[[HttpRequest], Any], injector: FaultInjector) -> None:
        self.inner = inner
        self.faults = FaultyTransport(lambda request: HttpResponse(500, {}, b""), injector)

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        exchange = self.faults.exchange(request)
        try:
            forwarded = next(exchange)
            while True:
                forwarded = exchange.send(await self.inner(forwarded))
        except StopIteration as done:
            response: HttpResponse = done.value
            return response


# ----------------------------------------------------------------------------- the proxy

_HOP_BY_HOP: Final = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection"}
)


class FaultyProxy:
    """An HTTP forwarder on a loopback port that injects faults on real sockets.

    >>> with FaultyProxy("http://127.0.0.1:5000", FaultInjector()) as proxy:  # doctest: +SKIP
    ...     connection = Connection(endpoint_url=proxy.url, read_timeout=0.5, ...)

    Keeps client connections alive between requests; opens one upstream connection per
    request. ``stall`` is how long it sits on a request before dropping the connection
    for a ``READ_TIMEOUT`` (longer than the client's read timeout).
    """

    def __init__(self, upstream: str, injector: FaultInjector, *, stall: float = 2.0) -> None:
        parts = urlsplit(upstream)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream must be http://host:port, not {upstream!r}")
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port
        self.injector = injector
        self.stall = stall
        self._server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler, proxy=self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._closed = threading.Event()

    @property
    def url(self) -> str:
        """The proxy's endpoint URL, for ``Connection(endpoint_url=...)``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultyProxy:
        """Start accepting connections (in a background thread)."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop accepting connections and release the port."""
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultyProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def forward(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        """Send one request upstream; return (status, reason, headers, body)."""
        upstream = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            upstream.request(
                method,
                path,
                body=body,
                headers={name: value for name, value in headers if name.lower() not in _HOP_BY_HOP},
            )
            response = upstream.getresponse()
            payload = response.read()
            return response.status, response.reason, response.getheaders(), payload
        finally:
            upstream.close()

    def wait_or_closed(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if the proxy is closed meanwhile."""
        self._closed.wait(seconds)


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[socketserver.BaseRequestHandler],
        *,
        proxy: FaultyProxy,
    ) -> None:
        self.proxy = proxy
        super().__init__(address, handler)


class _ProxyHandler(socketserver.BaseRequestHandler):
    """Serves one client connection: request after request until it closes."""

    server: _ProxyServer

    def handle(self) -> None:
        connection: socket.socket = self.request
        connection.settimeout(30)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = connection.makefile("rb")
        ending = _Ending.CLOSE
        with contextlib.suppress(OSError):
            ending = self._serve_one(connection, reader)
            while ending is _Ending.KEEP_ALIVE:
                ending = self._serve_one(connection, reader)
        # The reader holds a reference to the socket: close it first, or close() below
        # would not really close the socket (and send no reset).
        reader.close()
        if ending is _Ending.RESET:
            with contextlib.suppress(OSError):
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            connection.close()

    def _serve_one(self, connection: socket.socket, reader: Any) -> _Ending:
        """Serve one request; say how the connection goes on."""
        request_line = reader.readline()
        if not request_line.strip():
            return _Ending.CLOSE
        method, path, _version = request_line.decode("latin-1").split(" ", 2)
        headers: list[tuple[str, str]] = []
        while True:
            line = reader.readline().decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        lookup = {name.lower(): value for name, value in headers}
        body = reader.read(int(lookup.get("content-length", "0")))
        operation = lookup.get("x-amz-target", "").rpartition(".")[2]
        proxy = self.server.proxy
        fault = proxy.injector.decide(operation)

        if fault in _ERRORS or fault is Fault.UNAVAILABLE:
            assert fault is not None
            status, reason, payload, content_type = _injected_error(fault)
            _send_response(connection, status, reason, [("Content-Type", content_type)], payload)
            return _Ending.KEEP_ALIVE
        if fault is Fault.RESET_BEFORE:
            return _Ending.RESET
        held_back: dict[str, Any] = {}
        if fault is Fault.UNPROCESSED:
            forward, held_back = _split_batch(proxy.injector, operation, body)
            if forward is None:
                payload = _with_unprocessed(operation, b"", held_back)
                _send_response(connection, 200, "OK", [], payload)
                return _Ending.KEEP_ALIVE
            body = forward
        status, reason, response_headers, payload = proxy.forward(method, path, headers, body)
        kept = [
            (name, value)
            for name, value in response_headers
            if name.lower() not in _HOP_BY_HOP and name.lower() != "x-amz-crc32"
        ]
        if fault is Fault.UNPROCESSED and status == 200:
            payload = _with_unprocessed(operation, payload, held_back)
        if fault is Fault.RESET_AFTER:
            return _Ending.RESET
        if fault is Fault.READ_TIMEOUT:
            proxy.wait_or_closed(proxy.stall)
            return _Ending.CLOSE
        if fault is Fault.TRUNCATED:
            # The whole length is announced; half the body comes; the connection closes
            # in order (a reset could discard the half body still in the send buffer).
            head = _response_head(status, reason, kept, len(payload), _crc32(payload))
            connection.sendall(head + payload[: len(payload) // 2])
            return _Ending.CLOSE
        if fault is Fault.CRC_MISMATCH:
            head = _response_head(status, reason, kept, len(payload), _crc32(payload))
            connection.sendall(head + _corrupt(payload))
            return _Ending.KEEP_ALIVE
        _send_response(connection, status, reason, kept, payload)
        return _Ending.KEEP_ALIVE


class _Ending(enum.Enum):
    """How a client connection goes on after a request."""

    KEEP_ALIVE = "keep-alive"
    CLOSE = "close"
    RESET = "reset"


def _response_head(
    status: int, reason: str, headers: list[tuple[str, str]], length: int, crc32: str
) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines += [
        f"Content-Length: {length}",
        f"x-amz-crc32: {crc32}",
        "Connection: keep-alive",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send_response(
    connection: socket.socket,
    status: int,
    reason: str,
    headers: list[tuple[str, str]],
    payload: bytes,
) -> None:
    connection.sendall(
        _response_head(status, reason, headers, len(payload), _crc32(payload)) + payload
    )


# ----------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def timed() -> Iterator[Callable[[], float]]:
    """``with timed() as elapsed: ...; elapsed()`` gives the seconds spent inside."""
    started = time.perf_counter()
    finished: list[float] = []
    try:
        yield lambda: (finished[0] if finished else time.perf_counter()) - started
    finally:
        finished.append(time.perf_counter())
