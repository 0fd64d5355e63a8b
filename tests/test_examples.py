"""Every script in examples/ runs as written: against a moto server, and on its own (embedded).

Scripts are run as subprocesses, the way a reader runs them (``python3 examples/x.py``);
modules whose names start with ``_`` are helpers, not scripts.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType

import pytest

from tests.backends import ROOT, reset_moto_server

EXAMPLES = ROOT / "examples"
ALL_SCRIPTS = sorted(path for path in EXAMPLES.glob("*.py") if not path.name.startswith("_"))

#: Lines each script must print, in this order (each checked as the start of a line).
EXPECTED_OUTPUT: dict[str, list[str]] = {
    "quickstart.py": [
        "Created table dynamodb2-quickstart-",
        "Wrote 5 posts in one batch",
        "Got alice's post 1: 'Hello, DynamoDB', tags ['intro']",
        "Query: alice has 2 posts from number 2 on, newest first: 'Queries', 'Batch writes'",
        "Scan: 2 posts have at least 10 likes: 'Batch writes' (12), 'Scans' (15)",
        "Updated bob's post 2: likes is now 2",
        "Deleted table dynamodb2-quickstart-",
        "Done.",
    ],
}


def run_script(script: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script)],
        env=dict(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_printed_in_order(output: str, expected: list[str]) -> None:
    lines = output.splitlines()
    position = 0
    for wanted in expected:
        for index in range(position, len(lines)):
            if lines[index].startswith(wanted):
                position = index + 1
                break
        else:
            pytest.fail(f"{wanted!r} not printed (after line {position}) in:\n{output}")


def assert_ran(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"exit code {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


@pytest.fixture
def moto_server(moto_server_url: str) -> Iterator[str]:
    """The session's moto server, emptied before and after the test."""
    reset_moto_server(moto_server_url)
    yield moto_server_url
    reset_moto_server(moto_server_url)


#: The scripts that choose their endpoint through examples/_embedded.py (the others
#: are run by test_pagination_examples.py and test_feature_examples.py).
SCRIPTS = [EXAMPLES / name for name in sorted(EXPECTED_OUTPUT)]


def test_every_example_script_is_run_by_a_test() -> None:
    elsewhere = {
        "paginated_api.py",
        "parallel_scan.py",
        "transactions.py",
        "conditional_updates.py",
    }
    assert ALL_SCRIPTS, "examples/ has no scripts"
    assert sorted(set(EXPECTED_OUTPUT) | elsewhere) == [script.name for script in ALL_SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_example_runs_against_the_configured_endpoint(script: Path, moto_server: str) -> None:
    env = dict(os.environ, AWS_ENDPOINT_URL_DYNAMODB=moto_server)

    result = run_script(script, env)

    assert_ran(result)
    assert result.stdout.startswith(f"Using the configured endpoint {moto_server}\n")
    assert_printed_in_order(result.stdout, EXPECTED_OUTPUT[script.name])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_example_starts_moto_in_process_without_endpoint_or_credentials(script: Path) -> None:
    # The autouse fixture already removed endpoints and profiles; take the keys away too.
    env = dict(os.environ)
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]

    result = run_script(script, env)

    assert_ran(result)
    assert_printed_in_order(
        result.stdout,
        [
            "No DynamoDB endpoint or AWS credentials configured: "
            "starting moto's DynamoDB server in this process",
            "Using moto's DynamoDB server at http://127.0.0.1:",
            *EXPECTED_OUTPUT[script.name],
        ],
    )


# ----------------------------------------------------------------------------- the helper


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """examples/_embedded.py, imported by path (examples/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_embedded", EXAMPLES / "_embedded.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module runs.
    monkeypatch.setitem(sys.modules, "_embedded", module)
    spec.loader.exec_module(module)
    return module


def test_embedded_helper_uses_real_aws_when_credentials_are_configured(
    embedded: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    with embedded.dynamodb_endpoint() as endpoint:
        pass

    assert not endpoint.embedded
    assert endpoint.url is None
    assert endpoint.credentials is None
    assert endpoint.region_name == "us-east-1"
    assert capsys.readouterr().out == "Using AWS DynamoDB in us-east-1 (credentials from env)\n"


def test_embedded_helper_prefers_the_dynamodb_endpoint_over_the_global_one(
    embedded: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:2")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    with embedded.dynamodb_endpoint() as endpoint:
        connection = endpoint.connect()

    assert endpoint.url == "http://127.0.0.1:2"
    assert endpoint.credentials == embedded.DUMMY_CREDENTIALS
    assert connection.endpoint_url == "http://127.0.0.1:2"
