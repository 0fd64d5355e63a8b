"""Reading the shape of DynamoDB's responses: a field of the wrong type is a
:class:`~dynamodb2.exceptions.MalformedResponseError` naming the operation and the field.

>>> Shape("Query").count({"Count": 3}, "Count")
3
>>> try:
...     Shape("Query").count({"Count": "3"}, "Count")
... except MalformedResponseError as error:
...     print(error)
malformed field 'Count' in the response to Query: is a string, not a whole number

A response is JSON that DynamoDB's documentation describes; a server that is not
DynamoDB (a proxy's error page, a half-implemented emulator, a hostile endpoint) may send
any JSON at all. What this package reads from a response goes through these readers
instead of ``[]``, ``.get`` and ``int()``, so the caller gets this package's error,
never a bare ``KeyError``, ``AttributeError``, ``TypeError`` or ``ValueError`` from deep
inside. Messages name the JSON type found, never the value (which may echo anything the
request held).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

import attrs

from .exceptions import MalformedResponseError

__all__ = ["Shape", "json_kind"]

_MISSING: Final[Any] = object()


def json_kind(value: object) -> str:
    """The JSON type of a decoded value, for messages: ``"a string"``, ``"null"``, ...

    >>> json_kind("x"), json_kind(None), json_kind([1]), json_kind(True)
    ('a string', 'null', 'a list', 'true or false')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "a list"
    return type(value).__name__


@attrs.frozen
class Shape:
    """Readers of one response's fields, naming ``operation`` in what they raise.

    Each takes the object holding the field, the field's key, and the field's path for
    messages (``"Table.KeySchema[0]"``); ``path`` defaults to the key.
    """

    operation: str | None

    def malformed(self, path: str, problem: str) -> MalformedResponseError:
        """The error for the field at ``path``."""
        return MalformedResponseError(problem, field=path, operation=self.operation)

    def _get(self, body: Mapping[str, Any], key: str, path: str, required: bool) -> Any:
        value = body.get(key, _MISSING)
        if value is _MISSING and required:
            raise self.malformed(path, "is missing")
        return value

    def mapping(
        self,
        body: Mapping[str, Any],
        key: str,
        path: str | None = None,
        *,
        required: bool = False,
        what: str = "an object",
    ) -> dict[str, Any]:
        """An object (``{}`` when absent or null, unless ``required``); typed as the dict
        JSON decodes to. ``what`` describes it in messages (``"a key"``)."""
        value = self._get(body, key, path or key, required)
        if value is _MISSING or (value is None and not required):
            return {}
        if not isinstance(value, Mapping):
            raise self.malformed(path or key, f"is {json_kind(value)}, not {what}")
        return cast("dict[str, Any]", value)

    def sequence(
        self,
        body: Mapping[str, Any],
        key: str,
        path: str | None = None,
        *,
        required: bool = False,
        nullable: bool = True,
    ) -> Sequence[Any]:
        """A list (``[]`` when absent, or null unless ``required`` or not ``nullable``:
        a page's ``Items`` may be left out but is never null).

        >>> Shape("Scan").sequence({}, "Items", nullable=False)
        []
        >>> try:
        ...     Shape("Scan").sequence({"Items": None}, "Items", nullable=False)
        ... except MalformedResponseError as error:
        ...     print(error)
        malformed field 'Items' in the response to Scan: is null, not a list
        """
        value = self._get(body, key, path or key, required)
        if value is _MISSING or (value is None and nullable and not required):
            return []
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise self.malformed(path or key, f"is {json_kind(value)}, not a list")
        return value

    def mappings(
        self, body: Mapping[str, Any], key: str, path: str | None = None, *, required: bool = False
    ) -> list[dict[str, Any]]:
        """A list of objects (``[]`` when absent or null, unless ``required``)."""
        path = path or key
        elements = self.sequence(body, key, path, required=required)
        for index, element in enumerate(elements):
            if not isinstance(element, Mapping):
                raise self.malformed(f"{path}[{index}]", f"is {json_kind(element)}, not an object")
        return cast("list[dict[str, Any]]", list(elements))

    def string(
        self,
        body: Mapping[str, Any],
        key: str,
        path: str | None = None,
        *,
        default: str | None = None,
        required: bool = False,
    ) -> str | None:
        """A string (``default`` when absent or null, unless ``required``)."""
        value = self._get(body, key, path or key, required)
        if value is _MISSING or (value is None and not required):
            return default
        if not isinstance(value, str):
            raise self.malformed(path or key, f"is {json_kind(value)}, not a string")
        return value

    def text(self, body: Mapping[str, Any], key: str, path: str | None = None) -> str:
        """A string that must be there."""
        value = self.string(body, key, path, required=True)
        assert value is not None  # required: None is refused
        return value

    def count(
        self, body: Mapping[str, Any], key: str, path: str | None = None, *, nullable: bool = True
    ) -> int:
        """A whole number, 0 or more (0 when absent, or null unless not ``nullable``); a
        whole float (``3.0``, as boto 2's own test mocks send) is taken as its int."""
        value = body.get(key, _MISSING)
        if value is _MISSING or (value is None and nullable):
            return 0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.malformed(path or key, f"is {json_kind(value)}, not a whole number")
        if not math.isfinite(value) or value < 0 or value != int(value):
            raise self.malformed(path or key, "is not a whole number of 0 or more")
        return int(value)

    def number(self, body: Mapping[str, Any], key: str, path: str | None = None) -> float:
        """A number (0 when absent or null), as a float."""
        value = body.get(key)
        if value is None:
            return 0.0
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.malformed(path or key, f"is {json_kind(value)}, not a number")
        if not math.isfinite(value):
            raise self.malformed(path or key, "is not a finite number")
        return float(value)

    def capacity(self, body: Mapping[str, Any], key: str = "ConsumedCapacity") -> Any:
        """A ``ConsumedCapacity`` field as sent (``None`` when absent or null): one entry or
        a list of entries, each an object whose ``CapacityUnits`` (if any) is a number."""
        value = body.get(key)
        if value is None:
            return None
        if isinstance(value, Mapping):
            self.number(value, "CapacityUnits", f"{key}.CapacityUnits")
            return value
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise self.malformed(
                key, f"is {json_kind(value)}, not capacity entries (an object or a list of them)"
            )
        for index, entry in enumerate(self.mappings(body, key)):
            self.number(entry, "CapacityUnits", f"{key}[{index}].CapacityUnits")
        return value

    def malformed_item(self, items: Sequence[Any], path: str) -> MalformedResponseError:
        """The error for a list of items (the field at ``path``) in which one is not an
        object, naming the first such by its place.

        >>> print(Shape("Scan").malformed_item([{}, 7], "Items"))
        malformed field 'Items' in the response to Scan: item 1 is a number, not an object
        """
        index, bad = next(
            (index, item) for index, item in enumerate(items) if not isinstance(item, Mapping)
        )
        return self.malformed(path, f"item {index} is {json_kind(bad)}, not an object")
