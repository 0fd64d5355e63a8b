"""aiodynamo, driven offline: its HTTP callable answered by the canned DynamoDB.

>>> run(_answer(7))
7

aiodynamo takes any HTTP implementation (``Callable[[Request], Awaitable[Response]]``,
its ``aiodynamo.http.types``), the seam its own aiohttp and httpx adapters plug into.
:class:`CannedHttp` is one: it answers each request with the bytes the other libraries
get from :class:`~benchmarks.canned.CannedDynamoDB`, chosen by the ``X-Amz-Target``
header. Everything above the seam is aiodynamo's own work, timed as the others' is:
building the payload, ``json.dumps``, signing, ``json.loads`` and decoding.

Its coroutines are run by :func:`run`, which steps a coroutine without an event loop:
with a canned answer nothing ever waits, so an event loop would only add its own cost
(about 30 µs per call to ``run_until_complete``) to aiodynamo's timings. Numbers decode
to ``Decimal`` (``numeric_type=Decimal``), as for boto3 and dynamodb2, so every library
hands the caller the same values (aiodynamo's default, ``float``, would lose digits).
"""

from __future__ import annotations

from collections.abc import Coroutine
from decimal import Decimal
from typing import Any, Final, TypeVar

from aiodynamo.client import Client
from aiodynamo.credentials import Key, StaticCredentials
from aiodynamo.http.types import Request, Response

from .canned import CannedDynamoDB

__all__ = ["CannedHttp", "canned_client", "run"]

_T = TypeVar("_T")
_TARGET: Final = "X-Amz-Target"


def run(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine that never waits for anything, and return its result.

    Raises:
        RuntimeError: if it does wait (then it needs an event loop, and the benchmark
            would not be measuring what it says).
    """
    try:
        coroutine.send(None)
    except StopIteration as done:
        result: _T = done.value
        return result
    coroutine.close()
    raise RuntimeError("the coroutine waited for something: it cannot be driven offline")


async def _answer(value: int) -> int:
    return value


class CannedHttp:
    """aiodynamo's HTTP callable, answered by ``canned`` (status 200, the canned body)."""

    def __init__(self, canned: CannedDynamoDB) -> None:
        self._canned = canned

    async def __call__(self, request: Request) -> Response:
        """The canned response to ``request``."""
        headers = request.headers or {}
        operation = headers[_TARGET].rpartition(".")[2]
        body, _headers = self._canned.respond(operation, request.body or b"")
        return Response(200, body)


def canned_client(
    canned: CannedDynamoDB, *, region: str, access_key: str, secret_key: str
) -> Client:
    """An aiodynamo client whose requests ``canned`` answers; numbers as ``Decimal``."""
    return Client(
        CannedHttp(canned),
        StaticCredentials(Key(access_key, secret_key)),
        region,
        numeric_type=Decimal,
    )
