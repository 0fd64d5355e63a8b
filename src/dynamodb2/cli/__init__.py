"""The ``dynamodb2`` command line: create, list, describe, count, load, dump and delete tables.

Install it with its extra (click and rich); in a clone, until dynamodb2 is on PyPI::

    python3 -m pip install ".[cli]"
    dynamodb2 --help            # or: python -m dynamodb2 --help

Without the extra, ``dynamodb2`` prints a one-line hint to install it; ``import
dynamodb2`` never needs it. The loader and dumper behind ``load`` and ``dump``
(:mod:`dynamodb2.cli.load`, :mod:`dynamodb2.cli.dump`, :mod:`dynamodb2.cli.formats`) need
no extra and can be called from Python: they are this package's public modules. The
commands themselves (click and rich) are internal. See ``docs/cli.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Final

__all__ = ["INSTALL_HINT", "main"]

#: What ``dynamodb2`` prints when the ``cli`` extra is not installed.
INSTALL_HINT: Final = (
    "dynamodb2: the command line needs the 'cli' extra: pip install 'dynamodb2[cli]'"
)
#: The modules the extra provides.
_EXTRA_MODULES: Final = ("click", "rich")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    >>> main(["--version"])                      # doctest: +SKIP
    dynamodb2, version 0.1.0
    0
    """
    try:
        # Imported here, not at the top: click and rich come with the extra only.
        from ._app import run  # noqa: PLC0415
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in _EXTRA_MODULES:
            raise
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    return run(argv)
