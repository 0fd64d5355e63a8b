"""The ``python`` snippets of the getting-started, boto3, conditions, updates, transactions,
capacity, table lifecycle, numbers and pagination pages run, and the programs of the
asyncio and testing pages.

Each page's snippets run in order, in one namespace, against moto in-process (the pages
say they run against any endpoint; this keeps them honest). Snippets that are test files
(after a ``<!-- pytest-file: NAME -->`` line) are run by pytest instead, in
tests/test_pytest_plugin.py.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from moto import mock_aws

from tests.support.backends import ROOT

PAGES = [
    "getting-started.md",
    "coming-from-boto3.md",
    "conditions.md",
    "updates.md",
    "transactions.md",
    "consumed-capacity.md",
    "table-lifecycle.md",
    "numbers.md",
    "pagination.md",
]
_SNIPPET = re.compile(
    r"^(<!-- pytest-file: \S+ -->\n)?```python\n(.*?)^```", re.DOTALL | re.MULTILINE
)


def snippets(page: Path) -> list[str]:
    """The page's ``python`` snippets that are not test files, in order."""
    text = page.read_text(encoding="utf-8")
    return [code for marker, code in _SNIPPET.findall(text) if not marker]


@pytest.mark.parametrize("page", PAGES)
def test_every_snippet_on_the_page_runs(page: str) -> None:
    found = snippets(ROOT / "docs" / page)
    assert len(found) >= 2
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    with mock_aws():
        for number, snippet in enumerate(found):
            code = compile(snippet, f"docs/{page} snippet {number}", "exec")
            exec(code, namespace)


@pytest.mark.parametrize(
    ("page", "in_mock_aws", "printed"),
    [
        # A program that finds its endpoint as Connection does: moto in process here.
        ("asyncio.md", True, "200 read; 20 of 30 reserved\n"),
        # Starts a moto server of its own, and stops it.
        ("testing-with-moto.md", False, "{'TableNames': []}\n"),
    ],
)
def test_the_program_on_the_page_runs_and_prints_what_it_says(
    page: str, in_mock_aws: bool, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (program,) = snippets(ROOT / "docs" / page)
    code = compile(program, f"docs/{page} program", "exec")

    with mock_aws() if in_mock_aws else contextlib.nullcontext():
        exec(code, {"__name__": f"docs.{page}"})

    assert capsys.readouterr().out == printed
