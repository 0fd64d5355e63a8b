"""Deterministic interrupts for the batch tests: a fake users table that records what it
wrote, a script of writes with what the table should hold afterwards, and a tracer that
raises ``KeyboardInterrupt`` at exactly the n-th bytecode the batch's own code runs.

A signal handler raises between two bytecodes of whatever Python code is running; the
tracer (``sys.settrace`` with opcode events) raises at the same places, chosen by count
instead of by a timer, so a sweep over n reaches every one of them in turn.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import dynamodb2

WriteRequest = dict[str, Any]

#: The files whose bytecodes the sweep interrupts: the batch's bookkeeping and the plan
#: drivers that carry it out (an interrupt in a function they call, such as the request
#: encoding, propagates from the call, which is one of these bytecodes).
BATCH_CODE = frozenset(
    str(Path(dynamodb2.__file__).parent / name)
    for name in ("batch.py", "_plans.py", "aio/_batch.py")
)


def key_of(request: Mapping[str, Any]) -> str:
    if "PutRequest" in request:
        name: str = request["PutRequest"]["Item"]["username"]["S"]
    else:
        name = request["DeleteRequest"]["Key"]["username"]["S"]
    return name


def wire(request: Mapping[str, Any]) -> str:
    return json.dumps(request, sort_keys=True)


class Ledger:
    """A ``users`` table behind the fake transport. ``hold_back(round, requests)`` picks
    the writes of a BatchWriteItem round left unprocessed; ``written`` is every write
    request it applied (as JSON)."""

    def __init__(self, hold_back: Callable[[int, list[Any]], list[Any]]) -> None:
        self.items: dict[str, Any] = {}
        self.rounds = 0
        self.hold_back = hold_back
        self.written: set[str] = set()

    def __call__(self, operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        assert operation == "BatchWriteItem", operation
        self.rounds += 1
        requests = body["RequestItems"]["users"]
        assert len({key_of(r) for r in requests}) == len(requests), "a key twice in a request"
        held = self.hold_back(self.rounds, requests)
        for request in requests:
            if request in held:
                continue
            self.written.add(wire(request))
            if "PutRequest" in request:
                self.items[key_of(request)] = request["PutRequest"]["Item"]
            else:
                self.items.pop(key_of(request), None)
        return {"UnprocessedItems": {"users": held}} if held else {}


def hold_some(round_: int, requests: list[Any]) -> list[Any]:
    """Round 1 leaves its last 10 writes unprocessed, round 2 its first 3; later rounds
    write everything."""
    if round_ == 1:
        return requests[-10:]
    if round_ == 2:
        return requests[:3]
    return []


#: The writes of the script: ``("put", name, version)`` or ``("delete", name)``. 25 puts
#: fill a request (round 1 leaves 10 of them unprocessed); then a key already written and
#: one left unprocessed are written again, a key twice in the buffer, a delete, a delete
#: of a buffered put. The exit flush sends those (round 2 leaves 3 unprocessed), then
#: resends the unprocessed ones.
Step = tuple[str, ...]
SCRIPT: list[Step] = [
    *(("put", f"u{n:02d}", "1") for n in range(25)),
    ("put", "u03", "2"),
    ("put", "u20", "2"),
    ("put", "u30", "1"),
    ("put", "u30", "2"),
    ("delete", "u31"),
    ("put", "u32", "1"),
    ("delete", "u32"),
    ("delete", "u07"),
]


def request_of(step: Step) -> WriteRequest:
    if step[0] == "put":
        return {"PutRequest": {"Item": {"username": {"S": step[1]}, "v": {"S": step[2]}}}}
    return {"DeleteRequest": {"Key": {"username": {"S": step[1]}}}}


def expected_items(steps: list[Step]) -> dict[str, Any]:
    """What the table holds once ``steps`` are all written, in order."""
    items: dict[str, Any] = {}
    for step in steps:
        if step[0] == "put":
            items[step[1]] = request_of(step)["PutRequest"]["Item"]
        else:
            items.pop(step[1], None)
    return items


def latest_writes(steps: list[Step]) -> dict[str, str]:
    """The last write given for each key (as JSON): the one that must not be lost."""
    return {step[1]: wire(request_of(step)) for step in steps}


class Interrupter:
    """Raises ``KeyboardInterrupt`` at the ``at``-th step run in :data:`BATCH_CODE` while
    :meth:`armed`: a step is a bytecode (``by="opcode"``) or a line (``by="line"``, the
    boundaries between statements, fewer and so quicker to sweep). ``fired`` tells
    whether it got that far."""

    def __init__(self, at: int, by: str = "line") -> None:
        self.at = at
        self.by = by
        self.count = 0
        self.fired = False
        self.collecting = False

    def _local(self, frame: FrameType, event: str, arg: object) -> Any:
        if event == self.by and not self.collecting:
            self.count += 1
            if self.count == self.at:
                self.fired = True
                sys.settrace(None)
                raise KeyboardInterrupt(f"at {self.by} {self.at}")
        return self._local

    def _global(self, frame: FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename in BATCH_CODE:
            frame.f_trace_lines = self.by == "line"
            frame.f_trace_opcodes = self.by == "opcode"
            return self._local
        return None

    def _collecting(self, phase: str, info: object) -> None:
        self.collecting = phase == "start"

    @contextmanager
    def armed(self) -> Iterator[None]:
        # A plan an earlier run left suspended (interrupted in the driver's own lines) is
        # closed when the garbage collector finds it, running batch code: that is not
        # this run's, and an interrupt there would be ignored, so it is not counted.
        self.collecting = False
        gc.callbacks.append(self._collecting)
        previous = sys.gettrace()
        sys.settrace(self._global)
        try:
            yield
        finally:
            sys.settrace(previous)
            gc.callbacks.remove(self._collecting)


def check_nothing_lost(
    ledger: Ledger,
    given: list[Step],
    interrupted: Step | None,
    interrupt: BaseException,
    buffered: list[WriteRequest],
) -> None:
    """After ``interrupt`` escaped the batch: the last write given for every key was
    written, or is still in the batch (``buffered``), and, when the interrupt carries
    ``unsent_requests``, is listed there. ``interrupted``, the write being added when the
    interrupt came (if any), may or may not have been taken: either way passes."""
    candidates = [given] if interrupted is None else [given, [*given, interrupted]]
    failures = [
        failure
        for steps in candidates
        if (failure := _lost(ledger, steps, interrupt, buffered)) is not None
    ]
    assert len(failures) < len(candidates), failures[0]


def _lost(
    ledger: Ledger, steps: list[Step], interrupt: BaseException, buffered: list[WriteRequest]
) -> str | None:
    latest = latest_writes(steps)
    in_batch = {wire(r) for r in buffered}
    lost = sorted(k for k, r in latest.items() if r not in ledger.written and r not in in_batch)
    if lost:
        return f"{interrupt!r}: lost {lost}"
    unsent = getattr(interrupt, "unsent_requests", None)
    if unsent is not None:
        listed = {wire(r) for r in unsent}
        missing = sorted(
            k for k, r in latest.items() if r not in ledger.written and r not in listed
        )
        if missing:
            return f"{interrupt!r}: not in unsent_requests {missing}"
    return None


def check_recovered(ledger: Ledger, given: list[Step], interrupted: Step | None) -> None:
    """After a later flush: the table holds what the writes given, in order, leave."""
    expected = [expected_items(given)]
    if interrupted is not None:
        expected.append(expected_items([*given, interrupted]))
    assert ledger.items in expected, sorted(set(ledger.items) ^ set(expected[0]))
