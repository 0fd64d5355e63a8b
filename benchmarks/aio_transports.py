"""The asyncio transport candidates, each under the same AsyncConnection: client CPU per call.

``python -m benchmarks.aio_transports [ROUNDS]`` times ``AsyncTable.get_item`` and a
100-item ``query_2`` page read whole, against the canned server of
:mod:`benchmarks.aio` on loopback, with :class:`~dynamodb2.aio.AsyncHTTPTransport`
(asyncio protocol on ``_http11``), an asyncio-streams transport on the same framing, and
adapters for aiohttp and httpx (docs/transport.md has the results and the choice).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import httpx

from dynamodb2 import _http11
from dynamodb2.aio import AsyncConnection, AsyncHTTPTransport, AsyncTable
from dynamodb2.fields import HashKey
from dynamodb2.transport import HttpRequest, HttpResponse

from .aio import _canned_server

__all__ = ["main"]

_KEPT = _http11.KEPT_HEADERS


class StreamsTransport:
    """asyncio streams (``open_connection``, ``readuntil``, ``readexactly``) on ``_http11``."""

    def __init__(self) -> None:
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        host, port = request.url.split("//")[1].rstrip("/").split(":")
        if self._idle:
            reader, writer = self._idle.pop()
        else:
            reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            _http11.encode_request("POST", "/", f"{host}:{port}", request.headers, request.body)
        )
        head = _http11.parse_head((await reader.readuntil(_http11.HEAD_END))[:-4])
        assert head.length is not None
        body = await reader.readexactly(head.length)
        self._idle.append((reader, writer))
        return HttpResponse(head.status, head.headers, body, head.reason)

    async def close(self) -> None:
        for _, writer in self._idle:
            writer.close()


class AiohttpTransport:
    """aiohttp's ClientSession."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.post(
            request.url, data=request.body, headers=dict(request.headers)
        ) as response:
            body = await response.read()
            headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in _KEPT}
            return HttpResponse(response.status, headers, body, response.reason or "")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


class HttpxTransport:
    """httpx's AsyncClient (on httpcore and h11)."""

    def __init__(self) -> None:
        self._client = httpx.AsyncClient()

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        response = await self._client.post(
            request.url, content=request.body, headers=dict(request.headers)
        )
        headers = {k: v for k, v in response.headers.items() if k in _KEPT}
        return HttpResponse(response.status_code, headers, response.content, response.reason_phrase)

    async def close(self) -> None:
        await self._client.aclose()


CANDIDATES: dict[str, Callable[[], Any]] = {
    "AsyncHTTPTransport (asyncio protocol on _http11)": lambda: AsyncHTTPTransport(None),
    "asyncio streams on _http11": StreamsTransport,
    "aiohttp ClientSession": AiohttpTransport,
    "httpx AsyncClient": HttpxTransport,
}


async def _time(url: str, make: Callable[[], Any], rounds: int) -> dict[str, float]:
    transport = make()
    connection = AsyncConnection(
        endpoint_url=url,
        aws_access_key_id="AKIDBENCHMARK",
        aws_secret_access_key="benchmark-secret-key",
        region_name="us-east-1",
        transport=transport,
    )
    table = AsyncTable("bench", schema=[HashKey("id")], connection=connection)

    async def get() -> Any:
        return dict((await table.get_item(id="item-00001")).items())

    async def page() -> Any:
        return [dict(item.items()) async for item in table.query_2(id__eq="item-00001")]

    cases: dict[str, tuple[Callable[[], Awaitable[Any]], int]] = {
        "get_item": (get, 300),
        "100-item query page": (page, 30),
    }
    medians = {}
    for name, (case, count) in cases.items():
        for _ in range(5):
            await case()
        samples = []
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(count):
                await case()
            samples.append((time.process_time() - started) / count)
        medians[name] = statistics.median(samples)
    await transport.close()
    return medians


def main(argv: list[str]) -> None:
    """Print a Markdown table of the candidates' client CPU per call."""
    rounds = int(argv[0]) if argv else 5
    results: dict[str, list[dict[str, float]]] = {name: [] for name in CANDIDATES}
    with _canned_server() as url:
        for _ in range(3):  # interleaved
            for name, make in CANDIDATES.items():
                results[name].append(asyncio.run(_time(url, make, rounds)))
    print("| transport | get_item | 100-item query page |")
    print("|---|---:|---:|")
    for name, runs in results.items():
        get = statistics.median(run["get_item"] for run in runs)
        page = statistics.median(run["100-item query page"] for run in runs)
        print(f"| {name} | {get * 1e6:.0f} µs | {page * 1e6:.0f} µs |")


if __name__ == "__main__":
    main(sys.argv[1:])
