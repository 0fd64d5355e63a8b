"""pytest fixtures for testing code that uses dynamodb2 against moto, in process or as a server.

>>> def test_signs_up(dynamodb2_table_factory):                       # doctest: +SKIP
...     users = dynamodb2_table_factory([HashKey("username")])
...     users.put_item({"username": "ann"})
...     assert users.get_item(username="ann")["username"] == "ann"

pytest loads this plugin by itself once dynamodb2 is installed (the ``pytest11`` entry
point ``dynamodb2``; ``pytest -p no:dynamodb2`` turns it off). The fixtures need moto and,
for the server, Flask: the ``testing`` extra (``python3 -m pip install ".[testing]"`` in a
clone, until dynamodb2 is on PyPI).

The fixtures:

- ``dynamodb2_connection``: a :class:`~dynamodb2.connection.Connection` answered by moto
  in this process (``mock_aws`` is active for the test);
- ``dynamodb2_table_factory``: a :class:`TableFactory`, whose tables are made on
  ``dynamodb2_connection`` and deleted after the test;
- ``dynamodb2_server``: a :class:`MotoServer`, moto's ``ThreadedMotoServer`` on a free
  loopback port (one for the session), emptied before the test;
- ``dynamodb2_server_connection``: a :class:`~dynamodb2.connection.Connection` to it;
- ``dynamodb2_environment``: the fake AWS environment the others run the test in.

**Nothing reaches real AWS.** Every fixture runs the test in a fake AWS environment
(fake credentials, region ``us-east-1``, no profiles, config files or endpoint
settings), so code under test that makes its own ``Table`` or ``Connection`` gets moto
too; and ``dynamodb2_connection`` checks, before the test runs, that moto answers its
connection (:func:`answered_by_moto`, which sends nothing), failing the test otherwise.

**Why moto is imported when pytest starts.** Importing moto adds its ``before-send``
handler to botocore's built-in handlers; a connection (like a botocore client) copies
those handlers when it is made. So a connection made before ``import moto`` never sees
``mock_aws``, and its requests go to AWS. When moto is installed, this plugin imports it
as pytest starts (its ``pytest_load_initial_conftests`` hook), before conftest files and
test modules are imported, so every connection made during the run carries moto's
handler.

moto is optional: importing this module does not import it, and pytest runs as usual
without it (or with a moto that fails to import); only the fixtures that need it fail,
naming the extra to install (:data:`INSTALL_HINT`). ``dynamodb2_environment`` needs
nothing beyond dynamodb2.
"""

from __future__ import annotations

import contextlib
import itertools
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, cast
from urllib.parse import urlsplit

import attrs
import pytest
from botocore.awsrequest import AWSPreparedRequest, HTTPHeaders

from .connection import Connection
from .exceptions import ResourceNotFoundException
from .fields import BaseIndexField, BaseSchemaField
from .table import Table

__all__ = [
    "ACCESS_KEY",
    "INSTALL_HINT",
    "REGION",
    "SECRET_KEY",
    "MotoServer",
    "TableFactory",
    "answered_by_moto",
    "dynamodb2_connection",
    "dynamodb2_environment",
    "dynamodb2_server",
    "dynamodb2_server_connection",
    "dynamodb2_table_factory",
    "pytest_load_initial_conftests",
]

#: The region every fixture's environment and connection use.
REGION: Final = "us-east-1"
#: The fake credentials every fixture's environment and connection use.
ACCESS_KEY: Final = "testing"
SECRET_KEY: Final = "testing"
#: What the fixtures say when moto (or, for the server, Flask) is not installed.
INSTALL_HINT: Final = "the dynamodb2 fixtures need moto: pip install 'dynamodb2[testing]'"

#: Settings that could send a request elsewhere than moto, or sign it as someone real.
_CLEARED_VARIABLES: Final = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "BOTO_PATH",
)
_AWS_HOST_SUFFIXES: Final = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def _is_aws_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(_AWS_HOST_SUFFIXES)


def answered_by_moto(connection: Connection) -> bool:
    """Whether moto in process answers ``connection``'s requests now, found without
    sending anything.

    >>> with mock_aws():                                          # doctest: +SKIP
    ...     assert answered_by_moto(Connection(region_name="us-east-1"))

    False outside ``mock_aws``, for a connection to an endpoint that is not AWS's, and
    for one made before moto was imported (its requests would go to the network).
    It offers the connection's ``before-send`` handlers, where moto answers, a
    ``ListTables`` request, as the connection itself would before sending one.
    """
    url = connection.endpoint_url
    if not _is_aws_url(url):
        return False
    probe = AWSPreparedRequest(
        method="POST",
        url=url if urlsplit(url).path else url + "/",
        headers=HTTPHeaders.from_dict(
            {
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "Content-Type": "application/x-amz-json-1.0",
            }
        ),
        body=b"{}",
        stream_output=False,
    )
    _handler, response = connection.events.emit_until_response(
        "before-send.dynamodb.ListTables", request=probe
    )
    return response is not None


def _import_moto() -> Callable[[], Any] | str:
    """moto's ``mock_aws``, or why it cannot be had (moto is the ``testing`` extra)."""
    try:
        from moto import mock_aws  # noqa: PLC0415 - optional; see the module's docstring
    except ImportError as error:
        return f"{INSTALL_HINT} ({error})"
    except Exception as error:  # a broken moto must not stop pytest
        return f"{INSTALL_HINT} (importing moto failed: {type(error).__name__}: {error})"
    return cast("Callable[[], Any]", mock_aws)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests() -> None:
    """Import moto, if it is installed, before any conftest or test module (see the
    module's docstring); if it is missing or broken, the fixtures that need it say so."""
    _import_moto()


def _require_moto() -> Callable[[], Any]:
    mock_aws = _import_moto()
    if isinstance(mock_aws, str):
        pytest.fail(mock_aws, pytrace=False)
    return mock_aws


# ------------------------------------------------------------------------ environment


@pytest.fixture
def dynamodb2_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fake AWS environment for the test: credentials ``testing``/``testing``, region
    ``us-east-1``, no endpoint settings or profiles, no config or credentials files
    (``~/.boto`` and ``/etc/boto.cfg`` included), no instance metadata lookups.
    Restored after the test."""
    for name in _CLEARED_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "dynamodb2-no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "dynamodb2-no-credentials"))
    monkeypatch.setenv("BOTO_CONFIG", str(tmp_path / "dynamodb2-no-boto-config"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


# ------------------------------------------------------------------------ moto in process


@pytest.fixture
def dynamodb2_connection(dynamodb2_environment: None) -> Iterator[Connection]:
    """A :class:`~dynamodb2.connection.Connection` answered by moto in this process.

    ``mock_aws`` is active for the whole test, so code under test that makes its own
    ``Table`` or ``Connection`` is answered by the same (fresh, empty) moto. The test
    does not run if moto would not answer the connection (see :func:`answered_by_moto`).
    """
    with _require_moto()():
        connection = Connection(
            region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
        )
        if not answered_by_moto(connection):
            pytest.fail(
                f"dynamodb2_connection: refusing to run the test: moto does not answer "
                f"this connection's requests to {connection.endpoint_url}, so they would "
                "go over the network (an endpoint set by AWS_ENDPOINT_URL_DYNAMODB, "
                "AWS_ENDPOINT_URL or a profile; or moto imported after botocore's "
                "handlers were copied)",
                pytrace=False,
            )
        with connection:
            yield connection


class TableFactory:
    """Makes tables for one test on one connection, and deletes them after it.

    >>> users = dynamodb2_table_factory([HashKey("username")])            # doctest: +SKIP
    >>> events = dynamodb2_table_factory(                                 # doctest: +SKIP
    ...     [HashKey("device"), RangeKey("at", data_type=NUMBER)],
    ...     name="events",
    ...     global_indexes=[GlobalAllIndex("by-kind", parts=[HashKey("kind")])],
    ... )
    """

    def __init__(self, connection: Connection) -> None:
        #: The connection tables are made on.
        self.connection = connection
        #: Every table made, in order.
        self.created: list[Table] = []
        self._numbers = itertools.count(1)

    def __call__(
        self,
        schema: Sequence[BaseSchemaField],
        *,
        name: str | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        throughput: Mapping[str, int] | None = None,
    ) -> Table:
        """Create a table (``table-1``, ``table-2``, ... unless ``name`` is given) and
        wait until it is active. On-demand unless ``throughput`` (``{"read": 5,
        "write": 5}``) is given."""
        table = Table.create(
            name if name is not None else f"table-{next(self._numbers)}",
            schema=schema,
            throughput=throughput,
            indexes=indexes,
            global_indexes=global_indexes,
            connection=self.connection,
            billing_mode=None if throughput is not None else "PAY_PER_REQUEST",
        )
        self.created.append(table)
        table.wait_until_active(timeout=60)
        return table

    def delete_all(self) -> None:
        """Delete every table made (those already deleted are skipped)."""
        while self.created:
            table = self.created.pop()
            with contextlib.suppress(ResourceNotFoundException):
                table.delete()


@pytest.fixture
def dynamodb2_table_factory(dynamodb2_connection: Connection) -> Iterator[TableFactory]:
    """A :class:`TableFactory` on ``dynamodb2_connection``; its tables are deleted after
    the test.

    To make the tables on the moto server instead, override ``dynamodb2_connection`` in
    your ``conftest.py`` to return ``dynamodb2_server_connection``.
    """
    factory = TableFactory(dynamodb2_connection)
    yield factory
    factory.delete_all()


# ------------------------------------------------------------------------ moto server


@attrs.frozen
class MotoServer:
    """A running moto server, and connections to it."""

    #: Its URL, ``http://127.0.0.1:<port>``.
    endpoint_url: str

    def connect(self, **options: Any) -> Connection:
        """A :class:`~dynamodb2.connection.Connection` to the server with the fake
        credentials and region (``options`` go to ``Connection``)."""
        options.setdefault("region_name", REGION)
        options.setdefault("aws_access_key_id", ACCESS_KEY)
        options.setdefault("aws_secret_access_key", SECRET_KEY)
        return Connection(endpoint_url=self.endpoint_url, **options)

    def reset(self) -> None:
        """Forget every table (moto's ``POST /moto-api/reset``)."""
        request = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


@pytest.fixture(scope="session")
def _dynamodb2_moto_server() -> Iterator[MotoServer]:
    """One moto server for the session, on a free loopback port."""
    _require_moto()
    try:
        from moto.server import ThreadedMotoServer  # noqa: PLC0415 - Flask, only when asked
    except ImportError as error:
        pytest.fail(
            f"the dynamodb2 server fixtures need moto's server, with Flask and flask-cors: "
            f"pip install 'dynamodb2[testing]' ({error})",
            pytrace=False,
        )
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield MotoServer(f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture
def dynamodb2_server(
    _dynamodb2_moto_server: MotoServer,
    dynamodb2_environment: None,
    monkeypatch: pytest.MonkeyPatch,
) -> MotoServer:
    """A :class:`MotoServer` (moto over real HTTP), empty at the start of the test.

    ``AWS_ENDPOINT_URL_DYNAMODB`` points at it for the test, so code under test that
    makes its own ``Table`` or ``Connection`` reaches it too.
    """
    _dynamodb2_moto_server.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", _dynamodb2_moto_server.endpoint_url)
    return _dynamodb2_moto_server


@pytest.fixture
def dynamodb2_server_connection(dynamodb2_server: MotoServer) -> Iterator[Connection]:
    """A :class:`~dynamodb2.connection.Connection` to ``dynamodb2_server``."""
    connection = dynamodb2_server.connect()
    if connection.endpoint_url.rstrip("/") != dynamodb2_server.endpoint_url:
        pytest.fail(  # pragma: no cover - the endpoint is given explicitly
            f"dynamodb2_server_connection: the connection resolved the endpoint "
            f"{connection.endpoint_url}, not the moto server's",
            pytrace=False,
        )
    with connection:
        yield connection
