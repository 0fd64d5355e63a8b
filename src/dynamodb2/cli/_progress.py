"""Progress on stderr for ``load`` and ``dump`` (rich), shown only on a terminal.

>>> with item_progress("Loading", total_bytes=None, show=False) as progress:  # doctest: +SKIP
...     progress.update(items=10, done_bytes=420)

Progress is drawn only when stderr is a terminal and ``--quiet`` was not given: piped or
redirected output stays clean, whatever ``FORCE_COLOR`` says. Notices printed while it
is drawn (retries) appear above the progress line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ._notices import MESSAGES

__all__ = ["ItemProgress", "ItemRateColumn", "item_progress", "stderr_is_terminal"]


def stderr_is_terminal() -> bool:
    """Whether stderr is an interactive terminal (progress is drawn only there)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class ItemRateColumn(ProgressColumn):
    """Items done and items per second, from the task's ``items`` field."""

    def render(self, task: Task) -> Text:
        """``12,345 items  4,100/s``."""
        items: int = task.fields.get("items", 0)
        elapsed = task.elapsed or 0.0
        rate = f"{items / elapsed:,.0f}/s" if elapsed > 0 else "-/s"
        return Text(f"{items:,} items  {rate}", style="progress.data.speed")


class ItemProgress:
    """One progress line: items (with rate), and bytes with a bar and ETA when the total
    size is known."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def update(self, *, items: int, done_bytes: int | None = None) -> None:
        """Report ``items`` done so far (and ``done_bytes`` of the input read)."""
        if done_bytes is None:
            self._progress.update(self._task, items=items)
        else:
            self._progress.update(self._task, items=items, completed=done_bytes)


@contextmanager
def item_progress(
    description: str, *, total_bytes: int | None, show: bool
) -> Iterator[ItemProgress]:
    """A live progress line on stderr while the block runs (nothing when ``show`` is false).

    With ``total_bytes`` (a file's size) the line has a bar, bytes read and an ETA;
    without (stdin, a scan) it has a spinner, items, rate and elapsed time.
    """
    columns: list[str | ProgressColumn] = [TextColumn("{task.description}")]
    if total_bytes is None:
        columns += [SpinnerColumn(), ItemRateColumn(), TimeElapsedColumn()]
    else:
        columns += [
            BarColumn(),
            DownloadColumn(),
            ItemRateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        ]
    progress = Progress(
        *columns,
        console=Console(stderr=True),
        disable=not show,
        transient=False,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    with progress:
        task = progress.add_task(description, total=total_bytes, items=0)
        if not show:
            yield ItemProgress(progress, task)
            return
        # Notices (retries) go above the live line instead of through it.
        with MESSAGES.above(progress.console):
            yield ItemProgress(progress, task)
