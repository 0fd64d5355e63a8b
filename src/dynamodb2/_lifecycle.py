"""A table's own settings: the calls that create and change it, and reading its description.

>>> from dynamodb2.fields import HashKey
>>> call, types = create_call("users", [HashKey("username")])
>>> call.method, call.kwargs["key_schema"], types
('create_table', [{'AttributeName': 'username', 'KeyType': 'HASH'}], {'username': 'S'})

Everything here is pure: ``Table`` sends the calls through its layer1 connection and
applies what a description says to itself. The calls have boto 2's shapes (keyword
names, and the arguments boto 2 passed), with DynamoDB's newer settings added only when
they are given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, get_args

import attrs

from ._arguments import flag, mapping, refusal, sequence_of, text
from ._limits import (
    MAX_LOCAL_INDEXES,
    MAX_PROJECTED_ATTRIBUTES,
    check_index_name,
    check_key_name,
)
from ._requests import Call
from ._responses import Shape, json_kind
from .exceptions import (
    ParameterValidationError,
    RequestValidationError,
    UnknownIndexFieldError,
    UnknownSchemaFieldError,
)
from .fields import (
    AllIndex,
    BaseIndexField,
    BaseSchemaField,
    GlobalAllIndex,
    GlobalBaseIndexField,
    GlobalIncludeIndex,
    GlobalKeysOnlyIndex,
    HashKey,
    IncludeIndex,
    KeysOnlyIndex,
    RangeKey,
)
from .layer1 import TableClass
from .types import STRING

__all__ = [
    "DEFAULT_THROUGHPUT",
    "ON_DEMAND",
    "PROVISIONED",
    "Description",
    "check_definition",
    "check_new_global_index",
    "create_call",
    "gsi_create_call",
    "introspect_indexes",
    "introspect_schema",
    "item_count",
    "update_call",
]

DEFAULT_THROUGHPUT: Final = {"read": 5, "write": 5}
PROVISIONED: Final = "PROVISIONED"
ON_DEMAND: Final = "PAY_PER_REQUEST"
_STREAM_VIEW_TYPES: Final = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
_TABLE_CLASSES: Final[tuple[TableClass, ...]] = get_args(TableClass)

#: Index classes by projection type, for local and for global indexes.
LOCAL_INDEX_CLASSES: Final[dict[str, type[BaseIndexField]]] = {
    "ALL": AllIndex,
    "KEYS_ONLY": KeysOnlyIndex,
    "INCLUDE": IncludeIndex,
}
GLOBAL_INDEX_CLASSES: Final[dict[str, type[BaseIndexField]]] = {
    "ALL": GlobalAllIndex,
    "KEYS_ONLY": GlobalKeysOnlyIndex,
    "INCLUDE": GlobalIncludeIndex,
}


def _set(**kwargs: Any) -> dict[str, Any]:
    return {name: value for name, value in kwargs.items() if value is not None}


# --------------------------------------------------------------------------- create


def create_call(
    table_name: str,
    schema: Sequence[BaseSchemaField],
    throughput: Mapping[str, int] | None = None,
    indexes: Sequence[BaseIndexField] | None = None,
    global_indexes: Sequence[BaseIndexField] | None = None,
    *,
    billing_mode: str | None = None,
    stream_specification: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | Sequence[Mapping[str, str]] | None = None,
    table_class: str | None = None,
    deletion_protection_enabled: bool | None = None,
) -> tuple[Call, dict[str, str]]:
    """The ``create_table`` call for a table, and the types of its key and index
    attributes, after refusing what DynamoDB would refuse."""
    check_definition(schema, throughput, indexes, global_indexes)
    if not schema:
        raise RequestValidationError("Table.create needs a schema: [HashKey(...), ...]")
    _check_schema(schema)
    for field in schema:
        check_key_name(field.name, what="key attribute name")
    mapping(stream_specification, "stream_specification")
    text(table_class, "table_class")
    if deletion_protection_enabled is not None:
        deletion_protection_enabled = flag(
            deletion_protection_enabled, "deletion_protection_enabled"
        )
    check_billing_mode(billing_mode)
    _check_stream_specification(stream_specification)
    if table_class not in (None, *_TABLE_CLASSES):
        raise RequestValidationError(
            f"table_class must be one of {', '.join(_TABLE_CLASSES)}, not {table_class!r}"
        )
    on_demand = billing_mode == ON_DEMAND
    if on_demand and throughput is not None:
        raise RequestValidationError("an on-demand (PAY_PER_REQUEST) table takes no throughput")
    definitions: dict[str, Any] = {}
    for field in schema:
        definitions.setdefault(field.name, field.definition())
    _check_index_set(indexes or (), global_indexes or ())
    kwargs: dict[str, Any] = {}
    for keyword, index_list in (
        ("local_secondary_indexes", indexes),
        ("global_secondary_indexes", global_indexes),
    ):
        if not index_list:
            continue
        raw_indexes = []
        for index in index_list:
            _check_index_parts(index)
            _check_index_names(index)
            if keyword == "local_secondary_indexes":
                _check_local_index_key(index, schema)
            index_schema = index.schema()
            if on_demand:
                index_schema.pop("ProvisionedThroughput", None)
            raw_indexes.append(index_schema)
            for part in index.parts:
                known = definitions.setdefault(part.name, part.definition())
                if known["AttributeType"] != part.data_type:
                    raise RequestValidationError(
                        f"attribute {part.name!r} is typed {known['AttributeType']} in one "
                        f"place and {part.data_type} in index {index.name!r}"
                    )
        kwargs[keyword] = raw_indexes
    raw_throughput = None
    if not on_demand:
        checked = checked_throughput(throughput or DEFAULT_THROUGHPUT)
        raw_throughput = {
            "ReadCapacityUnits": checked["read"],
            "WriteCapacityUnits": checked["write"],
        }
    call = Call(
        "create_table",
        (),
        {
            "table_name": table_name,
            "attribute_definitions": list(definitions.values()),
            "key_schema": [field.schema() for field in schema],
            "provisioned_throughput": raw_throughput,
            **kwargs,
            **_set(
                billing_mode=billing_mode,
                stream_specification=stream_specification,
                tags=_tag_list(tags),
                table_class=table_class,
                deletion_protection_enabled=deletion_protection_enabled,
            ),
        },
    )
    if on_demand:
        del call.kwargs["provisioned_throughput"]
    return call, {name: d["AttributeType"] for name, d in definitions.items()}


def _check_schema(schema: Sequence[BaseSchemaField]) -> None:
    if not 1 <= len(schema) <= 2:
        raise RequestValidationError(f"a schema has one or two keys, not {len(schema)}")
    if not isinstance(schema[0], HashKey):
        raise RequestValidationError("a schema starts with HashKey(...)")
    if len(schema) == 2 and not isinstance(schema[1], RangeKey):
        raise RequestValidationError("the second key of a schema is a RangeKey(...)")


def check_definition(
    schema: object, throughput: object, indexes: object, global_indexes: object
) -> None:
    """Refuse a table's definition (``Table(...)``'s arguments) of the wrong type."""
    sequence_of(
        schema,
        "schema",
        lambda field: isinstance(field, BaseSchemaField),
        "a list of key fields ([HashKey(...), RangeKey(...)])",
        wire=False,
    )
    for units in (mapping(throughput, "throughput", wire=False) or {}).values():
        if type(units) is not int:
            raise ParameterValidationError(
                "throughput must look like {'read': 5, 'write': 5} (whole numbers), "
                f"not {throughput!r}"
            )
    for name, given in (("indexes", indexes), ("global_indexes", global_indexes)):
        sequence_of(
            given,
            name,
            lambda index: isinstance(index, BaseIndexField),
            "a list of index fields (AllIndex(...), GlobalAllIndex(...), ...)",
            wire=False,
        )


def _check_index_names(index: BaseIndexField) -> None:
    """Refuse an index whose name, key or projected attribute names DynamoDB refuses."""
    check_index_name(index.name)
    for part in index.parts:
        check_key_name(part.name, what=f"key attribute name of index {index.name!r}")
    includes = _includes(index)
    for name in includes:
        check_key_name(name, what=f"projected attribute name of index {index.name!r}")
    if len(set(includes)) != len(includes):
        twice = sorted({name for name in includes if includes.count(name) > 1})
        raise RequestValidationError(
            f"index {index.name!r} projects {', '.join(map(repr, twice))} more than once: "
            "includes names each attribute once"
        )


def _includes(index: BaseIndexField) -> tuple[str, ...]:
    return tuple(getattr(index, "includes_fields", None) or ())


def _check_local_index_key(index: BaseIndexField, schema: Sequence[BaseSchemaField]) -> None:
    """Refuse a local index DynamoDB refuses: it shares the table's partition key and has
    a sort key of its own, on a table that has a sort key."""
    if len(schema) != 2:
        raise RequestValidationError(
            f"local index {index.name!r}: a table with local secondary indexes needs a sort "
            "key (schema=[HashKey(...), RangeKey(...)])"
        )
    table_hash = schema[0].name
    if len(index.parts) != 2 or index.parts[0].name != table_hash:
        raise RequestValidationError(
            f"local index {index.name!r}: its parts must be [HashKey({table_hash!r}), "
            "RangeKey(...)], the table's partition key and a sort key (a local index "
            "shares the table's partition key; use a global index for another one)"
        )


def _check_index_set(
    indexes: Sequence[BaseIndexField], global_indexes: Sequence[BaseIndexField]
) -> None:
    """Refuse a table's indexes DynamoDB refuses together: two of one name (local and
    global indexes share the names), more than 5 local indexes, more than 100 projected
    attributes in all."""
    if len(indexes) > MAX_LOCAL_INDEXES:
        raise RequestValidationError(
            f"a table has at most {MAX_LOCAL_INDEXES} local secondary indexes, not {len(indexes)}"
        )
    seen: set[str] = set()
    for index in (*indexes, *global_indexes):
        if index.name in seen:
            raise RequestValidationError(
                f"two indexes are named {index.name!r}: each index of a table needs its own name"
            )
        seen.add(index.name)
    projected = sum(len(_includes(index)) for index in (*indexes, *global_indexes))
    if projected > MAX_PROJECTED_ATTRIBUTES:
        raise RequestValidationError(
            f"the indexes project {projected} attributes (includes) in all; DynamoDB allows "
            f"at most {MAX_PROJECTED_ATTRIBUTES} (one projected into two indexes counts twice)"
        )


def _check_index_parts(index: BaseIndexField) -> None:
    parts = index.parts
    if not isinstance(parts[0], HashKey) or (
        len(parts) == 2 and not isinstance(parts[1], RangeKey)
    ):
        raise RequestValidationError(
            f"index {index.name!r}: its parts must be [HashKey(...)] or "
            "[HashKey(...), RangeKey(...)] (DynamoDB refuses an index key without a "
            "partition key)"
        )


def check_billing_mode(billing_mode: str | None) -> None:
    """Refuse a billing mode DynamoDB does not know."""
    if billing_mode not in (None, PROVISIONED, ON_DEMAND):
        raise RequestValidationError(
            f"billing_mode must be 'PROVISIONED' or 'PAY_PER_REQUEST', not {billing_mode!r}"
        )


def _check_stream_specification(spec: Mapping[str, Any] | None) -> None:
    """Refuse a stream specification DynamoDB would refuse, before sending it."""
    if spec is None:
        return
    example = '{"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}'
    if not isinstance(spec, Mapping):
        raise RequestValidationError(
            f"stream_specification is a mapping such as {example}, not {type(spec).__name__}"
        )
    unknown = sorted(set(spec) - {"StreamEnabled", "StreamViewType"})
    if unknown:
        raise RequestValidationError(
            f"stream_specification takes StreamEnabled and StreamViewType, not {unknown}"
        )
    enabled = spec.get("StreamEnabled")
    if type(enabled) is not bool:
        raise RequestValidationError(
            f"stream_specification needs StreamEnabled True or False, not {enabled!r}"
        )
    view = spec.get("StreamViewType")
    if enabled and view not in _STREAM_VIEW_TYPES:
        raise RequestValidationError(
            f"an enabled stream needs StreamViewType, one of {', '.join(_STREAM_VIEW_TYPES)}, "
            f"not {view!r}"
        )


def _tag_list(
    tags: Mapping[str, str] | Sequence[Mapping[str, str]] | None,
) -> list[dict[str, str]] | None:
    if tags is None:
        return None
    if isinstance(tags, Mapping):
        for value in tags.values():
            if not isinstance(value, str):
                raise refusal("tags", "{'name': 'value', ...} (strings)", tags, wire=True)
        return [
            {"Key": key, "Value": value} for key, value in (mapping(tags, "tags") or {}).items()
        ]
    listed = sequence_of(
        tags,
        "tags",
        lambda tag: isinstance(tag, Mapping),
        "{'name': 'value', ...} or [{'Key': ..., 'Value': ...}, ...]",
    )
    return [dict(tag) for tag in listed or ()]


def checked_throughput(throughput: Mapping[str, Any], where: str = "") -> dict[str, int]:
    """``{"read": r, "write": w}`` with whole numbers of at least 1, or a clear error."""
    try:
        checked = {"read": throughput["read"], "write": throughput["write"]}
    except (KeyError, TypeError):
        checked = {}
    if len(checked) != 2 or any(
        isinstance(units, bool) or not isinstance(units, int) or units < 1
        for units in checked.values()
    ):
        subject = f"throughput of {where}" if where else "throughput"
        raise RequestValidationError(
            f"{subject} must look like {{'read': 5, 'write': 5}} (whole numbers, at least 1), "
            f"not {throughput!r}"
        )
    return checked


# --------------------------------------------------------------------------- update


def update_call(
    table_name: str,
    throughput: Mapping[str, int] | None,
    global_indexes: Mapping[str, Mapping[str, int]] | None,
    *,
    billing_mode: str | None,
    current_billing_mode: str | None,
    known_global_indexes: Sequence[str],
) -> Call:
    """The ``update_table`` call for a change of throughput, global index throughput or
    billing mode, after refusing what DynamoDB would refuse for the billing mode."""
    check_billing_mode(billing_mode)
    mapping(throughput, "throughput")
    mapping(global_indexes, "global_indexes")
    on_demand_after = billing_mode == ON_DEMAND or (
        billing_mode is None and current_billing_mode == ON_DEMAND
    )
    if on_demand_after and (throughput or global_indexes):
        if billing_mode == ON_DEMAND:
            raise RequestValidationError(
                "billing_mode='PAY_PER_REQUEST' takes no throughput: an on-demand table "
                "has no provisioned capacity (leave out throughput and global_indexes)"
            )
        raise RequestValidationError(
            f"table {table_name!r} is billed per request (on-demand): it takes no "
            "throughput; switch with billing_mode='PROVISIONED' and give the throughput"
        )
    if billing_mode == PROVISIONED:
        if not throughput:
            raise RequestValidationError(
                "billing_mode='PROVISIONED' needs throughput={'read': ..., 'write': ...}"
            )
        missing = [name for name in known_global_indexes if name not in (global_indexes or {})]
        if current_billing_mode == ON_DEMAND and missing:
            raise RequestValidationError(
                "switching to billing_mode='PROVISIONED' needs a throughput for every global "
                f"index; global_indexes= lacks {', '.join(map(repr, missing))}"
            )
    raw_throughput = None
    if throughput:
        checked = checked_throughput(throughput)
        raw_throughput = {
            "ReadCapacityUnits": checked["read"],
            "WriteCapacityUnits": checked["write"],
        }
    kwargs: dict[str, Any] = {
        "provisioned_throughput": raw_throughput,
        "global_secondary_index_updates": gsi_throughput_updates(global_indexes),
    }
    kwargs.update(_set(billing_mode=billing_mode))
    return Call("update_table", (table_name,), kwargs)


def gsi_throughput_updates(
    global_indexes: Mapping[str, Mapping[str, int]] | None,
) -> list[dict[str, Any]] | None:
    """``GlobalSecondaryIndexUpdates`` changing the throughput of global indexes."""
    if global_indexes is None:
        return None
    mapping(global_indexes, "global_indexes")
    if not global_indexes:
        return None
    updates = []
    for name, throughput in global_indexes.items():
        checked = checked_throughput(throughput, where=f"global index {name!r}")
        updates.append(
            {
                "Update": {
                    "IndexName": name,
                    "ProvisionedThroughput": {
                        "ReadCapacityUnits": checked["read"],
                        "WriteCapacityUnits": checked["write"],
                    },
                }
            }
        )
    return updates


def check_new_global_index(index: object) -> None:
    """Refuse a global index to add that DynamoDB would refuse (checked before anything,
    even the DescribeTable that learns the billing mode, is sent)."""
    if not isinstance(index, GlobalBaseIndexField):
        raise ParameterValidationError(
            "global_index takes a global index field (GlobalAllIndex(...), ...), "
            f"not {type(index).__name__}"
        )
    _check_index_parts(index)
    _check_index_names(index)


def gsi_create_call(table_name: str, index: GlobalBaseIndexField, *, on_demand: bool) -> Call:
    """The ``update_table`` call adding a global index (without throughput on an
    on-demand table, which refuses one)."""
    check_new_global_index(index)
    index_schema = index.schema()
    if on_demand:
        index_schema.pop("ProvisionedThroughput", None)
    return Call(
        "update_table",
        (table_name,),
        {
            "global_secondary_index_updates": [{"Create": index_schema}],
            "attribute_definitions": [part.definition() for part in index.parts],
        },
    )


# --------------------------------------------------------------------------- describe


@attrs.frozen
class Description:
    """What a DescribeTable response says of a table's key, indexes and capacity."""

    billing_mode: str
    throughput: dict[str, int]
    schema: list[BaseSchemaField]
    indexes: list[BaseIndexField]
    global_indexes: list[BaseIndexField]
    #: The type of every attribute defined: the key and index attributes.
    key_types: dict[str, str]

    @classmethod
    def of(cls, response: Mapping[str, Any]) -> Description:
        """Read DescribeTable's response (``{"Table": {...}}``).

        A response of the wrong shape (no ``Table``, a ``KeySchema`` that is not a list
        of key elements, ...) raises :class:`~dynamodb2.exceptions.MalformedResponseError`
        naming the field. Something that is not a mapping at all is no response DynamoDB
        sent (a connection decodes only JSON objects) but a test double's return value, such
        as a ``MagicMock`` standing in for the layer1 connection in boto 2's own unit tests:
        it is read as a description saying nothing (no key, no indexes), as before.
        """
        shape = _DESCRIBE
        if not isinstance(response, Mapping):
            return cls(PROVISIONED, {"read": 0, "write": 0}, [], [], [], {})
        table = shape.mapping(response, "Table", required=True)
        summary = shape.mapping(table, "BillingModeSummary", "Table.BillingModeSummary")
        billing_mode = shape.string(
            summary, "BillingMode", "Table.BillingModeSummary.BillingMode", default=PROVISIONED
        )
        assert billing_mode is not None
        raw_throughput = shape.mapping(
            table, "ProvisionedThroughput", "Table.ProvisionedThroughput"
        )
        # An on-demand table has no provisioned throughput (moto keeps reporting the
        # figures it had before a switch to on-demand; DynamoDB reports zeros).
        on_demand = billing_mode == ON_DEMAND
        throughput = _units(shape, raw_throughput, "Table.ProvisionedThroughput")
        if on_demand:
            throughput = {"read": 0, "write": 0}
        types = _attribute_types(shape, table)
        return cls(
            billing_mode,
            throughput,
            introspect_schema(
                shape.mappings(table, "KeySchema", "Table.KeySchema"),
                types,
                path="Table.KeySchema",
            ),
            introspect_indexes(
                shape.mappings(table, "LocalSecondaryIndexes", "Table.LocalSecondaryIndexes"),
                LOCAL_INDEX_CLASSES,
                types,
                path="Table.LocalSecondaryIndexes",
            ),
            introspect_indexes(
                shape.mappings(table, "GlobalSecondaryIndexes", "Table.GlobalSecondaryIndexes"),
                GLOBAL_INDEX_CLASSES,
                types,
                path="Table.GlobalSecondaryIndexes",
            ),
            types,
        )


_DESCRIBE: Final = Shape("DescribeTable")


def item_count(response: Mapping[str, Any]) -> int:
    """The approximate ``ItemCount`` of DescribeTable's response.

    >>> item_count({"Table": {"ItemCount": 12}}), item_count({"Table": {}})
    (12, 0)
    """
    table = _DESCRIBE.mapping(response, "Table", required=True)
    return _DESCRIBE.count(table, "ItemCount", "Table.ItemCount")


def _units(shape: Shape, raw: Mapping[str, Any], path: str) -> dict[str, int]:
    return {
        "read": shape.count(raw, "ReadCapacityUnits", f"{path}.ReadCapacityUnits"),
        "write": shape.count(raw, "WriteCapacityUnits", f"{path}.WriteCapacityUnits"),
    }


def _attribute_types(shape: Shape, table: Mapping[str, Any]) -> dict[str, str]:
    types: dict[str, str] = {}
    path = "Table.AttributeDefinitions"
    for index, definition in enumerate(shape.mappings(table, "AttributeDefinitions", path)):
        where = f"{path}[{index}]"
        name = shape.text(definition, "AttributeName", f"{where}.AttributeName")
        kind = shape.text(definition, "AttributeType", f"{where}.AttributeType")
        types[name] = kind
    return types


def introspect_schema(
    raw_schema: Sequence[Mapping[str, str]],
    types: Mapping[str, str] | None = None,
    *,
    path: str = "KeySchema",
) -> list[BaseSchemaField]:
    """Key fields from a ``KeySchema`` and the types of ``AttributeDefinitions``.

    A schema of the wrong shape raises
    :class:`~dynamodb2.exceptions.MalformedResponseError` naming the field at ``path``;
    a ``KeyType`` that is a string but neither ``HASH`` nor ``RANGE`` raises boto 2's
    :class:`~dynamodb2.exceptions.UnknownSchemaFieldError`.
    """
    shape = _DESCRIBE
    schema: list[BaseSchemaField] = []
    for index, element in enumerate(shape.mappings({"KeySchema": raw_schema}, "KeySchema", path)):
        where = f"{path}[{index}]"
        name = shape.text(element, "AttributeName", f"{where}.AttributeName")
        key_type = shape.text(element, "KeyType", f"{where}.KeyType")
        data_type = (types or {}).get(name, STRING)
        if key_type == "HASH":
            field_class: type[BaseSchemaField] = HashKey
        elif key_type == "RANGE":
            field_class = RangeKey
        else:
            raise UnknownSchemaFieldError(f"{key_type} was seen, but is unknown.")
        try:
            schema.append(field_class(name, data_type=data_type))
        except ParameterValidationError as error:
            # An empty name, or a key typed other than S, N or B.
            raise shape.malformed(where, f"is not a key DynamoDB has: {error}") from None
    return schema


def introspect_indexes(
    raw_indexes: Sequence[Mapping[str, Any]],
    classes: Mapping[str, type[BaseIndexField]],
    types: Mapping[str, str] | None = None,
    *,
    path: str = "Indexes",
) -> list[BaseIndexField]:
    """Index fields from ``LocalSecondaryIndexes`` or ``GlobalSecondaryIndexes``.

    Indexes of the wrong shape raise
    :class:`~dynamodb2.exceptions.MalformedResponseError` naming the field at ``path``.
    """
    shape = _DESCRIBE
    indexes: list[BaseIndexField] = []
    for position, raw in enumerate(shape.mappings({"Indexes": raw_indexes}, "Indexes", path)):
        where = f"{path}[{position}]"
        projection = shape.mapping(raw, "Projection", f"{where}.Projection")
        projection_type = shape.string(
            projection, "ProjectionType", f"{where}.Projection.ProjectionType", default="ALL"
        )
        assert projection_type is not None
        index_class = classes.get(projection_type)
        if index_class is None:
            raise UnknownIndexFieldError(f"{projection_type} was seen, but is unknown.")
        kwargs: dict[str, Any] = {}
        if projection_type == "INCLUDE":
            includes = shape.sequence(
                projection, "NonKeyAttributes", f"{where}.Projection.NonKeyAttributes"
            )
            for number, name in enumerate(includes):
                if not isinstance(name, str):
                    raise shape.malformed(
                        f"{where}.Projection.NonKeyAttributes[{number}]",
                        f"is {json_kind(name)}, not a string",
                    )
            kwargs["includes"] = list(includes)
        if issubclass(index_class, GlobalBaseIndexField) and "ProvisionedThroughput" in raw:
            # An on-demand table's index reports 0/0, kept as such.
            kwargs["throughput"] = _units(
                shape,
                shape.mapping(raw, "ProvisionedThroughput", f"{where}.ProvisionedThroughput"),
                f"{where}.ProvisionedThroughput",
            )
        parts = introspect_schema(
            shape.mappings(raw, "KeySchema", f"{where}.KeySchema", required=True),
            types,
            path=f"{where}.KeySchema",
        )
        name = shape.text(raw, "IndexName", f"{where}.IndexName")
        try:
            indexes.append(index_class(name, parts, **kwargs))
        except ParameterValidationError as error:
            # An empty name, no key or a key of three parts, an empty projected name.
            raise shape.malformed(where, f"is not an index DynamoDB has: {error}") from None
    return indexes
