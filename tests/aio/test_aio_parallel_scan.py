"""AsyncTable.parallel_scan against a scripted DynamoDB: every item once, and the pages
fetched ahead of the consumer bounded as the synchronous scan's are
(tests/unit/test_parallel_scan.py)."""

from __future__ import annotations

import asyncio

import pytest

from dynamodb2.aio import AsyncTable
from dynamodb2.fields import HashKey
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.fakes import ScriptedTransport, async_connection_to
from tests.support.segments import PagedSegments

pytestmark = pytest.mark.anyio


def scripted_table(pages: PagedSegments) -> AsyncTable:
    fake = ScriptedTransport.answering(pages)

    async def transport(request: HttpRequest) -> HttpResponse:
        await asyncio.sleep(0)  # a real await, as on a socket
        return fake(request)

    connection = async_connection_to(transport)
    return AsyncTable("events", schema=[HashKey("id")], connection=connection)


async def test_every_item_of_every_segment_comes_once() -> None:
    pages = PagedSegments(segments=4, pages=5, per_page=3)

    seen = [item["id"] async for item in scripted_table(pages).parallel_scan(total_segments=4)]

    assert len(seen) == len(set(seen))
    assert set(seen) == pages.all_ids()


@pytest.mark.parametrize("workers", [1, 3])
async def test_a_slow_consumer_bounds_the_pages_fetched_ahead(workers: int) -> None:
    pages = PagedSegments(segments=workers, pages=30, per_page=4)
    pages_taken: set[str] = set()
    worst_lead = 0
    count = 0

    async for item in scripted_table(pages).parallel_scan(total_segments=workers):
        pages_taken.add(item["id"].rsplit("-i", 1)[0])
        if count == 0:
            for _ in range(50):  # give the tasks every chance to run ahead
                await asyncio.sleep(0)
        lead = pages.served - len(pages_taken)
        worst_lead = max(worst_lead, lead)
        # Fetched but not yet taken: at most one page per task.
        assert lead <= workers, f"{pages.served} pages fetched, {len(pages_taken)} taken"
        count += 1

    assert pages.served == 30 * workers
    assert worst_lead == workers  # the bound is reached, so the test could fail
