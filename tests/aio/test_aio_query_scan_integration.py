"""Queries and scans on every backend, through dynamodb2.aio: the port of
tests/test_query_scan_integration.py (each operator, paging, projections, counts, errors).

The tables are seeded once per backend with the synchronous API (every test here only
reads them); each test reads them through an asynchronous connection of its own.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

from dynamodb2.aio import AsyncItem, AsyncResultSet, AsyncTable
from dynamodb2.exceptions import (
    ParameterValidationError,
    QueryError,
    RequestValidationError,
    UnknownFilterTypeError,
    ValidationException,
)
from dynamodb2.fields import AllIndex, GlobalAllIndex, HashKey, RangeKey
from dynamodb2.types import NUMBER
from tests.aio.support import AsyncRecordingTransport, recorded_async_connection
from tests.support.backends import Backend, selected_backends
from tests.support.table_support import backend_for_module, create_table

Row = dict[str, Any]

POSTS_SCHEMA = [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]
POSTS_INDEXES = [AllIndex("by_subject", parts=[HashKey("forum"), RangeKey("subject")])]
POSTS_GLOBAL_INDEXES = [
    GlobalAllIndex("by_author", parts=[HashKey("author"), RangeKey("posted", data_type=NUMBER)])
]


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


pytestmark = [pytest.mark.anyio, pytest.mark.integration]


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


@pytest.fixture(scope="module", params=selected_backends())
def seeded(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The backend, with its tables seeded once (synchronously): every test only reads them."""
    with backend_for_module(request.param, request) as backend:
        with backend.connect() as connection:
            posts = create_table(
                connection,
                "posts",
                POSTS_SCHEMA,
                indexes=POSTS_INDEXES,
                global_indexes=POSTS_GLOBAL_INDEXES,
            )
            big = create_table(connection, "big_posts", POSTS_SCHEMA)
            with posts.batch_write() as batch:
                for row in ROWS:
                    batch.put_item(row)
            for row in BIG_ROWS:
                big.put_item(row)
        yield backend


@attrs.frozen
class Shared:
    """The seeded tables, through the test's asynchronous connection, and its recorder."""

    posts: AsyncTable
    big: AsyncTable
    recorder: AsyncRecordingTransport


@pytest.fixture
async def shared(seeded: Backend) -> AsyncIterator[Shared]:
    connection, recorder = recorded_async_connection(seeded)
    async with connection:
        posts = AsyncTable(
            "posts",
            schema=POSTS_SCHEMA,
            indexes=POSTS_INDEXES,
            global_indexes=POSTS_GLOBAL_INDEXES,
            connection=connection,
        )
        big = AsyncTable("big_posts", schema=POSTS_SCHEMA, connection=connection)
        yield Shared(posts, big, recorder)


@pytest.fixture
def recorder(shared: Shared) -> AsyncRecordingTransport:
    """The recorder, holding only the current test's requests."""
    shared.recorder.clear()
    return shared.recorder


@pytest.fixture
def posts(shared: Shared, recorder: AsyncRecordingTransport) -> AsyncTable:
    return shared.posts


@pytest.fixture
def big(shared: Shared, recorder: AsyncRecordingTransport) -> AsyncTable:
    return shared.big


async def keys_of(items: AsyncResultSet[Any] | list[AsyncItem]) -> list[tuple[str, int]]:
    """(forum, posted) of each item, in the order returned."""
    listed = items if isinstance(items, list) else await items.to_list()
    return [(item["forum"], int(item["posted"])) for item in listed]


async def settle(value: object) -> object:
    """``value``, awaited if it is awaitable (query_2 and scan return result sets;
    query_count and delete_item return coroutines)."""
    if inspect.isawaitable(value):
        return await value
    return value


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
async def test_query_with_each_key_operator(
    posts: AsyncTable, conditions: dict[str, Any], expected: list[int]
) -> None:
    results = posts.query_2(forum__eq="python", **conditions)

    assert await keys_of(results) == [("python", posted) for posted in expected]


async def test_query_on_local_index_with_begins_with_is_in_index_order(posts: AsyncTable) -> None:
    results = posts.query_2(forum__eq="python", subject__beginswith="s0", index="by_subject")

    assert [item["subject"] async for item in results] == [f"s0{n}" for n in range(1, 10)]


async def test_query_on_local_index_with_between(posts: AsyncTable) -> None:
    results = posts.query_2(
        forum__eq="python", subject__between=("s03", "s05"), index="by_subject", reverse=True
    )

    assert [item["subject"] async for item in results] == ["s05", "s04", "s03"]


async def test_query_on_global_index(posts: AsyncTable) -> None:
    results = posts.query_2(author__eq="jane", posted__gt=3, index="by_author")

    assert await keys_of(results) == [("python", 5), ("python", 7), ("python", 9)]


async def test_query_reverse_returns_highest_sort_keys_first(posts: AsyncTable) -> None:
    results = posts.query_2(forum__eq="python", posted__gte=7, reverse=True)

    assert await keys_of(results) == [("python", 10), ("python", 9), ("python", 8), ("python", 7)]


async def test_query_consistent_asks_for_a_consistent_read(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    await posts.query_2(forum__eq="python", consistent=True).to_list()

    assert all(body["ConsistentRead"] is True for body in recorder.bodies("Query"))


# ---------------------------------------------------------------------- paging


async def test_query_limit_caps_results_and_requests(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", limit=3)

    assert await keys_of(results) == [("python", 1), ("python", 2), ("python", 3)]
    assert [body["Limit"] for body in recorder.bodies("Query")] == [3]


async def test_query_limit_counts_matches_across_filtered_pages(posts: AsyncTable) -> None:
    results = posts.query_2(forum__eq="python", limit=3, query_filter={"author__eq": "john"})

    assert await keys_of(results) == [("python", 2), ("python", 4), ("python", 6)]


async def test_query_max_page_size_sets_each_request_limit(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", max_page_size=4)

    assert len(await keys_of(results)) == 10
    pages = recorder.bodies("Query")
    assert {body["Limit"] for body in pages} == {4}
    assert len(pages) == 3  # 4 + 4 + 2 items, or 5 + 5 + 2: the last page is short
    assert results.fetches == len(pages)


async def test_query_limit_with_max_page_size_asks_only_for_what_is_left(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", limit=5, max_page_size=2)

    assert await keys_of(results) == [("python", posted) for posted in range(1, 6)]
    assert [body["Limit"] for body in recorder.bodies("Query")] == [2, 2, 1]


async def test_query_resumes_from_last_evaluated_key(posts: AsyncTable) -> None:
    first = posts.query_2(forum__eq="python", limit=3)
    assert await keys_of(first) == [("python", 1), ("python", 2), ("python", 3)]
    assert first.last_evaluated_key == {"forum": "python", "posted": 3}

    rest = posts.query_2(forum__eq="python", exclusive_start_key=first.last_evaluated_key)

    assert await keys_of(rest) == [("python", posted) for posted in range(4, 11)]


async def test_query_attributes_projects_reserved_dotted_and_dashed_names(
    posts: AsyncTable,
) -> None:
    results = await posts.query_2(
        forum__eq="python", posted__lte=2, attributes=["posted", "size", "a.b", "first-name"]
    ).to_list()

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
async def test_query_filter_with_each_operator(
    posts: AsyncTable, query_filter: dict[str, Any], predicate: Callable[[Row], bool]
) -> None:
    results = posts.query_2(forum__eq="python", query_filter=query_filter)

    assert await keys_of(results) == keys_where(PYTHON, predicate)


async def test_query_filter_joined_with_or(posts: AsyncTable) -> None:
    results = posts.query_2(
        forum__eq="python",
        query_filter={"views__lt": 30, "author__eq": "john"},
        conditional_operator="OR",
    )

    assert await keys_of(results) == keys_where(
        PYTHON, lambda r: r["views"] < 30 or r["author"] == "john"
    )


@pytest.mark.parametrize(
    ("scan_filter", "predicate"),
    [(filters, predicate) for _, filters, predicate in FILTERS],
    ids=[name for name, _, _ in FILTERS],
)
async def test_scan_with_each_filter_operator(
    posts: AsyncTable, scan_filter: dict[str, Any], predicate: Callable[[Row], bool]
) -> None:
    results = posts.scan(**scan_filter)

    assert sorted(await keys_of(results)) == sorted(keys_where(ROWS, predicate))


async def test_scan_filters_joined_with_or(posts: AsyncTable) -> None:
    results = posts.scan(forum__eq="ruby", views__gt=90, conditional_operator="OR")

    assert sorted(await keys_of(results)) == [("python", 10), ("ruby", 1), ("ruby", 2)]


# ---------------------------------------------------------------------- scans


async def test_scan_returns_every_item(posts: AsyncTable) -> None:
    assert sorted(await keys_of(posts.scan())) == sorted(keys_where(ROWS, lambda r: True))


async def test_scan_limit_caps_results_and_requests(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    results = posts.scan(limit=4)

    assert len(await keys_of(results)) == 4
    assert [body["Limit"] for body in recorder.bodies("Scan")] == [4]


async def test_scan_max_page_size_sets_each_request_limit(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    results = posts.scan(max_page_size=5)

    assert len(await keys_of(results)) == len(ROWS)
    pages = recorder.bodies("Scan")
    assert {body["Limit"] for body in pages} == {5}
    assert len(pages) == 3  # 4 + 4 + 2 items, or 5 + 5 + 2: the last page is short


async def test_scan_attributes_projects_only_those_attributes(posts: AsyncTable) -> None:
    results = await posts.scan(
        forum__eq="ruby", attributes=["posted", "size", "first-name"]
    ).to_list()

    assert sorted((dict(item.items()) for item in results), key=lambda d: d["posted"]) == [
        {"posted": 1, "size": 1, "first-name": "Jane"},
        {"posted": 2, "size": 2, "first-name": "John"},
    ]


async def test_scan_segments_cover_every_item_exactly_once(posts: AsyncTable) -> None:
    seen: list[tuple[str, int]] = []
    for segment in range(3):
        seen.extend(await keys_of(posts.scan(segment=segment, total_segments=3)))

    assert sorted(seen) == sorted(keys_where(ROWS, lambda r: True))


# ---------------------------------------------------------------------- query_count


async def test_query_count_counts_matches(posts: AsyncTable) -> None:
    assert await posts.query_count(forum__eq="python") == 10
    assert await posts.query_count(forum__eq="python", posted__gt=7) == 3
    assert await posts.query_count(forum__eq="python", query_filter={"author__eq": "jane"}) == 5
    assert await posts.query_count(author__eq="jane", index="by_author") == 6


async def test_query_count_sums_every_page_even_after_pages_counting_zero(
    big: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    count = await big.query_count(forum__eq="big", query_filter={"late__eq": True})

    assert count == 2
    assert len(recorder.bodies("Query")) >= 3
    assert all(body["Select"] == "COUNT" for body in recorder.bodies("Query"))


async def test_query_count_limit_is_each_pages_limit_and_every_page_is_counted_as_in_boto2(
    big: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    assert await big.query_count(forum__eq="big", query_filter={"flag__eq": "yes"}) == 3
    recorder.clear()
    assert await big.query_count(forum__eq="big", query_filter={"flag__eq": "yes"}, limit=5) == 3

    limits = [body["Limit"] for body in recorder.bodies("Query")]
    assert len(limits) >= 2
    assert set(limits) == {5}


async def test_query_count_with_limit_on_small_items_counts_them_all(posts: AsyncTable) -> None:
    jane = {"author__eq": "jane"}
    assert await posts.query_count(forum__eq="python", limit=4) == await posts.query_count(
        forum__eq="python"
    )
    assert await posts.query_count(forum__eq="python", limit=4, query_filter=jane) == (
        await posts.query_count(forum__eq="python", query_filter=jane)
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
async def test_query_that_cannot_be_sent_raises_query_error_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport, conditions: dict[str, Any], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        posts.query_2(**conditions)
    with pytest.raises(QueryError, match=message):
        await posts.query_count(**conditions)
    assert recorder.requests == []


async def test_query_error_on_an_index_names_the_index_keys(
    posts: AsyncTable, recorder: AsyncRecordingTransport
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
async def test_unknown_filter_operator_is_refused_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport, call: Callable[[AsyncTable], object]
) -> None:
    with pytest.raises(UnknownFilterTypeError, match="bogus"):
        await settle(call(posts))
    assert recorder.requests == []


async def test_key_operator_that_only_filters_take_is_refused_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    with pytest.raises(UnknownFilterTypeError, match="'ne'"):
        posts.query_2(forum__eq="python", posted__ne=3)
    assert recorder.requests == []


async def test_query_results_decode_numbers_as_decimal(posts: AsyncTable) -> None:
    (item,) = await posts.query_2(forum__eq="python", posted__eq=3).to_list()

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
async def test_bad_filter_value_is_refused_when_called_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport, call: Callable[[AsyncTable], object]
) -> None:
    with pytest.raises(ParameterValidationError):
        await settle(call(posts))
    assert recorder.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", limit=0),
        lambda t: t.scan(limit=0),
        lambda t: t.scan(limit=0, max_page_size=5),
    ],
    ids=["query", "scan", "scan-with-page-size"],
)
async def test_limit_zero_is_refused_before_any_request_as_dynamodb_refused_boto2s_limit_0(
    posts: AsyncTable,
    recorder: AsyncRecordingTransport,
    call: Callable[[AsyncTable], AsyncResultSet[Any]],
) -> None:
    # boto 2 sent Limit=0, which DynamoDB refuses with a ValidationException: the same
    # error class, before sending.
    with pytest.raises(RequestValidationError, match="DynamoDB refuses Limit=0"):
        await settle(call(posts))
    assert recorder.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.query_2(forum__eq="python", max_page_size=0),
        lambda t: t.scan(max_page_size=-1),
    ],
    ids=["query", "scan"],
)
async def test_max_page_size_below_one_is_refused_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport, call: Callable[[AsyncTable], object]
) -> None:
    with pytest.raises(ParameterValidationError, match="max_page_size"):
        await settle(call(posts))
    assert recorder.requests == []


async def test_query_count_refuses_limit_zero_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    # boto 2 sent Limit=0, which DynamoDB refuses with a ValidationException: so is this.
    with pytest.raises(ValidationException, match="limit"):
        await posts.query_count(forum__eq="python", limit=0)
    assert recorder.requests == []


async def test_query_count_refuses_a_negative_limit_before_any_request(
    posts: AsyncTable, recorder: AsyncRecordingTransport
) -> None:
    with pytest.raises(ParameterValidationError, match="limit"):
        await posts.query_count(forum__eq="python", limit=-1)
    assert recorder.requests == []
