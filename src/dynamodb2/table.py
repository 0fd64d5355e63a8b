"""Table: boto 2's high-level API to one DynamoDB table.

>>> from dynamodb2.fields import HashKey, RangeKey
>>> from dynamodb2.table import Table
>>> users = Table.create("users", schema=[HashKey("username")])        # doctest: +SKIP
>>> users.put_item(data={"username": "johndoe", "first_name": "John"})  # doctest: +SKIP
True
>>> users.get_item(username="johndoe")["first_name"]                    # doctest: +SKIP
'John'

Every public name, signature and default is boto 2.49's; what changed underneath
(expressions on the wire, compare-and-set saves, bugs fixed) is listed in
``docs/coming-from-boto2.md``.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, overload

from . import waiters
from ._filters import compile_filters, split_filter_keyword
from ._limits import binary_size, check_item_size, check_table_name
from ._parallel import parallel_scan
from ._placeholders import Compilable, Placeholders, all_of, compile_condition
from ._updates import UpdatePath, check_return_values, update_request
from ._wire import AttributeValue, Body
from .batch import BatchTable, KeyIdentity, WriteRequest, key_identity
from .capacity import WriteResult, capacity_entries, check_return_consumed_capacity
from .conditions import KeyCondition, KeyConditions
from .connection import Connection
from .exceptions import (
    ConditionalCheckFailedException,
    ItemNotFound,
    ParameterValidationError,
    QueryError,
    UnknownIndexFieldError,
    UnknownSchemaFieldError,
    UnsupportedTypeError,
)
from .fields import (
    AllIndex,
    BaseIndexField,
    BaseSchemaField,
    GlobalAllIndex,
    GlobalBaseIndexField,
    GlobalIncludeIndex,
    GlobalKeysOnlyIndex,
    HashKey,
    IncludeIndex,
    KeysOnlyIndex,
    RangeKey,
)
from .items import Item, is_storable
from .layer1 import DynamoDBConnection
from .results import BatchGetResultSet, ResultSet, check_max_page_size
from .ttl import TimeToLive, check_ttl_attribute_name
from .types import (
    FILTER_OPERATORS,
    QUERY_OPERATORS,
    STRING,
    Dynamizer,
    NativeNumberDynamizer,
    NonBooleanDynamizer,
    make_dynamizer,
)
from .waiters import DEFAULT_TIMEOUT

__all__ = ["BatchTable", "Table", "UpdatePath"]

logger = logging.getLogger("dynamodb2.table")

_DEFAULT_THROUGHPUT: Final = {"read": 5, "write": 5}
_PROVISIONED: Final = "PROVISIONED"
_ON_DEMAND: Final = "PAY_PER_REQUEST"
_STREAM_VIEW_TYPES: Final = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
_TABLE_CLASSES: Final = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")
_MAX_PARTITION_KEY_BYTES: Final = 2048
_MAX_SORT_KEY_BYTES: Final = 1024
_KEY_TYPE_NAMES: Final = {"S": "STRING", "N": "NUMBER", "B": "BINARY"}

_LOCAL_INDEX_CLASSES: Final[dict[str, type[BaseIndexField]]] = {
    "ALL": AllIndex,
    "KEYS_ONLY": KeysOnlyIndex,
    "INCLUDE": IncludeIndex,
}
_GLOBAL_INDEX_CLASSES: Final[dict[str, type[BaseIndexField]]] = {
    "ALL": GlobalAllIndex,
    "KEYS_ONLY": GlobalKeysOnlyIndex,
    "INCLUDE": GlobalIncludeIndex,
}


class Table:
    """One DynamoDB table: items, queries, scans, batches and the table's own settings.

    Args:
        table_name: the table's name.
        schema: its key, ``[HashKey(...)]`` or ``[HashKey(...), RangeKey(...)]``; learnt
            from ``describe()`` the first time it is needed if not given.
        throughput: ``{"read": 5, "write": 5}`` (used by :meth:`create`).
        indexes: its local secondary indexes.
        global_indexes: its global secondary indexes.
        connection: a :class:`~dynamodb2.layer1.DynamoDBConnection` or a
            :class:`~dynamodb2.connection.Connection`; a new one from the environment's
            configuration if not given.

    A Table may be shared between threads; the :class:`ResultSet` and
    :class:`BatchTable` objects it returns belong to one thread each.
    """

    #: Keys per BatchGetItem request (DynamoDB's limit is 100).
    max_batch_get: int = 100

    def __init__(
        self,
        table_name: str,
        schema: Sequence[BaseSchemaField] | None = None,
        throughput: Mapping[str, int] | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        connection: DynamoDBConnection | Connection | None = None,
    ) -> None:
        check_table_name(table_name)
        self.table_name = table_name
        if connection is None:
            connection = DynamoDBConnection()
        elif isinstance(connection, Connection):
            connection = DynamoDBConnection(connection=connection)
        #: The boto 2-style layer1 connection (``table.connection.describe_table(...)``).
        self.connection: DynamoDBConnection = connection
        self._connection: Connection = connection.connection
        self.throughput: dict[str, int] = dict(throughput or _DEFAULT_THROUGHPUT)
        self.schema: list[BaseSchemaField] | None = list(schema) if schema else None
        self.indexes: list[BaseIndexField] | None = list(indexes) if indexes else None
        self.global_indexes: list[BaseIndexField] | None = (
            list(global_indexes) if global_indexes else None
        )
        self._dynamizer: Dynamizer = NonBooleanDynamizer()
        # Key types are checked client-side only when they come from DynamoDB itself
        # (describe) or from create(): a hand-written schema may leave types at STRING.
        self._key_types: dict[str, str] | None = None
        self._described = False
        # Threads sharing a table that has yet to learn its schema describe it once.
        self._describe_lock = threading.Lock()
        #: The table's billing mode, once known ("PROVISIONED" or "PAY_PER_REQUEST").
        self.billing_mode: str | None = None

    def __repr__(self) -> str:
        return f"Table({self.table_name!r})"

    @property
    def dynamizer(self) -> Dynamizer:
        """The dynamizer that encodes and decodes this table's values."""
        return self._dynamizer

    def use_boolean(self) -> None:
        """Store ``True``/``False`` as DynamoDB booleans (boto 2 stored 1/0 by default).

        Keeps the number handling chosen by :meth:`use_native_numbers`.
        """
        self._dynamizer = make_dynamizer(
            booleans=True,
            native_numbers=isinstance(self._dynamizer, NativeNumberDynamizer),
        )

    def use_native_numbers(self) -> None:
        """Read numbers as ``int`` (integral) or ``float`` (when exact), not ``Decimal``.

        >>> table.use_native_numbers()                        # doctest: +SKIP
        >>> table.get_item(username="jane")["age"]            # doctest: +SKIP
        42

        A number no float holds exactly (``0.1000000000000000000001``) stays a
        ``Decimal``. Keeps the boolean handling chosen by :meth:`use_boolean`; applies to
        items read afterwards. Trade-offs: ``docs/numbers.md``.
        """
        self._dynamizer = make_dynamizer(
            booleans=self._dynamizer.booleans_as_bool, native_numbers=True
        )

    # ------------------------------------------------------------------ table lifecycle

    @classmethod
    def create(
        cls,
        table_name: str,
        schema: Sequence[BaseSchemaField],
        throughput: Mapping[str, int] | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        connection: DynamoDBConnection | Connection | None = None,
        *,
        billing_mode: str | None = None,
        stream_specification: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None,
        table_class: str | None = None,
        deletion_protection_enabled: bool | None = None,
    ) -> Table:
        """Create the table in DynamoDB and return a :class:`Table` for it.

        >>> Table.create("users", schema=[HashKey("username")],
        ...              billing_mode="PAY_PER_REQUEST")          # doctest: +SKIP
        Table('users')

        ``billing_mode="PAY_PER_REQUEST"`` makes an on-demand table (no throughput, for
        the table and its global indexes). ``tags`` is ``{"team": "web"}`` or DynamoDB's
        ``[{"Key": ..., "Value": ...}]``.
        """
        if not schema:
            raise ParameterValidationError("Table.create needs a schema: [HashKey(...), ...]")
        _check_schema(schema)
        _check_billing_mode(billing_mode)
        _check_stream_specification(stream_specification)
        if table_class not in (None, *_TABLE_CLASSES):
            raise ParameterValidationError(
                f"table_class must be one of {', '.join(_TABLE_CLASSES)}, not {table_class!r}"
            )
        on_demand = billing_mode == _ON_DEMAND
        if on_demand and throughput is not None:
            raise ParameterValidationError(
                "an on-demand (PAY_PER_REQUEST) table takes no throughput"
            )
        table = cls(
            table_name,
            schema=schema,
            throughput=throughput,
            indexes=indexes,
            global_indexes=global_indexes,
            connection=connection,
        )
        definitions: dict[str, Any] = {}
        for field in schema:
            definitions.setdefault(field.name, field.definition())
        raw_indexes: dict[str, list[dict[str, Any]]] = {}
        for kind, index_list in (("local", indexes), ("global", global_indexes)):
            if not index_list:
                continue
            raw_indexes[kind] = []
            for index in index_list:
                index_schema = index.schema()
                if on_demand:
                    index_schema.pop("ProvisionedThroughput", None)
                raw_indexes[kind].append(index_schema)
                for part in index.parts:
                    known = definitions.setdefault(part.name, part.definition())
                    if known["AttributeType"] != part.data_type:
                        raise ParameterValidationError(
                            f"attribute {part.name!r} is typed {known['AttributeType']} in one "
                            f"place and {part.data_type} in index {index.name!r}"
                        )
        raw_throughput = None
        if not on_demand:
            checked = _checked_throughput(table.throughput)
            raw_throughput = {
                "ReadCapacityUnits": checked["read"],
                "WriteCapacityUnits": checked["write"],
            }
        table.connection.create_table(
            list(definitions.values()),
            table_name,
            [field.schema() for field in schema],
            raw_throughput,
            local_secondary_indexes=raw_indexes.get("local"),
            global_secondary_indexes=raw_indexes.get("global"),
            billing_mode=billing_mode,
            stream_specification=stream_specification,
            tags=_tag_list(tags),
            table_class=table_class,
            deletion_protection_enabled=deletion_protection_enabled,
        )
        table._key_types = {name: d["AttributeType"] for name, d in definitions.items()}
        table.billing_mode = billing_mode or _PROVISIONED
        if on_demand:
            table.throughput = {"read": 0, "write": 0}
        return table

    def describe(self) -> Body:
        """Fetch the table's description; learn its schema and indexes if not known.

        Returns DescribeTable's response (``{"Table": {...}}``).
        """
        result = self.connection.describe_table(self.table_name)
        table = result["Table"]
        self.billing_mode = (table.get("BillingModeSummary") or {}).get("BillingMode", _PROVISIONED)
        raw_throughput = table.get("ProvisionedThroughput") or {}
        # An on-demand table has no provisioned throughput (moto keeps reporting the
        # figures it had before a switch to on-demand; DynamoDB reports zeros).
        on_demand = self.billing_mode == _ON_DEMAND
        self.throughput["read"] = (
            0 if on_demand else int(raw_throughput.get("ReadCapacityUnits", 0))
        )
        self.throughput["write"] = (
            0 if on_demand else int(raw_throughput.get("WriteCapacityUnits", 0))
        )
        types = {
            d["AttributeName"]: d["AttributeType"] for d in table.get("AttributeDefinitions", [])
        }
        if not self.schema:
            self.schema = _introspect_schema(table.get("KeySchema", []), types)
        if not self.indexes:
            self.indexes = _introspect_indexes(
                table.get("LocalSecondaryIndexes", []), _LOCAL_INDEX_CLASSES, types
            )
        self.global_indexes = _introspect_indexes(
            table.get("GlobalSecondaryIndexes", []), _GLOBAL_INDEX_CLASSES, types
        )
        # Every attribute defined is a key attribute of the table or of an index.
        self._key_types = dict(types)
        self._described = True
        return result

    def update(
        self,
        throughput: Mapping[str, int] | None = None,
        global_indexes: Mapping[str, Mapping[str, int]] | None = None,
        *,
        billing_mode: str | None = None,
    ) -> bool:
        """Change the table's throughput, its global indexes' throughput, or its billing mode.

        >>> table.update(billing_mode="PAY_PER_REQUEST")                     # doctest: +SKIP
        True
        >>> table.update(throughput={"read": 5, "write": 5},
        ...              global_indexes={"by_email": {"read": 5, "write": 5}},
        ...              billing_mode="PROVISIONED")                          # doctest: +SKIP
        True

        Switching to ``"PAY_PER_REQUEST"`` (on-demand) takes no throughput; switching to
        ``"PROVISIONED"`` needs the table's ``throughput`` and one for each global index
        in ``global_indexes``. The change takes a while: see :meth:`wait_until_active`.
        Returns ``False`` (and logs) when given nothing to change, as boto 2 did.
        """
        if not throughput and not global_indexes and billing_mode is None:
            logger.error(
                "You need to provide either the throughput or the global_indexes to update method"
            )
            return False
        _check_billing_mode(billing_mode)
        self._check_billing_change(billing_mode, throughput, global_indexes)
        raw_throughput = None
        checked = _checked_throughput(throughput) if throughput else None
        if checked is not None:
            raw_throughput = {
                "ReadCapacityUnits": checked["read"],
                "WriteCapacityUnits": checked["write"],
            }
        self.connection.update_table(
            self.table_name,
            provisioned_throughput=raw_throughput,
            global_secondary_index_updates=_gsi_throughput_updates(global_indexes),
            billing_mode=billing_mode,
        )
        # Only a change DynamoDB accepted shows on this object (boto 2 set it first).
        if checked is not None:
            self.throughput = checked
        if billing_mode is not None:
            self.billing_mode = billing_mode
            if billing_mode == _ON_DEMAND:
                self.throughput = {"read": 0, "write": 0}
        return True

    def _check_billing_change(
        self,
        billing_mode: str | None,
        throughput: Mapping[str, int] | None,
        global_indexes: Mapping[str, Mapping[str, int]] | None,
    ) -> None:
        """Refuse throughput settings DynamoDB would refuse for the billing mode."""
        on_demand_after = billing_mode == _ON_DEMAND or (
            billing_mode is None and self.billing_mode == _ON_DEMAND
        )
        if on_demand_after and (throughput or global_indexes):
            if billing_mode == _ON_DEMAND:
                raise ParameterValidationError(
                    "billing_mode='PAY_PER_REQUEST' takes no throughput: an on-demand table "
                    "has no provisioned capacity (leave out throughput and global_indexes)"
                )
            raise ParameterValidationError(
                f"table {self.table_name!r} is billed per request (on-demand): it takes no "
                "throughput; switch with billing_mode='PROVISIONED' and give the throughput"
            )
        if billing_mode != _PROVISIONED:
            return
        if not throughput:
            raise ParameterValidationError(
                "billing_mode='PROVISIONED' needs throughput={'read': ..., 'write': ...}"
            )
        if self.billing_mode != _ON_DEMAND:
            return  # not known to be a switch: DynamoDB judges the indexes
        missing = [
            index.name
            for index in self.global_indexes or ()
            if index.name not in (global_indexes or {})
        ]
        if missing:
            raise ParameterValidationError(
                "switching to billing_mode='PROVISIONED' needs a throughput for every global "
                f"index; global_indexes= lacks {', '.join(map(repr, missing))}"
            )

    def create_global_secondary_index(self, global_index: GlobalBaseIndexField) -> bool:
        """Add a global secondary index to the table."""
        if not global_index:
            logger.error(
                "You need to provide the global_index to create_global_secondary_index method"
            )
            return False
        index_schema = global_index.schema()
        if self.billing_mode is None:
            # An on-demand table refuses an index with throughput: find out which it is.
            self.describe()
        if self.billing_mode == "PAY_PER_REQUEST":
            index_schema.pop("ProvisionedThroughput", None)
        self.connection.update_table(
            self.table_name,
            global_secondary_index_updates=[{"Create": index_schema}],
            attribute_definitions=global_index.definition(),
        )
        return True

    def delete_global_secondary_index(self, global_index_name: str) -> bool:
        """Remove a global secondary index from the table."""
        if not global_index_name:
            logger.error(
                "You need to provide the global index name to delete_global_secondary_index method"
            )
            return False
        self.connection.update_table(
            self.table_name,
            global_secondary_index_updates=[{"Delete": {"IndexName": global_index_name}}],
        )
        return True

    def update_global_secondary_index(
        self, global_indexes: Mapping[str, Mapping[str, int]]
    ) -> bool:
        """Change the throughput of global indexes: ``{"name": {"read": 2, "write": 2}}``."""
        if not global_indexes:
            logger.error(
                "You need to provide the global indexes to update_global_secondary_index method"
            )
            return False
        self.connection.update_table(
            self.table_name,
            global_secondary_index_updates=_gsi_throughput_updates(global_indexes),
        )
        return True

    def delete(self) -> bool:
        """Delete the table and every item in it."""
        self.connection.delete_table(self.table_name)
        return True

    def count(self) -> int:
        """The approximate item count DynamoDB reports (updated about every six hours)."""
        return int(self.describe()["Table"].get("ItemCount", 0))

    def wait_until_active(self, timeout: float = DEFAULT_TIMEOUT) -> Body:
        """Wait until the table and every global index are ``ACTIVE``; return the description.

        >>> users = Table.create("users", schema=[HashKey("username")])  # doctest: +SKIP
        >>> users.wait_until_active(timeout=60)                           # doctest: +SKIP

        Polls DescribeTable with capped backoff; raises
        :class:`~dynamodb2.exceptions.WaitTimeoutError` after ``timeout`` seconds.
        """
        return waiters.wait_until_active(
            self.describe,
            table_name=self.table_name,
            timeout=timeout,
            sleep=self._connection.sleep,
            clock=self._connection.clock,
        )

    def wait_until_deleted(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until DynamoDB no longer knows the table (after :meth:`delete`).

        >>> table.delete(); table.wait_until_deleted(timeout=60)     # doctest: +SKIP

        Raises :class:`~dynamodb2.exceptions.WaitTimeoutError` after ``timeout`` seconds.
        """
        waiters.wait_until_deleted(
            lambda: self.connection.describe_table(self.table_name),
            table_name=self.table_name,
            timeout=timeout,
            sleep=self._connection.sleep,
            clock=self._connection.clock,
        )

    # ------------------------------------------------------------------ time to live

    def describe_ttl(self) -> TimeToLive:
        """The table's time-to-live setting.

        >>> table.describe_ttl()                             # doctest: +SKIP
        TimeToLive(status='ENABLED', attribute_name='expires_at')
        """
        return TimeToLive.from_response(self.connection.describe_time_to_live(self.table_name))

    def enable_ttl(self, attribute_name: str) -> bool:
        """Have DynamoDB delete items once the epoch-seconds time in ``attribute_name`` passes.

        >>> table.enable_ttl("expires_at")                   # doctest: +SKIP
        True

        Returns ``False`` without asking for a change if it is already on for that
        attribute (DynamoDB refuses to enable it twice), and raises
        :class:`~dynamodb2.exceptions.ParameterValidationError` while it is on for another
        attribute (DynamoDB refuses that switch). DynamoDB also refuses more than one
        change per table in about an hour.
        """
        check_ttl_attribute_name(attribute_name)
        current = self.describe_ttl()
        if current.enabled and current.attribute_name == attribute_name:
            return False
        if current.enabled and current.attribute_name is not None:
            raise ParameterValidationError(
                f"time to live on table {self.table_name!r} is on for "
                f"{current.attribute_name!r}: DynamoDB switches it to another attribute only "
                "after disable_ttl() (and allows one change per table in about an hour)"
            )
        self.connection.update_time_to_live(
            self.table_name, {"Enabled": True, "AttributeName": attribute_name}
        )
        return True

    def disable_ttl(self) -> bool:
        """Stop expiring items. Returns ``False`` if time to live was not on.

        >>> table.disable_ttl()                              # doctest: +SKIP
        True
        """
        current = self.describe_ttl()
        if not current.enabled or current.attribute_name is None:
            return False
        # DynamoDB wants the attribute being switched off named.
        self.connection.update_time_to_live(
            self.table_name, {"Enabled": False, "AttributeName": current.attribute_name}
        )
        return True

    # ------------------------------------------------------------------ keys

    def get_key_fields(self) -> list[str]:
        """The key attribute names, partition key first (describes the table if needed)."""
        if not self.schema:
            self._describe_once(lambda: not self.schema)
        assert self.schema is not None
        return [field.name for field in self.schema]

    def _describe_once(self, still_needed: Callable[[], bool]) -> None:
        """Describe the table unless another thread did while this one waited."""
        with self._describe_lock:
            if still_needed():
                self.describe()

    def _encode_key(self, key: Mapping[str, Any]) -> dict[str, AttributeValue]:
        """A key in wire form, after checking it names exactly the key attributes."""
        fields = self.get_key_fields()
        missing = [name for name in fields if key.get(name) is None]
        key_list = f"table {self.table_name!r} (key: {', '.join(fields)})"
        if missing:
            raise _about_attributes(
                missing,
                f"missing key attribute of {key_list}",
                f"missing key attributes of {key_list}",
            )
        extra = [name for name in key if name not in fields]
        if extra:
            raise _about_attributes(
                extra, f"not a key attribute of {key_list}", f"not key attributes of {key_list}"
            )
        encoded = self._dynamizer.encode_item({name: key[name] for name in fields})
        self._check_key(encoded)
        return encoded

    def _key_of(self, item: Mapping[str, AttributeValue]) -> dict[str, AttributeValue]:
        """The key part of a wire item."""
        key: dict[str, AttributeValue] = {}
        for name in self.get_key_fields():
            value = item.get(name)
            if value is None:
                raise ParameterValidationError(
                    f"the item has no value for this key attribute of table {self.table_name!r}",
                    attribute=name,
                )
            key[name] = value
        return key

    def _check_key(self, key: Mapping[str, AttributeValue]) -> None:
        """Refuse key values DynamoDB would refuse: wrong type, empty, too long."""
        fields = self.get_key_fields()
        for position, name in enumerate(fields):
            value: Mapping[str, Any] = key[name]
            ((tag, payload),) = value.items()
            expected = self._key_types.get(name) if self._key_types else None
            if tag not in _KEY_TYPE_NAMES or (expected is not None and tag != expected):
                wanted = _KEY_TYPE_NAMES.get(expected or "", "STRING, NUMBER or BINARY")
                raise ParameterValidationError(
                    f"key attribute of table {self.table_name!r} must be {wanted}, "
                    f"not {_describe_tag(tag)}",
                    attribute=name,
                )
            if tag == "S":
                size = len(payload.encode("utf-8"))
            elif tag == "B":
                size = binary_size(payload)
            else:
                continue
            if size == 0:
                raise ParameterValidationError("key attributes cannot be empty", attribute=name)
            limit = _MAX_PARTITION_KEY_BYTES if position == 0 else _MAX_SORT_KEY_BYTES
            if size > limit:
                kind = "partition" if position == 0 else "sort"
                raise ParameterValidationError(
                    f"{kind} key is {size} bytes; DynamoDB allows at most {limit}",
                    attribute=name,
                )

    def _encode_new_item(
        self, data: Mapping[str, Any], *, store_empty: bool = False
    ) -> dict[str, AttributeValue]:
        """A whole item in wire form (without "no attribute" values unless ``store_empty``),
        key checked."""
        if isinstance(data, Item):
            data = dict(data.items())
        item = self._dynamizer.encode_item(
            data
            if store_empty
            else {name: value for name, value in data.items() if is_storable(value)}
        )
        self._check_key(self._key_of(item))
        check_item_size(item)
        return item

    # ------------------------------------------------------------------ single items

    def get_item(
        self,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        *,
        return_consumed_capacity: str | None = None,
        **kwargs: Any,
    ) -> Item:
        """The item with this key (``get_item(username="johndoe")``).

        Raises :class:`~dynamodb2.exceptions.ItemNotFound` if there is none.
        ``attributes`` limits which attributes are returned. With
        ``return_consumed_capacity="TOTAL"`` the item's ``consumed_capacity`` says what
        the read cost.
        """
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        body: Body = {"TableName": self.table_name, "Key": self._encode_key(kwargs)}
        if consistent:
            body["ConsistentRead"] = True
        if attributes:
            placeholders = Placeholders(self._dynamizer)
            body["ProjectionExpression"] = _projection(attributes, placeholders)
            placeholders.add_to(body)
        if capacity:
            body["ReturnConsumedCapacity"] = capacity
        response = self._connection.get_item(body)
        wire_item = response.get("Item")
        if wire_item is None:
            raise ItemNotFound(f"Item {kwargs} couldn't be found.")
        item = Item.from_wire(self, wire_item, partial=bool(attributes))
        if capacity:
            item._capacity = capacity_entries(response.get("ConsumedCapacity"))
        return item

    def has_item(self, **kwargs: Any) -> bool:
        """Whether an item with this key exists (takes ``get_item``'s arguments).

        Unlike boto 2, errors other than "not found" (a missing table, throttling) are
        raised rather than reported as ``False``.
        """
        try:
            self.get_item(**kwargs)
        except ItemNotFound:
            return False
        return True

    def lookup(self, *args: Any, **kwargs: Any) -> Item | None:
        """The item with this key, or ``None``. Key values may be positional, in schema
        order: ``lookup("johndoe")``, ``lookup("forum", "subject")``."""
        fields = self.get_key_fields()
        if len(args) > len(fields):
            raise ParameterValidationError(
                f"lookup got {len(args)} key values; table {self.table_name!r} has "
                f"{len(fields)} key attributes ({', '.join(fields)})"
            )
        for name, value in zip(fields, args, strict=False):
            kwargs[name] = value
        try:
            return self.get_item(**kwargs)
        except ItemNotFound:
            return None

    def new_item(self, *args: Any) -> Item:
        """A new, unsaved item with its key attributes set from ``args`` in schema order."""
        fields = self.get_key_fields()
        if len(args) > len(fields):
            raise ParameterValidationError(
                f"new_item got {len(args)} key values; table {self.table_name!r} has "
                f"{len(fields)} key attributes ({', '.join(fields)})"
            )
        return Item(self, data=dict(zip(fields, args, strict=False)))

    @overload
    def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: str | None = None,
    ) -> bool | WriteResult: ...

    def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: str | None = None,
    ) -> bool | WriteResult:
        """Write a new item. Without ``overwrite``, fails with
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` if an item with
        the same key exists. ``condition`` adds a condition of your own.

        Returns ``True``, or a truthy :class:`~dynamodb2.capacity.WriteResult` carrying
        the consumed capacity when ``return_consumed_capacity`` asks for it.
        """
        return Item(self, data=data).save(
            overwrite=overwrite,
            condition=condition,
            return_consumed_capacity=return_consumed_capacity,
        )

    @overload
    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
        **kwargs: Any,
    ) -> bool: ...

    @overload
    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: str | None = None,
        **kwargs: Any,
    ) -> bool | WriteResult: ...

    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: str | None = None,
        **kwargs: Any,
    ) -> bool | WriteResult:
        """Delete the item with this key (``delete_item(username="johndoe")``).

        ``expected`` holds boto 2-style conditions (``{"status__eq": "inactive"}``);
        ``condition`` a built one. Returns ``False`` if a condition failed; otherwise
        ``True``, or a truthy :class:`~dynamodb2.capacity.WriteResult` when
        ``return_consumed_capacity`` asks for the consumed capacity.
        """
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        body: Body = {"TableName": self.table_name, "Key": self._encode_key(kwargs)}
        placeholders = Placeholders(self._dynamizer)
        clauses = []
        legacy = compile_filters(
            expected, FILTER_OPERATORS, placeholders, conditional_operator=conditional_operator
        )
        if legacy:
            clauses.append(legacy)
        if condition is not None:
            clauses.append(compile_condition(condition, placeholders, parameter="condition"))
        if clauses:
            body["ConditionExpression"] = all_of(clauses)
            placeholders.add_to(body)
        if capacity:
            body["ReturnConsumedCapacity"] = capacity
        try:
            response = self._connection.delete_item(body)
        except ConditionalCheckFailedException:
            return False
        return _write_result(response, capacity)

    def update_item(
        self,
        key: Mapping[str, Any],
        *,
        set: Mapping[UpdatePath, Any] | None = None,
        add: Mapping[UpdatePath, Any] | None = None,
        remove: Iterable[UpdatePath] | None = None,
        delete: Mapping[UpdatePath, Any] | None = None,
        append: Mapping[UpdatePath, Any] | None = None,
        prepend: Mapping[UpdatePath, Any] | None = None,
        set_if_not_exists: Mapping[UpdatePath, Any] | None = None,
        condition: Compilable | None = None,
        return_values: str = "NONE",
        return_consumed_capacity: str | None = None,
    ) -> Item | None:
        """Change attributes of one item in one ``UpdateItem``, creating it if absent.

        >>> table.update_item({"username": "jo"}, add={"visits": 1},
        ...                   set={"profile.city": "Oslo"}, remove=["temp"],
        ...                   condition=Attr("banned").not_exists())   # doctest: +SKIP

        Paths are as for :class:`~dynamodb2.conditions.Attr`; see :mod:`dynamodb2._updates`
        for the actions. ``return_values`` (``NONE ALL_OLD UPDATED_OLD ALL_NEW
        UPDATED_NEW``) chooses what comes back as an :class:`Item` (``None`` when nothing
        does). With ``return_consumed_capacity``, an :class:`Item` always comes back (empty
        if there were no attributes), carrying ``consumed_capacity``. Raises
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` if ``condition``
        fails.
        """
        check_return_values(return_values)
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        body = update_request(
            self,
            key,
            set=set,
            add=add,
            remove=remove,
            delete=delete,
            append=append,
            prepend=prepend,
            set_if_not_exists=set_if_not_exists,
            condition=condition,
        )
        if return_values != "NONE":
            body["ReturnValues"] = return_values
        if capacity:
            body["ReturnConsumedCapacity"] = capacity
        response = self._connection.update_item(body)
        attributes = response.get("Attributes") if return_values != "NONE" else None
        if not attributes and not capacity:
            return None
        item = Item.from_wire(self, attributes or {})
        if capacity:
            item._capacity = capacity_entries(response.get("ConsumedCapacity"))
        return item

    # The two writes Item.save / Item.partial_save make.

    def _write_item(
        self,
        item: dict[str, AttributeValue],
        placeholders: Placeholders,
        condition: str | None,
        return_consumed_capacity: str | None = None,
    ) -> Body:
        self._check_key(self._key_of(item))
        check_item_size(item)
        body: Body = {"TableName": self.table_name, "Item": item}
        if condition:
            body["ConditionExpression"] = condition
        placeholders.add_to(body)
        if return_consumed_capacity:
            body["ReturnConsumedCapacity"] = return_consumed_capacity
        return self._connection.put_item(body)

    def _update_item_expression(
        self,
        key: dict[str, AttributeValue],
        placeholders: Placeholders,
        update_expression: str | None,
        condition: str | None,
        return_consumed_capacity: str | None = None,
    ) -> Body:
        self._check_key(key)
        body: Body = {"TableName": self.table_name, "Key": key}
        if update_expression:
            body["UpdateExpression"] = update_expression
        if condition:
            body["ConditionExpression"] = condition
        placeholders.add_to(body)
        if return_consumed_capacity:
            body["ReturnConsumedCapacity"] = return_consumed_capacity
        return self._connection.update_item(body)

    # ------------------------------------------------------------------ batches

    def batch_write(self, *, return_consumed_capacity: str | None = None) -> BatchTable:
        """A :class:`BatchTable` for buffered puts and deletes (use it with ``with``).

        With ``return_consumed_capacity``, the batch sums what its requests consumed in
        ``consumed_capacity`` / ``consumed_capacity_units``.
        """
        return BatchTable(
            self, return_consumed_capacity=check_return_consumed_capacity(return_consumed_capacity)
        )

    def _batch_write(
        self, requests: list[WriteRequest], return_consumed_capacity: str | None = None
    ) -> Body:
        body: Body = {"RequestItems": {self.table_name: requests}}
        if return_consumed_capacity:
            body["ReturnConsumedCapacity"] = return_consumed_capacity
        return self._connection.batch_write_item(body)

    def _backoff(self, attempt: int) -> float:
        return self._connection.backoff(attempt)

    @property
    def _max_attempts(self) -> int:
        return self._connection.retry.max_attempts

    def batch_get(
        self,
        keys: Sequence[Mapping[str, Any]],
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        *,
        return_consumed_capacity: str | None = None,
    ) -> BatchGetResultSet:
        """The items for a list of keys, fetched lazily, 100 keys per request.

        Each existing item is returned once (repeated keys are asked for once), in no
        particular order; keys with no item are skipped. With
        ``return_consumed_capacity``, the result set sums the capacity of its requests.
        """
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        unique: dict[KeyIdentity, dict[str, Any]] = {}
        for key in keys:
            # 1, 1.0 and Decimal("1.0") are one key: DynamoDB refuses a request that
            # names a key twice.
            unique.setdefault(key_identity(self._encode_key(key)), dict(key))
        results = BatchGetResultSet(
            keys=list(unique.values()),
            max_batch_get=self.max_batch_get,
            backoff=self._backoff,
            max_attempts=self._max_attempts,
        )
        results.to_call(
            self._batch_get,
            consistent=consistent,
            attributes=attributes,
            return_consumed_capacity=capacity,
        )
        return results

    def _batch_get(
        self,
        keys: Sequence[Mapping[str, Any]],
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        return_consumed_capacity: str | None = None,
    ) -> dict[str, Any]:
        request: Body = {"Keys": [self._encode_key(key) for key in keys]}
        if consistent:
            request["ConsistentRead"] = True
        if attributes:
            placeholders = Placeholders(self._dynamizer)
            request["ProjectionExpression"] = _projection(attributes, placeholders)
            if placeholders.names:
                request["ExpressionAttributeNames"] = placeholders.names
        body: Body = {"RequestItems": {self.table_name: request}}
        if return_consumed_capacity:
            body["ReturnConsumedCapacity"] = return_consumed_capacity
        response = self._connection.batch_get_item(body)
        wire_items = response.get("Responses", {}).get(self.table_name, [])
        unprocessed = (response.get("UnprocessedKeys") or {}).get(self.table_name, {})
        decode = self._dynamizer.decode_item
        return {
            "results": [
                Item.from_wire(self, wire_item, partial=bool(attributes))
                for wire_item in wire_items
            ],
            "last_key": None,
            "unprocessed_keys": [decode(key) for key in unprocessed.get("Keys", [])],
            # Some implementations report capacity unasked: keep it only when asked for.
            "consumed_capacity": response.get("ConsumedCapacity")
            if return_consumed_capacity
            else None,
        }

    # ------------------------------------------------------------------ queries

    def query(
        self,
        limit: int | None = None,
        index: str | None = None,
        reverse: bool = False,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        max_page_size: int | None = None,
        **filter_kwargs: Any,
    ) -> ResultSet:
        """Deprecated boto 2 form of :meth:`query_2`, whose ``reverse`` meant the opposite."""
        warnings.warn(
            "Table.query is deprecated (as in boto 2): use query_2, whose reverse= is not inverted",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.query_2(
            limit=limit,
            index=index,
            reverse=not reverse,
            consistent=consistent,
            attributes=attributes,
            max_page_size=max_page_size,
            **filter_kwargs,
        )

    def query_2(
        self,
        limit: int | None = None,
        index: str | None = None,
        reverse: bool = False,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        max_page_size: int | None = None,
        query_filter: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        *,
        filter: Compilable | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: str | None = None,
        key_condition: KeyCondition | KeyConditions | None = None,
        **filter_kwargs: Any,
    ) -> ResultSet:
        """The items matching key conditions, lazily, in sort key order.

        >>> table.query_2(username__eq="johndoe", date_joined__gte=1700000000,
        ...               reverse=True, limit=10)                  # doctest: +SKIP

        Key conditions are ``<key>__<op>=value`` with ``eq lt lte gt gte beginswith
        between``; the partition key needs ``__eq``. ``query_filter`` holds boto 2-style
        filters on other attributes (``{"title__contains": "boto"}``), joined by
        ``conditional_operator``; ``filter`` a built condition. ``reverse=True`` returns
        the highest sort keys first. ``exclusive_start_key`` resumes after a key from
        :attr:`ResultSet.last_evaluated_key`. ``key_condition`` takes built key conditions
        (``Key("username").eq("jo") & Key("joined").gt(0)``), instead of or beside the
        keywords. ``return_consumed_capacity`` makes the result set sum the capacity read.
        """
        filter_kwargs = _joined_bounds(filter_kwargs)
        self._check_key_conditions(filter_kwargs, index, key_condition)
        return_consumed_capacity = check_return_consumed_capacity(return_consumed_capacity)
        # Compile once now so a bad filter or value fails here, before any request
        # (pages are fetched, and compiled, only when iteration reaches them).
        self._query_body(
            key_conditions=filter_kwargs,
            key_condition=key_condition,
            index=index,
            reverse=reverse,
            consistent=consistent,
            attributes=attributes,
            query_filter=query_filter,
            conditional_operator=conditional_operator,
            filter=filter,
            limit=None,
            exclusive_start_key=None,
        )
        results = ResultSet(
            max_page_size=max_page_size, key_names=lambda: self._resume_key_names(index)
        )
        results.to_call(
            self._query,
            limit=limit,
            index=index,
            reverse=reverse,
            consistent=consistent,
            attributes=attributes,
            query_filter=query_filter,
            conditional_operator=conditional_operator,
            filter=filter,
            return_consumed_capacity=return_consumed_capacity,
            key_conditions=filter_kwargs,
            key_condition=key_condition,
        )
        # Checked now, before any request; kept in the form pages resume from.
        if exclusive_start_key is not None and self._encode_start_key(exclusive_start_key):
            results._last_key_seen = dict(exclusive_start_key)
        return results

    def query_count(
        self,
        index: str | None = None,
        consistent: bool = False,
        conditional_operator: str | None = None,
        query_filter: Mapping[str, Any] | None = None,
        scan_index_forward: bool = True,
        limit: int | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        *,
        filter: Compilable | None = None,
        key_condition: KeyCondition | KeyConditions | None = None,
        **filter_kwargs: Any,
    ) -> int:
        """How many items match, counted by DynamoDB across every page.

        ``limit`` caps how many items DynamoDB reads (and so the read capacity spent).
        Key conditions are keywords as for :meth:`query_2`, or ``key_condition``.
        """
        filter_kwargs = _joined_bounds(filter_kwargs)
        self._check_key_conditions(filter_kwargs, index, key_condition)
        if limit is not None and limit < 0:
            raise ParameterValidationError(f"limit must be 0 or more, not {limit!r}")
        total = 0
        evaluated = 0
        start = self._encode_start_key(exclusive_start_key)
        while limit != 0:  # limit=0 counts nothing (DynamoDB would refuse Limit=0)
            body = self._query_body(
                key_conditions=filter_kwargs,
                key_condition=key_condition,
                index=index,
                reverse=not scan_index_forward,
                consistent=consistent,
                attributes=None,
                query_filter=query_filter,
                conditional_operator=conditional_operator,
                filter=filter,
                limit=None if limit is None else limit - evaluated,
                exclusive_start_key=start,
            )
            body["Select"] = "COUNT"
            response = self._connection.query(body)
            total += int(response.get("Count", 0))
            evaluated += int(response.get("ScannedCount") or response.get("Count") or 0)
            start = response.get("LastEvaluatedKey")
            if not start or (limit is not None and evaluated >= limit):
                return total
        return 0

    def _query(
        self,
        limit: int | None = None,
        index: str | None = None,
        reverse: bool = False,
        consistent: bool = False,
        exclusive_start_key: Mapping[str, Any] | None = None,
        attributes: Sequence[str] | None = None,
        query_filter: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        filter: Compilable | None = None,
        return_consumed_capacity: str | None = None,
        key_conditions: Mapping[str, Any] | None = None,
        key_condition: KeyCondition | KeyConditions | None = None,
    ) -> dict[str, Any]:
        body = self._query_body(
            key_conditions=key_conditions or {},
            key_condition=key_condition,
            index=index,
            reverse=reverse,
            consistent=consistent,
            attributes=attributes,
            query_filter=query_filter,
            conditional_operator=conditional_operator,
            filter=filter,
            limit=limit,
            exclusive_start_key=self._encode_start_key(exclusive_start_key),
        )
        if return_consumed_capacity:
            body["ReturnConsumedCapacity"] = return_consumed_capacity
        partial = bool(attributes) or self._projects_some(index)
        return self._page(self._connection.query(body), partial=partial)

    def _query_body(
        self,
        *,
        key_conditions: Mapping[str, Any],
        key_condition: KeyCondition | KeyConditions | None = None,
        index: str | None,
        reverse: bool,
        consistent: bool,
        attributes: Sequence[str] | None,
        query_filter: Mapping[str, Any] | None,
        conditional_operator: str | None,
        filter: Compilable | None,
        limit: int | None,
        exclusive_start_key: dict[str, AttributeValue] | None,
    ) -> Body:
        placeholders = Placeholders(self._dynamizer)
        body: Body = {"TableName": self.table_name}
        key_clauses = []
        legacy = compile_filters(key_conditions, QUERY_OPERATORS, placeholders)
        if legacy:
            key_clauses.append(legacy)
        if key_condition is not None:
            key_clauses.append(key_condition.compile(placeholders))
        if key_clauses:
            body["KeyConditionExpression"] = " AND ".join(key_clauses)
        if reverse:
            body["ScanIndexForward"] = False
        _add_read_options(
            body,
            placeholders,
            filter_expression=_filter_expression(
                query_filter, conditional_operator, filter, placeholders
            ),
            attributes=attributes,
            index=index,
            consistent=consistent,
            limit=limit,
            exclusive_start_key=exclusive_start_key,
        )
        return body

    def _check_key_conditions(
        self,
        key_conditions: Mapping[str, Any],
        index: str | None,
        key_condition: KeyCondition | KeyConditions | None = None,
    ) -> None:
        """Raise QueryError unless the key conditions can make a valid query."""
        if key_condition is not None and not isinstance(
            key_condition, KeyCondition | KeyConditions
        ):
            raise QueryError(
                "key_condition takes conditions built with Key(...) "
                "(Key('username').eq('jo') & Key('joined').gt(0)), "
                f"not {type(key_condition).__name__}; put other conditions in filter="
            )
        if not key_conditions and key_condition is None:
            raise QueryError(
                "You must specify a key condition to query on, such as <hash key>__eq=value"
            )
        parsed = [split_filter_keyword(keyword, QUERY_OPERATORS) for keyword in key_conditions]
        if key_condition is not None:
            parsed.extend(key_condition.parsed)
        parts = self._key_parts_of(index)
        if parts is None:
            return  # an index this table does not know of: DynamoDB will judge
        hash_key = parts[0]
        range_key = parts[1] if len(parts) > 1 else None
        where = f"index {index!r}" if index else f"table {self.table_name!r}"
        if (hash_key, "eq") not in parsed:
            raise QueryError(
                f"a query on {where} needs {hash_key}__eq=value or Key({hash_key!r}).eq(value) "
                "(its partition key)"
            )
        for attribute, operator in parsed:
            if attribute == hash_key and operator != "eq":
                raise QueryError(
                    f"the partition key {hash_key!r} of {where} only takes __eq, not __{operator}"
                )
            if attribute not in (hash_key, range_key):
                raise QueryError(
                    f"{attribute!r} is not a key attribute of {where} "
                    f"(keys: {', '.join(p for p in parts if p)}); put conditions on other "
                    "attributes in query_filter"
                )
        if sum(1 for attribute, _ in parsed if attribute == range_key) > 1:
            raise QueryError(
                f"a query takes one condition on the sort key {range_key!r}: __gte with "
                "__lte are joined into one between, other pairs cannot be (use __between, "
                "which includes both ends)"
            )
        if sum(1 for attribute, _ in parsed if attribute == hash_key) > 1:
            raise QueryError(f"a query takes one condition on the partition key {hash_key!r}")
        self._check_key_condition_types(key_conditions, key_condition, where)

    def _check_key_condition_types(
        self,
        key_conditions: Mapping[str, Any],
        key_condition: KeyCondition | KeyConditions | None,
        where: str,
    ) -> None:
        """Refuse key condition values of another type than the key's (moto answers
        those with no items, DynamoDB with a ValidationException)."""
        key_types = self._key_types
        if not key_types:
            return  # types not known for sure (a schema given, not described)
        given: list[tuple[str, str, Sequence[Any]]] = []
        for keyword, value in key_conditions.items():
            attribute, operator = split_filter_keyword(keyword, QUERY_OPERATORS)
            between = operator == "between" and isinstance(value, list | tuple)
            given.append((attribute, operator, value if between else [value]))
        if key_condition is not None:
            given.extend((c.name, c.operator, c.values) for c in key_condition.conditions)
        for attribute, operator, values in given:
            expected = key_types.get(attribute)
            if expected is None:
                continue
            wanted = _KEY_TYPE_NAMES[expected]
            if operator in ("beginswith", "begins_with") and expected == "N":
                raise QueryError(
                    f"begins_with works on STRING and BINARY keys; {attribute!r} of {where} "
                    "is NUMBER (use between)"
                )
            for value in values:
                try:
                    ((tag, _),) = self._dynamizer.encode(value).items()
                except (ParameterValidationError, UnsupportedTypeError):
                    continue  # compiling the query reports it, naming the attribute
                if tag != expected:
                    raise ParameterValidationError(
                        f"key attribute of {where} is {wanted}; a condition on it takes "
                        f"{wanted} values, not {_describe_tag(tag)}",
                        attribute=attribute,
                    )

    def _key_parts_of(self, index: str | None) -> list[str] | None:
        if index is None:
            return self.get_key_fields()
        found = self._find_index(index)
        if found is None and not self._described:
            self._describe_once(lambda: not self._described)
            found = self._find_index(index)
        return None if found is None else [part.name for part in found.parts]

    def _resume_key_names(self, index: str | None) -> list[str] | None:
        """The attributes of a resume key: the table's key, plus the index's on an index."""
        names = self.get_key_fields()
        if index is not None:
            parts = self._key_parts_of(index)
            if parts is None:
                return None  # an index this table does not know of
            names += [part for part in parts if part not in names]
        return names

    def _find_index(self, name: str) -> BaseIndexField | None:
        known: list[BaseIndexField] = [*(self.indexes or ()), *(self.global_indexes or ())]
        for index in known:
            if index.name == name:
                return index
        return None

    # ------------------------------------------------------------------ scans

    def scan(
        self,
        limit: int | None = None,
        segment: int | None = None,
        total_segments: int | None = None,
        max_page_size: int | None = None,
        attributes: Sequence[str] | None = None,
        conditional_operator: str | None = None,
        *,
        filter: Compilable | None = None,
        index: str | None = None,
        consistent: bool = False,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: str | None = None,
        **filter_kwargs: Any,
    ) -> ResultSet:
        """Every item (matching the filters), lazily, a page at a time.

        >>> table.scan(age__gte=21, status__in=["active", "trial"])   # doctest: +SKIP

        Filters are ``<attribute>__<op>=value`` with ``eq ne lt lte gt gte nnull null
        contains ncontains beginswith in between``, joined by ``conditional_operator``.
        ``segment``/``total_segments`` scan one part of the table (parallel scans).
        """
        if (segment is None) != (total_segments is None):
            raise ParameterValidationError("give both segment and total_segments, or neither")
        return_consumed_capacity = check_return_consumed_capacity(return_consumed_capacity)
        # Compile once now so a bad filter fails here, before any request.
        _filter_expression(
            filter_kwargs, conditional_operator, filter, Placeholders(self._dynamizer)
        )
        results = ResultSet(
            max_page_size=max_page_size, key_names=lambda: self._resume_key_names(index)
        )
        results.to_call(
            self._scan,
            limit=limit,
            segment=segment,
            total_segments=total_segments,
            attributes=attributes,
            conditional_operator=conditional_operator,
            filter=filter,
            index=index,
            consistent=consistent,
            return_consumed_capacity=return_consumed_capacity,
            scan_filter=filter_kwargs,
        )
        # Checked now, before any request; kept in the form pages resume from.
        if exclusive_start_key is not None and self._encode_start_key(exclusive_start_key):
            results._last_key_seen = dict(exclusive_start_key)
        return results

    def parallel_scan(
        self,
        total_segments: int = 4,
        max_workers: int | None = None,
        *,
        max_page_size: int | None = None,
        attributes: Sequence[str] | None = None,
        conditional_operator: str | None = None,
        filter: Compilable | None = None,
        index: str | None = None,
        consistent: bool = False,
        **filter_kwargs: Any,
    ) -> Generator[Item, None, None]:
        """Every item (matching the filters) once, from segments scanned on threads.

        >>> for item in table.parallel_scan(total_segments=8, status__eq="active"):
        ...     process(item)                                           # doctest: +SKIP

        Takes :meth:`scan`'s filters; items come in no particular order. ``max_workers``
        threads (``total_segments`` by default, at most 32) fetch pages, at most one page each ahead
        of the consumer. Leaving the loop early stops them; a worker's error is raised
        here. Give the connection at least ``max_workers`` pooled connections
        (``Connection(max_pool_connections=...)``, 10 by default). See
        :mod:`dynamodb2._parallel`.
        """
        check_max_page_size(max_page_size)
        # Compile once now so a bad filter fails here, before any request.
        _filter_expression(
            filter_kwargs, conditional_operator, filter, Placeholders(self._dynamizer)
        )

        def fetch_page(
            segment: int, start_key: Mapping[str, Any] | None
        ) -> tuple[list[Item], dict[str, Any] | None]:
            page = self._scan(
                limit=max_page_size,
                exclusive_start_key=start_key,
                segment=segment,
                total_segments=total_segments,
                attributes=attributes,
                conditional_operator=conditional_operator,
                filter=filter,
                index=index,
                consistent=consistent,
                scan_filter=filter_kwargs,
            )
            return page["results"], page["last_key"]

        return parallel_scan(fetch_page, total_segments=total_segments, max_workers=max_workers)

    def _scan(
        self,
        limit: int | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        segment: int | None = None,
        total_segments: int | None = None,
        attributes: Sequence[str] | None = None,
        conditional_operator: str | None = None,
        filter: Compilable | None = None,
        index: str | None = None,
        consistent: bool = False,
        return_consumed_capacity: str | None = None,
        scan_filter: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        placeholders = Placeholders(self._dynamizer)
        body: Body = {"TableName": self.table_name}
        if segment is not None:
            body["Segment"] = segment
            body["TotalSegments"] = total_segments
        if return_consumed_capacity:
            body["ReturnConsumedCapacity"] = return_consumed_capacity
        _add_read_options(
            body,
            placeholders,
            filter_expression=_filter_expression(
                scan_filter, conditional_operator, filter, placeholders
            ),
            attributes=attributes,
            index=index,
            consistent=consistent,
            limit=limit,
            exclusive_start_key=self._encode_start_key(exclusive_start_key),
        )
        partial = bool(attributes) or self._projects_some(index)
        return self._page(self._connection.scan(body), partial=partial)

    # ------------------------------------------------------------------ pages

    def _projects_some(self, index: str | None) -> bool:
        """Whether reading through ``index`` returns only some attributes of each item."""
        if index is None:
            return False
        found = self._find_index(index)
        # An index this table does not know of is not marked: DynamoDB knows best.
        return found is not None and found.projection_type != "ALL"

    def _page(self, response: Body, *, partial: bool = False) -> dict[str, Any]:
        """A ResultSet page from a Query or Scan response."""
        last = response.get("LastEvaluatedKey")
        return {
            "results": [
                Item.from_wire(self, wire_item, partial=partial)
                for wire_item in response.get("Items", ())
            ],
            "last_key": self._dynamizer.decode_item(last) if last else None,
            "consumed_capacity": response.get("ConsumedCapacity"),
        }

    def _encode_start_key(self, key: Mapping[str, Any] | None) -> dict[str, AttributeValue] | None:
        if key is None:
            return None
        if not isinstance(key, Mapping):
            raise ParameterValidationError(
                "exclusive_start_key takes the mapping of key attributes a page ended on "
                f"(a ResultSet's last_evaluated_key), not {type(key).__name__}"
            )
        if not key:
            return None
        # A resume key holds the table key plus, on an index, the index's key.
        missing = [name for name in self.get_key_fields() if name not in key]
        if missing:
            raise _about_attributes(
                missing,
                "exclusive_start_key lacks this key attribute of the table",
                "exclusive_start_key lacks these key attributes of the table",
            )
        return self._dynamizer.encode_item(key)


# ---------------------------------------------------------------------- helpers


def _write_result(response: Body, capacity: str | None) -> bool | WriteResult:
    """boto 2's ``True``, or a :class:`WriteResult` when capacity was asked for."""
    if capacity:
        return WriteResult(capacity_entries(response.get("ConsumedCapacity")))
    return True


def _about_attributes(names: Sequence[str], one: str, several: str) -> ParameterValidationError:
    """An error about one attribute (named once, as ``attribute``) or about several."""
    if len(names) == 1:
        return ParameterValidationError(one, attribute=names[0])
    return ParameterValidationError(f"{', '.join(map(repr, names))}: {several}")


def _add_read_options(
    body: Body,
    placeholders: Placeholders,
    *,
    filter_expression: str | None,
    attributes: Sequence[str] | None,
    index: str | None,
    consistent: bool,
    limit: int | None,
    exclusive_start_key: dict[str, AttributeValue] | None,
) -> None:
    """The parts a Query and a Scan body share, and the request's placeholders."""
    if filter_expression:
        body["FilterExpression"] = filter_expression
    if attributes:
        body["ProjectionExpression"] = _projection(attributes, placeholders)
    if index:
        body["IndexName"] = index
    if consistent:
        body["ConsistentRead"] = True
    if limit is not None:
        body["Limit"] = limit
    if exclusive_start_key:
        body["ExclusiveStartKey"] = exclusive_start_key
    placeholders.add_to(body)


def _filter_expression(
    filter_kwargs: Mapping[str, Any] | None,
    conditional_operator: str | None,
    condition: Compilable | None,
    placeholders: Placeholders,
) -> str | None:
    clauses = []
    legacy = compile_filters(
        filter_kwargs, FILTER_OPERATORS, placeholders, conditional_operator=conditional_operator
    )
    if legacy:
        clauses.append(legacy)
    if condition is not None:
        clauses.append(compile_condition(condition, placeholders, parameter="filter"))
    return all_of(clauses)


def _projection(attributes: Sequence[str], placeholders: Placeholders) -> str:
    if isinstance(attributes, str):
        attributes = [attributes]
    return ", ".join(placeholders.name(name) for name in attributes)


def _describe_tag(tag: str) -> str:
    names = {
        "SS": "a string set",
        "NS": "a number set",
        "BS": "a binary set",
        "M": "a map",
        "L": "a list",
        "BOOL": "a boolean",
        "NULL": "null",
    }
    return names.get(tag, _KEY_TYPE_NAMES.get(tag, tag))


def _check_schema(schema: Sequence[BaseSchemaField]) -> None:
    if not 1 <= len(schema) <= 2:
        raise ParameterValidationError(f"a schema has one or two keys, not {len(schema)}")
    if not isinstance(schema[0], HashKey):
        raise ParameterValidationError("a schema starts with HashKey(...)")
    if len(schema) == 2 and not isinstance(schema[1], RangeKey):
        raise ParameterValidationError("the second key of a schema is a RangeKey(...)")


def _check_billing_mode(billing_mode: str | None) -> None:
    if billing_mode not in (None, _PROVISIONED, _ON_DEMAND):
        raise ParameterValidationError(
            f"billing_mode must be 'PROVISIONED' or 'PAY_PER_REQUEST', not {billing_mode!r}"
        )


def _joined_bounds(key_conditions: dict[str, Any]) -> dict[str, Any]:
    """``key_conditions`` with each ``x__gte=low, x__lte=high`` pair made one
    ``x__between=(low, high)``: a query takes one condition on its sort key, and boto 2
    silently kept only one of the two.

    >>> _joined_bounds({"user__eq": "jo", "at__gte": 1, "at__lte": 5})
    {'user__eq': 'jo', 'at__between': (1, 5)}
    """
    joined = dict(key_conditions)
    for keyword in key_conditions:
        attribute, _, operator = keyword.rpartition("__")
        if operator == "gte" and f"{attribute}__lte" in joined:
            low = joined.pop(keyword)
            high = joined.pop(f"{attribute}__lte")
            joined[f"{attribute}__between"] = (low, high)
    return joined


def _check_stream_specification(spec: Mapping[str, Any] | None) -> None:
    """Refuse a stream specification DynamoDB would refuse, before sending it."""
    if spec is None:
        return
    example = '{"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}'
    if not isinstance(spec, Mapping):
        raise ParameterValidationError(
            f"stream_specification is a mapping such as {example}, not {type(spec).__name__}"
        )
    unknown = sorted(set(spec) - {"StreamEnabled", "StreamViewType"})
    if unknown:
        raise ParameterValidationError(
            f"stream_specification takes StreamEnabled and StreamViewType, not {unknown}"
        )
    enabled = spec.get("StreamEnabled")
    if type(enabled) is not bool:
        raise ParameterValidationError(
            f"stream_specification needs StreamEnabled True or False, not {enabled!r}"
        )
    view = spec.get("StreamViewType")
    if enabled and view not in _STREAM_VIEW_TYPES:
        raise ParameterValidationError(
            f"an enabled stream needs StreamViewType, one of {', '.join(_STREAM_VIEW_TYPES)}, "
            f"not {view!r}"
        )


def _tag_list(
    tags: Mapping[str, str] | Sequence[Mapping[str, str]] | None,
) -> list[dict[str, str]] | None:
    if tags is None:
        return None
    if isinstance(tags, Mapping):
        return [{"Key": str(key), "Value": str(value)} for key, value in tags.items()]
    return [dict(tag) for tag in tags]


def _gsi_throughput_updates(
    global_indexes: Mapping[str, Mapping[str, int]] | None,
) -> list[dict[str, Any]] | None:
    if not global_indexes:
        return None
    updates = []
    for name, throughput in global_indexes.items():
        checked = _checked_throughput(throughput, where=f"global index {name!r}")
        updates.append(
            {
                "Update": {
                    "IndexName": name,
                    "ProvisionedThroughput": {
                        "ReadCapacityUnits": checked["read"],
                        "WriteCapacityUnits": checked["write"],
                    },
                }
            }
        )
    return updates


def _checked_throughput(throughput: Mapping[str, Any], where: str = "") -> dict[str, int]:
    """``{"read": r, "write": w}`` with whole numbers of at least 1, or a clear error."""
    try:
        checked = {"read": throughput["read"], "write": throughput["write"]}
    except (KeyError, TypeError):
        checked = {}
    if len(checked) != 2 or any(
        isinstance(units, bool) or not isinstance(units, int) or units < 1
        for units in checked.values()
    ):
        subject = f"throughput of {where}" if where else "throughput"
        raise ParameterValidationError(
            f"{subject} must look like {{'read': 5, 'write': 5}} (whole numbers, at least 1), "
            f"not {throughput!r}"
        )
    return checked


def _introspect_schema(
    raw_schema: Sequence[Mapping[str, str]], types: Mapping[str, str]
) -> list[BaseSchemaField]:
    schema: list[BaseSchemaField] = []
    for element in raw_schema:
        name = element["AttributeName"]
        data_type = types.get(name, STRING)
        if element["KeyType"] == "HASH":
            schema.append(HashKey(name, data_type=data_type))
        elif element["KeyType"] == "RANGE":
            schema.append(RangeKey(name, data_type=data_type))
        else:
            raise UnknownSchemaFieldError(f"{element['KeyType']} was seen, but is unknown.")
    return schema


def _introspect_indexes(
    raw_indexes: Sequence[Mapping[str, Any]],
    classes: Mapping[str, type[BaseIndexField]],
    types: Mapping[str, str],
) -> list[BaseIndexField]:
    indexes: list[BaseIndexField] = []
    for raw in raw_indexes:
        projection = raw.get("Projection", {})
        projection_type = projection.get("ProjectionType", "ALL")
        index_class = classes.get(projection_type)
        if index_class is None:
            raise UnknownIndexFieldError(f"{projection_type} was seen, but is unknown.")
        kwargs: dict[str, Any] = {}
        if projection_type == "INCLUDE":
            kwargs["includes"] = projection.get("NonKeyAttributes", [])
        if issubclass(index_class, GlobalBaseIndexField):
            raw_throughput = raw.get("ProvisionedThroughput") or {}
            read = int(raw_throughput.get("ReadCapacityUnits", 0))
            write = int(raw_throughput.get("WriteCapacityUnits", 0))
            # An on-demand table's index reports 0/0, kept as such.
            kwargs["throughput"] = {"read": read, "write": write}
        parts = _introspect_schema(raw["KeySchema"], types)
        indexes.append(index_class(raw["IndexName"], parts, **kwargs))
    return indexes
