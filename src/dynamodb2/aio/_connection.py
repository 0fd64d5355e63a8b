"""AsyncConnection and AsyncDynamoDBConnection: the connection and layer1 APIs, awaited.

Everything but the sending and the sleeping is :class:`~dynamodb2.connection.Connection`'s
and :class:`~dynamodb2.layer1.DynamoDBConnection`'s own code: settings, credentials,
signing, the plan of a call (tries, waits, retry decisions), decoding, error mapping and
secret scrubbing; boto 2's layer1 methods (checks and request bodies).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from dynamodb2._plans import Sleep, run_async
from dynamodb2._wire import Body
from dynamodb2.connection import _LOOK_UP_CREDENTIALS, _RATE_TOKEN, _ConnectionBase
from dynamodb2.layer1 import _Layer1
from dynamodb2.transport import EventEmitter, HttpRequest

from ._transport import AsyncTransport, default_async_transport

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dynamodb2._config import ClientSettings

__all__ = ["AsyncConnection", "AsyncDynamoDBConnection", "sleep_with"]


async def sleep_with(sleep: Callable[[float], object], seconds: float) -> None:
    """Wait ``seconds`` with ``sleep``: a coroutine function (``asyncio.sleep``), or a
    plain function (a test's ``waits.append``), whose result is awaited if awaitable."""
    result = sleep(seconds)
    if inspect.isawaitable(result):
        await result


class AsyncConnection(_ConnectionBase[Awaitable[Body], AsyncTransport]):
    """A connection to DynamoDB for asyncio: :class:`~dynamodb2.connection.Connection`
    whose calls are awaited.

    >>> async with AsyncConnection(region_name="us-east-1") as conn:     # doctest: +SKIP
    ...     await conn.list_tables({})
    {'TableNames': ['users']}

    Takes :class:`~dynamodb2.connection.Connection`'s keywords, with the same meaning and
    the same resolution of settings (environment, profiles, ``config``), except:

    - ``transport``: an asynchronous one (a coroutine function from
      :class:`~dynamodb2.transport.HttpRequest` to
      :class:`~dynamodb2.transport.HttpResponse`); :class:`AsyncHTTPTransport` by default.
    - ``max_pool_connections``: the connections open to the endpoint at once (10 unless
      configured); more concurrent calls wait for one to be free.
    - ``sleep``: replaces ``asyncio.sleep`` (a plain function works too, for tests).

    Retries, ``on_retry`` events, the retry policy, error classes and scrubbed secrets
    are the synchronous connection's. Use it from one event loop at a time.
    """

    _default_sleep = staticmethod(asyncio.sleep)

    @staticmethod
    def _default_transport(events: EventEmitter, settings: ClientSettings) -> AsyncTransport:
        return default_async_transport(events, settings)

    async def close(self) -> None:
        """Close pooled HTTP connections. The connection reopens them if used again."""
        close = getattr(self._transport, "close", None)
        if callable(close):
            result = close()
            if inspect.isawaitable(result):
                await result

    async def __aenter__(self) -> AsyncConnection:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def call(self, operation: str, body: Mapping[str, Any]) -> Body:
        """Call any DynamoDB operation by name with a request body; return the response
        body (as :meth:`Connection.call <dynamodb2.connection.Connection.call>` does).

        >>> await conn.call("DescribeTable", {"TableName": "users"})  # doctest: +SKIP
        {'Table': {'TableName': 'users', 'TableStatus': 'ACTIVE', ...}}
        """
        return await run_async(self._call_plan(operation, body), self._perform)

    def _perform(self, effect: Any) -> Awaitable[Any]:
        # The awaitable itself, not a coroutine awaiting it: one frame less per request.
        if type(effect) is HttpRequest:
            return self._transport(effect)
        if type(effect) is Sleep:
            return sleep_with(self._sleep, effect.seconds)
        if effect is _LOOK_UP_CREDENTIALS:
            # A credential process, instance metadata or STS may take seconds: not on
            # the event loop.
            return asyncio.to_thread(self._current_credentials)
        assert effect is _RATE_TOKEN
        return self._rate_token()

    async def _rate_token(self) -> None:
        limiter = self._rate_limiter
        assert limiter is not None
        wait = limiter.try_take()
        while wait:
            await asyncio.sleep(wait)
            wait = limiter.try_take()


class AsyncDynamoDBConnection(_Layer1[Awaitable[Body]]):
    """boto 2's layer1 :class:`~dynamodb2.layer1.DynamoDBConnection` for asyncio: the
    same constructor, the same methods with the same arguments, each awaited.

    >>> conn = AsyncDynamoDBConnection(host="localhost", port=8000)   # doctest: +SKIP
    >>> await conn.put_item("users", {"username": {"S": "jo"}})       # doctest: +SKIP
    {}

    Requests go through an :class:`AsyncConnection` (``connection=`` gives a ready one).
    """

    connection: AsyncConnection

    @staticmethod
    def _connection_class() -> type[AsyncConnection]:
        return AsyncConnection

    async def make_request(self, action: str, body: str | bytes | Mapping[str, Any]) -> Body:
        """Call an operation by name with a JSON body, awaited (see
        :meth:`DynamoDBConnection.make_request <dynamodb2.layer1.DynamoDBConnection.make_request>`:
        every operation method goes through an override or a patch of it). A coroutine
        function, so ``mock.patch.object(conn, "make_request", return_value={...})``
        makes an ``AsyncMock``, as an override is ``async def``."""
        return await super().make_request(action, body)

    _own_make_request = make_request

    async def close(self) -> None:
        """Close pooled HTTP connections."""
        await self.connection.close()
