"""The documentation site stays whole: every page in the nav, every public module in the
API reference, and the docstring rewriting that the reference build relies on."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

import dynamodb2
import dynamodb2.cli
from tests.support.backends import ROOT

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


def test_reference_pages_render_only_public_modules() -> None:
    rendered = {
        name
        for page in (DOCS / "reference").glob("*.md")
        for name in re.findall(r"^::: ([\w.]+)", page.read_text(encoding="utf-8"), re.MULTILINE)
    }

    assert sorted(rendered) == sorted(PUBLIC_MODULES)


def reference_nav() -> list[str]:
    """The modules of the API reference's nav entries, in order."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    return re.findall(r"reference/(dynamodb2[\w.]*)\.md\s*$", nav, re.MULTILINE)


def reference_index() -> list[tuple[str, str]]:
    """(module, purpose) for each row of the reference index's tables, in order."""
    index = (DOCS / "reference" / "index.md").read_text(encoding="utf-8")
    return re.findall(r"^\| \[`([\w.]+)`\]\(\1\.md\) \| (.+) \|$", index, re.MULTILINE)


def summary_as_markdown(module: str) -> str:
    """The first line of ``module``'s docstring, as Markdown (roles become code)."""
    doc = importlib.import_module(module).__doc__ or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    first = re.sub(
        r":\w+:`(~?)([^`]+)`",
        lambda match: f"`{match[2].rsplit('.', 1)[-1] if match[1] else match[2]}`",
        first,
    )
    return first.replace("``", "`")


def test_the_reference_index_lists_every_public_module_once_in_the_navs_order() -> None:
    listed = [module for module, _purpose in reference_index()]

    assert listed == reference_nav()
    assert sorted(listed) == sorted(PUBLIC_MODULES)


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_the_reference_index_gives_each_modules_purpose_from_its_docstring(module: str) -> None:
    purposes = dict(reference_index())

    assert purposes[module] == summary_as_markdown(module)


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_a_reference_page_is_its_modules_docstrings_only(
    module: str, site_checks: ModuleType
) -> None:
    # Its summary comes from the docstring: a line of the page's own would show twice.
    page = (DOCS / "reference" / f"{module}.md").read_text(encoding="utf-8")

    assert page.startswith(f"# `{module}`\n\n::: {module}\n")
    assert site_checks.prose_lines(page) == []


def test_every_page_of_the_docs_folder_is_in_the_nav() -> None:
    pages = {str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")}

    assert pages - nav_pages() == set()
    assert nav_pages() - pages == set()


def load_docs_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs_tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site_checks() -> ModuleType:
    """docs_tools/site_checks.py, the MkDocs hook (it needs no docs extra to import)."""
    return load_docs_tool("site_checks")


@pytest.fixture
def docstrings_extension() -> ModuleType:
    pytest.importorskip("griffe", reason="the docs extra is not installed")
    return load_docs_tool("griffe_docstrings")


def test_reference_build_fences_doctest_examples_as_code(docstrings_extension: ModuleType) -> None:
    text = "Example:\n\n    >>> table.scan()\n    ResultSet\n\nMore text."

    assert docstrings_extension.rewrite(text) == (
        "Example:\n\n    ```pycon\n    >>> table.scan()\n    ResultSet\n    ```\n\nMore text."
    )


def test_reference_build_leaves_fenced_code_alone(docstrings_extension: ModuleType) -> None:
    text = "```python\n>>> not a doctest here\n```"

    assert docstrings_extension.rewrite(text) == text


def test_reference_build_drops_doctest_directives(docstrings_extension: ModuleType) -> None:
    text = (
        "    >>> users = Table.create('users', schema=s)   # doctest: +SKIP\n"
        "    >>> for item in users.scan():   # doctest: +ELLIPSIS, +SKIP\n"
        "    ...     print(item)   # doctest: +SKIP\n"
        "    ok  # doctest: not a directive on an output line"
    )

    assert docstrings_extension.rewrite(text) == (
        "    ```pycon\n"
        "    >>> users = Table.create('users', schema=s)\n"
        "    >>> for item in users.scan():\n"
        "    ...     print(item)\n"
        "    ok  # doctest: not a directive on an output line\n"
        "    ```"
    )


def test_docstring_examples_still_carry_their_directives_for_doctest() -> None:
    # The rendered site drops them; the docstring tests need them (they skip examples
    # that need a server).
    import dynamodb2.table

    assert "# doctest: +SKIP" in (dynamodb2.table.__doc__ or "")


def test_the_site_checks_find_a_directive_and_a_summary_shown_twice(
    site_checks: ModuleType, tmp_path: Path
) -> None:
    package = tmp_path / "dynamodb2"
    package.mkdir()
    (package / "ttl.py").write_text('"""Time to live: items :class:`~a.b.Expire`."""\n')
    summary = "<p>Time to live: items <code>Expire</code>.</p>"
    once = f"<nav>Time to live</nav><article class='md'><h1>ttl</h1>{summary}</article>"
    twice = f"<article><h1>ttl</h1>{summary}{summary}<pre>&gt;&gt;&gt; x()</pre></article>"
    directive = f"<article>{summary}<pre>&gt;&gt;&gt; x()  # doctest: +SKIP</pre></article>"

    assert site_checks.problems("reference/dynamodb2.ttl.md", once, tmp_path) == []
    assert site_checks.problems("reference/dynamodb2.ttl.md", twice, tmp_path) == [
        "reference/dynamodb2.ttl.md shows its module's summary 2 times, not once"
    ]
    assert site_checks.problems("guide.md", directive, tmp_path) == [
        "guide.md shows a doctest directive ('# doctest: ...')"
    ]


@pytest.mark.parametrize("name", ["site_checks", "griffe_docstrings"])
def test_the_docs_tools_docstring_examples_hold(name: str) -> None:
    if name == "griffe_docstrings":
        pytest.importorskip("griffe", reason="the docs extra is not installed")
    result = doctest.testmod(load_docs_tool(name))

    assert result.attempted > 0
    assert result.failed == 0


def test_reference_build_turns_sphinx_roles_into_code(docstrings_extension: ModuleType) -> None:
    text = "Returns a :class:`~dynamodb2.items.Item` (see :meth:`Table.get_item`)."

    assert docstrings_extension.rewrite(text) == "Returns a `Item` (see `Table.get_item`)."


# ------------------------------------------------------------------ installing

#: ``pip install dynamodb2`` (with or without extras), which fails until a first release.
_FROM_PYPI = re.compile(r"pip install\s+['\"]?dynamodb2(\[[\w,]*\])?['\"]?(\s|$)")


def shell_lines(path: Path) -> list[tuple[int, str]]:
    """The numbered lines of ``path``'s fenced code blocks."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced:
            lines.append((number, line))
    return lines


def test_no_page_installs_dynamodb2_from_pypi_before_its_first_release() -> None:
    pages = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
    from_pypi = [
        f"{page.relative_to(ROOT)}:{number}: {line.strip()}"
        for page in pages
        for number, line in shell_lines(page)
        if _FROM_PYPI.search(line)
    ]

    assert _FROM_PYPI.search("pip install 'dynamodb2[cli]'")
    assert not _FROM_PYPI.search('pip install ".[cli]"')
    assert from_pypi == []


def test_getting_started_installs_from_a_clone_or_a_built_wheel() -> None:
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")

    assert "not on PyPI yet" in page
    assert 'python3 -m pip install ".[fast]"' in page
    assert "python3 -m pip wheel --no-deps -w dist ." in page


# ------------------------------------------------------------------ the performance page


def results_on_the_performance_page() -> list[str]:
    from benchmarks.report import RESULTS_BEGIN, RESULTS_END

    page = (DOCS / "performance.md").read_text(encoding="utf-8")
    assert page.count(RESULTS_BEGIN) == 1
    assert page.count(RESULTS_END) == 1
    return page.split(RESULTS_BEGIN, 1)[1].split(RESULTS_END, 1)[0].splitlines()


def test_the_performance_page_shows_a_runs_tables_and_no_progress() -> None:
    lines = results_on_the_performance_page()
    # Headings, the machine's bullets, each case's bold title and table rows: nothing else.
    others = [line for line in lines if line and not line.startswith(("### ", "- ", "**", "|"))]

    assert others == []
    assert sum(line.startswith("| ") for line in lines) >= 20


def test_benchmark_results_go_into_the_page_without_the_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import benchmarks.__main__ as bench
    from benchmarks.report import RESULTS_BEGIN, RESULTS_END

    def fake_run(argv: Sequence[str] | None = None) -> int:
        print("## Machine\n\n- date: today\n")
        print("  round 1/1 done", file=sys.stderr)
        print("**GetItem**\n\n| | median |\n|---|---:|\n| dynamodb2 | 1 µs |")
        return 0

    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\n{RESULTS_BEGIN}\nold\n{RESULTS_END}\n\nAfter.\n")
    monkeypatch.setattr(bench, "main", fake_run)

    assert bench.main_recording(["--results-into", str(page)]) == 0

    assert page.read_text(encoding="utf-8") == (
        f"# Performance\n\n{RESULTS_BEGIN}\n\n### Machine\n\n- date: today\n\n"
        "**GetItem**\n\n| | median |\n|---|---:|\n| dynamodb2 | 1 µs |\n\n"
        f"{RESULTS_END}\n\nAfter.\n"
    )
    printed = capsys.readouterr()
    assert "| dynamodb2 | 1 µs |" in printed.out  # still printed as it runs
    assert "round 1/1 done" in printed.err
