"""A table's life: billing modes, time to live, waiters, streams and tags, on every backend."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dynamodb2.exceptions import ParameterValidationError, ResourceNotFoundException
from dynamodb2.fields import GlobalAllIndex, HashKey, RangeKey
from dynamodb2.table import Table
from dynamodb2.ttl import TimeToLive
from tests.support.backends import Backend
from tests.support.fakes import refuse_everything, scripted_connection

DYNALITE_HAS_NO_TTL = "dynalite lacks UpdateTimeToLive (it answers UnknownOperationException)"


def create_users(backend: Backend, **options: Any) -> Table:
    table = Table.create(
        "users",
        schema=[HashKey("username"), RangeKey("joined", data_type="N")],
        global_indexes=[GlobalAllIndex("by_email", parts=[HashKey("email")])],
        connection=backend.connect(),
        **options,
    )
    table.wait_until_active(timeout=30)
    return table


def billing(table: Table) -> tuple[str, dict[str, Any]]:
    """The billing mode and throughput a fresh Table learns from describe()."""
    fresh = Table(table.table_name, connection=table.connection)
    description = fresh.describe()["Table"]
    mode = (description.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    assert fresh.billing_mode == mode
    return mode, dict(fresh.throughput)


# ---------------------------------------------------------------------- billing modes


def test_create_on_demand_table_is_described_as_pay_per_request(backend: Backend) -> None:
    table = create_users(backend, billing_mode="PAY_PER_REQUEST")

    assert table.billing_mode == "PAY_PER_REQUEST"
    assert table.throughput == {"read": 0, "write": 0}
    assert billing(table) == ("PAY_PER_REQUEST", {"read": 0, "write": 0})
    table.put_item({"username": "jane", "joined": 1, "email": "jane@example.com"})
    assert table.get_item(username="jane", joined=1)["email"] == "jane@example.com"


def test_switch_provisioned_to_on_demand_and_back(backend: Backend) -> None:
    table = create_users(backend, throughput={"read": 4, "write": 3})
    assert billing(table) == ("PROVISIONED", {"read": 4, "write": 3})

    assert table.update(billing_mode="PAY_PER_REQUEST") is True
    table.wait_until_active(timeout=30)
    assert table.billing_mode == "PAY_PER_REQUEST"
    assert billing(table) == ("PAY_PER_REQUEST", {"read": 0, "write": 0})

    assert table.update(
        throughput={"read": 7, "write": 6},
        global_indexes={"by_email": {"read": 2, "write": 2}},
        billing_mode="PROVISIONED",
    )
    table.wait_until_active(timeout=30)
    assert billing(table) == ("PROVISIONED", {"read": 7, "write": 6})
    (index,) = table.describe()["Table"]["GlobalSecondaryIndexes"]
    assert index["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert index["ProvisionedThroughput"]["WriteCapacityUnits"] == 2


def test_switch_to_provisioned_without_throughput_is_refused_before_sending(
    backend: Backend,
) -> None:
    table = create_users(backend, billing_mode="PAY_PER_REQUEST")

    with pytest.raises(ParameterValidationError, match=r"throughput=\{'read'"):
        table.update(billing_mode="PROVISIONED")
    with pytest.raises(ParameterValidationError, match="lacks 'by_email'"):
        table.update(throughput={"read": 1, "write": 1}, billing_mode="PROVISIONED")

    assert billing(table)[0] == "PAY_PER_REQUEST"


def test_throughput_for_an_on_demand_table_is_refused_before_sending(backend: Backend) -> None:
    table = create_users(backend, billing_mode="PAY_PER_REQUEST")

    with pytest.raises(ParameterValidationError, match="takes no throughput"):
        table.update(throughput={"read": 1, "write": 1})
    with pytest.raises(ParameterValidationError, match="takes no throughput"):
        table.update(global_indexes={"by_email": {"read": 1, "write": 1}})

    assert billing(table) == ("PAY_PER_REQUEST", {"read": 0, "write": 0})


def test_update_refuses_unknown_billing_mode_before_sending() -> None:
    connection, transport = scripted_connection(refuse_everything)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    with pytest.raises(ParameterValidationError, match="'ON_DEMAND'"):
        table.update(billing_mode="ON_DEMAND")  # type: ignore[arg-type]

    assert transport.requests == []


def test_update_to_on_demand_with_throughput_is_refused_before_sending() -> None:
    connection, transport = scripted_connection(refuse_everything)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    with pytest.raises(ParameterValidationError, match="takes no throughput") as raised:
        table.update(throughput={"read": 1, "write": 1}, billing_mode="PAY_PER_REQUEST")

    # The table is still provisioned: the message is about the switch, not the table.
    assert "billing_mode='PAY_PER_REQUEST' takes no throughput" in str(raised.value)
    assert "is billed per request" not in str(raised.value)
    assert transport.requests == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"stream_specification": {"StreamEnabled": True}}, "needs StreamViewType"),
        (
            {"stream_specification": {"StreamEnabled": True, "StreamViewType": "BOGUS"}},
            "not 'BOGUS'",
        ),
        ({"stream_specification": {"StreamEnabled": "yes"}}, "StreamEnabled True or False"),
        ({"stream_specification": {"Enabled": True}}, "not ['Enabled']"),
        ({"stream_specification": True}, "a mapping"),
        ({"table_class": "GLACIER"}, "table_class must be one of STANDARD"),
    ],
    ids=["no-view-type", "bad-view-type", "enabled-not-bool", "unknown-key", "not-a-map", "class"],
)
def test_create_refuses_a_bad_stream_specification_or_table_class_before_sending(
    options: dict[str, Any], message: str
) -> None:
    connection, transport = scripted_connection(refuse_everything)

    with pytest.raises(ParameterValidationError, match=re.escape(message)):
        Table.create("users", schema=[HashKey("username")], connection=connection, **options)

    assert transport.requests == []


# ---------------------------------------------------------------------- waiters


def test_wait_until_active_after_create_then_wait_until_deleted(backend: Backend) -> None:
    table = Table.create("orders", schema=[HashKey("id")], connection=backend.connect())

    description = table.wait_until_active(timeout=30)
    assert description["Table"]["TableStatus"] == "ACTIVE"
    table.put_item({"id": "o-1"})

    table.delete()
    table.wait_until_deleted(timeout=30)
    with pytest.raises(ResourceNotFoundException):
        table.describe()


def test_wait_until_active_waits_for_a_new_global_index(backend: Backend) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite cannot add a global index to a table (it ignores Create updates)")
    table = Table.create("orders", schema=[HashKey("id")], connection=backend.connect())
    table.wait_until_active(timeout=30)

    table.create_global_secondary_index(GlobalAllIndex("by_customer", parts=[HashKey("customer")]))
    description = table.wait_until_active(timeout=30)

    (index,) = description["Table"]["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by_customer"
    assert index.get("IndexStatus", "ACTIVE") == "ACTIVE"


# ---------------------------------------------------------------------- time to live


def test_describe_ttl_of_a_new_table_is_disabled(backend: Backend) -> None:
    table = create_users(backend)

    assert table.describe_ttl() == TimeToLive(status="DISABLED", attribute_name=None)
    assert table.describe_ttl().enabled is False


def test_enable_describe_and_disable_ttl(backend: Backend) -> None:
    if backend.name == "dynalite":
        pytest.skip(DYNALITE_HAS_NO_TTL)
    table = create_users(backend)

    assert table.enable_ttl("expires_at") is True
    ttl = table.describe_ttl()
    assert ttl.enabled
    assert ttl.status in ("ENABLED", "ENABLING")
    assert ttl.attribute_name == "expires_at"

    # DynamoDB refuses to enable it twice: the second call sends nothing.
    assert table.enable_ttl("expires_at") is False

    assert table.disable_ttl() is True
    assert table.describe_ttl().status in ("DISABLED", "DISABLING")
    assert table.disable_ttl() is False


@pytest.mark.parametrize("name", ["", "x" * 256])
def test_enable_ttl_refuses_a_bad_attribute_name_before_sending(name: str) -> None:
    connection, transport = scripted_connection(refuse_everything)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    with pytest.raises(ParameterValidationError, match="1 to 255 characters"):
        table.enable_ttl(name)

    assert transport.requests == []


def test_disable_ttl_names_the_attribute_being_switched_off() -> None:
    def respond(operation: str, body: dict[str, Any]) -> dict[str, Any]:
        if operation == "DescribeTimeToLive":
            return {
                "TimeToLiveDescription": {
                    "TimeToLiveStatus": "ENABLED",
                    "AttributeName": "expires_at",
                }
            }
        return {"TimeToLiveSpecification": body["TimeToLiveSpecification"]}

    connection, transport = scripted_connection(respond)
    table = Table("users", schema=[HashKey("username")], connection=connection)

    assert table.disable_ttl() is True

    operation, body = transport.requests[-1]
    assert operation == "UpdateTimeToLive"
    assert body == {
        "TableName": "users",
        "TimeToLiveSpecification": {"Enabled": False, "AttributeName": "expires_at"},
    }


def test_enable_ttl_on_another_attribute_while_on_is_refused_before_the_change(
    backend: Backend,
) -> None:
    if backend.name == "dynalite":
        pytest.skip(DYNALITE_HAS_NO_TTL)
    table = create_users(backend)
    assert table.enable_ttl("expires_at") is True

    with pytest.raises(ParameterValidationError, match="is on for 'expires_at'"):
        table.enable_ttl("deleted_at")

    assert table.describe_ttl().attribute_name == "expires_at"


# ---------------------------------------------------------------------- streams and tags


def test_create_with_stream_specification_turns_the_stream_on(backend: Backend) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite has no DynamoDB Streams: it ignores StreamSpecification")
    table = create_users(
        backend, stream_specification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    )

    description = table.describe()["Table"]

    assert description["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_IMAGE",
    }
    assert description["LatestStreamArn"].startswith(description["TableArn"] + "/stream/")


@pytest.mark.parametrize(
    "tags",
    [{"team": "web", "cost-centre": "42"}, [{"Key": "team", "Value": "web"}]],
    ids=["mapping", "wire-list"],
)
def test_create_with_tags_tags_the_table(
    backend: Backend, tags: dict[str, str] | list[dict[str, str]]
) -> None:
    if backend.name == "dynalite":
        pytest.skip("dynalite ignores Tags in CreateTable (it tags only through TagResource)")
    table = create_users(backend, tags=tags)
    arn = table.describe()["Table"]["TableArn"]

    listed = table.connection.connection.list_tags_of_resource({"ResourceArn": arn})["Tags"]

    expected = [{"Key": k, "Value": v} for k, v in tags.items()] if isinstance(tags, dict) else tags
    assert sorted(listed, key=lambda tag: tag["Key"]) == sorted(
        expected, key=lambda tag: tag["Key"]
    )
