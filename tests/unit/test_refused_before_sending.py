"""Bad input is refused before anything is sent, by an error naming the attribute and the
problem: every write, read and query path of Table, and BatchTable, against a fake
DynamoDB that records every request.

The table's schema is learnt from DescribeTable (the one request these tests allow), so
key types are known: partition key ``id`` and sort key ``at``, both strings. The
dynamizer's own refusals are tested value by value in tests/unit/test_types.py and the
layer1 limits (100 keys per BatchGetItem, 25 writes per BatchWriteItem, table names) in
tests/unit/test_layer1.py; here they are checked on the paths that send whole items.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, cast

import pytest

from dynamodb2._limits import MAX_ITEM_BYTES, item_size
from dynamodb2.conditions import Attr, Key
from dynamodb2.exceptions import (
    DynamoDBNumberError,
    ParameterValidationError,
    QueryError,
    RequestValidationError,
    UnknownFilterTypeError,
    UnsupportedTypeError,
)
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.table import Table
from dynamodb2.transactions import transaction
from dynamodb2.types import Dynamizer
from tests.support.fakes import ScriptedTransport, fake_connection

DESCRIPTION: Final = {
    "Table": {
        "TableName": "events",
        "TableStatus": "ACTIVE",
        "KeySchema": [
            {"AttributeName": "id", "KeyType": "HASH"},
            {"AttributeName": "at", "KeyType": "RANGE"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "at", "AttributeType": "S"},
        ],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    }
}


def describe_only(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
    if operation == "DescribeTable":
        return DESCRIPTION
    return {}


def events() -> tuple[Table, ScriptedTransport]:
    """The ``events`` table, its schema already learnt, and the fake that answers it."""
    connection, fake = fake_connection(describe_only)
    table = Table("events", connection=connection)
    table.describe()
    fake.requests.clear()
    return table, fake


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def padded(size: int, **extra: Any) -> dict[str, Any]:
    """An item of the events table whose size, as DynamoDB counts it, is ``size``."""
    item: dict[str, Any] = {"id": "e", "at": "t", **extra, "body": ""}
    base = item_size(Dynamizer().encode_item({**item, "body": "x"})) - 1
    item["body"] = "x" * (size - base)
    return item


KEY: Final = {"id": "e", "at": "t"}

#: (case, item to put, error class, attribute named, words of the message)
BAD_ITEMS: Final[list[tuple[str, dict[str, Any], type[Exception], str, str]]] = [
    ("nan", {**KEY, "score": float("nan")}, DynamoDBNumberError, "score", "NaN"),
    (
        "infinity-nested",
        {**KEY, "doc": {"x": [1, Decimal("-Infinity")]}},
        DynamoDBNumberError,
        "doc.x[1]",
        "Infinity",
    ),
    ("too-large", {**KEY, "n": Decimal("1E+126")}, DynamoDBNumberError, "n", "too large"),
    ("too-small", {**KEY, "n": Decimal("1E-131")}, DynamoDBNumberError, "n", "too small"),
    ("39-digits", {**KEY, "n": 10**38 + 1}, DynamoDBNumberError, "n", "38 significant digits"),
    # Past Python's 4,300-digit limit on int to text, which raises a bare ValueError.
    ("huge-int", {**KEY, "n": 10**5000}, DynamoDBNumberError, "n", "about 5001 digits"),
    ("huge-int-in-a-set", {**KEY, "ns": {1, -(10**5000)}}, DynamoDBNumberError, "ns", "too large"),
    ("huge-int-in-a-list", {**KEY, "l": [1, 10**5000]}, DynamoDBNumberError, "l[1]", "too large"),
    ("huge-decimal", {**KEY, "n": Decimal("1E+5000")}, DynamoDBNumberError, "n", "too large"),
    (
        "5000-digit-decimal",
        {**KEY, "n": Decimal("1" * 5000)},
        DynamoDBNumberError,
        "n",
        "(5011 characters)",
    ),
    ("mixed-set", {**KEY, "tags": {1, "a"}}, UnsupportedTypeError, "tags", "only strings"),
    ("set-of-none", {**KEY, "tags": {None, "a"}}, UnsupportedTypeError, "tags", "NoneType"),
    ("set-of-tuples", {**KEY, "tags": {("a",)}}, UnsupportedTypeError, "tags", "tuple"),
    (
        "unsupported-type",
        {**KEY, "when": datetime.date(2024, 1, 1)},
        UnsupportedTypeError,
        "when",
        "datetime.date",
    ),
    ("non-str-map-key", {**KEY, "doc": {1: "x"}}, UnsupportedTypeError, "doc", "map keys"),
    (
        "empty-set-in-a-map",
        {**KEY, "doc": {"tags": set()}},
        RequestValidationError,
        "doc.tags",
        "empty set",
    ),
    (
        "empty-set-in-a-list",
        {**KEY, "doc": [{"a"}, frozenset()]},
        RequestValidationError,
        "doc[1]",
        "empty set",
    ),
    (
        "33-levels",
        {**KEY, "doc": nested(33)},
        ParameterValidationError,
        "doc" + ".a" * 32,
        "32 levels",
    ),
    ("over-400-kb", padded(MAX_ITEM_BYTES + 1), ParameterValidationError, "body", "409601 bytes"),
    (
        # 204,801 two-byte characters: 409,602 bytes, though half as many characters.
        "over-400-kb-in-utf-8",
        {**KEY, "text": "é" * 204_801},
        ParameterValidationError,
        "text",
        "400 KB",
    ),
    (
        # Small values, but 3 bytes per map and 1 per element add up.
        "over-400-kb-by-overheads",
        {**KEY, "doc": {f"{n:05d}": [True, None] for n in range(31_000)}},
        ParameterValidationError,
        "doc",
        "400 KB",
    ),
    ("missing-partition-key", {"at": "t", "x": 1}, ParameterValidationError, "id", "no value"),
    ("missing-sort-key", {"id": "e", "x": 1}, ParameterValidationError, "at", "no value"),
    ("number-for-string-key", {"id": 5, "at": "t"}, ParameterValidationError, "id", "STRING"),
    ("bytes-for-string-key", {"id": "e", "at": b"t"}, ParameterValidationError, "at", "STRING"),
    ("map-for-key", {"id": {"a": "b"}, "at": "t"}, ParameterValidationError, "id", "a map"),
    (
        "partition-key-2049-bytes",
        {"id": "k" * 2049, "at": "t"},
        ParameterValidationError,
        "id",
        "2049 bytes",
    ),
    (
        "sort-key-1025-bytes",
        {"id": "e", "at": "ü" * 513},
        ParameterValidationError,
        "at",
        "1026 bytes",
    ),
]

WRITERS: Final[dict[str, Callable[[Table, dict[str, Any]], object]]] = {
    "put_item": lambda table, item: table.put_item(item),
    "put_item-overwrite": lambda table, item: table.put_item(item, overwrite=True),
    "item-save": lambda table, item: Item(table, data=item).save(),
    "batch-put_item": lambda table, item: table.batch_write().put_item(item),
}


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize(
    ("item", "error", "attribute", "words"),
    [
        pytest.param(item, error, attribute, words, id=case)
        for case, item, error, attribute, words in BAD_ITEMS
    ],
)
def test_a_bad_item_is_refused_naming_the_attribute_and_nothing_is_sent(
    writer: str, item: dict[str, Any], error: type[Exception], attribute: str, words: str
) -> None:
    table, fake = events()

    with pytest.raises(error) as raised:
        WRITERS[writer](table, item)

    refusal = raised.value
    assert isinstance(refusal, (ParameterValidationError, UnsupportedTypeError))
    assert refusal.attribute == attribute
    assert repr(attribute) in str(refusal)
    assert words in str(refusal)
    assert fake.requests == []


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("", ParameterValidationError, "attribute names must not be empty"),
        (5, UnsupportedTypeError, "attribute names must be str, not int (5)"),
        ("a\ud800\udc80", ParameterValidationError, "at position 1 is a surrogate pair"),
    ],
    ids=["empty", "int", "surrogate-pair"],
)
def test_a_bad_attribute_name_is_refused_and_nothing_is_sent(
    writer: str, name: object, error: type[Exception], words: str
) -> None:
    table, fake = events()

    with pytest.raises(error) as raised:
        WRITERS[writer](table, {**KEY, name: 1})  # type: ignore[dict-item]

    assert words in str(raised.value)
    assert fake.requests == []


def _partial_save(table: Table, value: Any) -> object:
    item = Item(table, data={**KEY, "doc": {"old": 1}}, loaded=True)
    item["doc"] = value
    return item.partial_save()


def _transaction(table: Table, value: Any) -> object:
    with transaction(table.connection) as writes:
        writes.put(table, {**KEY, "doc": value})
    return None


#: Every way a value reaches DynamoDB, beside the whole-item writers of WRITERS.
VALUE_WRITERS: Final[dict[str, Callable[[Table, Any], object]]] = {
    "partial_save": _partial_save,
    "update_item-set": lambda table, value: table.update_item(KEY, set={"doc": value}),
    "update_item-set-if-not-exists": lambda table, value: table.update_item(
        KEY, set_if_not_exists={"doc": value}
    ),
    "condition": lambda table, value: table.put_item(
        KEY, overwrite=True, condition=Attr("doc").eq(value)
    ),
    "transaction": _transaction,
}


@pytest.mark.parametrize("writer", list(VALUE_WRITERS))
@pytest.mark.parametrize(
    ("value", "path"),
    [({"tags": set()}, "doc.tags"), ([1, {"m": frozenset()}], "doc[1].m")],
    ids=["in-a-map", "in-a-list"],
)
def test_an_empty_set_nested_anywhere_is_refused_as_dynamodb_refuses_it(
    writer: str, value: Any, path: str
) -> None:
    # boto 2 sent {"NS": []} and met DynamoDB's ValidationException: the same error class.
    table, fake = events()

    with pytest.raises(RequestValidationError, match="empty set") as raised:
        VALUE_WRITERS[writer](table, value)

    assert raised.value.attribute == path
    assert raised.value.error_code == "ValidationException"
    assert fake.requests == []


def test_an_item_of_exactly_400_kb_is_sent() -> None:
    table, fake = events()
    item = padded(MAX_ITEM_BYTES)

    table.put_item(item, overwrite=True)
    with table.batch_write() as batch:
        batch.put_item(item)

    assert [operation for operation, _ in fake.requests] == ["PutItem", "BatchWriteItem"]


@pytest.mark.parametrize(
    ("key", "size"),
    [
        ({"id": "k" * 2048, "at": "t"}, "2048-byte partition key"),
        ({"id": "e", "at": "ü" * 512}, "1024-byte sort key"),
    ],
    ids=["partition", "sort"],
)
def test_keys_of_the_largest_size_are_sent(key: dict[str, Any], size: str) -> None:
    table, fake = events()

    table.put_item(key, overwrite=True)

    assert len(fake.bodies("PutItem")) == 1, size


@pytest.mark.parametrize("length", [2046, 2047, 2048])
def test_a_binary_partition_key_of_up_to_2048_bytes_is_sent_whatever_its_padding(
    length: int,
) -> None:
    # Base64 pads to a multiple of 3 bytes: the size is the raw bytes', not an estimate.
    connection, fake = fake_connection(describe_only)
    table = Table("blobs", schema=[HashKey("id")], connection=connection)

    table.put_item({"id": b"\x01" * length}, overwrite=True)
    with pytest.raises(ParameterValidationError, match="2049 bytes"):
        table.put_item({"id": b"\x01" * 2049}, overwrite=True)

    assert len(fake.bodies("PutItem")) == 1


KEY_READERS: Final[list[tuple[str, Callable[[Table], object], str, str]]] = [
    ("get_item-missing-sort-key", lambda t: t.get_item(id="e"), "at", "missing"),
    ("get_item-extra-attribute", lambda t: t.get_item(id="e", at="t", x=1), "x", "not a key"),
    ("get_item-wrong-type", lambda t: t.get_item(id="e", at=5), "at", "STRING"),
    ("get_item-empty-key", lambda t: t.get_item(id="", at="t"), "id", "empty"),
    ("lookup-long-key", lambda t: t.lookup("k" * 2049, "t"), "id", "2049 bytes"),
    ("delete_item-wrong-type", lambda t: t.delete_item(id=b"e", at="t"), "id", "STRING"),
    (
        "batch_get-wrong-type",
        lambda t: t.batch_get([{"id": "e", "at": "t"}, {"id": 1, "at": "t"}]),
        "id",
        "STRING",
    ),
    ("batch-delete-missing-key", lambda t: t.batch_write().delete_item(id="e"), "at", "missing"),
    ("query-nan", lambda t: t.query_2(id__eq="e", at__gt=float("nan")), "at", "NaN"),
    (
        "scan-in-101-values",
        lambda t: t.scan(kind__in=list(range(101))),
        "kind",
        "at most 100 values",
    ),
    ("scan-between-one-value", lambda t: t.scan(n__between=[1]), "n", "(low, high)"),
    (
        "scan-unsupported-value",
        lambda t: t.scan(when__eq=datetime.date(2024, 1, 1)),
        "when",
        "datetime.date",
    ),
]


@pytest.mark.parametrize(
    ("call", "attribute", "words"),
    [pytest.param(call, attribute, words, id=case) for case, call, attribute, words in KEY_READERS],
)
def test_a_bad_key_or_filter_is_refused_naming_the_attribute_and_nothing_is_sent(
    call: Callable[[Table], object], attribute: str, words: str
) -> None:
    table, fake = events()

    with pytest.raises((ParameterValidationError, UnsupportedTypeError)) as raised:
        call(table)

    error = raised.value
    assert isinstance(error, (ParameterValidationError, UnsupportedTypeError))
    assert error.attribute == attribute
    assert words in str(raised.value)
    assert fake.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.scan(age__near=3),
        lambda t: t.query_2(id__eq="e", at__like="x"),
        lambda t: t.query_2(id__eq="e", query_filter={"n__bigger": 1}),
        lambda t: t.delete_item(id="e", at="t", expected={"n__approx": 1}),
        lambda t: t.scan(age=3),
    ],
    ids=["scan", "query-key-condition", "query-filter", "delete-expected", "no-operator"],
)
def test_an_unknown_filter_operator_is_refused_and_nothing_is_sent(
    call: Callable[[Table], object],
) -> None:
    table, fake = events()

    with pytest.raises(UnknownFilterTypeError, match=r"not recognized|no operator"):
        call(table)

    assert fake.requests == []


@pytest.mark.parametrize("name", ["ab", "x" * 256, "has space", "slash/name", ""])
def test_an_invalid_table_name_is_refused_at_the_first_request_and_nothing_is_sent(
    name: str,
) -> None:
    connection, fake = fake_connection(describe_only)
    # As in boto 2, making the Table object sends nothing and checks nothing: a module
    # that builds its tables at import time still imports.
    table = Table(name, connection=connection)

    with pytest.raises(RequestValidationError, match="table name") as refused:
        table.get_item(id="x", at="y")

    assert refused.value.error_code == "ValidationException"
    assert fake.requests == []


def test_has_item_answers_false_for_a_key_dynamodb_would_refuse_as_boto2_did() -> None:
    # boto 2 sent the request and turned DynamoDB's ValidationException into False;
    # the refusal made here is a ValidationException too, and nothing is sent.
    table, fake = events()

    assert table.has_item(at="t") is False
    assert fake.requests == []


def test_a_bad_put_in_a_batch_raises_at_once_and_the_rest_of_the_batch_is_sent() -> None:
    table, fake = events()
    good = [{"id": "e", "at": f"t{n}", "n": n} for n in range(30)]

    with table.batch_write() as batch:
        for number, item in enumerate(good):
            batch.put_item(item)
            if number == 10:
                with pytest.raises(ParameterValidationError, match="400 KB"):
                    batch.put_item(padded(MAX_ITEM_BYTES + 1, at="t3"))
                with pytest.raises(DynamoDBNumberError):
                    batch.put_item({"id": "e", "at": "t4", "n": float("inf")})

    sent = [
        request["PutRequest"]["Item"]
        for body in fake.bodies("BatchWriteItem")
        for request in body["RequestItems"]["events"]
    ]
    assert sorted(json.dumps(item, sort_keys=True) for item in sent) == sorted(
        json.dumps(Dynamizer().encode_item(item), sort_keys=True) for item in good
    )


def wide_item(attributes: int) -> dict[str, Any]:
    """An events item of ``attributes`` attributes in all, keys included."""
    return {"id": "e", "at": "t", **{f"a{n}": n for n in range(attributes - 2)}}


def loaded(table: Table, fake: ScriptedTransport, data: dict[str, Any]) -> Item:
    """``data`` as read from the table; the read is forgotten by ``fake``."""
    stored = Dynamizer().encode_item(data)
    connection, answering = fake_connection(
        lambda operation, _body: DESCRIPTION if operation == "DescribeTable" else {"Item": stored}
    )
    del connection, answering
    item = Item(table)
    item.load({"Item": stored})
    fake.requests.clear()
    return item


@pytest.mark.parametrize(("attributes", "sent"), [(150, True), (151, False)])
def test_compare_and_set_save_within_300_operators_is_sent_and_beyond_is_refused(
    attributes: int, sent: bool
) -> None:
    # One "=" per attribute and one AND between each two: 150 attributes take 299.
    table, fake = events()
    item = loaded(table, fake, wide_item(attributes))
    item["a0"] = "changed"

    if sent:
        assert item.save()
        (body,) = fake.bodies("UpdateItem")
        assert body["UpdateExpression"].startswith("SET ")
        assert body["UpdateExpression"].count("=") == 1  # only what changed is written
    else:
        with pytest.raises(ParameterValidationError, match="301 operators") as refused:
            item.save()
        assert "partial_save()" in str(refused.value)
        assert fake.requests == []


def test_a_refused_compare_and_set_save_can_be_made_with_overwrite() -> None:
    table, fake = events()
    item = loaded(table, fake, wide_item(200))
    item["a0"] = "changed"

    assert item.save(overwrite=True)

    (body,) = fake.bodies("PutItem")
    assert "ConditionExpression" not in body
    assert body["Item"]["a0"] == {"S": "changed"}


def test_partial_save_of_more_than_150_changes_is_refused_before_sending() -> None:
    table, fake = events()
    item = loaded(table, fake, wide_item(10))
    for n in range(151):
        item[f"new{n}"] = n

    with pytest.raises(ParameterValidationError, match="smaller steps"):
        item.partial_save()
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        pytest.param(
            lambda t: list(t.parallel_scan(max_page_size=0)),
            RequestValidationError,
            "max_page_size must be a whole number of at least 1",
            id="parallel-scan-page-size-0",
        ),
        pytest.param(
            lambda t: list(t.parallel_scan(max_page_size=-1)),
            ParameterValidationError,
            "not -1",
            id="parallel-scan-page-size-negative",
        ),
        pytest.param(
            lambda t: list(t.scan(max_page_size=0.5)),
            ParameterValidationError,
            "not 0.5",
            id="scan-page-size-fraction-below-1",
        ),
        pytest.param(
            lambda t: list(t.scan(max_page_size="10")),
            ParameterValidationError,
            "max_page_size takes a whole number or None, not str '10'",
            id="scan-page-size-string",
        ),
        pytest.param(
            lambda t: list(t.scan(limit="10")),
            ParameterValidationError,
            "limit takes a whole number or None, not str '10'",
            id="scan-limit-string",
        ),
        pytest.param(
            lambda t: list(t.scan(filter="v > 1")),
            UnsupportedTypeError,
            "filter= takes a condition built with Attr(...)",
            id="scan-filter-string",
        ),
        pytest.param(
            lambda t: t.put_item({"id": "e", "at": "t"}, condition={"v__eq": 1}),
            UnsupportedTypeError,
            "condition= takes a condition built with Attr(...)",
            id="put-condition-dict",
        ),
        pytest.param(
            lambda t: Item(t, data={"id": "e", "at": "t"}).save(
                condition=cast(Any, "attribute_exists(id)")
            ),
            UnsupportedTypeError,
            "condition= takes",
            id="item-save-condition-string",
        ),
        pytest.param(
            lambda t: list(t.scan(exclusive_start_key="abc")),
            ParameterValidationError,
            "exclusive_start_key takes the mapping",
            id="scan-start-key-string",
        ),
        pytest.param(
            lambda t: list(t.query_2(id__eq="e", exclusive_start_key={"foo": 1})),
            ParameterValidationError,
            "exclusive_start_key lacks the key attributes 'id', 'at'",
            id="query-start-key-without-the-key",
        ),
    ],
)
def test_a_bad_read_or_write_option_is_refused_and_nothing_is_sent(
    call: Callable[[Table], object], error: type[Exception], words: str
) -> None:
    table, fake = events()

    with pytest.raises(error) as raised:
        call(table)

    assert words in str(raised.value)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call", "words"),
    [
        pytest.param(
            lambda t: list(t.query_2(id__eq=5)),
            "attribute 'id': key attribute of table 'events' is STRING; a condition on it "
            "takes STRING values, not NUMBER",
            id="kwargs-partition-key",
        ),
        pytest.param(
            lambda t: list(t.query_2(id__eq="e", at__between=["a", 2])),
            "attribute 'at': key attribute of table 'events' is STRING",
            id="kwargs-between",
        ),
        pytest.param(
            lambda t: list(t.query_2(key_condition=Key("id").eq(b"raw"))),
            "not BINARY",
            id="key-condition",
        ),
        pytest.param(
            lambda t: t.query_count(id__eq=True),
            "not a boolean",
            id="query-count",
        ),
    ],
)
def test_a_key_condition_value_of_another_type_than_the_key_is_refused(
    call: Callable[[Table], object], words: str
) -> None:
    table, fake = events()
    table.use_boolean()

    with pytest.raises(ParameterValidationError) as raised:
        call(table)

    assert words in str(raised.value)
    assert fake.requests == []


def test_begins_with_on_a_number_key_is_refused() -> None:
    description = {
        "Table": {
            **DESCRIPTION["Table"],
            "AttributeDefinitions": [
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "at", "AttributeType": "N"},
            ],
        }
    }
    connection, fake = fake_connection(
        lambda operation, _body: description if operation == "DescribeTable" else {}
    )
    table = Table("events", connection=connection)
    table.describe()
    fake.requests.clear()

    with pytest.raises(QueryError, match="begins_with works on STRING and BINARY keys"):
        list(table.query_2(key_condition=Key("id").eq("e") & Key("at").begins_with("1")))
    with pytest.raises(QueryError, match="'at' of table 'events' is NUMBER"):
        list(table.query_2(id__eq="e", at__beginswith="1"))
    assert fake.requests == []
    assert list(table.query_2(id__eq="e", at__gte=1)) == []


#: Each way a query or scan is asked for with a limit or a page size DynamoDB refuses
#: (boto 2 sent Limit=0 or a page size below 1, and met DynamoDB's ValidationException).
ZERO_LIMITS: Final[dict[str, Callable[[Any], Any]]] = {
    "query_2-limit-0": lambda table: table.query_2(id__eq="e", limit=0),
    "scan-limit-0": lambda table: table.scan(limit=0),
    "query_2-page-size-0": lambda table: table.query_2(id__eq="e", max_page_size=0),
    "scan-page-size-0": lambda table: table.scan(max_page_size=0),
    "scan-page-size-negative": lambda table: table.scan(max_page_size=-1),
    "query_count-limit-0": lambda table: table.query_count(id__eq="e", limit=0),
}


@pytest.mark.parametrize("call", list(ZERO_LIMITS))
def test_a_zero_limit_or_page_size_is_refused_and_nothing_is_sent(call: str) -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError, match=r"limit|max_page_size"):
        ZERO_LIMITS[call](table)
    with pytest.raises(RequestValidationError, match="max_page_size"):
        list(table.parallel_scan(total_segments=2, max_page_size=0))

    assert fake.requests == []


async def _awaited(call: Callable[[Any], Any], table: Any) -> Any:
    """``call(table)``, awaited if a coroutine (query_count; result sets are not)."""
    result = call(table)
    return await result if hasattr(result, "__await__") else result


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("call", list(ZERO_LIMITS))
async def test_the_async_table_refuses_a_zero_limit_or_page_size_and_sends_nothing(
    call: str,
) -> None:
    from dynamodb2.aio import AsyncConnection, AsyncTable
    from dynamodb2.transport import HttpRequest, HttpResponse
    from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, shared_botocore_session

    sent: list[str] = []

    async def transport(request: HttpRequest) -> HttpResponse:
        sent.append(request.operation)
        return HttpResponse(200, {}, b'{"Items": [], "Count": 0}')

    connection = AsyncConnection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_botocore_session(),
        transport=transport,
    )
    table = AsyncTable("events", schema=[HashKey("id"), RangeKey("at")], connection=connection)

    with pytest.raises(RequestValidationError, match=r"limit|max_page_size"):
        await _awaited(ZERO_LIMITS[call], table)
    with pytest.raises(RequestValidationError, match="max_page_size"):
        [item async for item in table.parallel_scan(total_segments=2, max_page_size=0)]
    await connection.close()

    assert sent == []
