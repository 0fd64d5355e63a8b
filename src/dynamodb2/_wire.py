"""The DynamoDB JSON wire shapes, as TypedDicts.

These describe the JSON the service sends and receives (API version 2012-08-10). They
are documentation for the type checker only: at run time every shape is a plain ``dict``.
(:class:`Distinct`, a list, marks the batch entries the package checked.)
"""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

__all__ = [
    "AttributeDefinition",
    "AttributeValue",
    "Body",
    "Distinct",
    "EncodedItem",
    "Item",
    "Key",
    "KeySchemaElement",
    "ProvisionedThroughput",
]


class AttributeValue(TypedDict, total=False):
    """One typed value: exactly one of these keys is present."""

    S: str
    N: str
    B: str
    SS: list[str]
    NS: list[str]
    BS: list[str]
    M: dict[str, AttributeValue]
    L: list[AttributeValue]
    NULL: bool
    BOOL: bool


#: An item on the wire: attribute name to typed value.
Item = dict[str, AttributeValue]

#: A primary key on the wire: one or two attributes of an item.
Key = dict[str, AttributeValue]

#: A request or response body: the JSON object of one DynamoDB operation.
Body = dict[str, Any]


class EncodedItem(dict[str, Any]):
    """An item this package encoded from Python values: every mapping key in it is a
    string (the encoder refuses any other, naming the attribute), so the ``json`` codec
    does not walk it for one, as it walks every other part of a body. Otherwise a plain
    dict: equal to a dict of the same attributes, and sent as one."""

    __slots__ = ()


class Distinct(list[Any]):
    """A table's entries of a batch request that this package built and checked to be
    distinct: the write requests of a ``BatchTable`` (no two write the same item) or the
    keys of a ``batch_get`` (no key twice), keys compared as DynamoDB compares them.
    layer1's ``batch_write_item`` and ``batch_get_item`` do not look for duplicates among
    them again. Otherwise a plain list: equal to a list of the same entries, and sent as
    one."""

    __slots__ = ()


class KeySchemaElement(TypedDict):
    """One element of a ``KeySchema``."""

    AttributeName: str
    KeyType: str


class AttributeDefinition(TypedDict):
    """One element of ``AttributeDefinitions``."""

    AttributeName: str
    AttributeType: str


class ProvisionedThroughput(TypedDict):
    """Read and write capacity units of a table or global index."""

    ReadCapacityUnits: int
    WriteCapacityUnits: int
