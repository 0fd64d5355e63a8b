"""The pytest plugin (``dynamodb2.pytest_plugin``): its fixtures, the guard against real AWS,
and the import-order trap it removes.

The fixtures are used here directly (pytest loads the plugin for this suite as for any
other, through the ``pytest11`` entry point); the import-order trap and the fixtures'
refusal are shown by running pytest on small test files in a separate process.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from dynamodb2 import Connection, HashKey, RangeKey, Table
from dynamodb2.fields import GlobalAllIndex
from dynamodb2.pytest_plugin import MotoServer, TableFactory, answered_by_moto
from dynamodb2.types import NUMBER
from tests.support.backends import ROOT


def table_names(connection: Connection) -> list[str]:
    names: list[str] = connection.list_tables({})["TableNames"]
    return names


# ------------------------------------------------------------------ moto in process


def test_the_connection_and_code_that_makes_its_own_share_one_moto(
    dynamodb2_connection: Connection,
) -> None:
    # Code under test that knows nothing of the fixture: a Table from the environment.
    Table.create("users", schema=[HashKey("username")], billing_mode="PAY_PER_REQUEST")

    assert table_names(dynamodb2_connection) == ["users"]
    assert dynamodb2_connection.region_name == "us-east-1"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"


def test_the_environment_hides_the_developers_boto_config(tmp_path: Path) -> None:
    # A ~/.boto choosing a region (DynamoDBConnection reads it, as boto 2 did) is not read
    # under the fixtures: their connection and code under test agree on us-east-1.
    home = tmp_path / "home"
    home.mkdir()
    (home / ".boto").write_text("[DynamoDB]\nregion = eu-west-1\n", encoding="utf-8")
    (tmp_path / "test_region.py").write_text(
        "from dynamodb2.layer1 import DynamoDBConnection\n\n"
        "def test_region(dynamodb2_connection):\n"
        "    assert DynamoDBConnection().region.name == 'us-east-1'\n"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PYTEST_") and name not in {"BOTO_CONFIG", "BOTO_PATH"}
    }
    env["HOME"] = str(home)

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-W", "error"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


def refuse_network(host: Any, *_args: Any, **_kwargs: Any) -> Any:
    raise OSError(f"the network was used ({host})")


def test_answered_by_moto_is_true_for_the_fixtures_connection_and_sends_nothing(
    dynamodb2_connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", refuse_network)

    assert answered_by_moto(dynamodb2_connection) is True
    assert answered_by_moto(Connection()) is True  # one made by code under test


@pytest.mark.usefixtures("dynamodb2_connection")
def test_answered_by_moto_is_false_without_moto_handler_or_off_aws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A session without botocore's built-in handlers stands for one made before moto
    # was imported: moto's handler is not among them.
    bare = botocore.session.Session(include_builtin_handlers=False)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_network)

    assert answered_by_moto(Connection(session=bare)) is False
    assert answered_by_moto(Connection(endpoint_url="http://127.0.0.1:9")) is False


def test_answered_by_moto_is_false_outside_mock_aws() -> None:
    assert answered_by_moto(Connection(region_name="us-east-1")) is False


def test_the_table_factory_makes_active_tables_with_keys_and_indexes(
    dynamodb2_table_factory: TableFactory,
) -> None:
    events = dynamodb2_table_factory(
        [HashKey("device"), RangeKey("at", data_type=NUMBER)],
        global_indexes=[GlobalAllIndex("by-kind", parts=[HashKey("kind")])],
    )
    users = dynamodb2_table_factory(
        [HashKey("username")], name="users", throughput={"read": 2, "write": 3}
    )

    described = events.describe()["Table"]
    assert events.table_name == "table-1"
    assert described["TableStatus"] == "ACTIVE"
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert [index["IndexName"] for index in described["GlobalSecondaryIndexes"]] == ["by-kind"]
    assert users.describe()["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"] == 3


def test_the_table_factory_deletes_its_tables_skipping_those_already_gone(
    dynamodb2_connection: Connection,
) -> None:
    factory = TableFactory(dynamodb2_connection)
    kept = dynamodb2_connection.list_tables({})  # nothing yet
    first = factory([HashKey("id")])
    factory([HashKey("id")])
    first.delete()

    factory.delete_all()

    assert kept == {"TableNames": []}
    assert table_names(dynamodb2_connection) == []
    assert factory.created == []


# ------------------------------------------------------------------------ moto server


def test_the_server_connection_and_code_that_makes_its_own_reach_the_server(
    dynamodb2_server: MotoServer, dynamodb2_server_connection: Connection
) -> None:
    Table.create("orders", schema=[HashKey("id")], billing_mode="PAY_PER_REQUEST")

    assert dynamodb2_server.endpoint_url.startswith("http://127.0.0.1:")
    assert os.environ["AWS_ENDPOINT_URL_DYNAMODB"] == dynamodb2_server.endpoint_url
    assert dynamodb2_server_connection.endpoint_url.rstrip("/") == dynamodb2_server.endpoint_url
    assert table_names(dynamodb2_server_connection) == ["orders"]


# ------------------------------------------------------------------ in a pytest process


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest on ``folder`` in a new process, with the plugin loaded as users get it."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-W", "error", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


#: A conftest that makes every use of the network fail, and records it.
NO_NETWORK_CONFTEST = """
import socket

import pytest

ATTEMPTS = []


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refused(host, *args, **kwargs):
        ATTEMPTS.append(host)
        raise OSError(f"network used: {host}")

    monkeypatch.setattr(socket, "getaddrinfo", refused)
    yield
    print("network attempts:", ATTEMPTS)
"""

#: A connection made at import time, before the test module imports moto.
EARLY_CONNECTION_TEST = """
from dynamodb2 import Connection
from dynamodb2.retry import RetryPolicy

EARLY = Connection(
    region_name="us-east-1",
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    retry=RetryPolicy(max_attempts=1),
)

from moto import mock_aws  # noqa: E402 - after the connection, as the trap needs


def test_a_connection_made_before_moto_was_imported_is_answered_by_mock_aws():
    with mock_aws():
        assert EARLY.list_tables({}) == {"TableNames": []}
"""


def test_with_the_plugin_a_connection_made_before_moto_is_imported_is_mocked(
    tmp_path: Path,
) -> None:
    (tmp_path / "conftest.py").write_text(NO_NETWORK_CONFTEST)
    (tmp_path / "test_early.py").write_text(EARLY_CONNECTION_TEST)

    with_plugin = run_pytest(tmp_path, "-s")
    without_plugin = run_pytest(tmp_path, "-s", "-p", "no:dynamodb2")

    assert with_plugin.returncode == 0, with_plugin.stdout
    assert "network attempts: []" in with_plugin.stdout
    # The trap the plugin removes: without it, the early connection goes to the network.
    assert without_plugin.returncode == 1, without_plugin.stdout
    assert "network attempts: ['dynamodb.us-east-1.amazonaws.com']" in without_plugin.stdout


def test_importing_the_plugin_does_not_import_moto() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, dynamodb2.pytest_plugin; "
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'moto'))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout == "[]\n"


#: Tests of a project that has dynamodb2 installed but not moto: two that need nothing
#: more, two that need moto.
WITHOUT_MOTO_TESTS = """
import os


def test_plain():
    assert 1 + 1 == 2


def test_environment(dynamodb2_environment):
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"


def test_in_process(dynamodb2_connection):
    raise AssertionError("ran without moto")


def test_server(dynamodb2_server_connection):
    raise AssertionError("ran without moto")
"""


@pytest.mark.parametrize("moto", ["missing", "broken"])
def test_without_moto_pytest_runs_and_only_the_fixtures_needing_it_fail(
    tmp_path: Path, moto: str
) -> None:
    (tmp_path / "test_project.py").write_text(WITHOUT_MOTO_TESTS)
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    if moto == "missing":
        block = "sys.modules['moto'] = None; "  # import moto raises ModuleNotFoundError
    else:  # a moto that fails as it is imported (say, against a newer botocore)
        (tmp_path / "shadow" / "moto").mkdir(parents=True)
        (tmp_path / "shadow" / "moto" / "__init__.py").write_text(
            "raise AttributeError('broken moto')\n"
        )
        env["PYTHONPATH"] = str(tmp_path / "shadow")
        block = ""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; {block}import pytest; sys.exit(pytest.main(sys.argv[1:]))",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "-rN",  # no short summary: its lines are cut to the terminal's width
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert "2 passed, 2 errors" in result.stdout, result.stdout
    assert "ran without moto" not in result.stdout
    hint = "the dynamodb2 fixtures need moto: pip install 'dynamodb2[testing]'"
    assert result.stdout.count(hint) == 2, result.stdout
    if moto == "broken":
        assert "importing moto failed: AttributeError: broken moto" in result.stdout


def test_the_connection_fixture_refuses_to_run_when_the_endpoint_is_not_moto(
    tmp_path: Path,
) -> None:
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n"
        "@pytest.fixture\n"
        "def dynamodb2_environment(dynamodb2_environment, monkeypatch):\n"
        "    monkeypatch.setenv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9')\n"
    )
    (tmp_path / "test_never_runs.py").write_text(
        "def test_never_runs(dynamodb2_connection):\n    raise AssertionError('ran')\n"
    )

    result = run_pytest(tmp_path)

    assert result.returncode == 1
    assert "1 error" in result.stdout
    assert "'ran'" not in result.stdout
    assert (
        "dynamodb2_connection: refusing to run the test: moto does not answer this "
        "connection's requests to http://127.0.0.1:9"
    ) in result.stdout


def test_each_test_starts_with_an_empty_moto_in_process_and_on_the_server(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_fresh.py").write_text(
        "import pytest\n"
        "from dynamodb2 import HashKey, Table\n\n"
        "@pytest.mark.parametrize('round', [1, 2])\n"
        "@pytest.mark.parametrize('fixture', ['dynamodb2_connection', "
        "'dynamodb2_server_connection'])\n"
        "def test_fresh(request, fixture, round):\n"
        "    connection = request.getfixturevalue(fixture)\n"
        "    assert connection.list_tables({})['TableNames'] == []\n"
        "    Table.create('things', schema=[HashKey('id')], billing_mode='PAY_PER_REQUEST')\n"
    )

    result = run_pytest(tmp_path)

    assert result.returncode == 0, result.stdout
    assert "4 passed" in result.stdout


@pytest.mark.parametrize(("page", "files"), [("testing-with-moto.md", 6), ("asyncio.md", 2)])
def test_the_test_snippets_of_the_testing_guides_pass(
    tmp_path: Path, page: str, files: int
) -> None:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    snippets = re.findall(r"<!-- pytest-file: (\S+) -->\n```python\n(.*?)^```", text, re.S | re.M)
    for name, code in snippets:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(code)
    tests = sum(len(re.findall(r"^(?:async )?def test_", code, re.M)) for _, code in snippets)

    result = run_pytest(tmp_path)

    assert len(snippets) == files
    assert result.returncode == 0, result.stdout
    assert f"{tests} passed" in result.stdout
