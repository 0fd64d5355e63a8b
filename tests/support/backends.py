"""The DynamoDB implementations the integration tests run against, and how to start them.

Three backends, chosen per test by the ``backend`` fixture:

- ``moto``: moto in-process, through ``mock_aws`` (answers botocore's ``before-send`` event);
- ``moto_server``: moto's ``ThreadedMotoServer`` on a free loopback port (real HTTP);
- ``dynalite``: dynalite from the npm registry, a separate Node.js process (real HTTP, and
  strict about names, limits and validation where moto is lenient).

``DYNAMODB2_TEST_BACKENDS=moto,dynalite`` narrows the set (all three by default).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import attrs
import botocore.session

from dynamodb2.connection import Connection
from dynamodb2.exceptions import ResourceInUseException, ResourceNotFoundException
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.retry import RetryPolicy

ALL_BACKENDS: Final = ("moto", "moto_server", "dynalite")
REGION: Final = "us-east-1"
ACCESS_KEY: Final = "testing-access-key"
SECRET_KEY: Final = "testing-secret-key"

ROOT: Final = Path(__file__).resolve().parents[2]
DYNALITE_PACKAGE: Final = Path(__file__).resolve().parent / "dynalite"
DYNALITE_HOME: Final = Path(os.environ.get("DYNALITE_HOME", ROOT / ".cache" / "dynalite"))

#: Retries stay on (the library's behaviour under test) but wait very little.
FAST_RETRY: Final = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.1)


def selected_backends() -> list[str]:
    """The backends named in ``DYNAMODB2_TEST_BACKENDS``, or all of them."""
    raw = os.environ.get("DYNAMODB2_TEST_BACKENDS", "")
    chosen = [name.strip() for name in raw.split(",") if name.strip()] or list(ALL_BACKENDS)
    unknown = sorted(set(chosen) - set(ALL_BACKENDS))
    if unknown:
        raise ValueError(f"unknown test backends {unknown}; choose from {ALL_BACKENDS}")
    return chosen


@functools.cache
def shared_botocore_session() -> botocore.session.Session:
    """One botocore session for every test connection.

    A new session loads botocore's endpoint data and service model again (about 0.1 s per
    connection); sharing one makes a connection cost a few milliseconds. moto is imported
    first so its ``before-send`` handler, which ``mock_aws`` switches on, is among the
    session's handlers.
    """
    import moto.core.models  # noqa: F401  (registers moto's handler with botocore)

    return botocore.session.Session()


@attrs.frozen
class Backend:
    """One running DynamoDB implementation, and connections to it."""

    name: str
    #: ``None`` for moto in-process: requests go to AWS's URL and moto answers them.
    endpoint_url: str | None

    def connect(self, **options: Any) -> Connection:
        """A :class:`Connection` to this backend with test credentials."""
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("session", shared_botocore_session())
        return Connection(
            region_name=REGION,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            **options,
        )

    def layer1(self, **options: Any) -> DynamoDBConnection:
        """A boto 2-style :class:`DynamoDBConnection` to this backend."""
        return DynamoDBConnection(connection=self.connect(**options))

    @property
    def is_strict(self) -> bool:
        """True for dynalite, which validates requests like DynamoDB does."""
        return self.name == "dynalite"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float, process: subprocess.Popen[bytes] | None) -> None:
    """Block until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} while starting")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} after {timeout} s")


# ----------------------------------------------------------------------------- moto server


@contextlib.contextmanager
def running_moto_server() -> Iterator[str]:
    """Run moto's ThreadedMotoServer on a free port; yield its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def reset_moto_server(url: str) -> None:
    """Forget every table the moto server holds."""
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


# ----------------------------------------------------------------------------- dynalite


def dynalite_executable() -> Path:
    """The dynalite command, installed from the npm registry into a cache folder if needed.

    ``DYNALITE_BIN`` may point at an existing installation instead.
    """
    configured = os.environ.get("DYNALITE_BIN")
    if configured:
        return Path(configured)
    executable = DYNALITE_HOME / "node_modules" / ".bin" / "dynalite"
    if executable.exists():
        return executable
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError(
            "dynalite needs Node.js and npm; install them, or set "
            "DYNAMODB2_TEST_BACKENDS=moto,moto_server to leave dynalite out"
        )
    DYNALITE_HOME.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(DYNALITE_PACKAGE / name, DYNALITE_HOME / name)
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=DYNALITE_HOME,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if not executable.exists():
        raise RuntimeError(f"npm ci finished but {executable} is missing")
    return executable


@contextlib.contextmanager
def running_dynalite() -> Iterator[str]:
    """Run dynalite (in memory, tables ACTIVE at once) on a free port; yield its URL."""
    executable = dynalite_executable()
    port = free_port()
    process = subprocess.Popen(
        [
            str(executable),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--createTableMs",
            "0",
            "--deleteTableMs",
            "0",
            "--updateTableMs",
            "0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=30, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def delete_all_tables(connection: Connection) -> None:
    """Delete every table (dynalite has no reset call)."""
    start: str | None = None
    names: list[str] = []
    while True:
        page = connection.list_tables({"ExclusiveStartTableName": start} if start else {})
        names.extend(page.get("TableNames", []))
        start = page.get("LastEvaluatedTableName")
        if not start:
            break
    for name in names:
        _delete_table(connection, name)
    # dynalite finishes a deletion just after answering; a table created under the same
    # name before then would be deleted with it.
    deadline = time.monotonic() + 10
    while names and time.monotonic() < deadline:
        names = [name for name in names if _still_exists(connection, name)]
        if names:
            time.sleep(0.01)


def _delete_table(connection: Connection, name: str) -> None:
    """Delete ``name``, already gone or not: a table a test just deleted is still listed
    while dynalite finishes the deletion, then DeleteTable finds nothing."""
    deadline = time.monotonic() + 10
    while True:
        try:
            connection.delete_table({"TableName": name})
        except ResourceNotFoundException:
            return
        except ResourceInUseException:
            # Still being created or deleted: try again once that is over.
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
        else:
            return


def wait_until_active(connection: Connection, name: str, timeout: float = 10.0) -> None:
    """Block until the table is ``ACTIVE``.

    dynalite, like DynamoDB, answers CreateTable and UpdateTable while the table is still
    ``CREATING`` / ``UPDATING``; writes to a creating table fail with
    ResourceNotFoundException, and an update's new values appear only once it is active.
    """
    deadline = time.monotonic() + timeout
    while True:
        status = connection.describe_table({"TableName": name})["Table"]["TableStatus"]
        if status == "ACTIVE":
            return
        if time.monotonic() >= deadline:
            raise RuntimeError(f"table {name!r} still {status} after {timeout} s")
        time.sleep(0.01)


def _still_exists(connection: Connection, name: str) -> bool:
    try:
        connection.describe_table({"TableName": name})
    except ResourceNotFoundException:
        return False
    return True
