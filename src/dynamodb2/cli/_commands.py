"""The commands: ``tables``, ``describe``, ``count``, ``load`` and ``dump``.

Data goes to stdout; progress, summaries and errors to stderr, so ``dynamodb2 dump T >
t.jsonl`` and ``dynamodb2 count T`` are clean to pipe.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Final

import click

from dynamodb2 import _json
from dynamodb2._parallel import DEFAULT_MAX_WORKERS, MAX_TOTAL_SEGMENTS, parallel_scan
from dynamodb2.exceptions import BatchWriteError, ResourceNotFoundException
from dynamodb2.layer1 import DynamoDBConnection

from ._progress import item_progress, stderr_is_terminal
from ._settings import Settings
from .dump import dump_items
from .formats import FORMATS, Format
from .load import LoadProgress, LoadReport, load_lines

__all__ = ["COMMANDS", "EXIT_REJECTED_LINES", "count", "describe", "dump", "load", "tables"]

#: ``load`` wrote every good line but refused others (listed on stderr).
EXIT_REJECTED_LINES: Final = 3
_FORMAT_NAMES: Final = {"json": "plain JSON", "dynamodb": "DynamoDB JSON", None: "no items"}
_SEGMENTS_OPTION: Final = click.option(
    "--segments",
    type=click.IntRange(1, MAX_TOTAL_SEGMENTS),
    default=4,
    show_default=True,
    help=f"Parallel scan segments, read by up to {DEFAULT_MAX_WORKERS} threads at a time.",
)


def _pool_size(segments: int) -> int:
    """Pooled connections for a parallel scan of ``segments``: one per worker thread."""
    return max(10, min(segments, DEFAULT_MAX_WORKERS))


@contextmanager
def _about_table(name: str, settings: Settings) -> Iterator[None]:
    """Say which table was not found, and where it was looked for, in one line."""
    try:
        yield
    except (ResourceNotFoundException, BatchWriteError) as error:
        missing = error if isinstance(error, ResourceNotFoundException) else error.__cause__
        if not isinstance(missing, ResourceNotFoundException):
            raise
        raise click.ClickException(f"table {name!r} not found {settings.where()}") from error


def _note(settings: Settings, message: str) -> None:
    """A message for people on stderr (dropped with --quiet)."""
    if not settings.quiet:
        click.echo(message, err=True)


def _items(count: int) -> str:
    return f"{count:,} item" if count == 1 else f"{count:,} items"


def _show_progress(settings: Settings) -> bool:
    return not settings.quiet and stderr_is_terminal()


# ---------------------------------------------------------------------- tables, describe


@click.command()
@click.pass_obj
def tables(settings: Settings) -> None:
    """List the tables, one name a line."""
    connection = DynamoDBConnection(connection=settings.connect())
    start: str | None = None
    while True:
        page = connection.list_tables(exclusive_start_table_name=start)
        for name in page.get("TableNames", []):
            click.echo(name)
        start = page.get("LastEvaluatedTableName")
        if not start:
            return


@click.command()
@click.argument("table")
@click.option("--json", "as_json", is_flag=True, help="Print DescribeTable's response as JSON.")
@click.pass_obj
def describe(settings: Settings, table: str, as_json: bool) -> None:
    """Show TABLE's key, status, billing, indexes and approximate size."""
    connection = DynamoDBConnection(connection=settings.connect())
    with _about_table(table, settings):
        description = connection.describe_table(table)
    if as_json:
        click.echo(_json.dumps(description).decode("utf-8"))
        return
    for label, value in _summary(description["Table"]):
        click.echo(f"{label:<10} {value}")


def _summary(table: Mapping[str, Any]) -> list[tuple[str, str]]:
    types = {d["AttributeName"]: d["AttributeType"] for d in table.get("AttributeDefinitions", [])}

    def keys(schema: list[Mapping[str, str]]) -> str:
        roles = {"HASH": "partition", "RANGE": "sort"}
        return ", ".join(
            f"{k['AttributeName']} ({types.get(k['AttributeName'], '?')}, {roles[k['KeyType']]})"
            for k in schema
        )

    billing = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    if billing == "PROVISIONED":
        throughput = table.get("ProvisionedThroughput") or {}
        billing += (
            f" (read {throughput.get('ReadCapacityUnits', '?')}, "
            f"write {throughput.get('WriteCapacityUnits', '?')})"
        )
    rows = [
        ("table", table["TableName"]),
        ("status", table.get("TableStatus", "?")),
        ("key", keys(table.get("KeySchema", []))),
        ("billing", billing),
        ("items", f"{table.get('ItemCount', 0):,} (approximate, refreshed about every 6 hours)"),
        ("size", f"{table.get('TableSizeBytes', 0):,} bytes (approximate)"),
    ]
    for kind, field in (("local", "LocalSecondaryIndexes"), ("global", "GlobalSecondaryIndexes")):
        for index in table.get(field) or []:
            projection = (index.get("Projection") or {}).get("ProjectionType", "ALL")
            rows.append(
                (
                    "index",
                    f"{index['IndexName']} ({kind}, {projection}): {keys(index['KeySchema'])}",
                )
            )
    if table.get("TableArn"):
        rows.append(("arn", table["TableArn"]))
    return rows


# ---------------------------------------------------------------------- count


@click.command(short_help="Print how many items TABLE holds.")
@click.argument("table")
@click.option(
    "--scan",
    "exact",
    is_flag=True,
    help="Count exactly with a full (parallel) scan, which reads, and is billed for, "
    "every item. Without it: DescribeTable's ItemCount, free but approximate.",
)
@_SEGMENTS_OPTION
@click.pass_obj
def count(settings: Settings, table: str, exact: bool, segments: int) -> None:
    """Print how many items TABLE holds (the number on stdout, what it means on stderr)."""
    connection = DynamoDBConnection(connection=settings.connect(pool=_pool_size(segments)))
    with _about_table(table, settings):
        if not exact:
            items = int(connection.describe_table(table)["Table"].get("ItemCount", 0))
            click.echo(items)
            _note(
                settings,
                "approximate: DescribeTable's ItemCount, which DynamoDB refreshes about every "
                "six hours; --scan counts exactly",
            )
            return
        started = time.monotonic()
        total = 0
        with item_progress(
            f"Counting {table}", total_bytes=None, show=_show_progress(settings)
        ) as progress:

            def count_page(
                segment: int, start_key: Mapping[str, Any] | None
            ) -> tuple[list[int], Mapping[str, Any] | None]:
                page = connection.scan(
                    table,
                    select="COUNT",
                    exclusive_start_key=start_key,
                    segment=segment,
                    total_segments=segments,
                )
                return [int(page.get("Count", 0))], page.get("LastEvaluatedKey")

            for page_count in parallel_scan(count_page, total_segments=segments):
                total += page_count
                progress.update(items=total)
        click.echo(total)
        _note(
            settings,
            f"exact: counted by a full scan in {segments} segments "
            f"({time.monotonic() - started:.1f} s)",
        )


# ---------------------------------------------------------------------- load


@click.command(short_help="Write the items of a JSON Lines file to TABLE.")
@click.argument("table")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option(
    "--format",
    "format_name",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help='json: plain JSON objects; dynamodb: DynamoDB JSON ({"id": {"S": "a"}}); '
    "auto: decided by the first line that is a JSON object.",
)
@click.pass_context
def load(ctx: click.Context, table: str, file: str, format_name: str) -> None:
    """Write every line of FILE (JSON Lines; - for stdin) to TABLE as an item.

    Lines that are not JSON objects, lack a key attribute or hold values DynamoDB
    cannot store are refused and listed on stderr with their line numbers; every other
    line is written. Exit code 3 when any line was refused.

    Plain JSON numbers are read exactly (as decimals, never floats). JSON has no binary
    type: write binary values as {"$binary": "<base64>"}, or use DynamoDB JSON, which
    also keeps sets.
    """
    settings: Settings = ctx.obj
    target = settings.table(table)
    format: Format | None = None if format_name == "auto" else format_name  # type: ignore[assignment]
    report = LoadReport()
    started = time.monotonic()
    with _about_table(table, settings), _open_input(file) as (stream, size):
        target.describe()  # fail on a missing table before reading any input
        with item_progress(
            f"Loading {table}", total_bytes=size, show=_show_progress(settings)
        ) as progress:

            def on_progress(done: LoadProgress) -> None:
                progress.update(items=done.loaded, done_bytes=done.bytes_read)

            try:
                load_lines(target, stream, format=format, on_progress=on_progress, report=report)
            except BatchWriteError as error:
                _note(
                    settings,
                    f"stopped at line {report.lines}: {report.written:,} items were written; "
                    f"{len(error.unsent_requests):,} read but not written",
                )
                raise
    for rejection in report.rejected:
        click.echo(f"line {rejection.line_number}: {rejection.reason}", err=True)
    _note(settings, _load_summary(table, file, report, time.monotonic() - started))
    if report.rejected:
        ctx.exit(EXIT_REJECTED_LINES)


@contextmanager
def _open_input(path: str) -> Iterator[tuple[IO[bytes], int | None]]:
    """The input as binary lines, and its size when known (a regular file)."""
    if path == "-":
        stream: IO[bytes] = sys.stdin.buffer
        yield stream, _regular_file_size(stream)
        return
    with open(path, "rb") as opened:
        yield opened, _regular_file_size(opened)


def _regular_file_size(stream: IO[bytes]) -> int | None:
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _load_summary(table: str, file: str, report: LoadReport, seconds: float) -> str:
    source = "stdin" if file == "-" else file
    rate = report.loaded / seconds if seconds > 0 else 0.0
    summary = (
        f"Loaded {_items(report.loaded)} into {table!r} from {source} "
        f"({_FORMAT_NAMES[report.format]}) in {seconds:.1f} s ({rate:,.0f} items/s)"
    )
    if report.written != report.loaded:
        summary += (
            f"; {report.written:,} writes sent (a line repeating a key still waiting in "
            "the batch replaced the earlier line)"
        )
    if report.rejected:
        summary += f"; refused {len(report.rejected):,} lines (listed above)"
    return summary


# ---------------------------------------------------------------------- dump


@click.command(short_help="Write every item of TABLE as JSON Lines.")
@click.argument("table")
@_SEGMENTS_OPTION
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="json: plain JSON (exact numbers; sets become sorted lists; binary as "
    '{"$binary": "<base64>"}); dynamodb: DynamoDB JSON, which keeps every type and '
    "loads back unchanged.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (replaced only once the dump is complete) [default: stdout].",
)
@click.option("--consistent", is_flag=True, help="Strongly consistent reads.")
@click.pass_obj
def dump(
    settings: Settings,
    table: str,
    segments: int,
    format_name: Format,
    output: Path | None,
    consistent: bool,
) -> None:
    """Write every item of TABLE as JSON Lines, read with a parallel scan."""
    target = settings.table(table, pool=_pool_size(segments))
    started = time.monotonic()
    with (
        _about_table(table, settings),
        _open_output(output) as out,
        item_progress(f"Dumping {table}", total_bytes=None, show=_show_progress(settings)) as bar,
    ):
        written = dump_items(
            target,
            out,
            format=format_name,
            segments=segments,
            consistent=consistent,
            on_item=lambda items: bar.update(items=items),
        )
    seconds = time.monotonic() - started
    rate = written / seconds if seconds > 0 else 0.0
    where = "stdout" if output is None else str(output)
    _note(
        settings,
        f"Dumped {_items(written)} from {table!r} to {where} in {seconds:.1f} s "
        f"({rate:,.0f} items/s)",
    )


@contextmanager
def _open_output(path: Path | None) -> Iterator[IO[str]]:
    """UTF-8 text out: stdout, or ``path`` written under a temporary name and renamed
    into place only when complete (an interrupted dump leaves no truncated file)."""
    if path is None:
        stdout = sys.stdout.buffer
        wrapper = io.TextIOWrapper(stdout, encoding="utf-8", newline="\n")
        try:
            yield wrapper
        finally:
            wrapper.flush()
            wrapper.detach()
        return
    partial = path.with_name(path.name + ".partial")
    try:
        out = open(partial, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as error:
        # Name the file asked for, not the temporary one.
        raise click.ClickException(f"cannot write {str(path)!r}: {error.strerror}") from error
    try:
        with out:
            yield out
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


#: Every command of the ``dynamodb2`` group.
COMMANDS: Final = (tables, describe, count, load, dump)
