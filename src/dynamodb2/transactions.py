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

import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, Protocol

from ._limits import MAX_TRANSACTION_ACTIONS
from ._placeholders import Compilable, Placeholders, compile_condition
from ._updates import UpdatePath, update_request
from ._wire import AttributeValue, Body
from .capacity import capacity_entries, capacity_units, check_return_consumed_capacity
from .connection import Connection
from .exceptions import DynamoDBError, ParameterValidationError, TransactionCanceledException
from .items import Item, ItemTable
from .layer1 import DynamoDBConnection

__all__ = [
    "MAX_TRANSACTION_BYTES",
    "TransactGetResult",
    "Transaction",
    "TransactionTable",
    "transact_get",
    "transaction",
]

#: The most item data one transaction may carry (DynamoDB's aggregate limit).
MAX_TRANSACTION_BYTES: Final = 4 * 1024 * 1024

_KeyIdentity = tuple[str, tuple[tuple[str, str, str], ...]]


class TransactionTable(ItemTable, Protocol):
    """What a transaction needs from a table (``Table`` provides it)."""

    table_name: str
    _connection: Connection

    def _encode_key(self, key: Mapping[str, Any]) -> dict[str, AttributeValue]: ...

    def _encode_new_item(self, data: Mapping[str, Any]) -> dict[str, AttributeValue]: ...

    def _key_of(self, item: Mapping[str, AttributeValue]) -> dict[str, AttributeValue]: ...


def _connection_of(connection: Connection | DynamoDBConnection | None) -> Connection | None:
    if connection is None or isinstance(connection, Connection):
        return connection
    if isinstance(connection, DynamoDBConnection):
        return connection.connection
    raise TypeError(
        f"a transaction's connection is a Connection or a DynamoDBConnection, "
        f"not {type(connection).__name__}"
    )


def _identity(table_name: str, key: Mapping[str, AttributeValue]) -> _KeyIdentity:
    """Equal for two keys DynamoDB considers the same item."""
    parts: list[tuple[str, str, str]] = []
    for name in sorted(key):
        ((tag, value),) = key[name].items()
        if tag == "N":
            value = str(Decimal(str(value)).normalize())  # "1", "1.0" and "1E0" are one key
        parts.append((name, tag, str(value)))
    return table_name, tuple(parts)


def _value_size(value: Mapping[str, Any]) -> int:
    """About how many bytes DynamoDB counts for one attribute value."""
    ((tag, payload),) = value.items()
    if tag == "S":
        return len(payload.encode("utf-8"))
    if tag == "B":
        return len(payload) * 3 // 4
    if tag == "N":
        return (len(payload.lstrip("-").replace(".", "")) + 1) // 2 + 1
    if tag in ("SS", "BS", "NS"):
        return sum(_value_size({tag[0]: element}) for element in payload)
    if tag == "M":
        return 3 + sum(len(k.encode("utf-8")) + _value_size(v) + 1 for k, v in payload.items())
    if tag == "L":
        return 3 + sum(_value_size(element) + 1 for element in payload)
    return 1  # BOOL, NULL


def _data_size(request: Mapping[str, Any]) -> int:
    """The item data an action carries: its item or key, and its expression values."""
    attributes = request.get("Item") or request.get("Key") or {}
    size = sum(len(k.encode("utf-8")) + _value_size(v) for k, v in attributes.items())
    values = request.get("ExpressionAttributeValues") or {}
    return size + sum(_value_size(v) for v in values.values())


def _describe(index: int, operation: str, table: TransactionTable, key: Any) -> dict[str, Any]:
    return {
        "index": index,
        "operation": operation,
        "table": table.table_name,
        "key": table._dynamizer.decode_item(key),
    }


class Transaction:
    """Actions collected for one ``TransactWriteItems``; see :func:`transaction`.

    After a successful commit, :attr:`consumed_capacity` holds what DynamoDB reported
    (when ``return_consumed_capacity`` asked for it).
    """

    def __init__(
        self,
        connection: Connection | DynamoDBConnection | None = None,
        *,
        return_consumed_capacity: str | None = None,
        client_request_token: str | None = None,
    ) -> None:
        self._connection = _connection_of(connection)
        self._capacity = check_return_consumed_capacity(return_consumed_capacity)
        if client_request_token is not None and not 1 <= len(client_request_token) <= 36:
            raise ParameterValidationError("a client request token is 1 to 36 characters long")
        #: The idempotency token sent with the transaction (and with its retries).
        self.client_request_token: str = client_request_token or str(uuid.uuid4())
        self._actions: list[dict[str, Any]] = []
        self._descriptions: list[dict[str, Any]] = []
        self._seen: dict[_KeyIdentity, int] = {}
        self._size = 0
        self._state = "open"
        #: DynamoDB's ``ConsumedCapacity`` entries for the commit (when asked for).
        self.consumed_capacity: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<Transaction {self._state}, {len(self._actions)} actions>"

    def __len__(self) -> int:
        return len(self._actions)

    @property
    def consumed_capacity_units(self) -> float:
        """Capacity units the commit consumed (when asked for)."""
        return capacity_units(self.consumed_capacity)

    # ------------------------------------------------------------------ actions

    def put(
        self,
        table: TransactionTable,
        data: Mapping[str, Any],
        condition: Compilable | None = None,
    ) -> None:
        """Write a whole item (replacing any item with its key), if ``condition`` holds.

        >>> tx.put(users, {"username": "jo", "age": 3},
        ...        condition=Attr("username").not_exists())        # doctest: +SKIP
        """
        item = table._encode_new_item(data)
        request: Body = {"TableName": table.table_name, "Item": item}
        self._add_conditioned("Put", table, table._key_of(item), request, condition)

    def update(
        self,
        table: TransactionTable,
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
    ) -> None:
        """Change attributes of one item, as :meth:`Table.update_item
        <dynamodb2.table.Table.update_item>` does.

        >>> tx.update(accounts, {"id": "bob"}, add={"balance": 10})   # doctest: +SKIP
        """
        request = update_request(
            table,
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
        self._add("Update", table, request["Key"], request)

    def delete(
        self,
        table: TransactionTable,
        key: Mapping[str, Any],
        condition: Compilable | None = None,
    ) -> None:
        """Delete one item, if ``condition`` holds.

        >>> tx.delete(sessions, {"id": "s-1"})                       # doctest: +SKIP
        """
        encoded = _encode_key(table, key)
        request: Body = {"TableName": table.table_name, "Key": encoded}
        self._add_conditioned("Delete", table, encoded, request, condition)

    def check(self, table: TransactionTable, key: Mapping[str, Any], condition: Compilable) -> None:
        """Require ``condition`` to hold for an item the transaction does not change.

        >>> tx.check(users, {"username": "jo"}, Attr("active").eq(True))   # doctest: +SKIP
        """
        if condition is None:
            raise ParameterValidationError("check needs a condition: tx.check(table, key, cond)")
        encoded = _encode_key(table, key)
        request: Body = {"TableName": table.table_name, "Key": encoded}
        self._add_conditioned("ConditionCheck", table, encoded, request, condition)

    def _add_conditioned(
        self,
        operation: str,
        table: TransactionTable,
        key: dict[str, AttributeValue],
        request: Body,
        condition: Compilable | None,
    ) -> None:
        if condition is not None:
            placeholders = Placeholders(table._dynamizer)
            request["ConditionExpression"] = compile_condition(
                condition, placeholders, parameter="condition"
            )
            placeholders.add_to(request)
        self._add(operation, table, key, request)

    def _add(
        self,
        operation: str,
        table: TransactionTable,
        key: dict[str, AttributeValue],
        request: Body,
    ) -> None:
        if self._state != "open":
            raise DynamoDBError(f"this transaction is {self._state}; start a new one")
        index = len(self._actions)
        description = _describe(index, operation, table, key)
        if index >= MAX_TRANSACTION_ACTIONS:
            raise ParameterValidationError(
                f"a transaction takes at most {MAX_TRANSACTION_ACTIONS} actions; "
                f"action {index} ({operation} on {table.table_name!r}) is one too many"
            )
        identity = _identity(table.table_name, key)
        earlier = self._seen.get(identity)
        if earlier is not None:
            first = self._descriptions[earlier]
            raise ParameterValidationError(
                f"action {index} ({operation} on {table.table_name!r}, key "
                f"{description['key']!r}) targets the same item as action {earlier} "
                f"({first['operation']} on {first['table']!r}); a transaction takes one "
                "action per item"
            )
        size = self._size + _data_size(request)
        if size > MAX_TRANSACTION_BYTES:
            raise ParameterValidationError(
                f"action {index} ({operation} on {table.table_name!r}) brings the "
                f"transaction's items to about {size} bytes; DynamoDB allows "
                f"{MAX_TRANSACTION_BYTES} (4 MB)"
            )
        if self._connection is None:
            self._connection = table._connection
        self._size = size
        self._seen[identity] = index
        self._actions.append({operation: request})
        self._descriptions.append(description)

    # ------------------------------------------------------------------ sending

    def commit(self) -> None:
        """Send the actions as one ``TransactWriteItems`` (nothing is sent if there are none).

        Raises:
            TransactionCanceledException: a condition failed or an item was busy; its
                ``cancellation_reasons`` and message say which action and why. Nothing
                was written.
        """
        if self._state != "open":
            raise DynamoDBError(f"this transaction is {self._state}; start a new one")
        if not self._actions or self._connection is None:
            self._state = "committed"
            return
        body: Body = {
            "TransactItems": self._actions,
            "ClientRequestToken": self.client_request_token,
        }
        if self._capacity:
            body["ReturnConsumedCapacity"] = self._capacity
        self._state = "failed"
        try:
            response = self._connection.transact_write_items(body)
        except TransactionCanceledException as error:
            error.actions = list(self._descriptions)
            raise
        self._state = "committed"
        if self._capacity:
            self.consumed_capacity = capacity_entries(response.get("ConsumedCapacity"))

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_value is not None:
            if self._state == "open":
                self._state = "abandoned"
            return
        if self._state == "open":
            self.commit()


def _encode_key(table: TransactionTable, key: Mapping[str, Any]) -> dict[str, AttributeValue]:
    if not isinstance(key, Mapping):
        raise ParameterValidationError(
            f"the key is a mapping of key attributes ({{'id': ...}}), not {type(key).__name__}"
        )
    return table._encode_key(key)


def transaction(
    connection: Connection | DynamoDBConnection | None = None,
    *,
    return_consumed_capacity: str | None = None,
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


class TransactGetResult(list[Item | None]):
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
    keys: Sequence[tuple[TransactionTable, Mapping[str, Any]]],
    *,
    return_consumed_capacity: str | None = None,
) -> TransactGetResult:
    """Read up to 100 items, from any tables, as one consistent snapshot.

    >>> alice, bob = transact_get(conn, [(accounts, {"id": "alice"}),
    ...                                  (accounts, {"id": "bob"})])   # doctest: +SKIP

    Returns an :class:`~dynamodb2.items.Item` per key, in order, or ``None`` where no
    item has the key. ``connection`` may be ``None`` (the first table's is used).
    """
    capacity = check_return_consumed_capacity(return_consumed_capacity)
    pairs = list(keys)
    if not pairs:
        raise ParameterValidationError("transact_get needs at least one (table, key) pair")
    if len(pairs) > MAX_TRANSACTION_ACTIONS:
        raise ParameterValidationError(
            f"transact_get reads at most {MAX_TRANSACTION_ACTIONS} items, not {len(pairs)}"
        )
    resolved = _connection_of(connection)
    requests: list[Body] = []
    seen: dict[_KeyIdentity, int] = {}
    for index, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise ParameterValidationError(
                f"transact_get takes (table, key) pairs; item {index} is {pair!r}"
            )
        table, key = pair
        encoded = _encode_key(table, key)
        identity = _identity(table.table_name, encoded)
        if identity in seen:
            raise ParameterValidationError(
                f"keys {seen[identity]} and {index} are the same item of table "
                f"{table.table_name!r}; transact_get reads each item once"
            )
        seen[identity] = index
        requests.append({"Get": {"TableName": table.table_name, "Key": encoded}})
        if resolved is None:
            resolved = table._connection
    assert resolved is not None
    body: Body = {"TransactItems": requests}
    if capacity:
        body["ReturnConsumedCapacity"] = capacity
    response = resolved.transact_get_items(body)
    responses = response.get("Responses") or [{}] * len(pairs)
    if len(responses) != len(pairs):
        raise DynamoDBError(
            f"TransactGetItems answered {len(responses)} responses for {len(pairs)} keys"
        )
    result = TransactGetResult(
        Item.from_wire(table, found["Item"]) if found.get("Item") else None
        for (table, _key), found in zip(pairs, responses, strict=True)
    )
    result.consumed_capacity = (
        capacity_entries(response.get("ConsumedCapacity")) if capacity else []
    )
    return result
