"""The ``python`` snippets of the getting-started, boto3, conditions, updates, transactions,
capacity, table lifecycle, numbers and pagination pages run.

Each page's snippets run in order, in one namespace, against moto in-process (the pages
say they run against any endpoint; this keeps them honest).
"""

from __future__ import annotations

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
_SNIPPET = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def snippets(page: Path) -> list[str]:
    return _SNIPPET.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES)
def test_every_snippet_on_the_page_runs(page: str) -> None:
    found = snippets(ROOT / "docs" / page)
    assert len(found) >= 2
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    with mock_aws():
        for number, snippet in enumerate(found):
            code = compile(snippet, f"docs/{page} snippet {number}", "exec")
            exec(code, namespace)
