"""A malformed value in a response raises MalformedResponseError, naming the attribute.

DynamoDB never sends ``{"N": "not-a-number"}``, an unknown type tag or an ``L`` that is
not a list; a broken proxy, a buggy local implementation or corrupted storage might.
Such a value used to surface as a bare ``decimal.InvalidOperation``, ``AttributeError``,
``KeyError`` or ``binascii.Error`` from deep inside the decoder (an ``AttributeError``
from an item's lazy decoding even looked like a missing attribute), or worse, decode
silently into something else (``{"SS": "abc"}`` became ``{"a", "b", "c"}``). Now it is a
``MalformedResponseError`` (a ``DynamoDBError`` and a ``ValueError``) naming the path
inside the item and, where the caller knows it, the operation.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynamodb2.connection import Connection
from dynamodb2.exceptions import DynamoDBError, MalformedResponseError
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse
from dynamodb2.types import Dynamizer, NativeNumberDynamizer, make_dynamizer
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, shared_botocore_session

DYNAMIZERS = [
    make_dynamizer(booleans=booleans, native_numbers=native)
    for booleans in (True, False)
    for native in (True, False)
]

MALFORMED: list[tuple[dict[str, Any], str, str]] = [
    ({"n": {"N": "not-a-number"}}, "n", "N holds 'not-a-number', which is not a number"),
    ({"n": {"N": None}}, "n", "N holds null None, not a number's text"),
    ({"n": {"N": ["1"]}}, "n", "N holds list ['1'], not a number's text"),
    ({"x": {"Q": "1"}}, "x", "unknown type tag 'Q'"),
    ({"b": {"B": "not base64!"}}, "b", "B holds 'not base64!', which is not base64"),
    ({"b": {"B": 7}}, "b", "B holds int 7, not base64 text"),
    ({"l": {"L": "abc"}}, "l", "L holds 'abc', not a list"),
    ({"l": {"L": {}}}, "l", "L holds dict {}, not a list"),
    ({"l": {"L": ""}}, "l", "L holds '', not a list"),
    ({"s": {"SS": "abc"}}, "s", "SS holds 'abc', not a list of strings"),
    ({"ns": {"NS": "123"}}, "ns", "NS holds '123', not a list of numbers' text"),
    ({"ns": {"NS": ["1", "x"]}}, "ns", "NS holds 'x', which is not a number"),
    ({"bs": {"BS": ["QUJD", "%%%"]}}, "bs", "BS holds '%%%', which is not base64"),
    ({"bs": {"BS": "QUJD"}}, "bs", "BS holds 'QUJD', not a list of base64 text"),
    ({"m": {"M": "x"}}, "m", "M holds 'x', not a JSON object"),
    ({"m": {"M": [1]}}, "m", "M holds list [1], not a JSON object"),
    ({"e": {}}, "e", "an attribute value has one type tag, not 0 (none)"),
    ({"e": "plain"}, "e", "an attribute value is a JSON object with one type tag, not 'plain'"),
    ({"e": None}, "e", "an attribute value is a JSON object with one type tag, not null None"),
    (
        {"ok": {"S": "a"}, "doc": {"M": {"list": {"L": [{"S": "a"}, {"NS": ["1"]}, {"N": "?"}]}}}},
        "doc.list[2]",
        "N holds '?', which is not a number",
    ),
    (
        {"doc": {"M": {"a": {"M": {"b": {"L": [{"L": [{"B": "!"}]}]}}}}}},
        "doc.a.b[0][0]",
        "B holds '!', which is not base64",
    ),
]


@pytest.mark.parametrize("dynamizer", DYNAMIZERS, ids=lambda d: type(d).__name__)
@pytest.mark.parametrize(
    ("item", "attribute", "problem"), MALFORMED, ids=[case[1] + ":" + case[2] for case in MALFORMED]
)
def test_a_malformed_value_names_the_attribute_and_the_problem(
    dynamizer: Dynamizer, item: dict[str, Any], attribute: str, problem: str
) -> None:
    with pytest.raises(MalformedResponseError) as raised:
        dynamizer.decode_item(item, operation="Scan")

    error = raised.value
    assert error.attribute == attribute
    assert error.operation == "Scan"
    assert error.problem == problem
    assert str(error) == f"malformed attribute {attribute!r} in the response to Scan: {problem}"
    assert isinstance(error, DynamoDBError)
    assert isinstance(error, ValueError)
    assert error.__cause__ is not None  # what the decoder met, kept for debugging


def test_an_item_that_is_not_an_object_is_malformed() -> None:
    with pytest.raises(MalformedResponseError, match="an item is a JSON object") as raised:
        Dynamizer().decode_item(["id", "a"])  # type: ignore[arg-type]

    assert raised.value.attribute is None
    assert str(raised.value).startswith("malformed item in a response: ")


def test_a_native_number_dynamizer_names_a_number_it_cannot_read() -> None:
    with pytest.raises(MalformedResponseError) as raised:
        NativeNumberDynamizer().decode_item({"a": {"N": "1.5x"}})

    assert raised.value.attribute == "a"
    assert "not a number" in raised.value.problem


def test_decode_of_one_value_names_the_path_inside_it() -> None:
    with pytest.raises(MalformedResponseError) as raised:
        Dynamizer().decode({"L": [{"S": "a"}, {"M": {"x": {"N": "?"}}}]}, operation="GetItem")

    assert raised.value.attribute == "[1].x"
    assert raised.value.operation == "GetItem"


def test_the_error_pickles_with_its_facts() -> None:
    error = MalformedResponseError("N holds '?'", attribute="a.b[0]", operation="Query")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is MalformedResponseError
    assert (copy.problem, copy.attribute, copy.operation) == ("N holds '?'", "a.b[0]", "Query")
    assert str(copy) == str(error)


def test_well_formed_values_still_decode() -> None:
    item = {
        "s": {"S": "a"},
        "n": {"N": "1.5"},
        "b": {"B": "QUJD"},
        "ss": {"SS": ["a"]},
        "ns": {"NS": ["2"]},
        "bs": {"BS": ["QUJD"]},
        "l": {"L": []},
        "m": {"M": {}},
        "null": {"NULL": True},
        "bool": {"BOOL": False},
    }

    assert Dynamizer().decode_item(item) == {
        "s": "a",
        "n": Decimal("1.5"),
        "b": b"ABC",
        "ss": {"a"},
        "ns": {Decimal(2)},
        "bs": {b"ABC"},
        "l": [],
        "m": {},
        "null": None,
        "bool": False,
    }


# --------------------------------------------------------------------------- any garbage

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["S", "N", "B", "SS", "NS", "BS", "L", "M", "NULL", "BOOL", "x"]),
            children,
            max_size=2,
        )
    ),
    max_leaves=12,
)


@settings(suppress_health_check=[HealthCheck.too_slow])  # the first text draw builds a cache
@given(item=st.dictionaries(st.text(alphabet="abc", max_size=3), json_values, max_size=4))
def test_any_json_either_decodes_or_raises_malformed_response_error(item: dict[str, Any]) -> None:
    for dynamizer in DYNAMIZERS:
        raised: MalformedResponseError | None = None
        try:
            dynamizer.decode_item(item)
        except MalformedResponseError as error:
            raised = error
        if raised is not None:
            assert raised.problem
            assert raised.attribute is None or raised.attribute.split(".")[0].split("[")[0] in item


# --------------------------------------------------------------------------- through Table


def _table_answering(item: dict[str, Any]) -> Table:
    def answer(request: HttpRequest) -> HttpResponse:
        if request.operation == "GetItem":
            return HttpResponse(200, {}, json.dumps({"Item": item}).encode())
        return HttpResponse(200, {}, json.dumps({"Items": [item], "Count": 1}).encode())

    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_botocore_session(),
        transport=answer,
    )
    return Table("things", schema=[HashKey("id")], connection=connection)


@pytest.mark.parametrize(
    "bad",
    [{"M": "x"}, {"N": "not-a-number"}, {"Q": 1}, {"B": "!!"}],
    ids=["attribute-error", "invalid-operation", "key-error", "binascii-error"],
)
def test_reading_a_malformed_item_raises_malformed_response_error(bad: dict[str, Any]) -> None:
    # Each of these used to escape as the bare error its id names.
    table = _table_answering({"id": {"S": "a"}, "bad": bad})

    item = table.get_item(id="a")
    with pytest.raises(MalformedResponseError) as raised:
        item["bad"]
    assert raised.value.attribute == "bad"
    with pytest.raises(MalformedResponseError):
        [dict(scanned) for scanned in table.scan()]


# --------------------------------------------------------------------------- malformed pages
# A page's own fields (Items, LastEvaluatedKey, Count, ConsumedCapacity, BatchGetItem's
# Responses and UnprocessedKeys) used to escape as TypeError, AttributeError, KeyError or
# ValueError ("Items": null, "UnprocessedKeys": {"things": "x"}), or worse were taken
# silently ("Items": "x" iterated as items "x"...).

#: (case, page body, the field named, words of the problem) for Query and Scan pages.
MALFORMED_PAGES: list[tuple[str, dict[str, Any], str, str]] = [
    ("items-null", {"Items": None, "Count": 0}, "Items", "is null, not a list"),
    ("items-text", {"Items": "x", "Count": 1}, "Items", "is a string, not a list"),
    ("items-object", {"Items": {"id": {"S": "a"}}}, "Items", "is an object, not a list"),
    (
        "item-not-an-object",
        {"Items": [{"id": {"S": "a"}}, 1]},
        "Items",
        "item 1 is a number, not an object",
    ),
    (
        "last-key-text",
        {"Items": [], "LastEvaluatedKey": "x"},
        "LastEvaluatedKey",
        "is a string, not a key",
    ),
    (
        "last-key-list",
        {"Items": [], "LastEvaluatedKey": [1]},
        "LastEvaluatedKey",
        "is a list, not a key",
    ),
    (
        "last-key-bad-value",
        {"Items": [], "LastEvaluatedKey": {"id": {"N": "x"}}},
        "LastEvaluatedKey",
        "N holds 'x', which is not a number",
    ),
    ("count-text", {"Items": [], "Count": "x"}, "Count", "is a string, not a whole number"),
    ("count-null", {"Items": [], "Count": None}, "Count", "is null, not a whole number"),
    (
        "scanned-count-negative",
        {"Items": [], "ScannedCount": -1},
        "ScannedCount",
        "is not a whole number of 0 or more",
    ),
    (
        "capacity-text",
        {"Items": [], "ConsumedCapacity": "x"},
        "ConsumedCapacity",
        "is a string, not capacity entries",
    ),
    (
        "capacity-units-text",
        {"Items": [], "ConsumedCapacity": [{"CapacityUnits": "x"}]},
        "ConsumedCapacity[0].CapacityUnits",
        "is a string, not a number",
    ),
]

#: (case, BatchGetItem body, the field named, words of the problem).
MALFORMED_BATCH_PAGES: list[tuple[str, dict[str, Any], str, str]] = [
    ("responses-text", {"Responses": "x"}, "Responses", "is a string, not an object"),
    (
        "table-responses-text",
        {"Responses": {"things": "x"}},
        "Responses.things",
        "is a string, not a list",
    ),
    (
        "table-responses-null",
        {"Responses": {"things": None}},
        "Responses.things",
        "is null, not a list",
    ),
    (
        "response-not-an-object",
        {"Responses": {"things": [1]}},
        "Responses.things",
        "item 0 is a number, not an object",
    ),
    ("unprocessed-text", {"UnprocessedKeys": "x"}, "UnprocessedKeys", "is a string, not an object"),
    (
        "table-unprocessed-text",
        {"UnprocessedKeys": {"things": "x"}},
        "UnprocessedKeys.things",
        "is a string, not an object ({'Keys': [keys]})",
    ),
    (
        "unprocessed-keys-text",
        {"UnprocessedKeys": {"things": {"Keys": "x"}}},
        "UnprocessedKeys.things.Keys",
        "is a string, not a list",
    ),
    (
        "unprocessed-key-not-an-object",
        {"UnprocessedKeys": {"things": {"Keys": [{"id": {"S": "b"}}, 7]}}},
        "UnprocessedKeys.things",
        "Keys holds a number, not a key",
    ),
    (
        "unprocessed-key-empty",
        {"UnprocessedKeys": {"things": {"Keys": [{}]}}},
        "UnprocessedKeys.things",
        "Keys holds an empty object, not a key",
    ),
    (
        "unprocessed-key-bad-value",
        {"UnprocessedKeys": {"things": {"Keys": [{"id": {"Q": 1}}]}}},
        "UnprocessedKeys.things",
        "unknown type tag 'Q'",
    ),
    (
        "capacity-text",
        {"Responses": {"things": []}, "ConsumedCapacity": "x"},
        "ConsumedCapacity",
        "is a string, not capacity entries",
    ),
]


def _answering(body: dict[str, Any]) -> Callable[[HttpRequest], HttpResponse]:
    def answer(request: HttpRequest) -> HttpResponse:
        if request.operation == "DescribeTable":  # pragma: no cover - the schema is given
            raise AssertionError("no DescribeTable expected")
        return HttpResponse(200, {}, json.dumps(body).encode())

    return answer


def _sync_table(body: dict[str, Any]) -> Table:
    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_botocore_session(),
        transport=_answering(body),
    )
    return Table("things", schema=[HashKey("id")], connection=connection)


def _async_table(body: dict[str, Any]) -> Any:
    from dynamodb2.aio import AsyncConnection, AsyncTable

    answer = _answering(body)

    async def transport(request: HttpRequest) -> HttpResponse:
        return answer(request)

    connection = AsyncConnection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        session=shared_botocore_session(),
        transport=transport,
    )
    return AsyncTable("things", schema=[HashKey("id")], connection=connection)


def _check(raised: pytest.ExceptionInfo[MalformedResponseError], field: str, words: str) -> None:
    assert raised.value.field == field
    assert words in str(raised.value)
    assert f"field {field!r}" in str(raised.value)


SYNC_READERS: dict[str, Any] = {
    "scan": lambda table: list(table.scan()),
    "query_2": lambda table: list(table.query_2(id__eq="a")),
    "parallel_scan": lambda table: list(table.parallel_scan(total_segments=2)),
    "scan-with-capacity": lambda table: list(table.scan(return_consumed_capacity="TOTAL")),
}


async def _collect(results: Any) -> list[Any]:
    return [item async for item in results]


ASYNC_READERS: dict[str, Any] = {
    "scan": lambda table: _collect(table.scan()),
    "query_2": lambda table: _collect(table.query_2(id__eq="a")),
    "parallel_scan": lambda table: _collect(table.parallel_scan(total_segments=2)),
    "scan-with-capacity": lambda table: _collect(table.scan(return_consumed_capacity="TOTAL")),
}


@pytest.mark.parametrize("reader", list(SYNC_READERS))
@pytest.mark.parametrize(
    ("body", "field", "words"),
    [pytest.param(body, field, words, id=case) for case, body, field, words in MALFORMED_PAGES],
)
def test_a_malformed_page_raises_malformed_response_error_naming_the_field(
    reader: str, body: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(MalformedResponseError) as raised:
        SYNC_READERS[reader](_sync_table(body))

    _check(raised, field, words)
    assert raised.value.operation in ("Query", "Scan")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("reader", list(ASYNC_READERS))
@pytest.mark.parametrize(
    ("body", "field", "words"),
    [pytest.param(body, field, words, id=case) for case, body, field, words in MALFORMED_PAGES],
)
async def test_a_malformed_page_raises_malformed_response_error_in_async_result_sets(
    reader: str, body: dict[str, Any], field: str, words: str
) -> None:
    table = _async_table(body)
    with pytest.raises(MalformedResponseError) as raised:
        await ASYNC_READERS[reader](table)
    await table.connection.close()

    _check(raised, field, words)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        pytest.param({"Count": "x"}, "Count", "is a string, not a whole number", id="count-text"),
        pytest.param({"Count": None}, "Count", "is null, not a whole number", id="count-null"),
        pytest.param(
            {"Count": True}, "Count", "is true or false, not a whole number", id="count-boolean"
        ),
        pytest.param(
            {"Count": 1.5}, "Count", "is not a whole number of 0 or more", id="count-fraction"
        ),
        pytest.param(
            {"Count": 1, "LastEvaluatedKey": "x"}, "LastEvaluatedKey", "is a string, not a key"
        ),
    ],
)
def test_query_count_of_a_malformed_page_raises_malformed_response_error(
    body: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(MalformedResponseError) as raised:
        _sync_table(body).query_count(id__eq="a")

    _check(raised, field, words)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_async_query_count_of_a_malformed_page_raises_malformed_response_error() -> None:
    table = _async_table({"Count": "x"})
    with pytest.raises(MalformedResponseError) as raised:
        await table.query_count(id__eq="a")
    await table.connection.close()

    _check(raised, "Count", "is a string, not a whole number")


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        pytest.param(body, field, words, id=case)
        for case, body, field, words in MALFORMED_BATCH_PAGES
    ],
)
def test_a_malformed_batch_get_page_raises_malformed_response_error_naming_the_field(
    body: dict[str, Any], field: str, words: str
) -> None:
    table = _sync_table(body)
    with pytest.raises(MalformedResponseError) as raised:
        list(table.batch_get(keys=[{"id": "a"}], return_consumed_capacity="TOTAL"))

    _check(raised, field, words)
    assert raised.value.operation == "BatchGetItem"


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        pytest.param(body, field, words, id=case)
        for case, body, field, words in MALFORMED_BATCH_PAGES
    ],
)
async def test_a_malformed_batch_get_page_raises_malformed_response_error_in_async(
    body: dict[str, Any], field: str, words: str
) -> None:
    table = _async_table(body)
    with pytest.raises(MalformedResponseError) as raised:
        await _collect(table.batch_get(keys=[{"id": "a"}], return_consumed_capacity="TOTAL"))
    await table.connection.close()

    _check(raised, field, words)


def test_well_formed_pages_without_optional_fields_still_read() -> None:
    # DynamoDB leaves out LastEvaluatedKey on the last page, and Items under
    # Select=COUNT; a BatchGetItem may leave out UnprocessedKeys.
    assert list(_sync_table({"Count": 0}).scan()) == []
    assert _sync_table({"Count": 3}).query_count(id__eq="a") == 3
    assert _sync_table({"Count": 3.0}).query_count(id__eq="a") == 3  # boto 2's mocks
    assert list(_sync_table({"Responses": {}}).batch_get(keys=[{"id": "a"}])) == []
    page = {"Items": [{"id": {"S": "a"}}], "Count": 1, "ScannedCount": 1, "LastEvaluatedKey": {}}
    assert [item["id"] for item in _sync_table(page).scan()] == ["a"]


def test_the_field_survives_pickling() -> None:
    error = MalformedResponseError("is a string, not a list", field="Items", operation="Scan")

    restored = pickle.loads(pickle.dumps(error))

    assert restored.field == "Items"
    assert (
        str(restored)
        == str(error)
        == ("malformed field 'Items' in the response to Scan: is a string, not a list")
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param({"UnprocessedItems": "x"}, "is a string, not an object", id="text"),
        pytest.param(
            {"UnprocessedItems": {"things": "x"}}, "is a string, not a list", id="table-text"
        ),
        pytest.param(
            {"UnprocessedItems": {"things": None}}, "is null, not a list", id="table-null"
        ),
        pytest.param(
            {"UnprocessedItems": {"things": [1]}},
            "holds a number, not a write",
            id="request-not-object",
        ),
        pytest.param(
            {"UnprocessedItems": {"things": [{"PutRequest": {}, "DeleteRequest": {}}]}},
            "holds an object of 2 fields, not a write",
            id="request-of-two-writes",
        ),
    ],
)
def test_a_malformed_batch_write_answer_keeps_the_writes_and_names_the_field(
    body: dict[str, Any], words: str
) -> None:
    from dynamodb2.exceptions import BatchWriteError

    table = _sync_table(body)
    batch = table.batch_write()
    batch.put_item({"id": "a"})

    with pytest.raises(BatchWriteError) as raised:
        batch.flush()

    cause = raised.value.__cause__
    assert isinstance(cause, MalformedResponseError)
    assert cause.field in ("UnprocessedItems", "UnprocessedItems.things")
    assert words in str(cause)
    # Not known to be written: kept, and handed back with the error.
    assert raised.value.unsent_requests == [{"PutRequest": {"Item": {"id": {"S": "a"}}}}]
    assert batch.sent == 0


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_a_malformed_batch_write_answer_keeps_the_writes_in_async_batches() -> None:
    from dynamodb2.exceptions import BatchWriteError

    table = _async_table({"UnprocessedItems": {"things": "x"}})
    batch = table.batch_write()
    await batch.put_item({"id": "a"})

    with pytest.raises(BatchWriteError) as raised:
        await batch.flush()
    await table.connection.close()

    assert isinstance(raised.value.__cause__, MalformedResponseError)
    assert raised.value.__cause__.field == "UnprocessedItems.things"
    assert raised.value.unsent_requests == [{"PutRequest": {"Item": {"id": {"S": "a"}}}}]


#: Malformed fields holding text a request may have held: (reader, body).
SECRET: Final = "s3cr3t-value"
ECHOING_PAGES: list[tuple[str, dict[str, Any]]] = [
    ("scan", {"Items": SECRET}),
    ("scan", {"Items": [{"id": {"S": "a"}}, SECRET]}),
    ("scan", {"Items": [], "Count": SECRET}),
    ("scan", {"Items": [], "LastEvaluatedKey": SECRET}),
    ("scan", {"Items": [], "ConsumedCapacity": SECRET}),
    ("scan", {"Items": [], "ConsumedCapacity": [{"CapacityUnits": SECRET}]}),
    ("query_count", {"Count": SECRET}),
    ("batch_get", {"Responses": {"things": SECRET}}),
    ("batch_get", {"UnprocessedKeys": {"things": {"Keys": [SECRET]}}}),
    ("batch_write", {"UnprocessedItems": {"things": [SECRET]}}),
]


def _write_one(table: Table) -> None:
    with table.batch_write() as batch:
        batch.put_item({"id": "a"})


ECHO_READERS: dict[str, Callable[[Table], object]] = {
    "scan": lambda table: list(table.scan()),
    "query_count": lambda table: table.query_count(id__eq="a"),
    "batch_get": lambda table: list(table.batch_get(keys=[{"id": "a"}])),
    "batch_write": _write_one,
}


@pytest.mark.parametrize(("reader", "body"), ECHOING_PAGES)
def test_a_malformed_page_names_the_type_found_never_the_value(
    reader: str, body: dict[str, Any]
) -> None:
    # A value may echo what the request held (docs/reliability.md): never shown.
    table = _sync_table(body)
    with pytest.raises(DynamoDBError) as raised:
        ECHO_READERS[reader](table)

    error = raised.value
    malformed = error if isinstance(error, MalformedResponseError) else error.__cause__
    assert isinstance(malformed, MalformedResponseError)
    assert "is a string" in str(malformed) or "holds a string" in str(malformed)
    assert SECRET not in str(malformed)
    assert SECRET not in str(error)
