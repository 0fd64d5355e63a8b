"""The part of a table shared by :class:`~dynamodb2.table.Table` and
:class:`~dynamodb2.aio.AsyncTable`: every decision and request spec, written once
(sans I/O: the subclasses only send, await and sleep).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Final, Generic, TypeVar

import attrs
from typing_extensions import Self

from . import _lifecycle, waiters
from ._arguments import flag, sequence_of, text, truth
from ._expressions import filter_condition, legacy_filters
from ._lifecycle import Description
from ._limits import check_table_name
from ._placeholders import Compilable
from ._plans import Own, Plan, carried
from ._requests import (
    BatchGetRequest,
    Call,
    DeleteRequest,
    GetRequest,
    PutRequest,
    QueryRequest,
    SaveUpdate,
    ScanRequest,
    UpdateRequest,
)
from ._responses import Shape, json_kind
from ._schema import IndexKey, KeySchema
from ._updates import Update, UpdateActions, check_return_values
from ._wire import AttributeValue, Body
from .capacity import (
    ReturnConsumedCapacity,
    WriteResult,
    capacity_entries,
    check_return_consumed_capacity,
)
from .conditions import KeyCondition, KeyConditions
from .exceptions import (
    RETRYABLE_ERROR_CODES,
    DynamoDBResponseError,
    ItemNotFound,
    MalformedResponseError,
    ParameterValidationError,
    QueryError,
    RequestValidationError,
)
from .fields import BaseIndexField, BaseSchemaField, GlobalBaseIndexField
from .items import _ItemBase
from .layer1 import (
    BillingMode,
    ConditionalOperator,
    ReturnValues,
)
from .results import (
    ResumeKey,
    _BatchGets,
    _Pages,
    check_max_page_size,
)
from .retry import DEFAULT_PACING, Pacing
from .ttl import TimeToLive, check_ttl_attribute_name
from .types import (
    FILTER_OPERATORS,
    QUERY_OPERATORS,
    Dynamizer,
    NativeNumberDynamizer,
    NonBooleanDynamizer,
    make_dynamizer,
)

_ItemT = TypeVar("_ItemT", bound="_ItemBase[Any]")


def _is_item_class(candidate: object) -> bool:
    """Whether ``candidate`` is an item class of this package (or a subclass of one)."""
    return isinstance(candidate, type) and issubclass(candidate, _ItemBase)


_PagesT = TypeVar("_PagesT", bound="_Pages[Any]")
_BatchGetT = TypeVar("_BatchGetT", bound="_BatchGets[Any]")
_BatchT = TypeVar("_BatchT")

#: Plan steps called by name, so that code replacing the method is heard.
_DESCRIBE: Final = Own("describe")
_DESCRIBE_TTL: Final = Own("describe_ttl")
_QUERY: Final = Shape("Query")
_PAGE_SHAPES: Final = {"Query": _QUERY, "Scan": Shape("Scan")}
_BATCH_GET: Final = Shape("BatchGetItem")

logger = logging.getLogger("dynamodb2.table")


class _TableBase(Generic[_ItemT, _PagesT, _BatchGetT, _BatchT]):
    """What :class:`Table` and ``dynamodb2.aio.AsyncTable`` share: the table's state
    (key schema, dynamizer, throughput, indexes), the methods that do no I/O (result
    sets and batches are lazy), and the steps around each request (building it,
    reading its response). Each subclass sends and waits in its own way."""

    #: Keys per BatchGetItem request (DynamoDB's limit is 100).
    max_batch_get: int = 100
    #: The classes of what the table returns.
    _item_class: type[_ItemT]
    _pages_class: Callable[..., _PagesT]
    _batch_get_class: Callable[..., _BatchGetT]
    _batch_class: Callable[..., _BatchT]
    connection: Any
    # The page callables of result sets (boto 2's names).
    _query: Callable[..., Any]
    _scan: Callable[..., Any]
    _batch_get: Callable[..., Any]
    # boto 2's put helper (the facade's, sync or async), and that method as defined (set
    # beside each facade class; see _put_request).
    _put_item: Callable[..., Any]
    _own_put_item: ClassVar[Callable[..., Any]]

    def __init__(
        self,
        table_name: str,
        schema: Sequence[BaseSchemaField] | None = None,
        throughput: Mapping[str, int] | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        connection: Any = None,
    ) -> None:
        if not isinstance(table_name, str):
            check_table_name(table_name)  # the rest is checked when sent
        _lifecycle.check_definition(schema, throughput, indexes, global_indexes)
        self.table_name = table_name
        #: The layer1 connection every request goes through.
        self.connection = self._layer1(connection)
        self.throughput: dict[str, int] = dict(throughput or _lifecycle.DEFAULT_THROUGHPUT)
        self.schema: list[BaseSchemaField] | None = list(schema) if schema else None
        self.indexes: list[BaseIndexField] | None = list(indexes) if indexes else None
        self.global_indexes: list[BaseIndexField] | None = (
            list(global_indexes) if global_indexes else None
        )
        self._dynamizer: Dynamizer = NonBooleanDynamizer()
        # Types known for sure (from DynamoDB or create()): a hand-written schema may
        # leave them at STRING, so those are not checked.
        self._key_types: dict[str, str] | None = None
        # Whether the indexes are known to be all the table has (described or created).
        self._indexes_known = False
        self._describe_lock = threading.Lock()
        # The key schema last made, and what it was made of.
        self._key_schema: tuple[KeySchema | None, tuple[Any, ...]] = (None, ())
        #: The table's billing mode, once known ("PROVISIONED" or "PAY_PER_REQUEST").
        self.billing_mode: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Pickled with its connection (made again where unpickled), without its lock.
        state = dict(vars(self))
        state.pop("_describe_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._describe_lock = threading.Lock()

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        # A deep copy of a table (or of an item) shares the connection, its HTTP pool
        # and counters; a deep copy of the connection itself is a new one.
        memo.setdefault(id(self.connection), self.connection)
        copied = type(self).__new__(type(self))
        memo[id(self)] = copied
        copied.__setstate__(copy.deepcopy(self.__getstate__(), memo))
        return copied

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.table_name!r})"

    @property
    def dynamizer(self) -> Dynamizer:
        """The dynamizer that encodes and decodes this table's values."""
        return self._dynamizer

    @property
    def key_schema(self) -> KeySchema:
        """The table's key as far as it is known (never sends a request)."""
        cached, made_of = self._key_schema
        # Read for every request and every batch write: the common case compares five
        # references and builds nothing.
        if (
            cached is not None
            and made_of[0] is self.schema
            and made_of[1] is self.indexes
            and made_of[2] is self.global_indexes
            and made_of[3] is self._dynamizer
            and made_of[4] is self._key_types
        ):
            return cached
        parts = (self.schema, self.indexes, self.global_indexes, self._dynamizer, self._key_types)
        indexes = {
            index.name: IndexKey(
                tuple(part.name for part in index.parts), index.projection_type == "ALL"
            )
            for index in [*(self.indexes or ()), *(self.global_indexes or ())]
        }
        cached = KeySchema(
            self.table_name,
            tuple(field.name for field in self.schema) if self.schema else None,
            self._key_types,
            self._dynamizer,
            indexes,
            self._indexes_known,
        )
        self._key_schema = (cached, parts)
        return cached

    @property
    def pacing(self) -> Pacing:
        """How batches and waiters of this table wait: the connection's pacing."""
        pacing = getattr(self.connection, "pacing", None)
        return pacing if isinstance(pacing, Pacing) else DEFAULT_PACING

    def use_boolean(self) -> None:
        """Store ``True``/``False`` as DynamoDB booleans (boto 2 stored 1/0 by default).

        Keeps the number handling chosen by :meth:`use_native_numbers`.
        """
        self._dynamizer = make_dynamizer(
            booleans=True, native_numbers=isinstance(self._dynamizer, NativeNumberDynamizer)
        )

    def use_native_numbers(self) -> None:
        """Read numbers as ``int`` (integral) or ``float`` (when exact), not ``Decimal``.

        A number no float holds exactly stays a ``Decimal``. Keeps the boolean handling
        chosen by :meth:`use_boolean`; applies to items read afterwards (docs/numbers.md).
        """
        self._dynamizer = make_dynamizer(
            booleans=self._dynamizer.booleans_as_bool, native_numbers=True
        )

    # boto 2's private helpers, which its tests and third-party code call.

    def _introspect_schema(
        self, raw_schema: Sequence[Mapping[str, str]], raw_attributes: Any = None
    ) -> list[BaseSchemaField]:
        """Key fields from a ``KeySchema`` (boto 2's helper; compatibility only)."""
        types = {d["AttributeName"]: d["AttributeType"] for d in raw_attributes or ()}
        return _lifecycle.introspect_schema(raw_schema, types)

    def _introspect_indexes(self, raw_indexes: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Local index fields from a description (boto 2's helper; compatibility only)."""
        return _lifecycle.introspect_indexes(raw_indexes, _lifecycle.LOCAL_INDEX_CLASSES)

    def _introspect_global_indexes(self, raw_indexes: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Global index fields from a description (boto 2's helper; compatibility only)."""
        return _lifecycle.introspect_indexes(raw_indexes, _lifecycle.GLOBAL_INDEX_CLASSES)

    def _introspect_all_indexes(
        self, raw_indexes: Sequence[Mapping[str, Any]], map_indexes_projection: Any
    ) -> list[Any]:
        """Index fields by projection class (boto 2's helper; compatibility only)."""
        return _lifecycle.introspect_indexes(raw_indexes, map_indexes_projection)

    def _encode_keys(self, keys: Mapping[str, Any]) -> dict[str, AttributeValue]:
        """Each value of ``keys`` in wire form, unchecked (boto 2's helper; compatibility
        only: requests check keys against the schema)."""
        return {name: self._dynamizer.encode(value) for name, value in keys.items()}

    def _build_filters(
        self, filter_kwargs: Mapping[str, Any] | None, using: Mapping[str, str] = QUERY_OPERATORS
    ) -> dict[str, Any] | None:
        """boto 2's legacy ``KeyConditions``/``QueryFilter`` form of filter keywords
        (compatibility only: requests send expressions)."""
        return legacy_filters(filter_kwargs, using, self._dynamizer)

    # ------------------------------------------------------------------ batches

    def batch_write(
        self, *, return_consumed_capacity: ReturnConsumedCapacity | None = None
    ) -> _BatchT:
        """A :class:`BatchTable` for buffered puts and deletes (use it with ``with``).

        With ``return_consumed_capacity``, the batch sums what its requests consumed in
        ``consumed_capacity`` / ``consumed_capacity_units``.
        """
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        if capacity is None:
            return self._batch_class(self)
        return self._batch_class(self, return_consumed_capacity=capacity)

    def batch_get(
        self,
        keys: Sequence[Mapping[str, Any]],
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> _BatchGetT:
        """The items for a list of keys, fetched lazily, 100 keys per request.

        Each existing item is returned once (repeated keys are asked for once), in no
        particular order; keys with no item are skipped. With
        ``return_consumed_capacity``, the result set sums the capacity of its requests.
        """
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        listed = sequence_of(
            keys, "keys", _is_mapping, "a list of keys ([{'id': ...}, ...])", none=False
        )
        schema = self.key_schema
        request = BatchGetRequest.build(
            schema, consistent=consistent, attributes=attributes, capacity=capacity
        )
        # Each key encoded once; 1, 1.0 and Decimal("1.0") are one key, asked for once
        # (DynamoDB refuses a request that names a key twice).
        holding = ResumeKey._holding
        unique = [holding(key, wire) for key, wire in schema.distinct_keys(listed or ())]
        results = self._batch_get_class(
            keys=unique, max_batch_get=self.max_batch_get, pacing=self.pacing
        )
        results.to_call(
            self._batch_get, consistent=consistent, attributes=attributes, request=request
        )
        return results

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
    ) -> _PagesT:
        """Deprecated boto 2 form of :meth:`query_2`, whose ``reverse`` meant the opposite.

        As in boto 2.49, a table whose schema has only a partition key (and no global
        index) refuses a single condition with :class:`QueryError`: use ``get_item``.
        """
        if (
            self.schema
            and len(self.schema) == 1
            and len(filter_kwargs) <= 1
            and not self.global_indexes
        ):
            raise QueryError("You must specify more than one key to filter on.")
        return self.query_2(
            limit=limit,
            index=index,
            reverse=not truth(reverse, "reverse"),
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
        conditional_operator: ConditionalOperator | None = None,
        *,
        filter: Compilable | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        key_condition: KeyCondition | KeyConditions | None = None,
        **filter_kwargs: Any,
    ) -> _PagesT:
        """The items matching key conditions, lazily, in sort key order.

        >>> table.query_2(username__eq="johndoe", date_joined__gte=1700000000,
        ...               reverse=True, limit=10)                  # doctest: +SKIP

        Key conditions are ``<key>__<op>=value`` with ``eq lt lte gt gte beginswith
        between`` (the partition key takes ``__eq``), or ``key_condition`` built with
        :class:`~dynamodb2.conditions.Key`. ``query_filter`` holds boto 2-style filters on
        other attributes, joined by ``conditional_operator``; ``filter`` a built
        condition. ``reverse=True`` returns the highest sort keys first.
        ``exclusive_start_key`` resumes after :attr:`ResultSet.last_evaluated_key`;
        ``return_consumed_capacity`` makes the result set sum the capacity read.
        """
        max_page_size = check_max_page_size(max_page_size)
        request = QueryRequest.of_keywords(
            self.key_schema,
            filter_kwargs,
            key_condition=key_condition,
            query_filter=query_filter,
            conditional_operator=conditional_operator,
            filter=filter,
            attributes=attributes,
            index=index,
            consistent=consistent,
            reverse=reverse,
            capacity=check_return_consumed_capacity(return_consumed_capacity),
        )
        results = self._pages_class(
            max_page_size=max_page_size, key_names=lambda: self._resume_key_names(index)
        )
        # boto 2's page arguments, for code that reads call_kwargs; the compiled request
        # is what each page sends.
        results.to_call(
            self._query,
            limit=limit,
            index=index,
            reverse=reverse,
            consistent=consistent,
            select="SPECIFIC_ATTRIBUTES" if attributes is not None else None,
            attributes_to_get=attributes,
            query_filter=query_filter,
            conditional_operator=conditional_operator,
            request=request,
            **filter_kwargs,
        )
        results._last_key_seen = ResumeKey.of(self.key_schema, exclusive_start_key)
        return results

    # ------------------------------------------------------------------ scans

    def scan(
        self,
        limit: int | None = None,
        segment: int | None = None,
        total_segments: int | None = None,
        max_page_size: int | None = None,
        attributes: Sequence[str] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        filter: Compilable | None = None,
        index: str | None = None,
        consistent: bool = False,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **filter_kwargs: Any,
    ) -> _PagesT:
        """Every item (matching the filters), lazily, a page at a time.

        >>> table.scan(age__gte=21, status__in=["active", "trial"])   # doctest: +SKIP

        Filters are ``<attribute>__<op>=value`` with ``eq ne lt lte gt gte nnull null
        contains ncontains beginswith in between``, joined by ``conditional_operator``.
        ``segment``/``total_segments`` scan one part of the table (parallel scans).
        """
        max_page_size = check_max_page_size(max_page_size)
        request = ScanRequest.of_keywords(
            self.key_schema,
            filter_kwargs,
            conditional_operator=conditional_operator,
            filter=filter,
            attributes=attributes,
            index=index,
            consistent=consistent,
            segment=segment,
            total_segments=total_segments,
            capacity=check_return_consumed_capacity(return_consumed_capacity),
        )
        results = self._pages_class(
            max_page_size=max_page_size, key_names=lambda: self._resume_key_names(index)
        )
        results.to_call(
            self._scan,
            limit=limit,
            segment=segment,
            total_segments=total_segments,
            attributes=attributes,
            conditional_operator=conditional_operator,
            request=request,
            **filter_kwargs,
        )
        results._last_key_seen = ResumeKey.of(self.key_schema, exclusive_start_key)
        return results

    # ------------------------------------------------------------------ pages

    def _page(self, response: Body, partial: bool | str, operation: str) -> dict[str, Any]:
        """A ResultSet page from a Query or Scan response (a malformed one raises
        :class:`~dynamodb2.exceptions.MalformedResponseError`)."""
        shape = _PAGE_SHAPES.get(operation) or Shape(operation)
        wire_items = shape.sequence(response, "Items", nullable=False)
        # A result set does not read the counts, but a page holding bad ones is not
        # DynamoDB's.
        shape.count(response, "Count", nullable=False)
        shape.count(response, "ScannedCount", nullable=False)
        try:
            results = self._page_items(wire_items, partial, operation)
        except ParameterValidationError:  # an item that is not a JSON object
            raise shape.malformed_item(wire_items, "Items") from None
        last = shape.mapping(response, "LastEvaluatedKey", what="a key")
        return {
            "results": results,
            "last_key": self._resume_key(last, "LastEvaluatedKey", operation) if last else None,
            "consumed_capacity": shape.capacity(response),
        }

    def _resume_key(self, wire: dict[str, Any], field: str, operation: str) -> ResumeKey:
        """A key from a response, decoded (a malformed one names ``field``)."""
        try:
            return ResumeKey(self._dynamizer.decode_item(wire, operation=operation), wire)
        except MalformedResponseError as error:
            error.field = field
            raise

    # ------------------------------------------------------------------ shared steps
    # What Table and AsyncTable share around each request: building it (checks and
    # encoding included) and reading its response. Neither does I/O.

    @staticmethod
    def _layer1(connection: Any) -> Any:
        """The layer1 connection for ``connection`` (a new one from the environment if
        ``None``)."""
        raise NotImplementedError

    def _page_items(
        self, wire_items: Sequence[dict[str, Any]], partial: bool | str, operation: str
    ) -> list[_ItemT]:
        """The items of a response page, as :attr:`_item_class` makes them."""
        item_class = self._item_class
        if not _is_item_class(item_class):
            return [self._made_as_boto2_made(item_class, wire_item) for wire_item in wire_items]
        return item_class._from_wire_page(self, wire_items, partial=partial, operation=operation)

    def _made_as_boto2_made(self, item_class: Any, wire_item: dict[str, Any]) -> Any:
        """An item made by what stands for the item class without being one (a test's
        ``mock.patch("dynamodb2.table.Item")``), called as boto 2 called its ``Item``:
        ``Item(table)``, then ``item.load({"Item": wire_item})``."""
        item = item_class(self)
        item.load({"Item": wire_item})
        return item

    def _index_projects_all(self, index: str) -> bool:
        """Whether ``index`` projects every attribute of the table, by the indexes known
        (refused for an index the table is known not to have)."""
        found = self.key_schema.index(index)
        return found is not None and found.projects_all

    def _resume_key_names(self, index: str | None) -> list[str] | None:
        """The attributes of a resume key inside a page (see :class:`Table`'s)."""
        raise NotImplementedError

    def _with_index_key(self, names: list[str], index: str | None) -> list[str] | None:
        """The table's key attributes ``names``, plus the index's on an index."""
        if index is not None:
            parts = self.key_schema.key_names_of(index)
            if parts is None:
                return None  # an index the table does not know: DynamoDB's keys say
            names += [part for part in parts if part not in names]
        return names

    def _created(self, billing_mode: str | None, key_types: dict[str, str]) -> Self:
        """Take in what a CreateTable that succeeded says about the table."""
        self._indexes_known = True
        self._key_types = key_types
        self.billing_mode = billing_mode or _lifecycle.PROVISIONED
        if billing_mode == _lifecycle.ON_DEMAND:
            self.throughput = {"read": 0, "write": 0}
        return self

    def _described(self, result: Body) -> Body:
        """Learn the schema and indexes from a DescribeTable response; return it."""
        description = Description.of(result)
        self.billing_mode = description.billing_mode
        self.throughput["read"] = description.throughput["read"]
        self.throughput["write"] = description.throughput["write"]
        if not self.schema:
            self.schema = description.schema
        if not self.indexes:
            self.indexes = description.indexes
        self.global_indexes = description.global_indexes
        self._indexes_known = True
        self._key_types = description.key_types
        return result

    def _update_call(
        self,
        throughput: Mapping[str, int] | None,
        global_indexes: Mapping[str, Mapping[str, int]] | None,
        billing_mode: BillingMode | None,
    ) -> Call | None:
        """The UpdateTable of :meth:`Table.update`, or ``None`` (logged) for no change."""
        if _nothing(throughput) and _nothing(global_indexes) and billing_mode is None:
            _log_nothing("either the throughput or the global_indexes", "update")
            return None
        throughput = None if _nothing(throughput) else throughput
        global_indexes = None if _nothing(global_indexes) else global_indexes
        return _lifecycle.update_call(
            self.table_name,
            throughput,
            global_indexes,
            billing_mode=billing_mode,
            current_billing_mode=self.billing_mode,
            known_global_indexes=[index.name for index in self.global_indexes or ()],
        )

    def _updated(
        self, throughput: Mapping[str, int] | None, billing_mode: BillingMode | None
    ) -> bool:
        """Take in an UpdateTable DynamoDB accepted."""
        if throughput:
            self.throughput = _lifecycle.checked_throughput(throughput)
        if billing_mode is not None:
            self.billing_mode = billing_mode
            if billing_mode == _lifecycle.ON_DEMAND:
                self.throughput = {"read": 0, "write": 0}
        return True

    def _create_gsi_plan(self, global_index: GlobalBaseIndexField) -> Plan[bool]:
        if _nothing(global_index):
            _log_nothing("the global_index", "create_global_secondary_index")
            return False
        _lifecycle.check_new_global_index(global_index)
        if self.billing_mode is None:
            # Not allowed to look (IAM)? Then it is sent as boto 2 sent it.
            with contextlib.suppress(DynamoDBResponseError):
                yield _DESCRIBE
        on_demand = self.billing_mode == _lifecycle.ON_DEMAND
        yield _lifecycle.gsi_create_call(self.table_name, global_index, on_demand=on_demand)
        return True

    def _gsi_deletion(self, global_index_name: Any) -> list[dict[str, Any]] | None:
        """The GlobalSecondaryIndexUpdates deleting an index (``None`` if none is named)."""
        if _nothing(global_index_name):
            return None
        text(global_index_name, "global_index_name", none=False)
        return [{"Delete": {"IndexName": global_index_name}}]

    def _gsi_updates_call(self, updates: Any, what: str, method: str) -> Call | None:
        """An UpdateTable of global index ``updates``, or ``None`` (logged) if there are none."""
        if _nothing(updates):
            _log_nothing(what, method)
            return None
        return Call("update_table", (self.table_name,), {"global_secondary_index_updates": updates})

    def _wait_plan(self, awaited: str, timeout: float) -> Plan[Any]:
        """Poll DescribeTable until the table is ``awaited`` (``"ACTIVE"``, ``"deleted"``)."""
        # Waiting for ACTIVE goes through describe() (which learns the schema), as
        # wait_until_active always did; waiting for the deletion asks layer1 directly.
        look = _DESCRIBE if awaited == "ACTIVE" else Call("describe_table", (self.table_name,), {})
        return waiters._until(
            awaited, look, table_name=self.table_name, timeout=timeout, clock=self.pacing.clock
        )

    def _enable_ttl_plan(self, attribute_name: str) -> Plan[bool]:
        check_ttl_attribute_name(attribute_name)
        current: TimeToLive = yield _DESCRIBE_TTL
        if current.enabled and current.attribute_name == attribute_name:
            return False
        if current.enabled and current.attribute_name is not None:
            raise RequestValidationError(
                f"time to live on table {self.table_name!r} is on for "
                f"{current.attribute_name!r}: DynamoDB switches it to another attribute only "
                "after disable_ttl() (and allows one change per table in about an hour)"
            )
        yield Call(
            "update_time_to_live",
            (self.table_name, {"Enabled": True, "AttributeName": attribute_name}),
            {},
        )
        return True

    def _disable_ttl_plan(self) -> Plan[bool]:
        current: TimeToLive = yield _DESCRIBE_TTL
        if not current.enabled or current.attribute_name is None:
            return False
        # DynamoDB wants the attribute being switched off named.
        yield Call(
            "update_time_to_live",
            (self.table_name, {"Enabled": False, "AttributeName": current.attribute_name}),
            {},
        )
        return True

    def _get_request(
        self,
        consistent: bool,
        attributes: Sequence[str] | None,
        return_consumed_capacity: ReturnConsumedCapacity | None,
        key: Mapping[str, Any],
    ) -> GetRequest:
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        return GetRequest.build(
            self.key_schema, key, consistent=consistent, attributes=attributes, capacity=capacity
        )

    def _got_item(self, request: GetRequest, response: Body, key: Mapping[str, Any]) -> _ItemT:
        wire_item = response.get("Item")
        if wire_item is None:
            raise ItemNotFound(f"Item {key} couldn't be found.")
        if not isinstance(wire_item, dict):
            raise Shape("GetItem").malformed("Item", f"is {json_kind(wire_item)}, not an object")
        item_class = self._item_class
        if not _is_item_class(item_class):
            stand_in: _ItemT = self._made_as_boto2_made(item_class, wire_item)
            return stand_in
        item = item_class.from_wire(self, wire_item, partial=request.partial, operation="GetItem")
        if request.capacity:
            item._capacity = capacity_entries(response.get("ConsumedCapacity"))
        return item

    def _lookup_key(
        self, fields: list[str], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        if len(args) > len(fields):
            raise ParameterValidationError(
                f"lookup got {len(args)} key values; table {self.table_name!r} has "
                f"{len(fields)} key attributes ({', '.join(fields)})"
            )
        for name, value in zip(fields, args, strict=False):
            kwargs[name] = value
        return kwargs

    def _new_item(self, fields: list[str], args: tuple[Any, ...]) -> _ItemT:
        if len(args) > len(fields):
            raise ParameterValidationError(
                f"new_item got {len(args)} key values; table {self.table_name!r} has "
                f"{len(fields)} key attributes ({', '.join(fields)})"
            )
        data = dict(zip(fields, args, strict=False))
        # Key values DynamoDB would refuse are refused now, not at the first save.
        self.key_schema.encode_key_values(data)
        return self._item_class(self, data=data)

    def _item_to_put(self, data: Mapping[str, Any]) -> _ItemT:
        if not isinstance(data, Mapping):
            raise ParameterValidationError(
                f"put_item takes the item as a mapping (data={{...}}), not {type(data).__name__}"
            )
        return self._item_class(self, data=data)

    def _put_request(
        self, item_data: Mapping[str, Any], expects: Mapping[str, Any] | None
    ) -> PutRequest:
        """What ``_put_item(item_data, expects)`` sends: the spec :meth:`Item.save
        <dynamodb2.items.Item.save>` carries beside the call (see :class:`Own`), or else
        boto 2's legacy write of ``item_data`` under ``expects``.

        The carried spec is sent as it is only when the facade's own ``_put_item`` runs
        (:attr:`_own_put_item`: neither overridden nor patched, on the class or on this
        table), so that its item is the one the save encoded, unseen by other code.
        Anything else is copied into a plain dict, which the json codec checks as any
        wire data (an override may have changed or built the item)."""
        current = carried(self)
        if current is not None and expects is None:
            sent_with, put = current
            if type(put) is PutRequest and put.table_name == self.table_name:
                if (
                    sent_with is item_data
                    and type(self)._put_item is type(self)._own_put_item
                    and "_put_item" not in vars(self)
                ):
                    return put
                # An override of _put_item passed on data of its own (a time stamp
                # added, say): it is written, under the save's conditions.
                return attrs.evolve(put, item=dict(item_data))
        return PutRequest(self.table_name, dict(item_data), expected=expects)

    def _update_request(
        self,
        key: Mapping[str, Any],
        item_data: Mapping[str, Any] | None,
        expects: Mapping[str, Any] | None,
    ) -> UpdateRequest:
        """What ``_update_item(key, item_data, expects)`` sends: the spec
        :meth:`Item.partial_save <dynamodb2.items.Item.partial_save>` carries beside the
        call, or else boto 2's legacy ``AttributeUpdates`` under ``expects``."""
        current = carried(self)
        if current is not None and expects is None:
            sent_with, save = current
            if (
                type(save) is SaveUpdate
                and save.request.table_name == self.table_name
                and (sent_with is key or sent_with == key)
            ):
                return save.for_updates(item_data)
        return UpdateRequest(
            self.table_name,
            self._encode_keys(key),
            None,
            attribute_updates=item_data,
            expected=expects,
        )

    def _delete_request(
        self,
        expected: Mapping[str, Any] | None,
        conditional_operator: ConditionalOperator | None,
        condition: Compilable | None,
        return_consumed_capacity: ReturnConsumedCapacity | None,
        key: Mapping[str, Any],
    ) -> DeleteRequest:
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        legacy = filter_condition(
            expected,
            FILTER_OPERATORS,
            conditional_operator=conditional_operator,
            parameter="expected",
        )
        return DeleteRequest.build(
            self.key_schema, key, conditions=(legacy, condition), capacity=capacity
        )

    def _update_item_request(
        self,
        key: Mapping[str, Any],
        condition: Compilable | None,
        return_values: ReturnValues,
        return_consumed_capacity: ReturnConsumedCapacity | None,
        actions: UpdateActions,
    ) -> UpdateRequest:
        check_return_values(return_values)
        capacity = check_return_consumed_capacity(return_consumed_capacity)
        return UpdateRequest.build(
            self.key_schema,
            key,
            Update.of(**actions),
            conditions=(condition,),
            capacity=capacity,
            return_values=return_values,
        )

    def _updated_item(self, request: UpdateRequest, response: Body) -> _ItemT | None:
        attributes = (
            Shape("UpdateItem").mapping(response, "Attributes")
            if request.return_values not in (None, "NONE")
            else None
        )
        if not attributes and not request.capacity:
            return None
        item = self._item_class.from_wire(self, attributes or {}, operation="UpdateItem")
        if request.capacity:
            item._capacity = capacity_entries(response.get("ConsumedCapacity"))
        return item

    def _count_request(
        self,
        index: str | None,
        consistent: bool,
        conditional_operator: ConditionalOperator | None,
        query_filter: Mapping[str, Any] | None,
        scan_index_forward: bool,
        filter: Compilable | None,
        key_condition: KeyCondition | KeyConditions | None,
        filter_kwargs: Mapping[str, Any],
    ) -> QueryRequest:
        return QueryRequest.of_keywords(
            self.key_schema,
            filter_kwargs,
            key_condition=key_condition,
            query_filter=query_filter,
            conditional_operator=conditional_operator,
            filter=filter,
            index=index,
            consistent=consistent,
            reverse=not flag(scan_index_forward, "scan_index_forward"),
            select="COUNT",
        )

    def _query_count_plan(
        self, request: QueryRequest, limit: int | None, exclusive_start_key: Any
    ) -> Plan[int]:
        limit = check_max_page_size(limit, name="limit")
        total = 0
        start = ResumeKey.of(self.key_schema, exclusive_start_key)
        wire_start = start.wire if start is not None else None
        while True:
            response = yield request.page(limit, wire_start)
            total += _QUERY.count(response, "Count", nullable=False)
            # boto 2 stopped at the first page that counted nothing; every page counts.
            wire_start = _QUERY.mapping(response, "LastEvaluatedKey", what="a key")
            if not wire_start:
                return total

    def _page_call(
        self,
        request: QueryRequest | ScanRequest,
        limit: int | None,
        exclusive_start_key: Mapping[str, Any] | None,
    ) -> Call:
        start = ResumeKey.of(self.key_schema, exclusive_start_key)
        return request.page(limit, start.wire if start is not None else None)

    def _batch_get_call(
        self, keys: Sequence[Mapping[str, Any]], request: BatchGetRequest, *, identified: bool
    ) -> Call:
        """The ``BatchGetItem`` of ``keys`` (a :class:`ResumeKey` sends its wire form,
        any other key is encoded). ``identified``: the result set :meth:`batch_get` made
        asks, whose :class:`ResumeKey` s are the distinct keys it identified and the
        unprocessed ones DynamoDB handed back: sent as distinct when they are all there
        is. Any other key (given to boto 2's helper, or added to the result set's keys)
        leaves layer1 to look for duplicates, as in a request it is given directly."""
        schema = self.key_schema
        wires: list[dict[str, AttributeValue]] = []
        distinct = identified
        for key in keys:
            if type(key) is not ResumeKey:
                distinct = False
            wires.append(key.wire if isinstance(key, ResumeKey) else schema.encode_key(key))
        return request.call(wires, distinct=distinct)

    def _batch_page(self, request: BatchGetRequest, response: Body) -> dict[str, Any]:
        """A BatchGetResultSet page from a BatchGetItem response."""
        operation = "BatchGetItem"
        shape = _BATCH_GET
        name = self.table_name
        found = shape.sequence(
            shape.mapping(response, "Responses"), name, f"Responses.{name}", nullable=False
        )
        try:
            results = self._page_items(found, request.partial, operation)
        except ParameterValidationError:  # an item that is not a JSON object
            raise shape.malformed_item(found, f"Responses.{name}") from None
        field = f"UnprocessedKeys.{name}"
        unprocessed = shape.mapping(
            shape.mapping(response, "UnprocessedKeys"),
            name,
            field,
            what="an object ({'Keys': [keys]})",
        )
        keys = shape.sequence(unprocessed, "Keys", f"{field}.Keys", nullable=False)
        for key in keys:
            if not isinstance(key, Mapping) or not key:
                found_kind = "an empty object" if isinstance(key, Mapping) else json_kind(key)
                raise shape.malformed(field, f"Keys holds {found_kind}, not a key")
        return {
            "results": results,
            "last_key": None,
            "unprocessed_keys": [self._resume_key(wire, field, operation) for wire in keys],
            # Some implementations report capacity unasked: keep it only when asked for.
            "consumed_capacity": shape.capacity(response) if request.capacity else None,
        }

    def _segment_scan(
        self,
        total_segments: int,
        max_page_size: int | None,
        attributes: Sequence[str] | None,
        conditional_operator: ConditionalOperator | None,
        filter: Compilable | None,
        index: str | None,
        consistent: bool,
        filter_kwargs: Mapping[str, Any],
    ) -> ScanRequest:
        """The scan of segment 0 of ``total_segments`` (``for_segment`` gives the others)."""
        max_page_size = check_max_page_size(max_page_size)
        return ScanRequest.of_keywords(
            self.key_schema,
            filter_kwargs,
            conditional_operator=conditional_operator,
            filter=filter,
            attributes=attributes,
            index=index,
            consistent=consistent,
            segment=0,
            total_segments=total_segments,
        )


# ---------------------------------------------------------------------- helpers


def _is_mapping(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


def _nothing(value: object) -> bool:
    """Whether an argument is missing as boto 2 saw it (falsy); a condition, which has no
    truth value, is something given (and refused as the wrong type)."""
    try:
        return not value
    except TypeError:
        return False


def _log_nothing(what: str, method: str) -> None:
    logger.error("You need to provide %s to %s method", what, method)


def _absent(error: ItemNotFound | DynamoDBResponseError) -> bool:
    """``has_item``'s answer when looking failed: ``False``, unless the error says
    nothing about the item (throttling, server errors that outlasted the retries)."""
    if isinstance(error, DynamoDBResponseError) and _is_transient(error):
        raise error
    return False


def _write_result(capacity: str | None, response: Body) -> bool | WriteResult:
    return WriteResult(capacity_entries(response.get("ConsumedCapacity"))) if capacity else True


def _is_transient(error: DynamoDBResponseError) -> bool:
    """Whether a service error says nothing about the item (throttling, server errors)."""
    status = error.status if isinstance(error.status, int) else 0
    return status >= 500 or error.error_code in RETRYABLE_ERROR_CODES
