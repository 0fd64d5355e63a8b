"""Helpers of the asynchronous integration ports: recorded connections and ready tables.

The asynchronous counterparts of :mod:`tests.support.table_support`'s helpers: an
:class:`AsyncConnection` whose requests are recorded before they are sent, and
``AsyncTable.create`` followed by waiting until the table and its global indexes are
``ACTIVE``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from dynamodb2.aio import AsyncConnection, AsyncHTTPTransport, AsyncTable, AsyncTransport
from dynamodb2.fields import BaseIndexField, BaseSchemaField
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.aio.conftest import async_connection
from tests.support.backends import Backend

__all__ = ["AsyncRecordingTransport", "create_async_table", "recorded_async_connection"]


@attrs.define
class AsyncRecordingTransport:
    """Passes requests on to ``inner`` after noting each one's operation and body."""

    inner: AsyncTransport
    requests: list[tuple[str, dict[str, Any]]] = attrs.field(factory=list)

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        self.requests.append((request.operation, json.loads(request.body)))
        return await self.inner(request)

    async def close(self) -> None:
        """Close the inner transport's pooled connections."""
        close = getattr(self.inner, "close", None)
        if close is not None:
            await close()

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


def recorded_async_connection(
    backend: Backend, **options: Any
) -> tuple[AsyncConnection, AsyncRecordingTransport]:
    """An asynchronous connection to ``backend`` whose requests are recorded."""
    # A first connection gives the event emitter the real transport needs (moto
    # in-process answers through it).
    probe = async_connection(backend)
    recorder = AsyncRecordingTransport(AsyncHTTPTransport(probe.events))
    return async_connection(backend, transport=recorder, **options), recorder


async def create_async_table(
    connection: AsyncConnection,
    name: str,
    schema: Sequence[BaseSchemaField],
    *,
    indexes: Sequence[BaseIndexField] | None = None,
    global_indexes: Sequence[BaseIndexField] | None = None,
    throughput: Mapping[str, int] | None = None,
    billing_mode: Literal["PROVISIONED", "PAY_PER_REQUEST"] | None = None,
) -> AsyncTable:
    """``await AsyncTable.create(...)``, returned once the table can be used."""
    table = await AsyncTable.create(
        name,
        schema=schema,
        throughput=throughput,
        indexes=indexes,
        global_indexes=global_indexes,
        connection=connection,
        billing_mode=billing_mode,
    )
    await table.wait_until_active(timeout=10)
    return table
