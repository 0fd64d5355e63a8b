"""Transactions: writes to several items that all happen or none does, and snapshot reads.

>>> import dynamodb2
>>> from dynamodb2 import Attr
>>> with dynamodb2.transaction() as tx:                             # doctest: +SKIP
...     tx.update(accounts, {"id": "alice"}, add={"balance": -10},
...               condition=Attr("balance").gte(10))
...     tx.update(accounts, {"id": "bob"}, add={"balance": 10})
...     tx.put(ledger, {"id": "t-1", "amount": 10})

The block collects actions; leaving it normally sends them as one ``TransactWriteItems``.
If the block raises, nothing is sent. Each action is checked when it is added (its key by
its table's rules, its condition and update compiled), and so are DynamoDB's limits: at
most 100 actions, 4 MB of items in all, one action per item.

Every transaction carries a ``ClientRequestToken`` (a uuid4). The connection's automatic
retries resend the very same request, token included, so DynamoDB applies a retried
transaction at most once (within its 10-minute idempotency window).

A cancelled transaction raises
:class:`~dynamodb2.exceptions.TransactionCanceledException`; its ``cancellation_reasons``
has one reason per action, in order, its ``actions`` says what each action was, and its
message names the actions that failed.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Final, TypeVar

from typing_extensions import Unpack

from ._arguments import check_table, refusal, sequence_of, text
from ._limits import MAX_TRANSACTION_ACTIONS, attribute_value_size, item_size
from ._placeholders import Compilable
from ._plans import Plan, run
from ._requests import Call, ConditionCheck, DeleteRequest, GetRequest, PutRequest, UpdateRequest
from ._responses import Shape
from ._schema import KeyIdentity, key_identity
from ._updates import Update, UpdateActions
from ._wire import Body
from .capacity import (
    ReturnConsumedCapacity,
    capacity_entries,
    capacity_units,
    check_return_consumed_capacity,
)
from .connection import Connection
from .exceptions import (
    DynamoDBError,
    ParameterValidationError,
    RequestValidationError,
    TransactionCanceledException,
)
from .items import Item
from .layer1 import DynamoDBConnection

if typing.TYPE_CHECKING:
    from ._table_base import _TableBase
    from .table import Table

    #: A synchronous or an asynchronous table.
    AnyTable = _TableBase[Any, Any, Any, Any]

__all__ = [
    "MAX_TRANSACTION_BYTES",
    "TransactGetResult",
    "Transaction",
    "transact_get",
    "transaction",
]

#: The most item data one transaction may carry (DynamoDB's aggregate limit).
MAX_TRANSACTION_BYTES: Final = 4 * 1024 * 1024

_Identity = tuple[str, KeyIdentity]
_ItemT = TypeVar("_ItemT")

_TRANSACT_GET: Final = Shape("TransactGetItems")


def _layer1(connection: Connection | DynamoDBConnection | None) -> DynamoDBConnection | None:
    if connection is None or isinstance(connection, DynamoDBConnection):
        return connection
    if isinstance(connection, Connection):
        return DynamoDBConnection(connection=connection)
    raise refusal("connection", "a Connection, a DynamoDBConnection or None", connection)


def _data_size(request: Mapping[str, Any]) -> int:
    """The item data an action carries, as DynamoDB counts item sizes: its item or key,
    and its expression values."""
    values = request.get("ExpressionAttributeValues") or {}
    return item_size(request.get("Item") or request.get("Key") or {}) + sum(
        attribute_value_size(value) for value in values.values()
    )


def _describe(index: int, operation: str, table: AnyTable, key: Any) -> dict[str, Any]:
    return {
        "index": index,
        "operation": operation,
        "table": table.table_name,
        "key": table.dynamizer.decode_item(key),
    }


class _Actions:
    """What :class:`Transaction` and ``dynamodb2.aio.AsyncTransaction`` share: the actions,
    checked as they are added, and the plan of the commit."""

    def __init__(
        self,
        connection: Any = None,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        client_request_token: str | None = None,
    ) -> None:
        self._connection: Any = self._layer1(connection)
        self._capacity = check_return_consumed_capacity(return_consumed_capacity)
        text(client_request_token, "client_request_token")
        if client_request_token is not None and not 1 <= len(client_request_token) <= 36:
            raise RequestValidationError("a client request token is 1 to 36 characters long")
        #: The idempotency token sent with the transaction (and with its retries).
        self.client_request_token: str = client_request_token or str(uuid.uuid4())
        self._actions: list[dict[str, Any]] = []
        self._descriptions: list[dict[str, Any]] = []
        self._seen: dict[_Identity, int] = {}
        self._size = 0
        self._state = "open"
        #: DynamoDB's ``ConsumedCapacity`` entries for the commit (when asked for).
        self.consumed_capacity: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._state}, {len(self._actions)} actions>"

    @staticmethod
    def _layer1(connection: Any) -> Any:
        return _layer1(connection)

    def _commit_plan(self) -> Plan[None]:
        """Send the actions as one ``TransactWriteItems`` (nothing if there are none)."""
        if self._state != "open":
            raise DynamoDBError(f"this transaction is {self._state}; start a new one")
        if not self._actions or self._connection is None:
            self._state = "committed"
            return
        self._state = "failed"
        try:
            response = yield Call(
                "transact_write_items",
                (self._actions,),
                {
                    **_given(return_consumed_capacity=self._capacity),
                    "client_request_token": self.client_request_token,
                },
            )
        except TransactionCanceledException as error:
            error.actions = list(self._descriptions)
            raise
        self._state = "committed"
        if self._capacity:
            self.consumed_capacity = capacity_entries(response.get("ConsumedCapacity"))

    def _commits_on_exit(self, exc_value: BaseException | None) -> bool:
        """Whether leaving the ``with`` block commits (not if it raised: then nothing is sent)."""
        if exc_value is not None:
            if self._state == "open":
                self._state = "abandoned"
            return False
        return self._state == "open"

    def __len__(self) -> int:
        return len(self._actions)

    @property
    def consumed_capacity_units(self) -> float:
        """Capacity units the commit consumed (when asked for)."""
        return capacity_units(self.consumed_capacity)

    # ------------------------------------------------------------------ actions

    def put(
        self,
        table: AnyTable,
        data: Mapping[str, Any],
        condition: Compilable | None = None,
    ) -> None:
        """Write a whole item (replacing any item with its key), if ``condition`` holds.

        >>> tx.put(users, {"username": "jo", "age": 3},
        ...        condition=Attr("username").not_exists())        # doctest: +SKIP
        """
        check_table(table)
        schema = table.key_schema
        request = PutRequest.build(schema, data, conditions=(condition,))
        key = schema.key_of(request.item) if schema.known else request.item
        self._add("Put", table, key, request.transact_item())

    def update(
        self,
        table: AnyTable,
        key: Mapping[str, Any],
        *,
        condition: Compilable | None = None,
        **actions: Unpack[UpdateActions],
    ) -> None:
        """Change attributes of one item, as :meth:`Table.update_item
        <dynamodb2.table.Table.update_item>` does.

        >>> tx.update(accounts, {"id": "bob"}, add={"balance": 10})   # doctest: +SKIP
        """
        check_table(table)
        update = Update.of(**actions)
        request = UpdateRequest.build(table.key_schema, key, update, conditions=(condition,))
        self._add("Update", table, request.key, request.transact_item())

    def delete(
        self,
        table: AnyTable,
        key: Mapping[str, Any],
        condition: Compilable | None = None,
    ) -> None:
        """Delete one item, if ``condition`` holds.

        >>> tx.delete(sessions, {"id": "s-1"})                       # doctest: +SKIP
        """
        check_table(table)
        request = DeleteRequest.build(table.key_schema, key, conditions=(condition,))
        self._add("Delete", table, request.key, request.transact_item())

    def check(self, table: AnyTable, key: Mapping[str, Any], condition: Compilable) -> None:
        """Require ``condition`` to hold for an item the transaction does not change.

        >>> tx.check(users, {"username": "jo"}, Attr("active").eq(True))   # doctest: +SKIP
        """
        check_table(table)
        if condition is None:
            raise RequestValidationError("check needs a condition: tx.check(table, key, cond)")
        request = ConditionCheck.build(table.key_schema, key, condition)
        self._add("ConditionCheck", table, request.key, request.transact_item())

    def _add(self, operation: str, table: AnyTable, key: Mapping[str, Any], entry: Body) -> None:
        if self._state != "open":
            raise DynamoDBError(f"this transaction is {self._state}; start a new one")
        index = len(self._actions)
        description = _describe(index, operation, table, key)
        if index >= MAX_TRANSACTION_ACTIONS:
            raise RequestValidationError(
                f"a transaction takes at most {MAX_TRANSACTION_ACTIONS} actions; "
                f"action {index} ({operation} on {table.table_name!r}) is one too many"
            )
        identity = (table.table_name, key_identity(key))
        earlier = self._seen.get(identity)
        if earlier is not None:
            first = self._descriptions[earlier]
            raise RequestValidationError(
                f"action {index} ({operation} on {table.table_name!r}, key "
                f"{description['key']!r}) targets the same item as action {earlier} "
                f"({first['operation']} on {first['table']!r}); a transaction takes one "
                "action per item"
            )
        size = self._size + _data_size(entry[operation])
        if size > MAX_TRANSACTION_BYTES:
            raise RequestValidationError(
                f"action {index} ({operation} on {table.table_name!r}) brings the "
                f"transaction's items to {size} bytes; DynamoDB allows "
                f"{MAX_TRANSACTION_BYTES} (4 MB)"
            )
        if self._connection is None:
            self._connection = table.connection
        self._size = size
        self._seen[identity] = index
        self._actions.append(entry)
        self._descriptions.append(description)


class Transaction(_Actions):
    """Actions collected for one ``TransactWriteItems``; see :func:`transaction`.

    After a successful commit, :attr:`consumed_capacity` holds what DynamoDB reported
    (when ``return_consumed_capacity`` asked for it).
    """

    def __init__(
        self,
        connection: DynamoDBConnection | Connection | None = None,
        *,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        client_request_token: str | None = None,
    ) -> None:
        super().__init__(
            connection,
            return_consumed_capacity=return_consumed_capacity,
            client_request_token=client_request_token,
        )

    # ------------------------------------------------------------------ sending

    def commit(self) -> None:
        """Send the actions as one ``TransactWriteItems`` (nothing is sent if there are none).

        Raises:
            TransactionCanceledException: a condition failed or an item was busy; its
                ``cancellation_reasons`` and message say which action and why. Nothing
                was written.
        """
        run(self._commit_plan(), lambda call: call.send(self._connection))

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._commits_on_exit(exc_value):
            self.commit()


def transaction(
    connection: Connection | DynamoDBConnection | None = None,
    *,
    return_consumed_capacity: ReturnConsumedCapacity | None = None,
    client_request_token: str | None = None,
) -> Transaction:
    """A transaction to fill in a ``with`` block; it commits when the block ends normally.

    >>> with transaction(conn) as tx:                                # doctest: +SKIP
    ...     tx.put(users, {"username": "jo"}, condition=Attr("username").not_exists())
    ...     tx.update(stats, {"name": "users"}, add={"count": 1})

    ``connection`` is a :class:`~dynamodb2.connection.Connection` or a
    :class:`~dynamodb2.layer1.DynamoDBConnection`; without one, the first table's
    connection is used. ``client_request_token`` replaces the generated uuid4 (to resend
    a transaction whose outcome is unknown). Call :meth:`Transaction.commit` yourself to
    use it without ``with``.
    """
    return Transaction(
        connection,
        return_consumed_capacity=return_consumed_capacity,
        client_request_token=client_request_token,
    )


class TransactGetResult(list[_ItemT | None]):
    """The items :func:`transact_get` read, in the order asked (``None`` where absent),
    with :attr:`consumed_capacity` when asked for."""

    #: DynamoDB's ``ConsumedCapacity`` entries (when asked for).
    consumed_capacity: list[dict[str, Any]]

    @property
    def consumed_capacity_units(self) -> float:
        """Capacity units the read consumed (when asked for)."""
        return capacity_units(self.consumed_capacity)


def transact_get(
    connection: Connection | DynamoDBConnection | None,
    keys: Sequence[tuple[Table, Mapping[str, Any]]],
    *,
    return_consumed_capacity: ReturnConsumedCapacity | None = None,
) -> TransactGetResult[Item]:
    """Read up to 100 items, from any tables, as one consistent snapshot.

    >>> alice, bob = transact_get(conn, [(accounts, {"id": "alice"}),
    ...                                  (accounts, {"id": "bob"})])   # doctest: +SKIP

    Returns an :class:`~dynamodb2.items.Item` per key, in order, or ``None`` where no
    item has the key. ``connection`` may be ``None`` (the first table's is used).
    """
    capacity = check_return_consumed_capacity(return_consumed_capacity)
    pairs, entries, resolved = _transact_get_request(_layer1(connection), keys)
    response = resolved.transact_get_items(entries, **_given(return_consumed_capacity=capacity))
    return _transact_get_result(pairs, response, capacity)


def _transact_get_request(
    connection: Any, keys: Sequence[tuple[Any, Mapping[str, Any]]]
) -> tuple[list[tuple[Any, Mapping[str, Any]]], list[Body], Any]:
    """The (table, key) pairs, the ``TransactItems`` entries and the layer1 connection
    (the first table's if ``connection`` is ``None``) of a ``transact_get``."""
    pairs = sequence_of(keys, "keys", _is_pair, "a list of (table, key) pairs", none=False) or []
    if not pairs:
        raise RequestValidationError("transact_get needs at least one (table, key) pair")
    if len(pairs) > MAX_TRANSACTION_ACTIONS:
        raise RequestValidationError(
            f"transact_get reads at most {MAX_TRANSACTION_ACTIONS} items, not {len(pairs)}"
        )
    resolved = connection
    entries: list[Body] = []
    seen: dict[_Identity, int] = {}
    for index, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ParameterValidationError(
                f"transact_get takes (table, key) pairs; item {index} is {pair!r}"
            )
        table, key = pair
        check_table(table, f"keys[{index}]")
        request = GetRequest.build(table.key_schema, key)
        identity = (table.table_name, key_identity(request.key))
        if identity in seen:
            raise RequestValidationError(
                f"keys {seen[identity]} and {index} are the same item of table "
                f"{table.table_name!r}; transact_get reads each item once"
            )
        seen[identity] = index
        entries.append(request.transact_item())
        if resolved is None:
            resolved = table.connection
    assert resolved is not None
    return pairs, entries, resolved


def _transact_get_result(
    pairs: list[tuple[Any, Mapping[str, Any]]], response: Body, capacity: str | None
) -> TransactGetResult[Any]:
    """The items a ``TransactGetItems`` response holds, one per pair (``None`` if absent),
    each of its table's item class."""
    shape = _TRANSACT_GET
    responses = shape.mappings(response, "Responses") or [{}] * len(pairs)
    if len(responses) != len(pairs):
        raise shape.malformed(
            "Responses", f"holds {len(responses)} entries for the {len(pairs)} keys asked for"
        )
    result: TransactGetResult[Any] = TransactGetResult(
        table._item_class.from_wire(table, item, operation="TransactGetItems")
        if (item := shape.mapping(found, "Item", f"Responses[{index}].Item"))
        else None
        for index, ((table, _key), found) in enumerate(zip(pairs, responses, strict=True))
    )
    result.consumed_capacity = (
        capacity_entries(response.get("ConsumedCapacity")) if capacity else []
    )
    return result


def _is_pair(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2


def _given(**kwargs: Any) -> dict[str, Any]:
    return {name: value for name, value in kwargs.items() if value is not None}
