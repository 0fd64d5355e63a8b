"""AsyncTable: boto 2's Table API, each request awaited, on the synchronous Table's steps."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Mapping, Sequence
from typing import Any, Literal, TypeVar, overload

from typing_extensions import Unpack

from dynamodb2 import _lifecycle
from dynamodb2._arguments import check_layer1, refusal
from dynamodb2._parallel import workers_for
from dynamodb2._placeholders import Compilable
from dynamodb2._plans import Own, Plan, run_async
from dynamodb2._requests import (
    BatchGetRequest,
    Call,
    QueryRequest,
    ScanRequest,
)
from dynamodb2._table_base import _absent, _nothing, _TableBase, _write_result
from dynamodb2._updates import UpdateActions
from dynamodb2._wire import Body
from dynamodb2.capacity import ReportedCapacity, ReturnConsumedCapacity, WriteResult
from dynamodb2.conditions import KeyCondition, KeyConditions
from dynamodb2.connection import _ConnectionBase
from dynamodb2.exceptions import (
    ConditionalCheckFailedException,
    DynamoDBResponseError,
    ItemNotFound,
)
from dynamodb2.fields import BaseIndexField, BaseSchemaField, GlobalBaseIndexField
from dynamodb2.layer1 import BillingMode, ConditionalOperator, ReturnValues, TableClass, _Layer1
from dynamodb2.results import check_max_page_size
from dynamodb2.ttl import TimeToLive
from dynamodb2.waiters import DEFAULT_TIMEOUT

from ._batch import AsyncBatchTable
from ._connection import AsyncConnection, AsyncDynamoDBConnection, sleep_with
from ._items import AsyncItem
from ._results import AsyncBatchGetResultSet, AsyncResultSet

__all__ = ["AsyncTable"]

_R = TypeVar("_R")


class AsyncTable(
    _TableBase[
        AsyncItem,
        AsyncResultSet[AsyncItem],
        AsyncBatchGetResultSet[AsyncItem],
        AsyncBatchTable,
    ]
):
    """One DynamoDB table for asyncio: :class:`~dynamodb2.table.Table`'s methods, awaited.

    >>> users = await AsyncTable.create("users", schema=[HashKey("username")],
    ...                                 billing_mode="PAY_PER_REQUEST")   # doctest: +SKIP
    >>> await users.put_item(data={"username": "jo"})                    # doctest: +SKIP
    True
    >>> async for user in users.scan():                                  # doctest: +SKIP
    ...     print(user["username"])

    Takes :class:`~dynamodb2.table.Table`'s arguments; ``connection`` is an
    :class:`AsyncDynamoDBConnection` or an :class:`AsyncConnection` (a new one from the
    environment if not given). Every request is built, checked and decoded by the same
    code as the synchronous table's, so what one refuses before sending the other
    refuses the same way. Methods that send are coroutines; ``query_2``, ``query``,
    ``scan`` and ``batch_get`` return result sets for ``async for``, and
    ``batch_write`` a batch for ``async with``; ``parallel_scan`` is an async generator.
    Share a table between tasks of one event loop.
    """

    connection: AsyncDynamoDBConnection
    _item_class = AsyncItem
    _pages_class = AsyncResultSet
    _batch_get_class = AsyncBatchGetResultSet
    _batch_class = AsyncBatchTable

    def __init__(
        self,
        table_name: str,
        schema: Sequence[BaseSchemaField] | None = None,
        throughput: Mapping[str, int] | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        connection: AsyncDynamoDBConnection | AsyncConnection | None = None,
    ) -> None:
        super().__init__(table_name, schema, throughput, indexes, global_indexes, connection)

    @staticmethod
    def _layer1(
        connection: AsyncDynamoDBConnection | AsyncConnection | None,
    ) -> AsyncDynamoDBConnection:
        if connection is None:
            return AsyncDynamoDBConnection()
        if isinstance(connection, AsyncConnection):
            return AsyncDynamoDBConnection(connection=connection)
        if isinstance(connection, (_ConnectionBase, _Layer1)) and not isinstance(
            connection, AsyncDynamoDBConnection
        ):  # a synchronous one
            raise refusal(
                "connection", "an AsyncDynamoDBConnection or an AsyncConnection", connection
            )
        if not isinstance(connection, AsyncDynamoDBConnection):
            check_layer1(connection)
        return connection

    def _send(self, call: Call) -> Awaitable[Body]:
        # The call's own coroutine, not one awaiting it (as every _perform here returns
        # its effect's awaitable): a frame less per request.
        return call.send_async(self.connection)

    async def _run(self, plan: Plan[_R]) -> _R:
        return await run_async(plan, self._perform)

    def _perform(self, effect: Any) -> Awaitable[Any]:
        if type(effect) is Call:
            return self._send(effect)
        if type(effect) is Own:
            return effect.on_async(self)
        return sleep_with(self.pacing.sleep, effect.seconds)

    # ------------------------------------------------------------------ table lifecycle

    @classmethod
    async def create(
        cls,
        table_name: str,
        schema: Sequence[BaseSchemaField],
        throughput: Mapping[str, int] | None = None,
        indexes: Sequence[BaseIndexField] | None = None,
        global_indexes: Sequence[BaseIndexField] | None = None,
        connection: AsyncDynamoDBConnection | AsyncConnection | None = None,
        *,
        billing_mode: BillingMode | None = None,
        stream_specification: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None,
        table_class: TableClass | None = None,
        deletion_protection_enabled: bool | None = None,
    ) -> AsyncTable:
        """Create the table (see :meth:`Table.create <dynamodb2.table.Table.create>`);
        does not wait: ``await table.wait_until_active()``."""
        call, key_types = _lifecycle.create_call(
            table_name, schema, throughput, indexes, global_indexes, billing_mode=billing_mode,
            stream_specification=stream_specification, tags=tags, table_class=table_class,
            deletion_protection_enabled=deletion_protection_enabled,
        )  # fmt: skip
        table = cls(table_name, schema, throughput, indexes, global_indexes, connection)
        await table._send(call)
        return table._created(billing_mode, key_types)

    async def describe(self) -> Body:
        """Fetch the table's description; learn its schema and indexes if not known."""
        return self._described(await self.connection.describe_table(self.table_name))

    async def update(
        self,
        throughput: Mapping[str, int] | None = None,
        global_indexes: Mapping[str, Mapping[str, int]] | None = None,
        *,
        billing_mode: BillingMode | None = None,
    ) -> bool:
        """Change the table's throughput, its global indexes' throughput, or its billing
        mode (see :meth:`Table.update <dynamodb2.table.Table.update>`)."""
        call = self._update_call(throughput, global_indexes, billing_mode)
        if call is None:
            return False
        await self._send(call)
        return self._updated(throughput, billing_mode)

    async def create_global_secondary_index(self, global_index: GlobalBaseIndexField) -> bool:
        """Add a global secondary index to the table."""
        return await self._run(self._create_gsi_plan(global_index))

    async def delete_global_secondary_index(self, global_index_name: str) -> bool:
        """Remove a global secondary index from the table."""
        updates = [{"Delete": {"IndexName": global_index_name}}] if global_index_name else None
        return await self._send_gsi_updates(
            self._gsi_updates_call(
                updates, "the global index name", "delete_global_secondary_index"
            )
        )

    async def update_global_secondary_index(
        self, global_indexes: Mapping[str, Mapping[str, int]]
    ) -> bool:
        """Change the throughput of global indexes: ``{"name": {"read": 2, "write": 2}}``."""
        updates = (
            None if _nothing(global_indexes) else _lifecycle.gsi_throughput_updates(global_indexes)
        )
        return await self._send_gsi_updates(
            self._gsi_updates_call(updates, "the global indexes", "update_global_secondary_index")
        )

    async def _send_gsi_updates(self, call: Call | None) -> bool:
        if call is None:
            return False
        await self._send(call)
        return True

    async def delete(self) -> bool:
        """Delete the table and every item in it."""
        await self.connection.delete_table(self.table_name)
        return True

    async def count(self) -> int:
        """The approximate item count DynamoDB reports (updated about every six hours)."""
        return _lifecycle.item_count(await self.describe())

    async def wait_until_active(self, timeout: float = DEFAULT_TIMEOUT) -> Body:
        """Wait until the table and every global index are ``ACTIVE``; return the description."""
        result: Body = await self._run(self._wait_plan("ACTIVE", timeout))
        return result

    async def wait_until_deleted(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until DynamoDB no longer knows the table (after :meth:`delete`)."""
        await self._run(self._wait_plan("deleted", timeout))

    # ------------------------------------------------------------------ time to live

    async def describe_ttl(self) -> TimeToLive:
        """The table's time-to-live setting."""
        return TimeToLive.from_response(
            await self.connection.describe_time_to_live(self.table_name)
        )

    async def enable_ttl(self, attribute_name: str) -> bool:
        """Expire items by the epoch-seconds time in ``attribute_name`` (``False`` if
        already on for it; see :meth:`Table.enable_ttl <dynamodb2.table.Table.enable_ttl>`)."""
        return await self._run(self._enable_ttl_plan(attribute_name))

    async def disable_ttl(self) -> bool:
        """Stop expiring items. Returns ``False`` if time to live was not on."""
        return await self._run(self._disable_ttl_plan())

    # ------------------------------------------------------------------ keys

    async def get_key_fields(self) -> list[str]:
        """The key attribute names, partition key first (describes the table if needed)."""
        if not self.schema:
            await self.describe()
        assert self.schema is not None
        return [field.name for field in self.schema]

    async def _projects_all(self, index: str) -> bool:
        """Whether ``index`` projects every attribute of the table (describes the table
        if its indexes are not known, as :meth:`get_key_fields` does for its key)."""
        if not self._indexes_known:
            await self.describe()
        return self._index_projects_all(index)

    def _resume_key_names(self, index: str | None) -> list[str] | None:
        # No I/O here (it is read by a property): without a known key, DynamoDB's own
        # resume keys name the attributes.
        if not self.schema:
            return None
        return self._with_index_key([field.name for field in self.schema], index)

    # ------------------------------------------------------------------ single items

    async def get_item(
        self,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **kwargs: Any,
    ) -> AsyncItem:
        """The item with this key (``await get_item(username="johndoe")``); raises
        :class:`~dynamodb2.exceptions.ItemNotFound` if there is none."""
        request = self._get_request(consistent, attributes, return_consumed_capacity, kwargs)
        return self._got_item(request, await self._send(request.call()), kwargs)

    async def has_item(self, **kwargs: Any) -> bool:
        """Whether an item with this key exists (takes ``get_item``'s arguments)."""
        try:
            await self.get_item(**kwargs)
        except (ItemNotFound, DynamoDBResponseError) as error:
            return _absent(error)
        return True

    async def lookup(self, *args: Any, **kwargs: Any) -> AsyncItem:
        """The item with this key; key values may be positional, in schema order."""
        return await self.get_item(**self._lookup_key(await self.get_key_fields(), args, kwargs))

    async def new_item(self, *args: Any) -> AsyncItem:
        """A new, unsaved item with its key attributes set from ``args`` in schema order."""
        return self._new_item(await self.get_key_fields(), args)

    @overload
    async def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    async def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    async def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    async def put_item(
        self,
        data: Mapping[str, Any],
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Write a new item; without ``overwrite``, fails with
        :class:`~dynamodb2.exceptions.ConditionalCheckFailedException` if one with its key
        exists."""
        return await self._item_to_put(data).save(
            overwrite=overwrite,
            condition=condition,
            return_consumed_capacity=return_consumed_capacity,
        )

    async def _put_item(
        self,
        item_data: Mapping[str, Any],
        expects: Mapping[str, Any] | None = None,
    ) -> bool | Body:
        request = self._put_request(item_data, expects)
        response = await self._send(request.call())
        return response if request.capacity else True

    async def _update_item(
        self,
        key: Mapping[str, Any],
        item_data: Mapping[str, Any] | None = None,
        expects: Mapping[str, Any] | None = None,
    ) -> bool | Body:
        request = self._update_request(key, item_data, expects)
        response = await self._send(request.call())
        return response if request.capacity else True

    @overload
    async def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
        **kwargs: Any,
    ) -> bool: ...

    @overload
    async def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
        **kwargs: Any,
    ) -> Literal[False] | WriteResult: ...

    @overload
    async def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **kwargs: Any,
    ) -> bool | WriteResult: ...

    async def delete_item(
        self,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **kwargs: Any,
    ) -> bool | WriteResult:
        """Delete the item with this key; ``False`` if a condition failed."""
        request = self._delete_request(
            expected, conditional_operator, condition, return_consumed_capacity, kwargs
        )
        try:
            response = await self._send(request.call())
        except ConditionalCheckFailedException:
            return False
        return _write_result(request.capacity, response)

    async def update_item(
        self,
        key: Mapping[str, Any],
        *,
        condition: Compilable | None = None,
        return_values: ReturnValues = "NONE",
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        **actions: Unpack[UpdateActions],
    ) -> AsyncItem | None:
        """Change attributes of one item in one ``UpdateItem`` (see
        :meth:`Table.update_item <dynamodb2.table.Table.update_item>`)."""
        request = self._update_item_request(
            key, condition, return_values, return_consumed_capacity, actions
        )
        return self._updated_item(request, await self._send(request.call()))

    # ------------------------------------------------------------------ pages

    async def _batch_get(
        self, keys: Sequence[Mapping[str, Any]], *, request: BatchGetRequest, **_: Any
    ) -> dict[str, Any]:
        response = await self._send(self._batch_get_call(keys, request, identified=True))
        return self._batch_page(request, response)

    async def query_count(
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
        """How many items match, counted by DynamoDB across every page."""
        request = self._count_request(
            index, consistent, conditional_operator, query_filter, scan_index_forward, filter,
            key_condition, filter_kwargs
        )  # fmt: skip
        return await self._run(self._query_count_plan(request, limit, exclusive_start_key))

    def _query(self, limit: int | None = None, **kwargs: Any) -> Awaitable[dict[str, Any]]:
        return self._fetch_page("Query", limit, **kwargs)

    def _scan(self, limit: int | None = None, **kwargs: Any) -> Awaitable[dict[str, Any]]:
        return self._fetch_page("Scan", limit, **kwargs)

    async def _fetch_page(
        self,
        operation: str,
        limit: int | None,
        *,
        request: QueryRequest | ScanRequest,
        exclusive_start_key: Mapping[str, Any] | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        """One page of a query or scan: a ResultSet page (the page callable's result)."""
        call = self._page_call(request, limit, exclusive_start_key)
        return self._page(await self._send(call), request.partial, operation)

    async def parallel_scan(
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
    ) -> AsyncGenerator[AsyncItem, None]:
        """Every item (matching the filters) once, from segments scanned by tasks.

        >>> async for item in table.parallel_scan(total_segments=8):    # doctest: +SKIP
        ...     process(item)

        ``max_workers`` tasks (``total_segments`` by default, at most 32) page through
        the segments. As in the synchronous ``parallel_scan``, a task fetches a page only
        with a permit, given back when the consumer takes a fetched page: at most
        ``max_workers`` pages are fetched and not yet taken, besides the page being
        iterated. Leaving the loop early (or ``aclose()``) cancels the tasks, and a
        task's error is raised here.
        """
        max_page_size = check_max_page_size(max_page_size)
        request = self._segment_scan(
            total_segments, max_page_size, attributes, conditional_operator, filter, index,
            consistent, filter_kwargs
        )  # fmt: skip
        assert request.total_segments is not None
        total_segments = request.total_segments
        workers = workers_for(total_segments, max_workers)
        # Unbounded: the permits bound the pages in it.
        pages: asyncio.Queue[list[AsyncItem] | BaseException | None] = asyncio.Queue()
        permits = asyncio.Semaphore(workers)
        segments = iter(range(total_segments))

        async def work() -> None:
            try:
                for segment in segments:
                    segment_request = request.for_segment(segment, total_segments)
                    start: Mapping[str, Any] | None = None
                    while True:
                        await permits.acquire()
                        page = await self._scan(
                            max_page_size, request=segment_request, exclusive_start_key=start
                        )
                        pages.put_nowait(page["results"])
                        start = page["last_key"]
                        if start is None:
                            break
            except Exception as error:  # handed to the consumer, who raises it
                pages.put_nowait(error)
            else:
                pages.put_nowait(None)

        tasks = [asyncio.ensure_future(work()) for _ in range(workers)]
        try:
            running = workers
            while running:
                message = await pages.get()
                if message is None:
                    running -= 1
                elif isinstance(message, BaseException):
                    raise message
                else:
                    permits.release()  # the page is taken: one more may be fetched
                    for item in message:
                        yield item
        finally:
            for task in tasks:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*tasks, return_exceptions=True)


# The function as defined, not as the class holds it when patched (see _put_request).
AsyncTable._own_put_item = AsyncTable.__dict__["_put_item"]
