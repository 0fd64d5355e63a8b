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
as DynamoDB booleans. The table handed in is left as it is: the load writes through a
:class:`~dynamodb2.table.Table` of its own on the same connection, which reads the key
schema from ``DescribeTable`` first (so a missing table fails before any line is read,
and a key of the wrong type is refused with its line number).

``max_errors`` stops a load that goes wrong from the start (the wrong ``format``, the
wrong table) after that many refused lines; :attr:`LoadReport.suggested_format` says
when the refused lines look like the other format.

This module needs no extra: ``dynamodb2 load`` is a thin layer over :func:`load_lines`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dynamodb2.batch import BatchTable
from dynamodb2.exceptions import ParameterValidationError, UnsupportedTypeError
from dynamodb2.table import Table

from .formats import Format, detect_format, parse_item

__all__ = ["LoadProgress", "LoadReport", "Rejection", "load_lines"]

#: The other format, for hints.
_OTHER_FORMAT: dict[Format, Format] = {"json": "dynamodb", "dynamodb": "json"}


@dataclass(frozen=True)
class Rejection:
    """A line that was not written, and why."""

    #: The line's number in the input, from 1.
    line_number: int
    #: Why it was refused, in one line.
    reason: str
    #: The format the line looks like (``None`` if it is not a JSON object).
    looks_like: Format | None = None


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
    #: Whether the load stopped at ``max_errors`` refused lines, leaving the lines after
    #: line :attr:`lines` unread (the good lines before it were written).
    stopped: bool = False

    @property
    def suggested_format(self) -> Format | None:
        """The other format, when most refused lines look like it rather than like
        :attr:`format` (a plain JSON file read as DynamoDB JSON, or the reverse)."""
        if self.format is None or not self.rejected:
            return None
        other = _OTHER_FORMAT[self.format]
        alike = sum(1 for rejection in self.rejected if rejection.looks_like == other)
        return other if alike * 2 > len(self.rejected) else None


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
    max_errors: int | None = None,
) -> LoadReport:
    """Write every good line of ``lines`` (JSON Lines) to ``table``; report the others.

    ``format`` is ``"json"`` or ``"dynamodb"`` (see :mod:`dynamodb2.cli.formats`), or
    ``None`` to detect it from the first line that is a JSON object. ``lines`` may be a
    file opened in binary mode (its byte count feeds :attr:`LoadReport.bytes_read`).
    With ``max_errors``, the load stops reading once that many lines were refused
    (:attr:`LoadReport.stopped`); the good lines before were still written.

    The table's key schema is read with ``DescribeTable`` first, on the table's
    connection: a missing table raises
    :class:`~dynamodb2.exceptions.ResourceNotFoundException` before any line is read.
    Service errors that stop the batch (writes still throttled after every retry) are
    raised as :class:`~dynamodb2.exceptions.BatchWriteError`, carrying the unsent
    writes; pass your own ``report`` to see how far the load got.
    """
    if max_errors is not None and max_errors < 1:
        raise ValueError(f"max_errors must be at least 1 (or None), not {max_errors}")
    if report is None:
        report = LoadReport()
    report.format = format
    # A Table of the load's own: booleans as BOOL, key types from DescribeTable; the
    # caller's table is not changed.
    target = Table(table.table_name, connection=table.connection)
    target.use_boolean()
    target.describe()
    batch = target.batch_write()
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
                if max_errors is not None and len(report.rejected) >= max_errors:
                    report.stopped = True
                    break
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
        batch.put_item(parse_item(text, report.format or "json"), store_empty=True)
    except (ParameterValidationError, UnsupportedTypeError) as error:
        # The line's own fault, found before it joined the batch. (A service error from
        # the flush a put triggers is a BatchWriteError, not about this line: it stops
        # the load.)
        report.rejected.append(Rejection(number, str(error), detect_format(text)))
        return
    report.loaded += 1
