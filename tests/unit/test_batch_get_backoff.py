"""batch_get's backoff under partial progress: every request leaves half its keys unprocessed.

Measured before the fix (main at 4f2deab, the same scripted transport, the default retry
policy): 5,000 keys took 105 requests and 979 to 1,137 s of waiting over three seeds
(single waits up to 19.97 s), because the backoff grew with every round that left *any*
key unprocessed. It now grows only while rounds make no progress, as ``BatchTable``'s
does: the same 5,000 keys wait 2.6 to 3.1 s in all, every wait at the first level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import pytest

from dynamodb2.fields import HashKey
from dynamodb2.retry import DEFAULT_RETRY_POLICY, Pacing
from dynamodb2.table import Table
from tests.support.fakes import fake_connection

KEYS = 5_000


def half_unprocessed(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
    """Answers the first half of each request's keys (as found items) and leaves the
    other half unprocessed."""
    assert operation == "BatchGetItem"
    keys = body["RequestItems"]["users"]["Keys"]
    held = keys[len(keys) - len(keys) // 2 :]
    answered = keys[: len(keys) - len(held)]
    response: dict[str, Any] = {"Responses": {"users": answered}}
    if held:
        response["UnprocessedKeys"] = {"users": {"Keys": held}}
    return response


def test_batch_get_with_half_of_each_request_unprocessed_waits_seconds_not_minutes() -> None:
    sleeps: list[float] = []
    connection, fake = fake_connection(half_unprocessed, sleeps=sleeps, retry=DEFAULT_RETRY_POLICY)
    table = Table("users", schema=[HashKey("username")], connection=connection)
    wanted = [f"u{n:05d}" for n in range(KEYS)]

    found = Counter(
        item["username"] for item in table.batch_get([{"username": name} for name in wanted])
    )

    assert found == Counter(wanted)  # every item exactly once
    requests = len(fake.bodies("BatchGetItem"))
    # Each full request reads 50 new keys: about KEYS / 50 requests, then a short tail.
    assert requests <= KEYS // 50 + 10
    assert len(sleeps) == requests - 1  # a wait before each request that follows a partial one
    # Every request made progress, so every wait stays at the first level (at most
    # base_delay): the total is bounded by requests x 0.05 s, about 5 s, where it was
    # about 1,000 s. (Drawn uniformly below that cap: about 2.6 s on average.)
    first_level = DEFAULT_RETRY_POLICY.delay_cap(1)
    assert max(sleeps) <= first_level
    assert sum(sleeps) <= len(sleeps) * first_level <= 6.0


def test_batch_get_backoff_still_grows_while_rounds_return_nothing_new(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Round 1 reads half; rounds 2 and 3 return nothing at all; then half again.
    rounds = 0

    def stall_then_half(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        nonlocal rounds
        rounds += 1
        if rounds in (2, 3):
            return {"UnprocessedKeys": {"users": {"Keys": body["RequestItems"]["users"]["Keys"]}}}
        return half_unprocessed(operation, body)

    levels: list[int] = []

    def pause(self: Pacing, level: int) -> float:
        levels.append(level)
        return 0.0

    monkeypatch.setattr(Pacing, "pause", pause)
    connection, _ = fake_connection(stall_then_half, retry=DEFAULT_RETRY_POLICY)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    found = sorted(
        item["username"]
        for item in table.batch_get([{"username": f"u{n:03d}"} for n in range(100)])
    )

    assert found == [f"u{n:03d}" for n in range(100)]
    # The empty rounds raise the level (1, 2, 3); rounds that make progress bring it down
    # by two each (the level rises by one before each round), back to the first.
    assert levels[:5] == [1, 2, 3, 2, 1]
    assert set(levels[5:]) == {1}
