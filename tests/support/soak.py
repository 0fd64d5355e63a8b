"""The soak test: many threads of mixed work for minutes, through injected faults, with a
model of every write to find what was lost or doubled.

``nox -s soak`` (or ``python -m tests.support.soak``) starts dynalite, puts the fault-injecting
proxy of :mod:`tests.support.faults` in front of it, and runs ``--threads`` threads (16) for
``--minutes`` minutes (10) sharing one ``Connection`` and one ``Table``: puts, gets,
updates, deletes, queries, batch writes and batch gets, each thread on its own partition
of the table, checking every read against its model as it goes. The proxy injects every
fault kind of :class:`tests.support.faults.Fault` (throttling, 500, 503, resets before and after
the backend applied the request, read timeouts, truncated bodies, corrupted bodies,
unprocessed batch entries) plus delays that stay under the read timeout. At the end a
clean scan must hold exactly the union of the models: what differs is lost, what a scan
sees twice is duplicated.

It prints the figures docs/reliability.md reports (``--json PATH`` writes them too) and
exits with status 1 if anything was lost, duplicated or read wrong. Not part of the test
suite or CI: ``nox -s soak -- --minutes 1`` is a quick run.

Only idempotent writes are used (puts, deletes, ``SET`` updates, batch puts and
deletes): a counter whose response is lost is applied twice, as docs/reliability.md
says, and would be counted as damage that is not.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Final

import attrs

from dynamodb2.connection import Connection
from dynamodb2.exceptions import DynamoDBError, DynamoDBResponseError, ItemNotFound
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.retry import RetryPolicy
from dynamodb2.table import Table
from dynamodb2.types import NUMBER
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, running_dynalite
from tests.support.faults import Fault, FaultInjector, FaultPlan, FaultyProxy
from tests.support.table_support import create_table

TABLE: Final = "soak"
KEYS_PER_THREAD: Final = 64
KINDS: Final = ("put", "get", "update", "delete", "query", "batch_write", "batch_get")
WEIGHTS: Final = (25, 25, 15, 10, 10, 8, 7)
#: Each attempt's read timeout; the proxy stalls twice as long on a READ_TIMEOUT fault.
READ_TIMEOUT: Final = 1.0
#: Retries as a production client would make them, with shorter waits (a soak of ten
#: minutes should spend them working, not sleeping).
RETRY: Final = RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.5)


def plan(rate: float) -> FaultPlan:
    """Every fault kind, ``rate`` of the requests in all; batch requests also left partly
    unprocessed 10% of the time; read timeouts rarer (each costs two seconds)."""
    kinds = [fault for fault in Fault if fault not in (Fault.UNPROCESSED, Fault.READ_TIMEOUT)]
    rates: dict[Fault, float] = dict.fromkeys(kinds, rate / len(kinds))
    rates[Fault.READ_TIMEOUT] = rate / 40
    rates[Fault.UNPROCESSED] = 0.10
    return FaultPlan(rates=rates, max_streak=3)


class SoakProxy(FaultyProxy):
    """The fault proxy, also delaying some requests it forwards (by less than the read
    timeout: slow answers, not lost ones)."""

    def __init__(
        self, upstream: str, injector: FaultInjector, *, delay_rate: float, seed: int
    ) -> None:
        super().__init__(upstream, injector, stall=READ_TIMEOUT * 2)
        self.delay_rate = delay_rate
        self.delays = 0
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def forward(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        with self._lock:
            delay = (
                self._random.uniform(0.05, READ_TIMEOUT / 2)
                if self._random.random() < self.delay_rate
                else 0.0
            )
            if delay:
                self.delays += 1
        if delay:
            self.wait_or_closed(delay)
        return super().forward(method, path, headers, body)


# --------------------------------------------------------------------------- one thread


@attrs.define
class Worker:
    """One thread's partition, model and findings."""

    owner: str
    table: Table
    rng: random.Random
    model: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    done: Counter[str] = attrs.field(factory=Counter)
    errors: Counter[str] = attrs.field(factory=Counter)
    #: Keys whose last write raised: it may or may not have been applied.
    unsure: set[int] = attrs.field(factory=set)
    problems: list[str] = attrs.field(factory=list)

    def run(self, deadline: float, start: threading.Barrier) -> Worker:
        start.wait()
        while time.monotonic() < deadline:
            kind = self.rng.choices(KINDS, WEIGHTS)[0]
            try:
                getattr(self, kind)()
            except (DynamoDBError, DynamoDBResponseError) as error:
                # The retries ran out (or a batch gave up): not damage, but counted.
                self.errors[f"{kind}: {type(error).__name__}"] += 1
                continue
            self.done[kind] += 1
        return self

    def _value(self, k: int) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "k": k,
            "v": self.rng.randrange(10**9),
            "tags": {f"t{self.rng.randrange(4)}", "x"},
            "doc": {"n": [self.rng.randrange(100), "s"], "m": {"deep": self.rng.randrange(9)}},
            "pad": "x" * self.rng.randrange(1, 400),
        }

    def _write(self, k: int, data: dict[str, Any] | None, action: Any) -> None:
        """Do a write of ``k`` and note it in the model (as unsure if it raised)."""
        try:
            action()
        except BaseException:
            self.unsure.add(k)
            raise
        self.unsure.discard(k)
        if data is None:
            self.model.pop(k, None)
        else:
            self.model[k] = plain(data)

    def _check(self, what: str, k: int, found: dict[str, Any] | None) -> None:
        if k not in self.unsure and found != self.model.get(k):
            self.problems.append(f"{what} {self.owner}/{k}: {found} != {self.model.get(k)}")

    def put(self) -> None:
        k = self.rng.randrange(KEYS_PER_THREAD)
        data = self._value(k)
        self._write(k, data, lambda: self.table.put_item(data, overwrite=True))

    def get(self) -> None:
        k = self.rng.randrange(KEYS_PER_THREAD)
        try:
            found: dict[str, Any] | None = plain(
                self.table.get_item(owner=self.owner, k=k, consistent=True)
            )
        except ItemNotFound:
            found = None
        self._check("get", k, found)

    def update(self) -> None:
        k = self.rng.randrange(KEYS_PER_THREAD)
        if k in self.unsure:
            # What is stored is not known: an update would be checked against a guess.
            self.put()
            return
        value = self.rng.randrange(10**9)
        before = self.model.get(k, {"owner": self.owner, "k": Decimal(k)})
        after = {**before, "v": Decimal(value), "updated": Decimal(1)}
        self._write(
            k,
            after,
            lambda: self.table.update_item(
                {"owner": self.owner, "k": k}, set={"v": value, "updated": 1}
            ),
        )

    def delete(self) -> None:
        k = self.rng.randrange(KEYS_PER_THREAD)
        self._write(k, None, lambda: self.table.delete_item(owner=self.owner, k=k))

    def query(self) -> None:
        found = {
            int(item["k"]): plain(item)
            for item in self.table.query_2(owner__eq=self.owner, consistent=True, max_page_size=9)
        }
        for k in set(found) | set(self.model):
            self._check("query", k, found.get(k))

    def batch_write(self) -> None:
        keys = self.rng.sample(range(KEYS_PER_THREAD), self.rng.randrange(5, 40))
        planned: dict[int, dict[str, Any] | None] = {}
        try:
            with self.table.batch_write() as batch:
                for k in keys:
                    if self.rng.random() < 0.2:
                        batch.delete_item(owner=self.owner, k=k)
                        planned[k] = None
                    else:
                        put = self._value(k)
                        batch.put_item(put)
                        planned[k] = put
        except BaseException:
            self.unsure.update(planned)
            raise
        for k, written in planned.items():
            self.unsure.discard(k)
            if written is None:
                self.model.pop(k, None)
            else:
                self.model[k] = plain(written)

    def batch_get(self) -> None:
        keys = self.rng.sample(range(KEYS_PER_THREAD), self.rng.randrange(5, 60))
        found: Counter[int] = Counter()
        values: dict[int, dict[str, Any]] = {}
        for item in self.table.batch_get(
            [{"owner": self.owner, "k": k} for k in keys], consistent=True
        ):
            k = int(item["k"])
            found[k] += 1
            values[k] = plain(item)
        for k, times in found.items():
            if times > 1:
                self.problems.append(f"batch_get {self.owner}/{k}: returned {times} times")
        for k in keys:
            self._check("batch_get", k, values.get(k))


def plain(item: Any) -> dict[str, Any]:
    """An item as a dict with numbers as ``Decimal``, to compare with a model entry."""
    return {name: _decimals(value) for name, value in dict(item.items()).items()}


def _decimals(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, dict):
        return {name: _decimals(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_decimals(inner) for inner in value]
    return value


# --------------------------------------------------------------------------- the run


def connect(endpoint_url: str, *, threads: int) -> Connection:
    return Connection(
        region_name=REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        retry=RETRY,
        read_timeout=READ_TIMEOUT,
        connect_timeout=2.0,
        max_pool_connections=threads,
    )


def soak(
    *, minutes: float, threads: int, seed: int, fault_rate: float, delay_rate: float
) -> dict[str, Any]:
    """Run the soak; return its figures."""
    with running_dynalite() as dynalite:
        clean = connect(dynalite, threads=1)
        create_table(clean, TABLE, [HashKey("owner"), RangeKey("k", data_type=NUMBER)])
        injector = FaultInjector(plan(fault_rate), seed=seed)
        proxy = SoakProxy(dynalite, injector, delay_rate=delay_rate, seed=seed)
        with proxy:
            connection = connect(proxy.url, threads=threads)
            # The key is not given: the threads learn it together from DescribeTable.
            table = Table(TABLE, connection=connection)
            start = threading.Barrier(threads)
            began = time.monotonic()
            deadline = began + minutes * 60
            workers = [
                Worker(f"t{n:02d}", table, random.Random(seed * 1000 + n)) for n in range(threads)
            ]
            with ThreadPoolExecutor(threads, thread_name_prefix="soak") as pool:
                futures = [pool.submit(worker.run, deadline, start) for worker in workers]
                for future in futures:
                    future.result()
            elapsed = time.monotonic() - began
            retries = connection.retries
            throttle_events = connection.throttle_events
            connection.close()
        final, duplicated = final_state(clean)
        clean.close()
    expected = {(worker.owner, k): data for worker in workers for k, data in worker.model.items()}
    unsure = {(worker.owner, k) for worker in workers for k in worker.unsure}
    lost = sorted(
        f"{owner}/{k}"
        for (owner, k), data in expected.items()
        if (owner, k) not in unsure and final.get((owner, k)) != data
    )
    lost += sorted(
        f"{owner}/{k} (deleted, still there)"
        for (owner, k) in final
        if (owner, k) not in expected and (owner, k) not in unsure
    )
    operations: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for worker in workers:
        operations.update(worker.done)
        errors.update(worker.errors)
    problems = [problem for worker in workers for problem in worker.problems]
    faults = {fault.value: injector.injected[fault] for fault in Fault}
    faults["delay"] = proxy.delays
    return {
        "minutes": round(elapsed / 60, 2),
        "threads": threads,
        "seed": seed,
        "operations": sum(operations.values()),
        "operations_per_second": round(sum(operations.values()) / elapsed, 1),
        "operations_by_kind": dict(sorted(operations.items())),
        "requests": injector.total_requests,
        "requests_by_operation": dict(sorted(injector.requests.items())),
        "faults": sum(faults.values()),
        "faults_by_kind": faults,
        "unprocessed_entries": injector.unprocessed_entries,
        "retries": retries,
        "throttle_events": throttle_events,
        "errors_raised": dict(sorted(errors.items())),
        "unsure_keys": len(unsure),
        "items_at_end": len(final),
        "lost": len(lost),
        "lost_examples": lost[:10],
        "duplicated": duplicated,
        "wrong_reads": len(problems),
        "wrong_read_examples": problems[:10],
    }


def final_state(clean: Connection) -> tuple[dict[tuple[str, int], dict[str, Any]], int]:
    """Every item a clean, consistent scan finds, and how many it found twice."""
    table = Table(TABLE, schema=[HashKey("owner"), RangeKey("k")], connection=clean)
    final: dict[tuple[str, int], dict[str, Any]] = {}
    duplicated = 0
    for item in table.scan(consistent=True):
        key = (str(item["owner"]), int(item["k"]))
        duplicated += key in final
        final[key] = plain(item)
    return final, duplicated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.soak",
        description="Threads of mixed work against dynalite through injected faults.",
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    parser.add_argument("--threads", type=int, default=16, help="worker threads (default 16)")
    parser.add_argument("--seed", type=int, default=20240607, help="faults' and work's seed")
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=0.08,
        help="share of requests given a fault (default 0.08), besides unprocessed batches",
    )
    parser.add_argument(
        "--delay-rate", type=float, default=0.02, help="share of requests delayed (0.02)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH")
    options = parser.parse_args(argv)
    print(
        f"soak: {options.threads} threads for {options.minutes:g} minutes against dynalite "
        "through the fault proxy...",
        flush=True,
    )
    figures = soak(
        minutes=options.minutes,
        threads=options.threads,
        seed=options.seed,
        fault_rate=options.fault_rate,
        delay_rate=options.delay_rate,
    )
    text = json.dumps(figures, indent=2)
    print(text)
    if options.json:
        with open(options.json, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    damaged = figures["lost"] or figures["duplicated"] or figures["wrong_reads"]
    print("soak: " + ("FAILED" if damaged else "ok: nothing lost, duplicated or read wrong"))
    return 1 if damaged else 0


if __name__ == "__main__":
    sys.exit(main())
