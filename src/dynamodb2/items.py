"""Item: one record, dict-like, that knows what changed since it was loaded.

>>> item = table.get_item(username="johndoe")       # doctest: +SKIP
>>> item["first_name"] = "Johann"                   # doctest: +SKIP
>>> item.partial_save()                             # doctest: +SKIP
True

boto 2's rules hold: ``None``, the empty string and the empty set mean "no attribute"
(dropped by :meth:`Item.save`, removed by :meth:`Item.partial_save`).

What changed is found by comparing the current values with the item's *snapshot*: the
wire form it was loaded (or last saved) with. An item from a response keeps the
response's own dict, never copied, and decodes it only when first read. An item of a
Query, Scan or batch get that is still held when its result set drops its page
*settles*: it holds about what a plain dict of its values holds, its wire form dropped
and its loaded values kept beside the current ones, shared where they cannot change
(strings, numbers, binary, booleans) and copied where they can (sets, lists, maps: those
of an item already read are decoded once more from their wire form, so that changes made
in place since are not taken for loaded values); the wire form is rebuilt from them, tag
for tag, when a write needs it. (An item read and let go never pays for settling: about 6 µs for
a 12-attribute item.)
"""

from __future__ import annotations

import typing
from collections.abc import ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from decimal import Decimal
from typing import Any, Final, Generic, Literal, TypeVar, overload

from ._arguments import flag, mapping, refusal, sequence_of, truth
from ._placeholders import Compilable, Encoded, Placeholders
from ._plans import Own, Plan, run
from ._requests import PutRequest, SaveUpdate, UpdateRequest
from ._schema import KeySchema, is_storable
from ._updates import Update
from ._wire import AttributeValue, Body
from .capacity import (
    ReportedCapacity,
    ReturnConsumedCapacity,
    WriteResult,
    capacity_entries,
    capacity_units,
    check_return_consumed_capacity,
)
from .conditions import Attr, Condition
from .exceptions import ParameterValidationError, RequestValidationError, UnsupportedTypeError
from .types import (
    Dynamizer,
    NativeNumberDynamizer,
    NonBooleanDynamizer,
    NonBooleanNativeNumberDynamizer,
    _encode_item_bounded,
    attribute_name,
)

if typing.TYPE_CHECKING:
    from typing_extensions import Self

    from ._table_base import _TableBase
    from .table import Table  # noqa: F401 - named in a string

__all__ = ["NEWVALUE", "Item", "is_storable", "wire_equal"]

_NULL: Final[AttributeValue] = {"NULL": True}
_EMPTY_STRING: Final[AttributeValue] = {"S": ""}
_EMPTY_BINARY: Final[AttributeValue] = {"B": ""}
#: The table of an item (a Table, or an AsyncTable).
_TableT = TypeVar("_TableT", bound="_TableBase[Any, Any, Any, Any]")
#: A plan step: the table's key attribute names (described first if not known).
_KEY_FIELDS: Final = Own("get_key_fields")

#: The longest expression DynamoDB accepts, in bytes.
_MAX_EXPRESSION_BYTES: Final = 4096
#: The most operators and functions DynamoDB accepts in one expression.
_MAX_EXPRESSION_OPERATORS: Final = 300


#: The kinds of change ``Item._determine_alterations`` finds (boto 2's).
_ALTERATIONS: Final = ("adds", "changes", "deletes")


def _is_name(value: object) -> bool:
    return isinstance(value, str)


class NEWVALUE:
    """Marker for "no previous value" (kept from boto 2)."""


class _ItemBase(Generic[_TableT]):
    """What :class:`Item` and ``dynamodb2.aio.AsyncItem`` share: the dict-like record,
    its snapshot and dirty tracking, and the steps of its writes (plans, see
    :mod:`dynamodb2._plans`); each subclass only carries the writes out.
    """

    __slots__ = (
        "_capacity",
        "_dynamizer",
        "_loaded",
        "_original",
        "_partial",
        "_source",
        "_values",
        "_wire",
        "table",
    )

    table: _TableT
    # The current values; None until an item from a response is first read.
    _values: dict[str, Any] | None
    _capacity: list[dict[str, Any]] | None
    _source: str | None
    # Whether only some attributes were read; or the index read, not known to the table.
    _partial: bool | str

    def __init__(
        self,
        table: _TableT,
        data: Mapping[str, Any] | Item | None = None,
        loaded: bool = False,
    ) -> None:
        self.table = table
        try:
            self._dynamizer = table._dynamizer
        except AttributeError:
            raise refusal("table", "a Table", table) from None
        if isinstance(data, Item):
            data = data._data
        if type(data) is not dict:
            data = dict(mapping(data, "data", wire=False) or {})
        self._data = data
        if loaded is not False:
            loaded = truth(loaded, "loaded")
        self._loaded = loaded
        self._partial = False
        self._wire: dict[str, AttributeValue] | None = {}
        # The loaded values once the wire form is dropped: (names, values); see _settle.
        self._original: Any = None
        if loaded:
            self._snapshot = self._encode_storable()

    @classmethod
    def from_wire(
        cls,
        table: _TableT,
        wire_item: dict[str, AttributeValue],
        *,
        partial: bool = False,
        operation: str | None = None,
    ) -> Self:
        """An item loaded from a response, decoded lazily on first use.

        ``wire_item`` becomes the snapshot and must not be changed afterwards.
        ``partial`` says the response held only some of the item's attributes (a
        projection, or an index that does not project them all); ``operation`` names the
        request that returned it, for errors about a malformed value. A result set has
        the items of a page that are still held when it drops the page settle (see
        :meth:`_settle`): they keep their loaded values instead of ``wire_item``.
        """
        item = cls.__new__(cls)
        item.table = table
        try:
            item._dynamizer = table._dynamizer
        except AttributeError:
            raise refusal("table", "a Table", table) from None
        item._loaded = True
        if partial is not False:
            partial = flag(partial, "partial")
        item._partial = partial
        if type(wire_item) is not dict:
            mapping(wire_item, "wire_item", wire=False, none=False)
        if operation is not None and type(operation) is not str:
            raise refusal("operation", "the name of a DynamoDB operation, or None", operation)
        item._source = operation
        item._values = None
        item._wire = wire_item
        item._original = None
        return item

    @classmethod
    def _from_wire_page(
        cls,
        table: _TableT,
        wire_items: Sequence[dict[str, AttributeValue]],
        *,
        partial: bool | str,
        operation: str,
    ) -> list[Self]:
        """``[cls.from_wire(table, item, partial=..., operation=...) for item in
        wire_items]``: the items of one response page, with what is the same for all of
        them checked once (a page holds up to thousands of items). ``partial`` may also
        name the index read, when the table does not know whether it projects every
        attribute (:meth:`save` finds out)."""
        if cls.from_wire.__func__ is not _ItemBase.from_wire.__func__:  # type: ignore[attr-defined]
            # A subclass's own from_wire is honoured.
            made = [
                cls.from_wire(table, wire_item, partial=partial is not False, operation=operation)
                for wire_item in wire_items
            ]
            if type(partial) is str:
                for item in made:
                    item._partial = partial
            return made
        try:
            dynamizer = table._dynamizer
        except AttributeError:
            raise refusal("table", "a Table", table) from None
        if partial is not False and type(partial) is not str:
            partial = flag(partial, "partial")
        if type(operation) is not str:
            raise refusal("operation", "the name of a DynamoDB operation", operation)
        new = cls.__new__
        items: list[Self] = []
        append = items.append
        for wire_item in wire_items:
            if type(wire_item) is not dict:
                mapping(wire_item, "wire_item", wire=False, none=False)
            item = new(cls)
            item.table = table
            item._dynamizer = dynamizer
            item._loaded = True
            item._partial = partial
            item._source = operation
            item._values = None
            item._wire = wire_item
            item._original = _KEEP_DECODED
            append(item)
        return items

    @property
    def _snapshot(self) -> dict[str, AttributeValue]:
        """The item as loaded or last saved, in wire form (what writes compare with).

        A decoded item keeps its loaded values instead (see the module docstring): the
        wire form is rebuilt from them, with the type tags they were loaded with, the
        first time a write or a comparison asks for it, and kept from then on.
        """
        wire = self._wire
        if wire is None:
            names, values = self._original or ((), ())
            encode = _TAGGED.encode
            wire = {name: encode(_thawed(value)) for name, value in zip(names, values, strict=True)}
            self._wire = wire
            self._original = None
        return wire

    @_snapshot.setter
    def _snapshot(self, wire: dict[str, AttributeValue]) -> None:
        self._wire = wire
        self._original = None

    def _settle(self) -> None:
        """Hold the loaded values instead of the wire form, decoding the item if it is
        not yet (what a result set does with the items still held when it drops their
        page). An item read already keeps the values its read decoded (``_decode``
        leaves them in ``_original`` while the wire form is held) where they cannot
        change."""
        wire = self._wire
        dynamizer = self._dynamizer
        if wire is None or type(dynamizer) not in _TAG_PRESERVING:
            return
        first = self._original
        if type(first) is tuple and self._values is not None:
            # Read already, and ``first`` holds the values that read decoded from
            # ``wire`` (see _decode): those that cannot change are the loaded values
            # still; sets, lists and maps, which may have been changed in place since,
            # are decoded again from their wire form.
            names = _names_of(wire)
            if len(names) == len(first):
                if not _MUTABLE.isdisjoint(map(type, first)):
                    refrozen = list(first)
                    for index, value in enumerate(first):
                        if type(value) in _MUTABLE:
                            refrozen[index] = _loaded_container(dynamizer, wire[names[index]])
                    first = tuple(refrozen)
                self._original = (names, first)
                self._wire = None
                return
        loaded = dynamizer.decode_item(wire, operation=self._source)
        if self._values is None:  # not read yet: the loaded values are the current ones
            self._values = loaded
            self._hold(loaded)
            return
        # Read already: these loaded values were decoded just now and are nobody else's,
        # so they are kept as they are, not copied (only sets become tuples, smaller).
        values = tuple(loaded.values())
        if set in map(type, values):
            values = tuple([_FrozenSet(value) if type(value) is set else value for value in values])
        self._original = (_names_of(loaded), values)
        self._wire = None

    @property
    def _data(self) -> dict[str, Any]:
        """The current values (boto 2's ``_data``), decoded on first use."""
        data = self._values
        return self._decode() if data is None else data

    @_data.setter
    def _data(self, data: dict[str, Any]) -> None:
        self._values = data

    def _decode(self) -> dict[str, Any]:
        """Decode an item from a response, on first use."""
        wire = self._wire
        if wire is None:
            data = self._dynamizer.decode_item(self._snapshot, operation=self._source)
        else:
            data = self._dynamizer.decode_item(wire, operation=self._source)
            if self._original is _KEEP_DECODED:
                # An item of a page: the values as decoded, for settling (see _settle),
                # the same objects, not copies.
                self._original = tuple(data.values())
        self._values = data
        return data

    def _hold(self, loaded: dict[str, Any]) -> None:
        """Keep ``loaded`` (the values as decoded from the wire form) and drop the wire
        form: its values are shared where they cannot change, copied where they can."""
        self._original = (_names_of(loaded), _frozen_values(loaded))
        self._wire = None

    def _is_storable(self, value: Any) -> bool:
        """boto 2's test for a value it wrote: anything but an empty or false value,
        except ``0``, ``0.0`` and ``False`` (compatibility only: boto 2 dropped empty
        lists and maps too, which :meth:`save` stores, see :func:`is_storable`)."""
        return bool(value) or value in (0, 0.0, False)

    @property
    def _orig_data(self) -> dict[str, Any]:
        """The values as loaded or last saved, decoded (boto 2's ``_orig_data``);
        compatibility only: the item keeps them in wire form."""
        return self._dynamizer.decode_item(self._snapshot)

    @_orig_data.setter
    def _orig_data(self, data: Mapping[str, Any]) -> None:
        self._snapshot = self._dynamizer.encode_item(
            {name: value for name, value in data.items() if is_storable(value)}
        )

    @property
    def is_partial(self) -> bool:
        """Whether the item was read with only some of its attributes (or may have been:
        read from an index that the table does not know, until :meth:`save` finds out).

        :meth:`save` refuses such an item unless told to ``overwrite``: writing it whole
        would delete every attribute that was not read. :meth:`partial_save` is safe.
        """
        return self._partial is not False

    # Hidden from type checkers: to them a class with __getattr__ has every attribute, so
    # a misspelt method (item.sav()) would pass unnoticed.
    if not typing.TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Only reached for slots never set (an item made without __init__).
            if name in ("_capacity", "_source", "_original", "_values"):
                return None  # set only on items from a read (that asked for capacity)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def consumed_capacity(self) -> list[dict[str, Any]]:
        """DynamoDB's ``ConsumedCapacity`` for the request that returned this item
        (``get_item``, ``update_item``) when it asked with ``return_consumed_capacity=``;
        empty otherwise."""
        return list(self._capacity or ())

    @property
    def consumed_capacity_units(self) -> float:
        """Capacity units of that request (``0.0`` when not asked for)."""
        return capacity_units(self._capacity or ())

    # ------------------------------------------------------------------ dict-like

    # The reads below take the values straight from their slot, decoding on first use:
    # they run for every attribute read.

    def __getitem__(self, key: str) -> Any:
        data = self._values
        return (self._decode() if data is None else data).get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        self._data.pop(key, None)

    def __contains__(self, key: object) -> bool:
        data = self._values
        return key in (self._decode() if data is None else data)

    def __iter__(self) -> Iterator[Any]:
        # boto 2 yields the values; use keys() for the names.
        data = self._values
        return iter((self._decode() if data is None else data).values())

    def __len__(self) -> int:
        return len(self._data)

    def __bool__(self) -> bool:
        return bool(self._data)

    def keys(self) -> KeysView[str]:
        """The attribute names."""
        data = self._values
        return (self._decode() if data is None else data).keys()

    def values(self) -> ValuesView[Any]:
        """The attribute values."""
        data = self._values
        return (self._decode() if data is None else data).values()

    def items(self) -> ItemsView[str, Any]:
        """``(name, value)`` pairs."""
        data = self._values
        return (self._decode() if data is None else data).items()

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default`` (for any key, as ``dict.get``)."""
        data = self._values
        try:
            return (self._decode() if data is None else data).get(key, default)
        except TypeError:  # unhashable
            raise refusal("key", "an attribute name", key) from None

    def __repr__(self) -> str:
        name = getattr(self.table, "table_name", "?")
        return f"<Item {name} {self._data!r}>"

    # ------------------------------------------------------------------ dirty tracking

    def _encode_storable(self) -> dict[str, AttributeValue]:
        snapshot = self._snapshot
        return self._dynamizer.encode_item(
            {
                key: value
                for key, value in self._data.items()
                if is_storable(value) or _still_stored(value, snapshot.get(key))
            }
        )

    def _full_wire_item(self) -> tuple[dict[str, AttributeValue], bool, int | None]:
        """The whole item in wire form, whether it differs from the snapshot, and (for a
        new item) an upper bound of its size.

        One encoding pass serves all three. An attribute whose value is unchanged keeps
        its stored wire form (a ``BOOL`` on a 1/0 table stays a ``BOOL``).
        """
        snapshot = self._snapshot
        if not snapshot:
            # A new item: every storable value is written, and sized as it is encoded.
            wire, bound = _encode_item_bounded(self._dynamizer, self._data, drop_empty=True)
            return wire, bool(wire), bound
        encode = self._dynamizer.encode
        wire_item: dict[str, AttributeValue] = {}
        changed = False
        for given, value in self._data.items():
            key = attribute_name(given)
            old = snapshot.get(key)
            if not is_storable(value):
                if old is not None and _still_stored(value, old):
                    wire_item[key] = old
                else:
                    changed = changed or old is not None
                continue
            try:
                new = encode(value)
            except (ParameterValidationError, UnsupportedTypeError) as error:
                raise error.with_attribute(key) from None
            if old is not None and (wire_equal(new, old) or self._rewrites_the_same(new, old)):
                wire_item[key] = old
            else:
                wire_item[key] = new
                changed = True
        if not changed:
            changed = any(key not in wire_item for key in snapshot)
        return wire_item, changed, None

    def _determine_alterations(self) -> dict[str, Any]:
        """``{"adds": {...}, "changes": {...}, "deletes": [...]}`` since the snapshot."""
        snapshot = self._snapshot
        encode = self._dynamizer.encode
        adds: dict[str, Any] = {}
        changes: dict[str, Any] = {}
        deletes: list[str] = []
        data = self._data
        for key, value in data.items():
            old = snapshot.get(key)
            if not is_storable(value):
                if old is not None and not _still_stored(value, old):
                    deletes.append(key)
            elif old is None:
                adds[key] = value
            else:
                try:
                    new = encode(value)
                except (ParameterValidationError, UnsupportedTypeError) as error:
                    raise error.with_attribute(key) from None
                if not wire_equal(new, old) and not self._rewrites_the_same(new, old):
                    changes[key] = value
        deletes.extend(key for key in snapshot if key not in data)
        return {"adds": adds, "changes": changes, "deletes": deletes}

    def _rewrites_the_same(self, new: AttributeValue, old: AttributeValue) -> bool:
        """Whether ``new`` is just how this dynamizer writes the stored value ``old``.

        A table that stores booleans as numbers (boto 2's default) still reads a stored
        ``BOOL`` as ``True``/``False``, which it would write back as ``1``/``0``: an
        untouched value, not a change.
        """
        if self._dynamizer.booleans_as_bool:
            return False
        return wire_equal(new, self._dynamizer.encode(self._dynamizer.decode(old)))

    def needs_save(self, data: Mapping[str, Any] | None = None) -> bool:
        """Whether anything changed since the item was loaded or last saved (or, given
        ``data``, whether those alterations change anything)."""
        alterations: Mapping[str, Any]
        if data is None:
            alterations = self._determine_alterations()
        else:
            alterations = mapping(data, "data", wire=False) or {}
            if any(kind not in alterations for kind in _ALTERATIONS):
                raise refusal(
                    "data", "alterations: {'adds': ..., 'changes': ..., 'deletes': ...}", data
                )
        return any(alterations[kind] for kind in _ALTERATIONS)

    def mark_clean(self) -> None:
        """Take the current values as the stored state (nothing needs saving)."""
        self._snapshot = self._encode_storable()

    def mark_dirty(self) -> None:
        """Does nothing; kept from boto 2, where it was deprecated already."""

    def load(self, data: Mapping[str, Any]) -> None:
        """Replace the item's contents with a ``GetItem``-style response (``{"Item": ...}``)."""
        response = mapping(data, "data", wire=False, none=False) or {}
        wire_item = dict(mapping(response.get("Item", {}), "data['Item']", wire=False) or {})
        self._data = self._dynamizer.decode_item(wire_item)
        self._snapshot = wire_item
        self._loaded = True

    def build_expects(self, fields: Sequence[str] | None = None) -> dict[str, Any]:
        """boto 2's legacy ``Expected`` conditions for ``fields`` (all by default): each
        field holds its loaded value, or is absent if it was added since.

        Kept for code that called it; :meth:`save` and :meth:`partial_save` send
        condition expressions instead.
        """
        original = self._orig_data
        data = self._data
        if fields is None:
            names = set(data) | set(original)
        else:
            names = set(sequence_of(fields, "fields", _is_name, "a list of attribute names") or ())
        expects: dict[str, Any] = {}
        for name in names:
            if name not in original and name not in data:
                raise ParameterValidationError(f"Unknown key {name} provided.", attribute=name)
            expects[name] = {"Exists": True}
            before = original.get(name, NEWVALUE)
            now = data.get(name, NEWVALUE)
            value: Any = None
            if before == now:
                value = now
            elif name in data and name not in original:
                expects[name]["Exists"] = False
            else:
                value = before
            if value is not None:
                expects[name]["Value"] = self._dynamizer.encode(value)
            elif self._snapshot.get(name) == _NULL:
                # A stored NULL reads as None: boto 2 sent {"Exists": true} alone, which
                # DynamoDB refuses ("Value must be provided when Exists is true"); it is
                # there, which NOT_NULL checks (a NULL is not compared by value).
                expects[name] = {"ComparisonOperator": "NOT_NULL"}
        return expects

    # ------------------------------------------------------------------ writes

    def prepare_full(self) -> dict[str, AttributeValue]:
        """The whole item in wire form, without "no attribute" values."""
        return self._encode_storable()

    def prepare_partial(self) -> tuple[dict[str, Any], set[str]]:
        """boto 2's ``(attribute_updates, fields)`` for the changes since the snapshot."""
        alterations = self._determine_alterations()
        updates: dict[str, Any] = {}
        for key in (*alterations["adds"], *alterations["changes"]):
            updates[key] = {"Action": "PUT", "Value": self._dynamizer.encode(self._data[key])}
        for key in alterations["deletes"]:
            updates[key] = {"Action": "DELETE"}
        return updates, set(updates)

    def _unchanged_condition(self, schema: KeySchema) -> Compilable:
        """The condition that the stored item is still the one this copy holds."""
        snapshot = self._snapshot
        if not snapshot:
            if schema.names is not None:
                return Attr((schema.names[0],)).not_exists()
            # The key is not known: no attribute of the new item may exist yet.
            checks: list[Condition] = [
                Attr((name,)).not_exists()
                for name, value in self._data.items()
                if is_storable(value)
            ]
        else:
            checks = [_holds(name, value) for name, value in snapshot.items()]
            checks.extend(
                Attr((name,)).not_exists()
                for name, value in self._data.items()
                if name not in snapshot and is_storable(value)
            )
        return _Limited(
            checks,
            refusal=f"this item has too many attributes ({len(checks)}) for a compare-and-set save",
            remedy="use partial_save(), which only checks what changed, or save(overwrite=True)",
        )

    def _keys_of(self, fields: Sequence[str]) -> dict[str, Any]:
        """The values of the key attributes ``fields``."""
        return {name: self[name] for name in fields}

    def _raw_keys_of(self, values: Mapping[str, Any]) -> dict[str, AttributeValue]:
        for name, value in values.items():
            if value is None:  # boto 2 encoded it as NULL, a key DynamoDB refuses
                raise RequestValidationError(
                    "the item has no value for this key attribute", attribute=name
                )
        return self._dynamizer.encode_item(values)

    def _save_plan(
        self,
        overwrite: bool,
        condition: Compilable | None,
        return_consumed_capacity: ReturnConsumedCapacity | None,
    ) -> Plan[bool | WriteResult]:
        """:meth:`Item.save`'s steps; the writes go through the table's ``_put_item`` and
        ``_update_item`` (boto 2's seams)."""
        if overwrite is not False:
            overwrite = truth(overwrite, "overwrite")
        partial = self._partial
        if type(partial) is str and not overwrite:
            # Read from an index the table did not know: whether that index projects
            # every attribute decides (the table describes itself to find out).
            projects_all: bool = yield Own("_projects_all", (partial,))
            partial = self._partial = not projects_all
        if partial and not overwrite:
            raise ParameterValidationError(
                "this item was read with only some of its attributes (attributes=... or an "
                "index that does not project them all): save() would delete the others. "
                "Use partial_save(), or save(overwrite=True) to store exactly these attributes"
            )
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        if condition is None and capacity is None and _boto2_steps_overridden(self):
            return (yield from self._boto2_save_plan(overwrite))
        wire_item, changed, size_bound = self._full_wire_item()
        if not overwrite and not (self.needs_save() if _needs_save_overridden(self) else changed):
            return False
        schema = self.table.key_schema
        snapshot = self._snapshot
        unchanged = None if overwrite else self._unchanged_condition(schema)
        response: bool | Body
        if overwrite or not snapshot or not schema.known:
            # A whole new item, or (the table's key not being known) a compare-and-set
            # of the whole item, as boto 2's save was.
            schema.check_item(wire_item, size_bound=size_bound)
            if unchanged is None and condition is None and capacity is None:
                # Carried, so that the table sends this item as the one the package
                # encoded (when its own _put_item runs: see _TableBase._put_request).
                put = PutRequest(schema.table_name, wire_item)
                response = yield Own("_put_item", (wire_item,), {"expects": None}, carrying=put)
            else:
                put = PutRequest.of_wire(
                    schema.table_name,
                    wire_item,
                    schema,
                    conditions=(unchanged, condition),
                    capacity=capacity,
                )
                response = yield Own("_put_item", (wire_item,), {"expects": None}, carrying=put)
        else:
            schema.check_item(wire_item)
            key = schema.key_of(wire_item)
            _refuse_changed_key(key, snapshot, "save() would update the item there")
            # Unchanged attributes are the snapshot's own objects (see _full_wire_item).
            changes = {
                name: value
                for name, value in wire_item.items()
                if snapshot.get(name) is not value and name not in key
            }
            removals = [name for name in snapshot if name not in wire_item and name not in key]
            conditions = (unchanged, condition)
            request = UpdateRequest.build(
                schema,
                key,
                Update.of_attributes(changes, removals),
                conditions=conditions,
                capacity=capacity,
                key_is_wire=True,
            )
            updates = _attribute_updates(changes, removals)
            response = yield Own(
                "_update_item",
                (self._dynamizer.decode_item(key), _copied(updates)),
                {"expects": None},
                carrying=SaveUpdate(request, updates, schema, conditions),
            )
        self._snapshot = wire_item
        if _mark_clean_overridden(self):
            self.mark_clean()
        return _write_result(response, capacity)

    def _boto2_save_plan(self, overwrite: bool) -> Plan[bool | WriteResult]:
        """:meth:`save` as boto 2 made it, from its steps, for an item class that
        overrides one of those that make the request (``prepare_full``,
        ``build_expects``): its ``needs_save`` decides, its ``prepare_full`` is put whole,
        under its ``build_expects`` (boto 2's ``Expected``) unless ``overwrite``, and its
        ``mark_clean`` follows."""
        if not overwrite and not self.needs_save():
            return False
        final_data = self.prepare_full()
        expects = None if overwrite else self.build_expects()
        returned: bool | Body = yield Own("_put_item", (final_data,), {"expects": expects})
        self.mark_clean()
        return _write_result(returned, None)

    def _boto2_partial_save_plan(self) -> Plan[bool | WriteResult]:
        """:meth:`partial_save` as boto 2 made it, for an item class that overrides one of
        the steps that make the request: its ``prepare_partial`` (less the key) is sent,
        under its ``build_expects`` for those fields."""
        fields: list[str] = yield _KEY_FIELDS
        key = self._keys_of(fields)
        final_data, changed = self.prepare_partial()
        if not final_data:
            return False
        for name in key:
            if name in final_data:
                del final_data[name]
                changed.discard(name)
        expects = self.build_expects(fields=sorted(changed))
        returned: bool | Body = yield Own("_update_item", (key, final_data), {"expects": expects})
        self.mark_clean()
        return _write_result(returned, None)

    def _partial_save_plan(
        self, condition: Compilable | None, return_consumed_capacity: ReturnConsumedCapacity | None
    ) -> Plan[bool | WriteResult]:
        """:meth:`Item.partial_save`'s steps."""
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        if condition is None and capacity is None and _boto2_steps_overridden(self):
            return (yield from self._boto2_partial_save_plan())
        if type(self._partial) is str:
            # Read from an index the table did not know: whether it projects every
            # attribute decides the checks below (the table describes itself to find out).
            projects_all: bool = yield Own("_projects_all", (self._partial,))
            self._partial = not projects_all
        alterations = self._determine_alterations()
        fields: list[str] = yield _KEY_FIELDS
        key_fields = set(fields)
        to_set = {
            key: value
            for kind in ("adds", "changes")
            for key, value in alterations[kind].items()
            if key not in key_fields
        }
        to_remove = [key for key in alterations["deletes"] if key not in key_fields]
        if not to_set and not to_remove:
            return False
        keys = self._keys_of(fields)
        schema = self.table.key_schema
        key = schema.encode_key(keys)
        snapshot = self._snapshot
        _refuse_changed_key(key, snapshot, "partial_save() would write only the changes")
        encoded = self._dynamizer.encode_item(to_set)
        checks: list[Condition] = []
        for name in (*encoded, *to_remove):
            if name in snapshot:
                checks.append(_holds(name, snapshot[name]))
            elif not self._partial:
                checks.append(Attr((name,)).not_exists())
            # else: read without this attribute, so what is stored is unknown: no check.
        unchanged = (
            _Limited(
                checks,
                refusal=f"this partial_save() changes too many attributes ({len(checks)}) "
                "to check them all in one condition",
                remedy="save the changes in smaller steps, or use save(overwrite=True)",
            )
            if checks
            else None
        )
        conditions = (unchanged, condition)
        request = UpdateRequest.build(
            schema,
            key,
            Update.of_attributes(encoded, to_remove),
            conditions=conditions,
            capacity=capacity,
            key_is_wire=True,
        )
        updates = _attribute_updates(encoded, to_remove)
        response = yield Own(
            "_update_item",
            (keys, _copied(updates)),
            {"expects": None},
            carrying=SaveUpdate(request, updates, schema, conditions),
        )
        # The key goes in too: for a new item it was just written, and later saves
        # compare against it.
        new_snapshot = dict(snapshot)
        new_snapshot.update(key)
        new_snapshot.update(encoded)
        for name in to_remove:
            new_snapshot.pop(name, None)
        self._snapshot = new_snapshot
        if _mark_clean_overridden(self):
            self.mark_clean()
        return _write_result(response, capacity)


class Item(_ItemBase["Table"]):
    """A record of a table: dict-like, with dirty tracking and save/partial_save/delete.

    Args:
        table: the table the item belongs to.
        data: initial attributes (the dict is used as is, not copied, as in boto 2).
        loaded: whether ``data`` is what the table holds (then it is the snapshot
            that later changes are compared with).

    Reading a missing attribute gives ``None`` (``item["nope"] is None``), and
    iterating an item yields its *values*: both as in boto 2. An item belongs to one
    thread (its table may be shared).
    """

    __slots__ = ()

    def get_keys(self) -> dict[str, Any]:
        """The key attributes and their values, e.g. ``{"username": "johndoe"}``."""
        return self._keys_of(self.table.get_key_fields())

    def get_raw_keys(self) -> dict[str, AttributeValue]:
        """The key in wire form, e.g. ``{"username": {"S": "johndoe"}}``."""
        return self._raw_keys_of(self.get_keys())

    @overload
    def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Write the whole item. Returns ``False`` if nothing changed (and not ``overwrite``).

        Without ``overwrite`` this is a compare-and-set: it succeeds only if the stored
        item still has the values this copy was loaded with (or, for a new item, if no
        item with its key exists); otherwise
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` is raised and
        nothing is written. A loaded item is saved by an ``UpdateItem`` of what changed
        under that condition, so an attribute another writer added meanwhile (which no
        condition can detect) is kept rather than deleted; a new item, or
        ``overwrite=True``, is a ``PutItem`` of the whole item. ``condition`` adds a
        condition of your own. With ``return_consumed_capacity``, a written item returns
        a truthy :class:`~dynamodb2.capacity.WriteResult` instead of ``True``.
        """
        return run(self._save_plan(overwrite, condition, return_consumed_capacity), self._perform)

    @overload
    def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Write only what changed, in one ``UpdateItem``. Returns ``False`` if nothing did.

        The update is conditioned on each changed attribute still having the value this
        copy was loaded with (and added ones still being absent), so a concurrent change
        to the same attributes raises
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` instead of being
        overwritten. On an item read with only some attributes (:attr:`is_partial`), an
        attribute it was read without is written unchecked: what is stored is unknown.
        Key attributes cannot change and are left out. With ``return_consumed_capacity``,
        a write returns a truthy :class:`~dynamodb2.capacity.WriteResult` instead of
        ``True``.
        """
        return run(self._partial_save_plan(condition, return_consumed_capacity), self._perform)

    @overload
    def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Delete the item from its table. Returns ``False`` if ``condition`` failed;
        otherwise ``True`` (a truthy :class:`~dynamodb2.capacity.WriteResult` when
        ``return_consumed_capacity`` asks for the consumed capacity)."""
        deleted: bool | WriteResult = self.table.delete_item(
            **self.get_keys(), **_delete_options(condition, return_consumed_capacity)
        )
        return deleted

    def _perform(self, effect: Own) -> Any:
        return effect.on(self.table)


#: The steps of boto 2's save() and partial_save() that a subclass may override: if it
#: does, those methods run boto 2's way, through them.
_BOTO2_STEPS: Final = (
    "needs_save",
    "prepare_full",
    "prepare_partial",
    "build_expects",
    "mark_clean",
)


def _boto2_steps_overridden(item: _ItemBase[Any]) -> bool:
    """Whether ``item``'s class (or a patch) replaces one of the steps of boto 2's saves
    that make the request: then its saves are made boto 2's way, through them."""
    # Written out: it runs for every save (a loop over the names took 0.6 µs more).
    kind = type(item)
    return (
        kind.prepare_full is not _ItemBase.prepare_full
        or kind.prepare_partial is not _ItemBase.prepare_partial
        or kind.build_expects is not _ItemBase.build_expects
    )


def _needs_save_overridden(item: _ItemBase[Any]) -> bool:
    """Whether ``item``'s ``needs_save`` is its class's own (or a patch): it decides."""
    return type(item).needs_save is not _ItemBase.needs_save


def _mark_clean_overridden(item: _ItemBase[Any]) -> bool:
    """Whether ``item``'s ``mark_clean`` is its class's own (or a patch): a save calls it."""
    return type(item).mark_clean is not _ItemBase.mark_clean


def _refuse_changed_key(
    key: Mapping[str, AttributeValue], snapshot: Mapping[str, AttributeValue], outcome: str
) -> None:
    """Refuse to save a loaded item whose key attribute was changed: DynamoDB never
    changes a key, and the write would go to another item (``outcome``)."""
    for name, value in key.items():
        stored = snapshot.get(name)
        if stored is not None and not wire_equal(value, stored):
            raise RequestValidationError(
                f"key attribute {name!r} was changed since the item was loaded; DynamoDB "
                f"never changes a key, and {outcome} under the new key. Put a new item "
                "(save(overwrite=True) stores this one whole under the new key) and delete "
                "the old one",
                attribute=name,
            )


def _attribute_updates(
    changes: Mapping[str, AttributeValue], removals: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """boto 2's ``AttributeUpdates`` for setting ``changes`` and removing ``removals``:
    the ``item_data`` its saves passed to ``Table._update_item``."""
    updates: dict[str, dict[str, Any]] = {
        name: {"Action": "PUT", "Value": value} for name, value in changes.items()
    }
    updates.update((name, {"Action": "DELETE"}) for name in removals)
    return updates


def _copied(updates: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A copy of ``updates`` an override may change in place (the save keeps the
    original, to tell whether it was changed)."""
    return {name: dict(update) for name, update in updates.items()}


def _holds(name: str, value: AttributeValue) -> Condition:
    """The attribute ``name`` still holds the stored ``value`` (in wire form)."""
    return Attr((name,)).eq(Encoded(value))


class _Limited:
    """Checks joined by ``AND``, refused before sending when DynamoDB would refuse the
    expression: over 4 KB, or over 300 operators and functions (each check is one, and
    so is each ``AND``)."""

    __slots__ = ("checks", "refusal", "remedy")

    def __init__(self, checks: Sequence[Condition], *, refusal: str, remedy: str) -> None:
        self.checks = checks
        self.refusal = refusal
        self.remedy = remedy

    def compile(self, placeholders: Placeholders) -> str:
        """The checks' text, joined with ``AND``."""
        expression = " AND ".join(check.compile(placeholders) for check in self.checks)
        size = len(expression.encode())
        operators = 2 * len(self.checks) - 1
        if size > _MAX_EXPRESSION_BYTES or operators > _MAX_EXPRESSION_OPERATORS:
            raise RequestValidationError(
                f"{self.refusal}: the condition would take {operators} operators and "
                f"{size} bytes, and DynamoDB allows {_MAX_EXPRESSION_OPERATORS} operators "
                f"and 4 KB; {self.remedy}"
            )
        return expression


def _write_result(response: bool | Body, capacity: str | None) -> bool | WriteResult:
    """boto 2's ``True``, or a :class:`WriteResult` when capacity was asked for."""
    if capacity:
        consumed = response.get("ConsumedCapacity") if isinstance(response, Mapping) else None
        return WriteResult(capacity_entries(consumed))
    return True


def wire_equal(left: Any, right: Any) -> bool:
    """Whether two attribute values hold the same data.

    Sets compare regardless of order and numbers by value (``"1.50"`` equals ``"1.5"``).
    """
    if left == right:
        return True
    if type(left) is not dict or type(right) is not dict or len(left) != 1 or len(right) != 1:
        return False
    ((tag, payload),) = left.items()
    ((other_tag, other_payload),) = right.items()
    if tag != other_tag:
        return False
    if tag == "N":
        return _same_number(payload, other_payload)
    if tag in ("SS", "BS"):
        return len(payload) == len(other_payload) and set(payload) == set(other_payload)
    if tag == "NS":
        return len(payload) == len(other_payload) and {Decimal(n) for n in payload} == {
            Decimal(n) for n in other_payload
        }
    if tag == "M":
        return payload.keys() == other_payload.keys() and all(
            wire_equal(value, other_payload[name]) for name, value in payload.items()
        )
    if tag == "L":
        return len(payload) == len(other_payload) and all(
            wire_equal(a, b) for a, b in zip(payload, other_payload, strict=True)
        )
    return False


def _same_number(left: str, right: str) -> bool:
    try:
        return Decimal(left) == Decimal(right)
    except ArithmeticError:
        return False


#: Dynamizers whose decoded values encode back, by :data:`_TAGGED`, to the type tags
#: they were decoded from: ``str`` was ``S``, ``bool`` was ``BOOL``, any number ``N``,
#: ``Binary`` ``B``, ``None`` ``NULL``, a set of each ``SS``/``NS``/``BS``, a list ``L`` and
#: a dict ``M``. Items of a table with another dynamizer (a subclass, boto 2's hooks) keep
#: their wire form.
_TAG_PRESERVING: Final = frozenset(
    {Dynamizer, NonBooleanDynamizer, NativeNumberDynamizer, NonBooleanNativeNumberDynamizer}
)
#: Encodes loaded values back to their wire form (booleans as ``BOOL``, as loaded).
_TAGGED: Final = Dynamizer()
_MUTABLE: Final = frozenset({set, list, dict})


#: ``_original`` of an item of a result set's page until it is first decoded: that
#: decoding's values are kept there, for settling (see ``Item._settle``).
class _KeepDecoded:
    """The type of :data:`_KEEP_DECODED` (pickled by name, so it stays the one)."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "_KEEP_DECODED"


_KEEP_DECODED: Final = _KeepDecoded()
#: Attribute names of decoded items, one tuple for all the items of one shape.
_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_NAMES: Final = 4096


class _FrozenSet(tuple):  # type: ignore[type-arg]
    """A loaded set, kept as a tuple (a third of a frozenset's memory)."""

    __slots__ = ()


def _still_stored(value: Any, old: AttributeValue | None) -> bool:
    """Whether ``value``, one of boto 2's "no attribute" values (``None``, ``""``, an
    empty set...), is what the stored ``old`` reads as: ``None`` for a stored ``NULL``,
    ``""`` or ``b""`` for a stored empty string or binary (which DynamoDB has stored
    since 2020). Such a value is unchanged, kept as stored, not deleted."""
    if old is None:
        return False
    if value is None:
        return old == _NULL
    if isinstance(value, str):
        return old == _EMPTY_STRING
    if isinstance(value, bytes):
        return old == _EMPTY_BINARY
    return False


def _names_of(data: dict[str, Any]) -> tuple[str, ...]:
    names = tuple(data)
    if len(_NAMES) >= _MAX_NAMES:
        _NAMES.clear()  # many shapes: start again rather than grow
    return _NAMES.setdefault(names, names)


def _frozen_values(data: dict[str, Any]) -> tuple[Any, ...]:
    """The values of a decoded item as loaded: the values themselves where they cannot
    change, copies where they can (sets, lists and maps, which their owner may change in
    place), so that what was loaded is known after any change."""
    # A plain comprehension: faster than finding the mutable values with map() in C and
    # visiting only those (by a third to a half, from 5 to 20 attributes, with or
    # without sets, lists and maps among them).
    return tuple([_frozen(value) if type(value) in _MUTABLE else value for value in data.values()])


def _frozen(value: Any) -> Any:
    kind = type(value)
    if kind is set:
        return _FrozenSet(value)
    # A list or map of values that cannot change is copied in C, as the common case.
    flat = _MUTABLE.isdisjoint(map(type, value.values() if kind is dict else value))
    if kind is list:
        if flat:
            return tuple(value)
        return tuple([_frozen(member) if type(member) in _MUTABLE else member for member in value])
    if flat:
        return dict(value)
    return {
        name: _frozen(member) if type(member) in _MUTABLE else member
        for name, member in value.items()
    }


def _loaded_container(dynamizer: Dynamizer, attr: Mapping[str, Any]) -> Any:
    """A set, list or map attribute as loaded, decoded again from its wire form ``attr``
    (which decoded once already) straight to the form :func:`_frozen` keeps."""
    # The common tags straight, in the decoder's order (see _make_decoders); anything
    # else, such as a malformed value holding several tags, as the decoder reads it.
    if "S" not in attr and "N" not in attr and "BOOL" not in attr:
        if "M" in attr:
            return _frozen(dynamizer._decode_map(attr["M"]))
        if "L" in attr:
            return _frozen(dynamizer._decode_list(attr["L"]))
        if "SS" in attr:
            return _FrozenSet(set(attr["SS"]))
        if "NS" in attr:
            return _FrozenSet(set(map(dynamizer._number, attr["NS"])))
    return _frozen(dynamizer._decode_map({"": attr})[""])


def _thawed(value: Any) -> Any:
    """A loaded value as :data:`_TAGGED` encodes it (sets as sets, lists as tuples)."""
    kind = type(value)
    if kind is _FrozenSet:
        return frozenset(value)
    if kind is tuple:
        return [_thawed(member) for member in value]
    if kind is dict:
        return {name: _thawed(member) for name, member in value.items()}
    return value


def _delete_options(
    condition: Compilable | None, return_consumed_capacity: ReturnConsumedCapacity | None
) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if condition is not None:
        options["condition"] = condition
    if return_consumed_capacity is not None:
        options["return_consumed_capacity"] = return_consumed_capacity
    return options
