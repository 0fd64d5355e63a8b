"""The pagination and parallel-scan examples run, as readers would run them, on moto server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.backends import ROOT, reset_moto_server

EXAMPLES = ROOT / "examples"


def run_example(script: Path, endpoint: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, AWS_ENDPOINT_URL_DYNAMODB=endpoint)
    return subprocess.run(
        [sys.executable, str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def endpoint(moto_server_url: str) -> str:
    reset_moto_server(moto_server_url)
    return moto_server_url


def test_paginated_api_example_pages_through_with_cursors(endpoint: str) -> None:
    result = run_example(EXAMPLES / "paginated_api.py", endpoint)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"endpoint: {endpoint}" in result.stdout
    assert "page 1: Day 10, Day 9, Day 8, Day 7" in result.stdout
    assert "page 3: Day 2, Day 1" in result.stdout
    assert "read 10 articles by ann in 3 pages" in result.stdout
    assert "tampered cursor refused (HTTP 400)" in result.stdout
    assert "deleted table" in result.stdout


def test_parallel_scan_example_reads_every_order_and_stops_cleanly(endpoint: str) -> None:
    result = run_example(EXAMPLES / "parallel_scan.py", endpoint)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"endpoint: {endpoint}" in result.stdout
    assert "4 segments: 400 orders, 79800 cents in all" in result.stdout
    assert "134 paid orders" in result.stdout
    assert "took 5 orders and stopped; scan threads still running: 0" in result.stdout
    assert "deleted table" in result.stdout
