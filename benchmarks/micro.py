"""The client-side cases: the same canned responses through json, boto3, PynamoDB and dynamodb2.

Every case ends with the values in the caller's hands: items read to the end, every
attribute of each item touched (dynamodb2's items decode lazily, so its Query case is
shown both ways). Requests are answered by :mod:`benchmarks.canned`; nothing leaves the
process.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Final, Protocol

import boto3
import botocore.session
from boto3.dynamodb.conditions import Key
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    NumberSetAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
from pynamodb.models import Model

from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.types import NUMBER

from .canned import CannedDynamoDB, encode_body
from .data import (
    HASH_KEY,
    PARTITION,
    RANGE_KEY,
    TABLE_NAME,
    native_item,
    native_wide_item,
    query_page,
    wire_item,
    wire_wide_item,
)
from .timing import BASELINE, FLOOR, Case, Variant

__all__ = ["REGION", "build_cases", "install_answers", "pynamodb_models"]

REGION: Final = "us-east-1"
_BATCH_SIZE: Final = 25
#: The wide item's attribute that save / partial_save change each time.
_CHANGED: Final = "attr01"

_orjson_loads: Callable[[bytes], Any] | None
try:
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - the bench installs the fast extra
    _orjson_loads = None


def install_answers(canned: CannedDynamoDB) -> dict[str, bytes]:
    """Give ``canned`` every answer the cases need; return the response bytes by name."""
    answers = {
        "query": canned.answer("Query", query_page()),
        "get_item": canned.answer("GetItem", {"Item": wire_item(1)}),
        "batch_write": canned.answer("BatchWriteItem", {"UnprocessedItems": {}}),
        "put_item": canned.answer("PutItem", {}),
    }
    wide_attributes = encode_body({"Attributes": wire_wide_item()})

    def update_item(request: bytes) -> bytes:
        # DynamoDB returns the item only when asked (PynamoDB asks for ALL_NEW).
        if b'"ReturnValues"' in request and b'"NONE"' not in request:
            return wide_attributes
        return b"{}"

    canned.answer_with("UpdateItem", update_item)
    return answers


# ---------------------------------------------------------------------- PynamoDB models

_PYNAMODB_KINDS: Final[Mapping[str, type[Attribute[Any]]]] = {
    "S": UnicodeAttribute,
    "N": NumberAttribute,
    "BOOL": BooleanAttribute,
    "SS": UnicodeSetAttribute,
    "NS": NumberSetAttribute,
    "L": ListAttribute,
    "M": MapAttribute,
}


def _model(name: str, wire_example: Mapping[str, Any]) -> type[Model]:
    """A PynamoDB model whose attributes have the types of ``wire_example``'s."""
    meta = type("Meta", (), {"table_name": TABLE_NAME, "region": REGION})
    attributes: dict[str, Any] = {"Meta": meta}
    for attribute, value in wire_example.items():
        ((tag, _payload),) = value.items()
        if attribute == HASH_KEY:
            attributes[attribute] = UnicodeAttribute(hash_key=True)
        elif attribute == RANGE_KEY:
            attributes[attribute] = NumberAttribute(range_key=True)
        else:
            attributes[attribute] = _PYNAMODB_KINDS[tag]()
    return type(name, (Model,), attributes)


def pynamodb_models() -> tuple[type[Model], type[Model]]:
    """PynamoDB models of the query item and of the wide item."""
    return _model("QueryItemModel", wire_item(0)), _model("WideItemModel", wire_wide_item())


def _pynamodb_value(value: Any) -> Any:
    """PynamoDB writes numbers with ``json.dumps``: it takes int and float, not Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set):
        return {_pynamodb_value(v) for v in value}
    if isinstance(value, list):
        return [_pynamodb_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _pynamodb_value(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------- reading helpers


class _Record(Protocol):
    """A dict, or an Item: what has values to read."""

    def values(self) -> Iterable[Any]: ...


def _read_dicts(items: Iterable[_Record]) -> int:
    """Touch every attribute of every item; return how many items there were."""
    count = 0
    for item in items:
        for _value in item.values():
            pass
        count += 1
    return count


def _read_models(models: Iterable[Model], names: list[str]) -> int:
    count = 0
    for model in models:
        for name in names:
            getattr(model, name)
        count += 1
    return count


def _expect(count: int, wanted: int) -> None:
    if count != wanted:
        raise AssertionError(f"read {count} items, expected {wanted}")


# ---------------------------------------------------------------------- the cases


def build_cases(answers: Mapping[str, bytes]) -> list[Case]:
    """Every micro case, with clients, tables and models set up (requests are canned)."""
    boto_session = boto3.session.Session(region_name=REGION)
    client = boto_session.client("dynamodb")
    resource_table = boto_session.resource("dynamodb").Table(TABLE_NAME)
    deserializer = TypeDeserializer()
    serializer = TypeSerializer()
    table = Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=Connection(region_name=REGION),
    )
    query_model, wide_model = pynamodb_models()

    def deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
        return {name: deserializer.deserialize(value) for name, value in item.items()}

    return [
        _query_case(answers["query"], client, resource_table, deserialize, table, query_model),
        _get_item_case(
            answers["get_item"], client, resource_table, deserialize, table, query_model
        ),
        _batch_case(client, resource_table, serializer, table, query_model),
        _save_case(resource_table, table, wide_model),
        _construction_case(),
    ]


def _query_case(
    page: bytes,
    client: Any,
    resource_table: Any,
    deserialize: Callable[[Mapping[str, Any]], dict[str, Any]],
    table: Table,
    model: type[Model],
) -> Case:
    wanted = json.loads(page)["Count"]
    names = list(model.get_attributes())

    def client_query() -> None:
        response = client.query(
            TableName=TABLE_NAME,
            KeyConditionExpression="#k = :k",
            ExpressionAttributeNames={"#k": HASH_KEY},
            ExpressionAttributeValues={":k": {"S": PARTITION}},
        )
        _expect(_read_dicts(deserialize(item) for item in response["Items"]), wanted)

    def resource_query() -> None:
        response = resource_table.query(KeyConditionExpression=Key(HASH_KEY).eq(PARTITION))
        _expect(_read_dicts(response["Items"]), wanted)

    def pynamodb_query() -> None:
        _expect(_read_models(model.query(PARTITION), names), wanted)

    def dynamodb2_iterate() -> None:
        _expect(sum(1 for _item in table.query_2(pk__eq=PARTITION)), wanted)

    def dynamodb2_read_all() -> None:
        _expect(_read_dicts(table.query_2(pk__eq=PARTITION)), wanted)

    variants = [Variant("json.loads (the floor)", lambda: json.loads(page), role=FLOOR)]
    if _orjson_loads is not None:
        orjson_loads = _orjson_loads
        variants.append(Variant("orjson.loads", lambda: orjson_loads(page)))
    variants += [
        Variant("boto3 client + TypeDeserializer", client_query),
        Variant("boto3 resource Table.query", resource_query, role=BASELINE),
        Variant("PynamoDB Model.query", pynamodb_query),
        Variant("dynamodb2 Table.query_2, iterate", dynamodb2_iterate),
        Variant("dynamodb2 Table.query_2, iterate + read every attribute", dynamodb2_read_all),
    ]
    return Case(f"Query: one page of {wanted:,} items ({len(page) / 1e6:.2f} MB)", variants)


def _get_item_case(
    body: bytes,
    client: Any,
    resource_table: Any,
    deserialize: Callable[[Mapping[str, Any]], dict[str, Any]],
    table: Table,
    model: type[Model],
) -> Case:
    names = list(model.get_attributes())

    def client_get() -> None:
        response = client.get_item(
            TableName=TABLE_NAME, Key={HASH_KEY: {"S": PARTITION}, RANGE_KEY: {"N": "1"}}
        )
        _read_dicts([deserialize(response["Item"])])

    def resource_get() -> None:
        response = resource_table.get_item(Key={HASH_KEY: PARTITION, RANGE_KEY: 1})
        _read_dicts([response["Item"]])

    def pynamodb_get() -> None:
        _read_models([model.get(PARTITION, 1)], names)

    def dynamodb2_get() -> None:
        _read_dicts([table.get_item(pk=PARTITION, sk=1)])

    return Case(
        f"GetItem: one 12-attribute item ({len(body):,} bytes), every attribute read",
        [
            Variant("json.loads (the floor)", lambda: json.loads(body), role=FLOOR),
            Variant("boto3 client + TypeDeserializer", client_get),
            Variant("boto3 resource Table.get_item", resource_get, role=BASELINE),
            Variant("PynamoDB Model.get", pynamodb_get),
            Variant("dynamodb2 Table.get_item", dynamodb2_get),
        ],
    )


def _batch_case(
    client: Any,
    resource_table: Any,
    serializer: TypeSerializer,
    table: Table,
    model: type[Model],
) -> Case:
    items = [native_item(index) for index in range(_BATCH_SIZE)]
    wire_body = {
        "RequestItems": {
            TABLE_NAME: [{"PutRequest": {"Item": wire_item(index)}} for index in range(25)]
        }
    }
    models = [model(**_pynamodb_value(item)) for item in items]

    def client_batch() -> None:
        client.batch_write_item(
            RequestItems={
                TABLE_NAME: [
                    {
                        "PutRequest": {
                            "Item": {name: serializer.serialize(v) for name, v in item.items()}
                        }
                    }
                    for item in items
                ]
            }
        )

    def resource_batch() -> None:
        with resource_table.batch_writer() as writer:
            for item in items:
                writer.put_item(Item=item)

    def pynamodb_batch() -> None:
        with model.batch_write() as batch:
            for instance in models:
                batch.save(instance)

    def dynamodb2_batch() -> None:
        with table.batch_write() as batch:
            for item in items:
                batch.put_item(data=item)

    return Case(
        f"BatchWriteItem: {_BATCH_SIZE} 12-attribute items put, flushed",
        [
            Variant(
                "json.dumps of the request (the floor)", lambda: json.dumps(wire_body), role=FLOOR
            ),
            Variant("boto3 client + TypeSerializer", client_batch),
            Variant("boto3 resource batch_writer", resource_batch, role=BASELINE),
            Variant("PynamoDB Model.batch_write", pynamodb_batch),
            Variant("dynamodb2 BatchTable", dynamodb2_batch),
        ],
    )


def _save_case(resource_table: Any, table: Table, model: type[Model]) -> Case:
    counter = itertools.count(1000)
    wide = native_wide_item()
    resource_item = dict(wide)
    model_instance = model(**_pynamodb_value(wide))
    saved = table.new_item()
    for name, value in wide.items():
        saved[name] = value
    saved.save(overwrite=True)
    partial = table.new_item()
    for name, value in wide.items():
        partial[name] = value
    partial.save(overwrite=True)
    key = {HASH_KEY: wide[HASH_KEY], RANGE_KEY: wide[RANGE_KEY]}
    changed_attribute = getattr(model, _CHANGED)

    def resource_put() -> None:
        resource_item[_CHANGED] = Decimal(next(counter))
        resource_table.put_item(Item=resource_item)

    def resource_update() -> None:
        resource_table.update_item(
            Key=key,
            UpdateExpression="SET #a = :v",
            ExpressionAttributeNames={"#a": _CHANGED},
            ExpressionAttributeValues={":v": Decimal(next(counter))},
        )

    def pynamodb_save() -> None:
        setattr(model_instance, _CHANGED, next(counter))
        model_instance.save()

    def pynamodb_update() -> None:
        model_instance.update(actions=[changed_attribute.set(next(counter))])

    def dynamodb2_save() -> None:
        saved[_CHANGED] = Decimal(next(counter))
        saved.save()

    def dynamodb2_overwrite() -> None:
        saved[_CHANGED] = Decimal(next(counter))
        saved.save(overwrite=True)

    def dynamodb2_partial() -> None:
        partial[_CHANGED] = Decimal(next(counter))
        partial.partial_save()

    return Case(
        "Save: a 20-attribute item, one attribute changed",
        [
            Variant("boto3 resource Table.put_item", resource_put, role=BASELINE),
            Variant("boto3 resource Table.update_item", resource_update),
            Variant("PynamoDB Model.save", pynamodb_save),
            Variant("PynamoDB Model.update", pynamodb_update),
            Variant("dynamodb2 Item.save() (compare-and-set)", dynamodb2_save),
            Variant("dynamodb2 Item.save(overwrite=True)", dynamodb2_overwrite),
            Variant("dynamodb2 Item.partial_save()", dynamodb2_partial),
        ],
    )


def _construction_case() -> Case:
    def boto3_client() -> None:
        boto3.session.Session(region_name=REGION).client("dynamodb")

    def boto3_resource() -> None:
        boto3.session.Session(region_name=REGION).resource("dynamodb")

    def botocore_client() -> None:
        # What dynamodb2's Connection did before sessions were made cheap.
        botocore.session.Session().create_client("dynamodb", region_name=REGION)

    return Case(
        "Construction: a new connection / client, configuration from the environment",
        [
            Variant("botocore Session().create_client", botocore_client),
            Variant("boto3 Session().client", boto3_client),
            Variant("boto3 Session().resource", boto3_resource, role=BASELINE),
            Variant("dynamodb2 Connection()", lambda: Connection(region_name=REGION)),
        ],
    )
