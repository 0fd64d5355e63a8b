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
- Leaving the block never swallows an exception. On an ordinary exception the block's
  writes are flushed, then it propagates. Ctrl-C (``KeyboardInterrupt``) or
  ``SystemExit`` inside the block stops at once: no flush runs, the interrupt
  propagates carrying the unsent writes as its ``unsent_requests`` attribute, and they
  stay in the batch, so a later :meth:`BatchTable.flush` sends them.
- No write is lost to an interrupt arriving at any moment, even in the middle of a
  send: a write leaves the batch only once DynamoDB's answer to it has been taken in
  (unprocessed writes are stored for the resend before the written ones are let go).
  At worst a write whose answer the interrupt cut off is sent again (harmless for a put
  or a delete). See docs/reliability.md.

Requests go through the table's layer1 connection (``table.connection.batch_write_item``).
A BatchTable belongs to one thread.
"""

from __future__ import annotations

import itertools
import logging
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Final, SupportsIndex

from typing_extensions import Self

from ._arguments import check_table, flag, instance_of, mapping, sequence_of, truth
from ._limits import MAX_BATCH_WRITE_REQUESTS
from ._plans import Own, Pause, Plan, run
from ._requests import Call, batch_write_call
from ._responses import Shape, json_kind
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
)
from .retry import Pacing, RoundBackoff

if typing.TYPE_CHECKING:
    from .table import Table

__all__ = ["BatchTable", "WriteRequest"]

logger = logging.getLogger("dynamodb2.batch")

#: A write request in wire form: ``{"PutRequest": {...}}`` or ``{"DeleteRequest": {...}}``.
WriteRequest = dict[str, Any]

_BATCH_WRITE: Final = Shape("BatchWriteItem")

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
        # Writes a request is carrying now (by ``id``), with the task that sent it: they
        # stay in ``_pending`` / ``_retry`` until DynamoDB's answer is taken in, and
        # another task's flush does not take them again meanwhile.
        self._in_flight: dict[int, tuple[WriteRequest, object]] = {}
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
        # boto 2's lists (below), made when first read.
        self._put_view: _PendingWrites | None = None
        self._delete_view: _PendingWrites | None = None
        self._retry_view: _UnprocessedWrites | None = None

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
        """Unprocessed writes awaiting a resend (boto 2's list; compatibility only):
        appending a write request queues it for the resend."""
        if self._retry_view is None:
            self._retry_view = _UnprocessedWrites(self, "")
        return self._retry_view.refresh()

    @_unprocessed.setter
    def _unprocessed(self, requests: Iterable[WriteRequest]) -> None:
        self._retry = {}
        for request in requests:
            self._retry[self._identity(request)] = request

    # boto 2 kept buffered puts and deletes in two lists that code built on it reads,
    # appends to and replaces (faraday's BatchTable.flush builds its own request from
    # them). Here they are views of the buffer: each read is up to date, and appending
    # (or removing) queues (or drops) a write the next flush sends.
    @property
    def _to_put(self) -> list[dict[str, Any]]:
        """The puts waiting for a flush, as the items' Python values (boto 2's list;
        compatibility only): appending an item queues a put. Assigning a list replaces
        the buffered puts (an empty one drops them, as boto 2's ``flush`` did)."""
        if self._put_view is None:
            self._put_view = _PendingWrites(self, "PutRequest")
        return self._put_view.refresh()

    @_to_put.setter
    def _to_put(self, puts: Iterable[Mapping[str, Any]]) -> None:
        self._replace_pending(
            "PutRequest", [{"PutRequest": {"Item": self._schema.encode_item(d)}} for d in puts]
        )

    @property
    def _to_delete(self) -> list[dict[str, Any]]:
        """The keys of the deletes waiting for a flush, as Python values (boto 2's list;
        compatibility only): appending a key queues a delete."""
        if self._delete_view is None:
            self._delete_view = _PendingWrites(self, "DeleteRequest")
        return self._delete_view.refresh()

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

    def _put_entry(
        self, data: Mapping[str, Any], overwrite: object, store_empty: bool
    ) -> tuple[WriteRequest, _Identity]:
        """A put's request and its identity (as :meth:`_identity` finds it), the item's
        key read once."""
        if overwrite is not False:
            truth(overwrite, "overwrite")  # accepted (and unused) as boto 2 did
        if store_empty is not False:
            store_empty = flag(store_empty, "store_empty")
        item, identity = self.table.key_schema.encode_put(data, store_empty=store_empty)
        return {"PutRequest": {"Item": item}}, next(self._unique) if identity is None else identity

    def _delete_request(self, key: Mapping[str, Any]) -> WriteRequest:
        return {"DeleteRequest": {"Key": self._schema.encode_key(key)}}

    def _identity(self, request: Mapping[str, Any], schema: KeySchema | None = None) -> _Identity:
        try:
            identity = (schema or self._schema).identity_of_write(request)
        except (KeyError, TypeError, ValueError, DynamoDBError):
            identity = None  # not a request this batch can read: never merged
        return next(self._unique) if identity is None else identity

    def _buffer(self, request: WriteRequest, identity: _Identity | None = None) -> _Identity:
        if identity is None:
            identity = self._identity(request)
        # A newer write to the key supersedes an older one, sent or not. It is buffered
        # before the older unprocessed one is dropped: an interrupt between the two
        # leaves both, never neither.
        self._pending[identity] = request
        self._retry.pop(identity, None)
        return identity

    # ------------------------------------------------------------------ sending

    def should_flush(self) -> bool:
        """Whether a full request (25 writes) is waiting."""
        waiting = len(self._pending)
        if self._in_flight:  # another task is sending some of them
            waiting -= sum(1 for request in self._pending.values() if self._flying(request))
        return waiting >= MAX_BATCH_WRITE_REQUESTS

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
        while chunk := self._take(self._pending):
            yield from self._send_plan(self._pending, chunk)
        if len(self._retry) >= MAX_BATCH_WRITE_REQUESTS:
            yield _RESEND

    def handle_unprocessed(self, resp: Mapping[str, Any]) -> None:
        """Keep the ``UnprocessedItems`` of a BatchWriteItem response for retry."""
        response = mapping(resp, "resp", none=False) or {}
        self._requeue(self._unprocessed_in(response), {})

    def _requeue(
        self, requests: list[WriteRequest], sent: Mapping[_Identity, WriteRequest]
    ) -> None:
        """Keep unprocessed ``requests`` for a resend. ``sent`` maps the identities of
        the request they came back from to what it carried: a write still pending
        there is this one (about to leave ``_pending``), not a newer one."""
        if requests:
            logger.info("%d writes were unprocessed; they will be retried", len(requests))
            self._owed = True
        for request in requests:
            self._keep_unprocessed(request, sent)

    def _keep_unprocessed(
        self, request: WriteRequest, sent: Mapping[_Identity, WriteRequest]
    ) -> _Identity:
        identity = self._identity(request)
        # A newer write to the same key, not yet sent, wins over this older one. (The
        # write still pending may be this very one: what the request carried, or equal
        # to it, when code of boto 2's days sends the buffer itself.)
        buffered = self._pending.get(identity)
        if buffered is None or buffered is sent.get(identity) or buffered == request:
            self._retry[identity] = request
        return identity

    def _resend_plan(self) -> Plan[None]:
        backoff = RoundBackoff(max_stalls=self._pacing.policy.max_attempts)
        while self._retry:
            yield Pause(backoff.next_level())
            chunk = self._take(self._retry)
            if not chunk:  # every one is being sent by another task
                return
            before = len(self._retry)
            yield from self._send_plan(self._retry, chunk)
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

    # Sending a chunk never takes its writes out of the batch first: they stay where they
    # are (``_pending`` or ``_retry``) while the request is out, and only DynamoDB's answer
    # removes them, each written one after its unprocessed copy (if any) is in ``_retry``.
    # So an interrupt (Ctrl-C, a cancellation) arriving anywhere, even between two
    # bytecodes of this bookkeeping, leaves every write either confirmed or still in the
    # batch: at worst a write is sent twice, which for a put or a delete is harmless.

    def _take(self, source: dict[_Identity, WriteRequest]) -> list[tuple[_Identity, WriteRequest]]:
        """The next request's worth of ``source`` (left in it), skipping writes another
        task is sending."""
        # boto 2 sent a request's puts before its deletes (no key appears twice in one).
        puts: list[tuple[_Identity, WriteRequest]] = []
        others: list[tuple[_Identity, WriteRequest]] = []
        flying = self._flying if self._in_flight else None
        for entry in source.items():
            if flying is not None and flying(entry[1]):
                continue
            (puts if "PutRequest" in entry[1] else others).append(entry)
            if len(puts) + len(others) == MAX_BATCH_WRITE_REQUESTS:
                break
        return puts + others if others else puts

    def _distinct(self, chunk: list[tuple[_Identity, WriteRequest]]) -> bool:
        """Whether the identities of buffered writes ``chunk`` show that no two of them
        write the same item: each is the identity of a key of exactly the table's key
        attributes (a write whose key could not be read has a number of its own instead),
        and the chunk, taken from a mapping by identity, holds each once. layer1 then
        need not look for duplicates again (it still does for any other request, and for
        unprocessed writes, which code may have made up: only the buffer holds nothing
        but what this batch encoded)."""
        names = self.table.key_schema.names
        if names is None:
            return False
        # key_identity's parts: (name, type, value), in the order of the names.
        ordered = sorted(names)
        if len(ordered) == 2:  # (the commonest key, its test inline)
            first, second = ordered
            for identity, _request in chunk:
                if not (
                    type(identity) is tuple
                    and len(identity) == 2
                    and identity[0][0] == first
                    and identity[1][0] == second
                ):
                    return False
            return True
        for identity, _request in chunk:
            if type(identity) is not tuple or [part[0] for part in identity] != ordered:
                return False
        return True

    def _sender(self) -> object | None:
        """Who is sending (an asynchronous batch's task); ``None``: one sender at a time,
        so nothing needs marking in flight."""
        return None

    def _flying(self, request: WriteRequest) -> bool:
        """Whether another sender, still running, has ``request`` in a request now."""
        entry = self._in_flight.get(id(request))
        if entry is None or entry[0] is not request:
            return False
        return entry[1] is not self._sender() and not _finished(entry[1])

    def _send_plan(
        self, source: dict[_Identity, WriteRequest], chunk: list[tuple[_Identity, WriteRequest]]
    ) -> Plan[None]:
        requests = [request for _, request in chunk]
        call = batch_write_call(
            self.table.table_name,
            requests,
            self._return_consumed_capacity,
            distinct=source is self._pending and self._distinct(chunk),
        )
        sender = self._sender()
        if sender is not None:
            for request in requests:
                self._in_flight[id(request)] = (request, sender)
        try:
            response = yield call
            # A malformed answer (MalformedResponseError) is met as a failed request:
            # the chunk is kept, none of it counted as written.
            unprocessed = _unprocessed_writes(response, self.table.table_name)
        except (DynamoDBResponseError, DynamoDBError) as error:
            if source is self._pending:
                self._set_aside(chunk)
            unsent = self._unsent()
            self._raised = BatchWriteError.caused_by(
                error,
                f"{len(unsent)} writes to {self.table.table_name} were not written: {error}",
                unsent,
            )
            raise self._raised from error
        # Anything else (an interrupt, a cancellation, a bug) propagates as it is: the
        # chunk never left the batch.
        finally:
            if sender is not None:
                for request in requests:
                    self._in_flight.pop(id(request), None)
        self._took(source, chunk, response, unprocessed)

    def _took(
        self,
        source: dict[_Identity, WriteRequest],
        chunk: list[tuple[_Identity, WriteRequest]],
        response: Body,
        unprocessed: list[WriteRequest],
    ) -> None:
        """Take in DynamoDB's answer to a request of ``chunk`` (from ``source``): keep the
        ``unprocessed`` writes for a resend, then let go of the written ones."""
        if not isinstance(response, Mapping):
            response = {}
        came_back: set[int] = set()
        if _replaced(self, "handle_unprocessed", _BatchWrites.handle_unprocessed):
            # A subclass's own (boto 2 code overrides it), or one a test patched in: it
            # takes over the unprocessed.
            self.handle_unprocessed(response)
            unprocessed = []
        else:
            came_back = {id(request) for request in unprocessed}
            self._requeue(unprocessed, dict(chunk) if unprocessed else {})
        # Only now, each written (or requeued) write leaves where it waited, unless a
        # newer write to its key replaced it there meanwhile, or it was resent from the
        # unprocessed ones and came back unprocessed as the very same object (a fake
        # connection answering with the request it was given): it waits there again.
        retried = source is self._retry
        for identity, request in chunk:
            if source.get(identity) is request and not (retried and id(request) in came_back):
                del source[identity]
        self.sent += len(chunk) - len(unprocessed)
        if self._return_consumed_capacity:
            self.consumed_capacity.extend(capacity_entries(response.get("ConsumedCapacity")))

    def _set_aside(self, chunk: list[tuple[_Identity, WriteRequest]]) -> None:
        """Move buffered writes whose request failed to the unprocessed ones (sent again
        with backoff, not at the next write added): each is in ``_retry`` before it
        leaves ``_pending``."""
        for identity, request in chunk:
            if self._pending.get(identity) is request:
                self._retry[identity] = request
                del self._pending[identity]

    def _unprocessed_in(self, response: Mapping[str, Any]) -> list[WriteRequest]:
        unprocessed = mapping(response.get("UnprocessedItems") or {}, "resp") or {}
        requests = sequence_of(
            unprocessed.get(self.table.table_name, []),
            "resp",
            _is_mapping,
            "a BatchWriteItem response ({'UnprocessedItems': {table: [requests]}})",
        )
        return list(requests or [])

    def _unsent(self) -> list[WriteRequest]:
        # A write can be in both for an instant (requeued, not yet let go of): list it once.
        pending = self._pending
        return [
            *(r for identity, r in self._retry.items() if identity not in pending),
            *pending.values(),
        ]


class _PendingWrites(list[dict[str, Any]]):
    """boto 2's ``BatchTable._to_put`` (``kind`` ``"PutRequest"``: items) or
    ``_to_delete`` (``"DeleteRequest"``: keys): a list of the buffered writes of that
    kind, in Python values, whose changes change the buffer. ``append``, ``extend``,
    ``insert`` and ``+=`` queue writes (a write to a key already buffered replaces it,
    as ``put_item`` does); ``del``, ``pop``, ``remove``, ``clear`` and item assignment
    drop or replace buffered writes. It is refreshed each time the batch's attribute is
    read, so a list kept from before a flush still shows what was buffered then."""

    def __init__(self, batch: _BatchWrites, kind: str) -> None:
        super().__init__()
        self._batch = batch
        self._kind = kind
        self._identities: list[_Identity] = []

    def _source(self) -> dict[_Identity, WriteRequest]:
        return self._batch._pending

    def _entries(self) -> Iterator[tuple[_Identity, dict[str, Any]]]:
        field = "Item" if self._kind == "PutRequest" else "Key"
        decode = self._batch._schema.dynamizer.decode_item
        for identity, request in self._batch._pending.items():
            if self._kind in request:
                yield identity, decode(request[self._kind][field])

    def refresh(self) -> Self:
        identities: list[_Identity] = []
        values: list[dict[str, Any]] = []
        for identity, value in self._entries():
            identities.append(identity)
            values.append(value)
        self._identities = identities
        super().clear()
        super().extend(values)
        return self

    def _queue(self, value: Mapping[str, Any]) -> _Identity:
        batch = self._batch
        if self._kind == "PutRequest":
            return batch._buffer(*batch._put_entry(value, False, store_empty=False))
        return batch._buffer(batch._delete_request(value))

    def _drop(self, identities: Iterable[_Identity]) -> None:
        source = self._source()
        for identity in identities:
            source.pop(identity, None)

    def append(self, value: dict[str, Any]) -> None:
        self._queue(value)
        self.refresh()

    def extend(self, values: Iterable[dict[str, Any]]) -> None:
        for value in list(values):
            self._queue(value)
        self.refresh()

    def __iadd__(self, values: Iterable[dict[str, Any]]) -> Self:  # type: ignore[override,misc]
        self.extend(values)
        return self

    def insert(self, index: SupportsIndex, value: dict[str, Any]) -> None:
        # Where it goes does not matter: writes to distinct keys have no order.
        self.append(value)

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        if isinstance(index, slice):
            self._drop(self._identities[index])
        else:
            self._drop([self._identities[index]])
        self.refresh()

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            values = list(value)
            self._drop(self._identities[index])
            for each in values:
                self._queue(each)
        else:
            replaced = self._identities[index]
            if self._queue(value) != replaced:  # (the same key: replaced in place)
                self._drop([replaced])
        self.refresh()

    def pop(self, index: SupportsIndex = -1) -> dict[str, Any]:
        value = self[index]
        del self[index]
        return value

    def remove(self, value: dict[str, Any]) -> None:
        del self[self.index(value)]

    def clear(self) -> None:
        self._drop(self._identities)
        self.refresh()


class _UnprocessedWrites(_PendingWrites):
    """boto 2's ``BatchTable._unprocessed``: the writes awaiting a resend, in wire form
    (``{"PutRequest": ...}``), as a list whose changes change them (boto 2 code that
    overrides ``handle_unprocessed`` extends it)."""

    def _source(self) -> dict[_Identity, WriteRequest]:
        return self._batch._retry

    def _entries(self) -> Iterator[tuple[_Identity, dict[str, Any]]]:
        yield from self._batch._retry.items()

    def _queue(self, value: Mapping[str, Any]) -> _Identity:
        batch = self._batch
        batch._owed = True
        return batch._keep_unprocessed(dict(mapping(value, "request", none=False) or {}), {})


def _finished(sender: object) -> bool:
    done = getattr(sender, "done", None)
    return bool(done()) if callable(done) else False


def _unprocessed_writes(response: Any, table_name: str) -> list[Any]:
    """The writes to ``table_name`` a BatchWriteItem response left unprocessed: a
    malformed ``UnprocessedItems`` raises MalformedResponseError naming it."""
    if not isinstance(response, Mapping):
        return []
    field = f"UnprocessedItems.{table_name}"
    requests = _BATCH_WRITE.sequence(
        _BATCH_WRITE.mapping(response, "UnprocessedItems"), table_name, field, nullable=False
    )
    for request in requests:
        if not isinstance(request, Mapping) or len(request) != 1:
            found = (
                f"an object of {len(request)} fields"
                if isinstance(request, Mapping)
                else json_kind(request)
            )
            raise _BATCH_WRITE.malformed(
                field,
                f"holds {found}, not a write ({{'PutRequest': ...}} or {{'DeleteRequest': ...}})",
            )
    return list(requests)


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
        self._add(*self._put_entry(data, overwrite, store_empty))

    def delete_item(self, **kwargs: Any) -> None:
        """Add a delete of the item with this key (``delete_item(username="x")``)."""
        self._add(self._delete_request(kwargs))

    def _add(self, request: WriteRequest, identity: _Identity | None = None) -> None:
        if identity is None:
            self._buffer(request)
        else:  # _buffer's work, inline (a put's identity came with it)
            self._pending[identity] = request
            if self._retry:
                self._retry.pop(identity, None)
        if not self.should_flush():
            return
        if not _replaced(self, "flush", _BATCH_TABLE_FLUSH):
            self._send_buffered()
        elif _replaced(self, "should_flush", _BatchWrites.should_flush) or (
            len(self._pending) == MAX_BATCH_WRITE_REQUESTS
        ):
            # A subclass's own flush (or a patched one, which may send nothing), called
            # as boto 2 called it: when exactly 25 writes wait (or its should_flush says).
            self.flush()

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

    def _run(self, plan: Plan[None]) -> None:
        run(plan, self._perform)

    def _perform(self, effect: Call | Pause | Own) -> Any:
        if type(effect) is Pause:
            return self._pacing.pause(effect.level)
        if type(effect) is Own:
            return effect.on(self)
        assert isinstance(effect, Call)
        return effect.send(self.table.connection)


#: BatchTable's own flush, to tell it from a subclass's or a patched one.
_BATCH_TABLE_FLUSH: Final = BatchTable.flush


def _replaced(batch: object, name: str, original: Callable[..., Any]) -> bool:
    """Whether the method ``name`` of ``batch`` is not ``original``: overridden by a
    subclass, or patched on its class or on it (as boto 2 code's tests patch ``flush``
    to keep a batch from sending)."""
    return getattr(getattr(batch, name), "__func__", None) is not original


def _attach_unsent(interrupt: BaseException, unsent: list[WriteRequest]) -> None:
    """Hang the writes an interrupt left unsent on it (it propagates as it is)."""
    try:
        interrupt.unsent_requests = unsent  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - an exception class with __slots__
        logger.warning("%d writes were not sent before %r", len(unsent), interrupt)
