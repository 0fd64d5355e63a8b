"""Every script in examples/ runs as written: against a moto server, and on its own (embedded).

Scripts are run as subprocesses, the way a reader runs them (``python3 examples/x.py``;
the boto 2 "before" script through the shim, ``python3 -m dynamodb2.shim ...``); modules
whose names start with ``_`` are helpers, not scripts. Each script chooses its endpoint
through ``examples/_embedded.py``. ``examples/testing_with_moto`` is a pytest suite of its
own, collected with this one (``testpaths`` in pyproject.toml).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.backends import ROOT, reset_moto_server

EXAMPLES = ROOT / "examples"
ALL_SCRIPTS = sorted(path for path in EXAMPLES.glob("*.py") if not path.name.startswith("_"))

#: Text each script must print, in this order (each found within one line).
EXPECTED_OUTPUT: dict[str, list[str]] = {
    "quickstart.py": [
        "Created table dynamodb2-quickstart-",
        "Wrote 5 posts in one batch",
        "Got alice's post 1: 'Hello, DynamoDB', tags ['intro']",
        "Query: alice has 2 posts from number 2 on, newest first: 'Queries', 'Batch writes'",
        "Scan: 2 posts have at least 10 likes: 'Batch writes' (12), 'Scans' (15)",
        "Renamed bob's post 2 with partial_save: 'Updates, revised'",
        "Updated bob's post 2: likes is now 2",
        "Deleted table dynamodb2-quickstart-",
        "Done.",
    ],
    "async_api.py": [
        "batch load: wrote 500 products",
        "gathered 200 reads in",
        "rush of 30 buyers: 20 reserved, 10 sold out",
        "stock of those products: 30 before, 10 after",
        "last unit of sku 1: ann: reserved, bob: sold out",
        "sku 1 stock now 0",
        "query: products under sku 20 priced 100: [0, 7, 14]",
        "deleted the table",
    ],
    "bulk_load.py": [
        "batch_write: wrote 1000 readings",
        "load_lines: loaded 3 of 5 lines",
        "refused line 3: not valid JSON",
        "refused line 4: attribute 'sensor': the item has no value for this key attribute",
        "s-lab readings: ['21.5', '21.75', '22.125']",
        "s-3 has 100 readings",
        "deleted the table",
    ],
    "migrate_boto2_before.py": [
        "ann's first game now has 130 points",
        "ann's later games: [(3, 200), (2, 80)]",
        "put_item refused to overwrite: ConditionalCheckFailedException",
        "deleted the table",
    ],
    "paginated_api.py": [
        "created table 'dynamodb2-example-articles'",
        "wrote 11 articles, 10 by ann",
        "page 1: Day 10, Day 9, Day 8, Day 7",
        "page 2: Day 6, Day 5, Day 4, Day 3",
        "page 3: Day 2, Day 1",
        "next cursor: None",
        "read 10 articles by ann in 3 pages",
        "tampered cursor refused (HTTP 400)",
        "deleted table",
    ],
    "parallel_scan.py": [
        "wrote 400 orders",
        "parallel scan of 4 segments: 400 orders, 79800 cents in all",
        "parallel scan with a filter: 134 paid orders",
        "took 5 orders and stopped; scan threads still running: 0",
        "deleted table",
    ],
    "table_lifecycle.py": [
        "created on-demand table 'dynamodb2-example-lifecycle-",
        "created: ACTIVE, billing PAY_PER_REQUEST, throughput {'read': 0, 'write': 0}",
        "stream: NEW_IMAGE, tags: {'team': 'web'}",
        "refused before sending: switching to billing_mode='PROVISIONED' needs a throughput "
        "for every global index; global_indexes= lacks 'by_user'",
        "switched to provisioned: ACTIVE, billing PROVISIONED, throughput {'read': 5, 'write': 5}",
        "switched back to on-demand: ACTIVE, billing PAY_PER_REQUEST, "
        "throughput {'read': 0, 'write': 0}",
        "enable_ttl('expires_at'): True",
        "time to live: TimeToLive(status='ENABLED', attribute_name='expires_at')",
        "enable_ttl('expires_at') again: False (already on)",
        "is on for 'expires_at': DynamoDB switches it to another attribute only after "
        "disable_ttl()",
        "put a session that expires in an hour",
        "disable_ttl(): True",
        "time to live: TimeToLive(status='DISABLED', attribute_name='expires_at')",
        "deleted table 'dynamodb2-example-lifecycle-",
    ],
    "transactions.py": [
        "created tables example-accounts-",
        "balances: alice=100 bob=0",
        "moved 30 from alice to bob",
        "balances: alice=70 bob=30",
        "cancelled: action 0 failed with ConditionalCheckFailed",
        "balances: alice=70 bob=30",
        "ledger entries: 1",
        "deleted the tables",
    ],
    "conditional_updates.py": [
        "put three books (only if absent)",
        "sku 1: price set to 50 (was version 1)",
        "sku 1: version is no longer 1; price not changed",
        "sku 2: views=1 tags=['algorithms', 'classic']",
        "sku 2 after set/delete/remove: tags=['algorithms'] "
        "stock={'warehouse': 3, 'shop': 0} reviews=None",
        "cheap books: ['SICP', 'K&R']",
        "scanned books over 40: ['SICP', 'TAOCP']",
        "delete sku 3 if price > 1000: kept",
        "deleted the table",
    ],
}
# The boto 2 program moved to dynamodb2 does exactly what it did.
EXPECTED_OUTPUT["migrate_boto2_after.py"] = EXPECTED_OUTPUT["migrate_boto2_before.py"]

#: Scripts written for boto 2: run through the shim, as their docstrings say.
RUN_THROUGH_SHIM = {"migrate_boto2_before.py"}

SCRIPTS = [EXAMPLES / name for name in sorted(EXPECTED_OUTPUT)]


def run_script(script: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    shim = ["-m", "dynamodb2.shim"] if script.name in RUN_THROUGH_SHIM else []
    return subprocess.run(
        [sys.executable, *shim, str(script)],
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
            if wanted in lines[index]:
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


def test_every_example_script_is_run_by_a_test() -> None:
    assert ALL_SCRIPTS, "examples/ has no scripts"
    assert sorted(EXPECTED_OUTPUT) == [script.name for script in ALL_SCRIPTS]


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


def _code_without_docstring_and_imports(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    body = source.split('"""', 2)[2]  # after the module docstring
    # Blank lines go too: imports are grouped differently (boto is a third-party name).
    return [line for line in body.splitlines() if line and not re.match(r"(from|import) ", line)]


def test_the_migrated_boto2_example_differs_from_the_original_only_in_its_imports() -> None:
    before = EXAMPLES / "migrate_boto2_before.py"
    after = EXAMPLES / "migrate_boto2_after.py"

    assert _code_without_docstring_and_imports(after) == _code_without_docstring_and_imports(before)
    assert "from boto.dynamodb2.table import Table" in before.read_text()
    assert "from dynamodb2.table import Table" in after.read_text()


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
