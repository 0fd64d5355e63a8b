"""Dump a table as JSON Lines, read with a parallel scan.

>>> import sys
>>> from dynamodb2 import Table
>>> from dynamodb2.cli.dump import dump_items
>>> dump_items(Table("users"), sys.stdout, format="dynamodb", segments=4)  # doctest: +SKIP
{"username":{"S":"jane"},"joined":{"N":"2024"}}
...
2

Items are written as they arrive from :meth:`~dynamodb2.table.Table.parallel_scan`'s
segments, so in no particular order. ``format="dynamodb"`` keeps every type (sets,
binary, exact numbers) and loads back unchanged; ``format="json"`` writes plain JSON
(exact numbers, sets as sorted lists, binary as ``{"$binary": ...}``): see
:mod:`dynamodb2.cli.formats`.

This module needs no extra: ``dynamodb2 dump`` is a thin layer over :func:`dump_items`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from .formats import Format, format_item

if TYPE_CHECKING:
    from dynamodb2.table import Table

__all__ = ["TextSink", "dump_items"]


class TextSink(Protocol):
    """Where lines go: a text file, ``sys.stdout``, an ``io.StringIO``."""

    def write(self, text: str, /) -> object: ...


def dump_items(
    table: Table,
    out: TextSink,
    *,
    format: Format = "json",
    segments: int = 4,
    consistent: bool = False,
    on_item: Callable[[int], None] | None = None,
) -> int:
    """Write every item of ``table`` to ``out``, one line each; return how many.

    ``segments`` is the parallel scan's ``total_segments``, read by up to 32 threads
    (give the connection as many pooled connections,
    ``Connection(max_pool_connections=...)``).
    ``on_item`` is called with the running count after each item.
    """
    count = 0
    for item in table.parallel_scan(total_segments=segments, consistent=consistent):
        out.write(format_item(dict(item.items()), format) + "\n")
        count += 1
        if on_item is not None:
            on_item(count)
    return count
