"""Ctrl-C anywhere in a batch write loses no write (the synchronous batch).

The invariant: once an interrupt escapes ``flush()`` or the ``with`` block, every write
the caller gave is either written by DynamoDB or still in the batch (so a later flush
sends it), and listed in the interrupt's ``unsent_requests`` when it carries them. A
write may be sent twice (puts and deletes are idempotent), never dropped, and never
written over a newer one.

Before, a batch took a request's 25 writes out of its buffer before sending them and
put the unprocessed ones back only after the answer was read: Ctrl-C in between (in
``_take``, ``_took``, ``handle_unprocessed``) dropped them, neither written nor listed.

The sweep interrupts the script at every bytecode of the batch's code in turn (see
:mod:`tests.support.interrupt_support`); the named tests interrupt the layer1 call itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2.batch import BatchTable
from dynamodb2.fields import HashKey
from dynamodb2.retry import RetryPolicy
from dynamodb2.table import Table
from tests.support.fakes import ScriptedTransport, fake_connection
from tests.support.interrupt_support import (
    SCRIPT,
    Interrupter,
    Ledger,
    Step,
    check_nothing_lost,
    check_recovered,
    hold_some,
)

QUICK = RetryPolicy(max_attempts=3, base_delay=0.0, max_delay=0.0)


def make_table(ledger: Ledger) -> tuple[Table, ScriptedTransport]:
    connection, fake = fake_connection(ledger, retry=QUICK)
    return Table("users", schema=[HashKey("username")], connection=connection), fake


def add(batch: BatchTable, step: Step) -> None:
    if step[0] == "put":
        batch.put_item({"username": step[1], "v": step[2]})
    else:
        batch.delete_item(username=step[1])


def run_script(
    batch: BatchTable, interrupter: Interrupter
) -> tuple[list[Step], Step | None, BaseException | None]:
    """Add the script's writes in a ``with`` block; what was given, what was being
    added when an interrupt escaped (if one did), and the interrupt."""
    given: list[Step] = []
    current: Step | None = None
    try:
        with interrupter.armed(), batch:
            for step in SCRIPT:
                current = step
                add(batch, step)
                given.append(step)
                current = None
    except KeyboardInterrupt as interrupt:
        return given, current, interrupt
    return given, None, None


def sweep(by: str) -> int:
    """Run the script once for each step of the batch's code, interrupted there; check
    that nothing is lost and that a later flush writes it all. How many were swept."""
    at = 0
    while True:
        at += 1
        ledger = Ledger(hold_some)
        table, _ = make_table(ledger)
        batch = table.batch_write()
        interrupter = Interrupter(at, by)
        given, current, interrupt = run_script(batch, interrupter)
        if not interrupter.fired:  # the script ran to its end before step ``at``
            assert interrupt is None
            assert len(given) == len(SCRIPT)
            check_recovered(ledger, given, None)
            return at - 1
        assert interrupt is not None, f"the interrupt at {by} {at} did not escape"
        assert str(interrupt) == f"at {by} {at}"  # the interrupt itself, as it is
        check_nothing_lost(ledger, given, current, interrupt, batch.unsent_requests)
        batch.flush_all()  # a later flush sends what was left
        assert batch.unsent_requests == []
        check_recovered(ledger, given, current)


def test_an_interrupt_between_any_two_statements_of_the_batch_loses_no_write() -> None:
    assert sweep("line") > 1000  # every line run from the first put to the exit's end


@pytest.mark.slow
def test_an_interrupt_at_any_bytecode_of_the_batch_loses_no_write() -> None:
    assert sweep("opcode") > 5000


# ----------------------------------------------------------- interrupts in the layer1 call

INTERRUPTS = [KeyboardInterrupt, SystemExit]


def fill(batch: BatchTable, count: int) -> None:
    """``count`` puts (``u00``...) in a ``with`` block of ``batch``."""
    with batch:
        for n in range(count):
            batch.put_item({"username": f"u{n:02d}"})


def interrupt_request(
    table: Table, interrupt: type[BaseException], *, number: int, after_written: bool
) -> list[int]:
    """Make the ``number``-th ``batch_write_item`` call raise ``interrupt``: before the
    request goes out, or once DynamoDB has written it (the answer lost). Returns the list
    the calls are counted in."""
    send = table.connection.batch_write_item
    calls: list[int] = []

    def batch_write_item(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(calls) + 1)
        if len(calls) != number:
            return send(*args, **kwargs)
        if after_written:
            send(*args, **kwargs)
        raise interrupt

    table.connection.batch_write_item = batch_write_item  # type: ignore[method-assign]
    return calls


def names(requests: list[dict[str, Any]]) -> list[str]:
    return sorted(
        (r.get("PutRequest", {}).get("Item") or r["DeleteRequest"]["Key"])["username"]["S"]
        for r in requests
    )


@pytest.mark.parametrize("after_written", [False, True], ids=["before-sending", "answer-lost"])
@pytest.mark.parametrize("interrupt", INTERRUPTS)
def test_an_interrupt_in_the_request_of_a_full_buffer_keeps_its_25_writes(
    interrupt: type[BaseException], after_written: bool
) -> None:
    ledger = Ledger(lambda round_, requests: [])
    table, _ = make_table(ledger)
    calls = interrupt_request(table, interrupt, number=1, after_written=after_written)
    batch = table.batch_write()

    with pytest.raises(interrupt) as raised:
        fill(batch, 25)  # the 25th put sends the request

    expected = [f"u{n:02d}" for n in range(25)]
    assert names(raised.value.unsent_requests) == expected  # type: ignore[attr-defined]
    assert names(batch.unsent_requests) == expected
    assert len(ledger.items) == (25 if after_written else 0)
    batch.flush()  # sends them (again, if they were written): nothing lost
    assert calls == [1, 2]
    assert sorted(ledger.items) == expected
    assert batch.unsent_requests == []


@pytest.mark.parametrize("after_written", [False, True], ids=["before-sending", "answer-lost"])
def test_an_interrupt_in_a_resend_of_unprocessed_writes_keeps_them(after_written: bool) -> None:
    # Round 1 leaves 10 writes unprocessed; the exit flush's resend of them is interrupted.
    ledger = Ledger(lambda round_, requests: requests[-10:] if round_ == 1 else [])
    table, _ = make_table(ledger)
    calls = interrupt_request(table, KeyboardInterrupt, number=2, after_written=after_written)
    batch = table.batch_write()

    with pytest.raises(KeyboardInterrupt) as raised:
        fill(batch, 25)  # the 25th put sends the request

    held = [f"u{n:02d}" for n in range(15, 25)]
    assert names(raised.value.unsent_requests) == held  # type: ignore[attr-defined]
    assert names(batch.unsent_requests) == held
    batch.flush()
    assert calls == [1, 2, 3]
    assert sorted(ledger.items) == [f"u{n:02d}" for n in range(25)]


def test_an_interrupt_while_the_unprocessed_writes_of_an_answer_are_kept_loses_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The answer came back with 10 writes unprocessed; Ctrl-C arrives as the batch starts
    # keeping them (it logs first). Before, the request's 25 writes had already left the
    # buffer, and the 10 were in neither the buffer nor the interrupt's unsent_requests.
    ledger = Ledger(lambda round_, requests: requests[-10:] if round_ == 1 else [])
    table, _ = make_table(ledger)
    batch = table.batch_write()

    def interrupt(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("dynamodb2.batch.logger.info", interrupt)
    with pytest.raises(KeyboardInterrupt) as raised:
        fill(batch, 25)  # the 25th put sends the request
    monkeypatch.undo()

    assert len(ledger.items) == 15
    # Still all in the batch: the 15 written ones are sent again, harmlessly.
    assert names(raised.value.unsent_requests) == [f"u{n:02d}" for n in range(25)]  # type: ignore[attr-defined]
    batch.flush()
    assert sorted(ledger.items) == [f"u{n:02d}" for n in range(25)]
    assert batch.unsent_requests == []


# ----------------------------------------------------------------- leaving the block


@pytest.mark.parametrize("interrupt", INTERRUPTS)
def test_leaving_on_an_interrupt_propagates_it_and_keeps_every_write_in_the_batch(
    interrupt: type[BaseException],
) -> None:
    ledger = Ledger(lambda round_, requests: [])
    table, fake = make_table(ledger)
    batch = table.batch_write()

    def write() -> None:
        with batch:
            batch.put_item({"username": "jane"})
            batch.delete_item(username="john")
            raise interrupt

    with pytest.raises(interrupt) as raised:
        write()

    assert fake.requests == []  # no flush on the way out
    assert names(raised.value.unsent_requests) == ["jane", "john"]  # type: ignore[attr-defined]
    assert names(batch.unsent_requests) == ["jane", "john"]
    batch.flush()  # they are still the batch's: a later flush writes them
    assert sorted(ledger.items) == ["jane"]
    assert len(fake.requests) == 1


def test_leaving_on_an_exception_flushes_then_propagates_it_unchanged() -> None:
    ledger = Ledger(lambda round_, requests: [])
    table, _ = make_table(ledger)
    error = LookupError("the block's own")

    def write() -> None:
        with table.batch_write() as batch:
            batch.put_item({"username": "jane"})
            raise error

    with pytest.raises(LookupError) as raised:
        write()

    assert raised.value is error
    assert sorted(ledger.items) == ["jane"]
