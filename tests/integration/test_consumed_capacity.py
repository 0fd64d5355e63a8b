"""Opt-in consumed capacity on reads and writes; boto 2's plain results when not asked."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2.capacity import WriteResult
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.table import Table
from dynamodb2.types import NUMBER
from tests.support.backends import Backend
from tests.support.fakes import ScriptedTransport, json_response, quiet_connection
from tests.support.feature_support import create_table


@pytest.fixture
def events(backend: Backend) -> Table:
    table = create_table(backend, "events", [HashKey("user"), RangeKey("at", data_type=NUMBER)])
    with table.batch_write() as batch:
        for at in range(1, 11):
            batch.put_item(data={"user": "ada", "at": at, "body": "x" * 100})
    return table


def test_writes_without_capacity_return_plain_true(events: Table) -> None:
    assert events.put_item({"user": "bob", "at": 1}) is True
    item = events.get_item(user="bob", at=1)
    assert item.consumed_capacity == []
    item["n"] = 1
    assert item.partial_save() is True
    item["n"] = 2
    assert item.save() is True
    assert item.delete() is True
    assert events.delete_item(user="bob", at=1) is True


@pytest.mark.parametrize("mode", ["TOTAL", "INDEXES"])
def test_single_reads_and_writes_report_capacity_when_asked(events: Table, mode: str) -> None:
    put = events.put_item({"user": "bob", "at": 1}, return_consumed_capacity=mode)  # type: ignore[call-overload]
    assert isinstance(put, WriteResult)
    assert put
    assert put.consumed_capacity_units > 0
    assert put.consumed_capacity[0]["TableName"] == "events"
    item = events.get_item(user="bob", at=1, return_consumed_capacity=mode)  # type: ignore[arg-type]
    assert item.consumed_capacity_units > 0
    updated = events.update_item(
        {"user": "bob", "at": 1},
        add={"n": 1},
        return_consumed_capacity=mode,  # type: ignore[arg-type]
    )
    assert updated is not None
    assert updated.consumed_capacity_units > 0
    assert len(updated) == 0  # nothing asked back: an empty item carrying the capacity
    deleted = events.delete_item(user="bob", at=1, return_consumed_capacity=mode)  # type: ignore[call-overload]
    assert isinstance(deleted, WriteResult)
    assert deleted.consumed_capacity_units > 0


def test_item_writes_report_capacity_when_asked(events: Table) -> None:
    item = events.get_item(user="ada", at=1)
    item["n"] = 1
    saved = item.partial_save(return_consumed_capacity="TOTAL")
    assert isinstance(saved, WriteResult)
    assert saved.consumed_capacity_units > 0
    item["n"] = 2
    saved = item.save(return_consumed_capacity="TOTAL")
    assert isinstance(saved, WriteResult)
    assert saved.consumed_capacity_units > 0
    # Nothing changed: boto 2's False, whatever was asked.
    assert item.save(return_consumed_capacity="TOTAL") is False
    deleted = item.delete(return_consumed_capacity="TOTAL")
    assert isinstance(deleted, WriteResult)
    assert deleted.consumed_capacity_units > 0


def test_query_and_scan_sum_capacity_over_pages(events: Table) -> None:
    results = events.query_2(user__eq="ada", max_page_size=3, return_consumed_capacity="TOTAL")
    assert len(list(results)) == 10
    assert results.fetches >= 4
    assert len(results.consumed_capacity) == results.fetches
    assert results.consumed_capacity_units == pytest.approx(
        sum(entry["CapacityUnits"] for entry in results.consumed_capacity)
    )
    assert results.consumed_capacity_units > 0
    scanned = events.scan(return_consumed_capacity="INDEXES")
    assert len(list(scanned)) == 10
    assert scanned.consumed_capacity_units > 0
    unasked = events.query_2(user__eq="ada")
    list(unasked)
    assert (unasked.consumed_capacity, unasked.consumed_capacity_units) == ([], 0.0)


def test_batches_sum_capacity_when_asked(events: Table) -> None:
    with events.batch_write(return_consumed_capacity="TOTAL") as batch:
        for at in range(30):
            batch.put_item(data={"user": "bob", "at": at})
    assert len(batch.consumed_capacity) == 2  # 25 + 5 writes: two requests
    assert batch.consumed_capacity_units > 0
    keys = [{"user": "bob", "at": at} for at in range(30)]
    read = events.batch_get(keys, return_consumed_capacity="TOTAL")
    assert len(list(read)) == 30
    assert read.consumed_capacity_units > 0
    with events.batch_write() as unasked_batch:
        unasked_batch.put_item(data={"user": "bob", "at": 99})
    unasked_read = events.batch_get(keys[:3])
    list(unasked_read)
    # moto reports batch capacity unasked; it is only kept when asked for.
    assert unasked_batch.consumed_capacity == []
    assert unasked_read.consumed_capacity == []


# --------------------------------------------------------------------------- as sent


def test_capacity_is_only_asked_for_when_wanted_and_checked_first() -> None:
    recorder = ScriptedTransport.answering(lambda _op, _body: json_response({"Attributes": {}}))
    table = Table("users", schema=[HashKey("id")], connection=quiet_connection(recorder))
    table.put_item({"id": "a"}, overwrite=True)
    table.put_item({"id": "b"}, overwrite=True, return_consumed_capacity="NONE")
    table.put_item({"id": "c"}, overwrite=True, return_consumed_capacity="INDEXES")
    asked = [body.get("ReturnConsumedCapacity") for body in recorder.bodies("PutItem")]
    assert asked == [None, None, "INDEXES"]
    calls: list[Any] = [
        lambda: table.put_item({"id": "a"}, return_consumed_capacity="total"),  # type: ignore[call-overload]
        lambda: table.get_item(id="a", return_consumed_capacity="ALL"),  # type: ignore[arg-type]
        lambda: table.query_2(id__eq="a", return_consumed_capacity="yes"),  # type: ignore[arg-type]
        lambda: table.scan(return_consumed_capacity="SOME"),  # type: ignore[arg-type]
        lambda: table.batch_write(return_consumed_capacity="x"),  # type: ignore[arg-type]
        lambda: table.update_item({"id": "a"}, set={"b": 1}, return_consumed_capacity="x"),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(ParameterValidationError, match="TOTAL, INDEXES"):
            call()
    assert len(recorder.requests) == 3
