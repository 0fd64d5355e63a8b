"""BatchTable: buffered puts and deletes, sent 25 at a time, never dropped.

>>> with table.batch_write() as batch:                              # doctest: +SKIP
...     for user in users:
...         batch.put_item(data=user)
...     batch.delete_item(username="gone")

- Each item is encoded (and, when the table's key is known, its key checked) when it is
  added, so a bad item raises at :meth:`BatchTable.put_item` and the rest of the batch is
  untouched.
- Two writes to the same key before a flush are merged (the last one wins); DynamoDB
  would refuse the whole request otherwise. (This needs the table's key: for a ``Table``
  made without a schema and never described, writes are sent as given, as boto 2 did.)
- Unprocessed items are sent again with a backoff that grows only while DynamoDB makes
  no progress; a newer write to the same key replaces an unprocessed older one, so order
  is kept.
- If writes finally cannot be sent, :class:`~dynamodb2.exceptions.BatchWriteError`
  carries every unsent request. When the cause was DynamoDB's answer, the error is also
  of that answer's class (a ``ValidationException``, a ``ResourceNotFoundException``...),
  so boto 2 code's ``except JSONResponseError`` still catches it.
- Ctrl-C (``KeyboardInterrupt``) or ``SystemExit`` inside the block stops at once: no
  flush runs, the interrupt propagates, carrying the unsent writes as its
  ``unsent_requests`` attribute.

Requests go through the table's layer1 connection (``table.connection.batch_write_item``).
A BatchTable belongs to one thread.
"""

from __future__ import annotations

import itertools
import logging
import typing
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Final

from ._arguments import check_table, flag, instance_of, mapping, sequence_of, truth
from ._limits import MAX_BATCH_WRITE_REQUESTS
from ._plans import Own, Pause, Plan, run
from ._requests import Call, batch_write_call
from ._schema import KeyIdentity, KeySchema
from ._wire import Body
from .capacity import (
    ReturnConsumedCapacity,
    capacity_entries,
    capacity_units,
    check_return_consumed_capacity,
)
from .exceptions import (
    BatchWriteError,
    DynamoDBError,
    DynamoDBResponseError,
    MalformedResponseError,
)
from .results import _response_list, _response_object
from .retry import Pacing, RoundBackoff
from .types import _shown

if typing.TYPE_CHECKING:
    from .table import Table

__all__ = ["BatchTable", "WriteRequest"]

logger = logging.getLogger("dynamodb2.batch")

#: A write request in wire form: ``{"PutRequest": {...}}`` or ``{"DeleteRequest": {...}}``.
WriteRequest = dict[str, Any]

#: A plan's step: send unprocessed writes again (by the method, which code may replace).
_RESEND: Final = Own("resend_unprocessed")

# Writes whose key is not known get an identity of their own: never merged.
_Identity = KeyIdentity | int


class _BatchWrites:
    """What :class:`BatchTable` and ``dynamodb2.aio.AsyncBatchTable`` share: the buffer,
    each write's identity, unprocessed writes and their backoff, and the plans that send
    them. Each subclass only carries the plans out."""

    def __init__(
        self,
        table: Any,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        pacing: Pacing | None = None,
    ) -> None:
        check_table(table)
        self.table = table
        self._pending: dict[_Identity, WriteRequest] = {}
        self._retry: dict[_Identity, WriteRequest] = {}
        self._unique = itertools.count()
        # Whether unprocessed writes from this batch's own requests await a resend.
        self._owed = False
        #: How many write requests reached the table.
        self.sent = 0
        self._return_consumed_capacity = check_return_consumed_capacity(return_consumed_capacity)
        self._pacing = instance_of(pacing, "pacing", Pacing, "a Pacing or None") or table.pacing
        #: The ``ConsumedCapacity`` entries of every request sent (when asked for).
        self.consumed_capacity: list[dict[str, Any]] = []
        # The last BatchWriteError this batch raised, kept up to date on exit.
        self._raised: BatchWriteError | None = None

    @property
    def consumed_capacity_units(self) -> float:
        """Write capacity units the batch's requests consumed (when asked for)."""
        return capacity_units(self.consumed_capacity)

    @property
    def _schema(self) -> KeySchema:
        schema: KeySchema = self.table.key_schema
        return schema

    # boto 2 kept unprocessed writes in a list, which its tests read and replace.
    @property
    def _unprocessed(self) -> list[WriteRequest]:
        """Unprocessed writes awaiting a resend (boto 2's list; compatibility only)."""
        return list(self._retry.values())

    @_unprocessed.setter
    def _unprocessed(self, requests: Iterable[WriteRequest]) -> None:
        self._retry = {}
        for request in requests:
            self._retry[self._identity(request)] = request

    @property
    def _to_put(self) -> list[dict[str, Any]]:
        """The puts waiting for a flush, as Python values (boto 2's list; compatibility
        only). Assigning an empty list drops them, as boto 2's ``flush`` did."""
        decode = self._schema.dynamizer.decode_item
        return [
            decode(request["PutRequest"]["Item"])
            for request in self._pending.values()
            if "PutRequest" in request
        ]

    @_to_put.setter
    def _to_put(self, puts: Iterable[Mapping[str, Any]]) -> None:
        self._replace_pending(
            "PutRequest", [{"PutRequest": {"Item": self._schema.encode_item(d)}} for d in puts]
        )

    @property
    def _to_delete(self) -> list[dict[str, Any]]:
        """The keys of the deletes waiting for a flush, as Python values (boto 2's list;
        compatibility only)."""
        decode = self._schema.dynamizer.decode_item
        return [
            decode(request["DeleteRequest"]["Key"])
            for request in self._pending.values()
            if "DeleteRequest" in request
        ]

    @_to_delete.setter
    def _to_delete(self, keys: Iterable[Mapping[str, Any]]) -> None:
        self._replace_pending(
            "DeleteRequest",
            [{"DeleteRequest": {"Key": self._schema.encode_key(key)}} for key in keys],
        )

    def _replace_pending(self, kind: str, requests: list[WriteRequest]) -> None:
        for identity in [i for i, request in self._pending.items() if kind in request]:
            del self._pending[identity]
        for request in requests:
            self._pending[self._identity(request)] = request

    def _flush_on_exit(self, exc_value: BaseException | None) -> bool:
        """Whether leaving the block flushes. Flush even when the block raised: what was
        added is still meant to be written. Not on Ctrl-C, ``SystemExit`` or a
        cancellation: stop now, but hang what was not written on the exception."""
        if exc_value is not None and not isinstance(exc_value, Exception):
            _attach_unsent(exc_value, self._unsent())
            return False
        return True

    def _failed_on_exit(self, error: BaseException, exc_value: BaseException | None) -> None:
        """The flush on leaving the block raised ``error``. The block's exception then
        propagates, unless the flush fails too: its BatchWriteError carries writes that
        would otherwise be lost, so it wins, keeping the block's exception as
        ``block_exception``. An interrupt carries the unsent writes."""
        if isinstance(error, BatchWriteError):
            if exc_value is not None and error is not exc_value:
                error.block_exception = exc_value
        else:
            _attach_unsent(error, self._unsent())

    def _flushed_on_exit(self, exc_value: BaseException | None) -> None:
        if exc_value is not None and exc_value is self._raised:
            # The block stopped on this batch's own error, and the flush above then wrote
            # what it listed: it now lists what is still unsent, which is nothing.
            self._raised.unsent_requests = self._unsent()

    def _put_request(
        self, data: Mapping[str, Any], overwrite: object, *, store_empty: bool
    ) -> WriteRequest:
        truth(overwrite, "overwrite")  # accepted (and unused) as boto 2 did
        if store_empty is not False:
            store_empty = flag(store_empty, "store_empty")
        return {"PutRequest": {"Item": self._schema.encode_item(data, store_empty=store_empty)}}

    def _delete_request(self, key: Mapping[str, Any]) -> WriteRequest:
        return {"DeleteRequest": {"Key": self._schema.encode_key(key)}}

    def _identity(self, request: Mapping[str, Any], schema: KeySchema | None = None) -> _Identity:
        try:
            identity = (schema or self._schema).identity_of_write(request)
        except (KeyError, TypeError, ValueError, DynamoDBError):
            identity = None  # not a request this batch can read: never merged
        return next(self._unique) if identity is None else identity

    def _buffer(self, request: WriteRequest) -> None:
        identity = self._identity(request)
        # A newer write to the key supersedes an older one, sent or not.
        self._retry.pop(identity, None)
        self._pending.pop(identity, None)
        self._pending[identity] = request

    # ------------------------------------------------------------------ sending

    def should_flush(self) -> bool:
        """Whether a full request (25 writes) is waiting."""
        return len(self._pending) >= MAX_BATCH_WRITE_REQUESTS

    def _flush_plan(self) -> Plan[None]:
        yield from self._send_buffered_plan()
        if self._owed:
            yield _RESEND

    def _send_buffered_plan(self) -> Plan[None]:
        """Send the buffer; retry unprocessed writes only once a full request of them has
        gathered, so adding writes does not wait on backoff at every 25th. (When the
        table's key is not known, unprocessed writes go first: only their order keeps a
        newer write from being overwritten by an older one.)"""
        if self._owed and not self._schema.known:
            yield _RESEND
        while self._pending:
            yield from self._send_plan(self._take(self._pending))
        if len(self._retry) >= MAX_BATCH_WRITE_REQUESTS:
            yield _RESEND

    def handle_unprocessed(self, resp: Mapping[str, Any]) -> None:
        """Keep the ``UnprocessedItems`` of a BatchWriteItem response for retry."""
        response = mapping(resp, "resp", none=False) or {}
        unprocessed = mapping(response.get("UnprocessedItems") or {}, "resp") or {}
        requests = sequence_of(
            unprocessed.get(self.table.table_name, []),
            "resp",
            _is_mapping,
            "a BatchWriteItem response ({'UnprocessedItems': {table: [requests]}})",
        )
        requests = requests or []
        if requests:
            logger.info("%d writes were unprocessed; they will be retried", len(requests))
            self._owed = True
        for request in requests:
            identity = self._identity(request)
            # A newer write to the same key, not yet sent, wins over this older one.
            if identity not in self._pending:
                self._retry[identity] = request

    def _resend_plan(self) -> Plan[None]:
        backoff = RoundBackoff(max_stalls=self._pacing.policy.max_attempts)
        while self._retry:
            yield Pause(backoff.next_level())
            chunk = self._take(self._retry)
            before = len(self._retry) + len(chunk)
            yield from self._send_plan(chunk)
            if len(self._retry) < before:
                backoff.progressed()
            elif backoff.stalled():
                unsent = self._unsent()
                self._raised = BatchWriteError(
                    f"{len(unsent)} writes to {self.table.table_name} were still "
                    f"unprocessed after {backoff.stalls} rounds without progress",
                    unsent,
                )
                raise self._raised
        self._owed = False

    @property
    def unsent_requests(self) -> list[WriteRequest]:
        """Every write added but not yet written (buffered or unprocessed)."""
        return self._unsent()

    def _take(self, source: dict[_Identity, WriteRequest]) -> list[WriteRequest]:
        chunk = [source.pop(identity) for identity in list(source)[:MAX_BATCH_WRITE_REQUESTS]]
        # boto 2 sent a request's puts before its deletes (no key appears twice in one).
        return [r for r in chunk if "PutRequest" in r] + [r for r in chunk if "PutRequest" not in r]

    def _send_plan(self, chunk: list[WriteRequest]) -> Plan[None]:
        call = batch_write_call(self.table.table_name, chunk, self._return_consumed_capacity)
        try:
            response = yield call
            # A malformed answer (MalformedResponseError) is met as a failed request:
            # the chunk is kept, none of it counted as written.
            unprocessed = _unprocessed_writes(response, self.table.table_name)
        except (DynamoDBResponseError, DynamoDBError) as error:
            self._keep(chunk)
            unsent = self._unsent()
            self._raised = BatchWriteError.caused_by(
                error,
                f"{len(unsent)} writes to {self.table.table_name} were not written: {error}",
                unsent,
            )
            raise self._raised from error
        except BaseException:
            # Anything else (an interrupt, a cancellation, a bug) propagates as it is,
            # the chunk kept.
            self._keep(chunk)
            raise
        self._took(chunk, response, unprocessed)

    def _took(self, chunk: list[WriteRequest], response: Body, unprocessed: list[Any]) -> None:
        """Take in DynamoDB's answer to a request of ``chunk`` (``unprocessed``: the
        writes it left unprocessed)."""
        if not isinstance(response, Mapping):
            response = {}
        if self._return_consumed_capacity:
            self.consumed_capacity.extend(capacity_entries(response.get("ConsumedCapacity")))
        self.sent += len(chunk) - len(unprocessed)
        self.handle_unprocessed(response)

    def _keep(self, chunk: list[WriteRequest]) -> None:
        """Put back a chunk that was not written, older than anything pending since."""
        for request in chunk:
            identity = self._identity(request)
            if identity not in self._pending:
                self._retry[identity] = request

    def _unsent(self) -> list[WriteRequest]:
        return [*self._retry.values(), *self._pending.values()]


def _unprocessed_writes(response: Any, table_name: str) -> list[Any]:
    """The writes to ``table_name`` a BatchWriteItem response left unprocessed: a
    malformed ``UnprocessedItems`` raises MalformedResponseError naming it."""
    operation = "BatchWriteItem"
    if not isinstance(response, Mapping):
        return []
    unprocessed = _response_object(response.get("UnprocessedItems"), "UnprocessedItems", operation)
    field = f"UnprocessedItems.{table_name}"
    requests = _response_list(unprocessed or {}, table_name, operation, field=field)
    for request in requests:
        if type(request) is not dict or len(request) != 1:
            raise MalformedResponseError(
                f"{_shown(request)}, not a write ({{'PutRequest': ...}} or "
                "{'DeleteRequest': ...})",
                field=field,
                operation=operation,
            )
    return requests


def _is_mapping(value: object) -> bool:
    return isinstance(value, Mapping)


class BatchTable(_BatchWrites):
    """A context manager that batches writes to one table (``table.batch_write()``).

    With ``return_consumed_capacity`` (``"TOTAL"`` or ``"INDEXES"``), every request asks
    for its consumed capacity and the batch sums it in :attr:`consumed_capacity` and
    :attr:`consumed_capacity_units`. ``pacing`` (the table's connection's, by default)
    sets the backoff between rounds of unprocessed writes and how many rounds without
    progress are tolerated.
    """

    table: Table

    def __init__(
        self,
        table: Table,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        pacing: Pacing | None = None,
    ) -> None:
        super().__init__(table, return_consumed_capacity=return_consumed_capacity, pacing=pacing)

    def __enter__(self) -> BatchTable:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._flush_on_exit(exc_value):
            return
        try:
            self.flush_all()
        except BaseException as error:
            self._failed_on_exit(error, exc_value)
            raise
        self._flushed_on_exit(exc_value)

    # ------------------------------------------------------------------ adding

    def put_item(
        self, data: Mapping[str, Any], overwrite: bool = False, *, store_empty: bool = False
    ) -> None:
        """Add a put. ``overwrite`` is accepted for boto 2 compatibility: batch puts
        always replace (BatchWriteItem has no conditions).

        ``None`` and ``""`` attribute values are dropped, as boto 2 did, unless
        ``store_empty`` is true: then they are stored (as ``NULL`` and an empty string),
        and an empty set, which DynamoDB cannot store, is refused. ``dynamodb2 load``
        stores what its file says this way.
        """
        self._add(self._put_request(data, overwrite, store_empty=store_empty))

    def delete_item(self, **kwargs: Any) -> None:
        """Add a delete of the item with this key (``delete_item(username="x")``)."""
        self._add(self._delete_request(kwargs))

    def _add(self, request: WriteRequest) -> None:
        self._buffer(request)
        if self.should_flush():
            if type(self).flush is not BatchTable.flush:
                self.flush()  # a subclass's own flush, as boto 2 called it
            else:
                self._send_buffered()

    def flush(self) -> bool:
        """Write everything added so far, in requests of 25; then, if DynamoDB left any of
        this batch's writes unprocessed, send those again (with backoff) until every one
        is written (see :meth:`resend_unprocessed`).

        boto 2's ``flush()`` left unprocessed writes behind until the batch exited, so a
        batch used without ``with`` lost them; here a ``True`` means all were written.
        """
        self._run(self._flush_plan())
        return True

    def flush_all(self) -> None:
        """Send everything, then every unprocessed write until none are left."""
        if self._pending:
            self.flush()
        self.resend_unprocessed()

    def _send_buffered(self) -> None:
        self._run(self._send_buffered_plan())

    def resend_unprocessed(self) -> None:
        """Send unprocessed writes again, with backoff, until none are left.

        Raises :class:`~dynamodb2.exceptions.BatchWriteError` (carrying every unsent
        write) if the pacing's ``max_attempts`` rounds in a row make no progress.
        """
        self._run(self._resend_plan())

    def _send(self, chunk: list[WriteRequest]) -> None:
        self._run(self._send_plan(chunk))

    def _run(self, plan: Plan[None]) -> None:
        run(plan, self._perform)

    def _perform(self, effect: Call | Pause | Own) -> Any:
        if type(effect) is Pause:
            return self._pacing.pause(effect.level)
        if type(effect) is Own:
            return effect.on(self)
        assert isinstance(effect, Call)
        return effect.send(self.table.connection)


def _attach_unsent(interrupt: BaseException, unsent: list[WriteRequest]) -> None:
    """Hang the writes an interrupt left unsent on it (it propagates as it is)."""
    try:
        interrupt.unsent_requests = unsent  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - an exception class with __slots__
        logger.warning("%d writes were not sent before %r", len(unsent), interrupt)
