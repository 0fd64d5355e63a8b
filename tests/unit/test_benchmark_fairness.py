"""The benchmarks compare like with like: the same bytes give the same items to every side.

``benchmarks/`` times dynamodb2 beside boto3, PynamoDB and aiodynamo on canned responses.
These tests run the benchmark's own canned DynamoDB (registered on one botocore session,
not globally; aiodynamo's through its HTTP callable; dynamodb2's through its transport
seam, as the benchmark drives it) and check that what each library makes of a response,
or sends in a request, is the same data; so a speed difference is not a difference in
work.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

# The benchmarks' rivals come with the [dev] extra; [test] alone skips this module.
pytest.importorskip("pynamodb", reason="the benchmarks need PynamoDB: pip install -e '.[dev]'")
pytest.importorskip("aiodynamo", reason="the benchmarks need aiodynamo: pip install -e '.[dev]'")

import boto3
import botocore.session
from aiodynamo.client import Client
from aiodynamo.expressions import HashKey as AiodynamoHashKey
from aiodynamo.models import BatchGetRequest, BatchWriteRequest
from benchmarks.canned import CannedDynamoDB
from benchmarks.data import BATCH_GET_KEYS, HASH_KEY, PARTITION, RANGE_KEY, TABLE_NAME, native_item
from benchmarks.micro import ACCESS_KEY, REGION, SECRET_KEY, install_answers
from benchmarks.offline_aiodynamo import canned_client, run
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


@pytest.fixture
def aiodynamo(canned: CannedDynamoDB) -> Client:
    return canned_client(canned, region=REGION, access_key=ACCESS_KEY, secret_key=SECRET_KEY)


@pytest.fixture
def seam_table(canned: CannedDynamoDB) -> Table:
    """The table as the benchmark times it: answered through dynamodb2's transport seam."""
    connection = Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        transport=canned.transport,
    )
    return Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=connection,
    )


def test_the_transport_seam_gives_the_same_items_as_the_before_send_event(
    table: Table, seam_table: Table
) -> None:
    by_event = [dict(item.items()) for item in table.query_2(pk__eq=PARTITION)]
    by_seam = [dict(item.items()) for item in seam_table.query_2(pk__eq=PARTITION)]

    assert by_seam == by_event
    assert dict(seam_table.get_item(pk=PARTITION, sk=1).items()) == native_item(1)


def test_aiodynamo_decodes_every_canned_response_to_the_same_items(
    seam_table: Table, aiodynamo: Client
) -> None:
    query = run(aiodynamo.query_single_page(TABLE_NAME, AiodynamoHashKey(HASH_KEY, PARTITION)))
    scan = run(aiodynamo.scan_single_page(TABLE_NAME))
    got = run(aiodynamo.get_item(TABLE_NAME, {HASH_KEY: PARTITION, RANGE_KEY: 1}))
    keys = [{HASH_KEY: PARTITION, RANGE_KEY: index} for index in range(BATCH_GET_KEYS)]
    batch = run(aiodynamo.batch_get({TABLE_NAME: BatchGetRequest(keys)}))

    expected = [native_item(index) for index in range(1000)]
    assert query.items == expected  # numbers as Decimal, as boto3 and dynamodb2 give them
    assert scan.items == expected
    assert got == native_item(1)
    assert batch.items[TABLE_NAME] == expected[:BATCH_GET_KEYS]
    ours = [dict(item.items()) for item in seam_table.batch_get(keys=keys)]
    assert sorted(ours, key=lambda item: item[RANGE_KEY]) == batch.items[TABLE_NAME]


def test_aiodynamo_sends_the_same_items_as_dynamodb2(
    seam_table: Table, aiodynamo: Client, canned: CannedDynamoDB
) -> None:
    items = [native_item(index) for index in range(25)]

    with seam_table.batch_write() as batch:
        for item in items:
            batch.put_item(data=item)
    ours = json.loads(canned.last_request["BatchWriteItem"])
    run(aiodynamo.batch_write({TABLE_NAME: BatchWriteRequest(items_to_put=items)}))
    theirs = json.loads(canned.last_request["BatchWriteItem"])
    seam_table.put_item(data=items[0], overwrite=True)
    our_put = json.loads(canned.last_request["PutItem"])["Item"]
    run(aiodynamo.put_item(TABLE_NAME, items[0]))
    their_put = json.loads(canned.last_request["PutItem"])["Item"]

    def sent(body: dict[str, Any]) -> list[dict[str, Any]]:
        requests = body["RequestItems"][TABLE_NAME]
        return sorted(
            (_deserialize(request["PutRequest"]["Item"]) for request in requests),
            key=lambda item: item[RANGE_KEY],
        )

    assert sent(ours) == sent(theirs) == items
    assert _deserialize(our_put) == _deserialize(their_put) == items[0]


def test_aiodynamo_is_driven_without_an_event_loop_only_when_it_never_waits() -> None:
    async def waits() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="cannot be driven offline"):
        run(waits())
