"""The asynchronous HTTP seam: HTTP/1.1 on asyncio, framed by the sans-I/O ``_http11``.

:class:`AsyncHTTPTransport` is to asyncio what :class:`~dynamodb2.transport.HTTPTransport`
is to threads: keep-alive connections pooled per origin, each an :class:`asyncio.Protocol`
that parses the response as its bytes arrive (``_http11.parse_head``,
``parse_chunk_size``), with no stream reader in between; the request bytes are
``_http11.encode_request``'s. docs/transport.md has the measurements that chose it over
aiohttp and httpx.

It emits botocore's ``before-send`` event first, on the event loop's thread, so
``moto``'s ``mock_aws`` answers in process and no socket is opened. A call cancelled
while a response was being read closes that connection (it never goes back to the pool
half read); the pool stays usable.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Final

from dynamodb2 import _http11
from dynamodb2.connection import _transport_options
from dynamodb2.exceptions import TransportError
from dynamodb2.transport import (
    BotocoreTransport,
    EventEmitter,
    HttpRequest,
    HttpResponse,
    HTTPTransport,
    _Closed,
    _connect_failure,
    _connect_request,
    _failed_exchange,
    _HTTP11Options,
    _Origin,
    _prepare,
    _Proxy,
)

if TYPE_CHECKING:
    from dynamodb2._config import ClientSettings

__all__ = ["AsyncHTTPTransport", "AsyncTransport", "ThreadedTransport"]

#: The asynchronous seam: a signed request in, an awaitable response out.
AsyncTransport = Callable[[HttpRequest], Awaitable[HttpResponse]]

if sys.version_info >= (3, 11):
    _deadline = asyncio.timeout
else:  # pragma: no cover - Python 3.10

    @contextlib.asynccontextmanager
    async def _deadline(seconds: float) -> Any:
        """``asyncio.timeout`` for Python 3.10: cancel the task when time is up, and turn
        that cancellation (only that one) into ``TimeoutError``."""
        task = asyncio.current_task()
        assert task is not None
        fired = False

        def expire() -> None:
            nonlocal fired
            fired = True
            task.cancel()

        handle = asyncio.get_running_loop().call_later(seconds, expire)
        try:
            yield
        except asyncio.CancelledError:
            if fired:
                raise TimeoutError from None
            raise
        finally:
            handle.cancel()


#: The resolution of the event loop's clock (time.monotonic's, as asyncio reads it).
_CLOCK_TICK: Final = time.get_clock_info("monotonic").resolution


class _Wire(asyncio.Protocol):
    """One HTTP/1.1 connection: sends a request, parses its response as bytes arrive."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._waiter: asyncio.Future[tuple[HttpResponse, bool]] | None = None
        self._pending = b""
        self._head: _http11.ResponseHead | None = None
        self._parts: list[bytes] = []
        self._chunk_left = -1  # chunked: bytes of the current chunk (and CRLF) still due
        # A body of known length: bytes still due (its pieces gather in _parts, joined
        # once at the end, not copied as each arrives); -1 outside such a body.
        self._body_left = -1
        # The read deadline of the exchange under way (loop time), and the timer that
        # checks it: one per connection, left running across exchanges (see exchange).
        self._deadline = 0.0
        self._timer: asyncio.TimerHandle | None = None

    # ------------------------------------------------------------------ asyncio's side

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():
            # Bytes nobody asked for: the connection cannot carry another request.
            self.close()
            return
        left = self._body_left
        if left > 0:
            self._parts.append(data)
            left -= len(data)
            self._body_left = left
            if left <= 0:
                self._finish_body()
            return
        self._pending = self._pending + data if self._pending else data
        try:
            self._progress()
        except _http11.ProtocolError as error:
            self._fail(error)

    def eof_received(self) -> bool:
        self.closed = True
        head = self._head
        if head is None or head.chunked:
            self._fail(_Closed())
        else:
            # The body ends with the connection; or it was cut short, and is returned as
            # it came, so that the connection raises TruncatedResponseError (retryable).
            body = b"".join(self._parts) if self._body_left > 0 else self._pending
            self._finish(body, keep_alive=False)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._fail(exc if isinstance(exc, OSError) else _Closed())

    # ------------------------------------------------------------------ ours

    async def exchange(self, data: bytes, timeout: float) -> tuple[HttpResponse, bool]:
        """Send a request; the response and whether the connection may carry another.
        ``TimeoutError`` if the whole response does not arrive within ``timeout``."""
        transport = self.transport
        assert transport is not None
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        self._pending = b""
        self._head = None
        self._parts = []
        self._body_left = -1
        # A timer failing the future rather than asyncio.timeout(): no task cancellation
        # to tell apart from the caller's own, and much cheaper. Nor is it set and
        # cancelled for every exchange: the connection's timer stays, and when it fires
        # it checks the deadline of the exchange under way then (_expire); it is moved
        # only for a deadline earlier than the one it is set for.
        deadline = self._deadline = loop.time() + timeout
        timer = self._timer
        if timer is None or timer.when() > deadline:
            if timer is not None:
                timer.cancel()
            self._timer = loop.call_at(deadline, self._expire)
        transport.write(data)
        result: tuple[HttpResponse, bool] = await waiter
        return result

    def _expire(self) -> None:
        self._timer = None
        waiter = self._waiter
        if waiter is None or waiter.done():
            return  # no exchange under way: the next one sets the timer again
        loop = waiter.get_loop()
        # asyncio runs a timer up to a clock tick early (15.6 ms on Windows): within a
        # tick of the deadline it is the deadline, or the timer would spin until then.
        if loop.time() + _CLOCK_TICK >= self._deadline:
            self._fail(TimeoutError())
        else:  # an exchange that started since, with a later deadline
            self._timer = loop.call_at(self._deadline, self._expire)

    def close(self) -> None:
        self.closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.abort()  # no half-read connection lingers
        self._fail(_Closed())

    def _fail(self, error: BaseException) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(error)

    def _finish(self, body: bytes, *, keep_alive: bool) -> None:
        head = self._head
        waiter = self._waiter
        assert head is not None
        if waiter is None or waiter.done():
            return
        self._pending = b""
        waiter.set_result((HttpResponse(head.status, head.headers, body, head.reason), keep_alive))

    def _finish_body(self) -> None:
        """The whole body of known length has arrived (and maybe more: then the
        connection cannot carry another request)."""
        head = self._head
        assert head is not None
        extra = self._body_left < 0
        body = b"".join(self._parts)
        self._parts = []
        self._body_left = -1
        if extra:
            body = body[: head.length]
        self._finish(body, keep_alive=head.keep_alive and not extra)

    def _progress(self) -> None:
        while True:
            head = self._head
            if head is None:
                end = self._pending.find(_http11.HEAD_END)
                if end < 0:
                    if len(self._pending) > _http11.MAX_HEAD_BYTES:
                        raise _http11.ProtocolError("response head too long")
                    return
                head = _http11.parse_head(self._pending[:end])
                self._pending = self._pending[end + 4 :]
                if 100 <= head.status < 200:
                    continue  # an interim response: the answer follows
                self._head = head
                if head.chunked:
                    self._chunk_left = -1
            if head.length is not None:
                pending = self._pending
                if len(pending) >= head.length:
                    extra = len(pending) > head.length
                    body = pending[: head.length]
                    self._finish(body, keep_alive=head.keep_alive and not extra)
                else:  # the rest of the body follows: data_received gathers it
                    self._parts = [pending]
                    self._pending = b""
                    self._body_left = head.length - len(pending)
                return
            if not head.chunked:
                return  # read to the end of the connection (eof_received)
            if not self._chunks():
                return

    def _chunks(self) -> bool:
        """Take what chunks have arrived; whether the response is complete."""
        while True:
            if self._chunk_left == -1:
                end = self._pending.find(b"\r\n")
                if end < 0:
                    return False
                size = _http11.parse_chunk_size(self._pending[:end])
                self._pending = self._pending[end + 2 :]
                if size == 0:
                    self._chunk_left = -2  # trailers up to a blank line
                else:
                    self._chunk_left = size + 2
            if self._chunk_left == -2:
                end = self._pending.find(b"\r\n")
                if end < 0:
                    return False
                line = self._pending[:end]
                self._pending = self._pending[end + 2 :]
                if not line:
                    head = self._head
                    assert head is not None
                    self._finish(b"".join(self._parts), keep_alive=head.keep_alive)
                    return True
                continue
            if len(self._pending) < self._chunk_left:
                return False
            self._parts.append(self._pending[: self._chunk_left - 2])
            self._pending = self._pending[self._chunk_left :]
            self._chunk_left = -1


class _Pool:
    """The connections to one origin on one event loop, and the bound on how many.

    A counter and a queue of waiting futures rather than an ``asyncio.Semaphore``: the
    uncontended case (the usual one) then costs no coroutine.
    """

    __slots__ = ("free", "generation", "idle", "waiting")

    def __init__(self, size: int) -> None:
        self.idle: collections.deque[_Wire] = collections.deque()
        self.free = size
        self.waiting: collections.deque[asyncio.Future[None]] = collections.deque()
        # Moved on by close(): a connection taken before then closes when its request
        # ends, instead of going back to ``idle`` (the bound on connections still holds).
        self.generation = 0

    async def take(self) -> None:
        """Wait for a free place (cancellation-safe: a place handed over is passed on)."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.give_back()  # handed a place while being cancelled: pass it on
            elif future in self.waiting:
                # Not yet passed over (give_back drops a cancelled future it meets).
                self.waiting.remove(future)
            raise

    def close(self) -> None:
        """Close the idle connections; those in use close when their request ends."""
        self.generation += 1
        while self.idle:
            wire = self.idle.pop()
            with contextlib.suppress(RuntimeError):  # its event loop is closed
                wire.close()

    def give_back(self) -> None:
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_result(None)
                return
        self.free += 1


class AsyncHTTPTransport(_HTTP11Options):
    """HTTP/1.1 over a pool of keep-alive connections per origin, on asyncio.

    Takes :class:`~dynamodb2.transport.HTTPTransport`'s arguments, with one difference:
    ``max_pool_connections`` bounds the connections open to an origin at once, in use
    or idle (as aiobotocore's does); a request beyond it waits for one to be free.
    ``connect_timeout`` bounds TCP, proxy tunnel and TLS handshake together;
    ``read_timeout`` the whole response of an attempt. A transport belongs to one event
    loop at a time (used from another, it starts a new pool there).
    """

    def _setup(self) -> None:
        if self.max_pool_connections < 1:
            raise ValueError(
                f"max_pool_connections must be at least 1, not {self.max_pool_connections}"
            )
        self._pools: dict[str, _Pool] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        """Send one request; raise a :class:`TransportError` if no response arrives."""
        if self._events is not None:
            stubbed = self._stubbed(request)
            if stubbed is not None:
                return stubbed
        origin = self._origins.get(request.url)
        if origin is None:
            origin = self._origins[request.url] = _Origin(request.url, self._proxies)
        data, connect_timeout, read_timeout = _prepare(
            request, origin, self._verify, self.connect_timeout, self.read_timeout
        )
        pool = self._pool(request.url)
        if pool.free > 0:
            pool.free -= 1
        else:
            await pool.take()
        # One coroutine for the whole exchange (each awaited layer costs on every request).
        generation = pool.generation
        try:
            wire: _Wire | None = None
            while pool.idle:
                wire = pool.idle.pop()
                if not wire.closed:
                    break
                wire = None
            if wire is None:
                wire = await self._connect(origin, connect_timeout, request.url)
            failure: TransportError
            try:
                response, keep_alive = await wire.exchange(data, read_timeout)
            except BaseException as error:
                # Failed, or cancelled (interrupted) mid-exchange: closed, never pooled.
                failure = _failed_exchange(wire.close, error, request.url, read_timeout)
                cause: BaseException = error
            else:
                if keep_alive and not wire.closed and pool.generation == generation:
                    pool.idle.append(wire)
                else:
                    wire.close()
                return response
            raise failure from cause
        finally:
            pool.give_back()

    async def close(self) -> None:
        """Close idle connections (connections in use close when their request ends).
        The transport stays usable: a later request opens a new connection."""
        for pool in self._pools.values():
            pool.close()

    def __copy__(self) -> AsyncHTTPTransport:
        # The same options, with pools of its own (a copy sharing them would close the
        # original's connections when dropped).
        copied = type(self).__new__(type(self))
        vars(copied).update(vars(self))
        copied._setup()
        return copied

    def __deepcopy__(self, memo: dict[int, Any]) -> AsyncHTTPTransport:
        return self.__copy__()

    def __del__(self) -> None:
        # Dropped unclosed (an AsyncTable made without a connection, per request, as
        # boto 2 code does): its idle connections are held by the event loop, not by
        # this object, and would stay open until the loop ends. They are closed on the
        # loop's own thread, whichever thread drops the transport.
        loop = getattr(self, "_loop", None)
        pools = getattr(self, "_pools", None)
        if not pools or loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            for pool in pools.values():
                loop.call_soon_threadsafe(pool.close)

    # ------------------------------------------------------------------ pool

    def _pool(self, url: str) -> _Pool:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # Another event loop: the old one's connections cannot serve it. If that
            # loop is closed, they cannot be closed through it either: their sockets
            # close when they are garbage collected (close the connection before its
            # loop ends to avoid that).
            for pool in self._pools.values():
                pool.close()
            self._pools = {}
            self._loop = loop
        found = self._pools.get(url)
        if found is None:
            found = self._pools[url] = _Pool(self.max_pool_connections)
        return found

    # ------------------------------------------------------------------ connecting

    async def _connect(self, origin: _Origin, timeout: float, url: str) -> _Wire:
        """A new connection to ``origin`` (through its proxy), TLS handshake done."""
        try:
            async with _deadline(timeout):
                return await self._open(origin)
        except (OSError, _Closed, _http11.ProtocolError) as error:
            failure = _connect_failure(error, url, timeout, origin.proxy)
            cause = error
        raise failure from cause

    async def _open(self, origin: _Origin) -> _Wire:
        loop = asyncio.get_running_loop()
        proxy = origin.proxy
        endpoint_tls = self._context() if origin.scheme == "https" else None
        if origin.tunnel:
            assert proxy is not None
            sock = await self._tunnel(loop, origin, proxy)
            _, wire = await loop.create_connection(
                _Wire, sock=sock, ssl=endpoint_tls, server_hostname=origin.host
            )
        elif proxy is not None and proxy.scheme == "https":
            _, wire = await loop.create_connection(
                _Wire,
                proxy.host,
                proxy.port,
                ssl=self._proxy_context(),
                server_hostname=proxy.host,
            )
        else:
            _, wire = await loop.create_connection(
                _Wire,
                origin.connect_host,
                origin.connect_port,
                ssl=endpoint_tls,
                server_hostname=origin.host if endpoint_tls is not None else None,
            )
        if self._tcp_keepalive and wire.transport is not None:
            raw = wire.transport.get_extra_info("socket")
            if raw is not None:
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        return wire

    async def _tunnel(
        self, loop: asyncio.AbstractEventLoop, origin: _Origin, proxy: _Proxy
    ) -> socket.socket:
        """A socket to the proxy with a ``CONNECT`` tunnel to ``origin`` open through it."""
        infos = await loop.getaddrinfo(proxy.host, proxy.port, type=socket.SOCK_STREAM)
        family, kind, protocol, _, address = infos[0]
        sock = socket.socket(family, kind, protocol)
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, address)
            await loop.sock_sendall(sock, _connect_request(origin, proxy))
            received = b""
            while _http11.HEAD_END not in received:
                if len(received) > _http11.MAX_HEAD_BYTES:
                    raise _http11.ProtocolError("proxy's CONNECT answer too long")
                data = await loop.sock_recv(sock, 65536)
                if not data:
                    raise _Closed
                received += data
            block, _, rest = received.partition(_http11.HEAD_END)
            head = _http11.parse_head(block)
            if not 200 <= head.status < 300:
                # The status only: the reason phrase is the proxy's text, which may echo the
                # Proxy-Authorization header (the proxy's password).
                raise OSError(
                    f"proxy {proxy.host}:{proxy.port} refused CONNECT: HTTP {head.status}"
                )
            if rest:
                raise _http11.ProtocolError("proxy sent bytes after its CONNECT answer")
        except BaseException:
            sock.close()
            raise
        return sock


class ThreadedTransport:
    """A synchronous transport run on a worker thread, for the event loop.

    An asynchronous connection sends through botocore's HTTP session this way for the
    few proxy settings :class:`AsyncHTTPTransport` does not implement (an ``https://``
    proxy in front of an ``https://`` endpoint; ``proxy_use_forwarding_for_https``).
    """

    def __init__(self, inner: Callable[[HttpRequest], HttpResponse]) -> None:
        self.inner = inner

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        """Send ``request`` through the inner transport on a worker thread."""
        return await asyncio.to_thread(self.inner, request)

    async def close(self) -> None:
        """Close the inner transport's connections."""
        close = getattr(self.inner, "close", None)
        if callable(close):
            close()


def default_async_transport(events: EventEmitter, settings: ClientSettings) -> AsyncTransport:
    """:class:`AsyncHTTPTransport` with a connection's settings, or botocore's HTTP
    session on a worker thread for the proxy settings only it implements."""
    options = _transport_options(settings)
    if HTTPTransport.unsupported(settings.endpoint_url, settings.proxies, settings.proxies_config):
        return ThreadedTransport(BotocoreTransport(events, **options))
    return AsyncHTTPTransport(events, **options)
