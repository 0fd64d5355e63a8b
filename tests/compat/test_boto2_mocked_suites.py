"""What boto 2 test suites do with mocks, through the shim. Each behaviour pinned here is
boto 2.49's: the same calls were run under boto 2.49 (Python 3.9) in review, as unittest
cases, and passed there.

- a mocked layer1 answering with one shared response object (``side_effect=[resp, resp,
  {}]``): an unprocessed write is resent until written, never dropped;
- ``mock.patch.object(BatchTable, "flush")`` (on the class or on the batch): the batch
  calls the patched ``flush`` every 25 writes, and sends nothing itself;
- ``mock.patch("boto.dynamodb2.table.Item")`` (and ``ResultSet``, ``BatchTable``): what the
  table returns is the mock's, as boto 2's table used its module's names;
- ``mock.patch.object(Item, "save")`` asserting ``save(overwrite=False)``;
- a filter-free ``scan()`` calling the mocked layer1 with boto 2's keywords;
- ``conn.auth_service_name = "dynamodb"`` in a local set-up.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any
from unittest import mock

import pytest


@pytest.fixture
def users(boto: dict[str, ModuleType]) -> Any:
    """A ``users`` table (hash key ``username``) on an autospec'd layer1, as boto 2's own
    unit tests make it."""
    connection = mock.create_autospec(boto["layer1"].DynamoDBConnection)
    connection.put_item.return_value = {}
    connection.update_item.return_value = {}
    return boto["table"].Table(
        "users", schema=[boto["fields"].HashKey("username")], connection=connection
    )


def test_an_unprocessed_write_answered_by_one_shared_response_is_resent_until_written(
    users: Any,
) -> None:
    response = {"UnprocessedItems": {"users": [{"PutRequest": {"Item": {"username": {"S": "a"}}}}]}}
    users.connection.batch_write_item.side_effect = [response, response, {}]

    with users.batch_write() as batch:
        batch.put_item(data={"username": "a"})

    assert users.connection.batch_write_item.call_count == 3
    assert batch.unsent_requests == []


def test_a_fake_layer1_handing_back_the_requests_it_was_given_loses_none(users: Any) -> None:
    # A hand-written fake: the first time it sees a key it leaves the write unprocessed,
    # answering with the very request dict it was given.
    written: list[str] = []
    seen: set[str] = set()

    def batch_write_item(request_items: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        unprocessed = []
        for request in request_items["users"]:
            name = request["PutRequest"]["Item"]["username"]["S"]
            if name in seen:
                written.append(name)
            else:
                seen.add(name)
                unprocessed.append(request)
        return {"UnprocessedItems": {"users": unprocessed}} if unprocessed else {}

    users.connection.batch_write_item.side_effect = batch_write_item
    with users.batch_write() as batch:
        batch.put_item(data={"username": "a"})
        batch.put_item(data={"username": "b"})

    assert sorted(written) == ["a", "b"]


@pytest.mark.parametrize("on", ["class", "batch"])
def test_a_patched_flush_is_what_runs_every_25_writes(
    users: Any, boto: dict[str, ModuleType], on: str
) -> None:
    batch = users.batch_write()
    target = boto["table"].BatchTable if on == "class" else batch
    with mock.patch.object(target, "flush", return_value=True) as flush:
        with batch:
            for n in range(30):
                batch.put_item(data={"username": f"u{n}"})

        assert flush.call_count == 2  # at the 25th write, and when the block ends
    assert not users.connection.batch_write_item.called


@pytest.mark.parametrize("prefix", ["boto.dynamodb2.table", "dynamodb2.table"])
def test_patching_the_table_modules_classes_reaches_what_the_table_returns(
    users: Any, boto: dict[str, ModuleType], prefix: str
) -> None:
    users.connection.get_item.return_value = {"Item": {"username": {"S": "a"}}}
    users.connection.scan.return_value = {"Items": [{"username": {"S": "a"}}]}
    real_item = boto["table"].Item

    with mock.patch(f"{prefix}.Item") as fake_item:
        assert users.get_item(username="a") is fake_item.return_value
        fake_item.return_value.load.assert_called_once_with({"Item": {"username": {"S": "a"}}})
    with mock.patch(f"{prefix}.ResultSet") as fake_results:
        assert users.scan() is fake_results.return_value
    with mock.patch(f"{prefix}.BatchTable") as fake_batch:
        assert users.batch_write() is fake_batch.return_value

    # Each patch ended: the module's own names are back, on both modules.
    assert boto["table"].Item is real_item
    assert importlib.import_module("dynamodb2.table").Item is real_item
    assert type(users.get_item(username="a")) is real_item
    assert [item["username"] for item in users.scan()] == ["a"]


def test_put_item_calls_item_save_as_boto2_did(users: Any, boto: dict[str, ModuleType]) -> None:
    with mock.patch.object(boto["items"].Item, "save", return_value=True) as save:
        assert users.put_item(data={"username": "a"})

    save.assert_called_once_with(overwrite=False)


def test_a_scan_without_filters_calls_layer1_with_boto2s_keywords(users: Any) -> None:
    users.connection.scan.return_value = {"Items": []}

    assert list(users.scan()) == []

    users.connection.scan.assert_called_once_with(
        "users",
        limit=None,
        segment=None,
        total_segments=None,
        attributes_to_get=None,
        conditional_operator=None,
        scan_filter={},
    )


def test_the_auth_service_name_may_be_set_to_dynamodb(boto: dict[str, ModuleType]) -> None:
    connection = boto["layer1"].DynamoDBConnection(
        host="localhost",
        port=8000,
        is_secure=False,
        aws_access_key_id="x",
        aws_secret_access_key="y",
    )
    connection.auth_region_name = "us-east-1"
    connection.auth_service_name = "dynamodb"

    assert connection.auth_service_name == "dynamodb"
    with pytest.raises(ValueError, match="auth_service_name takes 'dynamodb'"):
        connection.auth_service_name = "s3"


@pytest.mark.parametrize("in_place", [False, True], ids=["new-dict", "in-place"])
def test_an_update_item_override_sees_boto2s_item_data_and_what_it_adds_is_written(
    users: Any, boto: dict[str, ModuleType], in_place: bool
) -> None:
    seen: list[Any] = []

    class Stamped(boto["table"].Table):  # type: ignore[misc]
        def _update_item(self, key: Any, item_data: Any, expects: Any = None) -> Any:
            seen.append({name: dict(update) for name, update in item_data.items()})
            stamp = {"Action": "PUT", "Value": {"N": "1"}}
            if in_place:
                item_data["updated"] = stamp
            else:
                item_data = dict(item_data, updated=stamp)
            return super()._update_item(key, item_data, expects=expects)

    table = Stamped(
        "users", schema=[boto["fields"].HashKey("username")], connection=users.connection
    )
    item = boto["items"].Item(table, data={"username": "a", "gone": "x"}, loaded=True)
    item["x"] = 1
    del item["gone"]

    assert item.partial_save()

    assert seen == [{"x": {"Action": "PUT", "Value": {"N": "1"}}, "gone": {"Action": "DELETE"}}]
    (_name, key), sent = users.connection.update_item.call_args
    assert key == {"username": {"S": "a"}}
    names = {v: k for k, v in sent["expression_attribute_names"].items()}
    values = sent["expression_attribute_values"]
    update = sent["update_expression"]
    for placeholder, name in sent["expression_attribute_names"].items():
        update = update.replace(placeholder, name)
    for placeholder, value in values.items():
        update = update.replace(placeholder, repr(value))
    assert "x = {'N': '1'}" in update
    assert "updated = {'N': '1'}" in update
    assert "REMOVE gone" in update
    # The save's compare-and-set survived the override.
    assert names["gone"] in sent["condition_expression"]


def test_an_item_class_overriding_save_steps_saves_through_them(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    cleaned: list[str] = []

    class Stamped(boto["items"].Item):  # type: ignore[misc]
        def prepare_full(self) -> Any:
            return dict(super().prepare_full(), updated={"N": "1"})

        def needs_save(self, data: Any = None) -> bool:
            return True  # always written, even unchanged

        def mark_clean(self) -> None:
            cleaned.append(self["username"])
            super().mark_clean()

    Stamped(users, data={"username": "a"}).save(overwrite=True)
    (_name, item), _options = users.connection.put_item.call_args
    assert item == {"username": {"S": "a"}, "updated": {"N": "1"}}

    loaded = Stamped(users, data={"username": "b"}, loaded=True)
    assert loaded.save()  # unchanged, but its needs_save says so
    (_name, item), options = users.connection.put_item.call_args
    assert options["expected"] == {"username": {"Exists": True, "Value": {"S": "b"}}}
    assert cleaned == ["a", "b"]


def test_build_expects_checks_a_stored_null_in_a_way_dynamodb_takes(
    users: Any, boto: dict[str, ModuleType]
) -> None:
    # boto 2 sent {"Exists": true} without a Value for it, which DynamoDB refuses.
    wire = {"username": {"S": "a"}, "nickname": {"NULL": True}, "n": {"N": "1"}}
    item = boto["items"].Item.from_wire(users, wire)

    assert item.build_expects() == {
        "username": {"Exists": True, "Value": {"S": "a"}},
        "nickname": {"ComparisonOperator": "NOT_NULL"},
        "n": {"Exists": True, "Value": {"N": "1"}},
    }
