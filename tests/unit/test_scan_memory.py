"""Iterating a scan holds about one page in memory, however many pages there are.

A scan of a table of any size must be iterable in the memory of one page: each page is
dropped once iterated. Measured with tracemalloc (every Python allocation), not timed.
"""

from __future__ import annotations

from typing import Any

from benchmarks.data import HASH_KEY, RANGE_KEY, TABLE_NAME
from benchmarks.memory import ScanPages, peak_while_scanning

from dynamodb2 import Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.transport import HttpRequest, HttpResponse
from dynamodb2.types import NUMBER
from tests.support.fakes import connection, json_response

PAGE_SIZE = 200


def small_item(index: int) -> dict[str, Any]:
    """A small item with nested values (tracemalloc makes every allocation slow)."""
    return {
        HASH_KEY: {"S": f"user-{index % 7}"},
        RANGE_KEY: {"N": str(index)},
        "tags": {"SS": ["a", "b"]},
        "doc": {"M": {"n": {"N": "1.5"}, "l": {"L": [{"S": "x"}, {"BOOL": True}]}}},
    }


#: Allocation noise between two runs (free lists, a dict resized one more time).
MARGIN = 1.05


def _table_of(pages: ScanPages) -> Table:
    def answer(request: HttpRequest) -> HttpResponse:
        return json_response(pages(request.body))

    return Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=connection(answer),
    )


def _peak_scanning(total_items: int) -> int:
    pages = ScanPages(total_items, page_size=PAGE_SIZE, item=small_item)
    items, peak = peak_while_scanning(_table_of(pages))
    assert items == total_items
    assert pages.pages_served == -(-total_items // PAGE_SIZE)
    return peak


def test_scan_peak_memory_does_not_grow_with_the_number_of_items() -> None:
    _peak_scanning(2 * PAGE_SIZE)  # first-use allocations (caches, code objects) aside

    ten_pages = _peak_scanning(2_000)
    hundred_pages = _peak_scanning(20_000)

    assert hundred_pages <= ten_pages * MARGIN, (ten_pages, hundred_pages)
