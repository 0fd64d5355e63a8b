"""Finding credentials does not stop the event loop: a credential process, instance
metadata or STS may take seconds, and an asyncio connection waits for them in a thread
(the first call, and each refresh of refreshable credentials), while other tasks run."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from botocore.credentials import CredentialProvider, Credentials, RefreshableCredentials

from dynamodb2.aio import AsyncConnection
from dynamodb2.transport import HttpRequest, HttpResponse

pytestmark = pytest.mark.anyio

LOOKUP_SECONDS = 0.4


async def answer(request: HttpRequest) -> HttpResponse:
    return HttpResponse(200, {}, b'{"TableNames": []}')


class SlowProvider(CredentialProvider):
    """A credential provider that takes :data:`LOOKUP_SECONDS`, as a credential process
    or instance metadata may; remembers the threads it ran on."""

    METHOD = "slow-test-provider"

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []

    def load(self) -> Credentials:
        self.threads.append(threading.get_ident())
        time.sleep(LOOKUP_SECONDS)
        return Credentials("AKIDSLOWPROVIDER", "slow-secret")


def session_with(provider: CredentialProvider) -> botocore.session.Session:
    session = botocore.session.Session()
    session.register_component("credential_provider", _Resolver(provider))
    return session


class _Resolver:
    """A credential resolver of one provider (botocore's public component interface)."""

    def __init__(self, provider: CredentialProvider) -> None:
        self._provider = provider

    def load_credentials(self) -> Any:
        return self._provider.load()


async def longest_stall(work: Callable[[], Any]) -> float:
    """The longest time the event loop went without running a 10 ms heartbeat task
    while ``work()`` was awaited."""
    longest = 0.0
    done = asyncio.Event()

    async def heartbeat() -> None:
        nonlocal longest
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.02)
    try:
        await work()
    finally:
        done.set()
        await beat
    return longest


async def test_the_first_lookup_of_credentials_runs_outside_the_event_loop() -> None:
    provider = SlowProvider()
    conn = AsyncConnection(
        region_name="us-east-1",
        endpoint_url="http://dynamodb.test",
        session=session_with(provider),
        transport=answer,
    )

    stall = await longest_stall(lambda: conn.list_tables({}))

    assert stall < LOOKUP_SECONDS / 2
    assert provider.threads
    assert provider.threads[0] != threading.get_ident()
    # Found once: the next calls sign with them at once.
    assert await longest_stall(lambda: conn.list_tables({})) < LOOKUP_SECONDS / 2
    assert len(provider.threads) == 1


async def test_a_refresh_of_refreshable_credentials_runs_outside_the_event_loop() -> None:
    refreshed_on: list[int] = []

    def refresh() -> dict[str, str]:
        refreshed_on.append(threading.get_ident())
        time.sleep(LOOKUP_SECONDS)
        # Expiring at once: every call refreshes them again.
        expiry = datetime.now(timezone.utc) + timedelta(seconds=1)
        return {
            "access_key": "AKIDREFRESHED",
            "secret_key": "refreshed-secret",
            "token": "refreshed-token",
            "expiry_time": expiry.isoformat(),
        }

    credentials = RefreshableCredentials.create_from_metadata(
        refresh(), refresh, method="slow-refresh"
    )
    refreshed_on.clear()
    provider = SlowProvider()
    provider.load = lambda: credentials  # type: ignore[method-assign]
    conn = AsyncConnection(
        region_name="us-east-1",
        endpoint_url="http://dynamodb.test",
        session=session_with(provider),
        transport=answer,
    )

    for _ in range(2):
        assert await longest_stall(lambda: conn.list_tables({})) < LOOKUP_SECONDS / 2

    assert len(refreshed_on) == 2
    assert threading.get_ident() not in refreshed_on
