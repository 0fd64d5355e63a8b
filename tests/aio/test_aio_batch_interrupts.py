"""A cancellation, or Ctrl-C, anywhere in an asynchronous batch write loses no write.

:mod:`tests.unit.test_batch_interrupt_windows` for ``AsyncBatchTable``: once a
``CancelledError`` or a ``KeyboardInterrupt`` escapes ``flush()`` or the ``async with``
block, every write given is written or still in the batch (and in the exception's
``unsent_requests`` when it carries them); a later flush writes the rest. A cancellation
arrives at an ``await``: the tests cancel the task in each request in turn (before the
request reaches DynamoDB, and after DynamoDB wrote it, the answer lost) and in each
backoff wait. A ``KeyboardInterrupt`` can arrive between any two statements: the sweep
raises one at each line of the batch's code in turn.

Tasks may share one batch: a write one task is sending is not sent again by another's
flush, and if the sending task is cancelled, the write stays for the others.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from dynamodb2.aio import AsyncBatchTable, AsyncTable
from dynamodb2.fields import HashKey
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.fakes import ScriptedTransport, async_connection_to
from tests.support.interrupt_support import (
    SCRIPT,
    Interrupter,
    Ledger,
    Step,
    check_nothing_lost,
    check_recovered,
    hold_some,
    wire,
)

QUICK = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)

#: Called with each request before it reaches the fake DynamoDB (``"before"``) and after
#: (``"after"``); may cancel the task or wait.
Hook = Callable[[str, int], Awaitable[None]]


async def no_hook(moment: str, number: int) -> None:
    return None


def make_table(
    ledger: Ledger, hook: Hook = no_hook, on_sleep: Callable[[float], object] | None = None
) -> tuple[AsyncTable, ScriptedTransport]:
    fake = ScriptedTransport.answering(ledger)
    numbers = iter(range(1, 1_000_000))

    async def transport(request: HttpRequest) -> HttpResponse:
        number = next(numbers)
        await hook("before", number)
        response = fake(request)
        await hook("after", number)
        return response

    connection = async_connection_to(
        transport, retry=QUICK, sleep=on_sleep or (lambda seconds: None)
    )
    return AsyncTable("users", schema=[HashKey("username")], connection=connection), fake


async def add(batch: AsyncBatchTable, step: Step) -> None:
    if step[0] == "put":
        await batch.put_item({"username": step[1], "v": step[2]})
    else:
        await batch.delete_item(username=step[1])


async def run_script(batch: AsyncBatchTable, given: list[Step], current: list[Step | None]) -> None:
    """Add the script's writes in an ``async with`` block, noting each one given and
    the one being added."""
    async with batch:
        for step in SCRIPT:
            current[0] = step
            await add(batch, step)
            given.append(step)
            current[0] = None


# ------------------------------------------------------------------- cancellation


def cancel_at(moment: str, number: int) -> Hook:
    """Cancel the calling task at ``moment`` of the ``number``-th request (once)."""
    fired: list[bool] = []

    async def hook(at: str, n: int) -> None:
        if (at, n) == (moment, number) and not fired:
            fired.append(True)
            task = asyncio.current_task()
            assert task is not None
            task.cancel()
            await asyncio.sleep(0)  # the cancellation is delivered here

    return hook


def check_cancelled_run(
    ledger: Ledger, batch: AsyncBatchTable, given: list[Step], current: Step | None, error: Any
) -> None:
    assert isinstance(error, asyncio.CancelledError), error
    check_nothing_lost(ledger, given, current, error, batch.unsent_requests)
    asyncio.run(batch.flush_all())  # a later flush sends what was left
    assert batch.unsent_requests == []
    check_recovered(ledger, given, current)


@pytest.mark.parametrize("moment", ["before", "after"], ids=["before-sending", "answer-lost"])
def test_a_cancellation_in_any_request_of_a_batch_loses_no_write(moment: str) -> None:
    number = 0
    while True:
        number += 1
        ledger = Ledger(hold_some)
        table, fake = make_table(ledger, cancel_at(moment, number))
        batch = table.batch_write()
        given: list[Step] = []
        current: list[Step | None] = [None]
        try:
            asyncio.run(run_script(batch, given, current))
        except asyncio.CancelledError as cancelled:
            check_cancelled_run(ledger, batch, given, current[0], cancelled)
            continue
        # The script ran to its end: every request it sends was cancelled in turn.
        assert len(fake.requests) < number
        check_recovered(ledger, given, None)
        break
    assert number > 3


def test_a_batch_block_cut_short_by_a_timeout_carries_its_unsent_writes_on_the_cause() -> None:
    # What asyncio.wait_for (and asyncio.timeout) raise is a TimeoutError raised from the
    # batch's CancelledError, which carries the writes (docs/asyncio.md).
    async def stall_the_second_request(moment: str, number: int) -> None:
        if (moment, number) == ("before", 2):
            await asyncio.sleep(30)

    ledger = Ledger(hold_some)
    table, _ = make_table(ledger, stall_the_second_request)
    batch = table.batch_write()
    given: list[Step] = []
    current: list[Step | None] = [None]

    async def run_with_a_timeout() -> BaseException:
        try:
            await asyncio.wait_for(run_script(batch, given, current), 0.2)
        except asyncio.TimeoutError as error:
            return error
        raise AssertionError("the batch was not cut short")

    error = asyncio.run(run_with_a_timeout())

    cancelled = error.__cause__
    if sys.version_info < (3, 11):  # 3.10's wait_for raises from a copy made in between
        assert isinstance(cancelled, asyncio.CancelledError)
        cancelled = cancelled.__context__
    assert isinstance(cancelled, asyncio.CancelledError)
    assert getattr(cancelled, "unsent_requests", None)
    assert batch.unsent_requests  # and the batch still holds them
    check_cancelled_run(ledger, batch, given, current[0], cancelled)


def test_a_cancellation_in_any_backoff_wait_of_a_batch_loses_no_write() -> None:
    number = 0
    while True:
        number += 1
        waits: list[float] = []

        def cancel_the_wait(
            seconds: float, number: int = number, waits: list[float] = waits
        ) -> Any:
            waits.append(seconds)
            if len(waits) == number:  # (the recovery's waits come later: never again)
                task = asyncio.current_task()
                assert task is not None
                task.cancel()
            return asyncio.sleep(0)

        ledger = Ledger(hold_some)
        table, _ = make_table(ledger, on_sleep=cancel_the_wait)
        batch = table.batch_write()
        given: list[Step] = []
        current: list[Step | None] = [None]
        try:
            asyncio.run(run_script(batch, given, current))
        except asyncio.CancelledError as cancelled:
            check_cancelled_run(ledger, batch, given, current[0], cancelled)
            continue
        assert len(waits) < number
        check_recovered(ledger, given, None)
        break
    assert number > 1


@pytest.mark.slow  # (the synchronous sweep covers the shared bookkeeping quicker)
def test_an_interrupt_between_any_two_statements_of_an_async_batch_loses_no_write() -> None:
    at = 0
    while True:
        at += 1
        ledger = Ledger(hold_some)
        table, _ = make_table(ledger)
        batch = table.batch_write()
        given: list[Step] = []
        current: list[Step | None] = [None]
        interrupter = Interrupter(at, "line")
        interrupt: KeyboardInterrupt | None = None
        try:
            with interrupter.armed():
                asyncio.run(run_script(batch, given, current))
        except KeyboardInterrupt as caught:
            interrupt = caught
        if interrupt is None:
            assert not interrupter.fired
            check_recovered(ledger, given, None)
            break
        assert interrupter.fired
        assert str(interrupt) == f"at line {at}"
        check_nothing_lost(ledger, given, current[0], interrupt, batch.unsent_requests)
        asyncio.run(batch.flush_all())
        assert batch.unsent_requests == []
        check_recovered(ledger, given, current[0])
    assert at > 1000


# ---------------------------------------------------------------- tasks sharing a batch


def test_a_write_one_task_is_sending_is_not_sent_again_by_another() -> None:
    ledger = Ledger(lambda round_, requests: [])
    arrived = asyncio.Event
    gates: dict[int, asyncio.Event] = {}

    async def hold_the_first(moment: str, number: int) -> None:
        if moment == "before" and number == 1:
            gates[1] = arrived()
            await gates[1].wait()

    table, fake = make_table(ledger, hold_the_first)

    async def scenario() -> None:
        batch = table.batch_write()

        async def first() -> None:
            for n in range(25):
                await batch.put_item({"username": f"a{n:02d}"})  # the 25th sends, held

        task = asyncio.ensure_future(first())
        while 1 not in gates:
            await asyncio.sleep(0)
        for n in range(25):  # another task fills a request of its own meanwhile
            await batch.put_item({"username": f"b{n:02d}"})
        gates[1].set()
        await task
        await batch.flush()

    asyncio.run(scenario())
    sent = [
        wire(r) for body in fake.bodies("BatchWriteItem") for r in body["RequestItems"]["users"]
    ]
    assert len(sent) == len(set(sent)) == 50  # each write sent once
    assert [len(body["RequestItems"]["users"]) for body in fake.bodies("BatchWriteItem")] == [
        25,
        25,
    ]
    assert len(ledger.items) == 50


def test_writes_of_a_task_cancelled_while_sending_them_are_sent_by_a_later_flush() -> None:
    ledger = Ledger(lambda round_, requests: [])
    gate: list[asyncio.Event] = []

    async def hold_the_first(moment: str, number: int) -> None:
        if moment == "before" and number == 1:
            gate.append(asyncio.Event())
            await gate[0].wait()  # never set: the task is cancelled here

    table, fake = make_table(ledger, hold_the_first)

    async def scenario() -> list[str]:
        batch = table.batch_write()

        async def first() -> None:
            for n in range(25):
                await batch.put_item({"username": f"a{n:02d}"})

        task = asyncio.ensure_future(first())
        while not gate:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        unsent = [r["PutRequest"]["Item"]["username"]["S"] for r in batch.unsent_requests]
        await batch.flush()
        return unsent

    unsent = asyncio.run(scenario())
    assert sorted(unsent) == [f"a{n:02d}" for n in range(25)]
    assert len(fake.requests) == 1  # the cancelled request never arrived; the flush sent them
    assert sorted(ledger.items) == [f"a{n:02d}" for n in range(25)]
