"""KeySchema: a table's key, and everything that needs to know it.

>>> from dynamodb2.types import NonBooleanDynamizer
>>> schema = KeySchema("users", ("username", "joined"), {"username": "S", "joined": "N"},
...                    NonBooleanDynamizer())
>>> schema.encode_key({"username": "jo", "joined": 2024})
{'username': {'S': 'jo'}, 'joined': {'N': '2024'}}
>>> schema.encode_key({"username": "jo"})
Traceback (most recent call last):
...
dynamodb2.exceptions.RequestValidationError: attribute 'joined': missing key attribute of \
table 'users' (key: username, joined)

Items, batches, transactions, result sets and the command line receive a ``KeySchema``
rather than the table it came from. ``names`` is ``None`` while the table's key is not
known (a ``Table`` made without a schema and not yet described): keys are then encoded
as given, unchecked, and DynamoDB judges them, as boto 2 did, so that no ``DescribeTable``
is sent where boto 2 sent none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from ._limits import binary_size, check_item_size, check_key_name
from ._wire import AttributeValue
from .exceptions import ParameterValidationError, RequestValidationError, UnsupportedTypeError
from .types import Dynamizer, _encode_item_bounded

__all__ = ["IndexKey", "KeyIdentity", "KeySchema", "describe_tag", "is_storable", "key_identity"]

#: What makes two keys the same item: ``((name, tag, value), ...)`` sorted by name.
KeyIdentity = tuple[tuple[str, str, str | Decimal | int], ...]

_MAX_PARTITION_KEY_BYTES: Final = 2048
_MAX_SORT_KEY_BYTES: Final = 1024
_KEY_TYPE_NAMES: Final = {"S": "STRING", "N": "NUMBER", "B": "BINARY"}
_TAG_NAMES: Final = {
    "SS": "a string set",
    "NS": "a number set",
    "BS": "a binary set",
    "M": "a map",
    "L": "a list",
    "BOOL": "a boolean",
    "NULL": "null",
}


def describe_tag(tag: str) -> str:
    """A wire type tag in words, for messages: ``"SS"`` -> ``"a string set"``."""
    return _TAG_NAMES.get(tag, _KEY_TYPE_NAMES.get(tag, tag))


def is_storable(value: Any) -> bool:
    """False for ``None``, ``""`` and empty sets: boto 2's "no attribute" values."""
    if value is None:
        return False
    # Exact type checks first: this runs for every attribute of every item written.
    kind = type(value)
    if kind is str:
        return len(value) > 0
    if kind is Decimal or kind is int or kind is bool or kind is list or kind is dict:
        return True
    if isinstance(value, (str, bytes, set, frozenset)):
        return len(value) > 0
    return True


def key_identity(key: Mapping[str, AttributeValue]) -> KeyIdentity:
    """A hashable identity for a key in wire form: equal for keys DynamoDB considers equal.

    >>> key_identity({"id": {"N": "1.0"}}) == key_identity({"id": {"N": "1"}})
    True
    """
    parts: list[tuple[str, str, str | Decimal | int]] = []
    for name in sorted(key):
        ((tag, value),) = key[name].items()
        if tag == "N":
            # "1", "1.0" and "1E0" are one key to DynamoDB; equal Decimals hash alike,
            # and so do an int and the Decimal equal to it (the cheaper int for digits,
            # up to DynamoDB's 38: int() refuses text over 4,300 digits).
            text = str(value)
            number = (
                int(text)
                if len(text) <= _INT_DIGITS and text.isdigit() and text.isascii()
                else Decimal(text)
            )
            parts.append((name, tag, number))
        else:
            parts.append((name, tag, str(value)))
    return tuple(parts)


#: The longest run of digits ``key_identity`` reads as an int (DynamoDB's 38 digits).
_INT_DIGITS: Final = 38


def _about(names: Sequence[str], one: str, several: str) -> RequestValidationError:
    """An error about one attribute (named once, as ``attribute``) or about several."""
    if len(names) == 1:
        return RequestValidationError(one, attribute=names[0])
    return RequestValidationError(f"{', '.join(map(repr, names))}: {several}")


def _not_an_item(data: object) -> ParameterValidationError:
    return ParameterValidationError(
        f"data (an item) is a mapping of attribute names to values, not {type(data).__name__}"
    )


@attrs.frozen
class IndexKey:
    """What a request needs to know of one index: its key and whether it projects every
    attribute of the table."""

    names: tuple[str, ...]
    projects_all: bool


@attrs.frozen
class KeySchema:
    """A table's key: its attribute names (partition key first) and their types, and the
    keys of its indexes.

    Attributes:
        table_name: the table, for messages.
        names: the key attribute names, or ``None`` when not known.
        types: ``{"name": "S" | "N" | "B"}`` for attributes whose type is known for sure
            (from DynamoDB or from ``Table.create``), key and index attributes alike.
        dynamizer: what encodes the table's values.
        indexes: the indexes known, by name.
        indexes_known: whether those are all the table has (it was described or created).
    """

    table_name: str
    names: tuple[str, ...] | None
    types: Mapping[str, str] | None
    dynamizer: Dynamizer
    indexes: Mapping[str, IndexKey] = attrs.field(factory=dict)
    indexes_known: bool = False

    def index(self, name: str | None) -> IndexKey | None:
        """The index called ``name`` (``None`` for the table itself, or an index not
        known); refuses one the table is known not to have, as DynamoDB would."""
        if name is None:
            return None
        found = self.indexes.get(name)
        if found is None and self.indexes_known:
            known = ", ".join(map(repr, self.indexes)) or "none"
            raise RequestValidationError(
                f"table {self.table_name!r} has no index {name!r} (its indexes: {known})"
            )
        return found

    def key_names_of(self, index: str | None) -> tuple[str, ...] | None:
        """The key of the table, or of ``index``, when known."""
        if index is None:
            return self.names
        found = self.index(index)
        return None if found is None else found.names

    @property
    def known(self) -> bool:
        """Whether the key attribute names are known."""
        return self.names is not None

    def _where(self) -> str:
        return f"table {self.table_name!r} (key: {', '.join(self.names or ())})"

    def encode_key(self, key: Mapping[str, Any]) -> dict[str, AttributeValue]:
        """A key in wire form, after checking it names exactly the key attributes and
        holds values DynamoDB accepts as a key."""
        if type(key) is not dict and not isinstance(key, Mapping):
            raise ParameterValidationError(
                f"a key is a mapping of key attributes ({{'id': ...}}), not {type(key).__name__}"
            )
        names = self.names
        if names is None:
            for name in key:
                if type(name) is not str:
                    raise RequestValidationError(
                        f"key attribute names are strings, not {type(name).__name__} {name!r:.40}"
                    )
                check_key_name(name, what="key attribute name")
            encoded = self.encode_values(key)
            self._check_values(encoded, list(encoded))
            return encoded
        if len(key) == len(names):
            # The common case in one pass: every key attribute given, and nothing else.
            dynamizer = self.dynamizer
            encode = dynamizer.encode
            # Dynamizer's own encode is _encode at depth 0, called here directly (an
            # ASCII string, the commonest key value, not even that).
            own = type(dynamizer).encode is Dynamizer.encode
            plain = own and not dynamizer._boto2_hooks
            encode_at = dynamizer._encode
            encoded = {}
            for name in names:
                value = key.get(name)
                if value is None:
                    break
                try:
                    if plain and type(value) is str and value.isascii():
                        encoded[name] = {"S": value}
                    elif own:
                        encoded[name] = encode_at(value, 0)
                    else:
                        encoded[name] = encode(value)
                except (ParameterValidationError, UnsupportedTypeError) as error:
                    raise error.with_attribute(name) from None
            else:
                self._check_values(encoded, names)
                return encoded
        missing = [name for name in names if key.get(name) is None]
        if missing:
            raise _about(
                missing,
                f"missing key attribute of {self._where()}",
                f"missing key attributes of {self._where()}",
            )
        if len(key) != len(names):
            extra = [name for name in key if name not in names]
            raise _about(
                extra,
                f"not a key attribute of {self._where()}",
                f"not key attributes of {self._where()}",
            )
        encoded = self.encode_values({name: key[name] for name in names})
        self._check_values(encoded, names)
        return encoded

    def distinct_keys(
        self, keys: Iterable[Mapping[str, Any]]
    ) -> list[tuple[Mapping[str, Any], dict[str, AttributeValue]]]:
        """Each of ``keys`` with its wire form (encoded and checked as by
        :meth:`encode_key`), once: of keys DynamoDB considers equal (``1``, ``1.0`` and
        ``Decimal("1.0")``) only the first is kept.

        Written for ``batch_get`` (100 keys a request): a key holding exactly the key
        attributes, each an ASCII string of up to 1,024 characters or an ``int`` or
        ``Decimal`` (of the attribute's type, where known), is encoded and identified
        here in one pass (its :func:`key_identity` made of its values: a number compares
        equal to the number its wire text reads as); any other key goes through
        :meth:`encode_key` and :func:`key_identity`.
        """
        unique: dict[KeyIdentity, tuple[Mapping[str, Any], dict[str, AttributeValue]]] = {}
        names = self.names
        dynamizer = self.dynamizer
        fast = (
            names is not None
            and type(dynamizer).encode is Dynamizer.encode
            and not dynamizer._boto2_hooks
        )
        types = self.types or {}
        plan = [(name, types.get(name)) for name in names or ()]
        count = len(plan)
        # key_identity's parts are in name order; the wire form keeps the key's order.
        by_name = plan != sorted(plan, key=lambda part: part[0])
        encode_number = dynamizer._encode
        for key in keys:
            if fast and type(key) is dict and len(key) == count:
                wire: dict[str, AttributeValue] = {}
                parts: list[tuple[str, str, str | Decimal | int]] = []
                for name, expected in plan:
                    value: Any = key.get(name)
                    kind = type(value)
                    if kind is str:
                        if (
                            (expected is not None and expected != "S")
                            or not 0 < len(value) <= _MAX_SORT_KEY_BYTES
                            or not value.isascii()
                        ):
                            break
                        wire[name] = {"S": value}
                        parts.append((name, "S", value))
                    elif kind is Decimal or kind is int:
                        if expected is not None and expected != "N":
                            break
                        try:
                            wire[name] = encode_number(value, 0)
                        except (ParameterValidationError, UnsupportedTypeError, ValueError):
                            break  # encode_key names the attribute at fault
                        parts.append((name, "N", value))
                    else:
                        break
                else:
                    if by_name:
                        parts.sort()
                    identity = tuple(parts)
                    if identity not in unique:
                        unique[identity] = (key, wire)
                    continue
            encoded = self.encode_key(key)
            identity = key_identity(encoded)
            if identity not in unique:
                unique[identity] = (key, encoded)
        return list(unique.values())

    def encode_values(self, values: Mapping[str, Any]) -> dict[str, AttributeValue]:
        """``values`` in wire form, each error naming its attribute (nothing checked)."""
        encode = self.dynamizer.encode
        encoded: dict[str, AttributeValue] = {}
        for name, value in values.items():
            try:
                encoded[name] = encode(value)
            except (ParameterValidationError, UnsupportedTypeError) as error:
                raise error.with_attribute(name) from None
        return encoded

    def encode_key_values(self, values: Mapping[str, Any]) -> dict[str, AttributeValue]:
        """Some or all of a key's attributes (in schema order) in wire form, each checked
        as a key value: for a new item, whose key may be completed later."""
        encoded = self.encode_values(values)
        self._check_values(encoded, list(encoded))
        return encoded

    def key_of(self, item: Mapping[str, AttributeValue]) -> dict[str, AttributeValue]:
        """The key part of a wire item (the key names must be known)."""
        if self.names is None:
            raise ParameterValidationError(
                f"the key of table {self.table_name!r} is not known: give the Table a "
                "schema, or call describe() first"
            )
        key: dict[str, AttributeValue] = {}
        for name in self.names:
            value = item.get(name)
            if value is None:
                raise RequestValidationError(
                    f"the item has no value for this key attribute of {self._where()}",
                    attribute=name,
                )
            key[name] = value
        return key

    def check_key(self, key: Mapping[str, AttributeValue]) -> None:
        """Refuse key values DynamoDB would refuse: wrong type, empty, too long."""
        self._check_values(key, self.names if self.names is not None else list(key))

    def _check_values(self, key: Mapping[str, AttributeValue], names: Sequence[str]) -> None:
        types = self.types
        for position, name in enumerate(names):
            value: Mapping[str, Any] = key[name]
            ((tag, payload),) = value.items()
            expected = types.get(name) if types else None
            # The commonest key values first: a number, or an ASCII string of 1 to 1,024
            # characters (within both key limits), of the expected type.
            if expected is None or tag == expected:
                if tag == "N":
                    continue
                if (
                    tag == "S"
                    and type(payload) is str
                    and 0 < len(payload) <= _MAX_SORT_KEY_BYTES
                    and payload.isascii()
                ):
                    continue
            if tag not in _KEY_TYPE_NAMES or (expected is not None and tag != expected):
                wanted = _KEY_TYPE_NAMES.get(expected or "", "STRING, NUMBER or BINARY")
                raise RequestValidationError(
                    f"key attribute of table {self.table_name!r} must be {wanted}, "
                    f"not {describe_tag(tag)}",
                    attribute=name,
                )
            if tag == "S":
                size = (
                    len(payload)
                    if payload.isascii()
                    else len(payload.encode("utf-8", "surrogatepass"))
                )
            elif tag == "B":
                size = binary_size(payload)
            else:
                continue
            if size == 0:
                raise RequestValidationError("key attributes cannot be empty", attribute=name)
            if self.names is None:
                continue  # which is the partition key is not known
            limit = _MAX_PARTITION_KEY_BYTES if position == 0 else _MAX_SORT_KEY_BYTES
            if size > limit:
                kind = "partition" if position == 0 else "sort"
                raise RequestValidationError(
                    f"{kind} key is {size} bytes; DynamoDB allows at most {limit}",
                    attribute=name,
                )

    def encode_item(
        self, data: Mapping[str, Any], *, store_empty: bool = False
    ) -> dict[str, AttributeValue]:
        """A whole new item in wire form, its key and size checked.

        boto 2's "no attribute" values (``None``, ``""``, empty sets) are left out,
        unless ``store_empty``: then ``None`` and ``""`` are stored (as ``NULL`` and an
        empty string) and an empty set, which DynamoDB cannot store, is refused.
        """
        if type(data) is not dict and not isinstance(data, Mapping):
            raise _not_an_item(data)
        # One pass encodes the item and bounds its size: no second encoding to size it.
        item, bound = _encode_item_bounded(self.dynamizer, data, drop_empty=not store_empty)
        self.check_item(item, size_bound=bound)
        return item

    def encode_put(
        self, data: Mapping[str, Any], *, store_empty: bool = False
    ) -> tuple[dict[str, AttributeValue], KeyIdentity | None]:
        """:meth:`encode_item`, and the identity of the item's key (``None`` when the key
        names are not known): what a batch put needs, the key read out of the item once.
        The identity is :meth:`identity_of_write`'s for the put."""
        if type(data) is not dict and not isinstance(data, Mapping):
            raise _not_an_item(data)
        item, bound = _encode_item_bounded(self.dynamizer, data, drop_empty=not store_empty)
        identity = None if self.names is None else self._checked_key_identity(item)
        check_item_size(item, bound=bound)
        return item, identity

    def _checked_key_identity(self, item: Mapping[str, AttributeValue]) -> KeyIdentity:
        """``key_identity`` of the item's key, the key checked as :meth:`check_key` checks
        it (the key names must be known). The commonest key values (a number of up to 38
        digits, an ASCII string of 1 to 1,024 characters, of the expected type) take one
        pass; any other goes the general way, which says what is wrong."""
        names = self.names
        assert names is not None
        types = self.types
        parts: list[tuple[str, str, str | Decimal | int]] = []
        for name in names:
            value = item.get(name)
            if type(value) is dict and len(value) == 1:
                expected = types.get(name) if types else None
                payload = value.get("S")
                if payload is not None:
                    if (
                        (expected is None or expected == "S")
                        and type(payload) is str
                        and 0 < len(payload) <= _MAX_SORT_KEY_BYTES
                        and payload.isascii()
                    ):
                        parts.append((name, "S", payload))
                        continue
                else:
                    payload = value.get("N")
                    if (
                        (expected is None or expected == "N")
                        and type(payload) is str
                        and len(payload) <= _INT_DIGITS
                        and payload.isdigit()
                        and payload.isascii()
                    ):
                        parts.append((name, "N", int(payload)))  # as key_identity reads it
                        continue
            key = self.key_of(item)
            self.check_key(key)
            return key_identity(key)
        # key_identity's order: by name.
        if len(parts) == 2:
            if parts[0][0] > parts[1][0]:
                parts.reverse()
        elif len(parts) > 2:
            parts.sort()
        return tuple(parts)

    def check_item(
        self, item: Mapping[str, AttributeValue], *, size_bound: int | None = None
    ) -> None:
        """Refuse a wire item DynamoDB would refuse: a bad or missing key, over 400 KB.

        ``size_bound`` is an upper bound of the item's size when the caller has one
        (see ``_limits.item_size_bound``); the item is counted exactly only past 400 KB.
        """
        if self.names is not None:
            self.check_key(self.key_of(item))
        check_item_size(item, bound=size_bound)

    def identity(self, key: Mapping[str, AttributeValue]) -> KeyIdentity:
        """The identity of a key in wire form (see :func:`key_identity`)."""
        return key_identity(key)

    def identity_of_write(self, request: Mapping[str, Any]) -> KeyIdentity | None:
        """The identity of the item a batch write request (``PutRequest`` or
        ``DeleteRequest``) writes; ``None`` when the key names are not known."""
        if self.names is None:
            return None
        if "PutRequest" in request:
            return key_identity(self.key_of(request["PutRequest"]["Item"]))
        return key_identity(request["DeleteRequest"]["Key"])
