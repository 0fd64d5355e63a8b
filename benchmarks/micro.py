"""The client-side cases: the same canned responses through json, boto3, PynamoDB, aiodynamo
and dynamodb2.

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

import attrs
import boto3
import botocore.session
from aiodynamo.client import Client as AiodynamoClient
from aiodynamo.expressions import HashKey as AiodynamoHashKey
from aiodynamo.models import BatchGetRequest as AiodynamoBatchGet
from aiodynamo.models import BatchWriteRequest as AiodynamoBatchWrite
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
    BATCH_GET_KEYS,
    HASH_KEY,
    PARTITION,
    RANGE_KEY,
    TABLE_NAME,
    batch_get_response,
    native_item,
    native_wide_item,
    query_page,
    wire_item,
    wire_wide_item,
)
from .offline_aiodynamo import canned_client, run
from .timing import BASELINE, FLOOR, RIVAL, SUBJECT, Case, Variant

__all__ = ["REGION", "build_cases", "install_answers", "pynamodb_models"]

REGION: Final = "us-east-1"
#: The credentials every library signs with (set in the environment by the benchmark).
ACCESS_KEY: Final = "AKIDBENCHMARK"
SECRET_KEY: Final = "benchmark-secret-key"
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
        "scan": canned.answer("Scan", query_page()),
        "get_item": canned.answer("GetItem", {"Item": wire_item(1)}),
        "batch_write": canned.answer("BatchWriteItem", {"UnprocessedItems": {}}),
        "batch_get": canned.answer("BatchGetItem", batch_get_response()),
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


@attrs.frozen
class _Libraries:
    """Each library set up against the canned DynamoDB, and the table's PynamoDB models."""

    client: Any
    resource_table: Any
    resource: Any
    deserializer: TypeDeserializer
    serializer: TypeSerializer
    aiodynamo: AiodynamoClient
    table: Table
    event_table: Table
    query_model: type[Model]
    wide_model: type[Model]

    def deserialize(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """A wire item as boto3's client users decode it."""
        deserialize = self.deserializer.deserialize
        return {name: deserialize(value) for name, value in item.items()}

    def serialize(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """An item in wire form, as boto3's client users encode it."""
        serialize = self.serializer.serialize
        return {name: serialize(value) for name, value in item.items()}


def build_cases(answers: Mapping[str, bytes], canned: CannedDynamoDB) -> list[Case]:
    """Every micro case, with clients, tables and models set up (requests are canned)."""
    boto_session = boto3.session.Session(region_name=REGION)
    resource = boto_session.resource("dynamodb")
    query_model, wide_model = pynamodb_models()
    schema = [HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)]
    libraries = _Libraries(
        client=boto_session.client("dynamodb"),
        resource_table=resource.Table(TABLE_NAME),
        resource=resource,
        deserializer=TypeDeserializer(),
        serializer=TypeSerializer(),
        aiodynamo=canned_client(
            canned, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY
        ),
        # Answered through dynamodb2's transport seam, as aiodynamo is through its HTTP
        # callable: each library does all its work down to where its HTTP client would
        # take the bytes (boto3's and PynamoDB's seam is botocore's before-send event).
        table=Table(
            TABLE_NAME,
            schema=schema,
            connection=Connection(region_name=REGION, transport=canned.transport),
        ),
        # Through botocore's before-send event, as moto's mock_aws answers: dynamodb2
        # then also builds the botocore request and response objects the event carries.
        event_table=Table(TABLE_NAME, schema=schema, connection=Connection(region_name=REGION)),
        query_model=query_model,
        wide_model=wide_model,
    )
    return [
        _get_item_case(answers["get_item"], libraries),
        _put_item_case(libraries),
        _page_case("Query", answers["query"], libraries),
        _page_case("Scan", answers["scan"], libraries),
        _batch_write_case(libraries),
        _batch_get_case(answers["batch_get"], libraries),
        _save_case(libraries.resource_table, libraries.table, wide_model),
        _construction_case(),
    ]


def _get_item_case(body: bytes, lib: _Libraries) -> Case:
    names = list(lib.query_model.get_attributes())
    model = lib.query_model
    table = lib.table

    def client_get() -> None:
        response = lib.client.get_item(
            TableName=TABLE_NAME, Key={HASH_KEY: {"S": PARTITION}, RANGE_KEY: {"N": "1"}}
        )
        _read_dicts([lib.deserialize(response["Item"])])

    def resource_get() -> None:
        response = lib.resource_table.get_item(Key={HASH_KEY: PARTITION, RANGE_KEY: 1})
        _read_dicts([response["Item"]])

    def pynamodb_get() -> None:
        _read_models([model.get(PARTITION, 1)], names)

    def aiodynamo_get() -> None:
        item = run(lib.aiodynamo.get_item(TABLE_NAME, {HASH_KEY: PARTITION, RANGE_KEY: 1}))
        _read_dicts([item])

    def dynamodb2_get() -> None:
        _read_dicts([table.get_item(pk=PARTITION, sk=1)])

    def dynamodb2_get_by_event() -> None:
        _read_dicts([lib.event_table.get_item(pk=PARTITION, sk=1)])

    return Case(
        f"GetItem: one 12-attribute item ({len(body):,} bytes), every attribute read",
        [
            Variant("json.loads (the floor)", lambda: json.loads(body), role=FLOOR),
            Variant("boto3 client + TypeDeserializer", client_get, role=RIVAL),
            Variant("boto3 resource Table.get_item", resource_get, role=BASELINE),
            Variant("PynamoDB Model.get", pynamodb_get, role=RIVAL),
            Variant("aiodynamo Client.get_item", aiodynamo_get, role=RIVAL),
            Variant("dynamodb2 Table.get_item", dynamodb2_get, role=SUBJECT),
            Variant(
                "dynamodb2 Table.get_item, answered by botocore's before-send event",
                dynamodb2_get_by_event,
            ),
        ],
    )


def _put_item_case(lib: _Libraries) -> Case:
    item = native_item(1)
    wire_body = {"TableName": TABLE_NAME, "Item": wire_item(1)}
    instance = lib.query_model(**_pynamodb_value(item))
    table = lib.table

    def client_put() -> None:
        lib.client.put_item(TableName=TABLE_NAME, Item=lib.serialize(item))

    def resource_put() -> None:
        lib.resource_table.put_item(Item=item)

    def pynamodb_put() -> None:
        instance.save()

    def aiodynamo_put() -> None:
        run(lib.aiodynamo.put_item(TABLE_NAME, item))

    def dynamodb2_put() -> None:
        # overwrite=True: a plain PutItem, as the others send (without it, boto 2's
        # put_item adds the condition that no item with the key exists).
        table.put_item(data=item, overwrite=True)

    return Case(
        "PutItem: one 12-attribute item",
        [
            Variant(
                "json.dumps of the request (the floor)", lambda: json.dumps(wire_body), role=FLOOR
            ),
            Variant("boto3 client + TypeSerializer", client_put, role=RIVAL),
            Variant("boto3 resource Table.put_item", resource_put, role=BASELINE),
            Variant("PynamoDB Model.save", pynamodb_put, role=RIVAL),
            Variant("aiodynamo Client.put_item", aiodynamo_put, role=RIVAL),
            Variant("dynamodb2 Table.put_item(overwrite=True)", dynamodb2_put, role=SUBJECT),
        ],
    )


def _page_case(operation: str, page: bytes, lib: _Libraries) -> Case:
    """A Query or a Scan of one page of 1,000 items, every attribute of each read."""
    wanted = json.loads(page)["Count"]
    model = lib.query_model
    names = list(model.get_attributes())
    table = lib.table
    query = operation == "Query"
    client_call = lib.client.query if query else lib.client.scan
    client_arguments: dict[str, Any] = {"TableName": TABLE_NAME}
    if query:
        client_arguments.update(
            KeyConditionExpression="#k = :k",
            ExpressionAttributeNames={"#k": HASH_KEY},
            ExpressionAttributeValues={":k": {"S": PARTITION}},
        )

    def client_page() -> None:
        response = client_call(**client_arguments)
        _expect(_read_dicts(lib.deserialize(item) for item in response["Items"]), wanted)

    def resource_page() -> None:
        if query:
            response = lib.resource_table.query(KeyConditionExpression=Key(HASH_KEY).eq(PARTITION))
        else:
            response = lib.resource_table.scan()
        _expect(_read_dicts(response["Items"]), wanted)

    def pynamodb_page() -> None:
        models = model.query(PARTITION) if query else model.scan()
        _expect(_read_models(models, names), wanted)

    def aiodynamo_page() -> None:
        # One page, as the others read: aiodynamo's query() and scan() would fetch pages
        # ahead in tasks, which needs an event loop.
        if query:
            page = run(
                lib.aiodynamo.query_single_page(TABLE_NAME, AiodynamoHashKey(HASH_KEY, PARTITION))
            )
        else:
            page = run(lib.aiodynamo.scan_single_page(TABLE_NAME))
        _expect(_read_dicts(page.items), wanted)

    def dynamodb2_results() -> Iterable[_Record]:
        return table.query_2(pk__eq=PARTITION) if query else table.scan()

    def dynamodb2_iterate() -> None:
        _expect(sum(1 for _item in dynamodb2_results()), wanted)

    def dynamodb2_read_all() -> None:
        _expect(_read_dicts(dynamodb2_results()), wanted)

    method = "query_2" if query else "scan"
    resource_method = "query" if query else "scan"
    pynamodb_method = "query" if query else "scan"
    variants = [Variant("json.loads (the floor)", lambda: json.loads(page), role=FLOOR)]
    if _orjson_loads is not None and query:
        orjson_loads = _orjson_loads
        variants.append(Variant("orjson.loads", lambda: orjson_loads(page)))
    variants += [
        Variant("boto3 client + TypeDeserializer", client_page, role=RIVAL),
        Variant(f"boto3 resource Table.{resource_method}", resource_page, role=BASELINE),
        Variant(f"PynamoDB Model.{pynamodb_method}", pynamodb_page, role=RIVAL),
        Variant(f"aiodynamo Client.{operation.lower()}_single_page", aiodynamo_page, role=RIVAL),
        Variant(f"dynamodb2 Table.{method}, iterate", dynamodb2_iterate),
        Variant(
            f"dynamodb2 Table.{method}, iterate + read every attribute",
            dynamodb2_read_all,
            role=SUBJECT,
        ),
    ]
    return Case(f"{operation}: one page of {wanted:,} items ({len(page) / 1e6:.2f} MB)", variants)


def _batch_write_case(lib: _Libraries) -> Case:
    items = [native_item(index) for index in range(_BATCH_SIZE)]
    wire_body = {
        "RequestItems": {
            TABLE_NAME: [{"PutRequest": {"Item": wire_item(index)}} for index in range(25)]
        }
    }
    model = lib.query_model
    models = [model(**_pynamodb_value(item)) for item in items]
    table = lib.table

    def client_batch() -> None:
        lib.client.batch_write_item(
            RequestItems={
                TABLE_NAME: [{"PutRequest": {"Item": lib.serialize(item)}} for item in items]
            }
        )

    def resource_batch() -> None:
        with lib.resource_table.batch_writer() as writer:
            for item in items:
                writer.put_item(Item=item)

    def pynamodb_batch() -> None:
        with model.batch_write() as batch:
            for instance in models:
                batch.save(instance)

    def aiodynamo_batch() -> None:
        request = {TABLE_NAME: AiodynamoBatchWrite(items_to_put=items)}
        unprocessed = run(lib.aiodynamo.batch_write(request))
        assert not unprocessed

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
            Variant("boto3 client + TypeSerializer", client_batch, role=RIVAL),
            Variant("boto3 resource batch_writer", resource_batch, role=BASELINE),
            Variant("PynamoDB Model.batch_write", pynamodb_batch, role=RIVAL),
            Variant("aiodynamo Client.batch_write", aiodynamo_batch, role=RIVAL),
            Variant("dynamodb2 BatchTable", dynamodb2_batch, role=SUBJECT),
        ],
    )


def _batch_get_case(body: bytes, lib: _Libraries) -> Case:
    keys = [{HASH_KEY: PARTITION, RANGE_KEY: Decimal(index)} for index in range(BATCH_GET_KEYS)]
    wire_keys = [lib.serialize(key) for key in keys]
    model = lib.query_model
    names = list(model.get_attributes())
    model_keys = [(PARTITION, index) for index in range(BATCH_GET_KEYS)]
    table = lib.table

    def client_batch_get() -> None:
        response = lib.client.batch_get_item(RequestItems={TABLE_NAME: {"Keys": wire_keys}})
        found = response["Responses"][TABLE_NAME]
        _expect(_read_dicts(lib.deserialize(item) for item in found), BATCH_GET_KEYS)

    def resource_batch_get() -> None:
        response = lib.resource.batch_get_item(RequestItems={TABLE_NAME: {"Keys": keys}})
        _expect(_read_dicts(response["Responses"][TABLE_NAME]), BATCH_GET_KEYS)

    def pynamodb_batch_get() -> None:
        _expect(_read_models(model.batch_get(model_keys), names), BATCH_GET_KEYS)

    def aiodynamo_batch_get() -> None:
        response = run(lib.aiodynamo.batch_get({TABLE_NAME: AiodynamoBatchGet(keys)}))
        _expect(_read_dicts(response.items[TABLE_NAME]), BATCH_GET_KEYS)

    def dynamodb2_batch_get() -> None:
        _expect(_read_dicts(table.batch_get(keys=keys)), BATCH_GET_KEYS)

    return Case(
        f"BatchGetItem: {BATCH_GET_KEYS} keys, {BATCH_GET_KEYS} 12-attribute items "
        f"({len(body) / 1e3:.0f} KB), every attribute read",
        [
            Variant("json.loads (the floor)", lambda: json.loads(body), role=FLOOR),
            Variant("boto3 client + TypeDeserializer", client_batch_get, role=RIVAL),
            Variant("boto3 resource batch_get_item", resource_batch_get, role=BASELINE),
            Variant("PynamoDB Model.batch_get", pynamodb_batch_get, role=RIVAL),
            Variant("aiodynamo Client.batch_get", aiodynamo_batch_get, role=RIVAL),
            Variant("dynamodb2 Table.batch_get", dynamodb2_batch_get, role=SUBJECT),
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
