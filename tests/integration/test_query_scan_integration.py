"""Queries and scans on every backend: each operator, paging, projections, counts, errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

from dynamodb2.exceptions import (
    ParameterValidationError,
    QueryError,
    RequestValidationError,
    UnknownFilterTypeError,
    ValidationException,
)
from dynamodb2.fields import AllIndex, GlobalAllIndex, HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.results import ResultSet
from dynamodb2.table import Table
from dynamodb2.types import NUMBER
from tests.support.backends import selected_backends
from tests.support.table_support import (
    RecordingTransport,
    backend_for_module,
    create_table,
    recorded_connection,
)

Row = dict[str, Any]


def post(forum: str, posted: int) -> Row:
    """One item of the test data: every attribute is a simple function of ``posted``."""
    row: Row = {
        "forum": forum,
        "posted": posted,
        "subject": f"s{11 - posted:02d}",
        "author": "jane" if posted % 2 else "john",
        "views": posted * 10,
        "title": "boto rocks" if posted <= 3 else "dynamo days",
        "tags": {"a", "b"} if posted % 3 == 0 else {"a"},
        "size": posted,
        "a.b": f"dot{posted}",
        "first-name": "Jane" if posted % 2 else "John",
    }
    if posted in (2, 4):
        row["note"] = "has a note"
    return row


ROWS: list[Row] = [post("python", posted) for posted in range(1, 11)] + [
    post("ruby", posted) for posted in (1, 2)
]
PYTHON = [row for row in ROWS if row["forum"] == "python"]


pytestmark = pytest.mark.integration


def _big_rows() -> list[Row]:
    """Eight items of ~300 KB: DynamoDB (and the backends) return at most 1 MB per page,
    so a query over them takes three pages. ``late`` is set on the last page's items only;
    ``flag`` on items 2, 5 and 8."""
    filler = "x" * 300_000
    rows = []
    for posted in range(1, 9):
        row: Row = {"forum": "big", "posted": posted, "filler": filler}
        if posted >= 7:
            row["late"] = True
        if posted in (2, 5, 8):
            row["flag"] = "yes"
        rows.append(row)
    return rows


BIG_ROWS = _big_rows()


@attrs.frozen
class Shared:
    """The module's seeded tables on one backend, and the recorder of their connection."""

    posts: Table
    big: Table
    recorder: RecordingTransport


@pytest.fixture(scope="module", params=selected_backends())
def shared(request: pytest.FixtureRequest) -> Iterator[Shared]:
    """Tables seeded once per backend: every test here only reads them."""
    with backend_for_module(request.param, request) as backend:
        connection, recorder = recorded_connection(backend)
        with connection:
            posts = create_table(
                connection,
                "posts",
                [HashKey("forum"), RangeKey("posted", data_type=NUMBER)],
                indexes=[AllIndex("by_subject", parts=[HashKey("forum"), RangeKey("subject")])],
                global_indexes=[
                    GlobalAllIndex(
                        "by_author",
                        parts=[HashKey("author"), RangeKey("posted", data_type=NUMBER)],
                    )
                ],
            )
            big = create_table(
                connection, "big_posts", [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]
            )
            with posts.batch_write() as batch:
                for row in ROWS:
                    batch.put_item(row)
            for row in BIG_ROWS:
                big.put_item(row)
            yield Shared(posts, big, recorder)


@pytest.fixture
def recorder(shared: Shared) -> RecordingTransport:
    """The recorder, holding only the current test's requests."""
    shared.recorder.clear()
    return shared.recorder


@pytest.fixture
def posts(shared: Shared, recorder: RecordingTransport) -> Table:
    return shared.posts


@pytest.fixture
def big(shared: Shared, recorder: RecordingTransport) -> Table:
    return shared.big


def keys_of(items: ResultSet[Any] | list[Item]) -> list[tuple[str, int]]:
    """(forum, posted) of each item, in the order returned."""
    return [(item["forum"], int(item["posted"])) for item in items]


def keys_where(rows: list[Row], predicate: Callable[[Row], bool]) -> list[tuple[str, int]]:
    return [(row["forum"], row["posted"]) for row in rows if predicate(row)]


# ---------------------------------------------------------------------- key conditions


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        ({}, list(range(1, 11))),
        ({"posted__lt": 3}, [1, 2]),
        ({"posted__lte": 3}, [1, 2, 3]),
        ({"posted__gt": 8}, [9, 10]),
        ({"posted__gte": 8}, [8, 9, 10]),
        ({"posted__between": (4, 6)}, [4, 5, 6]),
        ({"posted__eq": 7}, [7]),
    ],
    ids=["eq", "lt", "lte", "gt", "gte", "between", "range-eq"],
)
def test_query_with_each_key_operator(
    posts: Table, conditions: dict[str, Any], expected: list[int]
) -> None:
    results = posts.query_2(forum__eq="python", **conditions)

    assert keys_of(results) == [("python", posted) for posted in expected]


def test_query_on_local_index_with_begins_with_is_in_index_order(posts: Table) -> None:
    results = posts.query_2(forum__eq="python", subject__beginswith="s0", index="by_subject")

    assert [item["subject"] for item in results] == [f"s0{n}" for n in range(1, 10)]


def test_query_on_local_index_with_between(posts: Table) -> None:
    results = posts.query_2(
        forum__eq="python", subject__between=("s03", "s05"), index="by_subject", reverse=True
    )

    assert [item["subject"] for item in results] == ["s05", "s04", "s03"]


def test_query_on_global_index(posts: Table) -> None:
    results = posts.query_2(author__eq="jane", posted__gt=3, index="by_author")

    assert keys_of(results) == [("python", 5), ("python", 7), ("python", 9)]


def test_query_reverse_returns_highest_sort_keys_first(posts: Table) -> None:
    results = posts.query_2(forum__eq="python", posted__gte=7, reverse=True)

    assert keys_of(results) == [("python", 10), ("python", 9), ("python", 8), ("python", 7)]


def test_query_consistent_asks_for_a_consistent_read(
    posts: Table, recorder: RecordingTransport
) -> None:
    list(posts.query_2(forum__eq="python", consistent=True))

    assert all(body["ConsistentRead"] is True for body in recorder.bodies("Query"))


# ---------------------------------------------------------------------- paging


def test_query_limit_caps_results_and_requests(posts: Table, recorder: RecordingTransport) -> None:
    results = posts.query_2(forum__eq="python", limit=3)

    assert keys_of(results) == [("python", 1), ("python", 2), ("python", 3)]
    assert [body["Limit"] for body in recorder.bodies("Query")] == [3]


def test_query_limit_counts_matches_across_filtered_pages(posts: Table) -> None:
    results = posts.query_2(forum__eq="python", limit=3, query_filter={"author__eq": "john"})

    assert keys_of(results) == [("python", 2), ("python", 4), ("python", 6)]


def test_query_max_page_size_sets_each_request_limit(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", max_page_size=4)

    assert len(keys_of(results)) == 10
    pages = recorder.bodies("Query")
    assert {body["Limit"] for body in pages} == {4}
    assert len(pages) == 3  # 4 + 4 + 2 items, or 5 + 5 + 2: the last page is short
    assert results.fetches == len(pages)


def test_query_limit_with_max_page_size_asks_only_for_what_is_left(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", limit=5, max_page_size=2)

    assert keys_of(results) == [("python", posted) for posted in range(1, 6)]
    assert [body["Limit"] for body in recorder.bodies("Query")] == [2, 2, 1]


def test_query_resumes_from_last_evaluated_key(posts: Table) -> None:
    first = posts.query_2(forum__eq="python", limit=3)
    assert keys_of(first) == [("python", 1), ("python", 2), ("python", 3)]
    assert first.last_evaluated_key == {"forum": "python", "posted": 3}

    rest = posts.query_2(forum__eq="python", exclusive_start_key=first.last_evaluated_key)

    assert keys_of(rest) == [("python", posted) for posted in range(4, 11)]


def test_query_attributes_projects_reserved_dotted_and_dashed_names(posts: Table) -> None:
    results = list(
        posts.query_2(
            forum__eq="python", posted__lte=2, attributes=["posted", "size", "a.b", "first-name"]
        )
    )

    assert [dict(item.items()) for item in results] == [
        {"posted": 1, "size": 1, "a.b": "dot1", "first-name": "Jane"},
        {"posted": 2, "size": 2, "a.b": "dot2", "first-name": "John"},
    ]


# ---------------------------------------------------------------------- filters

FILTERS: list[tuple[str, dict[str, Any], Callable[[Row], bool]]] = [
    ("eq", {"author__eq": "jane"}, lambda r: r["author"] == "jane"),
    ("ne", {"author__ne": "jane"}, lambda r: r["author"] != "jane"),
    ("lte", {"views__lte": 30}, lambda r: r["views"] <= 30),
    ("lt", {"views__lt": 30}, lambda r: r["views"] < 30),
    ("gte", {"views__gte": 80}, lambda r: r["views"] >= 80),
    ("gt", {"views__gt": 80}, lambda r: r["views"] > 80),
    ("nnull", {"note__nnull": True}, lambda r: "note" in r),
    ("null", {"note__null": True}, lambda r: "note" not in r),
    ("null-false", {"note__null": False}, lambda r: "note" in r),
    ("contains", {"tags__contains": "b"}, lambda r: "b" in r["tags"]),
    ("ncontains", {"tags__ncontains": "b"}, lambda r: "b" not in r["tags"]),
    ("contains-string", {"title__contains": "rock"}, lambda r: "rock" in r["title"]),
    ("beginswith", {"title__beginswith": "dyn"}, lambda r: r["title"].startswith("dyn")),
    ("in", {"views__in": [10, 40, 70]}, lambda r: r["views"] in (10, 40, 70)),
    ("between", {"views__between": (30, 50)}, lambda r: 30 <= r["views"] <= 50),
    ("reserved", {"size__gt": 8}, lambda r: r["size"] > 8),
    ("dotted", {"a.b__eq": "dot3"}, lambda r: r["a.b"] == "dot3"),
    ("dashed", {"first-name__eq": "John"}, lambda r: r["first-name"] == "John"),
    (
        "same-attribute-twice",
        {"views__gt": 20, "views__lt": 60},
        lambda r: 20 < r["views"] < 60,
    ),
]


@pytest.mark.parametrize(
    ("query_filter", "predicate"),
    [(filters, predicate) for _, filters, predicate in FILTERS],
    ids=[name for name, _, _ in FILTERS],
)
def test_query_filter_with_each_operator(
    posts: Table, query_filter: dict[str, Any], predicate: Callable[[Row], bool]
) -> None:
    results = posts.query_2(forum__eq="python", query_filter=query_filter)

    assert keys_of(results) == keys_where(PYTHON, predicate)


def test_query_filter_joined_with_or(posts: Table) -> None:
    results = posts.query_2(
        forum__eq="python",
        query_filter={"views__lt": 30, "author__eq": "john"},
        conditional_operator="OR",
    )

    assert keys_of(results) == keys_where(
        PYTHON, lambda r: r["views"] < 30 or r["author"] == "john"
    )


@pytest.mark.parametrize(
    ("scan_filter", "predicate"),
    [(filters, predicate) for _, filters, predicate in FILTERS],
    ids=[name for name, _, _ in FILTERS],
)
def test_scan_with_each_filter_operator(
    posts: Table, scan_filter: dict[str, Any], predicate: Callable[[Row], bool]
) -> None:
    results = posts.scan(**scan_filter)

    assert sorted(keys_of(results)) == sorted(keys_where(ROWS, predicate))


def test_scan_filters_joined_with_or(posts: Table) -> None:
    results = posts.scan(forum__eq="ruby", views__gt=90, conditional_operator="OR")

    assert sorted(keys_of(results)) == [("python", 10), ("ruby", 1), ("ruby", 2)]


# ---------------------------------------------------------------------- scans


def test_scan_returns_every_item(posts: Table) -> None:
    assert sorted(keys_of(posts.scan())) == sorted(keys_where(ROWS, lambda r: True))


def test_scan_limit_caps_results_and_requests(posts: Table, recorder: RecordingTransport) -> None:
    results = posts.scan(limit=4)

    assert len(keys_of(results)) == 4
    assert [body["Limit"] for body in recorder.bodies("Scan")] == [4]


def test_scan_max_page_size_sets_each_request_limit(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.scan(max_page_size=5)

    assert len(keys_of(results)) == len(ROWS)
    pages = recorder.bodies("Scan")
    assert {body["Limit"] for body in pages} == {5}
    assert len(pages) == 3  # 4 + 4 + 2 items, or 5 + 5 + 2: the last page is short


def test_scan_attributes_projects_only_those_attributes(posts: Table) -> None:
    results = list(posts.scan(forum__eq="ruby", attributes=["posted", "size", "first-name"]))

    assert sorted((dict(item.items()) for item in results), key=lambda d: d["posted"]) == [
        {"posted": 1, "size": 1, "first-name": "Jane"},
        {"posted": 2, "size": 2, "first-name": "John"},
    ]


def test_scan_segments_cover_every_item_exactly_once(posts: Table) -> None:
    seen: list[tuple[str, int]] = []
    for segment in range(3):
        seen.extend(keys_of(posts.scan(segment=segment, total_segments=3)))

    assert sorted(seen) == sorted(keys_where(ROWS, lambda r: True))


# ---------------------------------------------------------------------- query_count


def test_query_count_counts_matches(posts: Table) -> None:
    assert posts.query_count(forum__eq="python") == 10
    assert posts.query_count(forum__eq="python", posted__gt=7) == 3
    assert posts.query_count(forum__eq="python", query_filter={"author__eq": "jane"}) == 5
    assert posts.query_count(author__eq="jane", index="by_author") == 6


def test_query_count_sums_every_page_even_after_pages_counting_zero(
    big: Table, recorder: RecordingTransport
) -> None:
    count = big.query_count(forum__eq="big", query_filter={"late__eq": True})

    assert count == 2
    assert len(recorder.bodies("Query")) >= 3
    assert all(body["Select"] == "COUNT" for body in recorder.bodies("Query"))


def test_query_count_limit_is_each_pages_limit_and_every_page_is_counted_as_in_boto2(
    big: Table, recorder: RecordingTransport
) -> None:
    assert big.query_count(forum__eq="big", query_filter={"flag__eq": "yes"}) == 3
    recorder.clear()
    assert big.query_count(forum__eq="big", query_filter={"flag__eq": "yes"}, limit=5) == 3

    limits = [body["Limit"] for body in recorder.bodies("Query")]
    assert len(limits) >= 2
    assert set(limits) == {5}


def test_query_count_with_limit_on_small_items_counts_them_all(posts: Table) -> None:
    jane = {"author__eq": "jane"}
    assert posts.query_count(forum__eq="python", limit=4) == posts.query_count(forum__eq="python")
    assert posts.query_count(forum__eq="python", limit=4, query_filter=jane) == (
        posts.query_count(forum__eq="python", query_filter=jane)
    )


# ---------------------------------------------------------------------- refused queries


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({}, "key condition"),
        ({"posted__gt": 3}, "forum__eq"),
        ({"forum__eq": "python", "views__gt": 3}, "'views' is not a key attribute"),
        ({"forum__gt": "python"}, "forum__eq"),
        ({"forum__eq": "python", "posted__gt": 3, "posted__lt": 6}, "one condition"),
    ],
    ids=["no-condition", "no-hash-eq", "non-key", "hash-not-eq", "two-range-conditions"],
)
def test_query_that_cannot_be_sent_raises_query_error_before_any_request(
    posts: Table, recorder: RecordingTransport, conditions: dict[str, Any], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        posts.query_2(**conditions)
    with pytest.raises(QueryError, match=message):
        posts.query_count(**conditions)
    assert recorder.requests == []


def test_query_error_on_an_index_names_the_index_keys(
    posts: Table, recorder: RecordingTransport
) -> None:
    with pytest.raises(QueryError, match="author__eq"):
        posts.query_2(forum__eq="python", index="by_author")
    assert recorder.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", query_filter={"views__bogus": 1}),
        lambda t: t.query_2(forum__eq="python", posted__bogus=1),
        lambda t: t.query_count(forum__eq="python", query_filter={"views__bogus": 1}),
        lambda t: t.scan(views__bogus=1),
        lambda t: t.delete_item(expected={"views__bogus": 1}, forum="python", posted=1),
    ],
    ids=["query-filter", "key-condition", "query-count", "scan", "delete-expected"],
)
def test_unknown_filter_operator_is_refused_before_any_request(
    posts: Table, recorder: RecordingTransport, call: Callable[[Table], object]
) -> None:
    with pytest.raises(UnknownFilterTypeError, match="bogus"):
        call(posts)
    assert recorder.requests == []


def test_key_operator_that_only_filters_take_is_refused_before_any_request(
    posts: Table, recorder: RecordingTransport
) -> None:
    with pytest.raises(UnknownFilterTypeError, match="'ne'"):
        posts.query_2(forum__eq="python", posted__ne=3)
    assert recorder.requests == []


def test_query_results_decode_numbers_as_decimal(posts: Table) -> None:
    (item,) = posts.query_2(forum__eq="python", posted__eq=3)

    assert item["views"] == Decimal(30)
    assert item["tags"] == {"a", "b"}


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", query_filter={"views__gt": float("nan")}),
        lambda t: t.query_2(forum__eq="python", posted__gt=float("inf")),
        lambda t: t.query_2(
            forum__eq="python", query_filter={"views__gt": 1}, conditional_operator="XOR"
        ),
        lambda t: t.scan(views__between=(1, 2, 3)),
        lambda t: t.scan(views__in=[]),
    ],
    ids=["nan-filter", "infinite-key", "bad-conditional-operator", "between-triple", "empty-in"],
)
def test_bad_filter_value_is_refused_when_called_before_any_request(
    posts: Table, recorder: RecordingTransport, call: Callable[[Table], object]
) -> None:
    with pytest.raises(ParameterValidationError):
        call(posts)
    assert recorder.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", limit=0),
        lambda t: t.scan(limit=0),
        lambda t: t.scan(limit=0, max_page_size=5),
        lambda t: t.query_2(forum__eq="python", limit=0.5),
    ],
    ids=["query", "scan", "scan-with-page-size", "query-fraction"],
)
def test_limit_zero_is_refused_before_any_request_as_dynamodb_refused_boto2s_limit_0(
    posts: Table, recorder: RecordingTransport, call: Callable[[Table], ResultSet[Any]]
) -> None:
    # boto 2 sent Limit=0, which DynamoDB refuses with a ValidationException: the same
    # error class, before sending.
    with pytest.raises(RequestValidationError, match="DynamoDB refuses Limit=0"):
        call(posts)
    assert recorder.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", limit=-1),
        lambda t: t.scan(forum__eq="python", limit=-5),
    ],
    ids=["query", "scan"],
)
def test_a_negative_limit_means_no_limit_as_in_boto2(
    posts: Table, recorder: RecordingTransport, call: Callable[[Table], ResultSet[Any]]
) -> None:
    everything = list(call(posts))

    assert len(everything) == len(list(posts.query_2(forum__eq="python")))
    assert len(everything) > 1
    for _operation, body in recorder.requests:
        assert "Limit" not in body


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", max_page_size=0),
        lambda t: t.scan(max_page_size=-1),
    ],
    ids=["query", "scan"],
)
def test_max_page_size_below_one_is_refused_before_any_request(
    posts: Table, recorder: RecordingTransport, call: Callable[[Table], object]
) -> None:
    with pytest.raises(RequestValidationError, match="max_page_size"):
        call(posts)
    assert recorder.requests == []


def test_query_count_refuses_limit_zero_before_any_request(
    posts: Table, recorder: RecordingTransport
) -> None:
    # boto 2 sent Limit=0, which DynamoDB refuses with a ValidationException: so is this.
    with pytest.raises(ValidationException, match="limit"):
        posts.query_count(forum__eq="python", limit=0)
    assert recorder.requests == []


def test_query_count_refuses_a_negative_limit_before_any_request(
    posts: Table, recorder: RecordingTransport
) -> None:
    with pytest.raises(ParameterValidationError, match="limit"):
        posts.query_count(forum__eq="python", limit=-1)
    assert recorder.requests == []
