"""Request specs: what one request asks, built and checked once, sent through layer1.

>>> from dynamodb2.types import NonBooleanDynamizer
>>> from dynamodb2._schema import KeySchema
>>> schema = KeySchema("users", ("username",), None, NonBooleanDynamizer())
>>> GetRequest.build(schema, {"username": "jo"}).call()
Call(method='get_item', args=('users', {'username': {'S': 'jo'}}), \
kwargs={'consistent_read': False, 'attributes_to_get': None})

Each spec is a frozen value: the caller's arguments checked, encoded and compiled into
expressions when it is built, and nothing done twice afterwards. :meth:`call` gives the
layer1 :class:`~dynamodb2.layer1.DynamoDBConnection` call that sends it, with boto 2's
parameter names and, where boto 2 passed them, its arguments (so a test that patches
``table.connection.get_item`` sees the call boto 2 made); query and scan specs give one
call per page. Transactions take the same specs as ``TransactItems`` entries.

Nothing here does I/O: the synchronous and the asynchronous tables send the same calls.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, Final

import attrs

from ._arguments import check_segment_pair, flag, names, text, truth
from ._expressions import Expressions, filter_condition, joined_bounds, key_conditions
from ._limits import check_expression_size, check_segment, item_size
from ._placeholders import Compilable
from ._schema import IndexKey, KeySchema, describe_tag
from ._updates import Update
from ._wire import AttributeValue, Body, Distinct
from .conditions import KeyCondition, KeyConditions
from .exceptions import (
    ParameterValidationError,
    QueryError,
    QueryValidationError,
    UnsupportedTypeError,
)

__all__ = [
    "BatchGetRequest",
    "Call",
    "ConditionCheck",
    "DeleteRequest",
    "GetRequest",
    "PutRequest",
    "QueryRequest",
    "SaveUpdate",
    "ScanRequest",
    "UpdateRequest",
    "batch_write_call",
    "check_key_conditions",
    "check_segment",
    "index_partial",
]

WireItem = dict[str, AttributeValue]

_KEY_TYPE_NAMES: Final = {"S": "STRING", "N": "NUMBER", "B": "BINARY"}


@attrs.frozen
class Call:
    """One call of a layer1 :class:`~dynamodb2.layer1.DynamoDBConnection` method."""

    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def send(self, connection: Any) -> Body:
        """Make the call on ``connection`` and return its response."""
        response: Body = getattr(connection, self.method)(*self.args, **self.kwargs)
        return response

    def send_async(self, connection: Any) -> Awaitable[Body]:
        """:meth:`send` on an asynchronous ``connection``: the call's awaitable."""
        response: Awaitable[Body] = getattr(connection, self.method)(*self.args, **self.kwargs)
        return response


def index_partial(index: str | None, found: IndexKey | None) -> bool | str:
    """Whether items read from ``index`` (``found``, as the table knows it) carry only
    some of their attributes; for an index the table does not know, its name: whether
    it projects them all is found out when it matters (an item's ``save()``)."""
    if index is None:
        return False
    if found is None:
        return index
    return not found.projects_all


def _set(**kwargs: Any) -> dict[str, Any]:
    """The keyword arguments that were given (``None`` means "not given")."""
    return {name: value for name, value in kwargs.items() if value is not None}


def _body(**fields: Any) -> Body:
    """A request body (a ``TransactItems`` entry) with the fields that were given (an
    expression over 4 KB is refused)."""
    for name, value in fields.items():
        if name.endswith("Expression") and type(value) is str:
            check_expression_size(name, value)
    return {name: value for name, value in fields.items() if value is not None}


@attrs.frozen
class _Compiled:
    """The expression attribute names and values a request's expressions use."""

    names: dict[str, str] | None = None
    values: dict[str, AttributeValue] | None = None

    @classmethod
    def of(cls, expressions: Expressions) -> _Compiled:
        placeholders = expressions.placeholders
        return cls(placeholders.names or None, placeholders.values or None)

    def kwargs(self) -> dict[str, Any]:
        return _set(expression_attribute_names=self.names, expression_attribute_values=self.values)

    def body(self) -> Body:
        return _body(ExpressionAttributeNames=self.names, ExpressionAttributeValues=self.values)


#: A request without expression attribute names or values (frozen: one serves all).
_NONE: Final = _Compiled()


# --------------------------------------------------------------------------- single items


@attrs.frozen
class GetRequest:
    """A ``GetItem`` (or a transaction's ``Get``)."""

    table_name: str
    key: WireItem
    consistent: bool = False
    projection: str | None = None
    compiled: _Compiled = _Compiled()
    capacity: str | None = None

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        key: Mapping[str, Any],
        *,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        capacity: str | None = None,
    ) -> GetRequest:
        """The read of the item with ``key`` (only ``attributes``, if given)."""
        encoded = schema.encode_key(key)
        if attributes is None:  # the whole item: no expressions to compile
            return cls(
                schema.table_name, encoded, flag(consistent, "consistent"), None, _NONE, capacity
            )
        expressions = Expressions(schema.dynamizer)
        attributes = names(attributes, "attributes")
        projection = expressions.projection(attributes) if attributes else None
        return cls(
            schema.table_name,
            encoded,
            flag(consistent, "consistent"),
            projection,
            _Compiled.of(expressions),
            capacity,
        )

    @property
    def partial(self) -> bool:
        """Whether only some attributes are read."""
        return self.projection is not None

    def call(self) -> Call:
        """``get_item(table, key, consistent_read=..., attributes_to_get=None, ...)``."""
        kwargs: dict[str, Any] = {"consistent_read": self.consistent, "attributes_to_get": None}
        kwargs.update(
            _set(
                projection_expression=self.projection,
                expression_attribute_names=self.compiled.names,
                return_consumed_capacity=self.capacity,
            )
        )
        return Call("get_item", (self.table_name, self.key), kwargs)

    def transact_item(self) -> Body:
        """The ``{"Get": {...}}`` entry of a ``TransactGetItems``."""
        return {
            "Get": _body(
                TableName=self.table_name,
                Key=self.key,
                ProjectionExpression=self.projection,
                ExpressionAttributeNames=self.compiled.names,
            )
        }


@attrs.frozen
class PutRequest:
    """A ``PutItem`` (or a transaction's ``Put``) of a whole item."""

    table_name: str
    item: WireItem
    condition: str | None = None
    compiled: _Compiled = _Compiled()
    capacity: str | None = None
    #: boto 2's legacy ``Expected`` conditions, passed through as given.
    expected: Mapping[str, Any] | None = None

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        data: Mapping[str, Any],
        *,
        conditions: Sequence[Compilable | None] = (),
        capacity: str | None = None,
    ) -> PutRequest:
        """The write of a new item from Python values (key and size checked)."""
        return cls.of_wire(
            schema.table_name,
            schema.encode_item(data),
            schema,
            conditions=conditions,
            capacity=capacity,
        )

    @classmethod
    def of_wire(
        cls,
        table_name: str,
        item: WireItem,
        schema: KeySchema,
        *,
        conditions: Sequence[Compilable | None] = (),
        capacity: str | None = None,
    ) -> PutRequest:
        """The write of an item already in wire form, under every condition given."""
        if all(condition is None for condition in conditions):  # no expressions to compile
            return cls(table_name, item, None, _NONE, capacity)
        expressions = Expressions(schema.dynamizer)
        condition = expressions.all_of(conditions)
        return cls(table_name, item, condition, _Compiled.of(expressions), capacity)

    def call(self) -> Call:
        """``put_item(table, item[, expected=...], condition_expression=..., ...)``."""
        kwargs = _set(
            expected=self.expected,
            condition_expression=self.condition,
            **self.compiled.kwargs(),
            return_consumed_capacity=self.capacity,
        )
        return Call("put_item", (self.table_name, self.item), kwargs)

    def transact_item(self) -> Body:
        """The ``{"Put": {...}}`` entry of a ``TransactWriteItems``."""
        return {
            "Put": _body(
                TableName=self.table_name,
                Item=self.item,
                ConditionExpression=self.condition,
                **self.compiled.body(),
            )
        }


@attrs.frozen
class DeleteRequest:
    """A ``DeleteItem`` (or a transaction's ``Delete``)."""

    table_name: str
    key: WireItem
    condition: str | None = None
    compiled: _Compiled = _Compiled()
    capacity: str | None = None

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        key: Mapping[str, Any],
        *,
        conditions: Sequence[Compilable | None] = (),
        capacity: str | None = None,
    ) -> DeleteRequest:
        """The deletion of the item with ``key``, under every condition given."""
        encoded = schema.encode_key(key)
        expressions = Expressions(schema.dynamizer)
        condition = expressions.all_of(conditions)
        return cls(schema.table_name, encoded, condition, _Compiled.of(expressions), capacity)

    def call(self) -> Call:
        """``delete_item(table, key, expected=None, conditional_operator=None, ...)``."""
        kwargs: dict[str, Any] = {"expected": None, "conditional_operator": None}
        kwargs.update(
            _set(
                condition_expression=self.condition,
                **self.compiled.kwargs(),
                return_consumed_capacity=self.capacity,
            )
        )
        return Call("delete_item", (self.table_name, self.key), kwargs)

    def transact_item(self) -> Body:
        """The ``{"Delete": {...}}`` entry of a ``TransactWriteItems``."""
        return {
            "Delete": _body(
                TableName=self.table_name,
                Key=self.key,
                ConditionExpression=self.condition,
                **self.compiled.body(),
            )
        }


@attrs.frozen
class ConditionCheck:
    """A transaction's ``ConditionCheck``: a condition on an item it does not change."""

    table_name: str
    key: WireItem
    condition: str
    compiled: _Compiled

    @classmethod
    def build(
        cls, schema: KeySchema, key: Mapping[str, Any], condition: Compilable
    ) -> ConditionCheck:
        """The check that ``condition`` holds for the item with ``key``."""
        encoded = schema.encode_key(key)
        expressions = Expressions(schema.dynamizer)
        text = expressions.compile(condition)
        return cls(schema.table_name, encoded, text, _Compiled.of(expressions))

    def transact_item(self) -> Body:
        """The ``{"ConditionCheck": {...}}`` entry of a ``TransactWriteItems``."""
        return {
            "ConditionCheck": _body(
                TableName=self.table_name,
                Key=self.key,
                ConditionExpression=self.condition,
                **self.compiled.body(),
            )
        }


@attrs.frozen
class UpdateRequest:
    """An ``UpdateItem`` (or a transaction's ``Update``)."""

    table_name: str
    key: WireItem
    update: str | None
    condition: str | None = None
    compiled: _Compiled = _Compiled()
    capacity: str | None = None
    return_values: str | None = None
    #: boto 2's legacy ``AttributeUpdates`` and ``Expected``, passed through as given.
    attribute_updates: Mapping[str, Any] | None = None
    expected: Mapping[str, Any] | None = None

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        key: Mapping[str, Any] | WireItem,
        update: Update | None,
        *,
        conditions: Sequence[Compilable | None] = (),
        capacity: str | None = None,
        return_values: str | None = None,
        key_is_wire: bool = False,
    ) -> UpdateRequest:
        """The update of the item with ``key``, under every condition given.

        ``key_is_wire`` says ``key`` is already encoded (and is then only checked).
        """
        if key_is_wire:
            encoded: WireItem = dict(key)
            schema.check_key(encoded)
        else:
            encoded = schema.encode_key(key)
        expressions = Expressions(schema.dynamizer)
        text = None
        if update is not None:
            if schema.names is not None:
                update.check_paths(schema.names, schema.table_name)
            text = update.compile(expressions.placeholders, key_bytes=item_size(encoded))
        condition = expressions.all_of(conditions)
        return cls(
            schema.table_name,
            encoded,
            text,
            condition,
            _Compiled.of(expressions),
            capacity,
            None if return_values == "NONE" else return_values,
        )

    def call(self) -> Call:
        """``update_item(table, key[, attribute_updates], update_expression=..., ...)``."""
        args: tuple[Any, ...] = (self.table_name, self.key)
        if self.attribute_updates is not None:
            args += (self.attribute_updates,)
        kwargs = _set(
            expected=self.expected,
            return_values=self.return_values,
            return_consumed_capacity=self.capacity,
            update_expression=self.update,
            condition_expression=self.condition,
            **self.compiled.kwargs(),
        )
        return Call("update_item", args, kwargs)

    def transact_item(self) -> Body:
        """The ``{"Update": {...}}`` entry of a ``TransactWriteItems``."""
        return {
            "Update": _body(
                TableName=self.table_name,
                Key=self.key,
                UpdateExpression=self.update,
                ConditionExpression=self.condition,
                **self.compiled.body(),
            )
        }


# --------------------------------------------------------------------------- many items


@attrs.frozen
class SaveUpdate:
    """What an item's save carries beside its ``_update_item(key, item_data)`` call (boto
    2's seam, which a table subclass may override): the request it sends, boto 2's
    ``AttributeUpdates`` of the same change (``item_data``, as passed), and what another
    ``item_data`` is sent under, when an override passes one on: the same key,
    conditions and capacity."""

    request: UpdateRequest
    attribute_updates: Mapping[str, Any]
    schema: KeySchema
    conditions: tuple[Compilable | None, ...]

    def for_updates(self, attribute_updates: Mapping[str, Any] | None) -> UpdateRequest:
        """The request to send for ``attribute_updates`` (the save's own, or an
        override's: stamped, audited)."""
        if attribute_updates is None or attribute_updates == self.attribute_updates:
            return self.request
        return UpdateRequest.build(
            self.schema,
            self.request.key,
            Update.of_attribute_updates(attribute_updates),
            conditions=self.conditions,
            capacity=self.request.capacity,
            key_is_wire=True,
        )


@attrs.frozen
class QueryRequest:
    """A ``Query``, compiled once; :meth:`page` gives the call for each page."""

    table_name: str
    key_condition: str
    filter: str | None = None
    projection: str | None = None
    compiled: _Compiled = _Compiled()
    index: str | None = None
    consistent: bool = False
    reverse: bool = False
    select: str | None = None
    capacity: str | None = None
    #: Whether the items carry only some of their attributes (see :func:`index_partial`).
    partial: bool | str = False

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        key_conditions: Sequence[KeyCondition],
        *,
        key_names: Sequence[str] | None,
        filters: Sequence[Compilable | None] = (),
        attributes: Sequence[str] | None = None,
        index: str | None = None,
        consistent: bool = False,
        reverse: bool = False,
        select: str | None = None,
        capacity: str | None = None,
        partial: bool | str = False,
    ) -> QueryRequest:
        """A query of the items matching ``key_conditions`` and every filter given.

        ``key_names`` is the key of the table or index queried (partition key first), when
        known: the key conditions are checked against it, as DynamoDB would.
        """
        where = f"index {index!r}" if index else f"table {schema.table_name!r}"
        if key_names is not None:
            check_key_conditions(key_conditions, key_names, where, schema)
        elif not key_conditions:
            raise QueryValidationError(
                "You must specify a key condition to query on, such as <hash key>__eq=value"
            )
        expressions = Expressions(schema.dynamizer)
        placeholders = expressions.placeholders
        key_condition = " AND ".join(
            condition.compile_one(placeholders) for condition in key_conditions
        )
        filter_text = expressions.all_of(filters, parameter="filter")
        attributes = names(attributes, "attributes")
        projection = expressions.projection(attributes) if attributes else None
        return cls(
            schema.table_name,
            key_condition,
            filter_text,
            projection,
            _Compiled.of(expressions),
            index,
            flag(consistent, "consistent"),
            truth(reverse, "reverse"),
            select,
            capacity,
            True if projection is not None else partial,
        )

    @classmethod
    def of_keywords(
        cls,
        schema: KeySchema,
        key_kwargs: Mapping[str, Any],
        *,
        key_condition: KeyCondition | KeyConditions | None = None,
        query_filter: Mapping[str, Any] | None = None,
        conditional_operator: str | None = None,
        filter: Compilable | None = None,
        attributes: Sequence[str] | None = None,
        index: str | None = None,
        consistent: bool = False,
        reverse: bool = False,
        select: str | None = None,
        capacity: str | None = None,
    ) -> QueryRequest:
        """A query from ``Table.query_2``'s arguments: boto 2's key condition keywords
        (``x__gte`` with ``x__lte`` joined into one ``between``) and filter keywords, and
        conditions built with ``Key`` and ``Attr``."""
        if key_condition is not None and not isinstance(
            key_condition, KeyCondition | KeyConditions
        ):
            raise QueryError(
                "key_condition takes conditions built with Key(...) "
                "(Key('username').eq('jo') & Key('joined').gt(0)), "
                f"not {type(key_condition).__name__}; put other conditions in filter="
            )
        text(index, "index")
        conditions = key_conditions(joined_bounds(key_kwargs))
        if key_condition is not None:
            conditions.extend(key_condition.conditions)
        found = schema.index(index)
        return cls.build(
            schema,
            conditions,
            key_names=schema.key_names_of(index),
            filters=(
                filter_condition(
                    query_filter,
                    conditional_operator=conditional_operator,
                    parameter="query_filter",
                ),
                filter,
            ),
            attributes=attributes,
            index=index,
            consistent=consistent,
            reverse=reverse,
            select=select,
            capacity=capacity,
            partial=index_partial(index, found),
        )

    def page(self, limit: int | None, start_key: WireItem | None) -> Call:
        """``query(table, limit=..., index_name=..., key_condition_expression=..., ...)``."""
        kwargs: dict[str, Any] = {
            "limit": limit,
            "index_name": self.index,
            "consistent_read": self.consistent,
            "select": self.select,
        }
        # boto 2's query_count always named the direction; its queries only a reverse one.
        if self.reverse or self.select == "COUNT":
            kwargs["scan_index_forward"] = not self.reverse
        kwargs.update(
            _set(
                exclusive_start_key=start_key or None,
                key_condition_expression=self.key_condition,
                filter_expression=self.filter,
                projection_expression=self.projection,
                **self.compiled.kwargs(),
                return_consumed_capacity=self.capacity,
            )
        )
        return Call("query", (self.table_name,), kwargs)


@attrs.frozen
class ScanRequest:
    """A ``Scan`` (of one segment, for parallel scans), compiled once."""

    table_name: str
    filter: str | None = None
    projection: str | None = None
    compiled: _Compiled = _Compiled()
    index: str | None = None
    consistent: bool = False
    segment: int | None = None
    total_segments: int | None = None
    capacity: str | None = None
    select: str | None = None
    #: Whether the items carry only some of their attributes (see :func:`index_partial`).
    partial: bool | str = False

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        *,
        filters: Sequence[Compilable | None] = (),
        attributes: Sequence[str] | None = None,
        index: str | None = None,
        consistent: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        select: str | None = None,
        capacity: str | None = None,
        partial: bool | str = False,
    ) -> ScanRequest:
        """A scan of the items matching every filter given."""
        check_segment_pair(segment, total_segments)
        segment, total_segments = check_segment(segment, total_segments)
        expressions = Expressions(schema.dynamizer)
        filter_text = expressions.all_of(filters, parameter="filter")
        attributes = names(attributes, "attributes")
        projection = expressions.projection(attributes) if attributes else None
        return cls(
            schema.table_name,
            filter_text,
            projection,
            _Compiled.of(expressions),
            index,
            flag(consistent, "consistent"),
            segment,
            total_segments,
            capacity,
            select,
            True if projection is not None else partial,
        )

    @classmethod
    def of_keywords(
        cls,
        schema: KeySchema,
        filter_kwargs: Mapping[str, Any],
        *,
        conditional_operator: str | None = None,
        filter: Compilable | None = None,
        attributes: Sequence[str] | None = None,
        index: str | None = None,
        consistent: bool = False,
        segment: int | None = None,
        total_segments: int | None = None,
        capacity: str | None = None,
    ) -> ScanRequest:
        """A scan from ``Table.scan``'s arguments: boto 2's filter keywords and a
        condition built with ``Attr``."""
        text(index, "index")
        found = schema.index(index)
        return cls.build(
            schema,
            filters=(
                filter_condition(filter_kwargs, conditional_operator=conditional_operator),
                filter,
            ),
            attributes=attributes,
            index=index,
            consistent=consistent,
            segment=segment,
            total_segments=total_segments,
            capacity=capacity,
            partial=index_partial(index, found),
        )

    def for_segment(self, segment: int, total_segments: int) -> ScanRequest:
        """The same scan of one segment."""
        return attrs.evolve(self, segment=segment, total_segments=total_segments)

    def page(self, limit: int | None, start_key: WireItem | None) -> Call:
        """``scan(table, limit=..., segment=..., total_segments=..., ...)``."""
        kwargs: dict[str, Any] = {
            "limit": limit,
            "segment": self.segment,
            "total_segments": self.total_segments,
        }
        if self.filter is None and self.projection is None:
            # No expression: boto 2's own keywords, as a mocked layer1 saw them (an
            # empty scan_filter is not sent).
            kwargs.update(attributes_to_get=None, conditional_operator=None, scan_filter={})
        kwargs.update(
            _set(
                exclusive_start_key=start_key or None,
                select=self.select,
                filter_expression=self.filter,
                projection_expression=self.projection,
                **self.compiled.kwargs(),
                index_name=self.index,
                consistent_read=True if self.consistent else None,
                return_consumed_capacity=self.capacity,
            )
        )
        return Call("scan", (self.table_name,), kwargs)


@attrs.frozen
class BatchGetRequest:
    """The fixed part of a ``BatchGetItem``: :meth:`call` takes each request's keys."""

    table_name: str
    consistent: bool = False
    projection: str | None = None
    names: dict[str, str] | None = None
    capacity: str | None = None

    @classmethod
    def build(
        cls,
        schema: KeySchema,
        *,
        consistent: bool = False,
        attributes: Sequence[str] | None = None,
        capacity: str | None = None,
    ) -> BatchGetRequest:
        """A batch read of the table (only ``attributes``, if given)."""
        expressions = Expressions(schema.dynamizer)
        attributes = names(attributes, "attributes")
        projection = expressions.projection(attributes) if attributes else None
        return cls(
            schema.table_name,
            flag(consistent, "consistent"),
            projection,
            expressions.placeholders.names or None,
            capacity,
        )

    @property
    def partial(self) -> bool:
        """Whether only some attributes are read."""
        return self.projection is not None

    def call(self, keys: Sequence[WireItem], *, distinct: bool = False) -> Call:
        """``batch_get_item(request_items={table: {"Keys": [...], ...}})``; ``distinct``:
        the keys are known to be distinct (layer1 does not compare them again)."""
        request: Body = {"Keys": Distinct(keys) if distinct else list(keys)}
        if self.consistent:
            request["ConsistentRead"] = True
        if self.projection is not None:
            request["ProjectionExpression"] = self.projection
            if self.names:
                request["ExpressionAttributeNames"] = self.names
        kwargs: dict[str, Any] = {"request_items": {self.table_name: request}}
        kwargs.update(_set(return_consumed_capacity=self.capacity))
        return Call("batch_get_item", (), kwargs)


def check_key_conditions(
    conditions: Sequence[KeyCondition],
    key_names: Sequence[str],
    where: str,
    schema: KeySchema,
) -> None:
    """Refuse key conditions DynamoDB would refuse for the key ``key_names`` of ``where``:
    none on the partition key, one that is not ``eq`` there, one on another attribute,
    two on one key, a value of another type than the key's."""
    if not conditions:
        raise QueryValidationError(
            "You must specify a key condition to query on, such as <hash key>__eq=value"
        )
    hash_key = key_names[0]
    range_key = key_names[1] if len(key_names) > 1 else None
    on = [condition.name for condition in conditions]
    if not any(c.name == hash_key and c.operator == "eq" for c in conditions):
        raise QueryValidationError(
            f"a query on {where} needs {hash_key}__eq=value or Key({hash_key!r}).eq(value) "
            "(its partition key)"
        )
    for condition in conditions:
        if condition.name == hash_key and condition.operator != "eq":
            raise QueryValidationError(
                f"the partition key {hash_key!r} of {where} only takes __eq, not "
                f"__{condition.operator}"
            )
        if condition.name not in (hash_key, range_key):
            raise QueryValidationError(
                f"{condition.name!r} is not a key attribute of {where} "
                f"(keys: {', '.join(key_names)}); put conditions on other attributes in "
                "query_filter"
            )
    if range_key is not None and on.count(range_key) > 1:
        raise QueryValidationError(
            f"a query takes one condition on the sort key {range_key!r}: __gte with "
            "__lte are joined into one between, other pairs cannot be (use __between, "
            "which includes both ends)"
        )
    if on.count(hash_key) > 1:
        raise QueryValidationError(f"a query takes one condition on the partition key {hash_key!r}")
    types = schema.types or {}
    for condition in conditions:
        expected = types.get(condition.name)
        if expected is None:
            continue
        wanted = _KEY_TYPE_NAMES[expected]
        if condition.operator == "begins_with" and expected == "N":
            raise QueryValidationError(
                f"begins_with works on STRING and BINARY keys; {condition.name!r} of {where} "
                "is NUMBER (use between)"
            )
        for value in condition.values:
            try:
                ((tag, _),) = schema.dynamizer.encode(value).items()
            except (ParameterValidationError, UnsupportedTypeError):
                continue  # compiling the query reports it, naming the attribute
            if tag != expected:
                raise QueryValidationError(
                    f"attribute {condition.name!r}: key attribute of {where} is {wanted}; "
                    f"a condition on it takes {wanted} values, not {describe_tag(tag)}"
                )


def batch_write_call(
    table_name: str,
    requests: Sequence[Body],
    capacity: str | None = None,
    *,
    distinct: bool = False,
) -> Call:
    """``batch_write_item({table: [requests]})``, as boto 2's ``BatchTable`` called it.
    ``distinct``: the caller made sure no two requests write the same item."""
    return Call(
        "batch_write_item",
        ({table_name: Distinct(requests) if distinct else list(requests)},),
        _set(return_consumed_capacity=capacity),
    )
