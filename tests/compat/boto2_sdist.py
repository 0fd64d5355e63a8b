"""boto 2.49.0's source distribution: downloaded from PyPI at test time, kept under ``.cache/``.

The sdist is a specification only: its tests run against this package in a subprocess
(:mod:`tests.compat.boto2_suite`), and its ``boto`` package is the reference
implementation those tests and the differential scenario also run against. Nothing of it is
committed (``.cache/`` is git-ignored) and no line of it is copied into the project.

>>> source = boto2_source_tree()                     # doctest: +SKIP
>>> (source / "tests" / "unit" / "dynamodb2" / "test_table.py").is_file()   # doctest: +SKIP
True
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

BOTO2_VERSION: Final = "2.49.0"
ROOT: Final = Path(__file__).resolve().parents[2]
#: Where the sdist and its extracted tree live (``BOTO2_CACHE`` may point elsewhere).
CACHE: Final = Path(os.environ.get("BOTO2_CACHE", ROOT / ".cache" / "boto2"))
_ARCHIVE: Final = f"boto-{BOTO2_VERSION}.tar.gz"
_TREE: Final = f"boto-{BOTO2_VERSION}"
#: Written last, so a tree interrupted mid-extraction is extracted again.
_COMPLETE_MARK: Final = ".extracted"


def boto2_source_tree() -> Path:
    """The extracted ``boto-2.49.0`` folder, downloading and extracting it if needed."""
    tree = CACHE / _TREE
    if (tree / _COMPLETE_MARK).exists():
        return tree
    CACHE.mkdir(parents=True, exist_ok=True)
    with _exclusive(CACHE / ".lock"):
        if (tree / _COMPLETE_MARK).exists():
            return tree
        archive = CACHE / _ARCHIVE
        if not archive.exists():
            _download(CACHE)
        if tree.exists():
            shutil.rmtree(tree)
        with tarfile.open(archive) as sdist:
            if hasattr(tarfile, "data_filter"):  # 3.10.12+, 3.11.4+
                sdist.extractall(CACHE, filter="data")
            else:
                sdist.extractall(CACHE)
        (tree / _COMPLETE_MARK).write_text(BOTO2_VERSION)
    return tree


def _download(folder: Path) -> None:
    """``pip download`` the sdist (pip checks PyPI's hash of it)."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary",
        ":all:",
        "--disable-pip-version-check",
        "--quiet",
        f"boto=={BOTO2_VERSION}",
        "-d",
        str(folder),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (folder / _ARCHIVE).exists():
        raise RuntimeError(
            f"could not download boto {BOTO2_VERSION}'s sdist from PyPI "
            f"({' '.join(command)}):\n{result.stdout}\n{result.stderr}"
        )


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
