"""Table.update_item against every backend: what is stored, and what comes back."""

from __future__ import annotations

import pytest

from dynamodb2.conditions import Attr
from dynamodb2.exceptions import ConditionalCheckFailedException
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from tests.support.backends import Backend
from tests.support.feature_support import create_table

KEY = {"username": "ada"}


@pytest.fixture
def users(backend: Backend) -> Table:
    table = create_table(backend, "users", [HashKey("username")])
    table.put_item(
        {
            "username": "ada",
            "visits": 1,
            "tags": {"math", "poetry"},
            "profile": {"city": "London", "emails": ["ada@example.com"]},
            "log": ["created"],
            "temp": "x",
        }
    )
    return table


def test_update_item_sets_nested_paths_and_counts_atomically(users: Table) -> None:
    for _ in range(3):
        users.update_item(KEY, add={"visits": 1}, set={"profile.city": "Paris"})
    stored = users.get_item(username="ada")
    assert stored["visits"] == 4
    assert stored["profile"] == {"city": "Paris", "emails": ["ada@example.com"]}


def test_update_item_adds_and_deletes_set_elements(users: Table) -> None:
    users.update_item(KEY, add={"tags": {"chess"}})
    users.update_item(KEY, delete={"tags": {"poetry"}})
    assert users.get_item(username="ada")["tags"] == {"math", "chess"}


def test_update_item_appends_prepends_and_creates_missing_lists(users: Table) -> None:
    users.update_item(KEY, append={"log": ["saved"]}, prepend={"profile.emails": ["new@x.org"]})
    users.update_item(KEY, append={"history": [1, 2]})
    stored = users.get_item(username="ada")
    assert stored["log"] == ["created", "saved"]
    assert stored["profile"]["emails"] == ["new@x.org", "ada@example.com"]
    assert stored["history"] == [1, 2]


def test_update_item_set_if_not_exists_keeps_an_existing_value(users: Table) -> None:
    users.update_item(KEY, set_if_not_exists={"visits": 100, "joined": 2024})
    stored = users.get_item(username="ada")
    assert (stored["visits"], stored["joined"]) == (1, 2024)


def test_update_item_removes_attributes_and_list_elements(users: Table) -> None:
    users.update_item(KEY, remove=["temp", "log[0]"])
    stored = users.get_item(username="ada")
    assert "temp" not in stored
    assert stored["log"] == []


def test_update_item_creates_the_item_when_absent(users: Table) -> None:
    assert users.update_item({"username": "new"}, add={"visits": 1}) is None
    assert users.get_item(username="new")["visits"] == 1


def test_update_item_return_values(users: Table) -> None:
    updated_new = users.update_item(KEY, add={"visits": 1}, return_values="UPDATED_NEW")
    assert updated_new is not None
    assert dict(updated_new.items()) == {"visits": 2}
    updated_old = users.update_item(KEY, add={"visits": 1}, return_values="UPDATED_OLD")
    assert updated_old is not None
    assert dict(updated_old.items()) == {"visits": 2}
    all_new = users.update_item(KEY, remove=["temp"], return_values="ALL_NEW")
    assert all_new is not None
    assert all_new["visits"] == 3
    assert "temp" not in all_new
    assert users.update_item({"username": "new"}, set={"a": 1}, return_values="ALL_OLD") is None


def test_update_item_condition_failure_changes_nothing(users: Table) -> None:
    with pytest.raises(ConditionalCheckFailedException):
        users.update_item(
            KEY,
            add={"visits": 1},
            remove=["temp"],
            condition=Attr("visits").gt(10) | Attr("profile.city").eq("Paris"),
        )
    stored = users.get_item(username="ada")
    assert (stored["visits"], stored["temp"]) == (1, "x")
    users.update_item(KEY, add={"visits": 1}, condition=Attr("visits").lt(10))
    assert users.get_item(username="ada")["visits"] == 2


def test_update_item_with_names_that_are_reserved_or_placeholder_shaped(users: Table) -> None:
    users.update_item(
        KEY,
        set={("#n0",): ":v0", ("size",): 3, ("a.b",): "dotted"},
        add={(":v1",): 2},
        condition=Attr(":v0").not_exists(),
    )
    stored = users.get_item(username="ada")
    assert (stored["#n0"], stored["size"], stored["a.b"], stored[":v1"]) == (":v0", 3, "dotted", 2)
