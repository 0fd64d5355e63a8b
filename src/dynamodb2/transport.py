"""The HTTP seam below :class:`~dynamodb2.connection.Connection`: one request in, one response out.

A transport is any callable taking an :class:`HttpRequest` and returning an
:class:`HttpResponse`. Tests hand the connection a plain function instead of patching
anything::

    def answer(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {}, b'{"TableNames": []}')

    Connection(transport=answer).list_tables({})

A transport reports a failed exchange by raising a
:class:`~dynamodb2.exceptions.TransportError` subclass; it never retries a request that
may have reached the server (the connection decides that).

:class:`HTTPTransport` is the one connections use: HTTP/1.1 over pooled keep-alive
sockets, with the request and response framing done by the sans-I/O
:mod:`dynamodb2._http11` (docs/transport.md says why, with measurements).
:class:`BotocoreTransport` sends through botocore's ``URLLib3Session`` instead; a
connection uses it for the few settings the default transport does not implement (an
``https://`` proxy in front of an ``https://`` endpoint, ``proxies_config``'s
``proxy_use_forwarding_for_https``). Both emit botocore's ``before-send`` event first, so
``moto``'s ``mock_aws`` answers in process, as it does for boto3.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import http.client
import logging
import select
import socket
import ssl
import struct
import sys
import threading
import time
import typing
import weakref
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple, Protocol
from urllib.parse import unquote, urlsplit

import attrs

from . import _http11
from .exceptions import ConnectionFailedError, ReadTimeoutError, TransportError

if typing.TYPE_CHECKING:
    import botocore.exceptions
    from botocore.awsrequest import AWSPreparedRequest, HeadersDict

__all__ = [
    "BotocoreTransport",
    "EventEmitter",
    "HTTPTransport",
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "emit_before_send",
    "from_botocore",
]

logger = logging.getLogger("dynamodb2.transport")


@attrs.frozen(slots=True)
class HttpRequest:
    """A signed request, ready to send."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    #: The DynamoDB operation name (``"GetItem"``), for events and logs.
    operation: str
    #: Seconds left in the call's time budget (``RetryPolicy.total_timeout``), or
    #: ``None``: the transport gives up on this attempt when they run out.
    timeout: float | None = None

    def __repr__(self) -> str:
        # Never show headers: they carry the signature and the session token.
        return f"HttpRequest({self.method} {self.url} {self.operation}, {len(self.body)} bytes)"


@attrs.frozen(slots=True)
class HttpResponse:
    """A response as received: status, headers (names in lower case) and raw body."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    reason: str = ""

    @property
    def reason_phrase(self) -> str:
        """The reason phrase, or the standard one for the status if none was given."""
        if self.reason:
            return self.reason
        try:
            return http.HTTPStatus(self.status).phrase
        except ValueError:
            return ""


#: The seam: anything that turns a request into a response.
Transport = Callable[[HttpRequest], HttpResponse]


class EventEmitter(Protocol):
    """The part of botocore's event emitter (``session.get_component("event_emitter")``)
    used here."""

    def emit_until_response(self, event_name: str, **kwargs: Any) -> tuple[Any, Any]:
        """Call handlers until one returns a response; return (handler, response)."""


# --------------------------------------------------------------------------- before-send


def _prepared_request_class() -> type[AWSPreparedRequest]:
    """botocore's prepared request, with the header map built only if a handler reads it."""
    from botocore.awsrequest import AWSPreparedRequest, HeadersDict

    class LazyPreparedRequest(AWSPreparedRequest):
        """An :class:`~botocore.awsrequest.AWSPreparedRequest` of one of our requests:
        made with one attribute set, each field read from the request when asked for."""

        stream_output = False

        def __init__(self, request: HttpRequest) -> None:
            # Not super().__init__: that would set every field, header map included.
            self._source = request

        def _field(self, name: str, make: Callable[[], Any]) -> Any:
            fields: dict[str, Any] = self.__dict__
            if name not in fields:
                fields[name] = make()
            return fields[name]

        @property
        def method(self) -> str:
            return self._source.method

        @method.setter
        def method(self, value: str) -> None:
            self.__dict__["_source"] = attrs.evolve(self._source, method=value)

        @property
        def url(self) -> str:
            return self._source.url

        @url.setter
        def url(self, value: str) -> None:
            self.__dict__["_source"] = attrs.evolve(self._source, url=value)

        @property  # type: ignore[override]
        def body(self) -> bytes | None:
            return self._field("body", lambda: self._source.body or None)  # type: ignore[no-any-return]

        @body.setter
        def body(self, value: bytes | None) -> None:
            self.__dict__["body"] = value

        @property
        def context(self) -> dict[str, Any]:
            return self._field("context", dict)  # type: ignore[no-any-return]

        @context.setter
        def context(self, value: dict[str, Any]) -> None:
            self.__dict__["context"] = value

        @property  # type: ignore[override]
        def headers(self) -> HeadersDict:
            def make() -> HeadersDict:
                headers = HeadersDict(self._source.headers)
                headers["Content-Length"] = str(len(self._source.body))
                return headers

            return self._field("headers", make)  # type: ignore[no-any-return]

        @headers.setter
        def headers(self, value: HeadersDict) -> None:
            self.__dict__["headers"] = value

    return LazyPreparedRequest


_lazy_request_class: type[AWSPreparedRequest] | None = None
_event_names: dict[tuple[str, str], str] = {}


def emit_before_send(events: EventEmitter, prefix: str, request: HttpRequest) -> Any:
    """Emit botocore's ``before-send`` event for ``request``; the response a handler
    (``moto``'s ``mock_aws``, botocore's stubbing hooks) returned, else ``None``.

    Handlers get a real :class:`~botocore.awsrequest.AWSPreparedRequest` whose header map
    is built only when read: with no handler registered the event costs a dictionary
    lookup in the emitter and one small object.
    """
    global _lazy_request_class  # noqa: PLW0603 - built once, on first use
    cls: Any = _lazy_request_class
    if cls is None:
        cls = _lazy_request_class = _prepared_request_class()
    name = _event_names.get((prefix, request.operation))
    if name is None:
        name = _event_names.setdefault((prefix, request.operation), f"{prefix}.{request.operation}")
    _handler, response = events.emit_until_response(name, request=cls(request))
    return response


def from_botocore(response: Any) -> HttpResponse:
    """Our :class:`HttpResponse` of a botocore ``AWSResponse`` (one a handler returned)."""
    import botocore.exceptions

    try:
        body = response.content
    except botocore.exceptions.HTTPClientError as error:  # pragma: no cover - network timing
        failure = ConnectionFailedError(_client_failure(error, response.url))
        cause = _network_error(error)
    else:
        headers = {str(name).lower(): str(value) for name, value in response.headers.items()}
        reason = getattr(response.raw, "reason", None)
        return HttpResponse(
            status=int(response.status_code),
            headers=headers,
            body=bytes(body or b""),
            reason=reason if isinstance(reason, str) else "",
        )
    raise failure from cause


# --------------------------------------------------------------------------- HTTPTransport

_RECV_SIZE: Final = 256 * 1024
#: Whether plain sockets wait with kernel timeouts (Linux's SO_RCVTIMEO takes a timeval;
#: elsewhere the option's format differs, and Python's timeouts are used).
_KERNEL_TIMEOUTS: Final = sys.platform.startswith("linux")
_POLLIN: Final = select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR


class _Closed(Exception):
    """The peer closed the connection (cleanly or not) before the response was complete."""


class _Socket:
    """One HTTP connection: a socket (plain or TLS) and the bytes read but not yet used.

    ``pending`` is immutable bytes: a response that arrives in one piece (the usual
    small one) is sliced from the bytes ``recv`` returned, with no buffer in between.
    """

    __slots__ = ("kernel_timeouts", "pending", "poller", "sock", "timeout")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pending = b""
        self.poller: select.poll | None = None
        # A plain TCP socket on Linux stays blocking, its waits bounded by the kernel
        # (SO_RCVTIMEO / SO_SNDTIMEO): Python's own socket timeouts cost a poll() before
        # every send and receive. TLS sockets keep Python's timeouts.
        self.kernel_timeouts = _KERNEL_TIMEOUTS and not isinstance(sock, ssl.SSLSocket)
        if self.kernel_timeouts:
            sock.settimeout(None)
            self.timeout: float | None = None
        else:
            self.timeout = sock.gettimeout()

    def wait_at_most(self, seconds: float) -> None:
        """Make each wait on the socket end within ``seconds`` (give or take 5 ms): a
        system call only when the last setting is off by more than that."""
        timeout = self.timeout
        if timeout is not None and seconds - 0.005 <= timeout <= seconds + 0.005:
            return
        if self.kernel_timeouts:
            # A zero timeval means "wait forever": the least is one microsecond.
            micros = max(int(seconds * 1_000_000), 1)
            value = struct.pack("ll", micros // 1_000_000, micros % 1_000_000)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)
        else:
            self.sock.settimeout(seconds)
        self.timeout = seconds

    def send(self, data: bytes, seconds: float) -> None:
        """Send all of ``data`` within about ``seconds``; ``TimeoutError`` if not."""
        self.wait_at_most(seconds)
        try:
            self.sock.sendall(data)
        except BlockingIOError:  # SO_SNDTIMEO ran out
            raise TimeoutError("sending the request took too long") from None

    def receive(self, deadline: float) -> bytes:
        """What has arrived, waiting until ``deadline`` at most; ``b""`` at the end."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the response took too long")
        self.wait_at_most(left)
        try:
            return self.sock.recv(_RECV_SIZE)
        except BlockingIOError:  # SO_RCVTIMEO ran out
            raise TimeoutError("the response took too long") from None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()

    def dropped(self) -> bool:
        """Whether an idle connection can no longer be used (closed by the peer, or
        holding bytes nobody asked for)."""
        if self.pending:
            return True
        poller = self.poller
        if poller is None:
            poller = self.poller = select.poll()
            poller.register(self.sock, _POLLIN)
        if not poller.poll(0):
            return False
        # Readable while idle: the end of the connection, garbage, or (TLS 1.3) a
        # session ticket, which is no reason to drop it.
        sock = self.sock
        try:
            if self.kernel_timeouts:
                sock.recv(1, socket.MSG_DONTWAIT)
            else:
                self.wait_at_most(0.0)
                # b"" at the end of the connection, else bytes nobody asked for
                sock.recv(1)
        except (BlockingIOError, ssl.SSLWantReadError):
            return False
        except OSError:
            return True
        return True

    def fill(self, deadline: float) -> None:
        """Read what has arrived (waiting until ``deadline`` at most) into ``pending``."""
        data = self.receive(deadline)
        if not data:
            raise _Closed
        self.pending = self.pending + data if self.pending else data

    def read_head(self, deadline: float) -> bytes:
        start = 0
        while True:
            pending = self.pending
            end = pending.find(_http11.HEAD_END, start)
            if end >= 0:
                self.pending = pending[end + 4 :]
                return pending[:end]
            if len(pending) > _http11.MAX_HEAD_BYTES:
                raise _http11.ProtocolError("response head too long")
            start = max(0, len(pending) - 3)
            self.fill(deadline)

    def read_line(self, deadline: float) -> bytes:
        while True:
            pending = self.pending
            end = pending.find(b"\r\n")
            if end >= 0:
                self.pending = pending[end + 2 :]
                return pending[:end]
            if len(pending) > _http11.MAX_HEAD_BYTES:
                raise _http11.ProtocolError("chunk size line too long")
            self.fill(deadline)

    def read_exactly(self, size: int, deadline: float) -> tuple[bytes, bool]:
        """``size`` bytes, and whether they all came (the peer may close before)."""
        pending = self.pending
        have = len(pending)
        if have == size:
            self.pending = b""
            return pending, True
        if have > size:
            self.pending = pending[size:]
            return pending[:size], True
        out = bytearray(size)
        out[:have] = pending
        self.pending = b""
        view = memoryview(out)
        sock = self.sock
        while have < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the response took too long")
            self.wait_at_most(left)
            try:
                received = sock.recv_into(view[have:])
            except BlockingIOError:  # SO_RCVTIMEO ran out
                raise TimeoutError("the response took too long") from None
            if not received:
                return bytes(view[:have]), False
            have += received
        return bytes(out), True

    def read_to_end(self, deadline: float) -> bytes:
        try:
            while True:
                self.fill(deadline)
        except _Closed:
            data = self.pending
            self.pending = b""
            return data


class _Proxy(NamedTuple):
    scheme: str
    host: str
    port: int
    #: ``Proxy-Authorization`` (Basic) from the proxy URL's user info, if any.
    authorization: str | None


def _proxy_from_url(url: str) -> _Proxy:
    if "://" not in url:
        url = f"http://{url}"  # as botocore reads a proxy URL without a scheme
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"proxy URL must be http:// or https:// and name a host, not {url!r}")
    authorization = None
    if parts.username and parts.password:
        pair = f"{unquote(parts.username)}:{unquote(parts.password)}"
        authorization = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    port = parts.port or _http11.DEFAULT_PORTS[parts.scheme]
    return _Proxy(parts.scheme, parts.hostname, port, authorization)


class _Origin:
    """Where requests to one scheme, host and port go, and the idle connections to it."""

    __slots__ = (
        "connect_host",
        "connect_port",
        "host",
        "host_header",
        "idle",
        "port",
        "proxy",
        "proxy_headers",
        "scheme",
        "target",
        "tunnel",
    )

    def __init__(self, url: str, proxies: Mapping[str, str]) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"cannot send to {url!r}: not an http:// or https:// URL")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or _http11.DEFAULT_PORTS[parts.scheme]
        self.host_header = _http11.host_header(parts.scheme, parts.hostname, parts.port)
        path = parts.path or "/"
        self.target = f"{path}?{parts.query}" if parts.query else path
        proxy_url = proxies.get(parts.scheme)
        self.proxy = _proxy_from_url(proxy_url) if proxy_url else None
        self.tunnel = self.proxy is not None and self.scheme == "https"
        self.proxy_headers: dict[str, str] = {}
        if self.proxy is not None:
            self.connect_host, self.connect_port = self.proxy.host, self.proxy.port
            if not self.tunnel:
                # A plain-HTTP request goes to the proxy whole, with the absolute URL.
                self.target = f"{self.scheme}://{self.host_header}{self.target}"
                if self.proxy.authorization:
                    self.proxy_headers["Proxy-Authorization"] = self.proxy.authorization
        else:
            self.connect_host, self.connect_port = self.host, self.port
        self.idle: collections.deque[_Socket] = collections.deque()


class _HTTP11Options:
    """What :class:`HTTPTransport` and ``dynamodb2.aio.AsyncHTTPTransport`` share: their
    arguments, and the TLS contexts made from them."""

    def __init__(
        self,
        events: EventEmitter | None = None,
        *,
        verify: bool | str = True,
        proxies: Mapping[str, str] | None = None,
        proxies_config: Mapping[str, Any] | None = None,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        tcp_keepalive: bool = False,
        client_cert: str | tuple[str, str] | None = None,
        event_prefix: str = "before-send.dynamodb",
    ) -> None:
        self._events = events
        self._event_prefix = event_prefix
        self._verify = verify
        self._proxies = dict(proxies or {})
        self._proxies_config = dict(proxies_config or {})
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_pool_connections = max_pool_connections
        self._tcp_keepalive = tcp_keepalive
        self._client_cert = client_cert
        self._origins: dict[str, _Origin] = {}
        # Made on first use: loading a CA bundle costs milliseconds.
        self._tls: ssl.SSLContext | None = None
        self._proxy_tls: ssl.SSLContext | None = None
        for url in self._proxies.values():
            _proxy_from_url(url)  # refuse a malformed proxy URL now
        self._setup()

    def _setup(self) -> None:
        """The subclass's own state (its pool)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_pool_connections={self.max_pool_connections})"

    def _stubbed(self, request: HttpRequest) -> HttpResponse | None:
        """The response a ``before-send`` handler (moto's ``mock_aws``) gave, if any."""
        assert self._events is not None
        stubbed = emit_before_send(self._events, self._event_prefix, request)
        return None if stubbed is None else from_botocore(stubbed)

    def _context(self) -> ssl.SSLContext:
        context = self._tls
        if context is None:
            context = self._tls = _tls_context(self._verify, self._client_cert)
        return context

    def _proxy_context(self) -> ssl.SSLContext:
        context = self._proxy_tls
        if context is None:
            context = self._proxy_tls = _tls_context(
                self._proxies_config.get("proxy_ca_bundle") or True,
                self._proxies_config.get("proxy_client_cert"),
            )
        return context


class HTTPTransport(_HTTP11Options):
    """HTTP/1.1 over a pool of keep-alive connections per origin: the default transport.

    Args:
        events: botocore's event emitter; ``before-send.dynamodb.<Operation>`` is
            emitted on it before sending, and a response a handler returns is used
            instead of the network (``moto``'s ``mock_aws``). ``None``: no event.
        verify: ``True`` (verify TLS certificates against botocore's CA bundle),
            ``False`` (do not verify), or the path of a CA bundle.
        proxies: proxy URL by URL scheme (``{"https": "http://proxy:3128"}``); HTTPS
            goes through a ``CONNECT`` tunnel. Apply ``NO_PROXY`` before (the connection
            does, as botocore does).
        proxies_config: botocore's ``proxies_config``: ``proxy_ca_bundle`` and
            ``proxy_client_cert`` for an ``https://`` proxy.
        connect_timeout: seconds to open a connection (TCP, proxy tunnel and TLS
            handshake together).
        read_timeout: seconds an attempt waits for its whole response once the request
            is sent (it bounds a server that trickles bytes too).
        max_pool_connections: idle connections kept per origin; a connection returned
            to a full pool is closed (and a warning logged, as urllib3 does).
        tcp_keepalive: turn on TCP keep-alive probes (``SO_KEEPALIVE``).
        client_cert: a client certificate for mutual TLS: a PEM file holding the
            certificate and key, or a ``(certificate, key)`` pair of paths.
        event_prefix: the event name before the operation name.

    Safe to share between threads: each request uses a connection of its own.
    """

    def _setup(self) -> None:
        self._lock = threading.Lock()
        # Idle connections are closed when the transport is garbage collected, as when
        # it is closed (a socket left to the collector would warn, ResourceWarning).
        weakref.finalize(self, _close_idle, self._origins)

    @staticmethod
    def unsupported(
        endpoint_url: str, proxies: Mapping[str, str], proxies_config: Mapping[str, Any]
    ) -> str | None:
        """Why this transport cannot send to ``endpoint_url`` with these proxy settings
        (:class:`BotocoreTransport` can), or ``None`` when it can.

        >>> HTTPTransport.unsupported("https://h", {"https": "https://proxy"}, {})
        'an https:// proxy in front of an https:// endpoint (TLS within TLS)'
        """
        scheme = urlsplit(endpoint_url).scheme
        proxy_url = proxies.get(scheme)
        if not proxy_url:
            return None
        if scheme == "https" and proxies_config.get("proxy_use_forwarding_for_https"):
            return "proxies_config's proxy_use_forwarding_for_https"
        if scheme == "https" and _proxy_from_url(proxy_url).scheme == "https":
            return "an https:// proxy in front of an https:// endpoint (TLS within TLS)"
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Send one request; raise a :class:`TransportError` if no response arrives."""
        if self._events is not None:
            stubbed = self._stubbed(request)
            if stubbed is not None:
                return stubbed
        origin = self._origins.get(request.url)
        if origin is None:
            origin = self._origin(request.url)
        data, connect_timeout, read_timeout = _prepare(
            request, origin, self._verify, self.connect_timeout, self.read_timeout
        )
        conn: _Socket | None = None
        idle = origin.idle
        while idle:
            try:
                conn = idle.pop()
            except IndexError:  # taken by another thread meanwhile
                break
            if not conn.dropped():
                break
            conn.close()
            conn = None
        reused = conn is not None
        if conn is None:
            conn = self._connect(origin, connect_timeout, request.url)
        failure: TransportError
        try:
            deadline = time.monotonic() + read_timeout
            try:
                conn.send(data, read_timeout)
            except (ssl.SSLError, TimeoutError):
                raise
            except OSError:
                if not reused:
                    raise
                # The server closed this idle connection as we reused it: nothing of
                # the request was taken, so it goes again, once, on a new connection.
                conn.close()
                conn = self._connect(origin, connect_timeout, request.url)
                deadline = time.monotonic() + read_timeout
                conn.send(data, read_timeout)
            response, keep_alive = _read_response(conn, deadline)
        except BaseException as error:
            # Interrupted (KeyboardInterrupt, a signal handler's exception) mid-exchange,
            # or failed: the connection is in an unknown state either way.
            failure = _failed_exchange(conn.close, error, request.url, read_timeout)
            cause: BaseException = error
        else:
            self._release(origin, conn, keep_alive)
            return response
        raise failure from cause

    def close(self) -> None:
        """Close idle connections (connections in use close when their request ends)."""
        with self._lock:
            _close_idle(self._origins)

    # ------------------------------------------------------------------ pool

    def _origin(self, url: str) -> _Origin:
        with self._lock:
            origin = self._origins.get(url)
            if origin is None:
                origin = _Origin(url, self._proxies)
                self._origins[url] = origin
            return origin

    def _release(self, origin: _Origin, conn: _Socket, keep_alive: bool) -> None:
        if not keep_alive:
            conn.close()
        elif len(origin.idle) < self.max_pool_connections:
            origin.idle.append(conn)
        else:
            conn.close()
            logger.warning(
                "Connection pool is full, discarding connection: %s. Connection pool size: %d",
                origin.host,
                self.max_pool_connections,
            )

    # ------------------------------------------------------------------ connecting

    def _connect(self, origin: _Origin, timeout: float, url: str) -> _Socket:
        """A new connection to ``origin`` (through its proxy), TLS handshake done."""
        try:
            return self._open(origin, timeout)
        except (OSError, _Closed, _http11.ProtocolError) as error:
            failure = _connect_failure(error, url, timeout, origin.proxy)
            cause = error
        raise failure from cause

    def _open(self, origin: _Origin, timeout: float) -> _Socket:
        deadline = time.monotonic() + timeout
        sock = socket.create_connection((origin.connect_host, origin.connect_port), timeout)
        try:
            # Without TCP_NODELAY, Nagle's algorithm meets delayed ACKs and each small
            # request waits ~40 ms (botocore sets the same option).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tcp_keepalive:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            proxy = origin.proxy
            if proxy is not None and proxy.scheme == "https":
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock = self._proxy_context().wrap_socket(sock, server_hostname=proxy.host)
            if origin.tunnel:
                assert proxy is not None
                self._open_tunnel(_Socket(sock), origin, proxy, deadline)
            if origin.scheme == "https":
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock = self._context().wrap_socket(sock, server_hostname=origin.host)
        except BaseException:
            sock.close()
            raise
        return _Socket(sock)

    def _open_tunnel(self, conn: _Socket, origin: _Origin, proxy: _Proxy, deadline: float) -> None:
        conn.sock.settimeout(max(deadline - time.monotonic(), 0.001))
        conn.sock.sendall(_connect_request(origin, proxy))
        head = _http11.parse_head(conn.read_head(deadline))
        if not 200 <= head.status < 300:
            # The status only: the reason phrase is the proxy's text, which may echo the
            # Proxy-Authorization header (the proxy's password).
            raise OSError(f"proxy {proxy.host}:{proxy.port} refused CONNECT: HTTP {head.status}")
        if conn.pending:
            raise _http11.ProtocolError("proxy sent bytes after its CONNECT answer")


def _prepare(
    request: HttpRequest,
    origin: _Origin,
    verify: bool | str,
    connect_timeout: float,
    read_timeout: float,
) -> tuple[bytes, float, float]:
    """The bytes of ``request`` to ``origin`` (through its proxy), and the connect and
    read timeouts of this attempt (cut to what is left of the call's budget)."""
    budget = request.timeout
    if budget is not None:
        if budget <= 0:
            raise ReadTimeoutError(f"no time left in the call's budget for {request.url}")
        connect_timeout = min(connect_timeout, budget)
        read_timeout = min(read_timeout, budget)
    if verify is False and origin.scheme == "https":
        _warn_unverified(origin.host)
    headers = request.headers
    if origin.proxy_headers:
        headers = {**headers, **origin.proxy_headers}
    data = _http11.encode_request(
        request.method, origin.target, origin.host_header, headers, request.body
    )
    return data, connect_timeout, read_timeout


def _failed_exchange(
    close: Callable[[], object], error: BaseException, url: str, read_timeout: float
) -> TransportError:
    """After an exchange with ``url`` that failed with ``error``, or was interrupted: the
    connection is closed (``close``: it is in an unknown state either way, never to be
    reused), and the transport error to raise is returned; an interruption is raised
    again as it is."""
    close()
    mapped = _exchange_failure(error, url, read_timeout)
    if mapped is None:
        raise error
    return mapped


def _exchange_failure(error: BaseException, url: str, read_timeout: float) -> TransportError | None:
    """The transport error to raise for an exchange with ``url`` that failed with
    ``error``, or ``None`` for an interruption (raised as it is)."""
    if isinstance(error, TimeoutError):
        return ReadTimeoutError(f"no complete response from {url} within {read_timeout:g} s")
    if isinstance(error, _Closed):
        return ConnectionFailedError(
            f"connection to {url} failed: closed before a complete response"
        )
    if isinstance(error, _http11.ProtocolError):
        return ConnectionFailedError(f"connection to {url} failed: invalid response ({error})")
    if isinstance(error, OSError):
        return ConnectionFailedError(f"connection to {url} failed: {error}")
    return None


def _connect_failure(
    error: OSError | _Closed | _http11.ProtocolError,
    url: str,
    timeout: float,
    proxy: _Proxy | None = None,
) -> ConnectionFailedError:
    """The transport error to raise when opening a connection to ``url`` (through
    ``proxy``, named without its credentials) failed."""
    if proxy is not None:
        url = f"{url} through proxy {proxy.scheme}://{proxy.host}:{proxy.port}"
    if isinstance(error, ssl.SSLCertVerificationError):
        failure = ConnectionFailedError(
            f"connection to {url} failed: TLS certificate not trusted ({error.verify_message})"
        )
        failure.retryable = False
    elif isinstance(error, ssl.SSLError):
        failure = ConnectionFailedError(
            f"connection to {url} failed: TLS handshake failed ({error})"
        )
        failure.retryable = False
    elif isinstance(error, TimeoutError):
        failure = ConnectionFailedError(
            f"connection to {url} failed: connect timeout after {timeout:g} s"
        )
    else:
        failure = ConnectionFailedError(f"connection to {url} failed: {error}")
    return failure


def _connect_request(origin: _Origin, proxy: _Proxy) -> bytes:
    """The ``CONNECT`` request that opens a tunnel to ``origin`` through ``proxy``."""
    authority = f"{_http11.host_header('tcp', origin.host, origin.port)}"
    lines = [f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n"]
    if proxy.authorization:
        lines.append(f"Proxy-Authorization: {proxy.authorization}\r\n")
    lines.append("\r\n")
    return "".join(lines).encode("latin-1")


def _close_idle(origins: Mapping[str, _Origin]) -> None:
    for origin in list(origins.values()):
        while origin.idle:
            try:
                conn = origin.idle.pop()
            except IndexError:  # pragma: no cover - emptied by another thread
                break
            conn.close()


def _warn_unverified(host: str) -> None:
    """urllib3's warning for each request over TLS without verification (boto3's too)."""
    import warnings

    from urllib3.exceptions import InsecureRequestWarning

    warnings.warn(
        f"Unverified HTTPS request is being made to host '{host}'. Adding certificate "
        "verification is strongly advised.",
        InsecureRequestWarning,
        stacklevel=4,
    )


def _tls_context(verify: bool | str, client_cert: str | tuple[str, str] | None) -> ssl.SSLContext:
    """A client TLS context as botocore makes one: botocore's CA bundle (certifi's when
    installed) unless ``verify`` names another, no verification if it is ``False``."""
    if verify is False:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        from botocore.httpsession import get_cert_path

        # botocore-stubs type the argument as bool; botocore returns a path given one.
        bundle = str(get_cert_path(verify))  # type: ignore[arg-type]
        if _is_directory(bundle):
            context = ssl.create_default_context(capath=bundle)
        else:
            context = ssl.create_default_context(cafile=bundle)
    if client_cert is not None:
        if isinstance(client_cert, str):
            context.load_cert_chain(client_cert)
        else:
            context.load_cert_chain(*client_cert)
    return context


def _is_directory(path: str) -> bool:
    import os

    return os.path.isdir(path)


def _read_response(conn: _Socket, deadline: float) -> tuple[HttpResponse, bool]:
    """The response on ``conn`` and whether the connection can carry another request."""
    head = _http11.parse_head(conn.read_head(deadline))
    while 100 <= head.status < 200:
        # An interim response (100 Continue, 103 Early Hints): the answer follows.
        head = _http11.parse_head(conn.read_head(deadline))
    keep_alive = head.keep_alive
    if head.length is not None:
        body, complete = conn.read_exactly(head.length, deadline)
        # A body cut short stays short: the connection checks it against
        # Content-Length and raises TruncatedResponseError (retryable).
        keep_alive = keep_alive and complete
    elif head.chunked:
        parts = []
        while True:
            size = _http11.parse_chunk_size(conn.read_line(deadline))
            if size == 0:
                while conn.read_line(deadline):  # trailers, up to the blank line
                    pass
                break
            chunk, complete = conn.read_exactly(size + 2, deadline)
            if not complete:
                raise _Closed
            parts.append(chunk[:-2])
        body = b"".join(parts)
    else:
        body = conn.read_to_end(deadline)
    return HttpResponse(head.status, head.headers, body, head.reason), keep_alive


# --------------------------------------------------------------------------- BotocoreTransport


class BotocoreTransport:
    """Sends requests through botocore's :class:`~botocore.httpsession.URLLib3Session`.

    Before sending, it emits botocore's ``before-send.dynamodb.<Operation>`` event on the
    given emitter and uses a response returned there: this is how ``moto``'s ``mock_aws``
    (and botocore's own stubbing hooks) answer without touching the network. A
    connection uses it only for the proxy settings :class:`HTTPTransport` does not
    implement; it takes the same arguments.
    """

    def __init__(
        self,
        events: EventEmitter | None = None,
        *,
        verify: bool | str = True,
        proxies: Mapping[str, str] | None = None,
        proxies_config: Mapping[str, Any] | None = None,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        tcp_keepalive: bool = False,
        client_cert: str | tuple[str, str] | None = None,
        event_prefix: str = "before-send.dynamodb",
    ) -> None:
        from botocore.httpsession import URLLib3Session

        self._events = events
        self._event_prefix = event_prefix
        socket_options: list[tuple[int, int, int]] = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        if tcp_keepalive:
            socket_options.append((socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
        # botocore-stubs type verify as bool, timeout as int and the proxy settings as
        # dicts of str; botocore itself takes a CA bundle path, a (connect, read) pair ...
        session_options: dict[str, Any] = {
            "verify": verify,
            "timeout": (connect_timeout, read_timeout),
            "proxies_config": dict(proxies_config) if proxies_config else None,
            "client_cert": client_cert,
            "socket_options": socket_options,
        }
        self._http = URLLib3Session(
            proxies=dict(proxies) if proxies else None,
            max_pool_connections=max_pool_connections,
            **session_options,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Send one request; raise a :class:`TransportError` if no response arrives."""
        import botocore.exceptions
        from botocore.awsrequest import AWSPreparedRequest, HeadersDict

        # What AWSRequest(...).prepare() makes of a request with a bytes body, without
        # its email-style header map in between.
        headers = HeadersDict(request.headers)
        headers["Content-Length"] = str(len(request.body))
        prepared = AWSPreparedRequest(
            method=request.method,
            url=request.url,
            # botocore-stubs say HTTPHeaders; botocore's own prepare() passes a HeadersDict.
            headers=headers,  # type: ignore[arg-type]
            body=request.body or None,
            stream_output=False,
            context={},
        )
        if self._events is not None:
            _handler, stubbed = self._events.emit_until_response(
                f"{self._event_prefix}.{request.operation}", request=prepared
            )
            if stubbed is not None:
                return from_botocore(stubbed)
        try:
            return from_botocore(self._http.send(prepared))
        except botocore.exceptions.ReadTimeoutError as error:
            failure: TransportError = ReadTimeoutError(
                f"no response from {request.url} in time: {error}"
            )
            cause = _network_error(error)
        except botocore.exceptions.SSLError as error:
            failure = ConnectionFailedError(f"TLS handshake with {request.url} failed: {error}")
            failure.retryable = False
            cause = _network_error(error)
        except (
            botocore.exceptions.EndpointConnectionError,
            botocore.exceptions.ConnectTimeoutError,
            botocore.exceptions.ConnectionClosedError,
            botocore.exceptions.ProxyConnectionError,
        ) as error:
            # These messages name the URL (a proxy's with its password masked) only.
            failure = ConnectionFailedError(f"connection to {request.url} failed: {error}")
            cause = _network_error(error)
        except botocore.exceptions.HTTPClientError as error:
            failure = ConnectionFailedError(_client_failure(error, request.url))
            cause = _network_error(error)
        # Raised here, outside the except clauses, so that botocore's exception is not
        # kept as __context__ either: it holds the signed request (signature and session
        # token). The cause is the network error beneath it.
        raise failure from cause

    def close(self) -> None:
        """Close pooled connections."""
        self._http.close()


def _network_error(error: botocore.exceptions.BotoCoreError) -> OSError | None:
    """The socket's error beneath a botocore exception (a reset, a refused connection, a
    failed TLS handshake), to chain as the cause; ``None`` if there is none.

    Only an error with an ``errno`` is taken, and it is cut from its own chain: its text
    is the operating system's or OpenSSL's. What urllib3 and http.client raise around it
    quotes what the server sent (``BadStatusLine('HTTP/1.1 ...')``, a proxy's ``Tunnel
    connection failed: 407 <reason>``), which may echo the session token, the signature
    or a proxy's password.
    """
    pending: list[BaseException] = []
    inner = error.kwargs.get("error")
    if isinstance(inner, BaseException):
        pending.append(inner)
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if (
            isinstance(current, OSError)
            and current.errno is not None
            and not isinstance(current, http.client.HTTPException)
        ):
            current.__cause__ = current.__context__ = None
            return current
        # urllib3 keeps what it caught in its args (ProtocolError("...", original)) or
        # as the cause or context of its own exception.
        pending += [arg for arg in current.args if isinstance(arg, BaseException)]
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    return None


def _client_failure(error: botocore.exceptions.BotoCoreError, url: str) -> str:
    """The message for an error botocore's HTTP client did not classify: what kind of
    error it was, not its text (which may quote what the server sent)."""
    inner = error.kwargs.get("error")
    kind = type(inner).__name__ if isinstance(inner, BaseException) else type(error).__name__
    return f"connection to {url} failed: {kind} in botocore's HTTP client"
