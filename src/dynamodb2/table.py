"""Table: boto 2's high-level API to one DynamoDB table.

>>> from dynamodb2.fields import HashKey, RangeKey
>>> from dynamodb2.table import Table
>>> users = Table.create("users", schema=[HashKey("username")])        # doctest: +SKIP
>>> users.put_item(data={"username": "johndoe", "first_name": "John"})  # doctest: +SKIP
True
>>> users.get_item(username="johndoe")["first_name"]                    # doctest: +SKIP
'John'

Every public name, signature and default is boto 2.49's. A ``Table`` is a thin facade:
each method builds a request spec (``dynamodb2._requests``) and sends it through
:attr:`Table.connection`, the layer1 :class:`~dynamodb2.layer1.DynamoDBConnection`, with
boto 2's parameter names, so code and tests that patch ``table.connection`` see every
call. What changed underneath (expressions on the wire, compare-and-set saves, bugs
fixed) is listed in ``docs/coming-from-boto2.md``.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any, Generic, Literal, TypeVar, overload

from typing_extensions import Unpack

from . import _lifecycle
from ._arguments import check_layer1, refusal
from ._parallel import parallel_scan
from ._placeholders import Compilable
from ._plans import Own, Plan, Sleep, run
from ._requests import (
    BatchGetRequest,
    Call,
    QueryRequest,
    ScanRequest,
)
from ._schema import KeySchema
from ._table_base import (
    _absent,
    _nothing,
    _TableBase,
    _write_result,
)
from ._updates import UpdateActions, UpdatePath
from ._wire import Body
from .batch import BatchTable
from .capacity import (
    ReportedCapacity,
    ReturnConsumedCapacity,
    WriteResult,
)
from .conditions import KeyCondition, KeyConditions
from .connection import Connection, _ConnectionBase
from .exceptions import (
    ConditionalCheckFailedException,
    DynamoDBResponseError,
    ItemNotFound,
)
from .fields import BaseIndexField, BaseSchemaField, GlobalBaseIndexField
from .items import Item
from .layer1 import (
    BillingMode,
    ConditionalOperator,
    DynamoDBConnection,
    ReturnValues,
    TableClass,
    _Layer1,
)
from .results import (
    BatchGetResultSet,
    ResultSet,
    check_max_page_size,
)
from .ttl import TimeToLive
from .waiters import DEFAULT_TIMEOUT

__all__ = ["BatchTable", "KeySchema", "Table", "UpdateActions", "UpdatePath"]

_R = TypeVar("_R")
_T = TypeVar("_T")


class _ModuleName(Generic[_T]):
    """A class attribute that is this module's global ``name``, looked up each time it
    is read; an instance or a subclass may set its own (only ``__get__``: a non-data
    descriptor)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __get__(self, instance: object, owner: type | None = None) -> _T:
        found: _T = globals()[self._name]
        return found


class Table(_TableBase[Item, ResultSet[Item], BatchGetResultSet[Item], BatchTable]):
    """One DynamoDB table: items, queries, scans, batches and the table's own settings.

    Args:
        table_name: the table's name.
        schema: its key, ``[HashKey(...)]`` or ``[HashKey(...), RangeKey(...)]``. Without
            it, keys are sent as given (as boto 2 did) until :meth:`describe` (or a
            method that needs the key, such as :meth:`lookup`) learns it.
        throughput: ``{"read": 5, "write": 5}`` (used by :meth:`create`).
        indexes: its local secondary indexes.
        global_indexes: its global secondary indexes.
        connection: a :class:`~dynamodb2.layer1.DynamoDBConnection` (or any object with
            its methods, such as a ``mock.create_autospec`` of it), or a
            :class:`~dynamodb2.connection.Connection`; a new one from the environment's
            configuration if not given.

    A Table may be shared between threads; the :class:`ResultSet` and
    :class:`BatchTable` objects it returns belong to one thread each.
    """

    connection: DynamoDBConnection

    # This module's names, looked up on use, as boto 2's Table used its module's: a test
    # that patches dynamodb2.table.Item (or boto.dynamodb2.table.Item, through the shim)
    # gets its mock from get_item. A subclass or an instance may set its own.
    _item_class: _ModuleName[type[Item]] = _ModuleName("Item")
    _pages_class: _ModuleName[type[ResultSet[Item]]] = _ModuleName("ResultSet")
    _batch_get_class: _ModuleName[type[BatchGetResultSet[Item]]] = _ModuleName("BatchGetResultSet")
    _batch_class: _ModuleName[type[BatchTable]] = _ModuleName("BatchTable")

    def __init__(
        self,
        table_name: str,
        schema: Sequence[BaseSchemaField] | None = None,
        throughput: Mapping[str, int] | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        connection: DynamoDBConnection | Connection | None = None,
    ) -> None:
        super().__init__(table_name, schema, throughput, indexes, global_indexes, connection)

    def _send(self, call: Call) -> Body:
        return call.send(self.connection)

    @staticmethod
    def _layer1(connection: DynamoDBConnection | Connection | None) -> DynamoDBConnection:
        if connection is None:
            return DynamoDBConnection()
        if isinstance(connection, Connection):
            return DynamoDBConnection(connection=connection)
        if not isinstance(connection, DynamoDBConnection):
            if isinstance(connection, (_ConnectionBase, _Layer1)):  # an asyncio one
                raise refusal("connection", "a DynamoDBConnection or a Connection", connection)
            check_layer1(connection)
        return connection

    def _run(self, plan: Plan[_R]) -> _R:
        return run(plan, self._perform)

    def _perform(self, effect: Any) -> Any:
        if type(effect) is Call:
            return effect.send(self.connection)
        if type(effect) is Own:
            return effect.on(self)
        assert type(effect) is Sleep
        return self.pacing.sleep(effect.seconds)

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
        billing_mode: BillingMode | None = None,
        stream_specification: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None,
        table_class: TableClass | None = None,
        deletion_protection_enabled: bool | None = None,
    ) -> Table:
        """Create the table in DynamoDB and return a :class:`Table` for it.

        >>> Table.create("users", schema=[HashKey("username")],
        ...              billing_mode="PAY_PER_REQUEST")          # doctest: +SKIP
        Table('users')

        ``billing_mode="PAY_PER_REQUEST"`` makes an on-demand table (no throughput, for
        the table and its global indexes). ``tags`` is ``{"team": "web"}`` or DynamoDB's
        ``[{"Key": ..., "Value": ...}]``. Does not wait: see :meth:`wait_until_active`.
        """
        call, key_types = _lifecycle.create_call(
            table_name,
            schema,
            throughput,
            indexes,
            global_indexes,
            billing_mode=billing_mode,
            stream_specification=stream_specification,
            tags=tags,
            table_class=table_class,
            deletion_protection_enabled=deletion_protection_enabled,
        )
        table = cls(table_name, schema, throughput, indexes, global_indexes, connection)
        table._send(call)
        return table._created(billing_mode, key_types)

    def describe(self) -> Body:
        """Fetch the table's description; learn its schema and indexes if not known.

        Returns DescribeTable's response (``{"Table": {...}}``).
        """
        return self._described(self.connection.describe_table(self.table_name))

    def update(
        self,
        throughput: Mapping[str, int] | None = None,
        global_indexes: Mapping[str, Mapping[str, int]] | None = None,
        *,
        billing_mode: BillingMode | None = None,
    ) -> bool:
        """Change the table's throughput, its global indexes' throughput, or its billing mode.

        Switching to ``"PAY_PER_REQUEST"`` (on-demand) takes no throughput; switching to
        ``"PROVISIONED"`` needs the table's ``throughput`` and one for each global index
        in ``global_indexes``. Returns ``False`` (and logs) when given nothing to change,
        as boto 2 did. The table object takes the new throughput once DynamoDB accepted it.
        """
        call = self._update_call(throughput, global_indexes, billing_mode)
        if call is None:
            return False
        self._send(call)
        return self._updated(throughput, billing_mode)

    def create_global_secondary_index(self, global_index: GlobalBaseIndexField) -> bool:
        """Add a global secondary index to the table (without throughput on an on-demand
        table, which refuses one: the billing mode is looked up first if not known)."""
        return self._run(self._create_gsi_plan(global_index))

    def delete_global_secondary_index(self, global_index_name: str) -> bool:
        """Remove a global secondary index from the table."""
        call = self._gsi_updates_call(
            self._gsi_deletion(global_index_name),
            "the global index name",
            "delete_global_secondary_index",
        )
        if call is None:
            return False
        self._send(call)
        return True

    def update_global_secondary_index(
        self, global_indexes: Mapping[str, Mapping[str, int]]
    ) -> bool:
        """Change the throughput of global indexes: ``{"name": {"read": 2, "write": 2}}``."""
        call = self._gsi_updates_call(
            None if _nothing(global_indexes) else _lifecycle.gsi_throughput_updates(global_indexes),
            "the global indexes",
            "update_global_secondary_index",
        )
        if call is None:
            return False
        self._send(call)
        return True

    def delete(self) -> bool:
        """Delete the table and every item in it."""
        self.connection.delete_table(self.table_name)
        return True

    def count(self) -> int:
        """The approximate item count DynamoDB reports (updated about every six hours)."""
        return _lifecycle.item_count(self.describe())

    def wait_until_active(self, timeout: float = DEFAULT_TIMEOUT) -> Body:
        """Wait until the table and every global index are ``ACTIVE``; return the description.

        Polls DescribeTable with capped backoff; raises
        :class:`~dynamodb2.exceptions.WaitTimeoutError` after ``timeout`` seconds.
        """
        result: Body = self._run(self._wait_plan("ACTIVE", timeout))
        return result

    def wait_until_deleted(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until DynamoDB no longer knows the table (after :meth:`delete`); raises
        :class:`~dynamodb2.exceptions.WaitTimeoutError` after ``timeout`` seconds."""
        self._run(self._wait_plan("deleted", timeout))

    # ------------------------------------------------------------------ time to live

    def describe_ttl(self) -> TimeToLive:
        """The table's time-to-live setting."""
        return TimeToLive.from_response(self.connection.describe_time_to_live(self.table_name))

    def enable_ttl(self, attribute_name: str) -> bool:
        """Have DynamoDB delete items once the epoch-seconds time in ``attribute_name`` passes.

        Returns ``False`` without asking for a change if it is already on for that
        attribute (DynamoDB refuses to enable it twice), and refuses a switch to another
        attribute while it is on (DynamoDB refuses that too; disable first).
        """
        return self._run(self._enable_ttl_plan(attribute_name))

    def disable_ttl(self) -> bool:
        """Stop expiring items. Returns ``False`` if time to live was not on."""
        return self._run(self._disable_ttl_plan())

    # ------------------------------------------------------------------ keys

    def get_key_fields(self) -> list[str]:
        """The key attribute names, partition key first (describes the table if needed)."""
        if not self.schema:
            with self._describe_lock:
                if not self.schema:
                    self.describe()
        assert self.schema is not None
        return [field.name for field in self.schema]

    def _projects_all(self, index: str) -> bool:
        """Whether ``index`` projects every attribute of the table (describes the table
        if its indexes are not known, as :meth:`get_key_fields` does for its key)."""
        if not self._indexes_known:
            with self._describe_lock:
                if not self._indexes_known:
                    self.describe()
        return self._index_projects_all(index)

    # ------------------------------------------------------------------ single items

    def get_item(
        self,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **kwargs: Any,
    ) -> Item:
        """The item with this key (``get_item(username="johndoe")``).

        Raises :class:`~dynamodb2.exceptions.ItemNotFound` if there is none.
        ``attributes`` limits which attributes are returned. With
        ``return_consumed_capacity="TOTAL"`` the item's ``consumed_capacity`` says what
        the read cost.
        """
        request = self._get_request(consistent, attributes, return_consumed_capacity, kwargs)
        return self._got_item(request, self._send(request.call()), kwargs)

    def has_item(self, **kwargs: Any) -> bool:
        """Whether an item with this key exists (takes ``get_item``'s arguments).

        As in boto 2, a key DynamoDB refuses or a missing table answer ``False``; errors
        that say nothing about the item (throttling and server errors that outlasted the
        retries, a lost connection) are raised rather than reported as ``False``.
        """
        try:
            self.get_item(**kwargs)
        except (ItemNotFound, DynamoDBResponseError) as error:
            return _absent(error)
        return True

    def lookup(self, *args: Any, **kwargs: Any) -> Item:
        """The item with this key; key values may be positional, in schema order:
        ``lookup("johndoe")``, ``lookup("forum", "subject")``. Raises
        :class:`~dynamodb2.exceptions.ItemNotFound` if there is none (as boto 2.49 did,
        whatever its docstring said)."""
        return self.get_item(**self._lookup_key(self.get_key_fields(), args, kwargs))

    def new_item(self, *args: Any) -> Item:
        """A new, unsaved item with its key attributes set from ``args`` in schema order."""
        return self._new_item(self.get_key_fields(), args)

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
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Write a new item. Without ``overwrite``, fails with
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` if an item with
        the same key exists. ``condition`` adds a condition of your own.

        Returns ``True``, or a truthy :class:`~dynamodb2.capacity.WriteResult` carrying
        the consumed capacity when ``return_consumed_capacity`` asks for it.
        """
        item = self._item_to_put(data)
        if condition is None and return_consumed_capacity is None:
            # boto 2's call, as a test patching Item.save asserts it.
            return item.save(overwrite=overwrite)
        return item.save(
            overwrite=overwrite,
            condition=condition,
            return_consumed_capacity=return_consumed_capacity,
        )

    def _put_item(
        self,
        item_data: Mapping[str, Any],
        expects: Mapping[str, Any] | None = None,
    ) -> bool | Body:
        """Send a ``PutItem`` of an item in wire form (boto 2's helper, which
        :meth:`Item.save <dynamodb2.items.Item.save>` goes through, and which a subclass
        may override with boto 2's signature).

        ``expects`` is boto 2's legacy ``Expected``, sent as given. Returns ``True``, or
        the response when the save asked for consumed capacity.
        """
        request = self._put_request(item_data, expects)
        response = self._send(request.call())
        return response if request.capacity else True

    def _update_item(
        self,
        key: Mapping[str, Any],
        item_data: Mapping[str, Any] | None = None,
        expects: Mapping[str, Any] | None = None,
    ) -> bool | Body:
        """Send an ``UpdateItem`` (boto 2's helper, which :meth:`Item.partial_save
        <dynamodb2.items.Item.partial_save>` goes through, and which a subclass may
        override with boto 2's signature).

        ``key`` holds Python values; ``item_data`` and ``expects`` are boto 2's legacy
        ``AttributeUpdates`` and ``Expected``, sent as given. Returns ``True``, or the
        response when the save asked for consumed capacity.
        """
        request = self._update_request(key, item_data, expects)
        response = self._send(request.call())
        return response if request.capacity else True

    @overload
    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
        **kwargs: Any,
    ) -> bool: ...

    @overload
    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
        **kwargs: Any,
    ) -> Literal[False] | WriteResult: ...

    @overload
    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **kwargs: Any,
    ) -> bool | WriteResult: ...

    def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **kwargs: Any,
    ) -> bool | WriteResult:
        """Delete the item with this key (``delete_item(username="johndoe")``).

        ``expected`` holds boto 2-style conditions (``{"status__eq": "inactive"}``),
        joined by ``conditional_operator``; ``condition`` a built one. Returns ``False``
        if a condition failed; otherwise ``True``, or a truthy
        :class:`~dynamodb2.capacity.WriteResult` when ``return_consumed_capacity`` asks
        for the consumed capacity.
        """
        request = self._delete_request(
            expected, conditional_operator, condition, return_consumed_capacity, kwargs
        )
        try:
            response = self._send(request.call())
        except ConditionalCheckFailedException:
            return False
        return _write_result(request.capacity, response)

    def update_item(
        self,
        key: Mapping[str, Any],
        *,
        condition: Compilable | None = None,
        return_values: ReturnValues = "NONE",
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **actions: Unpack[UpdateActions],
    ) -> Item | None:
        """Change attributes of one item in one ``UpdateItem``, creating it if absent.

        >>> table.update_item({"username": "jo"}, add={"visits": 1},
        ...                   set={"profile.city": "Oslo"}, remove=["temp"],
        ...                   condition=Attr("banned").not_exists())   # doctest: +SKIP

        Paths are as for :class:`~dynamodb2.conditions.Attr`; docs/updates.md describes
        the actions. ``return_values`` chooses what comes back as an :class:`Item`
        (``None`` when nothing does). With ``return_consumed_capacity``, an :class:`Item`
        always comes back (empty if there were no attributes), carrying
        ``consumed_capacity``. Raises
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` if ``condition``
        fails.
        """
        request = self._update_item_request(
            key, condition, return_values, return_consumed_capacity, actions
        )
        return self._updated_item(request, self._send(request.call()))

    def _batch_get(
        self,
        keys: Sequence[Mapping[str, Any]],
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        *,
        request: BatchGetRequest | None = None,
    ) -> dict[str, Any]:
        """One ``BatchGetItem`` of up to 100 keys: ``{"results": [...], "last_key": None,
        "unprocessed_keys": [...]}`` (boto 2's page callable)."""
        identified = request is not None  # else called as boto 2's helper
        if request is None:
            request = BatchGetRequest.build(
                self.key_schema, consistent=consistent, attributes=attributes
            )
        call = self._batch_get_call(keys, request, identified=identified)
        return self._batch_page(request, self._send(call))

    def query_count(
        self,
        index: str | None = None,
        consistent: bool = False,
        conditional_operator: ConditionalOperator | None = None,
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

        Key conditions are keywords as for :meth:`query_2`, or ``key_condition``.
        ``limit`` is each request's ``Limit``, as in boto 2 (every page is counted, so it
        sets the page size, not a cap on the count).
        """
        request = self._count_request(
            index, consistent, conditional_operator, query_filter, scan_index_forward, filter,
            key_condition, filter_kwargs
        )  # fmt: skip
        return self._run(self._query_count_plan(request, limit, exclusive_start_key))

    def _query(
        self,
        limit: int | None = None,
        index: str | None = None,
        reverse: bool = False,
        consistent: bool = False,
        exclusive_start_key: Mapping[str, Any] | None = None,
        select: str | None = None,
        attributes_to_get: Sequence[str] | None = None,
        query_filter: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        *,
        request: QueryRequest | None = None,
        **filter_kwargs: Any,
    ) -> dict[str, Any]:
        """One page of a query: ``{"results": [...], "last_key": ...}`` (boto 2's page
        callable; ``request`` is the compiled query the result set pages over)."""
        if request is None:
            request = QueryRequest.of_keywords(
                self.key_schema,
                filter_kwargs,
                query_filter=query_filter,
                conditional_operator=conditional_operator,
                attributes=attributes_to_get,
                index=index,
                consistent=consistent,
                reverse=reverse,
                select=select,
            )
        call = self._page_call(request, limit, exclusive_start_key)
        return self._page(self._send(call), request.partial, "Query")

    def parallel_scan(
        self,
        total_segments: int = 4,
        max_workers: int | None = None,
        *,
        max_page_size: int | None = None,
        attributes: Sequence[str] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        filter: Compilable | None = None,
        index: str | None = None,
        consistent: bool = False,
        **filter_kwargs: Any,
    ) -> Generator[Item, None, None]:
        """Every item (matching the filters) once, from segments scanned on threads.

        >>> for item in table.parallel_scan(total_segments=8, status__eq="active"):
        ...     process(item)                                           # doctest: +SKIP

        Takes :meth:`scan`'s filters; items come in no particular order. ``max_workers``
        threads (``total_segments`` by default, at most 32) fetch pages, at most one page
        each ahead of the consumer. Leaving the loop early stops them; a worker's error is
        raised here. Give the connection at least ``max_workers`` pooled connections.
        """
        max_page_size = check_max_page_size(max_page_size)
        request = self._segment_scan(
            total_segments,
            max_page_size,
            attributes,
            conditional_operator,
            filter,
            index,
            consistent,
            filter_kwargs,
        )

        segments = request.total_segments
        assert segments is not None

        def fetch_page(
            segment: int, start_key: Mapping[str, Any] | None
        ) -> tuple[list[Item], dict[str, Any] | None]:
            page = self._scan(
                limit=max_page_size,
                exclusive_start_key=start_key,
                request=request.for_segment(segment, segments),
            )
            return page["results"], page["last_key"]

        return parallel_scan(fetch_page, total_segments=segments, max_workers=max_workers)

    def _scan(
        self,
        limit: int | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        segment: int | None = None,
        total_segments: int | None = None,
        attributes: Sequence[str] | None = None,
        conditional_operator: str | None = None,
        *,
        request: ScanRequest | None = None,
        **filter_kwargs: Any,
    ) -> dict[str, Any]:
        """One page of a scan: ``{"results": [...], "last_key": ...}`` (boto 2's page
        callable; ``request`` is the compiled scan the result set pages over)."""
        if request is None:
            request = ScanRequest.of_keywords(
                self.key_schema,
                filter_kwargs,
                conditional_operator=conditional_operator,
                attributes=attributes,
                segment=segment,
                total_segments=total_segments,
            )
        call = self._page_call(request, limit, exclusive_start_key)
        return self._page(self._send(call), request.partial, "Scan")

    def _resume_key_names(self, index: str | None) -> list[str] | None:
        """The attributes of a resume key inside a page: the table's key, plus the
        index's on an index. Only asked for when iteration stops inside a page (which
        boto 2 could not resume from): the table is described then if need be."""
        return self._with_index_key(self.get_key_fields(), index)


# The function as defined, not as the class holds it when patched (see _put_request).
Table._own_put_item = Table.__dict__["_put_item"]
