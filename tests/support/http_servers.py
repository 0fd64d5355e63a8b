"""Small HTTP servers on loopback for the transport and configuration tests.

>>> with CannedServer(lambda request: ok({})) as server:       # doctest: +SKIP
...     Connection(endpoint_url=server.url).list_tables({})

:class:`CannedServer` answers each request with what its handler returns: bytes to send
(:func:`ok` and :func:`error` make a DynamoDB-like response), or an :class:`Action`
(close the connection, trickle bytes, wait). It counts connections and requests, can speak
TLS with a certificate from a test CA (trustme), and listens on IPv4 or IPv6 loopback.
:class:`ForwardProxy` is an HTTP proxy (absolute-form requests and ``CONNECT`` tunnels)
that records what it was asked.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import attrs

__all__ = [
    "Action",
    "CannedServer",
    "ForwardProxy",
    "Request",
    "error",
    "ok",
    "response_bytes",
]


@attrs.frozen
class Request:
    """A request as the server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def operation(self) -> str:
        """The DynamoDB operation from ``X-Amz-Target``."""
        return self.headers.get("x-amz-target", "").rpartition(".")[2]


@attrs.frozen
class Action:
    """Something other than a plain answer.

    ``send`` goes out first; then, if ``trickle`` is set, ``trickle`` bytes one at a time
    every ``interval`` seconds; then the connection closes if ``close``.
    """

    send: bytes = b""
    trickle: bytes = b""
    interval: float = 0.2
    delay: float = 0.0
    close: bool = False


Handler = Callable[[Request], "bytes | Action"]


def response_bytes(
    status: int,
    body: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    reason: str = "OK",
    crc32: bool = True,
    length: bool = True,
) -> bytes:
    """A full response as DynamoDB would send it."""
    lines = [f"HTTP/1.1 {status} {reason}", "Content-Type: application/x-amz-json-1.0"]
    lines.append("x-amzn-RequestId: TESTREQUEST")
    if crc32:
        lines.append(f"x-amz-crc32: {zlib.crc32(body) & 0xFFFFFFFF}")
    if length:
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def ok(body: Mapping[str, Any], **options: Any) -> bytes:
    """A 200 response with ``body`` as JSON."""
    return response_bytes(200, json.dumps(body).encode(), **options)


def error(code: str, status: int = 400, message: str = "") -> bytes:
    """A DynamoDB error response."""
    payload = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message})
    reasons = {400: "Bad Request", 500: "Internal Server Error", 503: "Service Unavailable"}
    return response_bytes(status, payload.encode(), reason=reasons.get(status, "Error"))


def _read_request(sock: socket.socket, buffer: bytearray) -> Request | None:
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    end = buffer.index(b"\r\n\r\n")
    head = bytes(buffer[:end]).decode("latin-1")
    del buffer[: end + 4]
    request_line, *header_lines = head.split("\r\n")
    method, target, _version = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(buffer) < length:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    body = bytes(buffer[:length])
    del buffer[:length]
    return Request(method, target, headers, body)


class CannedServer:
    """A threaded HTTP/1.1 server on loopback whose answers come from ``handler``."""

    def __init__(
        self,
        handler: Handler,
        *,
        tls: ssl.SSLContext | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.handler = handler
        self.tls = tls
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, 0), family=family)
        self.host = host
        self.port: int = self._listener.getsockname()[1]
        self.connections = 0
        #: Connections the client closed (the server saw their end before closing).
        self.ended = 0
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        """The server's URL."""
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def __enter__(self) -> CannedServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving and close every connection."""
        self._closed.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self._thread.join(5)

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                readable, _, _ = select.select([self._listener], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not readable:
                continue
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._sockets.append(sock)
            threading.Thread(target=self._connection, args=(sock,), daemon=True).start()

    def _connection(self, sock: socket.socket) -> None:
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
                with self._lock:
                    self._sockets.append(sock)
            buffer = bytearray()
            while not self._closed.is_set():
                request = _read_request(sock, buffer)
                if request is None:
                    self._count_end()
                    return
                with self._lock:
                    self.requests.append(request)
                answer = self.handler(request)
                if isinstance(answer, bytes):
                    sock.sendall(answer)
                    continue
                if answer.delay:
                    time.sleep(answer.delay)
                sock.sendall(answer.send)
                for byte in answer.trickle:
                    if self._closed.wait(answer.interval):
                        return
                    sock.sendall(bytes([byte]))
                if answer.close:
                    return
        except (OSError, ssl.SSLError):
            self._count_end()  # reset by the client, or closed mid-request
            return
        finally:
            sock.close()

    def _count_end(self) -> None:
        if not self._closed.is_set():
            with self._lock:
                self.ended += 1


class ForwardProxy:
    """An HTTP forward proxy on loopback: absolute-form requests and CONNECT tunnels.

    ``seen`` records ``(method, target, Proxy-Authorization or None)`` per request.
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.seen: list[tuple[str, str, str | None]] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, credentials: str = "") -> str:
        """The proxy URL, with ``user:password@`` if given."""
        return f"http://{credentials}127.0.0.1:{self.port}"

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closed.set()
        self._listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                readable, _, _ = select.select([self._listener], [], [], 0.05)
                if not readable:
                    continue
                sock, _ = self._listener.accept()
            except (OSError, ValueError):
                return
            threading.Thread(target=self._client, args=(sock,), daemon=True).start()

    def _client(self, sock: socket.socket) -> None:
        buffer = bytearray()
        with sock:
            while True:
                request = _read_request(sock, buffer)
                if request is None:
                    return
                self.seen.append(
                    (request.method, request.target, request.headers.get("proxy-authorization"))
                )
                if request.method == "CONNECT":
                    host, _, port = request.target.rpartition(":")
                    upstream = socket.create_connection((host.strip("[]"), int(port)))
                    sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _pipe(sock, upstream)
                    return
                # Absolute form: forward to the origin over a new connection.
                rest = request.target.split("://", 1)[1]
                authority, _, path = rest.partition("/")
                host, _, port = authority.rpartition(":")
                with socket.create_connection((host, int(port))) as upstream:
                    headers = "".join(
                        f"{name}: {value}\r\n"
                        for name, value in request.headers.items()
                        if name != "proxy-authorization"
                    )
                    upstream.sendall(
                        f"{request.method} /{path} HTTP/1.1\r\n{headers}\r\n".encode("latin-1")
                        + request.body
                    )
                    answer = bytearray()
                    while b"\r\n\r\n" not in answer:
                        answer += upstream.recv(65536)
                    head = bytes(answer[: answer.index(b"\r\n\r\n")]).lower()
                    length = int(head.split(b"content-length:")[1].split(b"\r\n")[0])
                    while len(answer) < answer.index(b"\r\n\r\n") + 4 + length:
                        answer += upstream.recv(65536)
                    sock.sendall(bytes(answer))


def _pipe(left: socket.socket, right: socket.socket) -> None:
    with right:
        sockets = [left, right]
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(65536)
                if not data:
                    return
                (right if sock is left else left).sendall(data)
