"""boto 2.49's sdist is fetched in any environment the tests run in, or the error says how.

A virtualenv made by uv (``nox -s lowest``, ``nox -s no_orjson``) has no pip: the sdist
then comes straight from PyPI over HTTPS. Whichever way it comes, its SHA-256 must be
PyPI's. Here a local server stands in for PyPI, and a virtualenv made without pip for
uv's.
"""

from __future__ import annotations

import hashlib
import http.server
import subprocess
import threading
import venv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.compat.boto2_sdist import _ARCHIVE, SDIST_SHA256, _download
from tests.support.backends import free_port

FAKE_SDIST = b"not really boto 2.49, but bytes to fetch"


class _Serve(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(FAKE_SDIST)))
        self.end_headers()
        self.wfile.write(FAKE_SDIST)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def archive_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Serve)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{_ARCHIVE}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def python_without_pip(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A virtualenv's Python without pip, as uv makes them."""
    home = tmp_path_factory.mktemp("no-pip")
    venv.create(home, with_pip=False)
    python = str(home / "bin" / "python")
    found = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False)
    assert found.returncode != 0, "pip is importable without being installed"
    return python


def test_without_pip_the_sdist_is_fetched_over_https(
    tmp_path: Path, python_without_pip: str, archive_url: str
) -> None:
    _download(
        tmp_path,
        python=python_without_pip,
        url=archive_url,
        sha256=hashlib.sha256(FAKE_SDIST).hexdigest(),
    )

    assert (tmp_path / _ARCHIVE).read_bytes() == FAKE_SDIST
    assert [path.name for path in tmp_path.iterdir()] == [_ARCHIVE]  # no scratch left


def test_an_archive_with_another_sha256_is_refused_and_not_kept(
    tmp_path: Path, python_without_pip: str, archive_url: str
) -> None:
    with pytest.raises(RuntimeError, match="has SHA-256") as raised:
        _download(tmp_path, python=python_without_pip, url=archive_url)

    assert SDIST_SHA256 in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def test_when_no_download_works_the_error_says_what_was_tried_and_how_to_help(
    tmp_path: Path, python_without_pip: str
) -> None:
    url = f"http://127.0.0.1:{free_port()}/{_ARCHIVE}"

    with pytest.raises(RuntimeError) as raised:
        _download(tmp_path, python=python_without_pip, url=url)

    message = str(raised.value)
    assert "No module named pip" in message
    assert f"GET {url}: " in message
    assert "ensurepip" in message
    assert f"put {_ARCHIVE} (sha256 {SDIST_SHA256}) in {tmp_path}" in message
    assert "BOTO2_CACHE" in message
    assert list(tmp_path.iterdir()) == []
