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
from decimal import Decimal
from typing import Any

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
