"""Memory: the peak while iterating a long scan stays at about one page, whatever its length.

>>> pages = ScanPages(total_items=3, page_size=2)
>>> [b'"LastEvaluatedKey"' in pages.page_body(start) for start in (0, 2)]
[True, False]

:class:`ScanPages` plays a table of ``total_items`` items, answering each ``Scan`` request
with the page after its ``ExclusiveStartKey`` (with a ``LastEvaluatedKey`` until the last
page). Every page holds the same ``page_size`` items, already encoded, so answering costs
one bytes join and what is measured is the library's own memory.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.types import NUMBER

from .canned import CannedDynamoDB, encode_body
from .data import HASH_KEY, PAGE_ITEMS, PARTITION, RANGE_KEY, TABLE_NAME, wire_item

__all__ = ["ScanPages", "ScanPeak", "peak_while_scanning", "scan_peaks"]


class ScanPages:
    """Answers Scan requests over a table of ``total_items`` items, ``page_size`` a page.

    ``item(index)`` gives the wire form of an item (the 12-attribute query item unless
    told otherwise); every page holds items ``0 .. page_size - 1``.
    """

    def __init__(
        self,
        total_items: int,
        page_size: int = PAGE_ITEMS,
        item: Callable[[int], dict[str, Any]] = wire_item,
    ) -> None:
        self.total_items = total_items
        self.page_size = page_size
        self._item = item
        self._items = b",".join(encode_body(item(index)) for index in range(page_size))
        self._partial: dict[int, bytes] = {}
        #: How many pages were served.
        self.pages_served = 0

    def _items_json(self, count: int) -> bytes:
        if count == self.page_size:
            return self._items
        if count not in self._partial:
            self._partial[count] = b",".join(
                encode_body(self._item(index)) for index in range(count)
            )
        return self._partial[count]

    def page_body(self, start: int) -> bytes:
        """The response for the page whose first item is item number ``start``."""
        count = max(0, min(self.page_size, self.total_items - start))
        end = start + count
        parts = [b'{"Items":[', self._items_json(count), b"],"]
        parts.append(f'"Count":{count},"ScannedCount":{count}'.encode())
        if end < self.total_items:
            last_key = {HASH_KEY: {"S": PARTITION}, RANGE_KEY: {"N": str(end - 1)}}
            parts.append(b',"LastEvaluatedKey":' + encode_body(last_key))
        parts.append(b"}")
        self.pages_served += 1
        return b"".join(parts)

    def __call__(self, request_body: bytes) -> bytes:
        """The response to a Scan request body."""
        request: dict[str, Any] = json.loads(request_body)
        start_key = request.get("ExclusiveStartKey")
        start = int(start_key[RANGE_KEY]["N"]) + 1 if start_key else 0
        return self.page_body(start)


def peak_while_scanning(table: Table) -> tuple[int, int]:
    """Scan ``table`` to the end, reading every attribute; return (items, peak bytes).

    The peak is tracemalloc's: every Python allocation made during the scan, the
    response bytes and the decoded JSON included.
    """
    gc.collect()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    baseline, _ = tracemalloc.get_traced_memory()
    items = 0
    try:
        for item in table.scan():
            for _value in item.values():
                pass
            items += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return items, peak - baseline


@attrs.frozen
class ScanPeak:
    """The peak memory of one scan."""

    items: int
    pages: int
    peak_bytes: int


def scan_peaks(canned: CannedDynamoDB, counts: Sequence[int]) -> list[ScanPeak]:
    """Peak memory of scanning tables of each of ``counts`` items (canned, through botocore)."""
    table = Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=Connection(),
    )
    canned.answer_with("Scan", ScanPages(PAGE_ITEMS * 2))
    peak_while_scanning(table)  # warm up: first-use allocations are not the scan's
    peaks = []
    for count in counts:
        pages = ScanPages(count)
        canned.answer_with("Scan", pages)
        items, peak = peak_while_scanning(table)
        if items != count:
            raise AssertionError(f"scanned {items} items, expected {count}")
        peaks.append(ScanPeak(items, pages.pages_served, peak))
    return peaks
