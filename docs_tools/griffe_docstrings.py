"""A griffe extension: this project's reST-flavoured docstrings, read as Markdown.

The docstrings are written for ``help()`` and doctest: ``>>>`` examples in running text,
Sphinx roles (``:class:`~dynamodb2.table.Table```) and ``::`` before literal blocks.
mkdocstrings reads docstrings as Markdown, where ``>>>`` is a triple blockquote and roles
are noise. This rewrites them as the API reference is built (``mkdocs.yml`` loads it):

- runs of doctest lines become fenced ``pycon`` blocks, without their doctest directives
  (``# doctest: +SKIP`` is for ``tests/docs/test_docstring_examples.py``, not for readers);
- ``:role:`~a.b.C``` becomes ```C``` (and ``:role:`a.b.C``` becomes ```a.b.C```);
- a paragraph ending in ``::`` ends in ``:`` (the indented block after it is already a
  Markdown code block).
"""

from __future__ import annotations

import re
from typing import Any, Final

import griffe

__all__ = ["RestDocstrings", "rewrite", "without_directive"]

_ROLE: Final = re.compile(r":(?:class|meth|func|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")
_FENCE: Final = re.compile(r"^\s*```")
_DIRECTIVE: Final = re.compile(r"\s*#\s*doctest:\s*[+-]\w+(?:\s*,\s*[+-]\w+)*\s*$")
_DOCTEST_LINE: Final = re.compile(r"^\s*(?:>>>|\.\.\.)(?:\s|$)")


def _role_as_code(match: re.Match[str]) -> str:
    short, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def without_directive(line: str) -> str:
    """A doctest line without its ``# doctest:`` directive (other lines as they are).

    >>> without_directive(">>> table.scan()   # doctest: +SKIP, +ELLIPSIS")
    '>>> table.scan()'
    """
    if _DOCTEST_LINE.match(line):
        return _DIRECTIVE.sub("", line)
    return line


def rewrite(text: str) -> str:
    """The Markdown for one docstring.

    >>> rewrite("See :meth:`~dynamodb2.table.Table.scan` and :func:`dynamodb2.transaction`::")
    'See `scan` and `dynamodb2.transaction`:'
    """
    text = _ROLE.sub(_role_as_code, text)
    out: list[str] = []
    lines = text.splitlines()
    index = 0
    fenced = False
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```pycon")
            while index < len(lines) and lines[index].strip():
                out.append(without_directive(lines[index]))
                index += 1
            out.append(f"{indent}```")
            continue
        if not fenced and line.endswith("::") and not line.strip().startswith(".."):
            line = line[:-1]
        out.append(line)
        index += 1
    return "\n".join(out)


class RestDocstrings(griffe.Extension):
    """Rewrites every docstring with :func:`rewrite` once the object tree is built."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring, if it has one."""
        del kwargs
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Rewrite the package's own docstring (``on_object`` sees only its members)."""
        del kwargs
        if pkg.docstring is not None:
            pkg.docstring.value = rewrite(pkg.docstring.value)
