"""A response of the wrong shape raises MalformedResponseError naming the field.

DynamoDB's responses have a documented shape; a proxy's error page turned into JSON, a
half-implemented emulator or a hostile endpoint may send any JSON at all. What the table
code, table descriptions, transactions, time to live, waiters and consumed capacity read
from a response of the wrong shape (a ``Count`` that is a string, a ``KeySchema`` that is
not a list, fewer ``Responses`` than keys asked for) raises
:class:`~dynamodb2.exceptions.MalformedResponseError` naming the operation and the field,
never a bare ``KeyError``, ``TypeError``, ``AttributeError`` or ``ValueError``. Each case
goes through the real connection, answered by a fake transport.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any, Final
from unittest import mock

import pytest

from dynamodb2.capacity import capacity_entries, capacity_units
from dynamodb2.exceptions import BatchWriteError, MalformedResponseError
from dynamodb2.fields import GlobalIncludeIndex, HashKey, RangeKey
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transactions import transact_get
from dynamodb2.ttl import TimeToLive
from dynamodb2.waiters import describe_state
from tests.support.fakes import fake_connection

DESCRIPTION: Final[dict[str, Any]] = {
    "Table": {
        "TableName": "events",
        "TableStatus": "ACTIVE",
        "ItemCount": 3,
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
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                "IndexStatus": "ACTIVE",
            }
        ],
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    }
}

ITEM: Final = {"id": {"S": "e"}, "at": {"S": "t"}}


def table_answering(operation: str, answer: Any) -> Table:
    """The ``events`` table (schema known) whose ``operation`` is answered by ``answer``."""

    def respond(name: str, body: dict[str, Any]) -> Any:
        if name == operation:
            return answer
        if name == "DescribeTable":
            return DESCRIPTION
        return {}

    connection, _fake = fake_connection(respond)
    return Table("events", schema=[HashKey("id"), RangeKey("at")], connection=connection)


def described(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """DESCRIPTION's table, changed by ``change``."""
    description = copy.deepcopy(DESCRIPTION)
    change(description["Table"])
    return description


def raises_malformed(operation: str, field: str, call: Callable[[], object]) -> None:
    with pytest.raises(MalformedResponseError) as raised:
        call()
    assert raised.value.operation == operation
    assert raised.value.field == field
    assert str(raised.value).startswith(
        f"malformed field {field!r} in the response to {operation}: "
    )


# --------------------------------------------------------------------------- DescribeTable

DESCRIPTIONS: Final[list[tuple[Any, str]]] = [
    ({}, "Table"),
    ({"Table": "events"}, "Table"),
    ({"Table": None}, "Table"),
    (described(lambda t: t.update(KeySchema="id")), "Table.KeySchema"),
    (described(lambda t: t.update(KeySchema=["id"])), "Table.KeySchema[0]"),
    (described(lambda t: t["KeySchema"][1].pop("KeyType")), "Table.KeySchema[1].KeyType"),
    (
        described(lambda t: t["KeySchema"][0].update(AttributeName=5)),
        "Table.KeySchema[0].AttributeName",
    ),
    (described(lambda t: t["KeySchema"][0].update(AttributeName="")), "Table.KeySchema[0]"),
    (described(lambda t: t.update(AttributeDefinitions={})), "Table.AttributeDefinitions"),
    (
        described(lambda t: t["AttributeDefinitions"][0].pop("AttributeType")),
        "Table.AttributeDefinitions[0].AttributeType",
    ),
    (
        # A key typed BOOL: key attributes are S, N or B.
        described(lambda t: t["AttributeDefinitions"][0].update(AttributeType="BOOL")),
        "Table.KeySchema[0]",
    ),
    (
        described(lambda t: t["ProvisionedThroughput"].update(ReadCapacityUnits="5")),
        "Table.ProvisionedThroughput.ReadCapacityUnits",
    ),
    (
        described(lambda t: t["ProvisionedThroughput"].update(WriteCapacityUnits=-1)),
        "Table.ProvisionedThroughput.WriteCapacityUnits",
    ),
    (described(lambda t: t.update(BillingModeSummary="x")), "Table.BillingModeSummary"),
    (
        described(lambda t: t.update(GlobalSecondaryIndexes={"by-kind": {}})),
        "Table.GlobalSecondaryIndexes",
    ),
    (
        described(lambda t: t["GlobalSecondaryIndexes"][0].pop("IndexName")),
        "Table.GlobalSecondaryIndexes[0].IndexName",
    ),
    (
        described(lambda t: t["GlobalSecondaryIndexes"][0].update(KeySchema=None)),
        "Table.GlobalSecondaryIndexes[0].KeySchema",
    ),
    (
        described(lambda t: t["GlobalSecondaryIndexes"][0].update(KeySchema=[])),
        "Table.GlobalSecondaryIndexes[0]",
    ),
    (
        described(lambda t: t["GlobalSecondaryIndexes"][0].update(Projection="ALL")),
        "Table.GlobalSecondaryIndexes[0].Projection",
    ),
    (
        described(
            lambda t: t["GlobalSecondaryIndexes"][0]["Projection"].update(NonKeyAttributes=[5])
        ),
        "Table.GlobalSecondaryIndexes[0].Projection.NonKeyAttributes[0]",
    ),
    (
        described(
            lambda t: t["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"].update(
                ReadCapacityUnits=1.5
            )
        ),
        "Table.GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits",
    ),
]


@pytest.mark.parametrize(
    ("answer", "field"), DESCRIPTIONS, ids=[f"{n}-{case[1]}" for n, case in enumerate(DESCRIPTIONS)]
)
def test_describe_of_a_malformed_description_names_the_field(answer: Any, field: str) -> None:
    table = table_answering("DescribeTable", answer)

    raises_malformed("DescribeTable", field, table.describe)


def test_a_well_formed_description_is_still_read() -> None:
    table = table_answering("DescribeTable", DESCRIPTION)

    table.describe()

    assert [field.name for field in table.schema or ()] == ["id", "at"]
    assert table.global_indexes is not None
    [index] = table.global_indexes
    assert isinstance(index, GlobalIncludeIndex)
    assert (index.name, index.includes_fields, index.throughput) == (
        "by-kind",
        ["a"],
        {"read": 1, "write": 1},
    )
    assert table.throughput == {"read": 5, "write": 5}


@pytest.mark.parametrize("count", ["3", None, -2, 2.5, [3]])
def test_count_of_a_malformed_item_count_names_the_field(count: Any) -> None:
    table = table_answering("DescribeTable", described(lambda t: t.update(ItemCount=count)))

    if count is None:  # null is read as absent: 0
        assert table.count() == 0
    else:
        raises_malformed("DescribeTable", "Table.ItemCount", table.count)


# --------------------------------------------------------------------------- Query and Scan


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"Count": "x"}, "Count"),
        ({"Count": -1}, "Count"),
        ({"Count": 1.5}, "Count"),
        ({"Count": True}, "Count"),
        ({"Count": 1, "LastEvaluatedKey": "x"}, "LastEvaluatedKey"),
    ],
)
def test_query_count_of_a_malformed_count_names_the_field(answer: Any, field: str) -> None:
    table = table_answering("Query", answer)

    raises_malformed("Query", field, lambda: table.query_count(id__eq="e"))


def test_query_count_still_sums_whole_counts() -> None:
    assert table_answering("Query", {"Count": 4}).query_count(id__eq="e") == 4
    assert table_answering("Query", {"Count": 4.0}).query_count(id__eq="e") == 4


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"Items": "x"}, "Items"),
        ({"Items": {"id": {"S": "e"}}}, "Items"),
        ({"Items": [ITEM, "x"]}, "Items"),
        ({"Items": [], "LastEvaluatedKey": ["x"]}, "LastEvaluatedKey"),
    ],
)
@pytest.mark.parametrize("operation", ["Query", "Scan"])
def test_a_malformed_page_names_the_field(operation: str, answer: Any, field: str) -> None:
    table = table_answering(operation, answer)

    def read() -> list[Any]:
        if operation == "Query":
            return list(table.query_2(id__eq="e"))
        return list(table.scan())

    raises_malformed(operation, field, read)


# --------------------------------------------------------------------------- items


@pytest.mark.parametrize("answer", [{"Item": "x"}, {"Item": [ITEM]}])
def test_get_item_of_an_item_that_is_not_an_object_names_the_field(answer: Any) -> None:
    table = table_answering("GetItem", answer)

    raises_malformed("GetItem", "Item", lambda: table.get_item(id="e", at="t"))


def test_update_item_of_attributes_that_are_not_an_object_names_the_field() -> None:
    table = table_answering("UpdateItem", {"Attributes": ["x"]})

    raises_malformed(
        "UpdateItem",
        "Attributes",
        lambda: table.update_item({"id": "e", "at": "t"}, set={"n": 1}, return_values="ALL_NEW"),
    )


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"Responses": "x"}, "Responses"),
        ({"Responses": {"events": "x"}}, "Responses.events"),
        ({"Responses": {"events": [1]}}, "Responses.events"),
        ({"Responses": {}, "UnprocessedKeys": {"events": "x"}}, "UnprocessedKeys.events"),
        (
            {"Responses": {}, "UnprocessedKeys": {"events": {"Keys": {"id": 1}}}},
            "UnprocessedKeys.events.Keys",
        ),
    ],
)
def test_a_malformed_batch_get_page_names_the_field(answer: Any, field: str) -> None:
    table = table_answering("BatchGetItem", answer)

    raises_malformed("BatchGetItem", field, lambda: list(table.batch_get([{"id": "e", "at": "t"}])))


# --------------------------------------------------------------------------- transactions


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"Responses": "x"}, "Responses"),
        ({"Responses": {"0": {}}}, "Responses"),
        ({"Responses": [{}]}, "Responses"),  # one response for two keys
        ({"Responses": [{}, {}, {}]}, "Responses"),
        ({"Responses": [{}, "x"]}, "Responses[1]"),
        ({"Responses": [{"Item": ITEM}, {"Item": "x"}]}, "Responses[1].Item"),
    ],
)
def test_transact_get_of_malformed_responses_names_the_field(answer: Any, field: str) -> None:
    table = table_answering("TransactGetItems", answer)
    keys = [(table, {"id": "e", "at": "t"}), (table, {"id": "f", "at": "t"})]

    raises_malformed("TransactGetItems", field, lambda: transact_get(None, keys))


def test_transact_get_still_reads_items_and_absent_ones() -> None:
    table = table_answering("TransactGetItems", {"Responses": [{"Item": ITEM}, {}]})

    found, missing = transact_get(
        None, [(table, {"id": "e", "at": "t"}), (table, {"id": "f", "at": "t"})]
    )

    assert found is not None
    assert dict(found) == {"id": "e", "at": "t"}
    assert missing is None


# --------------------------------------------------------------------------- time to live


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"TimeToLiveDescription": "ENABLED"}, "TimeToLiveDescription"),
        (
            {"TimeToLiveDescription": {"TimeToLiveStatus": 1}},
            "TimeToLiveDescription.TimeToLiveStatus",
        ),
        (
            {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": ["x"]}},
            "TimeToLiveDescription.AttributeName",
        ),
    ],
)
def test_describe_ttl_of_a_malformed_description_names_the_field(answer: Any, field: str) -> None:
    table = table_answering("DescribeTimeToLive", answer)

    raises_malformed("DescribeTimeToLive", field, table.describe_ttl)


def test_describe_ttl_still_reads_a_description() -> None:
    answer = {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}}

    assert table_answering("DescribeTimeToLive", answer).describe_ttl() == TimeToLive(
        "ENABLED", "exp"
    )
    assert TimeToLive.from_response({}) == TimeToLive("DISABLED")


# --------------------------------------------------------------------------- waiters


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"Table": "ACTIVE"}, "Table"),
        ({}, "Table"),
        (described(lambda t: t.update(TableStatus=["ACTIVE"])), "Table.TableStatus"),
        (described(lambda t: t.update(GlobalSecondaryIndexes="x")), "Table.GlobalSecondaryIndexes"),
        (
            described(lambda t: t["GlobalSecondaryIndexes"][0].update(IndexStatus=1)),
            "Table.GlobalSecondaryIndexes[0].IndexStatus",
        ),
    ],
)
def test_waiting_on_a_malformed_description_names_the_field(answer: Any, field: str) -> None:
    table = table_answering("DescribeTable", answer)

    raises_malformed("DescribeTable", field, lambda: table.wait_until_active(timeout=1))
    with pytest.raises(MalformedResponseError):
        describe_state(answer)


# --------------------------------------------------------------------------- consumed capacity


@pytest.mark.parametrize(
    ("consumed", "field"),
    [("x", "ConsumedCapacity"), (5, "ConsumedCapacity"), ([{}, 1], "ConsumedCapacity[1]")],
)
def test_malformed_consumed_capacity_names_the_field(consumed: Any, field: str) -> None:
    table = table_answering("PutItem", {"ConsumedCapacity": consumed})

    with pytest.raises(MalformedResponseError) as raised:
        table.put_item({"id": "e", "at": "t"}, return_consumed_capacity="TOTAL")

    assert raised.value.field == field


@pytest.mark.parametrize("units", ["1", [1], float("inf")])
def test_capacity_units_that_are_not_numbers_name_the_field(units: Any) -> None:
    with pytest.raises(MalformedResponseError, match=r"ConsumedCapacity\[0\].CapacityUnits"):
        capacity_units(capacity_entries({"TableName": "events", "CapacityUnits": units}))


def test_well_formed_capacity_is_still_read() -> None:
    assert capacity_entries(None) == capacity_entries({}) == capacity_entries([]) == []
    entries = capacity_entries([{"CapacityUnits": 1}, {"CapacityUnits": 0.5}, {}])
    assert capacity_units(entries) == 1.5


def test_the_error_pickles_with_the_field() -> None:
    error = MalformedResponseError("is a string, not a list", field="Items", operation="Scan")

    copied = pickle.loads(pickle.dumps(error))

    assert (copied.field, copied.operation, str(copied)) == (
        "Items",
        "Scan",
        "malformed field 'Items' in the response to Scan: is a string, not a list",
    )


# --------------------------------------------------------------------------- batch writes


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"UnprocessedItems": "x"}, "UnprocessedItems"),
        ({"UnprocessedItems": {"events": {"PutRequest": {}}}}, "UnprocessedItems.events"),
        ({"UnprocessedItems": {"events": [1]}}, "UnprocessedItems.events"),
    ],
)
def test_malformed_unprocessed_items_keep_the_writes_unsent(answer: Any, field: str) -> None:
    table = table_answering("BatchWriteItem", answer)

    def write() -> None:
        with table.batch_write() as batch:
            batch.put_item({"id": "e", "at": "t"})
            batch.delete_item(id="f", at="t")

    with pytest.raises(BatchWriteError) as raised:
        write()

    cause = raised.value.__cause__
    assert isinstance(cause, MalformedResponseError)
    assert (cause.operation, cause.field) == ("BatchWriteItem", field)
    # Whether they were written is not known: both are handed back.
    assert len(raised.value.unsent_requests) == 2


def test_a_mock_standing_in_for_layer1_still_describes_nothing() -> None:
    # boto 2's own unit tests mock the layer1 connection: its answer is no JSON object.
    connection = mock.create_autospec(DynamoDBConnection, instance=True)
    table = Table("events", connection=connection)

    table.describe()

    assert (table.schema, table.global_indexes) == ([], [])
