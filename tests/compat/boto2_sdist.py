"""boto 2.49.0's source distribution: downloaded from PyPI at test time, kept under ``.cache/``.

Downloaded with pip where the running Python has it (pip's index, mirror and proxy
settings apply), else (a uv-made virtualenv has no pip) or if pip fails, over HTTPS from
PyPI; either way checked against PyPI's SHA-256 of it. When neither works, the error
says what was tried and how to provide the archive.

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
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

BOTO2_VERSION: Final = "2.49.0"
ROOT: Final = Path(__file__).resolve().parents[2]
#: Where the sdist and its extracted tree live (``BOTO2_CACHE`` may point elsewhere).
CACHE: Final = Path(os.environ.get("BOTO2_CACHE", ROOT / ".cache" / "boto2"))
_ARCHIVE: Final = f"boto-{BOTO2_VERSION}.tar.gz"
#: Where PyPI serves the sdist (used where pip is missing or fails), and its SHA-256 as
#: PyPI's index gives it (checked whichever way it came).
SDIST_URL: Final = (
    "https://files.pythonhosted.org/packages/c8/af/"
    f"54a920ff4255664f5d238b5aebd8eedf7a07c7a5e71e27afcfe840b82f51/{_ARCHIVE}"
)
SDIST_SHA256: Final = "ea0d3b40a2d852767be77ca343b58a9e3a4b00d9db440efb8da74b4e58025e5a"
#: Seconds a download may take.
_TIMEOUT: Final = 300
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


def _download(
    folder: Path,
    *,
    python: str = sys.executable,
    url: str = SDIST_URL,
    sha256: str = SDIST_SHA256,
) -> None:
    """Put the sdist in ``folder``: with ``pip download`` where ``python`` has pip (it
    honours pip's configuration: index, mirror, proxy, certificates), else, or if that
    fails, straight from ``url``. Either way its SHA-256 must be ``sha256``."""
    target = folder / _ARCHIVE
    attempts: list[tuple[str, Callable[[Path], None]]] = [
        (f"{python} -m pip download", functools.partial(_pip_download, python)),
        (f"GET {url}", functools.partial(_https_download, url)),
    ]
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="boto2-sdist-", dir=folder) as scratch:
        fetched = Path(scratch) / _ARCHIVE
        for label, fetch in attempts:
            try:
                fetch(fetched)
                _check_sha256(fetched, sha256)
            except (OSError, RuntimeError, ValueError) as error:
                failures.append(f"- {label}: {error}")
                fetched.unlink(missing_ok=True)
                continue
            fetched.replace(target)  # whole or not at all
            return
    raise RuntimeError(
        f"could not download boto {BOTO2_VERSION}'s sdist ({_ARCHIVE}), which the "
        "compatibility tests run against:\n" + "\n".join(failures) + "\n"
        f"Give this Python pip (python -m ensurepip) or network access to {url}, or put "
        f"{_ARCHIVE} (sha256 {sha256}) in {folder} yourself (BOTO2_CACHE names another "
        "folder)."
    )


def _pip_download(python: str, archive: Path) -> None:
    command = [
        python,
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
        str(archive.parent),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"no answer in {_TIMEOUT} s") from None
    if result.returncode != 0 or not archive.exists():
        output = (result.stderr.strip() or result.stdout.strip() or "no output").splitlines()
        raise RuntimeError(f"exit code {result.returncode}: {output[-1]}")


def _https_download(url: str, archive: Path) -> None:
    with urllib.request.urlopen(url, timeout=_TIMEOUT) as response, archive.open("wb") as out:
        shutil.copyfileobj(response, out)


def _check_sha256(archive: Path, expected: str) -> None:
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != expected:
        raise ValueError(f"{archive.name} has SHA-256 {digest}, not {expected}")


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
