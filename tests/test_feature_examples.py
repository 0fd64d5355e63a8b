"""The transaction and conditional-update examples run as scripts against a moto server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends import ROOT

EXAMPLES = ROOT / "examples"


def run_example(script: Path, endpoint: str) -> str:
    # The isolated test environment (fake credentials, no config files) is inherited.
    environment = {**os.environ, "AWS_ENDPOINT_URL_DYNAMODB": endpoint}
    finished = subprocess.run(
        [sys.executable, str(script)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished.stdout


@pytest.mark.integration
def test_transactions_example_moves_money_and_reports_the_cancelled_transfer(
    moto_server_url: str,
) -> None:
    output = run_example(EXAMPLES / "transactions.py", moto_server_url)
    assert "moved 30 from alice to bob" in output
    assert "cancelled: action 0 failed with ConditionalCheckFailed" in output
    assert output.count("balances: alice=70 bob=30") == 2
    assert "ledger entries: 1" in output
    assert output.rstrip().endswith("deleted the tables")


@pytest.mark.integration
def test_conditional_updates_example_runs_every_step(moto_server_url: str) -> None:
    output = run_example(EXAMPLES / "conditional_updates.py", moto_server_url)
    assert "sku 1: price set to 50 (was version 1)" in output
    assert "sku 1: version is no longer 1; price not changed" in output
    assert "sku 2: views=1 tags=['algorithms', 'classic']" in output
    assert (
        "sku 2 after set/delete/remove: tags=['algorithms'] "
        "stock={'warehouse': 3, 'shop': 0} reviews=None"
    ) in output
    assert "cheap books: ['SICP', 'K&R']" in output
    assert "scanned books over 40: ['SICP', 'TAOCP']" in output
    assert "delete sku 3 if price > 1000: kept" in output
    assert output.rstrip().endswith("deleted the table")
