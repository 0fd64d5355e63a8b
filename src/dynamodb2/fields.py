"""Key schema fields and secondary indexes, as small immutable value objects.

>>> from dynamodb2.types import NUMBER
>>> HashKey("username").schema()
{'AttributeName': 'username', 'KeyType': 'HASH'}
>>> RangeKey("joined", data_type=NUMBER).definition()
{'AttributeName': 'joined', 'AttributeType': 'N'}
>>> GlobalKeysOnlyIndex("by_email", parts=[HashKey("email")]).schema()["Projection"]
{'ProjectionType': 'KEYS_ONLY'}

The names, positional order and output are boto 2's. An argument of the wrong type is
refused when the field is made, by a
:class:`~dynamodb2.exceptions.ParameterValidationError` (a ``ValueError``) naming it:

>>> HashKey(5)
Traceback (most recent call last):
...
dynamodb2.exceptions.ParameterValidationError: name takes a non-empty string, not int 5

Whether an index could be created (its name, the order of its parts) is checked by
``Table.create`` and ``create_global_secondary_index``, before they send: boto 2 code may
describe an existing index loosely on a table it only reads from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final

import attrs

from ._arguments import describe, refusal
from ._wire import AttributeDefinition, KeySchemaElement
from .exceptions import ParameterValidationError, RequestValidationError
from .types import BINARY, NUMBER, STRING

__all__ = [
    "AllIndex",
    "BaseIndexField",
    "BaseSchemaField",
    "GlobalAllIndex",
    "GlobalBaseIndexField",
    "GlobalIncludeIndex",
    "GlobalKeysOnlyIndex",
    "HashKey",
    "IncludeIndex",
    "KeysOnlyIndex",
    "RangeKey",
]

_KEY_TYPES = (STRING, NUMBER, BINARY)


def _check_name(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value:
        # An empty name reaches DynamoDB in boto 2, which refuses the CreateTable with a
        # ValidationException: so is it refused here (one of another type is a bug).
        raise refusal(attribute.name, "a non-empty string", value, wire=value == "")


def _check_key_type(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or value not in _KEY_TYPES:
        raise refusal(
            "data_type",
            "STRING ('S'), NUMBER ('N') or BINARY ('B') for a key attribute",
            value,
            wire=isinstance(value, str),  # an unknown type DynamoDB's CreateTable refuses
        )


def _check_concrete(field: object, kind: str, attribute: str, examples: str) -> None:
    # boto 2's base classes left attr_type / projection_type unset: an instance of one
    # (or of a subclass that sets none) has no schema to give.
    if not hasattr(type(field), attribute):
        raise ParameterValidationError(
            f"{type(field).__name__} is the base of the {kind} classes; use {examples} "
            f"(or a subclass setting {attribute})"
        )


@attrs.frozen
class BaseSchemaField:
    """A key attribute: its name and type. Subclasses set :attr:`attr_type`."""

    #: ``"HASH"`` or ``"RANGE"``.
    attr_type: ClassVar[str]

    name: str = attrs.field(validator=_check_name)
    data_type: str = attrs.field(default=STRING, validator=_check_key_type)

    def __attrs_post_init__(self) -> None:
        _check_concrete(self, "key field", "attr_type", "HashKey or RangeKey")

    def definition(self) -> AttributeDefinition:
        """The ``AttributeDefinitions`` entry for this attribute."""
        return {"AttributeName": self.name, "AttributeType": self.data_type}

    def schema(self) -> KeySchemaElement:
        """The ``KeySchema`` entry for this attribute."""
        return {"AttributeName": self.name, "KeyType": self.attr_type}


@attrs.frozen
class HashKey(BaseSchemaField):
    """The partition ("hash") key. ``HashKey("username")``, ``HashKey("id", data_type=NUMBER)``."""

    attr_type: ClassVar[str] = "HASH"


@attrs.frozen
class RangeKey(BaseSchemaField):
    """The sort ("range") key. ``RangeKey("joined", data_type=NUMBER)``."""

    attr_type: ClassVar[str] = "RANGE"


_PARTS: Final = "a list of one or two HashKey / RangeKey fields"


def _to_parts(parts: Iterable[BaseSchemaField]) -> tuple[BaseSchemaField, ...]:
    if isinstance(parts, (str, bytes, bytearray, Mapping)) or not isinstance(parts, Iterable):
        raise refusal("parts", _PARTS, parts)
    converted = tuple(parts)
    if not 1 <= len(converted) <= 2:  # DynamoDB refuses a KeySchema of any other length
        raise RequestValidationError(
            f"parts takes {_PARTS}: an index has one or two key parts, not {len(converted)}"
        )
    for part in converted:
        if not isinstance(part, BaseSchemaField):
            raise ParameterValidationError(f"parts takes {_PARTS}; it holds {describe(part)}")
    # The order (a HashKey, then a RangeKey) is checked by Table.create, before it sends:
    # boto 2 code may describe an index loosely for queries, never to create it.
    return converted


def _to_names(names: Iterable[str]) -> tuple[str, ...]:
    # A bare string is iterable too, and would become one attribute per character.
    if isinstance(names, (str, bytes, bytearray, Mapping)) or not isinstance(names, Iterable):
        raise refusal("includes", "a list of attribute names", names)
    converted = tuple(names)
    for name in converted:
        if not isinstance(name, str) or not name:
            # DynamoDB refuses an empty name; another type is not DynamoDB's to judge.
            error = RequestValidationError if name == "" else ParameterValidationError
            raise error(
                f"includes takes a list of attribute names (non-empty strings); "
                f"it holds {describe(name)}"
            )
    return converted


# Index classes carry no __slots__: GlobalIncludeIndex inherits from both
# GlobalBaseIndexField and IncludeIndex, as in boto 2, which slotted classes cannot do.
@attrs.frozen(slots=False)
class BaseIndexField:
    """A secondary index: a name, its key parts and a projection. Subclasses set
    :attr:`projection_type`."""

    #: ``"ALL"``, ``"KEYS_ONLY"`` or ``"INCLUDE"``.
    projection_type: ClassVar[str]

    name: str = attrs.field(validator=_check_name)
    parts: tuple[BaseSchemaField, ...] = attrs.field(converter=_to_parts)

    def __attrs_post_init__(self) -> None:
        _check_concrete(self, "index", "projection_type", "AllIndex, GlobalAllIndex, ...")

    def definition(self) -> list[AttributeDefinition]:
        """The ``AttributeDefinitions`` entries for the index's key attributes."""
        return [part.definition() for part in self.parts]

    def schema(self) -> dict[str, Any]:
        """The index's entry for ``LocalSecondaryIndexes`` / ``GlobalSecondaryIndexes``."""
        return {
            "IndexName": self.name,
            "KeySchema": [part.schema() for part in self.parts],
            "Projection": self._projection(),
        }

    def _projection(self) -> dict[str, Any]:
        return {"ProjectionType": self.projection_type}


@attrs.frozen(slots=False)
class AllIndex(BaseIndexField):
    """A local index projecting every attribute."""

    projection_type: ClassVar[str] = "ALL"


@attrs.frozen(slots=False)
class KeysOnlyIndex(BaseIndexField):
    """A local index projecting only the key attributes."""

    projection_type: ClassVar[str] = "KEYS_ONLY"


@attrs.frozen(slots=False)
class IncludeIndex(BaseIndexField):
    """A local index projecting the keys plus the attributes named in ``includes``."""

    projection_type: ClassVar[str] = "INCLUDE"

    includes: tuple[str, ...] = attrs.field(default=(), converter=_to_names, kw_only=True)

    @property
    def includes_fields(self) -> list[str]:
        """boto 2's name for :attr:`includes`."""
        return list(self.includes)

    def _projection(self) -> dict[str, Any]:
        return {"ProjectionType": self.projection_type, "NonKeyAttributes": list(self.includes)}


def _to_throughput(value: Mapping[str, Any] | None) -> Mapping[str, int]:
    if value is None:
        # boto 2 kept its default when given None.
        return _default_throughput()
    try:
        return {"read": int(value["read"]), "write": int(value["write"])}
    except (KeyError, TypeError, ValueError, OverflowError):
        raise refusal("throughput", "{'read': 5, 'write': 5} (numbers of units)", value) from None


def _default_throughput() -> Mapping[str, int]:
    return {"read": 5, "write": 5}


@attrs.frozen(slots=False)
class GlobalBaseIndexField(BaseIndexField):
    """A global index: like a local one, plus its own provisioned ``throughput``.

    ``throughput`` defaults to boto 2's ``{'read': 5, 'write': 5}``; it is left out of the
    request for tables billed per request.
    """

    throughput: Mapping[str, int] = attrs.field(
        factory=_default_throughput, converter=_to_throughput, kw_only=True
    )

    def schema(self) -> dict[str, Any]:
        """The index's ``GlobalSecondaryIndexes`` entry, with its provisioned throughput."""
        schema = super().schema()
        schema["ProvisionedThroughput"] = {
            "ReadCapacityUnits": self.throughput["read"],
            "WriteCapacityUnits": self.throughput["write"],
        }
        return schema


@attrs.frozen(slots=False)
class GlobalAllIndex(GlobalBaseIndexField):
    """A global index projecting every attribute."""

    projection_type: ClassVar[str] = "ALL"


@attrs.frozen(slots=False)
class GlobalKeysOnlyIndex(GlobalBaseIndexField):
    """A global index projecting only the key attributes."""

    projection_type: ClassVar[str] = "KEYS_ONLY"


@attrs.frozen(slots=False)
class GlobalIncludeIndex(GlobalBaseIndexField, IncludeIndex):
    """A global index projecting the keys plus the attributes named in ``includes``."""

    projection_type: ClassVar[str] = "INCLUDE"
