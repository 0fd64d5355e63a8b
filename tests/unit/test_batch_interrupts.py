"""Ctrl-C and SystemExit in a ``with table.batch_write()`` block stop at once, losing nothing.

Before, with the endpoint down, Ctrl-C inside the block first ran the exit flush's full
retry schedule (4 to 19 s of backoff) and was then replaced by a ``BatchWriteError``. Now
an interrupt (anything that is not an ``Exception``) skips the flush: no request is sent
and no wait is slept after it, the interrupt itself propagates, and its
``unsent_requests`` lists every write the batch had not confirmed. Ordinary exceptions
keep the flush-then-propagate behaviour.

Each test answers through a scripted transport that records every request and every
wait, so "nothing after the interrupt" is checked, not assumed.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from tests.support.fakes import ScriptedTransport, ServiceError, fake_connection

INTERRUPTS = [KeyboardInterrupt, SystemExit]


def put(name: str) -> dict[str, Any]:
    return {"PutRequest": {"Item": {"username": {"S": name}}}}


def delete(name: str) -> dict[str, Any]:
    return {"DeleteRequest": {"Key": {"username": {"S": name}}}}


def endpoint_down(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
    """Every request fails with a retryable server error."""
    raise ServiceError("InternalServerError", "down", status=500)


def leave_unprocessed(count: int) -> Callable[[str, dict[str, Any]], Mapping[str, Any]]:
    """The first request leaves its last ``count`` writes unprocessed; later ones write all."""
    calls = 0

    def respond(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        nonlocal calls
        calls += 1
        requests = body["RequestItems"]["users"]
        if calls == 1:
            return {"UnprocessedItems": {"users": requests[-count:]}}
        return {}

    return respond


def make_table(
    responder: Callable[[str, dict[str, Any]], Mapping[str, Any]],
    sleep: Callable[[float], None] | None = None,
) -> tuple[Table, ScriptedTransport, list[float]]:
    sleeps: list[float] = []
    connection, fake = fake_connection(responder, sleeps=sleeps, max_attempts=10, sleep=sleep)
    return Table("users", schema=[HashKey("username")], connection=connection), fake, sleeps


@pytest.mark.parametrize("interrupt", INTERRUPTS)
def test_an_interrupt_in_the_block_sends_nothing_waits_for_nothing_and_lists_the_writes(
    interrupt: type[BaseException],
) -> None:
    # The endpoint is down: a flush would retry for seconds, then raise BatchWriteError.
    table, fake, sleeps = make_table(endpoint_down)

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(10):
                batch.put_item({"username": f"u{n}"})
            batch.delete_item(username="gone")
            raise interrupt

    with pytest.raises(interrupt) as raised:
        write()

    assert fake.requests == []
    assert sleeps == []
    assert type(raised.value) is interrupt  # the interrupt itself, not a BatchWriteError
    assert raised.value.unsent_requests == [  # type: ignore[attr-defined]
        *(put(f"u{n}") for n in range(10)),
        delete("gone"),
    ]


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Python's own Ctrl-C handler, as in a terminal (a process a non-interactive shell
    starts in the background inherits SIGINT ignored, and Python then installs none)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_a_real_sigint_in_the_block_is_a_keyboard_interrupt_carrying_the_writes() -> None:
    table, fake, sleeps = make_table(endpoint_down)

    def write() -> None:
        with table.batch_write() as batch:
            batch.put_item({"username": "jane"})
            signal.raise_signal(signal.SIGINT)  # what Ctrl-C in a terminal sends

    with pytest.raises(KeyboardInterrupt) as raised:
        write()

    assert fake.requests == []
    assert sleeps == []
    assert raised.value.unsent_requests == [put("jane")]  # type: ignore[attr-defined]


@pytest.mark.parametrize("interrupt", INTERRUPTS)
def test_an_interrupt_leaves_unprocessed_writes_unsent_and_lists_them_with_the_buffered(
    interrupt: type[BaseException],
) -> None:
    # 25 puts go out; 10 come back unprocessed and wait for a resend; 5 more are buffered.
    table, fake, sleeps = make_table(leave_unprocessed(10))

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(30):
                batch.put_item({"username": f"u{n:02d}"})
            assert len(fake.requests) == 1
            raise interrupt

    with pytest.raises(interrupt) as raised:
        write()

    assert len(fake.requests) == 1  # no resend, no flush of the 5 buffered
    assert sleeps == []
    unsent = raised.value.unsent_requests  # type: ignore[attr-defined]
    assert unsent == [*(put(f"u{n:02d}") for n in range(15, 30))]


def test_an_interrupt_while_a_send_in_the_block_is_retrying_keeps_that_request_unsent() -> None:
    # The 25th put sends the batch; the endpoint fails and the retry's wait is interrupted.
    def interrupt_the_first_wait(seconds: float) -> None:
        raise KeyboardInterrupt

    table, fake, sleeps = make_table(endpoint_down, sleep=interrupt_the_first_wait)

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(25):
                batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(KeyboardInterrupt) as raised:
        write()

    assert len(fake.requests) == 1  # the failed attempt; no retry, no exit flush
    assert len(sleeps) == 1  # the wait that was interrupted
    unsent = raised.value.unsent_requests  # type: ignore[attr-defined]
    assert sorted(request["PutRequest"]["Item"]["username"]["S"] for request in unsent) == [
        f"u{n:02d}" for n in range(25)
    ]


@pytest.mark.parametrize("interrupt", INTERRUPTS)
def test_an_interrupt_during_the_exit_flush_backoff_stops_it_and_lists_what_it_had_left(
    interrupt: type[BaseException],
) -> None:
    sent_when_interrupted: list[int] = []

    def interrupt_the_backoff(seconds: float) -> None:
        sent_when_interrupted.append(len(fake.requests))
        raise interrupt

    table, fake, sleeps = make_table(leave_unprocessed(10), sleep=interrupt_the_backoff)

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(30):
                batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(interrupt) as raised:
        write()
    # The block ended normally; its exit flush sent the 5 buffered puts, then began the
    # backoff before resending the 10 unprocessed ones, and was interrupted there.

    assert sent_when_interrupted == [2]
    assert len(fake.requests) == 2  # nothing sent after the interrupt
    assert len(sleeps) == 1
    unsent = raised.value.unsent_requests  # type: ignore[attr-defined]
    assert unsent == [*(put(f"u{n:02d}") for n in range(15, 25))]


def test_an_interrupt_during_a_retry_wait_of_the_exit_flush_lists_every_unconfirmed_write() -> None:
    def interrupt_the_retry_wait(seconds: float) -> None:
        raise KeyboardInterrupt

    table, fake, sleeps = make_table(endpoint_down, sleep=interrupt_the_retry_wait)

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(3):
                batch.put_item({"username": f"u{n}"})

    with pytest.raises(KeyboardInterrupt) as raised:
        write()

    assert len(fake.requests) == 1  # the exit flush's first attempt, then the interrupted wait
    assert len(sleeps) == 1
    unsent = raised.value.unsent_requests  # type: ignore[attr-defined]
    assert unsent == [put(f"u{n}") for n in range(3)]


def test_an_ordinary_exception_in_the_block_still_flushes_then_propagates() -> None:
    table, fake, _ = make_table(lambda operation, body: {})

    def write() -> None:
        with table.batch_write() as batch:
            batch.put_item({"username": "jane"})
            raise LookupError("the block's own error")

    with pytest.raises(LookupError):
        write()

    assert [body["RequestItems"]["users"] for body in fake.bodies("BatchWriteItem")] == [
        [put("jane")]
    ]
