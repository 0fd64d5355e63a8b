"""The legacy boto shim: install, uninstall, alias identity, legacy programs run unchanged."""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

import dynamodb2
import dynamodb2._legacy_exception
import dynamodb2.exceptions
import dynamodb2.fields
import dynamodb2.items
import dynamodb2.layer1
import dynamodb2.regioninfo
import dynamodb2.results
import dynamodb2.table
import dynamodb2.types
from dynamodb2 import shim
from tests.support.backends import (
    ACCESS_KEY,
    SECRET_KEY,
    Backend,
    delete_all_tables,
    reset_moto_server,
    selected_backends,
)

LEGACY_SCRIPTS = sorted((Path(__file__).parent / "legacy_scripts").glob("*.py"))
#: moto in-process cannot answer another process; the two servers can.
SERVER_BACKENDS = [name for name in selected_backends() if name != "moto"]
SUBPROCESS_TIMEOUT = 300


def _is_boto(name: str) -> bool:
    return name == "boto" or name.startswith("boto.")


def _boto(name: str = "boto") -> ModuleType:
    """Import a boto module by name (mypy knows no ``boto``)."""
    return importlib.import_module(name)


@pytest.fixture(autouse=True)
def no_boto_left_behind() -> Iterator[None]:
    """Every test starts and ends without the shim and without boto modules it added."""
    shim.uninstall()
    before = {name: module for name, module in sys.modules.items() if _is_boto(name)}
    yield
    shim.uninstall()
    for name in [name for name in sys.modules if _is_boto(name)]:
        del sys.modules[name]
    sys.modules.update(before)


@pytest.fixture
def no_real_boto() -> None:
    if importlib.util.find_spec("boto") is not None:
        pytest.skip("a real boto is importable here; these tests need it absent")


@pytest.fixture
def fake_real_boto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for an installed boto 2: a ``boto`` package first on sys.path."""
    package = tmp_path / "site" / "boto"
    (package / "dynamodb2").mkdir(parents=True)
    (package / "__init__.py").write_text('__version__ = "2.49.0"\nIS_FAKE_REAL_BOTO = True\n')
    (package / "dynamodb2" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    return package


# ---------------------------------------------------------------------- install / uninstall


@pytest.mark.usefixtures("no_real_boto")
def test_install_without_a_real_boto_makes_import_boto_work() -> None:
    with pytest.raises(ImportError):
        _boto("boto.dynamodb2.table")

    assert shim.install() is True

    assert shim.is_installed()
    assert _boto("boto.dynamodb2.table").Table is dynamodb2.table.Table


def test_real_boto_wins_unless_forced(fake_real_boto: Path) -> None:
    assert shim.install() is False
    assert not shim.is_installed()
    assert _boto().IS_FAKE_REAL_BOTO is True

    del sys.modules["boto"]
    assert shim.install(force=True) is True
    assert not hasattr(_boto(), "IS_FAKE_REAL_BOTO")
    assert "dynamodb2" in _boto().UserAgent

    shim.uninstall()
    assert _boto().IS_FAKE_REAL_BOTO is True


def test_forced_install_sets_aside_an_imported_real_boto_and_uninstall_restores_it(
    fake_real_boto: Path,
) -> None:
    real_boto = _boto()
    real_dynamodb2 = _boto("boto.dynamodb2")

    assert shim.install(force=True) is True
    assert _boto() is not real_boto
    assert _boto("boto.dynamodb2").connect_to_region is dynamodb2.connect_to_region

    assert shim.uninstall() is True
    assert sys.modules["boto"] is real_boto
    assert sys.modules["boto.dynamodb2"] is real_dynamodb2


def test_install_twice_keeps_one_finder() -> None:
    assert shim.install(force=True) is True
    assert shim.install(force=True) is True
    assert shim.install() is True

    finders = [finder for finder in sys.meta_path if type(finder).__module__ == shim.__name__]
    assert len(finders) == 1


def test_uninstall_forgets_the_alias_modules_and_the_finder() -> None:
    shim.install(force=True)
    _boto("boto.dynamodb2.table")
    _boto("boto.exception")

    assert shim.uninstall() is True

    assert not shim.is_installed()
    assert not [name for name in sys.modules if _is_boto(name)]
    assert not [f for f in sys.meta_path if type(f).__module__ == shim.__name__]
    assert shim.uninstall() is False


# ---------------------------------------------------------------------- what the aliases hold


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [
        ("boto.dynamodb2.table", "Table", dynamodb2.table.Table),
        ("boto.dynamodb2.table", "BatchTable", dynamodb2.table.BatchTable),
        ("boto.dynamodb2.items", "Item", dynamodb2.items.Item),
        ("boto.dynamodb2.items", "NEWVALUE", dynamodb2.items.NEWVALUE),
        ("boto.dynamodb2.results", "ResultSet", dynamodb2.results.ResultSet),
        ("boto.dynamodb2.results", "BatchGetResultSet", dynamodb2.results.BatchGetResultSet),
        ("boto.dynamodb2.fields", "HashKey", dynamodb2.fields.HashKey),
        ("boto.dynamodb2.fields", "GlobalAllIndex", dynamodb2.fields.GlobalAllIndex),
        ("boto.dynamodb2.types", "NUMBER", dynamodb2.types.NUMBER),
        ("boto.dynamodb2.types", "NonBooleanDynamizer", dynamodb2.types.NonBooleanDynamizer),
        ("boto.dynamodb2.layer1", "DynamoDBConnection", dynamodb2.layer1.DynamoDBConnection),
        ("boto.dynamodb2.exceptions", "ItemNotFound", dynamodb2.exceptions.ItemNotFound),
        (
            "boto.dynamodb2.exceptions",
            "ConditionalCheckFailedException",
            dynamodb2.exceptions.ConditionalCheckFailedException,
        ),
        ("boto.dynamodb2", "connect_to_region", dynamodb2.connect_to_region),
        ("boto.dynamodb2", "regions", dynamodb2.regions),
        ("boto.exception", "JSONResponseError", dynamodb2.exceptions.JSONResponseError),
        ("boto.exception", "BotoServerError", dynamodb2.exceptions.BotoServerError),
        ("boto.exception", "BotoClientError", dynamodb2.exceptions.BotoClientError),
        (
            "boto.exception",
            "DynamoDBResponseError",
            dynamodb2._legacy_exception.DynamoDBResponseError,
        ),
        ("boto.regioninfo", "RegionInfo", dynamodb2.regioninfo.RegionInfo),
        ("boto.dynamodb.types", "Dynamizer", dynamodb2.types.Dynamizer),
        ("boto.dynamodb.types", "Binary", dynamodb2.types.Binary),
        (
            "boto.dynamodb.exceptions",
            "DynamoDBNumberError",
            dynamodb2.exceptions.DynamoDBNumberError,
        ),
    ],
)
def test_boto_names_are_this_packages_own_objects(module: str, name: str, expected: Any) -> None:
    shim.install(force=True)

    assert getattr(_boto(module), name) is expected


def test_from_import_star_gives_what_the_target_module_exports() -> None:
    shim.install(force=True)
    namespace: dict[str, Any] = {}

    exec("from boto.dynamodb2.table import *", namespace)

    assert namespace["Table"] is dynamodb2.table.Table
    assert namespace["BatchTable"] is dynamodb2.table.BatchTable


def test_names_a_boto_module_imported_from_elsewhere_still_resolve() -> None:
    # boto 2's modules leaked their imports, and legacy code used them:
    # `from boto.dynamodb2.table import Item`, `from boto.dynamodb2.layer1 import ...`.
    shim.install(force=True)

    assert _boto("boto.dynamodb2.table").Item is dynamodb2.items.Item


def test_submodules_are_reachable_as_attributes_of_their_package() -> None:
    shim.install(force=True)
    boto = _boto()

    assert boto.dynamodb2.table.Table is dynamodb2.table.Table
    assert boto.dynamodb2.table is sys.modules["boto.dynamodb2.table"]


def test_alias_modules_do_not_lend_their_targets_dunder_names() -> None:
    shim.install(force=True)
    table_alias = _boto("boto.dynamodb2.table")

    assert hasattr(dynamodb2.table, "__file__")
    assert not hasattr(table_alias, "__file__")
    assert table_alias.__name__ == "boto.dynamodb2.table"


def test_connect_to_region_returns_a_layer1_connection_to_that_region() -> None:
    shim.install(force=True)

    conn = _boto("boto.dynamodb2").connect_to_region(
        "eu-west-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )

    assert isinstance(conn, dynamodb2.layer1.DynamoDBConnection)
    assert conn.region.name == "eu-west-1"
    assert conn.host == "dynamodb.eu-west-1.amazonaws.com"


def test_connect_to_region_with_host_and_port_targets_that_endpoint() -> None:
    shim.install(force=True)

    conn = _boto("boto.dynamodb2").connect_to_region(
        "us-east-1",
        host="localhost",
        port=8000,
        is_secure=False,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )

    assert conn.connection.endpoint_url == "http://localhost:8000"


def test_regions_lists_region_infos_that_open_layer1_connections() -> None:
    shim.install(force=True)

    regions = {region.name: region for region in _boto("boto.dynamodb2").regions()}

    assert regions["us-west-2"].endpoint == "dynamodb.us-west-2.amazonaws.com"
    conn = regions["us-west-2"].connect(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )
    assert isinstance(conn, dynamodb2.layer1.DynamoDBConnection)
    assert conn.region.name == "us-west-2"


def test_connect_dynamodb_is_refused_with_a_pointer_to_boto_dynamodb2() -> None:
    shim.install(force=True)

    with pytest.raises(NotImplementedError, match=r"v1 API.*boto\.dynamodb2\.connect_to_region"):
        _boto().connect_dynamodb(aws_access_key_id="a", aws_secret_access_key="b")


def test_boto_module_carries_version_version_alias_and_loggers() -> None:
    shim.install(force=True)
    boto = _boto()

    assert boto.__version__ == "2.49.0"
    # Code written for boto 2 parses the version into integers.
    assert tuple(int(part) for part in boto.__version__.split(".")) == (2, 49, 0)
    assert boto.Version == boto.__version__
    assert boto.log is logging.getLogger("boto")
    assert boto.perflog is logging.getLogger("boto.perf")
    assert "dynamodb2" in boto.UserAgent


def test_config_answers_with_defaults_and_keeps_values_set_at_run_time() -> None:
    shim.install(force=True)
    config = _boto().config

    assert config.get("Credentials", "aws_access_key_id") is None
    assert config.get("DynamoDB", "region", "us-east-1") == "us-east-1"
    assert config.getint("Boto", "num_retries", 7) == 7
    assert config.getfloat("Boto", "http_socket_timeout", 1.5) == 1.5
    assert config.getbool("DynamoDB", "validate_checksums", True) is True
    assert not config.has_option("Boto", "debug")

    config.set("Boto", "num_retries", "3")
    config.setbool("Boto", "https_validate_certificates", False)
    try:
        assert config.getint("Boto", "num_retries", 7) == 3
        assert config.getbool("Boto", "https_validate_certificates", True) is False
        assert config.has_section("Boto")
    finally:
        config._sections.clear()


def test_set_stream_logger_for_boto_also_shows_dynamodb2_logs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shim.install(force=True)
    boto = _boto()
    loggers = [logging.getLogger("boto"), logging.getLogger("dynamodb2")]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    try:
        boto.set_stream_logger("boto", logging.INFO)
        logging.getLogger("dynamodb2.table").info("from the library")
        boto.log.info("from the program")
    finally:
        for logger, (level, handlers) in zip(loggers, saved, strict=True):
            logger.setLevel(level)
            logger.handlers[:] = handlers

    err = capsys.readouterr().err
    assert "dynamodb2.table [INFO]:from the library" in err
    assert "boto [INFO]:from the program" in err


@pytest.mark.parametrize(
    ("module", "hint"),
    [
        ("boto.s3", "not the rest of boto"),
        ("boto.dynamodb.layer2", "DynamoDB v1 API"),
        ("boto.dynamodb2.nope", "boto.dynamodb2's modules are table, items"),
    ],
)
def test_boto_modules_the_shim_does_not_provide_fail_to_import_with_a_hint(
    module: str, hint: str
) -> None:
    shim.install(force=True)

    with pytest.raises(ModuleNotFoundError, match=module) as raised:
        _boto(module)

    assert hint in str(raised.value)
    assert raised.value.name == module


def test_names_the_shim_does_not_provide_raise_attribute_error_with_a_hint() -> None:
    shim.install(force=True)

    with pytest.raises(AttributeError, match=r"connect_s3.*not the rest of boto"):
        _boto().connect_s3  # noqa: B018 - the lookup is the test
    with pytest.raises(AttributeError, match="S3ResponseError"):
        _boto("boto.exception").S3ResponseError  # noqa: B018
    # A restricted alias shows only its names, not everything of its target.
    with pytest.raises(AttributeError, match="ItemNotFound"):
        _boto("boto.exception").ItemNotFound  # noqa: B018


# ---------------------------------------------------------------------- python -m dynamodb2.shim


def test_main_without_a_program_prints_usage_and_returns_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert shim.main([]) == 2
    assert shim.main(["-m"]) == 2
    assert "usage: python -m dynamodb2.shim script.py" in capsys.readouterr().err
    assert not shim.is_installed()


def test_main_with_an_unknown_option_returns_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert shim.main(["--frobnicate", "x.py"]) == 2
    assert "unknown option '--frobnicate'" in capsys.readouterr().err


def test_main_help_prints_usage_and_returns_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert shim.main(["--help"]) == 0
    assert "usage:" in capsys.readouterr().out


_REPORTING_PROGRAM = """\
import json
import sys

import boto.dynamodb2.table
import dynamodb2.table
from sibling import GREETING

print(json.dumps({
    "argv": sys.argv,
    "name": __name__,
    "same_table": boto.dynamodb2.table.Table is dynamodb2.table.Table,
    "greeting": GREETING,
}))
sys.exit(int(sys.argv[-1]))
"""


def _run_shim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dynamodb2.shim", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


def test_shim_command_runs_a_script_as_main_with_its_argv_and_exit_code(tmp_path: Path) -> None:
    script = tmp_path / "legacy.py"
    script.write_text(_REPORTING_PROGRAM)
    (tmp_path / "sibling.py").write_text("GREETING = 'hello'\n")

    result = _run_shim(str(script), "--verbose", "7")

    assert result.returncode == 7, result.stderr
    report = json.loads(result.stdout)
    assert report == {
        "argv": [str(script), "--verbose", "7"],
        "name": "__main__",
        "same_table": True,
        "greeting": "hello",
    }


def test_shim_command_runs_a_module_with_dash_m(tmp_path: Path) -> None:
    package = tmp_path / "legacy_tools"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "report.py").write_text(
        _REPORTING_PROGRAM.replace("from sibling import", "from legacy_tools.sibling import")
    )
    (package / "sibling.py").write_text("GREETING = 'hi'\n")

    result = _run_shim("-m", "legacy_tools.report", "a", "0", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["argv"] == [str(package / "report.py"), "a", "0"]
    assert report["name"] == "__main__"
    assert report["same_table"] is True
    assert report["greeting"] == "hi"


def test_shim_command_without_a_program_exits_2_with_usage() -> None:
    result = _run_shim()

    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m dynamodb2.shim")


def test_shim_command_reports_a_failing_program_like_python_does(tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text(
        textwrap.dedent(
            """\
            from boto.dynamodb2.table import Table
            raise RuntimeError("legacy failure")
            """
        )
    )

    result = _run_shim(str(script))

    assert result.returncode == 1
    assert "RuntimeError: legacy failure" in result.stderr


# ---------------------------------------------------------------------- legacy programs


def test_legacy_scripts_are_plain_boto2_code() -> None:
    assert len(LEGACY_SCRIPTS) >= 3
    for script in LEGACY_SCRIPTS:
        source = script.read_text()
        assert "from boto." in source or "import boto" in source, script.name
        # Nothing but the boto 2 names: the programs must run unchanged.
        assert "dynamodb2" not in source.replace("boto.dynamodb2", ""), script.name
        assert "print('OK')" in source, script.name


@pytest.fixture(params=SERVER_BACKENDS)
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A DynamoDB server another process can reach, empty before and after the test."""
    if request.param == "moto_server":
        url: str = request.getfixturevalue("moto_server_url")
        reset_moto_server(url)
        yield url
        reset_moto_server(url)
    else:
        url = request.getfixturevalue("dynalite_url")
        with Backend("dynalite", url).connect() as cleaner:
            delete_all_tables(cleaner)
            yield url
            delete_all_tables(cleaner)


@pytest.mark.integration
@pytest.mark.parametrize("script", LEGACY_SCRIPTS, ids=lambda path: path.stem)
def test_legacy_script_runs_unchanged_through_the_shim(script: Path, server_url: str) -> None:
    endpoint = urlsplit(server_url)
    env = {
        **os.environ,
        "DYNAMODB_HOST": str(endpoint.hostname),
        "DYNAMODB_PORT": str(endpoint.port),
    }

    result = subprocess.run(
        [sys.executable, "-m", "dynamodb2.shim", str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "OK", result.stdout
