"""The benchmarks compare like with like: the same bytes give the same items to both sides.

``benchmarks/`` times dynamodb2 beside boto3 on canned responses. These tests run the
benchmark's own canned DynamoDB (registered on one botocore session, not globally) and
check that what each library makes of a response, or sends in a request, is the same
data; so a speed difference is not a difference in work.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

# The benchmarks' rivals come with the [dev] extra; [test] alone skips this module.
pytest.importorskip("pynamodb", reason="the benchmarks need PynamoDB: pip install -e '.[dev]'")

import boto3
import botocore.session
from benchmarks.canned import CannedDynamoDB
from benchmarks.data import HASH_KEY, PARTITION, RANGE_KEY, TABLE_NAME, native_item
from benchmarks.micro import REGION, install_answers
from boto3.dynamodb.conditions import Key
from boto3.dynamodb.types import TypeDeserializer

from dynamodb2 import Connection, Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.types import NUMBER

_deserializer = TypeDeserializer()


def _deserialize(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


@pytest.fixture
def canned() -> CannedDynamoDB:
    canned = CannedDynamoDB()
    install_answers(canned)
    return canned


def _session_answered_by(canned: CannedDynamoDB) -> botocore.session.Session:
    session = botocore.session.Session()
    # botocore-stubs type handlers as returning None; before-send ones return responses.
    session.register("before-send.dynamodb", canned)  # type: ignore[arg-type]
    return session


@pytest.fixture
def table(canned: CannedDynamoDB) -> Table:
    connection = Connection(region_name=REGION, session=_session_answered_by(canned))
    return Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=connection,
    )


@pytest.fixture
def boto3_table(canned: CannedDynamoDB) -> Any:
    session = boto3.session.Session(
        region_name=REGION, botocore_session=_session_answered_by(canned)
    )
    return session.resource("dynamodb").Table(TABLE_NAME)


def test_query_page_decodes_to_the_same_items_through_dynamodb2_and_boto3(
    table: Table, boto3_table: Any, canned: CannedDynamoDB
) -> None:
    ours = [dict(item.items()) for item in table.query_2(pk__eq=PARTITION)]
    theirs = boto3_table.query(KeyConditionExpression=Key(HASH_KEY).eq(PARTITION))["Items"]

    assert canned.calls["Query"] == 2
    assert len(ours) == 1000
    assert ours == theirs
    assert ours == [native_item(index) for index in range(1000)]


def test_get_item_response_decodes_to_the_same_item_through_dynamodb2_and_boto3(
    table: Table, boto3_table: Any
) -> None:
    ours = dict(table.get_item(pk=PARTITION, sk=1).items())
    theirs = boto3_table.get_item(Key={HASH_KEY: PARTITION, RANGE_KEY: 1})["Item"]

    assert ours == theirs == native_item(1)


def test_batch_write_sends_the_same_items_from_dynamodb2_and_boto3(
    table: Table, boto3_table: Any, canned: CannedDynamoDB
) -> None:
    items = [native_item(index) for index in range(25)]

    with table.batch_write() as batch:
        for item in items:
            batch.put_item(data=item)
    ours = json.loads(canned.last_request["BatchWriteItem"])
    with boto3_table.batch_writer() as writer:
        for item in items:
            writer.put_item(Item=item)
    theirs = json.loads(canned.last_request["BatchWriteItem"])

    def sent(body: dict[str, Any]) -> list[dict[str, Any]]:
        requests = body["RequestItems"][TABLE_NAME]
        return sorted(
            (_deserialize(request["PutRequest"]["Item"]) for request in requests),
            key=lambda item: item[RANGE_KEY],
        )

    assert sent(ours) == sent(theirs) == items
