"""Resuming a query or scan exactly where iteration stopped, even in the middle of a page."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest

from dynamodb2.cursors import decode_cursor, encode_cursor
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import GlobalAllIndex, HashKey, RangeKey
from dynamodb2.results import BatchGetResultSet, ResultSet
from dynamodb2.table import Table
from tests.support.backends import Backend
from tests.support.fakes import scripted_connection

# ---------------------------------------------------------------------- unit: ResultSet


class Pages:
    """A page callable over ``count`` items ``{"id": i, "body": ...}``, ``size`` per page.

    Like a custom boto 2 page callable, it ignores the ``limit`` it is given.
    """

    def __init__(self, count: int, size: int) -> None:
        self.count = count
        self.size = size
        self.calls: list[Any] = []

    def __call__(self, limit: int | None = None, exclusive_start_key: Any = None) -> dict[str, Any]:
        self.calls.append(exclusive_start_key)
        start = 0 if exclusive_start_key is None else exclusive_start_key["id"] + 1
        ids = list(range(start, min(start + self.size, self.count)))
        last = {"id": ids[-1]} if ids and ids[-1] < self.count - 1 else None
        return {"results": [{"id": i, "body": f"item {i}"} for i in ids], "last_key": last}


def result_set(pages: Pages, key_names: Any = ("id",), **options: Any) -> ResultSet[Any]:
    results: ResultSet[Any] = ResultSet(key_names=key_names)
    results.to_call(pages, **options)
    return results


def test_stopping_mid_page_resumes_after_the_last_item_yielded() -> None:
    results = result_set(Pages(count=20, size=8))

    taken = [item["id"] for item in itertools.islice(results, 3)]

    assert taken == [0, 1, 2]
    assert results.last_evaluated_key == {"id": 2}


def test_stopping_at_a_page_end_resumes_from_the_page_key() -> None:
    results = result_set(Pages(count=20, size=8))

    list(itertools.islice(results, 8))

    assert results.last_evaluated_key == {"id": 7}


def test_reading_everything_leaves_no_resume_key() -> None:
    results = result_set(Pages(count=20, size=8))

    assert [item["id"] for item in results] == list(range(20))
    assert results.last_evaluated_key is None


def test_stopping_mid_way_through_the_last_page_still_has_a_resume_key() -> None:
    results = result_set(Pages(count=20, size=8))

    list(itertools.islice(results, 18))

    assert results.last_evaluated_key == {"id": 17}


def test_a_limit_smaller_than_the_page_resumes_after_the_last_item_yielded() -> None:
    results = result_set(Pages(count=20, size=8), limit=5)

    assert [item["id"] for item in results] == [0, 1, 2, 3, 4]
    assert results.last_evaluated_key == {"id": 4}


def test_before_iterating_the_resume_key_is_the_start_key() -> None:
    results = result_set(Pages(count=20, size=8))
    results._last_key_seen = {"id": 9}  # what Table does with exclusive_start_key

    assert results.last_evaluated_key == {"id": 9}
    assert next(results)["id"] == 10


def test_resuming_from_each_stop_sees_every_item_once() -> None:
    pages = Pages(count=50, size=7)
    seen: list[int] = []
    start = None
    for step in itertools.count():
        assert step < 30
        results = result_set(pages)
        results._last_key_seen = start
        seen += [item["id"] for item in itertools.islice(results, 4)]
        start = results.last_evaluated_key
        if start is None:
            break

    assert seen == list(range(50))


def test_key_names_are_asked_for_only_when_stopping_mid_page() -> None:
    asked: list[bool] = []

    def names() -> list[str]:
        asked.append(True)
        return ["id"]

    results = result_set(Pages(count=20, size=8), key_names=names)
    list(itertools.islice(results, 8))
    assert results.last_evaluated_key == {"id": 7}
    assert asked == []

    next(results)
    assert results.last_evaluated_key == {"id": 8}
    assert asked == [True]


def test_without_key_names_the_page_keys_name_the_key_attributes() -> None:
    results = result_set(Pages(count=20, size=8), key_names=None)

    list(itertools.islice(results, 3))

    assert results.last_evaluated_key == {"id": 2}


def test_an_item_without_its_key_attribute_gives_a_clear_error() -> None:
    results = result_set(Pages(count=20, size=8), key_names=["id", "missing"])

    list(itertools.islice(results, 3))

    with pytest.raises(ParameterValidationError, match="include the key attributes") as raised:
        _ = results.last_evaluated_key
    assert raised.value.attribute == "missing"


def test_batch_get_results_have_no_resume_key() -> None:
    results: BatchGetResultSet[Any] = BatchGetResultSet(keys=[{"id": 1}, {"id": 2}])
    results.to_call(lambda keys: {"results": [dict(key) for key in keys]})

    next(results)

    assert results.last_evaluated_key is None


# ---------------------------------------------------------------------- unit: Table key names


def test_an_index_resume_key_holds_the_table_key_and_the_index_key() -> None:
    def respond(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
        assert operation == "Query"
        items = [
            {
                "forum": {"S": "python"},
                "subject": {"S": f"s{i}"},
                "author": {"S": "ann"},
                "posted": {"N": str(i)},
            }
            for i in range(5)
        ]
        return {"Items": items, "Count": 5}

    connection, _transport = scripted_connection(respond)
    table = Table(
        "threads",
        schema=[HashKey("forum"), RangeKey("subject")],
        global_indexes=[GlobalAllIndex("by_author", parts=[HashKey("author"), RangeKey("posted")])],
        connection=connection,
    )
    results = table.query_2(index="by_author", author__eq="ann")

    list(itertools.islice(results, 2))

    assert results.last_evaluated_key == {
        "forum": "python",
        "subject": "s1",
        "author": "ann",
        "posted": 1,
    }


# ---------------------------------------------------------------------- integration

TABLE = "threads"
ITEMS = 13  # three steps of 5: within a page, across pages, the last page


def create_threads(backend: Backend) -> None:
    table = Table.create(
        TABLE,
        schema=[HashKey("forum"), RangeKey("subject")],
        global_indexes=[
            GlobalAllIndex(
                "by_author", parts=[HashKey("author"), RangeKey("posted", data_type="N")]
            )
        ],
        connection=backend.connect(),
    )
    table.wait_until_active(timeout=30)
    with table.batch_write() as batch:
        for i in range(ITEMS):
            batch.put_item(
                {"forum": "python", "subject": f"s{i:02d}", "author": "ann", "posted": 1000 + i}
            )
        # Items the queries must not return.
        batch.put_item({"forum": "ruby", "subject": "x", "author": "bob", "posted": 1})


#: How a step reads its page of N: (limit=, max_page_size=, use islice).
READS: dict[str, dict[str, Any]] = {
    "limit": {"limit": 5},
    "islice-small-pages": {"max_page_size": 7, "islice": True},
    "islice-one-page": {"islice": True},
}
SOURCES = {
    "query-table": ("query", None),
    "query-index": ("query", "by_author"),
    "scan-table": ("scan", None),
    "scan-index": ("scan", "by_author"),
}


def read_one_page(
    backend: Backend,
    session: botocore.session.Session,
    source: str,
    read: str,
    cursor: str | None,
) -> tuple[list[str], str | None]:
    """One request of a web API: a fresh connection and Table, a page of 5, the next cursor.

    Only the botocore session (configuration, loaded service data) is shared between
    steps, as a web server would: building one costs ~0.3 s.
    """
    connection = backend.connect(session=session)
    table = Table(TABLE, connection=connection)  # learns its schema by describe()
    operation, index = SOURCES[source]
    options = dict(READS[read])
    use_islice = bool(options.pop("islice", False))
    start = decode_cursor(cursor) if cursor else None
    search: Callable[..., ResultSet[Any]] = table.query_2 if operation == "query" else table.scan
    conditions: dict[str, Any] = {}
    if operation == "query":
        conditions = {"author__eq": "ann"} if index else {"forum__eq": "python"}
    results = search(index=index, exclusive_start_key=start, **options, **conditions)
    items = list(itertools.islice(results, 5)) if use_islice else list(results)
    key = results.last_evaluated_key
    return [item["subject"] for item in items if item["forum"] == "python"], (
        encode_cursor(key) if key else None
    )


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("source", SOURCES)
def test_paging_with_only_a_cursor_between_steps_sees_every_item_once(
    backend: Backend, source: str, read: str
) -> None:
    create_threads(backend)
    # Made after the backend starts: moto's mock_aws only reaches sessions made under it.
    session = botocore.session.Session()
    seen: list[str] = []
    cursor: str | None = None
    for step in itertools.count():
        assert step <= ITEMS, "paging did not end"
        page, cursor = read_one_page(backend, session, source, read, cursor)
        assert len(page) <= 5
        seen += page
        if cursor is None:
            break

    assert sorted(seen) == [f"s{i:02d}" for i in range(ITEMS)]
    assert len(seen) == len(set(seen))
    if source.startswith("query"):
        assert seen == sorted(seen)  # a query comes in key order, across steps too
