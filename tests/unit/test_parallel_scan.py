"""Table.parallel_scan: every item once, bounded memory, clean stops, errors raised."""

from __future__ import annotations

import collections
import gc
import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from dynamodb2._parallel import DEFAULT_MAX_WORKERS, parallel_scan
from dynamodb2.exceptions import ParameterValidationError, ValidationException
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse, HTTPTransport, Transport
from tests.support.backends import Backend
from tests.support.fakes import refuse_everything, scripted_connection
from tests.support.segments import PagedSegments

THREAD_PREFIX = "dynamodb2-parallel-scan"


def scan_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def scripted_table(responder: Callable[[str, dict[str, Any]], dict[str, Any]]) -> Table:
    connection, _transport = scripted_connection(responder)
    return Table("events", schema=[HashKey("id")], connection=connection)


# ---------------------------------------------------------------------- unit: scripted pages


def test_parallel_scan_yields_every_item_of_every_segment_once() -> None:
    pages = PagedSegments(segments=4, pages=5, per_page=3)
    table = scripted_table(pages)

    seen = [item["id"] for item in table.parallel_scan(total_segments=4)]

    assert len(seen) == len(set(seen))
    assert set(seen) == pages.all_ids()
    assert pages.served == 20


def test_parallel_scan_sends_segments_filters_and_page_size() -> None:
    pages = PagedSegments(segments=2, pages=1, per_page=1)
    connection, transport = scripted_connection(pages)
    table = Table("events", schema=[HashKey("id")], connection=connection)

    list(table.parallel_scan(total_segments=2, max_page_size=7, n__gt=0, attributes=["id"]))

    bodies = sorted((body for _, body in transport.requests), key=lambda body: body["Segment"])
    assert [body["Segment"] for body in bodies] == [0, 1]
    for body in bodies:
        assert body["Limit"] == 7
        assert body["FilterExpression"] == "#n0 > :v0"
        assert body["ProjectionExpression"] == "#n1"
        assert body["ExpressionAttributeNames"] == {"#n0": "n", "#n1": "id"}


def test_fewer_workers_than_segments_still_scan_every_segment() -> None:
    pages = PagedSegments(segments=8, pages=2, per_page=2)
    table = scripted_table(pages)
    peak = 0

    seen = []
    for item in table.parallel_scan(total_segments=8, max_workers=2):
        peak = max(peak, len(scan_threads()))
        seen.append(item["id"])

    assert sorted(seen) == sorted(pages.all_ids())
    assert 1 <= peak <= 2


def test_many_segments_are_read_by_at_most_default_max_workers_threads() -> None:
    segments = DEFAULT_MAX_WORKERS * 3
    pages = PagedSegments(segments=segments, pages=2, per_page=1)
    table = scripted_table(pages)
    peak = 0

    seen = []
    for item in table.parallel_scan(total_segments=segments):
        peak = max(peak, len(scan_threads()))
        seen.append(item["id"])

    assert sorted(seen) == sorted(pages.all_ids())
    assert DEFAULT_MAX_WORKERS // 2 <= peak <= DEFAULT_MAX_WORKERS


def test_a_slow_consumer_bounds_the_pages_fetched_ahead() -> None:
    workers = 3
    pages = PagedSegments(segments=workers, pages=30, per_page=4)
    table = scripted_table(pages)
    pages_taken: set[str] = set()
    worst_lead = 0

    for count, item in enumerate(table.parallel_scan(total_segments=workers)):
        pages_taken.add(item["id"].rsplit("-i", 1)[0])
        if count == 0:
            time.sleep(0.3)  # give workers every chance to run ahead
        with pages.lock:
            lead = pages.served - len(pages_taken)
        worst_lead = max(worst_lead, lead)
        # Fetched but not yet taken: at most one page per worker.
        assert lead <= workers, f"{pages.served} pages fetched, {len(pages_taken)} taken"

    assert pages.served == 90
    assert worst_lead == workers  # the bound is reached, so the test could fail


def test_breaking_out_stops_fetching_and_ends_the_threads() -> None:
    baseline = threading.active_count()
    pages = PagedSegments(segments=4, pages=50, per_page=2)
    table = scripted_table(pages)

    for count, _item in enumerate(table.parallel_scan(total_segments=4)):
        if count == 5:
            break

    assert threading.active_count() == baseline
    assert scan_threads() == []
    served = pages.served
    assert served <= 4 + 4  # the pages taken so far plus one per worker
    time.sleep(0.05)
    assert pages.served == served


def test_close_before_the_end_ends_the_threads() -> None:
    baseline = threading.active_count()
    table = scripted_table(PagedSegments(segments=4, pages=50, per_page=2))

    items = table.parallel_scan(total_segments=4)
    next(items)
    assert threading.active_count() > baseline
    items.close()

    assert threading.active_count() == baseline


def test_dropping_the_iterator_ends_the_threads() -> None:
    baseline = threading.active_count()
    table = scripted_table(PagedSegments(segments=4, pages=50, per_page=2))

    items = table.parallel_scan(total_segments=4)
    next(items)
    del items
    gc.collect()

    assert threading.active_count() == baseline


def test_an_unstarted_parallel_scan_sends_nothing_and_starts_no_thread() -> None:
    baseline = threading.active_count()
    connection, transport = scripted_connection(refuse_everything)
    table = Table("events", schema=[HashKey("id")], connection=connection)

    items = table.parallel_scan(total_segments=4)
    del items

    assert threading.active_count() == baseline
    assert transport.requests == []


def test_a_failing_segment_raises_in_the_consumer_and_stops_the_others() -> None:
    baseline = threading.active_count()
    pages = PagedSegments(segments=4, pages=100, per_page=2, failing_segment=2)
    table = scripted_table(pages)

    with pytest.raises(ValidationException, match="injected failure"):
        for _item in table.parallel_scan(total_segments=4):
            pass

    assert threading.active_count() == baseline
    assert pages.served < 4 * 100


def test_an_exception_in_the_consumer_loop_ends_the_threads() -> None:
    baseline = threading.active_count()
    table = scripted_table(PagedSegments(segments=4, pages=50, per_page=2))

    def consume() -> None:
        for _item in table.parallel_scan(total_segments=4):
            raise KeyError("consumer failed")

    with pytest.raises(KeyError):
        consume()

    assert threading.active_count() == baseline


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"total_segments": 0}, "total_segments"),
        ({"total_segments": 1_000_001}, "total_segments"),
        ({"total_segments": True}, "total_segments"),
        ({"total_segments": 4, "max_workers": 0}, "max_workers"),
        ({"total_segments": 4, "n__bogus": 1}, "bogus"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(
    options: dict[str, Any], message: str
) -> None:
    connection, transport = scripted_connection(refuse_everything)
    table = Table("events", schema=[HashKey("id")], connection=connection)

    with pytest.raises((ParameterValidationError, ValueError), match=message):
        table.parallel_scan(**options)

    assert transport.requests == []


def test_parallel_scan_function_works_on_any_page_source() -> None:
    def fetch_page(segment: int, start: Any) -> tuple[list[int], dict[str, Any] | None]:
        page = 0 if start is None else start["page"] + 1
        return [segment * 100 + page], ({"page": page} if page < 2 else None)

    assert sorted(parallel_scan(fetch_page, total_segments=3)) == [
        0,
        1,
        2,
        100,
        101,
        102,
        200,
        201,
        202,
    ]


# ---------------------------------------------------------------------- integration


def fill_events(backend: Backend, count: int) -> Table:
    table = Table.create(
        "events",
        schema=[HashKey("stream"), RangeKey("seq", data_type="N")],
        connection=backend.connect(max_pool_connections=8),
    )
    table.wait_until_active(timeout=30)
    with table.batch_write() as batch:
        for seq in range(count):
            batch.put_item({"stream": f"stream-{seq % 37}", "seq": seq, "odd": seq % 2})
    return table


def test_parallel_scan_reads_every_item_exactly_once(backend: Backend) -> None:
    table = fill_events(backend, 300)

    seen = collections.Counter(
        (item["stream"], int(item["seq"]))
        for item in table.parallel_scan(total_segments=4, max_page_size=25)
    )

    assert len(seen) == 300
    assert set(seen.values()) == {1}
    assert {seq for _, seq in seen} == set(range(300))
    assert scan_threads() == []


def test_parallel_scan_applies_filters(backend: Backend) -> None:
    table = fill_events(backend, 120)

    odd = [int(item["seq"]) for item in table.parallel_scan(total_segments=4, odd__eq=1)]

    assert sorted(odd) == list(range(1, 120, 2))


def test_parallel_scan_early_break_ends_its_threads(backend: Backend) -> None:
    table = fill_events(backend, 200)

    taken = list(itertools.islice(table.parallel_scan(total_segments=4, max_page_size=10), 15))

    assert len(taken) == 15
    assert all(isinstance(item, Item) for item in taken)
    assert wait_for(lambda: scan_threads() == [])


def failing_segment(real: Transport, segment: int) -> Transport:
    """A transport that fails every Scan of one segment, passing the rest on."""

    def send(request: HttpRequest) -> HttpResponse:
        if request.operation == "Scan" and json.loads(request.body).get("Segment") == segment:
            body = {
                "__type": "com.amazonaws.dynamodb.v20120810#ValidationException",
                "message": f"injected failure in segment {segment}",
            }
            return HttpResponse(400, {}, json.dumps(body).encode())
        return real(request)

    return send


def test_a_failure_in_one_segment_reaches_the_consumer(backend: Backend) -> None:
    table = fill_events(backend, 100)
    real = HTTPTransport(backend.connect().events)
    failing = Table(
        "events",
        schema=table.schema,
        connection=backend.connect(transport=failing_segment(real, segment=3)),
    )

    with pytest.raises(ValidationException, match="injected failure in segment 3"):
        list(failing.parallel_scan(total_segments=4, max_page_size=5))

    assert wait_for(lambda: scan_threads() == [])
