"""BatchTable: buffered puts and deletes, sent 25 at a time, never dropped.

>>> with table.batch_write() as batch:                              # doctest: +SKIP
...     for user in users:
...         batch.put_item(data=user)
...     batch.delete_item(username="gone")

- Each item is encoded (and its key checked) when it is added, so a bad item raises at
  :meth:`BatchTable.put_item` and the rest of the batch is untouched.
- Two writes to the same key before a flush are merged (the last one wins); DynamoDB
  would refuse the whole request otherwise.
- Unprocessed items are sent again with capped exponential backoff and jitter; a newer
  write to the same key replaces an unprocessed older one, so order is kept.
- If writes finally cannot be sent, :class:`~dynamodb2.exceptions.BatchWriteError`
  carries every unsent request.

A BatchTable belongs to one thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol

from ._limits import MAX_BATCH_WRITE_REQUESTS
from ._wire import AttributeValue, Body
from .capacity import capacity_entries, capacity_units
from .exceptions import BatchWriteError, DynamoDBError, DynamoDBResponseError

__all__ = ["BatchTable", "BatchWriteTarget", "key_identity"]

logger = logging.getLogger("dynamodb2.batch")

#: A write request in wire form: ``{"PutRequest": {...}}`` or ``{"DeleteRequest": {...}}``.
WriteRequest = dict[str, Any]
KeyIdentity = tuple[tuple[str, str, str | Decimal], ...]


class BatchWriteTarget(Protocol):
    """What a :class:`BatchTable` needs from its table (``Table`` provides it)."""

    table_name: str

    def _encode_new_item(
        self, data: Mapping[str, Any], *, store_empty: bool = False
    ) -> dict[str, AttributeValue]: ...

    def _encode_key(self, key: Mapping[str, Any]) -> dict[str, AttributeValue]: ...

    def _key_of(self, item: Mapping[str, AttributeValue]) -> dict[str, AttributeValue]: ...

    def _batch_write(
        self, requests: list[WriteRequest], return_consumed_capacity: str | None = None
    ) -> Body: ...

    def _backoff(self, attempt: int) -> object: ...

    @property
    def _max_attempts(self) -> int: ...


class BatchTable:
    """A context manager that batches writes to one table (``table.batch_write()``).

    With ``return_consumed_capacity`` (``"TOTAL"`` or ``"INDEXES"``), every request asks
    for its consumed capacity and the batch sums it in :attr:`consumed_capacity` and
    :attr:`consumed_capacity_units`.
    """

    def __init__(
        self, table: BatchWriteTarget, *, return_consumed_capacity: str | None = None
    ) -> None:
        self.table = table
        self._pending: dict[KeyIdentity, WriteRequest] = {}
        self._unprocessed: dict[KeyIdentity, WriteRequest] = {}
        #: How many write requests reached the table.
        self.sent = 0
        self._return_consumed_capacity = return_consumed_capacity
        #: The ``ConsumedCapacity`` entries of every request sent (when asked for).
        self.consumed_capacity: list[dict[str, Any]] = []
        # The last BatchWriteError this batch raised, kept up to date on exit.
        self._raised: BatchWriteError | None = None

    @property
    def consumed_capacity_units(self) -> float:
        """Write capacity units the batch's requests consumed (when asked for)."""
        return capacity_units(self.consumed_capacity)

    def __enter__(self) -> BatchTable:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Flush even when the block raised: what was added is still meant to be written.
        # The block's exception then propagates, unless the flush fails too: its
        # BatchWriteError carries writes that would otherwise be lost, so it wins, keeping
        # the block's exception as ``block_exception``.
        try:
            self.flush_all()
        except BatchWriteError as error:
            if exc_value is not None and error is not exc_value:
                error.block_exception = exc_value
            raise
        if exc_value is not None and exc_value is self._raised:
            # The block stopped on this batch's own error, and the flush above then wrote
            # what it listed: it now lists what is still unsent, which is nothing.
            self._raised.unsent_requests = self._unsent()

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
        del overwrite
        item = self.table._encode_new_item(data, store_empty=store_empty)
        self._add(self.table._key_of(item), {"PutRequest": {"Item": item}})

    def delete_item(self, **kwargs: Any) -> None:
        """Add a delete of the item with this key (``delete_item(username="x")``)."""
        key = self.table._encode_key(kwargs)
        self._add(key, {"DeleteRequest": {"Key": key}})

    def _add(self, key: Mapping[str, AttributeValue], request: WriteRequest) -> None:
        identity = key_identity(key)
        # A newer write to the key supersedes an older one, sent or not.
        self._unprocessed.pop(identity, None)
        self._pending.pop(identity, None)
        self._pending[identity] = request
        if self.should_flush():
            self._send_buffered()

    # ------------------------------------------------------------------ sending

    def should_flush(self) -> bool:
        """Whether a full request (25 writes) is waiting."""
        return len(self._pending) >= MAX_BATCH_WRITE_REQUESTS

    def flush(self) -> bool:
        """Write everything added so far: the buffer, in requests of 25, then unprocessed
        writes again, with backoff, until none are left (see :meth:`resend_unprocessed`).

        boto 2's ``flush()`` left unprocessed writes behind until more were added, so a
        batch dropped after it lost them; here a ``True`` means all were written.
        """
        self._send_buffered()
        self.resend_unprocessed()
        return True

    def flush_all(self) -> None:
        """Send everything, retrying unprocessed writes until none are left (as
        :meth:`flush` does)."""
        self.flush()

    def _send_buffered(self) -> None:
        """Send the buffer; retry unprocessed writes only once a full request of them has
        gathered, so adding writes does not wait on backoff at every 25th."""
        while self._pending:
            chunk = self._take(self._pending)
            self._send(chunk)
        if len(self._unprocessed) >= MAX_BATCH_WRITE_REQUESTS:
            self.resend_unprocessed()

    def handle_unprocessed(self, resp: Mapping[str, Any]) -> None:
        """Keep the ``UnprocessedItems`` of a BatchWriteItem response for retry."""
        unprocessed = resp.get("UnprocessedItems") or {}
        requests = unprocessed.get(self.table.table_name, [])
        if requests:
            logger.info("%d writes were unprocessed; they will be retried", len(requests))
        for request in requests:
            identity = key_identity(_key_of_request(self.table, request))
            # A newer write to the same key, not yet sent, wins over this older one.
            if identity not in self._pending:
                self._unprocessed[identity] = request

    def resend_unprocessed(self) -> None:
        """Send unprocessed writes again, with backoff, until none are left.

        Raises :class:`~dynamodb2.exceptions.BatchWriteError` (carrying every unsent
        write) if ``max_attempts`` rounds in a row make no progress.
        """
        stalled = 0
        # The backoff level rises by one after a round without progress and falls by one
        # after a round with some: waits grow while the table is saturated and relax as
        # it drains, instead of doubling for as long as anything is left.
        level = 0
        while self._unprocessed:
            level += 1
            self.table._backoff(level)
            chunk = self._take(self._unprocessed)
            before = len(self._unprocessed) + len(chunk)
            self._send(chunk)
            if len(self._unprocessed) >= before:
                stalled += 1
                if stalled >= self.table._max_attempts:
                    unsent = self._unsent()
                    self._raised = BatchWriteError(
                        f"{len(unsent)} writes to {self.table.table_name} were still "
                        f"unprocessed after {stalled} rounds without progress",
                        unsent,
                    )
                    raise self._raised
            else:
                stalled = 0
                level = max(level - 2, 0)

    @property
    def unsent_requests(self) -> list[WriteRequest]:
        """Every write added but not yet written (buffered or unprocessed)."""
        return self._unsent()

    def _take(self, source: dict[KeyIdentity, WriteRequest]) -> list[WriteRequest]:
        chunk: list[WriteRequest] = []
        for identity in list(source)[:MAX_BATCH_WRITE_REQUESTS]:
            chunk.append(source.pop(identity))
        return chunk

    def _send(self, chunk: list[WriteRequest]) -> None:
        try:
            response = self.table._batch_write(chunk, self._return_consumed_capacity)
        except (DynamoDBResponseError, DynamoDBError) as error:
            self._keep(chunk)
            unsent = self._unsent()
            self._raised = BatchWriteError(
                f"{len(unsent)} writes to {self.table.table_name} were not written: {error}",
                unsent,
            )
            raise self._raised from error
        except BaseException:
            # Anything else (an interrupt, a bug) propagates as it is, the chunk kept.
            self._keep(chunk)
            raise
        if self._return_consumed_capacity:
            self.consumed_capacity.extend(capacity_entries(response.get("ConsumedCapacity")))
        unprocessed = (response.get("UnprocessedItems") or {}).get(self.table.table_name, [])
        self.sent += len(chunk) - len(unprocessed)
        self.handle_unprocessed(response)

    def _keep(self, chunk: list[WriteRequest]) -> None:
        """Put back a chunk that was not written, older than anything pending since."""
        for request in chunk:
            identity = key_identity(_key_of_request(self.table, request))
            if identity not in self._pending:
                self._unprocessed[identity] = request

    def _unsent(self) -> list[WriteRequest]:
        return [*self._unprocessed.values(), *self._pending.values()]


def _key_of_request(table: BatchWriteTarget, request: Mapping[str, Any]) -> dict[str, Any]:
    if "PutRequest" in request:
        return table._key_of(request["PutRequest"]["Item"])
    return dict(request["DeleteRequest"]["Key"])


def key_identity(key: Mapping[str, AttributeValue]) -> KeyIdentity:
    """A hashable identity for a key in wire form: equal for keys DynamoDB considers equal.

    >>> key_identity({"id": {"N": "1.0"}}) == key_identity({"id": {"N": "1"}})
    True
    """
    parts: list[tuple[str, str, str | Decimal]] = []
    for name in sorted(key):
        ((tag, value),) = key[name].items()
        if tag == "N":
            # "1", "1.0" and "1E0" are one key to DynamoDB; equal Decimals hash alike.
            parts.append((name, tag, Decimal(str(value))))
        else:
            parts.append((name, tag, str(value)))
    return tuple(parts)
