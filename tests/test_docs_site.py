"""The documentation site stays whole: every page in the nav, every public module in the
API reference, and the docstring rewriting that the reference build relies on."""

from __future__ import annotations

import importlib.util
import pkgutil
import re
from types import ModuleType

import pytest

import dynamodb2
import dynamodb2.cli
from tests.backends import ROOT

DOCS = ROOT / "docs"
#: The command line's public (library) modules; its click and rich layer (``_app``,
#: ``_commands``, ...) is internal and documented as commands in docs/cli.md.
CLI_LIBRARY_MODULES = sorted(
    f"dynamodb2.cli.{info.name}"
    for info in pkgutil.iter_modules(dynamodb2.cli.__path__)
    if not info.name.startswith("_")
)
PUBLIC_MODULES = [
    "dynamodb2",
    *sorted(
        f"dynamodb2.{info.name}"
        for info in pkgutil.iter_modules(dynamodb2.__path__)
        if not info.name.startswith("_")
    ),
    *CLI_LIBRARY_MODULES,
]


def nav_pages() -> set[str]:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    nav = nav.split("\nplugins:", 1)[0]
    return set(re.findall(r"([\w./-]+\.md)\s*$", nav, re.MULTILINE))


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_module_has_a_reference_page_in_the_nav(module: str) -> None:
    page = DOCS / "reference" / f"{module}.md"

    assert page.exists(), f"docs/reference/{module}.md is missing"
    assert f"::: {module}\n" in page.read_text(encoding="utf-8")
    assert f"reference/{module}.md" in nav_pages()


def test_the_reference_has_no_page_for_a_module_that_is_not_public() -> None:
    pages = {path.stem for path in (DOCS / "reference").glob("dynamodb2*.md")}

    assert sorted(pages - set(PUBLIC_MODULES)) == []


def test_every_page_of_the_docs_folder_is_in_the_nav() -> None:
    pages = {str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")}

    assert pages - nav_pages() == set()
    assert nav_pages() - pages == set()


@pytest.fixture
def docstrings_extension() -> ModuleType:
    pytest.importorskip("griffe", reason="the docs extra is not installed")
    path = ROOT / "docs_tools" / "griffe_docstrings.py"
    spec = importlib.util.spec_from_file_location("griffe_docstrings", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_build_fences_doctest_examples_as_code(docstrings_extension: ModuleType) -> None:
    text = "Example:\n\n    >>> table.scan()\n    ResultSet\n\nMore text."

    assert docstrings_extension.rewrite(text) == (
        "Example:\n\n    ```pycon\n    >>> table.scan()\n    ResultSet\n    ```\n\nMore text."
    )


def test_reference_build_leaves_fenced_code_alone(docstrings_extension: ModuleType) -> None:
    text = "```python\n>>> not a doctest here\n```"

    assert docstrings_extension.rewrite(text) == text


def test_reference_build_turns_sphinx_roles_into_code(docstrings_extension: ModuleType) -> None:
    text = "Returns a :class:`~dynamodb2.items.Item` (see :meth:`Table.get_item`)."

    assert docstrings_extension.rewrite(text) == "Returns a `Item` (see `Table.get_item`)."
