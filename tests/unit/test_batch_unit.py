"""batch_get and batch_write against a fake DynamoDB: unprocessed work, backoff, failures."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import pytest

from dynamodb2._schema import KeySchema
from dynamodb2._wire import Distinct
from dynamodb2.batch import BatchTable
from dynamodb2.exceptions import (
    BatchGetError,
    BatchWriteError,
    ParameterValidationError,
    ValidationException,
)
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.retry import Pacing, RetryPolicy
from dynamodb2.table import Table
from dynamodb2.types import BINARY, NUMBER, Dynamizer
from tests.support.fakes import ScriptedTransport, ServiceError, fake_connection

WireItem = dict[str, Any]


def user(name: str, **extra: str) -> WireItem:
    item: WireItem = {"username": {"S": name}}
    item.update({field: {"S": value} for field, value in extra.items()})
    return item


def make_table(
    responder: Callable[[str, dict[str, Any]], Mapping[str, Any]], max_attempts: int = 4
) -> tuple[Table, ScriptedTransport, list[float]]:
    sleeps: list[float] = []
    connection, fake = fake_connection(responder, sleeps=sleeps, max_attempts=max_attempts)
    table = Table("users", schema=[HashKey("username")], connection=connection)
    return table, fake, sleeps


class Store:
    """A users table in memory that leaves the first ``unprocessed`` rounds of each call
    kind unanswered (chosen per round by ``hold_back``)."""

    def __init__(self, hold_back: Callable[[int, list[Any]], list[Any]] | None = None) -> None:
        self.items: dict[str, WireItem] = {}
        self.rounds = 0
        self.hold_back = hold_back or (lambda _round, _requests: [])
        self.written: list[dict[str, Any]] = []

    def __call__(self, operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        self.rounds += 1
        if operation == "BatchGetItem":
            keys = body["RequestItems"]["users"]["Keys"]
            held = self.hold_back(self.rounds, keys)
            answered = [
                self.items[key["username"]["S"]]
                for key in keys
                if key not in held and key["username"]["S"] in self.items
            ]
            response: dict[str, Any] = {"Responses": {"users": answered}}
            if held:
                response["UnprocessedKeys"] = {"users": {"Keys": held}}
            return response
        if operation == "BatchWriteItem":
            requests = body["RequestItems"]["users"]
            held = self.hold_back(self.rounds, requests)
            for request in requests:
                if request in held:
                    continue
                self.written.append(request)
                if "PutRequest" in request:
                    item = request["PutRequest"]["Item"]
                    self.items[item["username"]["S"]] = item
                else:
                    self.items.pop(request["DeleteRequest"]["Key"]["username"]["S"], None)
            return {"UnprocessedItems": {"users": held}} if held else {}
        raise AssertionError(f"unexpected {operation}")


# ---------------------------------------------------------------------- batch_get


def test_batch_get_returns_keys_from_a_page_left_wholly_unprocessed_after_a_backoff() -> None:
    store = Store(hold_back=lambda round_, keys: keys if round_ == 1 else [])
    for n in range(5):
        store.items[f"u{n}"] = user(f"u{n}")
    table, fake, sleeps = make_table(store)

    found = Counter(
        item["username"] for item in table.batch_get([{"username": f"u{n}"} for n in range(5)])
    )

    assert found == Counter({f"u{n}": 1 for n in range(5)})
    assert len(fake.bodies("BatchGetItem")) == 2
    assert len(sleeps) == 1


def test_batch_get_retries_only_the_unprocessed_keys_first() -> None:
    def hold_back(round_: int, keys: list[Any]) -> list[Any]:
        return keys[:30] if round_ == 1 else []

    store = Store(hold_back)
    for n in range(150):
        store.items[f"u{n:03d}"] = user(f"u{n:03d}")
    table, fake, sleeps = make_table(store)

    found = Counter(
        item["username"]
        for item in table.batch_get([{"username": f"u{n:03d}"} for n in range(150)])
    )

    assert found == Counter({f"u{n:03d}": 1 for n in range(150)})
    first, second, *rest = [
        body["RequestItems"]["users"]["Keys"] for body in fake.bodies("BatchGetItem")
    ]
    assert len(first) == 100
    assert second[:30] == first[:30]  # the unprocessed keys come first
    assert sum(len(keys) for keys in (first, second, *rest)) == 180
    assert len(sleeps) == 1


def test_batch_get_backs_off_longer_after_each_round_without_progress() -> None:
    store = Store(hold_back=lambda round_, keys: keys if round_ <= 3 else [])
    store.items["jane"] = user("jane")
    table, fake, sleeps = make_table(store, max_attempts=10)

    assert [item["username"] for item in table.batch_get([{"username": "jane"}])] == ["jane"]
    assert len(fake.bodies("BatchGetItem")) == 4
    assert len(sleeps) == 3


def test_batch_get_raises_batch_get_error_with_the_unread_keys_when_no_progress_is_made() -> None:
    store = Store(hold_back=lambda _round, keys: keys)
    table, fake, sleeps = make_table(store, max_attempts=4)
    results = table.batch_get([{"username": "jane"}, {"username": "john"}])

    with pytest.raises(BatchGetError) as raised:
        list(results)

    assert sorted(key["username"] for key in raised.value.unprocessed_keys) == ["jane", "john"]
    assert len(fake.bodies("BatchGetItem")) == 4
    assert len(sleeps) == 3


def test_batch_get_sends_nothing_until_iterated() -> None:
    table, fake, _ = make_table(Store())

    results = table.batch_get([{"username": "jane"}])

    assert fake.requests == []
    assert list(results) == []


# ---------------------------------------------------------------------- batch_write


def test_batch_write_sends_a_request_per_25_writes() -> None:
    store = Store()
    table, fake, _ = make_table(store)

    with table.batch_write() as batch:
        for n in range(24):
            batch.put_item({"username": f"u{n}"})
        assert fake.requests == []
        batch.put_item({"username": "u24"})
        assert len(fake.bodies("BatchWriteItem")) == 1
        batch.put_item({"username": "u25"})

    assert [len(body["RequestItems"]["users"]) for body in fake.bodies("BatchWriteItem")] == [25, 1]
    assert len(store.items) == 26


def test_batch_write_retries_unprocessed_items_with_backoff() -> None:
    def hold_back(round_: int, requests: list[Any]) -> list[Any]:
        return requests[:10] if round_ <= 2 else []

    store = Store(hold_back)
    table, fake, sleeps = make_table(store)

    with table.batch_write() as batch:
        for n in range(30):
            batch.put_item({"username": f"u{n:02d}"})

    assert sorted(store.items) == [f"u{n:02d}" for n in range(30)]
    assert len(store.written) == 30
    assert len(sleeps) >= 1
    assert len(fake.bodies("BatchWriteItem")) >= 3


def test_unprocessed_retries_back_off_while_stalled_and_relax_with_progress() -> None:
    # Round 1 sends 25 new writes and holds all but one back; rounds 2-3 hold everything
    # back (stalled); from round 4 on, each round writes one item and holds the rest.
    def hold_back(round_: int, requests: list[Any]) -> list[Any]:
        if round_ in (2, 3):
            return requests
        return requests[1:]

    store = Store(hold_back)
    table, _, _ = make_table(store, max_attempts=5)
    levels: list[int] = []

    class RecordedPacing(Pacing):
        def pause(self, level: int) -> float:
            levels.append(level)
            return 0.0

    with BatchTable(table, pacing=RecordedPacing(RetryPolicy(max_attempts=5))) as batch:
        for n in range(25):
            batch.put_item({"username": f"u{n:02d}"})

    assert len(store.items) == 25
    # Two stalled rounds raise the level; once rounds make progress it falls back to 1
    # and stays there instead of doubling for as long as anything is left.
    assert levels[:3] == [1, 2, 3]
    assert levels[3:] == [2, 1] + [1] * (len(levels) - 5)


def test_a_newer_write_supersedes_an_unprocessed_older_one() -> None:
    def hold_back(round_: int, requests: list[Any]) -> list[Any]:
        # The first request leaves the write of "jane" unprocessed.
        return (
            [
                r
                for r in requests
                if r.get("PutRequest", {}).get("Item", {}).get("username") == {"S": "jane"}
            ]
            if round_ == 1
            else []
        )

    store = Store(hold_back)
    table, fake, _ = make_table(store)

    with table.batch_write() as batch:
        batch.put_item({"username": "jane", "version": "old"})
        for n in range(24):
            batch.put_item({"username": f"u{n:02d}"})
        assert len(fake.bodies("BatchWriteItem")) == 1  # "jane" (old) came back unprocessed
        batch.put_item({"username": "jane", "version": "new"})

    assert store.items["jane"] == user("jane", version="new")
    jane_writes = [
        request
        for request in store.written
        if request.get("PutRequest", {}).get("Item", {}).get("username") == {"S": "jane"}
    ]
    assert jane_writes == [{"PutRequest": {"Item": user("jane", version="new")}}]


def test_batch_write_error_carries_every_unsent_write_when_retries_run_out() -> None:
    # The first request leaves three writes unprocessed; every later one, all of them.
    store = Store(hold_back=lambda round_, requests: requests if round_ > 1 else requests[:3])
    table, fake, sleeps = make_table(store, max_attempts=3)
    batch = table.batch_write()
    for n in range(30):
        batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(BatchWriteError) as raised:
        batch.flush_all()

    unsent = [r["PutRequest"]["Item"]["username"]["S"] for r in raised.value.unsent_requests]
    assert sorted(unsent) == ["u00", "u01", "u02", "u25", "u26", "u27", "u28", "u29"]
    assert sorted(store.items) == [f"u{n:02d}" for n in range(3, 25)]
    assert batch.unsent_requests == raised.value.unsent_requests
    # Two sends of new writes, then three rounds of retries, each after a backoff.
    assert len(fake.bodies("BatchWriteItem")) == 5
    assert len(sleeps) == 3


def test_batch_write_error_carries_every_unsent_write_when_the_call_fails() -> None:
    def refuse(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        raise ServiceError("ValidationException", "Item size has exceeded the maximum")

    table, _, _ = make_table(refuse)
    batch = table.batch_write()
    for n in range(24):
        batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(BatchWriteError) as raised:
        batch.put_item({"username": "u24"})  # the 25th write sends the batch

    assert isinstance(raised.value.__cause__, ValidationException)
    assert len(raised.value.unsent_requests) == 25

    batch.put_item({"username": "later"})
    with pytest.raises(BatchWriteError) as again:
        batch.flush_all()
    unsent = sorted(r["PutRequest"]["Item"]["username"]["S"] for r in again.value.unsent_requests)
    assert unsent == sorted([f"u{n:02d}" for n in range(25)] + ["later"])


def test_batch_write_error_from_a_throttled_call_keeps_the_chunk() -> None:
    def throttle(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        raise ServiceError("ProvisionedThroughputExceededException", "slow down")

    table, fake, sleeps = make_table(throttle, max_attempts=3)

    def write() -> None:
        with table.batch_write() as batch:
            batch.put_item({"username": "jane"})
            batch.delete_item(username="john")

    with pytest.raises(BatchWriteError) as raised:
        write()

    requests = raised.value.unsent_requests
    assert sorted(map(str, requests)) == sorted(
        map(str, [{"PutRequest": {"Item": user("jane")}}, {"DeleteRequest": {"Key": user("john")}}])
    )
    assert len(fake.requests) == 3  # the connection retried the throttling itself
    assert len(sleeps) == 2


def test_a_bad_item_raises_at_put_item_and_the_rest_of_the_batch_is_written() -> None:
    store = Store()
    table, _, _ = make_table(store)

    with table.batch_write() as batch:
        batch.put_item({"username": "before"})
        with pytest.raises(ParameterValidationError):
            batch.put_item({"username": "bad", "score": float("inf")})
        with pytest.raises(ParameterValidationError):
            batch.delete_item(name="typo")
        batch.put_item({"username": "after"})

    assert sorted(store.items) == ["after", "before"]


def test_layer1_gets_the_batchs_writes_as_a_list_equal_to_the_plain_one_it_sent_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store()
    table, fake, _ = make_table(store)
    received: list[Any] = []
    send = table.connection.batch_write_item

    def spy(request_items: dict[str, Any], **kwargs: Any) -> Any:
        received.append(request_items["users"])
        return send(request_items, **kwargs)

    monkeypatch.setattr(table.connection, "batch_write_item", spy)
    with table.batch_write() as batch:
        batch.put_item({"username": "jane"})
        batch.delete_item(username="john")
        batch.put_item({"username": "jane", "v": "2"})  # replaces the first put

    (requests,) = received
    expected = [put("jane", v="2"), {"DeleteRequest": {"Key": user("john")}}]
    # Marked as checked (layer1 does not look for duplicates again), yet equal to the list
    # boto 2 code's mocks expect, and sent as it.
    assert isinstance(requests, Distinct)
    assert requests == expected
    assert expected == requests  # (list.__eq__ of a plain list, as a mock compares)
    assert fake.bodies("BatchWriteItem") == [{"RequestItems": {"users": expected}}]


NAME_AT: Final = [HashKey("username"), RangeKey("at", data_type=NUMBER)]
#: A sort key that sorts before its partition key (identities list keys by name).
ZONE_AT: Final = [HashKey("zone"), RangeKey("at", data_type=NUMBER)]


@pytest.mark.parametrize(
    ("fields", "data"),
    [
        ([HashKey("username")], {"username": "jane", "n": 1}),
        ([HashKey("n", data_type=NUMBER)], {"n": 10**37}),
        (NAME_AT, {"at": 7, "username": "é"}),
        (NAME_AT, {"username": "jane", "at": Decimal("1.50"), "tags": {"a"}}),
        (NAME_AT, {"username": "jane", "at": -3}),
        (NAME_AT, {"username": "j" * 1025, "at": 10**38 - 1}),
        (ZONE_AT, {"zone": "eu", "at": 0}),
        (ZONE_AT, {"zone": "eu", "at": 12.5}),
        ([HashKey("id", data_type=BINARY)], {"id": b"\x00\x01"}),
    ],
)
def test_a_puts_identity_is_the_one_an_unprocessed_copy_of_it_gets(
    fields: list[Any], data: dict[str, Any]
) -> None:
    schema = Table("users", schema=fields).key_schema

    item, identity = schema.encode_put(data)

    assert item == schema.encode_item(data)
    assert identity == schema.identity_of_write({"PutRequest": {"Item": item}})
    # DynamoDB may write a number back otherwise ("1.500" for "1.50"): the same key.
    echoed = {
        name: {"N": value["N"] + ("0" if "." in value["N"] else ".0")} if "N" in value else value
        for name, value in item.items()
    }
    assert identity == schema.identity_of_write({"PutRequest": {"Item": echoed}})


#: A key whose types are known (as after describe() or create()).
TYPED: Final = KeySchema("users", ("zone", "at"), {"zone": "S", "at": "N"}, Dynamizer())


@pytest.mark.parametrize(
    ("schema", "data"),
    [
        (TYPED, {"zone": "eu"}),
        (TYPED, {"zone": "", "at": 1}),
        (TYPED, {"zone": 5, "at": 1}),
        (TYPED, {"zone": "eu", "at": "1"}),
        (TYPED, {"zone": "eu", "at": True}),
        (TYPED, {"zone": "z" * 2049, "at": 1}),
        (TYPED, {"zone": "eu", "at": {1}}),
        (Table("users", schema=NAME_AT).key_schema, {"username": "j", "at": {1}}),
        (Table("users", schema=NAME_AT).key_schema, {"username": "j" * 2049, "at": 1}),
        (Table("users", schema=[HashKey("id", data_type=BINARY)]).key_schema, {"id": b""}),
    ],
)
def test_encode_put_refuses_a_bad_key_as_encode_item_does(
    schema: KeySchema, data: dict[str, Any]
) -> None:
    with pytest.raises(ParameterValidationError) as expected:
        schema.encode_item(data)

    with pytest.raises(type(expected.value), match=re.escape(str(expected.value))):
        schema.encode_put(data)


def test_put_item_with_a_bad_key_buffers_nothing() -> None:
    table, fake, _ = make_table(Store())
    batch = table.batch_write()

    with pytest.raises(ParameterValidationError, match="key attributes cannot be empty"):
        batch.put_item({"username": ""}, store_empty=True)

    assert batch.unsent_requests == []
    assert fake.requests == []


def _refused_by_layer1(table: Table, fake: ScriptedTransport, batch: BatchTable) -> None:
    with pytest.raises(BatchWriteError, match="item keys contains duplicates") as raised:
        batch.flush_all()
    assert fake.requests == []
    assert len(raised.value.unsent_requests) == 2


def test_unprocessed_writes_whose_key_the_batch_cannot_read_are_checked_by_layer1() -> None:
    table, fake, _ = make_table(Store(), max_attempts=1)
    batch = table.batch_write()
    # Boto 2 code can queue any request: these lack the key, so the batch never merges
    # them, and does not mark its request as checked: layer1 refuses the two equal puts.
    no_key = {"PutRequest": {"Item": {"name": {"S": "x"}}}}
    batch._unprocessed = [no_key, dict(no_key)]

    _refused_by_layer1(table, fake, batch)


def test_a_delete_whose_key_is_not_the_tables_is_checked_by_layer1() -> None:
    table, fake, _ = make_table(Store(), max_attempts=1)
    batch = table.batch_write()
    # Its key has an attribute more than the table's: the batch tells it from the put,
    # and leaves layer1 to find that the put holds the whole key.
    batch._unprocessed = [
        put("jane", at="1"),
        {"DeleteRequest": {"Key": user("jane", at="1")}},
    ]

    _refused_by_layer1(table, fake, batch)


def test_unprocessed_writes_are_checked_by_layer1_even_when_their_keys_differ() -> None:
    table, fake, _ = make_table(Store(), max_attempts=1)
    batch = table.batch_write()
    # Made-up requests whose key values read as two keys ("1" and "1.0") though the
    # items are equal (1 == 1.0): layer1 finds the same put twice.
    batch._unprocessed = [
        {"PutRequest": {"Item": {"username": {"S": 1}}}},
        {"PutRequest": {"Item": {"username": {"S": 1.0}}}},
    ]

    _refused_by_layer1(table, fake, batch)


@pytest.mark.parametrize("known_before_sending", [None, [HashKey("username")], NAME_AT])
def test_a_batch_on_a_table_of_unknown_key_has_its_writes_checked_by_layer1(
    known_before_sending: list[Any] | None,
) -> None:
    connection, fake = fake_connection(Store(), max_attempts=1)
    table = Table("users", connection=connection)  # no schema, never described
    batch = table.batch_write()
    batch.put_item({"username": "jane", "at": 1})
    batch.put_item({"username": "jane", "at": 1})  # the key is not known: not merged
    if known_before_sending:
        table.schema = known_before_sending  # known now, not when the writes were added

    _refused_by_layer1(table, fake, batch)


class Interrupted(Exception):
    """Raised inside a batch block by the tests."""


def test_leaving_a_block_that_raised_flushes_and_the_block_exception_propagates() -> None:
    store = Store()
    table, _, _ = make_table(store)

    def write_then_fail() -> None:
        with table.batch_write() as batch:
            batch.put_item({"username": "jane"})
            raise Interrupted

    with pytest.raises(Interrupted):
        write_then_fail()
    assert sorted(store.items) == ["jane"]


def test_a_flush_failing_after_the_block_raised_reports_the_unsent_writes_and_both_errors() -> None:
    def refuse(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        raise ServiceError("ValidationException", "no")

    table, _, _ = make_table(refuse)

    def write_then_fail() -> None:
        with table.batch_write() as batch:
            batch.put_item({"username": "jane"})
            raise Interrupted

    with pytest.raises(BatchWriteError) as raised:
        write_then_fail()
    assert isinstance(raised.value.block_exception, Interrupted)
    assert isinstance(raised.value.__cause__, ValidationException)
    assert "ValidationException" in str(raised.value)
    assert raised.value.unsent_requests == [{"PutRequest": {"Item": user("jane")}}]


def test_an_error_the_exit_flush_made_good_lists_nothing_as_unsent() -> None:
    store = Store()
    failing = {"left": 1}

    def fail_once(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        if failing["left"]:
            failing["left"] -= 1
            raise ServiceError("InternalServerError", "try later")
        return store(operation, body)

    table, _, _ = make_table(fail_once, max_attempts=1)

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(25):  # the 25th put sends the batch, which fails
                batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(BatchWriteError) as raised:
        write()
    # The exit flush wrote all 25: listing them as unsent would invite sending them again.
    assert len(store.items) == 25
    assert raised.value.unsent_requests == []


def test_an_error_the_exit_flush_could_not_make_good_still_lists_the_unsent() -> None:
    def refuse(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        raise ServiceError("InternalServerError", "try later")

    table, _, _ = make_table(refuse, max_attempts=1)

    def write() -> None:
        with table.batch_write() as batch:
            for n in range(25):
                batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(BatchWriteError) as raised:
        write()
    assert len(raised.value.unsent_requests) == 25
    assert isinstance(raised.value.block_exception, BatchWriteError)


class Stop(BaseException):
    """Like KeyboardInterrupt: not an Exception, so nothing on the way catches it."""


def test_an_interrupted_send_propagates_as_it_is_and_the_batch_keeps_its_writes() -> None:
    store = Store()
    calls = 0

    def interrupted_once(operation: str, body: dict[str, Any]) -> Mapping[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise Stop
        return store(operation, body)

    table, _, _ = make_table(interrupted_once)
    batch = table.batch_write()
    for n in range(24):
        batch.put_item({"username": f"u{n:02d}"})

    with pytest.raises(Stop):
        batch.put_item({"username": "u24"})  # the 25th write sends the batch

    assert len(batch.unsent_requests) == 25
    assert batch.flush() is True
    assert sorted(store.items) == [f"u{n:02d}" for n in range(25)]
    assert batch.unsent_requests == []


def test_an_explicit_flush_writes_the_unprocessed_writes_too() -> None:
    # The first round leaves every write unprocessed; boto 2's flush() stopped there.
    store = Store(hold_back=lambda round_, requests: requests if round_ == 1 else [])
    table, fake, sleeps = make_table(store)
    batch = table.batch_write()
    for n in range(10):
        batch.put_item({"username": f"u{n}"})

    assert batch.flush() is True

    assert sorted(store.items) == [f"u{n}" for n in range(10)]
    assert batch.unsent_requests == []
    assert len(fake.bodies("BatchWriteItem")) == 2
    assert len(sleeps) == 1


def test_adding_writes_leaves_unprocessed_ones_for_later_until_a_full_request_gathers() -> None:
    # Adding the 25th write sends the buffer but does not wait to retry what came back
    # unprocessed: that waits for 25 unprocessed writes, or for flush().
    store = Store(hold_back=lambda round_, requests: requests[:5] if round_ == 1 else [])
    table, _, sleeps = make_table(store)
    batch = table.batch_write()
    for n in range(25):
        batch.put_item({"username": f"u{n:02d}"})

    assert len(store.items) == 20
    assert len(batch.unsent_requests) == 5
    assert sleeps == []

    batch.flush()
    assert len(store.items) == 25


# ---------------------------------------------------------------------- boto 2's batch methods


def put(name: str, **extra: str) -> dict[str, Any]:
    return {"PutRequest": {"Item": user(name, **extra)}}


class ShouldFlushRecordingBatch(BatchTable):
    """A BatchTable that notes each answer of should_flush() (put_item asks it)."""

    def __init__(self, table: Table) -> None:
        super().__init__(table)
        self.answers: list[bool] = []

    def should_flush(self) -> bool:
        answer = super().should_flush()
        self.answers.append(answer)
        return answer


def test_should_flush_is_false_below_25_buffered_writes_and_true_at_25() -> None:
    store = Store()
    table, fake, _ = make_table(store)
    batch = ShouldFlushRecordingBatch(table)

    for n in range(23):
        batch.put_item({"username": f"u{n:02d}"})
    batch.delete_item(username="gone")
    assert batch.answers == [False] * 24
    assert fake.requests == []

    batch.put_item({"username": "u23"})  # the 25th buffered write (puts and deletes count)

    assert batch.answers[24] is True
    assert [len(body["RequestItems"]["users"]) for body in fake.bodies("BatchWriteItem")] == [25]
    assert batch.should_flush() is False  # the flush emptied the buffer


def test_should_flush_counts_writes_to_the_same_key_once() -> None:
    table, fake, _ = make_table(Store())
    batch = table.batch_write()

    for n in range(24):
        batch.put_item({"username": f"u{n:02d}"})
    batch.put_item({"username": "u00", "version": "newer"})  # replaces the buffered write

    assert batch.should_flush() is False
    assert fake.requests == []


def test_flush_sends_every_buffered_write_and_returns_true() -> None:
    store = Store()
    table, fake, _ = make_table(store)
    batch = table.batch_write()
    batch.put_item({"username": "jane"})
    batch.delete_item(username="john")
    store.items["john"] = user("john")

    assert batch.flush() is True

    assert fake.bodies("BatchWriteItem") == [
        {"RequestItems": {"users": [put("jane"), {"DeleteRequest": {"Key": user("john")}}]}}
    ]
    assert sorted(store.items) == ["jane"]
    assert batch.unsent_requests == []


def test_flush_with_nothing_buffered_sends_nothing() -> None:
    table, fake, sleeps = make_table(Store())

    assert table.batch_write().flush() is True

    assert fake.requests == []
    assert sleeps == []


def test_handle_unprocessed_keeps_the_unprocessed_items_of_a_response_for_retry() -> None:
    store = Store()
    table, fake, _ = make_table(store)
    batch = table.batch_write()
    unprocessed = [put("jane"), {"DeleteRequest": {"Key": user("john")}}]

    batch.handle_unprocessed({"UnprocessedItems": {"users": unprocessed}})

    assert fake.requests == []  # kept, not sent
    assert batch.unsent_requests == unprocessed
    store.items["john"] = user("john")
    batch.flush_all()
    assert sorted(store.items) == ["jane"]
    assert batch.unsent_requests == []


@pytest.mark.parametrize(
    "response",
    [{}, {"UnprocessedItems": {}}, {"UnprocessedItems": {"other_table": [put("jane")]}}],
    ids=["no-key", "empty", "other-table"],
)
def test_handle_unprocessed_keeps_nothing_when_nothing_of_this_table_is_unprocessed(
    response: dict[str, Any],
) -> None:
    table, _, _ = make_table(Store())
    batch = table.batch_write()

    batch.handle_unprocessed(response)

    assert batch.unsent_requests == []


def test_handle_unprocessed_lets_a_newer_pending_write_to_the_same_key_win() -> None:
    store = Store()
    table, fake, _ = make_table(store)
    batch = table.batch_write()
    batch.put_item({"username": "jane", "version": "new"})

    batch.handle_unprocessed({"UnprocessedItems": {"users": [put("jane", version="old")]}})

    assert batch.unsent_requests == [put("jane", version="new")]
    batch.flush_all()
    assert store.written == [put("jane", version="new")]
    assert len(fake.bodies("BatchWriteItem")) == 1


def test_resend_unprocessed_sends_only_the_unprocessed_writes_25_at_a_time_after_a_backoff() -> (
    None
):
    store = Store()
    table, fake, sleeps = make_table(store)
    batch = table.batch_write()
    batch.put_item({"username": "buffered"})
    unprocessed = [put(f"u{n:02d}") for n in range(30)]
    batch.handle_unprocessed({"UnprocessedItems": {"users": unprocessed}})

    batch.resend_unprocessed()

    sent = [body["RequestItems"]["users"] for body in fake.bodies("BatchWriteItem")]
    assert [len(requests) for requests in sent] == [25, 5]
    assert [request for requests in sent for request in requests] == unprocessed
    assert len(sleeps) == 2  # one backoff before each round
    assert sorted(store.items) == [f"u{n:02d}" for n in range(30)]
    assert batch.unsent_requests == [put("buffered")]  # buffered writes are not its business


def test_resend_unprocessed_keeps_resending_what_comes_back_unprocessed() -> None:
    # The first resend leaves two writes unprocessed again; the second writes them.
    store = Store(hold_back=lambda round_, requests: requests[:2] if round_ == 1 else [])
    table, fake, sleeps = make_table(store)
    batch = table.batch_write()
    batch.handle_unprocessed({"UnprocessedItems": {"users": [put("a"), put("b"), put("c")]}})

    batch.resend_unprocessed()

    sent = [body["RequestItems"]["users"] for body in fake.bodies("BatchWriteItem")]
    assert sent == [[put("a"), put("b"), put("c")], [put("a"), put("b")]]
    assert sorted(store.items) == ["a", "b", "c"]
    assert batch.unsent_requests == []
    assert len(sleeps) == 2


def test_resend_unprocessed_with_nothing_unprocessed_sends_nothing_and_does_not_wait() -> None:
    table, fake, sleeps = make_table(Store())

    table.batch_write().resend_unprocessed()

    assert fake.requests == []
    assert sleeps == []


def test_resend_unprocessed_raises_batch_write_error_after_rounds_without_progress() -> None:
    store = Store(hold_back=lambda _round, requests: requests)
    table, fake, sleeps = make_table(store, max_attempts=3)
    batch = table.batch_write()
    batch.handle_unprocessed({"UnprocessedItems": {"users": [put("jane"), put("john")]}})

    with pytest.raises(BatchWriteError) as raised:
        batch.resend_unprocessed()

    assert raised.value.unsent_requests == [put("jane"), put("john")]
    assert batch.unsent_requests == [put("jane"), put("john")]
    assert len(fake.bodies("BatchWriteItem")) == 3
    assert len(sleeps) == 3
    assert store.items == {}
