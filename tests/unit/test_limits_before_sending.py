"""DynamoDB's limits on names, projections, indexes and segments, refused before sending.

moto and dynalite store a 70,000-byte attribute name that DynamoDB refuses, so these are
checked here, against a fake DynamoDB that records every request: each refusal is a
``RequestValidationError`` (a ``ParameterValidationError`` and a ``ValidationException``,
as DynamoDB's own refusal was for boto 2 code) and nothing is sent; a value at the limit
is sent. The limits are listed in docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pytest

from dynamodb2.conditions import Attr
from dynamodb2.exceptions import RequestValidationError
from dynamodb2.fields import (
    AllIndex,
    GlobalAllIndex,
    GlobalIncludeIndex,
    HashKey,
    IncludeIndex,
    KeysOnlyIndex,
    RangeKey,
)
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transactions import Transaction
from tests.support.fakes import ScriptedTransport, fake_connection

#: One byte over DynamoDB's "less than 64 KB" for an attribute name.
TOO_LONG: Final = "n" * 65_536
#: The longest name DynamoDB takes: 65,535 bytes.
LONGEST: Final = "n" * 65_535
#: 16,384 four-byte characters: few enough characters, but 65,536 bytes in UTF-8.
TOO_LONG_IN_UTF8: Final = "\U0001f600" * 16_384

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
            {"AttributeName": "kind", "AttributeType": "S"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "by-kind",
                "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
            }
        ],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    }
}


def answer(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    if operation == "DescribeTable":
        return DESCRIPTION
    if operation in ("Query", "Scan"):
        return {"Items": [], "Count": 0}
    if operation == "BatchGetItem":
        return {"Responses": {}}
    if operation == "GetItem":
        return {"Item": {"id": {"S": "e"}, "at": {"S": "t"}}}
    if operation == "CreateTable":
        return {"TableDescription": DESCRIPTION["Table"]}
    return {}


def events() -> tuple[Table, ScriptedTransport]:
    """The ``events`` table, its schema and indexes learnt, and the fake answering it."""
    connection, fake = fake_connection(answer)
    table = Table("events", connection=connection)
    table.describe()
    fake.requests.clear()
    return table, fake


KEY: Final = {"id": "e", "at": "t"}


def transaction_put(table: Table, item: dict[str, Any]) -> None:
    Transaction(table.connection).put(table, item)


# --------------------------------------------------------------------------- attribute names

#: Each receives the table as ``Any``: keyword arguments built from names are not typed.
NAME_USES: Final[dict[str, Callable[[Any, str], object]]] = {
    "put_item": lambda t, name: t.put_item({**KEY, name: 1}),
    "put_item-nested-map-key": lambda t, name: t.put_item({**KEY, "doc": {"a": [{name: 1}]}}),
    "item-save": lambda t, name: Item(t, data={**KEY, name: 1}).save(),
    "item-partial_save": lambda t, name: Item(t, data={**KEY, name: 1}).partial_save(),
    "batch-put_item": lambda t, name: t.batch_write().put_item({**KEY, name: 1}),
    "transaction-put": lambda t, name: transaction_put(t, {**KEY, name: 1}),
    "update_item-set": lambda t, name: t.update_item(KEY, set={name: 1}),
    "update_item-remove-path": lambda t, name: t.update_item(KEY, remove=[("doc", name)]),
    "put_item-condition": lambda t, name: t.put_item(KEY, condition=Attr(name).not_exists()),
    "scan-filter-keyword": lambda t, name: list(t.scan(**{f"{name}__eq": 1})),
    "query-filter": lambda t, name: list(t.query_2(id__eq="e", query_filter={f"{name}__gt": 1})),
    "get_item-projection": lambda t, name: t.get_item(attributes=[name], **KEY),
    "batch_get-projection": lambda t, name: list(t.batch_get([KEY], attributes=[name])),
    "delete_item-expected": lambda t, name: t.delete_item(expected={f"{name}__eq": 1}, **KEY),
}


@pytest.mark.parametrize("use", list(NAME_USES))
@pytest.mark.parametrize("name", [TOO_LONG, TOO_LONG_IN_UTF8], ids=["ascii", "utf-8"])
def test_an_attribute_name_over_64_kb_is_refused_wherever_it_is_used(use: str, name: str) -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError, match="65536 bytes") as refused:
        NAME_USES[use](table, name)

    assert "DynamoDB allows at most 65535 (less than 64 KB)" in str(refused.value)
    assert refused.value.error_code == "ValidationException"
    assert fake.requests == []


@pytest.mark.parametrize("use", ["put_item", "update_item-set", "get_item-projection"])
def test_an_attribute_name_of_65535_bytes_is_sent(use: str) -> None:
    table, fake = events()

    NAME_USES[use](table, LONGEST)

    assert len(fake.requests) == 1


def test_a_key_attribute_name_over_255_characters_is_refused_when_the_key_is_not_known() -> None:
    # The key of a table is at most 255 characters: no table has such a key attribute.
    connection, fake = fake_connection(answer)
    table = Table("events", connection=connection)

    untyped: Any = table

    with pytest.raises(RequestValidationError, match=r"key attribute name .* 256 characters"):
        untyped.get_item(**{"k" * 256: "x"})
    untyped.get_item(**{"k" * 255: "x"})

    assert [operation for operation, _ in fake.requests] == ["GetItem"]


# --------------------------------------------------------------------------- table definitions


def create(fields: list[Any], **indexes: Any) -> ScriptedTransport:
    connection, fake = fake_connection(answer)
    Table.create("events", schema=fields, connection=connection, **indexes)
    return fake


@pytest.mark.parametrize(
    ("definition", "words"),
    [
        pytest.param({"fields": [HashKey("k" * 256)]}, "key attribute name", id="hash-key"),
        pytest.param(
            {"fields": [HashKey("id"), RangeKey("r" * 256)]}, "key attribute name", id="range-key"
        ),
        pytest.param(
            {
                "fields": [HashKey("id"), RangeKey("at")],
                "indexes": [IncludeIndex("local", parts=[HashKey("id"), RangeKey("x" * 256)])],
            },
            "key attribute name of index 'local'",
            id="local-index-key",
        ),
        pytest.param(
            {
                "fields": [HashKey("id")],
                "global_indexes": [GlobalAllIndex("global", parts=[HashKey("g" * 256)])],
            },
            "key attribute name of index 'global'",
            id="global-index-key",
        ),
        pytest.param(
            {
                "fields": [HashKey("id"), RangeKey("at")],
                "indexes": [
                    IncludeIndex(
                        "local", parts=[HashKey("id"), RangeKey("x")], includes=["p" * 256]
                    )
                ],
            },
            "projected attribute name of index 'local'",
            id="local-index-projection",
        ),
        pytest.param(
            {
                "fields": [HashKey("id")],
                "global_indexes": [
                    GlobalIncludeIndex("global", parts=[HashKey("g")], includes=["😀" * 128])
                ],
            },
            "256 characters",  # an emoji counts twice, as in UTF-16
            id="global-index-projection-utf-16",
        ),
    ],
)
def test_a_key_index_or_projected_name_over_255_characters_is_refused_by_create(
    definition: dict[str, Any], words: str
) -> None:
    fields = definition.pop("fields")

    with pytest.raises(RequestValidationError, match="DynamoDB allows at most 255") as refused:
        create(fields, **definition)

    assert words in str(refused.value)


def test_names_of_255_characters_are_sent_by_create() -> None:
    fake = create(
        [HashKey("k" * 255), RangeKey("é" * 255)],
        indexes=[
            IncludeIndex(
                "local", parts=[HashKey("k" * 255), RangeKey("x" * 255)], includes=["p" * 255]
            )
        ],
    )

    assert [operation for operation, _ in fake.requests] == ["CreateTable"]


def test_a_global_index_added_later_with_a_long_key_name_is_refused() -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError, match="at most 255"):
        table.create_global_secondary_index(GlobalAllIndex("later", parts=[HashKey("g" * 256)]))

    assert fake.requests == []


# --------------------------------------------------------------------------- index definitions

SCHEMA: Final = [HashKey("id"), RangeKey("at")]


def local(name: str, sort: str = "at2", **kwargs: Any) -> AllIndex:
    return AllIndex(name, parts=[HashKey("id"), RangeKey(sort)], **kwargs)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ix", "must be 3 to 255 characters long, not 2"),
        ("i" * 256, "must be 3 to 255 characters long, not 256"),
        ("by email", "may only contain letters, digits"),
        ("by:email", "may only contain letters, digits"),
        ("arn:aws:dynamodb:us-east-1:1:table/t/index/x", "may only contain"),
        ("índice", "may only contain"),
    ],
)
@pytest.mark.parametrize("keyword", ["indexes", "global_indexes"])
def test_an_index_name_dynamodb_refuses_is_refused_by_create(
    keyword: str, name: str, words: str
) -> None:
    index = local(name) if keyword == "indexes" else GlobalAllIndex(name, parts=[HashKey("g")])
    with pytest.raises(RequestValidationError, match="index name") as refused:
        create(SCHEMA, **{keyword: [index]})

    assert words in str(refused.value)


@pytest.mark.parametrize("described", [True, False])
def test_an_index_name_dynamodb_refuses_is_refused_by_create_global_secondary_index(
    described: bool,
) -> None:
    # Not even the DescribeTable learning the billing mode is sent.
    table, fake = events()
    if not described:
        table.billing_mode = None

    with pytest.raises(RequestValidationError, match="may only contain"):
        table.create_global_secondary_index(GlobalAllIndex("by kind", parts=[HashKey("g")]))

    assert fake.requests == []


def test_index_names_of_3_and_255_characters_of_every_allowed_kind_are_sent() -> None:
    fake = create(
        SCHEMA,
        indexes=[local("a.b")],
        global_indexes=[GlobalAllIndex("Az09_.-" + "x" * 248, parts=[HashKey("g")])],
    )

    [body] = fake.bodies("CreateTable")
    assert [index["IndexName"] for index in body["LocalSecondaryIndexes"]] == ["a.b"]
    assert len(body["GlobalSecondaryIndexes"][0]["IndexName"]) == 255


@pytest.mark.parametrize(
    "definition",
    [
        {"indexes": [local("twice"), local("twice", sort="at3")]},
        {"global_indexes": [GlobalAllIndex("twice", parts=[HashKey(n)]) for n in "gh"]},
        {"indexes": [local("twice")], "global_indexes": [GlobalAllIndex("twice", [HashKey("g")])]},
    ],
    ids=["local", "global", "local-and-global"],
)
def test_two_indexes_of_one_name_are_refused_by_create(definition: dict[str, Any]) -> None:
    with pytest.raises(RequestValidationError, match="two indexes are named 'twice'"):
        create(SCHEMA, **definition)


@pytest.mark.parametrize("cls", [IncludeIndex, GlobalIncludeIndex])
def test_an_include_projection_naming_an_attribute_twice_is_refused_by_create(
    cls: type[IncludeIndex],
) -> None:
    index = cls("by-at2", parts=[HashKey("id"), RangeKey("at2")], includes=["a", "b", "a"])
    keyword = "indexes" if cls is IncludeIndex else "global_indexes"

    with pytest.raises(RequestValidationError, match="projects 'a' more than once"):
        create(SCHEMA, **{keyword: [index]})


def test_an_include_projection_naming_an_attribute_twice_is_refused_when_added_later() -> None:
    table, fake = events()
    index = GlobalIncludeIndex("later", parts=[HashKey("g")], includes=["a", "a"])

    with pytest.raises(RequestValidationError, match="more than once"):
        table.create_global_secondary_index(index)

    assert fake.requests == []


@pytest.mark.parametrize(
    ("schema", "parts", "words"),
    [
        ([HashKey("id")], [HashKey("id"), RangeKey("at2")], "needs a sort key"),
        (SCHEMA, [HashKey("id")], "its parts must be [HashKey('id'), RangeKey(...)]"),
        (SCHEMA, [HashKey("kind"), RangeKey("at2")], "shares the table's partition key"),
    ],
    ids=["table-without-sort-key", "index-without-sort-key", "other-partition-key"],
)
def test_a_local_index_without_the_tables_partition_key_and_a_sort_key_is_refused(
    schema: list[Any], parts: list[Any], words: str
) -> None:
    with pytest.raises(RequestValidationError, match="local index 'by-at2'") as refused:
        create(schema, indexes=[AllIndex("by-at2", parts=parts)])

    assert words in str(refused.value)


def test_more_than_five_local_indexes_are_refused_by_create() -> None:
    five = [local(f"local{n}", sort=f"s{n}") for n in range(5)]
    create(SCHEMA, indexes=five)

    with pytest.raises(RequestValidationError, match="at most 5 local secondary indexes, not 6"):
        create(SCHEMA, indexes=[*five, KeysOnlyIndex("local5", [HashKey("id"), RangeKey("s5")])])


def test_more_than_twenty_global_indexes_are_left_to_dynamodb() -> None:
    # 20 is a default quota an account may have raised: DynamoDB judges.
    many = [GlobalAllIndex(f"global{n}", parts=[HashKey(f"g{n}")]) for n in range(25)]

    fake = create(SCHEMA, global_indexes=many)

    [body] = fake.bodies("CreateTable")
    assert len(body["GlobalSecondaryIndexes"]) == 25


def test_more_than_a_hundred_projected_attributes_in_all_are_refused_by_create() -> None:
    def indexes(total: int) -> list[GlobalIncludeIndex]:
        # The same names in two indexes count twice, as DynamoDB counts them.
        names = [f"p{n}" for n in range(total // 2)]
        return [
            GlobalIncludeIndex(f"global{n}", parts=[HashKey("g")], includes=names) for n in range(2)
        ]

    create(SCHEMA, global_indexes=indexes(100))
    with pytest.raises(RequestValidationError, match="project 102 attributes"):
        create(SCHEMA, global_indexes=indexes(102))


# --------------------------------------------------------------------------- projections

PROJECTIONS: Final[dict[str, Callable[[Any], object]]] = {
    "get_item": lambda t: t.get_item(attributes=["a", "b", "a"], **KEY),
    "query_2": lambda t: list(t.query_2(id__eq="e", attributes=["a", "a"])),
    "scan": lambda t: list(t.scan(attributes=["a", "b", "a"])),
    "batch_get": lambda t: list(t.batch_get([KEY], attributes=["a", "a"])),
    "parallel_scan": lambda t: list(t.parallel_scan(attributes=["a", "a"])),
}


@pytest.mark.parametrize("use", list(PROJECTIONS))
def test_a_projection_naming_an_attribute_twice_is_refused(use: str) -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError, match="a projection names each attribute once"):
        PROJECTIONS[use](table)

    assert fake.requests == []


# --------------------------------------------------------------------------- index names

INDEX_USES: Final[dict[str, Callable[[Table], object]]] = {
    "query_2": lambda t: list(t.query_2(index="no-such-index", kind__eq="x")),
    "query_count": lambda t: t.query_count(index="no-such-index", kind__eq="x"),
    "scan": lambda t: list(t.scan(index="no-such-index")),
    "parallel_scan": lambda t: list(t.parallel_scan(index="no-such-index")),
}


@pytest.mark.parametrize("use", list(INDEX_USES))
def test_an_index_the_known_schema_does_not_have_is_refused(use: str) -> None:
    table, fake = events()

    with pytest.raises(
        RequestValidationError, match="table 'events' has no index 'no-such-index'"
    ) as refused:
        INDEX_USES[use](table)

    assert "'by-kind'" in str(refused.value)  # the indexes it has are named
    assert fake.requests == []


def test_an_index_of_a_table_whose_indexes_are_not_known_is_left_to_dynamodb() -> None:
    # Without a description (boto 2 sent none here), only DynamoDB knows the indexes.
    connection, fake = fake_connection(answer)
    table = Table("events", schema=[HashKey("id"), RangeKey("at")], connection=connection)

    list(table.scan(index="by-kind"))

    assert [body["IndexName"] for body in fake.bodies("Scan")] == ["by-kind"]


def test_a_known_index_is_sent() -> None:
    table, fake = events()

    list(table.query_2(index="by-kind", kind__eq="x"))

    assert [body["IndexName"] for body in fake.bodies("Query")] == ["by-kind"]


# --------------------------------------------------------------------------- segments

SEGMENT_REFUSALS: Final = [
    pytest.param(4, 4, "segment must be between 0 and total_segments - 1 (3), not 4", id="equal"),
    pytest.param(5, 4, "not 5", id="above"),
    pytest.param(-1, 4, "not -1", id="negative"),
    pytest.param(0, 0, "total_segments must be between 1 and 1000000, not 0", id="no-segments"),
    pytest.param(0, 1_000_001, "not 1000001", id="too-many-segments"),
    pytest.param("0", 4, "segment takes a whole number", id="string"),
]


@pytest.mark.parametrize(("segment", "total", "words"), SEGMENT_REFUSALS)
def test_a_segment_out_of_range_is_refused_by_scan(segment: Any, total: Any, words: str) -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError) as refused:
        list(table.scan(segment=segment, total_segments=total))

    assert words in str(refused.value)
    assert fake.requests == []


@pytest.mark.parametrize(("segment", "total", "words"), SEGMENT_REFUSALS)
def test_a_segment_out_of_range_is_refused_by_layer1_scan(
    segment: Any, total: Any, words: str
) -> None:
    connection, fake = fake_connection(answer)
    layer1 = DynamoDBConnection(connection=connection)

    with pytest.raises(RequestValidationError) as refused:
        layer1.scan("events", segment=segment, total_segments=total)

    assert words in str(refused.value)
    assert fake.requests == []


def test_a_segment_without_total_segments_is_refused() -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError, match="give both segment and total_segments"):
        list(table.scan(segment=1))

    assert fake.requests == []


@pytest.mark.parametrize(
    ("total", "words"),
    [
        pytest.param(0, "total_segments must be between 1 and 1000000, not 0", id="zero"),
        pytest.param(-2, "not -2", id="negative"),
        pytest.param(2_000_000, "not 2000000", id="too-many"),
        pytest.param("4", "total_segments takes a whole number", id="string"),
    ],
)
def test_parallel_scan_refuses_total_segments_dynamodb_would_refuse(total: Any, words: str) -> None:
    table, fake = events()

    with pytest.raises(RequestValidationError) as refused:
        table.parallel_scan(total_segments=total)  # refused at the call, before iterating

    assert words in str(refused.value)
    assert fake.requests == []


def test_the_last_segment_and_the_most_segments_are_sent() -> None:
    table, fake = events()

    list(table.scan(segment=3, total_segments=4))
    list(table.scan(segment=999_999, total_segments=1_000_000))

    assert [(body["Segment"], body["TotalSegments"]) for body in fake.bodies("Scan")] == [
        (3, 4),
        (999_999, 1_000_000),
    ]


# --------------------------------------------------------------------------- table names


class _Named(str):
    """A str subclass: its hash and equality could be anything."""

    def __hash__(self) -> int:
        return hash("things")

    def __eq__(self, other: object) -> bool:
        return True


@pytest.mark.parametrize("name", ["x", "bad name!", "a" * 256, _Named("no good")])
def test_a_bad_table_name_is_refused_every_time_after_good_ones_were_sent(name: str) -> None:
    connection, transport = fake_connection(lambda _operation, _body: {})
    layer1 = DynamoDBConnection(connection=connection)
    for _ in range(2):
        layer1.describe_table("things")
        with pytest.raises(RequestValidationError, match="table"):
            layer1.describe_table(name)
    assert [body["TableName"] for body in transport.bodies("DescribeTable")] == ["things"] * 2


# --------------------------------------------------------------------------- expressions

#: 200 conditions joined by AND: well past 4 KB of ConditionExpression / FilterExpression.
MANY: Final = [f"a{n}" for n in range(200)]


def _all_exist(names: list[str]) -> Any:
    condition = Attr(names[0]).exists()
    for name in names[1:]:
        condition = condition & Attr(name).exists()
    return condition


def _transaction_with(table: Table, condition: Any) -> None:
    transaction = Transaction(table.connection)
    transaction.put(table, {**KEY}, condition=condition)
    transaction.commit()


#: Each builds an expression over 4 KB ("The maximum length of any expression string is
#: 4 KB"), which moto and dynalite take and DynamoDB refuses.
#: (The table is ``Any``: keyword arguments built from names are not typed.)
EXPRESSION_USES: Final[dict[str, tuple[str, Callable[[Any], object]]]] = {
    "get_item-projection": (
        "ProjectionExpression",
        lambda t: t.get_item(attributes=[f"a{n}" for n in range(1000)], **KEY),
    ),
    "scan-filter": ("FilterExpression", lambda t: list(t.scan(filter=_all_exist(MANY)))),
    "batch_get-projection": (
        "ProjectionExpression",
        lambda t: list(t.batch_get([KEY], attributes=[f"a{n}" for n in range(1000)])),
    ),
    "delete_item-condition": (
        "ConditionExpression",
        lambda t: t.delete_item(condition=_all_exist(MANY), **KEY),
    ),
    "update_item-set": (
        "UpdateExpression",
        lambda t: t.update_item(KEY, set={f"a{n}": 1 for n in range(400)}),
    ),
    "transaction-condition": (
        "ConditionExpression",
        lambda t: _transaction_with(t, _all_exist(MANY)),
    ),
}


@pytest.mark.parametrize("use", list(EXPRESSION_USES))
def test_an_expression_over_4_kb_is_refused_before_sending(use: str) -> None:
    table, fake = events()
    field, make = EXPRESSION_USES[use]

    with pytest.raises(RequestValidationError, match=f"{field} is [0-9]+ bytes") as refused:
        make(table)

    assert "at most 4096 bytes" in str(refused.value)
    assert fake.requests == []


def test_an_expression_of_4_kb_is_sent() -> None:
    table, fake = events()
    # "#n0 = :v0" is 9 bytes, " AND #n0 = :v0" 14: 9 + 14 * 292 = 4097 bytes, one over.
    expression = "#n0 = :v0" + " AND #n0 = :v0" * 291

    table.connection.scan(
        "events",
        filter_expression=expression,
        expression_attribute_names={"#n0": "kind"},
        expression_attribute_values={":v0": {"S": "x"}},
    )
    with pytest.raises(RequestValidationError, match="FilterExpression is 4097 bytes"):
        table.connection.scan(
            "events",
            filter_expression=expression + " AND #n0 = :v0",
            expression_attribute_names={"#n0": "kind"},
            expression_attribute_values={":v0": {"S": "x"}},
        )

    assert len(fake.requests) == 1
