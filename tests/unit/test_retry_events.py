"""``Connection(on_retry=...)`` is told of each retry as it happens, before the wait."""

from __future__ import annotations

import pytest

from dynamodb2.exceptions import ConnectionFailedError, ThrottlingError, ValidationException
from dynamodb2.retry import RetryEvent, RetryPolicy
from tests.support.fakes import (
    FakeClock,
    ScriptedTransport,
    connection,
    error_response,
    json_response,
)


def test_on_retry_is_called_before_each_wait_with_the_failed_attempt_and_the_error() -> None:
    clock = FakeClock()
    seen: list[tuple[RetryEvent, int]] = []
    transport = ScriptedTransport(
        ConnectionFailedError("connection refused"),
        error_response("ProvisionedThroughputExceededException", status=400),
        json_response({"TableNames": []}),
    )
    conn = connection(
        transport,
        clock=clock,
        retry=RetryPolicy(max_attempts=4),
        on_retry=lambda event: seen.append((event, len(clock.sleeps))),
    )

    assert conn.list_tables({}) == {"TableNames": []}

    events = [event for event, _ in seen]
    assert [(e.operation, e.attempt, e.next_attempt, e.max_attempts) for e in events] == [
        ("ListTables", 1, 2, 4),
        ("ListTables", 2, 3, 4),
    ]
    assert isinstance(events[0].error, ConnectionFailedError)
    assert isinstance(events[1].error, ThrottlingError)
    # Each event comes before its wait, and says how long that wait is.
    assert [sleeps_before for _, sleeps_before in seen] == [0, 1]
    assert [event.delay for event in events] == clock.sleeps


def test_on_retry_is_not_called_for_the_last_attempt_or_for_errors_never_retried() -> None:
    seen: list[RetryEvent] = []
    refused = connection(
        ScriptedTransport(ConnectionFailedError("connection refused")),
        retry=RetryPolicy(max_attempts=2),
        on_retry=seen.append,
    )
    invalid = connection(
        ScriptedTransport(error_response("ValidationException", "bad")), on_retry=seen.append
    )

    with pytest.raises(ConnectionFailedError):
        refused.list_tables({})
    assert [event.attempt for event in seen] == [1]
    with pytest.raises(ValidationException):
        invalid.list_tables({})
    assert len(seen) == 1
