"""The HTTP seam below :class:`~dynamodb2.connection.Connection`: one request in, one response out.

A transport is any callable taking an :class:`HttpRequest` and returning an
:class:`HttpResponse`. Tests hand the connection a plain function instead of patching
anything::

    def answer(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {}, b'{"TableNames": []}')

    Connection(transport=answer).list_tables({})

A transport reports a failed exchange by raising a
:class:`~dynamodb2.exceptions.TransportError` subclass; it never retries (the connection
does). :class:`BotocoreTransport` is the real one.
"""

from __future__ import annotations

import http
import socket
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs
import botocore.exceptions
from botocore.awsrequest import AWSPreparedRequest, HeadersDict
from botocore.httpsession import URLLib3Session

from .exceptions import ConnectionFailedError, ReadTimeoutError, TransportError

__all__ = ["BotocoreTransport", "EventEmitter", "HttpRequest", "HttpResponse", "Transport"]


@attrs.frozen(slots=True)
class HttpRequest:
    """A signed request, ready to send."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    #: The DynamoDB operation name (``"GetItem"``), for events and logs.
    operation: str

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
    """The part of botocore's event emitter (``client.meta.events``) used here."""

    def emit_until_response(self, event_name: str, **kwargs: Any) -> tuple[Any, Any]:
        """Call handlers until one returns a response; return (handler, response)."""


class BotocoreTransport:
    """Sends requests the way botocore does, through botocore's public pieces.

    Before sending, it emits botocore's ``before-send.dynamodb.<Operation>`` event on the
    given emitter and uses a response returned there: this is how ``moto``'s ``mock_aws``
    (and botocore's own stubbing hooks) answer without touching the network. Otherwise the
    request goes out over a pooled :class:`botocore.httpsession.URLLib3Session`.
    """

    def __init__(
        self,
        events: EventEmitter,
        *,
        verify: bool | str = True,
        proxies: Mapping[str, str] | None = None,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        event_prefix: str = "before-send.dynamodb",
    ) -> None:
        self._events = events
        self._event_prefix = event_prefix
        # botocore-stubs types verify as bool and timeout as int; botocore itself takes a
        # CA bundle path and a (connect, read) pair.
        session_options: dict[str, Any] = {
            "verify": verify,
            "timeout": (connect_timeout, read_timeout),
        }
        self._http = URLLib3Session(
            proxies=dict(proxies) if proxies else None,
            max_pool_connections=max_pool_connections,
            # Without TCP_NODELAY, Nagle's algorithm meets delayed ACKs and each small
            # request waits ~40 ms (botocore's clients set the same option).
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],  # type: ignore[list-item]
            **session_options,
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Send one request; raise a :class:`TransportError` if no response arrives."""
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
        _handler, stubbed = self._events.emit_until_response(
            f"{self._event_prefix}.{request.operation}", request=prepared
        )
        if stubbed is not None:
            return _from_botocore(stubbed)
        try:
            return _from_botocore(self._http.send(prepared))
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
            botocore.exceptions.HTTPClientError,
        ) as error:
            failure = ConnectionFailedError(f"connection to {request.url} failed: {error}")
            cause = _network_error(error)
        # Raised here, outside the except clauses, so that botocore's exception is not
        # kept as __context__ either: it holds the signed request (signature and session
        # token). The cause is the network error beneath it.
        raise failure from cause

    def close(self) -> None:
        """Close pooled connections."""
        self._http.close()


def _network_error(error: botocore.exceptions.BotoCoreError) -> BaseException | None:
    """The network error a botocore exception wraps (urllib3's or the socket's), if any."""
    inner = error.kwargs.get("error")
    return inner if isinstance(inner, BaseException) else None


def _from_botocore(response: Any) -> HttpResponse:
    try:
        body = response.content
    except botocore.exceptions.HTTPClientError as error:  # pragma: no cover - network timing
        raise ConnectionFailedError(f"reading the response failed: {error}") from error
    headers = {str(name).lower(): str(value) for name, value in response.headers.items()}
    reason = getattr(response.raw, "reason", None)
    return HttpResponse(
        status=int(response.status_code),
        headers=headers,
        body=bytes(body or b""),
        reason=reason if isinstance(reason, str) else "",
    )
