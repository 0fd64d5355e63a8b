"""Table waiters: polling DescribeTable with capped backoff, on a fake clock."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from dynamodb2 import waiters
from dynamodb2.exceptions import (
    DynamoDBError,
    ParameterValidationError,
    ResourceNotFoundException,
    WaitTimeoutError,
)
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from tests.support.fakes import FakeClock, ServiceError, scripted_connection


def described(status: str, **indexes: str) -> dict[str, Any]:
    table: dict[str, Any] = {"TableName": "users", "TableStatus": status}
    if indexes:
        table["GlobalSecondaryIndexes"] = [
            {"IndexName": name, "IndexStatus": index_status}
            for name, index_status in indexes.items()
        ]
    return {"Table": table}


def not_found() -> ResourceNotFoundException:
    return ResourceNotFoundException(
        400, "Bad Request", {"__type": "ResourceNotFoundException", "message": "not found"}
    )


class Describer:
    """Answers DescribeTable from a list, the last answer repeating; counts calls."""

    def __init__(self, *answers: dict[str, Any] | Exception) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self) -> dict[str, Any]:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_wait_until_active_polls_until_active_with_doubling_pauses() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(described("CREATING"), described("CREATING"), described("ACTIVE"))

    result = waiters.wait_until_active(
        describe, table_name="users", timeout=60, sleep=clock.sleep, clock=clock
    )

    assert result == described("ACTIVE")
    assert describe.calls == 3
    assert clock.sleeps == [0.05, 0.1]


def test_wait_until_active_returns_at_once_without_sleeping_when_already_active() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(described("ACTIVE"))

    waiters.wait_until_active(
        describe, table_name="users", timeout=60, sleep=clock.sleep, clock=clock
    )

    assert clock.sleeps == []


def test_wait_until_active_pauses_are_capped_at_max_delay() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(*[described("UPDATING")] * 8, described("ACTIVE"))

    waiters.wait_until_active(
        describe,
        table_name="users",
        timeout=600,
        first_delay=1.0,
        max_delay=5.0,
        sleep=clock.sleep,
        clock=clock,
    )

    assert clock.sleeps == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0, 5.0, 5.0]


def test_wait_until_active_waits_for_every_global_index() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(
        described("ACTIVE", by_email="CREATING", by_age="ACTIVE"),
        described("ACTIVE", by_email="ACTIVE", by_age="ACTIVE"),
    )

    waiters.wait_until_active(
        describe, table_name="users", timeout=60, sleep=clock.sleep, clock=clock
    )

    assert describe.calls == 2


def test_wait_until_active_waits_through_not_found_just_after_create() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(not_found(), described("CREATING"), described("ACTIVE"))

    waiters.wait_until_active(
        describe, table_name="users", timeout=60, sleep=clock.sleep, clock=clock
    )

    assert describe.calls == 3


def test_wait_until_active_timeout_names_table_state_and_time_waited() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(described("ACTIVE", by_email="CREATING"))

    with pytest.raises(WaitTimeoutError) as raised:
        waiters.wait_until_active(
            describe, table_name="users", timeout=10, sleep=clock.sleep, clock=clock
        )

    error = raised.value
    assert isinstance(error, TimeoutError)
    assert isinstance(error, DynamoDBError)
    assert error.table_name == "users"
    assert error.state == "ACTIVE; index 'by_email' CREATING"
    assert error.waited == pytest.approx(10.0)
    assert "'users'" in str(error)
    assert "index 'by_email' CREATING" in str(error)
    assert "10.0 s" in str(error)
    # The last pause is cut short so the last look happens right at the deadline.
    assert sum(clock.sleeps) == pytest.approx(10.0)
    assert max(clock.sleeps) <= waiters.DEFAULT_MAX_DELAY


def test_wait_timeout_error_survives_pickling() -> None:
    error = WaitTimeoutError("late", table_name="users", state="CREATING", waited=3.0)

    copy = pickle.loads(pickle.dumps(error))

    assert (copy.table_name, copy.state, copy.waited, str(copy)) == (
        "users",
        "CREATING",
        3.0,
        "late",
    )


def test_wait_until_active_with_zero_timeout_looks_once() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(described("CREATING"))

    with pytest.raises(WaitTimeoutError):
        waiters.wait_until_active(
            describe, table_name="users", timeout=0, sleep=clock.sleep, clock=clock
        )

    assert describe.calls == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("timeout", [-1.0, float("nan")])
def test_wait_refuses_a_negative_or_nan_timeout(timeout: float) -> None:
    describe = Describer(described("ACTIVE"))

    with pytest.raises(ParameterValidationError, match="timeout"):
        waiters.wait_until_active(describe, table_name="users", timeout=timeout)

    assert describe.calls == 0


def test_wait_until_deleted_polls_until_not_found() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(described("DELETING"), described("DELETING"), not_found())

    waiters.wait_until_deleted(
        describe, table_name="users", timeout=60, sleep=clock.sleep, clock=clock
    )

    assert describe.calls == 3


def test_wait_until_deleted_timeout_reports_the_status_seen() -> None:
    clock = FakeClock(start=1000.0)
    describe = Describer(described("DELETING"))

    with pytest.raises(WaitTimeoutError, match=r"not deleted .*DELETING") as raised:
        waiters.wait_until_deleted(
            describe, table_name="users", timeout=3, sleep=clock.sleep, clock=clock
        )

    assert raised.value.state == "DELETING"


def test_wait_until_active_lets_other_errors_through_at_once() -> None:
    clock = FakeClock(start=1000.0)
    boom = ParameterValidationError("boom")
    describe = Describer(boom)

    with pytest.raises(ParameterValidationError, match="boom"):
        waiters.wait_until_active(
            describe, table_name="users", timeout=60, sleep=clock.sleep, clock=clock
        )

    assert clock.sleeps == []


def test_table_wait_until_active_polls_through_the_connection_clock() -> None:
    statuses = iter(["CREATING", "CREATING", "ACTIVE"])

    def respond(operation: str, body: dict[str, Any]) -> dict[str, Any]:
        assert operation == "DescribeTable"
        assert body == {"TableName": "users"}
        return {
            "Table": {
                "TableName": "users",
                "TableStatus": next(statuses),
                "KeySchema": [{"AttributeName": "username", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "username", "AttributeType": "S"}],
            }
        }

    clock = FakeClock(start=1000.0)
    connection, transport = scripted_connection(respond, clock)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    description = table.wait_until_active(timeout=30)

    assert description["Table"]["TableStatus"] == "ACTIVE"
    assert transport.operations() == ["DescribeTable"] * 3
    assert clock.sleeps == [0.05, 0.1]


def test_table_wait_until_deleted_times_out_on_the_connection_clock() -> None:
    def respond(_operation: str, _body: dict[str, Any]) -> dict[str, Any]:
        return described("DELETING")

    clock = FakeClock(start=1000.0)
    connection, _transport = scripted_connection(respond, clock)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    with pytest.raises(WaitTimeoutError) as raised:
        table.wait_until_deleted(timeout=20)

    assert raised.value.waited == pytest.approx(20.0)
    assert clock.now == pytest.approx(1020.0)


def test_table_wait_until_deleted_returns_once_not_found() -> None:
    calls = iter([False, True])

    def respond(_operation: str, _body: dict[str, Any]) -> dict[str, Any]:
        if next(calls):
            raise ServiceError("ResourceNotFoundException", "Requested resource not found")
        return described("DELETING")

    connection, transport = scripted_connection(respond)
    Table("users", schema=[HashKey("username")], connection=connection).wait_until_deleted()

    assert transport.operations() == ["DescribeTable", "DescribeTable"]
