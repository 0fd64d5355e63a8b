"""One request's placeholder allocator: every name becomes ``#nN``, every value ``:vN``.

Every expression of a request (key condition, filter, condition, update, projection) takes
its placeholders from the same allocator, so they can never collide, whatever the
attribute names are (reserved words, dots, dashes, unicode, even ``":v0"``).

>>> from dynamodb2.types import Dynamizer
>>> p = Placeholders(Dynamizer())
>>> f"{p.name('size')} > {p.value(3)}"
'#n0 > :v0'
>>> p.path("profile.emails[0]")
'#n1.#n2[0]'
>>> p.names, p.values
({'#n0': 'size', '#n1': 'profile', '#n2': 'emails'}, {':v0': {'N': '3'}})
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from typing import Any, Final, Protocol

import attrs

from ._limits import SHORT_NAME, check_attribute_name
from ._wire import AttributeValue
from .exceptions import ParameterValidationError, RequestValidationError, UnsupportedTypeError
from .types import Dynamizer

__all__ = ["Compilable", "Encoded", "Placeholders", "all_of", "compile_condition", "parse_path"]

_PATH_PART: Final = re.compile(r"([^.\[\]]+)|\[(\d+)\]|(\.)")


def parse_path(path: str) -> list[str | int]:
    """Split a document path into attribute names and list indexes.

    >>> parse_path("profile.emails[0].address")
    ['profile', 'emails', 0, 'address']

    Raises:
        RequestValidationError: for an empty path, empty segments (``"a..b"``),
            unbalanced brackets or a path starting with an index.
    """
    if not isinstance(path, str) or not path:
        raise RequestValidationError(f"an attribute path must be a non-empty string: {path!r}")
    parts: list[str | int] = []
    position = 0
    expect_name = True
    while position < len(path):
        match = _PATH_PART.match(path, position)
        if match is None:
            raise RequestValidationError(f"malformed attribute path {path!r}")
        name, index, dot = match.groups()
        if name is not None:
            if not expect_name:
                raise RequestValidationError(f"malformed attribute path {path!r}")
            parts.append(name)
            expect_name = False
        elif index is not None:
            if expect_name:
                raise RequestValidationError(f"malformed attribute path {path!r}")
            parts.append(int(index))
        else:
            if expect_name:
                raise RequestValidationError(f"malformed attribute path {path!r}")
            expect_name = True
            del dot
        position = match.end()
    if expect_name:
        raise RequestValidationError(f"malformed attribute path {path!r}")
    return parts


@attrs.frozen
class Encoded:
    """A value already in wire form (``{"S": "x"}``), written as it is."""

    wire: AttributeValue


class Placeholders:
    """Placeholders for one request.

    ``names`` and ``values`` become the request's ``ExpressionAttributeNames`` and
    ``ExpressionAttributeValues`` (see :meth:`add_to`). The same attribute name always
    gets the same placeholder; every value gets a new one.
    """

    __slots__ = ("_dynamizer", "_placeholder_of", "names", "values")

    def __init__(self, dynamizer: Dynamizer) -> None:
        self._dynamizer = dynamizer
        self._placeholder_of: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.values: dict[str, AttributeValue] = {}

    def name(self, attribute: str) -> str:
        """The placeholder for one top-level attribute name, taken literally.

        A name with dots is one attribute (``"a.b"`` is not the path a → b).
        """
        placeholder = self._placeholder_of.get(attribute)
        if placeholder is None:
            if not isinstance(attribute, str) or not attribute:
                raise RequestValidationError(
                    f"an attribute name must be a non-empty string, not {attribute!r}"
                )
            if len(attribute) > SHORT_NAME:  # only such a name can pass 64 KB
                check_attribute_name(attribute)
            placeholder = f"#n{len(self.names)}"
            self._placeholder_of[attribute] = placeholder
            self.names[placeholder] = attribute
        return placeholder

    def path(self, path: str | Sequence[str | int]) -> str:
        """The expression text for a document path: ``"a.b[2]"`` or ``["a.b", 2]``.

        A string is parsed (dots separate names); a sequence gives the names literally,
        so an attribute whose name contains a dot can still be reached.
        """
        parts = parse_path(path) if isinstance(path, str) else list(path)
        if not parts or not isinstance(parts[0], str):
            raise RequestValidationError(f"a path must start with an attribute name: {path!r}")
        text = ""
        for part in parts:
            if isinstance(part, int) and not isinstance(part, bool):
                if part < 0:
                    raise RequestValidationError(f"list indexes are not negative: {path!r}")
                text += f"[{part}]"
            elif isinstance(part, str):
                text += ("." if text else "") + self.name(part)
            else:
                raise RequestValidationError(f"path parts are names or indexes: {part!r}")
        return text

    def value(self, value: Any, *, attribute: str | None = None) -> str:
        """The placeholder for a Python value, encoded by the request's dynamizer.

        ``attribute`` names the attribute in any error about the value. An
        :class:`Encoded` value is taken as it is.
        """
        if type(value) is Encoded:
            return self.wire_value(value.wire)
        try:
            encoded = self._dynamizer.encode(value)
        except (ParameterValidationError, UnsupportedTypeError) as error:
            if attribute is not None:
                raise error.with_attribute(attribute) from None
            raise
        return self.wire_value(encoded)

    def wire_value(self, value: AttributeValue) -> str:
        """The placeholder for a value already in wire form."""
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def add_to(self, body: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        """Put the allocated names and values into a request body; return the body."""
        if self.names:
            body["ExpressionAttributeNames"] = self.names
        if self.values:
            body["ExpressionAttributeValues"] = self.values
        return body


class Compilable(Protocol):
    """Anything that writes itself as expression text with a request's placeholders.

    Conditions built with :mod:`dynamodb2.conditions` (``Attr("age").gt(21)``) are; so is
    any object with this one method.
    """

    def compile(self, placeholders: Placeholders) -> str:
        """The expression text, with names and values allocated from ``placeholders``."""
        ...


def compile_condition(condition: object, placeholders: Placeholders, *, parameter: str) -> str:
    """``condition.compile(placeholders)``, or a clear error for what is not a condition.

    >>> compile_condition("age > 21", Placeholders(Dynamizer()), parameter="filter")
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.UnsupportedTypeError: filter= takes a condition built with \
Attr(...) or Key(...), such as Attr('age').gt(21), not str 'age > 21'
    """
    compile_method = getattr(condition, "compile", None)
    if not callable(compile_method):
        raise UnsupportedTypeError(
            f"{parameter}= takes a condition built with Attr(...) or Key(...), such as "
            f"Attr('age').gt(21), not {type(condition).__name__} {condition!r:.80}"
        )
    text = compile_method(placeholders)
    if not isinstance(text, str):
        raise UnsupportedTypeError(
            f"{parameter}=: {type(condition).__name__}.compile() returned "
            f"{type(text).__name__}, not an expression string"
        )
    return text


def all_of(clauses: Sequence[str]) -> str | None:
    """One condition requiring every clause (each parenthesised), or ``None`` for none.

    >>> all_of(["#n0 = :v0", "attribute_exists(#n1)"])
    '(#n0 = :v0) AND (attribute_exists(#n1))'
    """
    if not clauses:
        return None
    if len(clauses) == 1:
        return clauses[0]
    return " AND ".join(f"({clause})" for clause in clauses)
