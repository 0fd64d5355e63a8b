"""The commands: ``create``, ``tables``, ``describe``, ``count``, ``load``, ``dump``, ``delete``.

Data goes to stdout; progress, summaries and errors to stderr, so ``dynamodb2 dump T >
t.jsonl`` and ``dynamodb2 count T`` are clean to pipe. Everything here works through the
package's public API (``Table``, ``DynamoDBConnection``, :mod:`dynamodb2.cli.load`, ...).
"""

from __future__ import annotations

import io
import json
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Final

import click

from dynamodb2.exceptions import (
    BatchWriteError,
    ResourceInUseException,
    ResourceNotFoundException,
)
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.types import BINARY, NUMBER, STRING

from ._progress import item_progress, stderr_is_terminal
from ._settings import Settings, where
from .dump import dump_items
from .formats import FORMATS, Format
from .load import LoadProgress, LoadReport, load_lines

__all__ = [
    "COMMANDS",
    "EXIT_REJECTED_LINES",
    "count",
    "create",
    "delete",
    "describe",
    "dump",
    "load",
    "tables",
]

#: ``load`` wrote every good line but refused others (listed on stderr).
EXIT_REJECTED_LINES: Final = 3
#: ``load`` stops after this many refused lines unless ``--max-errors`` says otherwise.
DEFAULT_MAX_ERRORS: Final = 100
_FORMAT_NAMES: Final = {"json": "plain JSON", "dynamodb": "DynamoDB JSON", None: "no items"}
#: DynamoDB's limit on a scan's TotalSegments.
_MAX_SEGMENTS: Final = 1_000_000
#: Threads reading a parallel scan (``Table.parallel_scan``'s own cap).
_SCAN_THREADS: Final = 32
_SEGMENTS_OPTION: Final = click.option(
    "--segments",
    type=click.IntRange(1, _MAX_SEGMENTS),
    default=4,
    show_default=True,
    help=f"Parallel scan segments, read by up to {_SCAN_THREADS} threads at a time.",
)
#: Key types on the command line, as in DynamoDB's AttributeDefinitions.
_KEY_TYPES: Final = {"S": STRING, "N": NUMBER, "B": BINARY}
_KEY_TYPE_WORDS: Final = {STRING: "string", NUMBER: "number", BINARY: "binary"}


def _pool_size(segments: int) -> int:
    """Pooled connections for a parallel scan of ``segments``: one per worker thread."""
    return max(10, min(segments, _SCAN_THREADS))


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


@click.command(short_help="List the tables, one name a line.")
@click.pass_obj
def tables(settings: Settings) -> None:
    """List the tables, one name a line (on stderr, a note when there are none)."""
    connection = DynamoDBConnection(connection=settings.connect())
    start: str | None = None
    listed = 0
    while True:
        page = connection.list_tables(exclusive_start_table_name=start)
        for name in page.get("TableNames", []):
            click.echo(name)
            listed += 1
        start = page.get("LastEvaluatedTableName")
        if not start:
            break
    if not listed:
        _note(settings, f"no tables {where(connection.connection)}")


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
        click.echo(json.dumps(description, ensure_ascii=False, separators=(",", ":")))
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
        with item_progress(
            f"Counting {table}", total_bytes=None, show=_show_progress(settings)
        ) as progress:
            total = _count_by_scan(
                connection, table, segments, lambda done: progress.update(items=done)
            )
        click.echo(total)
        _note(
            settings,
            f"exact: counted by a full scan in {segments} segments "
            f"({time.monotonic() - started:.1f} s)",
        )


def _count_by_scan(
    connection: DynamoDBConnection,
    table: str,
    segments: int,
    on_count: Callable[[int], object],
) -> int:
    """Count ``table``'s items with a ``Select=COUNT`` scan in ``segments`` parallel
    segments, on up to 32 threads; ``on_count`` gets the running total."""
    lock = threading.Lock()
    stop = threading.Event()
    total = 0

    def count_segment(segment: int) -> None:
        nonlocal total
        start_key: Mapping[str, Any] | None = None
        while not stop.is_set():
            page = connection.scan(
                table,
                select="COUNT",
                exclusive_start_key=start_key,
                segment=segment,
                total_segments=segments,
            )
            with lock:
                total += int(page.get("Count", 0))
                on_count(total)
            start_key = page.get("LastEvaluatedKey")
            if not start_key:
                return

    with ThreadPoolExecutor(max_workers=min(segments, _SCAN_THREADS)) as pool:
        futures = [pool.submit(count_segment, segment) for segment in range(segments)]
        try:
            done, _pending = wait(futures, return_when=FIRST_EXCEPTION)
        finally:
            # After an error (or Ctrl-C), the other segments stop at their next page.
            stop.set()
            for future in futures:
                future.cancel()
        for future in done:
            future.result()  # raises a segment's error
    return total


# ---------------------------------------------------------------------- create, delete


def _key_option(
    _ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, str] | None:
    """``NAME`` or ``NAME:TYPE`` (S, N or B; S when left out) as ``(name, type)``."""
    if value is None:
        return None
    name, colon, kind = value.rpartition(":")
    if not colon:
        name, kind = value, "S"
    key_type = _KEY_TYPES.get(kind.upper())
    if key_type is None:
        raise click.BadParameter(
            f"the key type after ':' must be S (string), N (number) or B (binary), not {kind!r}",
            param=param,
        )
    if not name:
        raise click.BadParameter(f"{value!r} names no attribute", param=param)
    return name, key_type


@click.command(short_help="Create a table.")
@click.argument("table")
@click.option(
    "--hash",
    "hash_key",
    required=True,
    metavar="NAME[:TYPE]",
    callback=_key_option,
    help="The partition key: its name and type, S (string, the default), N (number) or "
    "B (binary). E.g. --hash username:S",
)
@click.option(
    "--range",
    "range_key",
    metavar="NAME[:TYPE]",
    callback=_key_option,
    help="The sort key, if any. E.g. --range joined:N",
)
@click.option(
    "--on-demand",
    is_flag=True,
    help="On-demand billing, paid per request (the default without --read and --write).",
)
@click.option(
    "--read",
    type=click.IntRange(min=1),
    metavar="N",
    help="Provisioned billing: read capacity units (with --write).",
)
@click.option(
    "--write",
    type=click.IntRange(min=1),
    metavar="N",
    help="Provisioned billing: write capacity units (with --read).",
)
@click.option("--wait", is_flag=True, help="Wait until the table is ACTIVE.")
@click.pass_obj
def create(
    settings: Settings,
    table: str,
    hash_key: tuple[str, str],
    range_key: tuple[str, str] | None,
    on_demand: bool,
    read: int | None,
    write: int | None,
    wait: bool,
) -> None:
    """Create TABLE with the key given by --hash (and --range).

    On-demand unless --read and --write give provisioned capacity. On DynamoDB a new
    table takes a few seconds to become ACTIVE; --wait waits for it.
    """
    if on_demand and (read is not None or write is not None):
        raise click.UsageError("--on-demand takes no --read or --write")
    if (read is None) != (write is None):
        raise click.UsageError("give --read and --write together (provisioned capacity)")
    schema: list[HashKey | RangeKey] = [HashKey(hash_key[0], data_type=hash_key[1])]
    if range_key is not None:
        schema.append(RangeKey(range_key[0], data_type=range_key[1]))
    connection = settings.connect()
    try:
        if read is not None and write is not None:
            created = Table.create(
                table,
                schema=schema,
                throughput={"read": read, "write": write},
                connection=connection,
            )
            billing = f"provisioned: read {read}, write {write}"
        else:
            created = Table.create(
                table, schema=schema, billing_mode="PAY_PER_REQUEST", connection=connection
            )
            billing = "on-demand"
    except ResourceInUseException as error:
        raise click.ClickException(f"table {table!r} already exists {where(connection)}") from error
    description = created.wait_until_active() if wait else created.describe()
    status = description["Table"].get("TableStatus", "?")
    key = ", ".join(
        f"{name} ({_KEY_TYPE_WORDS[kind]}, {role})"
        for (name, kind), role in zip(
            [hash_key, *([range_key] if range_key else [])], ("partition", "sort"), strict=False
        )
    )
    _note(
        settings,
        f"Created table {table!r}: key {key}; {billing}; {status}"
        + ("" if status == "ACTIVE" else " (--wait waits until it is ACTIVE)"),
    )


def _stdin_is_terminal() -> bool:
    """Whether there is someone at stdin to ask (``delete`` asks only then)."""
    isatty = getattr(sys.stdin, "isatty", None)
    return bool(isatty and isatty())


@click.command(short_help="Delete a table and every item in it.")
@click.argument("table")
@click.option(
    "-y",
    "--yes",
    is_flag=True,
    help="Delete without asking. Needed when stdin is not a terminal (scripts, CI).",
)
@click.option("--wait", is_flag=True, help="Wait until DynamoDB no longer lists the table.")
@click.pass_obj
def delete(settings: Settings, table: str, yes: bool, wait: bool) -> None:
    """Delete TABLE and every item in it, after asking (unless --yes).

    Without --yes it asks on the terminal, and refuses when there is no terminal to ask
    on, so a script must say --yes.
    """
    connection = settings.connect()
    target = Table(table, connection=connection)
    with _about_table(table, settings):
        description = target.describe()["Table"]
        if not yes:
            if not _stdin_is_terminal():
                raise click.ClickException(
                    f"not deleting table {table!r} without confirmation: stdin is not a "
                    "terminal to ask on; give --yes"
                )
            items = int(description.get("ItemCount", 0))
            click.confirm(
                f"Delete table {table!r} and its {_items(items)} (approximate count) "
                f"{where(connection)}?",
                abort=True,
                err=True,
            )
        target.delete()
        if wait:
            target.wait_until_deleted()
    _note(settings, f"Deleted table {table!r}")


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
@click.option(
    "--max-errors",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_ERRORS,
    show_default=True,
    metavar="N",
    help="Stop after N refused lines (0: never stop). The good lines before are written.",
)
@click.pass_context
def load(ctx: click.Context, table: str, file: str, format_name: str, max_errors: int) -> None:
    """Write every line of FILE (JSON Lines; - for stdin) to TABLE as an item.

    Lines that are not JSON objects, lack a key attribute or hold values DynamoDB
    cannot store are refused and listed on stderr with their line numbers; every other
    line is written. Exit code 3 when any line was refused. After --max-errors refused
    lines the load stops (exit code 1), with a hint when the lines look like the other
    format.

    Plain JSON numbers are read exactly (as decimals, never floats). JSON has no binary
    type: write binary values as {"$binary": "<base64>"}, or use DynamoDB JSON, which
    also keeps sets.
    """
    settings: Settings = ctx.obj
    target = settings.table(table)
    format: Format | None = None if format_name == "auto" else format_name  # type: ignore[assignment]
    report = LoadReport()
    started = time.monotonic()
    with (
        _about_table(table, settings),
        _open_input(file) as (stream, size),
        item_progress(
            f"Loading {table}", total_bytes=size, show=_show_progress(settings)
        ) as progress,
    ):

        def on_progress(done: LoadProgress) -> None:
            progress.update(items=done.loaded, done_bytes=done.bytes_read)

        try:
            load_lines(
                target,
                stream,
                format=format,
                on_progress=on_progress,
                report=report,
                max_errors=max_errors or None,
            )
        except BatchWriteError as error:
            _note(
                settings,
                f"stopped at line {report.lines}: {report.written:,} items were written; "
                f"{len(error.unsent_requests):,} read but not written",
            )
            raise
    for rejection in report.rejected:
        click.echo(f"line {rejection.line_number}: {rejection.reason}", err=True)
    hint = _format_hint(report, given=format is not None)
    if hint:
        click.echo(hint, err=True)
    if report.stopped:
        raise click.ClickException(
            f"stopped at line {report.lines} after {len(report.rejected):,} refused lines "
            f"(--max-errors {max_errors}); the {_items(report.loaded)} read before it were "
            "written"
        )
    _note(settings, _load_summary(table, file, report, time.monotonic() - started))
    if report.rejected:
        ctx.exit(EXIT_REJECTED_LINES)


def _format_hint(report: LoadReport, *, given: bool) -> str | None:
    """A hint when the refused lines look like the other format, else ``None``."""
    other = report.suggested_format
    if other is None:
        return None
    how = f"--format {report.format}" if given else "detected from the first line"
    return (
        f"hint: the refused lines look like {_FORMAT_NAMES[other]} but were read as "
        f"{_FORMAT_NAMES[report.format]} ({how}); try --format {other}"
    )


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
COMMANDS: Final = (create, tables, describe, count, load, dump, delete)
