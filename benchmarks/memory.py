"""Memory: the peak while iterating a long scan stays at about one page, whatever its length;
and a held item costs about what boto3's plain dict of it does.

>>> pages = ScanPages(total_items=3, page_size=2)
>>> [b'"LastEvaluatedKey"' in pages.page_body(start) for start in (0, 2)]
[True, False]

:class:`ScanPages` plays a table of ``total_items`` items, answering each ``Scan`` request
with the page after its ``ExclusiveStartKey`` (with a ``LastEvaluatedKey`` until the last
page). Every page holds the same ``page_size`` items, already encoded, so answering costs
one bytes join and what is measured is the library's own memory.

:func:`held_items` measures what items cost while a program holds them: ``count``
profile items (20 attributes, :func:`~benchmarks.data.wire_profile_item`) scanned from
one response and kept in a list, as dynamodb2 ``Item`` objects (unread, then with every
attribute read) and as the plain dicts boto3's ``TypeDeserializer`` makes of the same
response; tracemalloc's count of what stays allocated, per item. ``python -m
benchmarks.memory --held N --variant NAME`` measures the growth of the resident set
instead, in a process of its own.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.transport import HttpRequest, HttpResponse
from dynamodb2.types import NUMBER

from .canned import CannedDynamoDB, encode_body
from .data import (
    HASH_KEY,
    PAGE_ITEMS,
    PARTITION,
    RANGE_KEY,
    TABLE_NAME,
    wire_item,
    wire_profile_item,
)

__all__ = [
    "HELD_ITEM_VARIANTS",
    "HeldItems",
    "ScanPages",
    "ScanPeak",
    "held_items",
    "held_items_rss",
    "peak_while_scanning",
    "scan_peaks",
]


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


# --------------------------------------------------------------------------- held items

#: What :func:`held_items` measures: boto3's dicts, dynamodb2's items unread and read.
HELD_ITEM_VARIANTS: Final = ("boto3 dict", "dynamodb2 Item, unread", "dynamodb2 Item, read")


@attrs.frozen
class HeldItems:
    """Bytes per held item, by variant (:data:`HELD_ITEM_VARIANTS`)."""

    items: int
    bytes_per_item: dict[str, float]

    def ratio(self, variant: str) -> float:
        """The variant's bytes per item over boto3's dict's."""
        return self.bytes_per_item[variant] / self.bytes_per_item[HELD_ITEM_VARIANTS[0]]


#: Items per page of the held-items scan: small pages, so that what a page costs while
#: it is read (its bytes, its parsed JSON) stays small beside what is held.
_HELD_PAGE: Final = 100


def _table_answering(pages: ScanPages) -> Table:
    def answer(request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {}, pages(request.body))

    connection = Connection(
        region_name="us-east-1",
        aws_access_key_id="AKIDBENCHMARK",
        aws_secret_access_key="benchmark-secret-key",
        transport=answer,
    )
    return Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=connection,
    )


def _holders(count: int) -> dict[str, Callable[[], list[Any]]]:
    """Per variant, what makes ``count`` held items from pages of profile items."""
    pages = ScanPages(count, page_size=min(_HELD_PAGE, count), item=wire_profile_item)
    table = _table_answering(pages)
    # The rival is imported only when the benchmark runs (as benchmarks.micro's are).
    from boto3.dynamodb.types import TypeDeserializer  # noqa: PLC0415 - see above

    deserialize = TypeDeserializer().deserialize

    def boto3_dicts() -> list[Any]:
        held = []
        for start in range(0, count, pages.page_size):
            for item in json.loads(pages.page_body(start))["Items"]:
                held.append({name: deserialize(value) for name, value in item.items()})
        return held

    def unread() -> list[Any]:
        return list(table.scan())

    def read() -> list[Any]:
        items = list(table.scan())
        for item in items:
            for _value in item.values():
                pass
        return items

    return dict(zip(HELD_ITEM_VARIANTS, (boto3_dicts, unread, read), strict=True))


def _retained(make: Callable[[], list[Any]]) -> tuple[list[Any], int]:
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        held = make()
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return held, after - before


def held_items(count: int) -> HeldItems:
    """Bytes each of ``count`` held profile items costs, by variant (tracemalloc)."""
    holders = _holders(count)
    for make in holders.values():
        make()  # warm up: first-use allocations (caches, interned names) aside
    per_item = {}
    for variant, make in holders.items():
        held, retained = _retained(make)
        if len(held) != count:
            raise AssertionError(f"{variant}: held {len(held)} items, expected {count}")
        del held
        per_item[variant] = retained / count
    return HeldItems(count, per_item)


def _resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def held_items_rss(count: int) -> dict[str, float]:
    """Growth of the resident set per held item, by variant, each in a fresh process
    (``python -m benchmarks.memory --held``); empty where ``/proc`` is missing."""
    if not os.path.exists("/proc/self/statm"):
        return {}
    grown = {}
    for variant in HELD_ITEM_VARIANTS:
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory", "--held", str(count), "--variant", variant],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout
        grown[variant] = float(output.strip().splitlines()[-1])
    return grown


def _held_rss_here(count: int, variant: str) -> float:
    _holders(_HELD_PAGE)[variant]()  # warm up: imports and first-use allocations aside
    make = _holders(count)[variant]
    gc.collect()
    before = _resident_bytes()
    held = make()
    gc.collect()
    grown = _resident_bytes() - before
    assert len(held) == count
    return grown / count


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.memory --held N --variant NAME``: RSS growth per item."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--held", type=int, required=True)
    parser.add_argument("--variant", choices=HELD_ITEM_VARIANTS, required=True)
    args = parser.parse_args(argv)
    print(_held_rss_here(args.held, args.variant))
    return 0


if __name__ == "__main__":
    sys.exit(main())
