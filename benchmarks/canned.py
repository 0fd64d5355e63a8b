"""A DynamoDB that answers from canned bytes inside botocore: no network, no server.

>>> canned = install()                                           # doctest: +SKIP
>>> canned.answer("GetItem", {"Item": {"id": {"S": "a"}}})       # doctest: +SKIP

:func:`install` appends a ``before-send`` handler to ``botocore.handlers.BUILTIN_HANDLERS``,
the way ``moto`` registers its own, so every botocore session created afterwards carries
it: boto3's clients and resources, PynamoDB's connection and dynamodb2's
:class:`~dynamodb2.connection.Connection` all have their requests answered here, after
they were built and signed, with the same response bytes (and a correct ``x-amz-crc32``,
which botocore and dynamodb2 both verify). What is measured is then everything a library
does on the client side: building, validating, serializing and signing the request, and
checking, parsing and decoding the response.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.handlers import BUILTIN_HANDLERS

from dynamodb2.transport import HttpRequest, HttpResponse

__all__ = ["CannedDynamoDB", "Responder", "encode_body", "install"]

#: Builds a response body from the request body (for answers that depend on the request).
Responder = Callable[[bytes], bytes]

_EVENT_PREFIX: Final = "before-send.dynamodb."


def encode_body(body: Mapping[str, Any]) -> bytes:
    """A response body as DynamoDB sends it: compact JSON, UTF-8."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class _RawBody:
    """The little of urllib3's response that botocore reads from a canned one."""

    reason: Final = "OK"

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self._body


def _headers_for(body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/x-amz-json-1.0",
        "content-length": str(len(body)),
        "x-amz-crc32": str(zlib.crc32(body) & 0xFFFFFFFF),
        "x-amzn-requestid": "CANNED0000000000000000000000000000000000000000000000",
    }


class CannedDynamoDB:
    """A ``before-send`` handler answering DynamoDB operations with canned responses.

    An operation without an answer raises instead of falling through to the network.
    While :attr:`enabled` is false, requests go their way untouched (as with moto's
    handler outside ``mock_aws``).
    """

    def __init__(self) -> None:
        #: Whether requests are answered here.
        self.enabled = True
        self._static: dict[str, tuple[bytes, dict[str, str]]] = {}
        self._dynamic: dict[str, Responder] = {}
        self._lock = threading.Lock()
        #: How many requests were answered, by operation.
        self.calls: dict[str, int] = {}
        #: The body of the last request answered, by operation.
        self.last_request: dict[str, bytes] = {}

    def answer(self, operation: str, body: Mapping[str, Any] | bytes) -> bytes:
        """Answer ``operation`` with ``body`` from now on; return the response bytes."""
        raw = body if isinstance(body, bytes) else encode_body(body)
        self._dynamic.pop(operation, None)
        self._static[operation] = (raw, _headers_for(raw))
        return raw

    def answer_with(self, operation: str, responder: Responder) -> None:
        """Answer ``operation`` with ``responder(request_body)`` from now on."""
        self._static.pop(operation, None)
        self._dynamic[operation] = responder

    def __call__(
        self, request: AWSPreparedRequest, event_name: str = "", **_kwargs: Any
    ) -> AWSResponse | None:
        if not self.enabled:
            return None
        if not event_name.startswith(_EVENT_PREFIX):
            raise RuntimeError(f"the benchmark only answers DynamoDB, not {event_name!r}")
        operation = event_name[len(_EVENT_PREFIX) :]
        body = request.body
        request_body = body if isinstance(body, bytes) else str(body or "").encode()
        raw, headers = self.respond(operation, request_body)
        # A fresh response each time: botocore reads and caches its content.
        return AWSResponse(request.url, 200, headers, _RawBody(raw))  # type: ignore[arg-type]

    def transport(self, request: HttpRequest) -> HttpResponse:
        """dynamodb2's transport seam (``Connection(transport=canned.transport)``): the
        canned response to a signed request, as its HTTP transport would have read it."""
        body, headers = self.respond(request.operation, request.body)
        return HttpResponse(200, headers, body, "OK")

    def respond(self, operation: str, request_body: bytes) -> tuple[bytes, dict[str, str]]:
        """The canned response to a request of ``operation``: its body and headers.

        Every library's requests are answered here: botocore's through the
        ``before-send`` event, aiodynamo's through its HTTP callable
        (:mod:`benchmarks.rivals`).
        """
        with self._lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            self.last_request[operation] = request_body
        static = self._static.get(operation)
        if static is not None:
            return static
        responder = self._dynamic.get(operation)
        if responder is None:
            raise RuntimeError(f"no canned response for DynamoDB {operation}")
        raw = responder(request_body)
        return raw, _headers_for(raw)


_installed: CannedDynamoDB | None = None


def install() -> CannedDynamoDB:
    """Register the canned DynamoDB for every botocore session created from now on.

    Call it before creating any client or connection. Installing twice returns the
    handler installed first.
    """
    global _installed  # noqa: PLW0603 - one handler per process, as moto's
    if _installed is None:
        _installed = CannedDynamoDB()
        BUILTIN_HANDLERS.append(("before-send", _installed))
    return _installed
