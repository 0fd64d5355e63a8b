"""Every public method, given an argument of the wrong type, raises one of this package's
errors naming the argument: never a bare ``TypeError``, ``ValueError``, ``AttributeError``
or ``KeyError`` from deep inside.

The methods are found by introspection (every public method, constructors included, of
``Table``, ``Item``, ``BatchTable``, ``ResultSet``, ``BatchGetResultSet``, ``Transaction``,
the layer1 ``DynamoDBConnection`` and ``Connection``, and the ``transaction`` /
``transact_get`` functions); a method added later is driven too, and fails until it has
a valid call below. For each parameter, hypothesis draws values that do not fit its
annotation, from any type, and the method is called with that one argument wrong and
the others valid, against a fake DynamoDB that answers every operation. Result sets and
generators are iterated, so checks made lazily are reached.

What a wrong argument may raise: a :class:`~dynamodb2.exceptions.DynamoDBError`
(``ParameterValidationError`` and its ``RequestValidationError``, ``UnsupportedTypeError``
for values DynamoDB cannot store, ...) or a
:class:`~dynamodb2.exceptions.DynamoDBResponseError`, whose message names the argument
(or, for a container of the right type with something wrong inside, names that). A
wrong argument may be accepted only where boto 2 accepted it (:func:`loose`, with the
reasons in :data:`LOOSE`): flags also take ``None``, integers and the strings DynamoDB
itself reads as booleans; limits and segments also take finite floats and decimals,
which DynamoDB rounds down; lists of names or keys take any collection of them. Names
from DynamoDB's enumerations (``Literal`` annotations) are judged as strings: which
names DynamoDB knows grows, and DynamoDB judges them.

``test_every_public_method_has_a_valid_call`` calls the 27 methods without arguments
too.
"""

from __future__ import annotations

import collections.abc
import contextlib
import inspect
import math
import types
import typing
import warnings
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Final, Literal, Union, cast, get_args, get_origin
from unittest import mock

import botocore.config
import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typing_extensions import Unpack, is_typeddict

import dynamodb2.batch
import dynamodb2.connection
import dynamodb2.items
import dynamodb2.layer1
import dynamodb2.results
import dynamodb2.table
import dynamodb2.transactions
from dynamodb2._placeholders import Compilable
from dynamodb2._sessions import Boto3Session
from dynamodb2.batch import BatchTable
from dynamodb2.conditions import Attr, Key
from dynamodb2.connection import Connection
from dynamodb2.exceptions import (
    DynamoDBError,
    DynamoDBResponseError,
    ParameterValidationError,
    RequestValidationError,
)
from dynamodb2.fields import GlobalAllIndex, HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.results import BatchGetResultSet, ResultSet
from dynamodb2.table import Table
from dynamodb2.transactions import Transaction, transact_get, transaction
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, shared_botocore_session
from tests.support.fakes import ScriptedTransport, ServiceError, fake_connection

# --------------------------------------------------------------------------- a fake DynamoDB

_DESCRIPTION: Final = {
    "TableName": "users",
    "TableStatus": "ACTIVE",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    "ItemCount": 0,
}


def answer(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
    """A plausible answer to every operation; the table ``gone`` does not exist."""
    if body.get("TableName") == "gone":
        raise ServiceError("ResourceNotFoundException", "Requested resource not found")
    if operation in ("DescribeTable", "CreateTable", "UpdateTable", "DeleteTable"):
        key = "Table" if operation == "DescribeTable" else "TableDescription"
        return {key: _DESCRIPTION}
    if operation == "GetItem":
        return {"Item": {"id": {"S": "a"}, "x": {"N": "1"}}}
    if operation in ("Query", "Scan"):
        return {"Items": [{"id": {"S": "a"}}], "Count": 1, "ScannedCount": 1}
    if operation == "BatchGetItem":
        return {"Responses": {"users": [{"id": {"S": "a"}}]}}
    if operation == "DescribeTimeToLive":
        return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
    if operation == "ListTables":
        return {"TableNames": ["users"]}
    if operation == "TransactGetItems":
        return {"Responses": [{"Item": {"id": {"S": "a"}}}]}
    if operation == "ExecuteStatement":
        return {"Items": []}
    return {}


class World:
    """A fake connection and the objects the methods are called on."""

    def __init__(self) -> None:
        self.connection, self.fake = fake_connection(answer)
        self.layer1 = DynamoDBConnection(connection=self.connection)

    def table(self, name: str = "users") -> Table:
        return Table(name, schema=[HashKey("id")], connection=self.connection)

    def item(self) -> Item:
        return Item(self.table(), data={"id": "a", "x": 1})

    def loaded_item(self) -> Item:
        return self.table().get_item(id="a")


def one_page(**_kwargs: Any) -> Mapping[str, Any]:
    return {"results": [1, 2], "last_key": None}


def batch_page(**_kwargs: Any) -> Mapping[str, Any]:
    return {"results": [1], "unprocessed_keys": []}


def result_set() -> ResultSet[Any]:
    results: ResultSet[Any] = ResultSet()
    results.to_call(one_page)
    return results


def batch_result_set() -> BatchGetResultSet[Any]:
    results: BatchGetResultSet[Any] = BatchGetResultSet(keys=[{"id": "a"}])
    results.to_call(batch_page)
    return results


# --------------------------------------------------------------------------- valid calls

#: Valid arguments for each method's required parameters (and the object to call it on).
Receiver = Callable[[World], Any]
A_KEY: Final = {"id": {"S": "a"}}
A_GSI = GlobalAllIndex("by-x", parts=[HashKey("x")], throughput={"read": 1, "write": 1})


class Valid:
    """How to call a method validly: its receiver and required arguments."""

    def __init__(self, receiver: Receiver | None, /, *args: Any, **kwargs: Any) -> None:
        self.receiver = receiver
        self.args = args
        self.kwargs = kwargs


def _table(world: World) -> Table:
    return world.table()


def _ranged(world: World) -> Table:
    # boto 2's deprecated query refuses one condition on a table of one key attribute.
    return Table("users", schema=[HashKey("id"), RangeKey("at")], connection=world.connection)


def _gone(world: World) -> Table:
    return world.table("gone")


def _item(world: World) -> Item:
    return world.item()


def _batch(world: World) -> BatchTable:
    return world.table().batch_write()


def _layer1(world: World) -> DynamoDBConnection:
    return world.layer1


def _connection(world: World) -> Connection:
    return world.connection


def _transaction(world: World) -> Transaction:
    return Transaction(world.connection)


def _with_table(world: World, *rest: Any) -> tuple[Any, ...]:
    return (world.table(), *rest)


#: Arguments that need the world (a table, a connection) are given as ``World -> value``.
class Lazy:
    def __init__(self, make: Callable[[World], Any]) -> None:
        self.make = make


TABLE = Lazy(lambda world: world.table())
CONNECTION = Lazy(lambda world: world.connection)

CONNECTION_KWARGS: Final = {
    "region_name": REGION,
    "endpoint_url": "http://dynamodb.test",
    "aws_access_key_id": ACCESS_KEY,
    "aws_secret_access_key": SECRET_KEY,
}

VALID: Final[dict[str, Valid]] = {
    # Table
    "Table.__init__": Valid(None, "users", connection=CONNECTION),
    "Table.use_boolean": Valid(_table),
    "Table.use_native_numbers": Valid(_table),
    "Table.create": Valid(None, "users", [HashKey("id")], connection=CONNECTION),
    "Table.describe": Valid(_table),
    "Table.update": Valid(_table, {"read": 1, "write": 1}),
    "Table.create_global_secondary_index": Valid(_table, A_GSI),
    "Table.delete_global_secondary_index": Valid(_table, "by-x"),
    "Table.update_global_secondary_index": Valid(_table, {"by-x": {"read": 1, "write": 1}}),
    "Table.delete": Valid(_table),
    "Table.count": Valid(_table),
    "Table.wait_until_active": Valid(_table),
    "Table.wait_until_deleted": Valid(_gone),
    "Table.describe_ttl": Valid(_table),
    "Table.enable_ttl": Valid(_table, "expires"),
    "Table.disable_ttl": Valid(_table),
    "Table.get_key_fields": Valid(_table),
    "Table.get_item": Valid(_table, id="a"),
    "Table.has_item": Valid(_table, id="a"),
    "Table.lookup": Valid(_table, "a"),
    "Table.new_item": Valid(_table, "a"),
    "Table.put_item": Valid(_table, {"id": "a"}),
    "Table.delete_item": Valid(_table, id="a"),
    "Table.update_item": Valid(_table, {"id": "a"}, set={"x": 1}),
    "Table.batch_write": Valid(_table),
    "Table.batch_get": Valid(_table, [{"id": "a"}]),
    "Table.query": Valid(_ranged, id__eq="a"),
    "Table.query_2": Valid(_table, id__eq="a"),
    "Table.query_count": Valid(_table, id__eq="a"),
    "Table.scan": Valid(_table),
    "Table.parallel_scan": Valid(_table),
    # Item
    "Item.__init__": Valid(None, TABLE, {"id": "a"}),
    "Item.from_wire": Valid(None, TABLE, {"id": {"S": "a"}}),
    "Item.keys": Valid(_item),
    "Item.values": Valid(_item),
    "Item.items": Valid(_item),
    "Item.get": Valid(_item, "x"),
    "Item.needs_save": Valid(_item),
    "Item.mark_clean": Valid(_item),
    "Item.mark_dirty": Valid(_item),
    "Item.load": Valid(_item, {"Item": {"id": {"S": "a"}}}),
    "Item.get_keys": Valid(_item),
    "Item.get_raw_keys": Valid(_item),
    "Item.build_expects": Valid(_item),
    "Item.prepare_full": Valid(_item),
    "Item.prepare_partial": Valid(_item),
    "Item.save": Valid(_item),
    "Item.partial_save": Valid(_item),
    "Item.delete": Valid(_item),
    # BatchTable
    "BatchTable.__init__": Valid(None, TABLE),
    "BatchTable.put_item": Valid(_batch, {"id": "a"}),
    "BatchTable.delete_item": Valid(_batch, id="a"),
    "BatchTable.should_flush": Valid(_batch),
    "BatchTable.flush": Valid(_batch),
    "BatchTable.flush_all": Valid(_batch),
    "BatchTable.handle_unprocessed": Valid(_batch, {"UnprocessedItems": {}}),
    "BatchTable.resend_unprocessed": Valid(_batch),
    # ResultSet, BatchGetResultSet
    "ResultSet.__init__": Valid(None),
    "ResultSet.next": Valid(lambda world: result_set()),
    "ResultSet.to_call": Valid(lambda world: ResultSet(), one_page),
    "ResultSet.fetch_more": Valid(lambda world: result_set()),
    "BatchGetResultSet.__init__": Valid(None, keys=[{"id": "a"}]),
    "BatchGetResultSet.fetch_more": Valid(lambda world: batch_result_set()),
    "BatchGetResultSet.next": Valid(lambda world: batch_result_set()),
    "BatchGetResultSet.to_call": Valid(
        lambda world: BatchGetResultSet(keys=[{"id": "a"}]), batch_page
    ),
    # Transaction
    "Transaction.__init__": Valid(None, CONNECTION),
    "Transaction.put": Valid(_transaction, TABLE, {"id": "a"}),
    "Transaction.update": Valid(_transaction, TABLE, {"id": "a"}, set={"x": 1}),
    "Transaction.delete": Valid(_transaction, TABLE, {"id": "a"}),
    "Transaction.check": Valid(_transaction, TABLE, {"id": "a"}, Attr("x").exists()),
    "Transaction.commit": Valid(_transaction),
    "transaction": Valid(None, CONNECTION),
    "transact_get": Valid(None, CONNECTION, [(Lazy(lambda w: w.table()), {"id": "a"})]),
    # layer1
    "DynamoDBConnection.__init__": Valid(None, connection=CONNECTION),
    "DynamoDBConnection.make_request": Valid(_layer1, "ListTables", {}),
    "DynamoDBConnection.close": Valid(_layer1),
    "DynamoDBConnection.batch_get_item": Valid(_layer1, {"users": {"Keys": [A_KEY]}}),
    "DynamoDBConnection.batch_write_item": Valid(
        _layer1, {"users": [{"PutRequest": {"Item": A_KEY}}]}
    ),
    "DynamoDBConnection.create_table": Valid(
        _layer1,
        [{"AttributeName": "id", "AttributeType": "S"}],
        "users",
        [{"AttributeName": "id", "KeyType": "HASH"}],
        {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    ),
    "DynamoDBConnection.delete_item": Valid(_layer1, "users", A_KEY),
    "DynamoDBConnection.delete_table": Valid(_layer1, "users"),
    "DynamoDBConnection.describe_table": Valid(_layer1, "users"),
    "DynamoDBConnection.get_item": Valid(_layer1, "users", A_KEY),
    "DynamoDBConnection.list_tables": Valid(_layer1),
    "DynamoDBConnection.put_item": Valid(_layer1, "users", A_KEY),
    "DynamoDBConnection.query": Valid(
        _layer1, "users", {"id": {"AttributeValueList": [{"S": "a"}], "ComparisonOperator": "EQ"}}
    ),
    "DynamoDBConnection.scan": Valid(_layer1, "users"),
    "DynamoDBConnection.update_item": Valid(_layer1, "users", A_KEY),
    "DynamoDBConnection.update_table": Valid(_layer1, "users"),
    "DynamoDBConnection.transact_write_items": Valid(
        _layer1, [{"Put": {"TableName": "users", "Item": A_KEY}}]
    ),
    "DynamoDBConnection.transact_get_items": Valid(
        _layer1, [{"Get": {"TableName": "users", "Key": A_KEY}}]
    ),
    "DynamoDBConnection.update_time_to_live": Valid(
        _layer1, "users", {"Enabled": True, "AttributeName": "expires"}
    ),
    "DynamoDBConnection.describe_time_to_live": Valid(_layer1, "users"),
    "DynamoDBConnection.execute_statement": Valid(_layer1, 'SELECT * FROM "users"'),
    # Connection: every operation method takes a request body
    "Connection.__init__": Valid(
        None,
        **CONNECTION_KWARGS,
        session=Lazy(lambda world: shared_botocore_session()),
        transport=Lazy(lambda world: world.fake),
    ),
    "Connection.close": Valid(_connection),
    "Connection.call": Valid(_connection, "ListTables", {}),
}

#: Classes (and functions) whose public methods are driven.
CLASSES: Final = (
    Table,
    Item,
    BatchTable,
    ResultSet,
    BatchGetResultSet,
    Transaction,
    DynamoDBConnection,
    Connection,
)
FUNCTIONS: Final = (transaction, transact_get)


def public_methods() -> dict[str, Callable[..., Any]]:
    """Every public method (and constructor) of the classes, by ``Class.method``."""
    found: dict[str, Callable[..., Any]] = {}
    for cls in CLASSES:
        # The sync and asyncio classes share base classes (Table's _TableBase, ...): the
        # methods written there are the class's too, overridden by the class's own.
        members: dict[str, Any] = {}
        for owner in reversed(cls.__mro__):
            if owner.__module__.startswith("dynamodb2."):
                members.update(vars(owner))
        for name, member in members.items():
            if name.startswith("_") and name != "__init__":
                continue
            function = (
                member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            )
            if inspect.isfunction(function):
                found[f"{cls.__name__}.{name}"] = function
    for function in FUNCTIONS:
        found[function.__name__] = function
    return found


METHODS: Final = public_methods()
for _name in METHODS:
    if _name.startswith("Connection.") and _name not in VALID:
        VALID[_name] = Valid(_connection, {})  # the operation methods: (body)


# --------------------------------------------------------------------------- annotations

_MODULES: Final = {
    Table: dynamodb2.table,
    Item: dynamodb2.items,
    BatchTable: dynamodb2.batch,
    ResultSet: dynamodb2.results,
    BatchGetResultSet: dynamodb2.results,
    Transaction: dynamodb2.transactions,
    DynamoDBConnection: dynamodb2.layer1,
    Connection: dynamodb2.connection,
}
#: Names the modules import for type checkers only.
_LOCALS: Final = {
    "Table": Table,
    "AnyTable": Table,
    "Self": Item,
    "Item": Item,
    "botocore": botocore,
    "Boto3Session": Boto3Session,
}


def hints_of(function: Callable[..., Any]) -> dict[str, Any]:
    module = inspect.getmodule(function)
    return typing.get_type_hints(function, vars(module), _LOCALS)


def unpacked(hint: Any) -> dict[str, Any] | None:
    """The keywords of ``**kwargs: Unpack[SomeTypedDict]`` and their types, else ``None``."""
    if get_origin(hint) is not Unpack:
        return None
    (typed_dict,) = get_args(hint)
    return typing.get_type_hints(typed_dict, vars(inspect.getmodule(typed_dict)), _LOCALS)


#: The strings DynamoDB's JSON reads as booleans (and boto 2 therefore sent for flags).
_BOOLEAN_STRINGS: Final = frozenset({"true", "false", "yes", "no", "1", "0"})
#: Parameters sent as DynamoDB integers, which it rounds down when given a fraction.
_WIRE_INTEGERS: Final = frozenset({"limit", "max_page_size", "segment", "total_segments"})


def _falsy(value: Any) -> bool:
    try:
        return not value
    except Exception:
        return False


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


#: (method, parameter): the values accepted beyond the annotation, and why.
LOOSE: Final[dict[tuple[str, str], tuple[Callable[[Any], bool], str]]] = {
    **dict.fromkeys(
        (
            ("Table.update", "throughput"),
            ("Table.update", "global_indexes"),
            ("Table.create_global_secondary_index", "global_index"),
            ("Table.delete_global_secondary_index", "global_index_name"),
            ("Table.update_global_secondary_index", "global_indexes"),
        ),
        (_falsy, "boto 2 logged 'You need to provide ...' and returned False"),
    ),
    ("Item.get", "key"): (_hashable, "dict-like: any key has no value, as dict.get says"),
    ("Item.__init__", "data"): (
        lambda value: isinstance(value, Mapping),
        "an item holds what it is given (as a dict does); names are checked when saved",
    ),
    ("Item.from_wire", "wire_item"): (
        lambda value: isinstance(value, Mapping),
        "decoded lazily: a malformed value is refused, naming it, when first read",
    ),
    **dict.fromkeys(
        (
            ("Table.query", "reverse"),
            ("Table.query_2", "reverse"),
            ("Item.__init__", "loaded"),
            ("Item.save", "overwrite"),
            ("Table.put_item", "overwrite"),
            ("BatchTable.put_item", "overwrite"),
        ),
        (
            lambda value: isinstance(value, (int, float, Decimal, str)),
            "boto 2 tested these flags for truth: a number or any string is taken as "
            "Python takes its truth",
        ),
    ),
    ("DynamoDBConnection.__init__", "debug"): (
        lambda value: value is None or isinstance(value, bool),
        "boto 2's debug level, unused here (logging replaces it)",
    ),
}

#: Methods whose ``**kwargs`` are key attributes or filters (the others forward theirs),
#: and whose ``*args`` are key values.
KEYWORD_DRIVEN: Final = frozenset(
    {
        "Table.get_item",
        "Table.has_item",
        "Table.lookup",
        "Table.new_item",
        "Table.delete_item",
        "Table.query",
        "Table.query_2",
        "Table.query_count",
        "Table.scan",
        "Table.parallel_scan",
        "BatchTable.delete_item",
    }
)

#: Methods that answer a wrong keyword as boto 2 did, without raising (and why).
ANSWERS_WRONG_KEYWORDS: Final = {
    "Table.has_item": "boto 2 turned DynamoDB's refusal of the key into False",
}


def loose(method: str, parameter: str, value: Any, hint: Any) -> bool:
    """Whether ``value`` is a type boto 2 accepted for this parameter, though its
    annotation is narrower."""
    accepted = LOOSE.get((method, parameter))
    if accepted is not None and accepted[0](value):
        return True
    union = get_origin(hint) is Union or get_origin(hint) is types.UnionType
    bare = [arg for arg in get_args(hint) if arg is not type(None)] if union else [hint]
    if bare == [float] and isinstance(value, Decimal):
        return value.is_finite()  # seconds: a decimal is a number too
    for arg in bare:
        if get_origin(arg) is collections.abc.Sequence:
            # A list of names, keys, fields: any collection of them (a set, a generator,
            # a dict's keys) is taken, not only a sequence.
            (element,) = get_args(arg) or (Any,)
            if (
                isinstance(value, collections.abc.Iterable)
                and not isinstance(value, (str, bytes, Mapping))
                and all(fits(member, element) for member in value)
            ):
                return True
    if bare == [bool]:
        # Flags: boto 2 tested them for truth, or sent them to DynamoDB, whose JSON
        # reads "true"/"yes"/"1" (and their opposites) as booleans.
        return (
            value is None
            or (isinstance(value, int) and not isinstance(value, bool))
            or (isinstance(value, str) and value.lower() in _BOOLEAN_STRINGS)
        )
    if bare == [int] and parameter in _WIRE_INTEGERS:
        if isinstance(value, Decimal):
            return value.is_finite()
        return isinstance(value, float) and math.isfinite(value)
    return False


def fits(value: Any, hint: Any, *, deep: bool = True) -> bool:
    """Whether ``value`` is of the type ``hint`` names (elements included, if ``deep``)."""
    if hint is Any or hint is object or isinstance(hint, typing.TypeVar):
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = get_origin(hint)
    args = get_args(hint)
    if origin is Union or origin is types.UnionType:
        return any(fits(value, arg, deep=deep) for arg in args)
    if origin is Literal:
        if all(isinstance(arg, str) for arg in args) and isinstance(value, str):
            # A name DynamoDB knows (its enums grow): a string is of the right type, and
            # an unknown one DynamoDB's to judge, where no check of values is made here.
            return True
        return any(type(value) is type(arg) and value == arg for arg in args)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_typeddict(hint):
        # Wire shapes (AttributeValue...): a mapping of names; their insides are DynamoDB's
        # to judge, as for boto 2.
        return isinstance(value, Mapping) and all(isinstance(key, str) for key in value)
    if hint is Compilable:
        return callable(getattr(value, "compile", None))
    if origin in (collections.abc.Callable,):
        return callable(value)
    if origin in (collections.abc.Mapping, dict, collections.abc.MutableMapping):
        if not isinstance(value, Mapping):
            return False
        if not deep:
            return True
        key_hint, value_hint = args or (Any, Any)
        return all(fits(k, key_hint) and fits(v, value_hint) for k, v in value.items())
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if not deep:
            return True
        if len(args) == 2 and args[1] is Ellipsis:
            return all(fits(element, args[0]) for element in value)
        return len(value) == len(args) and all(map(fits, value, args))
    if origin in (
        collections.abc.Sequence,
        collections.abc.Iterable,
        collections.abc.Collection,
        list,
    ):
        abc = origin if origin is not list else list
        if not isinstance(value, abc):
            return False
        if not deep:
            return True
        (element_hint,) = args or (Any,)
        return all(fits(element, element_hint) for element in value)
    if isinstance(hint, type):
        return isinstance(value, hint)
    if isinstance(origin, type):  # a generic class's alias: _ConnectionBase[Body, Any]
        return isinstance(value, origin)
    return True  # an annotation this test cannot judge: treated as fitting


def checkable(hint: Any) -> bool:
    """Whether some value can be of another type than ``hint``."""
    return not fits(_UNFITTABLE, hint)


class _Unfittable:
    """Of no type an annotation names (except Any and object)."""

    def __repr__(self) -> str:
        return "<unfittable>"


_UNFITTABLE: Final = _Unfittable()


# --------------------------------------------------------------------------- the drive

#: Any value, of every type the public API meets.
ANY_VALUE: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.decimals(),
    st.text(max_size=6),
    st.binary(max_size=6),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.tuples(st.integers()),
    st.tuples(st.text(max_size=3), st.integers()),
    st.dictionaries(
        st.one_of(st.text(max_size=3), st.integers()),
        st.one_of(st.integers(), st.text(max_size=3), st.none(), st.lists(st.integers())),
        max_size=2,
    ),
    st.sets(st.integers(), max_size=2),
    st.frozensets(st.text(max_size=2), max_size=2),
    st.just(_UNFITTABLE),
    st.just(Ellipsis),
    st.just(Attr("x").exists()),
    st.just(Key("id").eq("a")),
    st.just(HashKey("id")),
    st.just(print),
    st.sampled_from([Table, Item, object, int]),
)

#: Parameters of ``Any`` (or ``object``) type and ``*args``/``**kwargs``: driven with
#: values DynamoDB cannot store, or names that are not filters, below.
WRONG_EXTRA: Final = st.one_of(st.just(_UNFITTABLE), st.just(object()), st.just({1, "a"}))


def type_arguments(cls: type) -> dict[Any, Any]:
    """What ``cls`` binds its bases' type variables to (``Item``: ``_TableT`` is Table)."""
    bound: dict[Any, Any] = {}
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            origin = get_origin(base)
            variables = getattr(origin, "__parameters__", ())
            # (a base of no type variables, such as list[...], binds nothing: zip stops)
            for variable, written in zip(variables, get_args(base), strict=False):
                argument = (
                    _LOCALS[written.__forward_arg__]
                    if isinstance(written, typing.ForwardRef)
                    else written
                )
                bound.setdefault(variable, substituted(argument, bound))
    return bound


def substituted(hint: Any, bound: Mapping[Any, Any]) -> Any:
    """``hint`` with the type variables ``bound`` gives a type replaced."""
    if isinstance(hint, typing.TypeVar):
        return bound.get(hint, hint)
    variables = getattr(hint, "__parameters__", ())
    if variables and all(variable in bound for variable in variables):
        return hint[tuple(bound[variable] for variable in variables)]
    return hint


def parameters(name: str) -> list[tuple[str, inspect.Parameter, Any]]:
    """The parameters of ``name`` that a wrong value can be given to."""
    function = METHODS[name]
    hints = hints_of(function)
    owner = next((cls for cls in CLASSES if name.startswith(f"{cls.__name__}.")), None)
    if owner is not None:
        # A method written once on a generic base (Item's table: _TableT): the type the
        # class gives the type variable.
        bound = type_arguments(owner)
        hints = {key: substituted(hint, bound) for key, hint in hints.items()}
    found = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name in ("self", "cls"):
            continue
        hint = hints.get(parameter.name, Any)
        kind = parameter.kind
        keywords = unpacked(hint) if kind is inspect.Parameter.VAR_KEYWORD else None
        if keywords is not None:
            # Typed keywords (an update's actions): each a parameter of its own.
            for keyword, keyword_hint in keywords.items():
                if checkable(keyword_hint):
                    one = inspect.Parameter(keyword, inspect.Parameter.KEYWORD_ONLY)
                    found.append((keyword, one, keyword_hint))
        elif kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            if name in KEYWORD_DRIVEN:
                found.append((parameter.name, parameter, hint))
        elif checkable(hint):
            found.append((parameter.name, parameter, hint))
    return found


def resolve(value: Any, world: World) -> Any:
    if isinstance(value, Lazy):
        return value.make(world)
    if isinstance(value, list):
        return [resolve(element, world) for element in value]
    if isinstance(value, tuple):
        return tuple(resolve(element, world) for element in value)
    if isinstance(value, dict):
        return {key: resolve(element, world) for key, element in value.items()}
    return value


def call(name: str, world: World, replace: tuple[inspect.Parameter, Any] | None) -> Any:
    """Call ``name`` validly, except for the one parameter in ``replace``."""
    valid = VALID[name]
    function = METHODS[name]
    args = list(resolve(valid.args, world))
    kwargs = dict(resolve(valid.kwargs, world))
    signature = inspect.signature(function)
    positional = [
        p
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if replace is not None:
        parameter, value = replace
        if parameter.kind is parameter.VAR_POSITIONAL:
            args, kwargs = list(value), {}
        elif parameter.kind is parameter.VAR_KEYWORD:
            if any(p.kind is p.VAR_POSITIONAL for p in signature.parameters.values()):
                args = []  # lookup("a", id=...) would take "a" for id
            kwargs = {**kwargs, **value}
        else:
            index = next((i for i, p in enumerate(positional) if p.name == parameter.name), None)
            if index is not None and index < len(args):
                args[index] = value
            else:
                kwargs[parameter.name] = value
    owner, _, method = name.rpartition(".")
    if not owner:
        target: Callable[..., Any] = function
    elif method == "__init__":
        target = next(cls for cls in CLASSES if cls.__name__ == owner)
    elif valid.receiver is None:
        target = getattr(next(cls for cls in CLASSES if cls.__name__ == owner), method)
    else:
        target = getattr(valid.receiver(world), method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = target(*args, **kwargs)
        if method == "__init__":
            return result
        if isinstance(result, (ResultSet, Iterator)) or inspect.isgenerator(result):
            with contextlib.suppress(StopIteration):
                for _ in zip(range(3), result, strict=False):
                    pass
        if isinstance(result, (BatchTable, Transaction)):
            with result:
                pass
        return result


def test_every_public_method_has_a_valid_call() -> None:
    world = World()
    missing = sorted(set(METHODS) - set(VALID))
    assert missing == [], f"give these methods a valid call in VALID: {missing}"
    for name in METHODS:
        call(name, world, None)  # raises if the "valid" call is not


def wrong_value_for(method: str, parameter: inspect.Parameter, hint: Any) -> st.SearchStrategy[Any]:
    name = parameter.name
    if parameter.kind is parameter.VAR_POSITIONAL:
        return st.tuples(WRONG_EXTRA)
    if parameter.kind is parameter.VAR_KEYWORD:
        # A keyword whose value DynamoDB cannot store, or that is no key, filter or
        # condition keyword at all.
        return st.one_of(
            WRONG_EXTRA.map(lambda value: {"id": value}),
            WRONG_EXTRA.map(lambda value: {"id__eq": value}),
            st.just({"no_such_keyword__": 1}),
        )
    return ANY_VALUE.filter(
        lambda value: not fits(value, hint) and not loose(method, name, value, hint)
    )


#: The methods taking an argument a value could be of the wrong type for.
DRIVEN: Final = sorted(name for name in METHODS if parameters(name))


@pytest.mark.parametrize("name", DRIVEN)
def test_a_wrong_typed_argument_raises_this_packages_error_naming_it(name: str) -> None:
    candidates = parameters(name)

    world = World()

    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def drive(data: st.DataObject) -> None:
        _, parameter, hint = data.draw(st.sampled_from(candidates), label="parameter")
        value = data.draw(wrong_value_for(name, parameter, hint), label="value")
        check_one(name, world, parameter, hint, value)

    drive()


def check_one(name: str, world: World, parameter: inspect.Parameter, hint: Any, value: Any) -> None:
    """Call ``name`` with ``value`` for ``parameter``; only this package's errors may
    come out, naming the argument (or, for a container of the right type holding a
    wrong element, what in it is wrong)."""
    label = parameter.name
    variadic = parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    refusal: DynamoDBError | DynamoDBResponseError
    try:
        call(name, world, (parameter, value))
    except (DynamoDBError, DynamoDBResponseError) as error:
        refusal = error
    except BaseException as error:
        raise AssertionError(
            f"{name}({label}={value!r:.80}) raised a bare {type(error).__name__}: {error}"
        ) from error
    else:
        if variadic and name in ANSWERS_WRONG_KEYWORDS:
            return
        raise AssertionError(f"{name}({label}={value!r:.80}) was accepted")
    if variadic or fits(value, hint, deep=False):
        return  # what is wrong is inside: the error names that (an attribute, a filter)
    named = label in str(refusal) or getattr(refusal, "attribute", None)
    assert named, f"{name}({label}={value!r:.80}): the error does not name {label!r}: {refusal}"


def test_the_count_of_public_methods_driven() -> None:
    # docs/reliability.md reports these counts: 122 public methods, all called validly,
    # 94 of them (377 parameters) driven with wrong types. A method added later is
    # driven too; only fewer would mean something was lost.
    assert len(METHODS) >= 122
    assert len(DRIVEN) >= 94
    assert sum(len(parameters(name)) for name in DRIVEN) >= 377


# --------------------------------------------------------------------------- examples


def users() -> tuple[Table, ScriptedTransport]:
    world = World()
    return world.table(), world.fake


@pytest.mark.parametrize(
    ("call_with", "error", "words"),
    [
        pytest.param(
            lambda t: t.put_item(["id", "a"]),
            ParameterValidationError,
            "not list",
            id="put_item-list",
        ),
        pytest.param(
            lambda t: t.put_item("x"), ParameterValidationError, "not str", id="put_item-str"
        ),
        pytest.param(
            lambda t: list(t.scan(limit="10")),
            RequestValidationError,
            "limit takes a whole number or None, not str '10'",
            id="scan-limit",
        ),
        pytest.param(
            lambda t: list(t.query_2(id__eq="a", max_page_size="x")),
            RequestValidationError,
            "max_page_size takes a whole number or None, not str 'x'",
            id="query_2-max_page_size",
        ),
        pytest.param(
            lambda t: t.get_item(consistent="maybe", id="a"),
            RequestValidationError,
            "consistent takes True or False, not str 'maybe'",
            id="get_item-consistent",
        ),
        pytest.param(
            lambda t: t.batch_get(keys="abc"),
            ParameterValidationError,
            "keys takes a list of keys ([{'id': ...}, ...]), not str 'abc'",
            id="batch_get-keys",
        ),
        pytest.param(
            lambda t: Table("t", schema=cast(Any, "x")),
            ParameterValidationError,
            "schema takes a list of key fields",
            id="Table-schema",
        ),
        pytest.param(
            lambda t: t.update_item(key={"id": "a"}, set=["x", 1]),
            RequestValidationError,
            "set takes a mapping from path to value, not list",
            id="update_item-set-list",
        ),
        pytest.param(
            lambda t: Table("users", connection=cast(Any, "localhost:8000")),
            ParameterValidationError,
            "connection takes a DynamoDBConnection, a Connection, or an object with",
            id="Table-connection",
        ),
        pytest.param(
            # Digits as text are a port, as boto 2 took them ("8000"); other text is not.
            lambda t: DynamoDBConnection(port=cast(Any, "http")),
            ParameterValidationError,
            "port takes a whole number, its digits as text, or None, not str 'http'",
            id="DynamoDBConnection-port",
        ),
        pytest.param(
            lambda t: Connection(read_timeout=cast(Any, "5")),
            ParameterValidationError,
            "read_timeout takes a number of seconds (0 or more), not str '5'",
            id="Connection-read_timeout",
        ),
        pytest.param(
            lambda t: t.connection.connection.call("PutItem", {"Item": {"id": object()}}),
            ParameterValidationError,
            "PutItem: the request body cannot be sent as JSON",
            id="Connection-call-body",
        ),
        pytest.param(
            lambda t: t.connection.get_item("users", {"id": {"S": "a"}}, consistent_read=1),
            RequestValidationError,
            "consistent_read takes True or False, not int 1",
            id="layer1-consistent_read",
        ),
    ],
)
def test_a_wrong_typed_argument_is_refused_naming_it_and_nothing_is_sent(
    call_with: Callable[[Any], object], error: type[Exception], words: str
) -> None:
    table, fake = users()

    with pytest.raises(error) as refused:
        call_with(table)

    assert words in str(refused.value)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call_with", "field", "sent"),
    [
        # boto 2 sent these to DynamoDB as they were, and DynamoDB's JSON read them so.
        (lambda t: t.get_item(consistent="yes", id="a"), "ConsistentRead", True),
        (lambda t: t.get_item(consistent="FALSE", id="a"), "ConsistentRead", False),
        (lambda t: t.get_item(consistent=1, id="a"), "ConsistentRead", True),
        (lambda t: t.get_item(consistent=None, id="a"), "ConsistentRead", False),
        (lambda t: list(t.query_2(id__eq="a", limit=2.0)), "Limit", 2),
        (lambda t: list(t.query_2(id__eq="a", max_page_size=2.9)), "Limit", 2),
        (lambda t: list(t.scan(segment=1.0, total_segments=Decimal(4))), "Segment", 1),
        (lambda t: list(t.query_2(id__eq="a", reverse=1)), "ScanIndexForward", False),
        (
            lambda t: t.connection.get_item("users", A_KEY, consistent_read="true"),
            "ConsistentRead",
            True,
        ),
    ],
)
def test_loose_types_boto2_sent_are_taken_as_dynamodb_read_them(
    call_with: Callable[[Any], object], field: str, sent: Any
) -> None:
    table, fake = users()

    call_with(table)

    (_, body), *_ = fake.requests
    assert body[field] == sent


def test_a_table_on_an_autospec_of_the_layer1_connection_still_works() -> None:
    # boto 2's own tests (tests/compat runs them) give tables mock.create_autospec'd
    # connections; the argument checks take them as connections.
    connection = mock.create_autospec(DynamoDBConnection)()
    connection.get_item.return_value = {"Item": {"id": {"S": "a"}}}
    table = Table("users", schema=[HashKey("id")], connection=connection)

    assert table.get_item(id="a", consistent=True)["id"] == "a"
    connection.get_item.assert_called_once_with(
        "users", {"id": {"S": "a"}}, consistent_read=True, attributes_to_get=None
    )
