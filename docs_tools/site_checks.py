"""A MkDocs hook: checks on the rendered site that ``mkdocs build --strict`` enforces.

``mkdocs.yml`` loads it (``hooks:``); each problem is logged as a warning, which fails a
strict build (``nox -s docs``, CI):

- no page shows a doctest directive (``# doctest: +SKIP``), which the docstrings carry for
  ``tests/docs/test_docstring_examples.py`` and ``griffe_docstrings`` strips;
- each API reference page is its module's docstrings only: a heading and a ``:::`` block
  (no summary of its own beside the docstring's), and shows the module's summary (the
  docstring's first line) once.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import Any, Final

__all__ = [
    "module_summary",
    "on_page_markdown",
    "on_post_page",
    "problems",
    "prose_lines",
    "visible_text",
]

_DIRECTIVE: Final = re.compile(r"#\s*doctest:")
_TAG: Final = re.compile(r"<[^>]+>")
_ROLE: Final = re.compile(r":(?:class|meth|func|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")
_REFERENCE_PAGE: Final = re.compile(r"^reference/(dynamodb2(?:\.\w+)*)\.md$")


def module_summary(source_root: Path, module: str) -> str:
    """The first line of ``module``'s docstring as it reads on the page (roles and
    backticks gone), read from the source under ``source_root`` without importing it
    (``dynamodb2.pytest_plugin`` needs pytest, which the docs extra does not bring)."""
    path = source_root.joinpath(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    summary = docstring.strip().splitlines()[0] if docstring.strip() else ""

    def role_as_text(match: re.Match[str]) -> str:
        short, target = match.groups()
        return target.rsplit(".", 1)[-1] if short else target

    return _ROLE.sub(role_as_text, summary).replace("`", "")


def visible_text(page_html: str) -> str:
    """The text of a page's article, tags removed and white space collapsed.

    >>> visible_text("<nav>menu</nav><article><h1>A</h1> <p>b  <code>c</code></p></article>")
    'A b c'
    """
    if "<article" in page_html:
        inside = page_html.split("<article", 1)[1].split("</article>", 1)[0]
        page_html = inside.split(">", 1)[1]  # past the rest of the opening tag
    return " ".join(html.unescape(_TAG.sub(" ", page_html)).split())


def prose_lines(markdown: str) -> list[str]:
    r"""The lines of a reference page besides its heading and its ``:::`` block.

    >>> prose_lines("# `dynamodb2.ttl`\n\n::: dynamodb2.ttl\n    options:\n      members: []\n")
    []
    >>> prose_lines("# `dynamodb2.ttl`\n\nTime to live.\n\n::: dynamodb2.ttl\n")
    ['Time to live.']
    """
    return [
        line
        for line in markdown.splitlines()
        if line.strip() and not line.startswith(("# ", "::: ", " "))
    ]


def problems(src_uri: str, page_html: str, source_root: Path) -> list[str]:
    """What is wrong with one rendered page (``src_uri`` is its Markdown file's path
    inside ``docs/``)."""
    found = []
    text = visible_text(page_html)
    if _DIRECTIVE.search(text):
        found.append(f"{src_uri} shows a doctest directive ('# doctest: ...')")
    match = _REFERENCE_PAGE.match(src_uri)
    if match is not None:
        summary = module_summary(source_root, match[1])
        # Compared without white space: removing tags leaves spaces around inline code.
        count = "".join(text.split()).count("".join(summary.split()))
        if count != 1:
            found.append(f"{src_uri} shows its module's summary {count} times, not once")
    return found


def _logger() -> Any:
    from mkdocs.plugins import get_plugin_logger  # noqa: PLC0415 - only inside a build

    return get_plugin_logger("site_checks")


def on_page_markdown(markdown: str, *, page: Any, **kwargs: Any) -> str:
    """MkDocs' hook before a page is rendered: a reference page holds no prose."""
    del kwargs
    if _REFERENCE_PAGE.match(page.file.src_uri):
        for line in prose_lines(markdown):
            _logger().warning(
                f"{page.file.src_uri}: {line!r}: a reference page is its module's "
                "docstrings only (write it in the module docstring)"
            )
    return markdown


def on_post_page(output: str, *, page: Any, config: Any, **kwargs: Any) -> str:
    """MkDocs' hook after a page is rendered: log each problem as a warning."""
    del kwargs
    source_root = Path(config["config_file_path"]).resolve().parent / "src"
    for problem in problems(page.file.src_uri, output, source_root):
        _logger().warning(problem)
    return output
