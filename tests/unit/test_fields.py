"""Key fields and indexes: definition() and schema() give what boto 2's fields.py gave,
and malformed fields are refused when built."""

from __future__ import annotations

from typing import Any
from unittest import mock

import attrs
import pytest

from dynamodb2.exceptions import ParameterValidationError, RequestValidationError
from dynamodb2.fields import (
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
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.types import BINARY, NUMBER, STRING

USERNAME = {"AttributeName": "username", "AttributeType": "S"}
JOINED = {"AttributeName": "date_joined", "AttributeType": "N"}
KEY_SCHEMA = [
    {"AttributeName": "username", "KeyType": "HASH"},
    {"AttributeName": "date_joined", "KeyType": "RANGE"},
]


def parts() -> list[Any]:
    return [HashKey("username"), RangeKey("date_joined", data_type=NUMBER)]


# --------------------------------------------------------------------------- key fields


@pytest.mark.parametrize(
    ("field", "definition", "schema"),
    [
        (
            HashKey("username"),
            {"AttributeName": "username", "AttributeType": "S"},
            {"AttributeName": "username", "KeyType": "HASH"},
        ),
        (
            HashKey("id", data_type=NUMBER),
            {"AttributeName": "id", "AttributeType": "N"},
            {"AttributeName": "id", "KeyType": "HASH"},
        ),
        (
            RangeKey("date_joined", data_type=NUMBER),
            {"AttributeName": "date_joined", "AttributeType": "N"},
            {"AttributeName": "date_joined", "KeyType": "RANGE"},
        ),
        (
            RangeKey("blob", BINARY),  # boto 2 took data_type positionally too
            {"AttributeName": "blob", "AttributeType": "B"},
            {"AttributeName": "blob", "KeyType": "RANGE"},
        ),
    ],
)
def test_key_field_definition_and_schema_match_boto2(
    field: HashKey | RangeKey, definition: dict[str, str], schema: dict[str, str]
) -> None:
    assert field.definition() == definition
    assert field.schema() == schema


def test_key_fields_keep_boto2s_attributes() -> None:
    key = RangeKey("date_joined", data_type=NUMBER)

    assert (key.name, key.data_type, key.attr_type) == ("date_joined", "N", "RANGE")
    assert HashKey("username").data_type == STRING
    assert HashKey.attr_type == "HASH"


def test_key_fields_are_frozen_values() -> None:
    same_name: list[BaseSchemaField] = [HashKey("a"), RangeKey("a")]
    assert same_name[0] == HashKey("a")
    assert same_name[0] != same_name[1]
    assert len({HashKey("a"), HashKey("a"), HashKey("b")}) == 2
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        HashKey("a").name = "b"  # type: ignore[misc]


@pytest.mark.parametrize("data_type", ["X", "SS", "BOOL", "s", ""])
def test_key_field_with_a_non_key_data_type_is_refused(data_type: str) -> None:
    with pytest.raises(ValueError, match="data_type"):
        HashKey("id", data_type=data_type)


@pytest.mark.parametrize("name", ["", None, 5])
def test_key_field_without_a_name_is_refused(name: Any) -> None:
    with pytest.raises(ValueError, match="name"):
        HashKey(name)


# --------------------------------------------------------------------------- local indexes


@pytest.mark.parametrize(
    ("index", "projection"),
    [
        (AllIndex("MostRecentlyJoined", parts=parts()), {"ProjectionType": "ALL"}),
        (KeysOnlyIndex("MostRecentlyJoined", parts=parts()), {"ProjectionType": "KEYS_ONLY"}),
        (
            IncludeIndex("MostRecentlyJoined", parts=parts(), includes=["gender", "age"]),
            {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["gender", "age"]},
        ),
        (
            IncludeIndex("MostRecentlyJoined", parts=parts()),
            {"ProjectionType": "INCLUDE", "NonKeyAttributes": []},
        ),
    ],
)
def test_local_index_definition_and_schema_match_boto2(
    index: BaseIndexField, projection: dict[str, Any]
) -> None:
    assert index.definition() == [USERNAME, JOINED]
    assert index.schema() == {
        "IndexName": "MostRecentlyJoined",
        "KeySchema": KEY_SCHEMA,
        "Projection": projection,
    }


def test_index_with_a_hash_key_only() -> None:
    index = KeysOnlyIndex("ByName", parts=[HashKey("username")])

    assert index.definition() == [USERNAME]
    assert index.schema()["KeySchema"] == [{"AttributeName": "username", "KeyType": "HASH"}]


def test_include_index_keeps_boto2s_includes_fields() -> None:
    index = IncludeIndex("GenderIndex", parts=parts(), includes=["gender"])

    assert index.includes_fields == ["gender"]
    assert index.projection_type == "INCLUDE"
    assert list(index.parts) == parts()


# --------------------------------------------------------------------------- global indexes


@pytest.mark.parametrize(
    ("cls", "projection"),
    [
        (GlobalAllIndex, {"ProjectionType": "ALL"}),
        (GlobalKeysOnlyIndex, {"ProjectionType": "KEYS_ONLY"}),
        (GlobalIncludeIndex, {"ProjectionType": "INCLUDE", "NonKeyAttributes": []}),
    ],
)
def test_global_index_defaults_to_boto2s_five_and_five(
    cls: type[GlobalBaseIndexField], projection: dict[str, Any]
) -> None:
    index = cls("MostRecentlyJoined", parts=parts())

    assert index.definition() == [USERNAME, JOINED]
    assert index.schema() == {
        "IndexName": "MostRecentlyJoined",
        "KeySchema": KEY_SCHEMA,
        "Projection": projection,
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    }


@pytest.mark.parametrize("cls", [GlobalAllIndex, GlobalKeysOnlyIndex, GlobalIncludeIndex])
def test_global_index_carries_its_throughput(cls: type[GlobalBaseIndexField]) -> None:
    index = cls("MostRecentlyJoined", parts=parts(), throughput={"read": 2, "write": 1})

    assert index.schema()["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 2,
        "WriteCapacityUnits": 1,
    }


def test_global_include_index_carries_both_includes_and_throughput() -> None:
    index = GlobalIncludeIndex(
        "GenderIndex",
        parts=parts(),
        includes=["gender"],
        throughput={"read": 2, "write": 1},
    )

    assert index.schema() == {
        "IndexName": "GenderIndex",
        "KeySchema": KEY_SCHEMA,
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["gender"]},
        "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1},
    }
    assert index.includes_fields == ["gender"]
    assert isinstance(index, IncludeIndex)
    assert isinstance(index, GlobalBaseIndexField)


def test_throughput_numbers_are_converted_to_int_as_boto2_did() -> None:
    index = GlobalAllIndex("G", parts=parts(), throughput={"read": "3", "write": 4.0})

    assert index.schema()["ProvisionedThroughput"] == {
        "ReadCapacityUnits": 3,
        "WriteCapacityUnits": 4,
    }


@pytest.mark.parametrize("cls", [GlobalAllIndex, GlobalKeysOnlyIndex, GlobalIncludeIndex])
def test_throughput_none_means_boto2s_default_of_five_and_five(
    cls: type[GlobalBaseIndexField],
) -> None:
    # boto 2 kept its class default when given throughput=None; legacy code relies on it.
    schema = cls("Legacy", parts=parts(), throughput=None).schema()

    assert schema["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}


@pytest.mark.parametrize("throughput", [{"read": 5}, {"write": 5}, {"read": "many", "write": 1}])
def test_malformed_throughput_is_refused(throughput: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="throughput"):
        GlobalAllIndex("G", parts=parts(), throughput=throughput)


# --------------------------------------------------------------------------- malformed parts


@pytest.mark.parametrize(
    ("bad_parts", "error"),
    [
        ([], ValueError),
        ([HashKey("a"), RangeKey("b"), RangeKey("c")], ValueError),
        (["username"], ParameterValidationError),
        ([HashKey("a"), {"AttributeName": "b"}], ParameterValidationError),
    ],
    ids=["zero", "three", "a-string", "a-dict"],
)
@pytest.mark.parametrize("cls", [AllIndex, KeysOnlyIndex, IncludeIndex, GlobalAllIndex])
def test_index_parts_must_be_one_or_two_key_fields(
    cls: type[BaseIndexField], bad_parts: list[Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match="parts"):
        cls("Index", parts=bad_parts)


@pytest.mark.parametrize(
    "bad_parts",
    [
        [RangeKey("joined"), HashKey("username")],
        [RangeKey("joined")],
        [HashKey("a"), HashKey("b")],
    ],
    ids=["range-first", "range-only", "two-hashes"],
)
@pytest.mark.parametrize(
    ("cls", "keyword"), [(AllIndex, "indexes"), (GlobalAllIndex, "global_indexes")]
)
def test_index_parts_out_of_order_are_refused_by_create_before_sending(
    cls: type[BaseIndexField], keyword: str, bad_parts: list[Any]
) -> None:
    # boto 2 code may describe an index loosely on a Table it only reads from (as boto
    # 2's own tests do); DynamoDB refuses such an index key when the table is created.
    index = cls("Index", parts=bad_parts)
    connection = mock.create_autospec(DynamoDBConnection, instance=True)

    local, global_ = ([index], None) if keyword == "indexes" else (None, [index])

    with pytest.raises(RequestValidationError, match="its parts must be"):
        Table.create(
            "t", [HashKey("u")], indexes=local, global_indexes=global_, connection=connection
        )

    connection.create_table.assert_not_called()


@pytest.mark.parametrize("includes", ["gender", ["gender", 5], [""]])
@pytest.mark.parametrize("cls", [IncludeIndex, GlobalIncludeIndex])
def test_includes_must_be_a_list_of_names(cls: type[IncludeIndex], includes: Any) -> None:
    with pytest.raises(ParameterValidationError, match="includes"):
        cls("GenderIndex", parts=parts(), includes=includes)


def test_index_without_a_name_is_refused() -> None:
    with pytest.raises(ValueError, match="name"):
        AllIndex("", parts=parts())
