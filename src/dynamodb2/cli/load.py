"""Load JSON Lines into a table through a BatchTable; bad lines are reported, never fatal.

>>> from dynamodb2 import Table
>>> from dynamodb2.cli.load import load_lines
>>> with open("users.jsonl", "rb") as lines:                    # doctest: +SKIP
...     report = load_lines(Table("users"), lines)
>>> report.loaded, [(r.line_number, r.reason) for r in report.rejected]   # doctest: +SKIP
(9998, [(17, 'not valid JSON (Expecting value at column 9)'), (230, ...)])

Each line is parsed and encoded on its own: a line that is not JSON, lacks a key
attribute, or holds a value DynamoDB cannot store (NaN, a 39-digit number, an empty set,
an item over 400 KB) is recorded as a :class:`Rejection` with its line number, and every
other line is still written. Writes go 25 to a request through
:class:`~dynamodb2.batch.BatchTable`, so throttled writes are retried with backoff and
none is dropped; a line repeating an earlier line's key replaces it, as a put would.

Unlike ``Table.put_item`` (boto 2's rule), ``None``/``null`` and ``""`` attribute values
are stored, not dropped: a load stores what the file says. ``true``/``false`` are stored
as DynamoDB booleans.

This module needs no extra: ``dynamodb2 load`` is a thin layer over :func:`load_lines`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import attrs

from dynamodb2._schema import KeySchema
from dynamodb2._wire import AttributeValue
from dynamodb2.batch import BatchTable
from dynamodb2.exceptions import ParameterValidationError, UnsupportedTypeError
from dynamodb2.types import NativeNumberDynamizer, make_dynamizer

from .formats import Format, detect_format, parse_item

if TYPE_CHECKING:
    from dynamodb2.table import Table

__all__ = ["LoadProgress", "LoadReport", "Rejection", "load_lines"]


@dataclass(frozen=True)
class Rejection:
    """A line that was not written, and why."""

    #: The line's number in the input, from 1.
    line_number: int
    #: Why it was refused, in one line.
    reason: str


@dataclass
class LoadReport:
    """What a load did."""

    #: Lines read (blank lines included).
    lines: int = 0
    #: Lines parsed and handed to the batch (each one item).
    loaded: int = 0
    #: Write requests that reached the table (less than ``loaded`` when lines repeated
    #: a key before it was sent: the later line wins).
    written: int = 0
    #: Bytes of input read.
    bytes_read: int = 0
    #: The format the lines were read in (``None`` if no line was a JSON object).
    format: Format | None = None
    #: Every refused line, in input order.
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class LoadProgress:
    """Where a load is, handed to ``on_progress`` after each line."""

    lines: int
    loaded: int
    rejected: int
    bytes_read: int


def load_lines(
    table: Table,
    lines: Iterable[bytes | str],
    *,
    format: Format | None = None,
    on_progress: Callable[[LoadProgress], None] | None = None,
    report: LoadReport | None = None,
) -> LoadReport:
    """Write every good line of ``lines`` (JSON Lines) to ``table``; report the others.

    ``format`` is ``"json"`` or ``"dynamodb"`` (see :mod:`dynamodb2.cli.formats`), or
    ``None`` to detect it from the first line that is a JSON object. ``lines`` may be a
    file opened in binary mode (its byte count feeds :attr:`LoadReport.bytes_read`).

    Service errors that stop the batch (a missing table, writes still throttled after
    every retry) are raised as :class:`~dynamodb2.exceptions.BatchWriteError`, carrying
    the unsent writes; pass your own ``report`` to see how far the load got.
    """
    if report is None:
        report = LoadReport()
    report.format = format
    target = _StoreEverything(table)
    batch = BatchTable(target)  # type: ignore[arg-type]
    try:
        with batch:
            for number, raw in enumerate(lines, start=1):
                report.lines = number
                report.bytes_read += len(raw)
                _load_one(raw, number, batch, report)
                if on_progress is not None:
                    on_progress(
                        LoadProgress(number, report.loaded, len(report.rejected), report.bytes_read)
                    )
    finally:
        report.written = batch.sent
    return report


def _load_one(raw: bytes | str, number: int, batch: BatchTable, report: LoadReport) -> None:
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        report.rejected.append(Rejection(number, f"not UTF-8 text (byte {error.start + 1})"))
        return
    if not text.strip():
        return
    if report.format is None:
        report.format = detect_format(text)
    try:
        batch.put_item(parse_item(text, report.format or "json"))
    except (ParameterValidationError, UnsupportedTypeError) as error:
        # The line's own fault, found before it joined the batch. (A service error from
        # the flush a put triggers is a BatchWriteError, not about this line: it stops
        # the load.)
        report.rejected.append(Rejection(number, str(error)))
        return
    report.loaded += 1


class _StoreEverything:
    """The table, as BatchTable's target, encoding items whole: ``None`` and ``""``
    values are stored (``Table`` drops them, as boto 2 did), booleans as ``BOOL``, and
    items over DynamoDB's size limit are refused here rather than failing a request of
    25. The caller's table is not changed."""

    def __init__(self, table: Table) -> None:
        self.table_name = table.table_name
        self.connection = table.connection
        self.pacing = table.pacing
        schema = table.key_schema
        self.key_schema = _WholeItems(
            attrs.evolve(
                schema,
                dynamizer=make_dynamizer(
                    booleans=True,
                    native_numbers=isinstance(schema.dynamizer, NativeNumberDynamizer),
                ),
            )
        )


class _WholeItems:
    """A key schema whose items keep every value."""

    def __init__(self, schema: KeySchema) -> None:
        self._schema = schema
        self.known = schema.known
        self.encode_key = schema.encode_key
        self.identity_of_write = schema.identity_of_write

    def encode_item(self, data: Mapping[str, Any]) -> dict[str, AttributeValue]:
        item = self._schema.dynamizer.encode_item(data)
        self._schema.check_item(item)
        return item
