"""Fixtures of the asyncio tests: anyio runs them on asyncio; connections to each backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from dynamodb2.aio import AsyncConnection
from tests.support.backends import (
    ACCESS_KEY,
    FAST_RETRY,
    REGION,
    SECRET_KEY,
    Backend,
    shared_botocore_session,
)


def async_connection(backend: Backend, **options: Any) -> AsyncConnection:
    """An :class:`AsyncConnection` to ``backend`` with test credentials and quick retries."""
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("session", shared_botocore_session())
    return AsyncConnection(
        region_name=REGION,
        endpoint_url=backend.endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **options,
    )


@pytest.fixture
async def aconn(backend: Backend) -> AsyncIterator[AsyncConnection]:
    """An asynchronous connection to the test's backend."""
    async with async_connection(backend) as connection:
        yield connection


@pytest.fixture
async def arecorded(backend: Backend) -> AsyncIterator[tuple[AsyncConnection, Any]]:
    """An asynchronous connection to the test's backend, and the
    :class:`~tests.aio.support.AsyncRecordingTransport` of every request it sends."""
    from tests.aio.support import recorded_async_connection

    connection, recorder = recorded_async_connection(backend)
    async with connection:
        yield connection, recorder
