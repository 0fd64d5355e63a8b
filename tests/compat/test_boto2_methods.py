"""boto 2's public methods that only legacy code calls by name, on every backend.

Table.query (the deprecated form, whose ``reverse`` is inverted), Item's "largely
internal" helpers (load, mark_clean, mark_dirty, get_raw_keys, prepare_full,
prepare_partial, build_expects) and ResultSet's paging protocol (first_key, fetch_more,
next), each pinned to what boto 2.49 defines.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from typing import Any

import pytest

from dynamodb2.connection import Connection
from dynamodb2.exceptions import ConditionalCheckFailedException, ParameterValidationError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.results import ResultSet
from dynamodb2.table import Table
from dynamodb2.types import NUMBER
from tests.support.table_support import RecordingTransport, create_table

pytestmark = pytest.mark.integration

POSTS_SCHEMA = [HashKey("forum"), RangeKey("posted", data_type=NUMBER)]


@pytest.fixture
def connection(recorded: tuple[Connection, RecordingTransport]) -> Connection:
    return recorded[0]


@pytest.fixture
def posts(connection: Connection, recorder: RecordingTransport) -> Table:
    """A posts table holding python posts 1-7 (nothing recorded yet)."""
    table = create_table(connection, "posts", POSTS_SCHEMA)
    with table.batch_write() as batch:
        for posted in range(1, 8):
            batch.put_item({"forum": "python", "posted": posted, "subject": f"s{posted}"})
    recorder.clear()
    return table


def stored(connection: Connection, forum: str, posted: int) -> dict[str, Any]:
    """The item as the table holds it, in wire form (empty if absent)."""
    response = connection.get_item(
        {
            "TableName": "posts",
            "Key": {"forum": {"S": forum}, "posted": {"N": str(posted)}},
            "ConsistentRead": True,
        }
    )
    item: dict[str, Any] = response.get("Item", {})
    return item


def postings(results: ResultSet[Any]) -> list[int]:
    return [int(item["posted"]) for item in results]


# ---------------------------------------------------------------------- Table.query


def test_deprecated_query_does_not_warn_as_boto2_did_not(posts: Table) -> None:
    # A boto 2 test suite run with warnings as errors must keep passing.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert postings(posts.query(forum__eq="python"))


@pytest.mark.parametrize("reverse", [False, True])
def test_deprecated_query_returns_the_inverse_order_of_query_2_for_the_same_reverse(
    posts: Table, reverse: bool
) -> None:
    legacy = postings(posts.query(forum__eq="python", reverse=reverse))
    current = postings(posts.query_2(forum__eq="python", reverse=reverse))

    assert sorted(current) == list(range(1, 8))
    assert legacy == current[::-1]


def test_deprecated_query_by_default_returns_highest_sort_keys_first(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.query(forum__eq="python", posted__gte=5)

    assert postings(results) == [7, 6, 5]
    assert [body.get("ScanIndexForward") for body in recorder.bodies("Query")] == [False]


def test_deprecated_query_passes_limit_and_max_page_size_through(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.query(forum__eq="python", reverse=True, limit=3, max_page_size=2)

    assert postings(results) == [1, 2, 3]
    assert [body["Limit"] for body in recorder.bodies("Query")] == [2, 1]


# ---------------------------------------------------------------------- Item.load


def test_load_replaces_the_contents_with_a_get_item_response_and_leaves_it_clean(
    posts: Table, connection: Connection
) -> None:
    item = Item(posts, data={"forum": "python", "posted": 3, "stray": "gone after load"})
    response = connection.get_item(
        {"TableName": "posts", "Key": {"forum": {"S": "python"}, "posted": {"N": "3"}}}
    )

    item.load(response)

    assert dict(item.items()) == {"forum": "python", "posted": Decimal(3), "subject": "s3"}
    assert item.needs_save() is False
    assert item.save() is False  # nothing changed: nothing is sent


def test_load_makes_the_loaded_values_what_a_following_save_compares_with(
    posts: Table, connection: Connection
) -> None:
    item = Item(posts)
    item.load(
        connection.get_item(
            {"TableName": "posts", "Key": {"forum": {"S": "python"}, "posted": {"N": "3"}}}
        )
    )
    item["subject"] = "edited"
    assert item.save() is True
    assert stored(connection, "python", 3) == {
        "forum": {"S": "python"},
        "posted": {"N": "3"},
        "subject": {"S": "edited"},
    }

    # Someone else changes the item: a save based on the loaded values is refused.
    stale = Item(posts)
    stale.load({"Item": {"forum": {"S": "python"}, "posted": {"N": "3"}, "subject": {"S": "s3"}}})
    stale["subject"] = "stale edit"
    with pytest.raises(ConditionalCheckFailedException):
        stale.save()
    assert stored(connection, "python", 3)["subject"] == {"S": "edited"}


def test_load_of_a_response_without_an_item_empties_the_item(posts: Table) -> None:
    item = Item(posts, data={"forum": "python", "posted": 99, "subject": "x"})

    item.load({})  # GetItem's answer for a missing key

    assert dict(item.items()) == {}
    assert item.needs_save() is False


# ---------------------------------------------------------------------- mark_clean / mark_dirty


def test_mark_clean_makes_a_changed_item_need_no_save_and_sends_nothing(
    posts: Table, connection: Connection, recorder: RecordingTransport
) -> None:
    item = posts.get_item(forum="python", posted=2, consistent=True)
    item["subject"] = "not saved"
    assert item.needs_save() is True

    item.mark_clean()

    assert item.needs_save() is False
    recorder.clear()
    assert item.save() is False
    assert item.partial_save() is False
    assert recorder.operations == []
    assert stored(connection, "python", 2)["subject"] == {"S": "s2"}


def test_mark_clean_takes_the_current_values_as_the_stored_state_for_later_saves(
    posts: Table, connection: Connection
) -> None:
    item = posts.get_item(forum="python", posted=2, consistent=True)
    item["subject"] = "never written"
    item.mark_clean()
    item["subject"] = "second edit"

    # The update is conditioned on the table holding "never written", which it does not.
    with pytest.raises(ConditionalCheckFailedException):
        item.partial_save()
    assert stored(connection, "python", 2)["subject"] == {"S": "s2"}


def test_mark_clean_on_a_new_item_means_save_writes_nothing(
    posts: Table, connection: Connection
) -> None:
    item = Item(posts, data={"forum": "python", "posted": 50, "subject": "new"})
    assert item.needs_save() is True

    item.mark_clean()

    assert item.needs_save() is False
    assert item.save() is False
    assert stored(connection, "python", 50) == {}


def test_mark_dirty_changes_nothing(posts: Table, connection: Connection) -> None:
    clean = posts.get_item(forum="python", posted=4, consistent=True)
    dirty = posts.get_item(forum="python", posted=5, consistent=True)
    dirty["subject"] = "edited"

    assert clean.mark_dirty() is None  # type: ignore[func-returns-value]
    dirty.mark_dirty()

    assert clean.needs_save() is False
    assert clean.save() is False
    assert dirty.needs_save() is True
    assert dirty.save() is True
    assert stored(connection, "python", 5)["subject"] == {"S": "edited"}


# ---------------------------------------------------------------------- get_raw_keys


def test_get_raw_keys_gives_only_the_key_in_wire_form(posts: Table, connection: Connection) -> None:
    item = posts.get_item(forum="python", posted=6, consistent=True)

    raw = item.get_raw_keys()

    assert raw == {"forum": {"S": "python"}, "posted": {"N": "6"}}
    found = connection.get_item({"TableName": "posts", "Key": raw, "ConsistentRead": True})
    assert found["Item"]["subject"] == {"S": "s6"}


def test_get_raw_keys_refuses_an_item_missing_a_key_attribute(posts: Table) -> None:
    item = Item(posts, data={"forum": "python", "subject": "no posted"})

    with pytest.raises(ParameterValidationError, match="posted"):
        item.get_raw_keys()


# ---------------------------------------------------------------------- prepare_full


def test_prepare_full_encodes_every_storable_attribute_and_drops_empty_ones(
    posts: Table, connection: Connection
) -> None:
    item = Item(
        posts,
        data={
            "forum": "python",
            "posted": 60,
            "subject": "full",
            "views": 0,
            "flag": False,
            "tags": {"b", "a"},
            "none": None,
            "empty": "",
            "no_tags": set(),
        },
    )

    full = item.prepare_full()

    assert set(full) == {"forum", "posted", "subject", "views", "flag", "tags"}
    assert full["forum"] == {"S": "python"}
    assert full["posted"] == {"N": "60"}
    assert full["views"] == {"N": "0"}
    assert full["flag"] == {"N": "0"}  # boto 2 stores booleans as numbers by default
    assert sorted(full["tags"]["SS"]) == ["a", "b"]
    # It only prepares: the item is still unsaved, and the wire form is a valid PutItem.
    assert item.needs_save() is True
    assert stored(connection, "python", 60) == {}
    connection.put_item({"TableName": "posts", "Item": full})
    written = stored(connection, "python", 60)
    assert sorted(written.pop("tags")["SS"]) == ["a", "b"]
    assert written == {name: value for name, value in full.items() if name != "tags"}


# ---------------------------------------------------------------------- prepare_partial


def test_prepare_partial_gives_puts_for_added_and_changed_and_deletes_for_removed(
    posts: Table,
) -> None:
    item = posts.get_item(forum="python", posted=7, consistent=True)
    item["extra"] = "added"
    item["subject"] = "changed"
    item["views"] = None  # never stored: not an alteration

    updates, fields = item.prepare_partial()

    assert updates == {
        "extra": {"Action": "PUT", "Value": {"S": "added"}},
        "subject": {"Action": "PUT", "Value": {"S": "changed"}},
    }
    assert fields == {"extra", "subject"}

    del item["subject"]
    updates, fields = item.prepare_partial()
    assert updates["subject"] == {"Action": "DELETE"}
    assert fields == {"extra", "subject"}


def test_prepare_partial_of_an_unchanged_item_is_empty(posts: Table) -> None:
    item = posts.get_item(forum="python", posted=7, consistent=True)

    assert item.prepare_partial() == ({}, set())


def test_prepare_partial_leaves_the_item_dirty_for_a_following_partial_save(
    posts: Table, connection: Connection
) -> None:
    item = posts.get_item(forum="python", posted=7, consistent=True)
    item["subject"] = "changed"

    item.prepare_partial()

    assert item.needs_save() is True
    assert item.partial_save() is True
    assert stored(connection, "python", 7)["subject"] == {"S": "changed"}
    assert item.prepare_partial() == ({}, set())


# ---------------------------------------------------------------------- build_expects


def test_build_expects_expects_stored_values_and_absence_of_new_attributes(
    posts: Table,
) -> None:
    item = posts.get_item(forum="python", posted=1, consistent=True)
    item["subject"] = "changed"  # modified: the stored value is expected
    item["extra"] = "added"  # new: expected absent
    del item["posted"]  # removed: the stored value is expected

    expects = item.build_expects()

    assert expects == {
        "forum": {"Exists": True, "Value": {"S": "python"}},
        "posted": {"Exists": True, "Value": {"N": "1"}},
        "subject": {"Exists": True, "Value": {"S": "s1"}},
        "extra": {"Exists": False},
    }
    assert item.build_expects(["subject", "extra"]) == {
        "subject": {"Exists": True, "Value": {"S": "s1"}},
        "extra": {"Exists": False},
    }
    with pytest.raises(ValueError, match="nope"):
        item.build_expects(["nope"])


def test_build_expects_conditions_a_put_on_the_item_being_unchanged_since_it_was_read(
    posts: Table, connection: Connection
) -> None:
    item = posts.get_item(forum="python", posted=1, consistent=True)
    item["subject"] = "changed"
    item["extra"] = "added"
    request = {"TableName": "posts", "Item": item.prepare_full(), "Expected": item.build_expects()}

    connection.put_item(request)
    assert stored(connection, "python", 1)["subject"] == {"S": "changed"}

    # The same conditions no longer hold now that the item changed.
    with pytest.raises(ConditionalCheckFailedException):
        connection.put_item(request)


# ---------------------------------------------------------------------- ResultSet


def test_result_set_first_key_names_the_resume_keyword_the_page_callable_takes(
    posts: Table,
) -> None:
    results = posts.query_2(forum__eq="python", max_page_size=3)

    assert results.first_key == "exclusive_start_key"
    # The callable really takes the resume key by that name.
    assert results.the_callable is not None
    page = results.the_callable(
        *results.call_args,
        **results.call_kwargs,
        limit=2,
        **{results.first_key: {"forum": "python", "posted": 5}},
    )
    assert [int(item["posted"]) for item in page["results"]] == [6, 7]


def test_result_set_fetch_more_fetches_the_next_page_from_the_last_key(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", max_page_size=3)

    results.fetch_more()
    first = recorder.bodies("Query")
    assert len(first) == 1
    assert first[0]["Limit"] == 3
    assert "ExclusiveStartKey" not in first[0]

    results.fetch_more()
    second = recorder.bodies("Query")[1]
    assert second["ExclusiveStartKey"] == {"forum": {"S": "python"}, "posted": {"N": "3"}}
    assert results.fetches == 2


def test_result_set_iteration_after_fetch_more_starts_at_the_fetched_pages_first_item(
    posts: Table,
) -> None:
    results = posts.query_2(forum__eq="python", max_page_size=3)

    results.fetch_more()

    assert postings(results) == [1, 2, 3, 4, 5, 6, 7]


def test_result_set_next_and_the_next_builtin_fetch_one_page_at_a_time(
    posts: Table, recorder: RecordingTransport
) -> None:
    results = posts.query_2(forum__eq="python", max_page_size=3)

    assert recorder.bodies("Query") == []
    taken = [int(results.next()["posted"])]
    assert len(recorder.bodies("Query")) == 1
    taken += [int(next(results)["posted"]), int(results.next()["posted"])]
    assert len(recorder.bodies("Query")) == 1  # still the first page
    taken.append(int(next(results)["posted"]))
    assert len(recorder.bodies("Query")) == 2
    taken += [int(item["posted"]) for item in results]

    assert taken == [1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(StopIteration):
        next(results)
    with pytest.raises(StopIteration):
        results.next()
    assert results.exhausted
