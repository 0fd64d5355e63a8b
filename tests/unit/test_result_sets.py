"""ResultSet on its own, with page callables standing in for DynamoDB."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from dynamodb2.results import BatchGetResultSet, ResultSet


class Pages:
    """Two pages of items with an ``id`` key; fails on request if told to."""

    def __init__(self, fail_first: bool = False) -> None:
        self.fail_first = fail_first
        self.calls = 0

    def __call__(
        self, exclusive_start_key: dict[str, Any] | None = None, **_: Any
    ) -> dict[str, Any]:
        self.calls += 1
        if self.fail_first:
            raise ConnectionError("no route to DynamoDB")
        if exclusive_start_key is None:
            return {"results": [{"id": 1}, {"id": 2}], "last_key": {"id": 2}}
        return {"results": [{"id": 3}], "last_key": None}


def result_set(pages: Pages) -> ResultSet[Any]:
    results: ResultSet[Any] = ResultSet(key_names=["id"])
    results.to_call(pages)
    return results


def test_a_result_set_read_to_the_end_is_exhausted() -> None:
    results = result_set(Pages())

    assert [item["id"] for item in results] == [1, 2, 3]
    assert results.exhausted
    assert results.last_evaluated_key is None


def test_a_result_set_not_yet_read_is_not_exhausted_though_it_has_no_resume_key() -> None:
    results = result_set(Pages())

    assert not results.exhausted
    assert results.last_evaluated_key is None


def test_a_first_page_that_failed_leaves_the_result_set_not_exhausted() -> None:
    results = result_set(Pages(fail_first=True))

    with pytest.raises(ConnectionError):
        next(results)

    assert not results.exhausted
    assert results.last_evaluated_key is None


def test_stopping_inside_the_last_page_is_not_exhausted_and_resumes_there() -> None:
    pages = Pages()
    results = result_set(pages)

    taken = list(itertools.islice(results, 2))
    assert [item["id"] for item in taken] == [1, 2]
    assert not results.exhausted
    assert results.last_evaluated_key == {"id": 2}


def test_a_batch_get_result_set_is_exhausted_once_every_key_was_asked_for() -> None:
    def fetch(keys: list[dict[str, Any]], **_: Any) -> dict[str, Any]:
        return {"results": list(keys), "unprocessed_keys": []}

    results: BatchGetResultSet[Any] = BatchGetResultSet(
        keys=[{"id": n} for n in range(3)], max_batch_get=2
    )
    results.to_call(fetch)

    assert not results.exhausted
    assert len(list(results)) == 3
    assert results.exhausted
