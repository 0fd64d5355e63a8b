"""The value objects users make themselves (retry policies, key and index fields, conditions,
TTL settings, waiter arguments) refuse an argument of the wrong type when they are made, with
a ParameterValidationError naming the argument, not a bare TypeError or a failure later."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

import dynamodb2.conditions
from dynamodb2.capacity import WriteResult
from dynamodb2.conditions import (
    And,
    Attr,
    Comparison,
    In,
    Key,
    KeyCondition,
)
from dynamodb2.exceptions import ParameterValidationError, RequestValidationError
from dynamodb2.fields import (
    BaseIndexField,
    BaseSchemaField,
    GlobalAllIndex,
    GlobalIncludeIndex,
    HashKey,
    RangeKey,
)
from dynamodb2.retry import Pacing, RetryEvent, RetryPolicy, RoundBackoff
from dynamodb2.ttl import TimeToLive
from dynamodb2.waiters import wait_until_active

# --------------------------------------------------------------------------- retry


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"max_attempts": "3"}, "max_attempts"),
        ({"max_attempts": 2.5}, "max_attempts"),
        ({"max_attempts": True}, "max_attempts"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"base_delay": "0.1"}, "base_delay"),
        ({"base_delay": float("nan")}, "base_delay"),
        ({"base_delay": -1}, "base_delay"),
        ({"max_delay": None}, "max_delay"),
        ({"total_timeout": "10"}, "total_timeout"),
        ({"total_timeout": 0}, "total_timeout"),
        ({"throttling_base_delay": [1]}, "throttling_base_delay"),
        ({"rate_limited": "yes"}, "rate_limited"),
        ({"mode": "fast"}, "mode"),
        ({"mode": 4}, "mode"),
    ],
)
def test_retry_policy_refuses_wrong_arguments_naming_them(
    arguments: dict[str, Any], named: str
) -> None:
    with pytest.raises(ParameterValidationError, match=named):
        RetryPolicy(**arguments)


def test_retry_policy_takes_what_it_always_took() -> None:
    policy = RetryPolicy(
        max_attempts=3,
        base_delay=0,
        max_delay=2,
        total_timeout=1.5,
        throttling_base_delay=0.5,
        rate_limited=True,
        mode="standard",
    )
    assert (policy.max_attempts, policy.max_delay, policy.mode) == (3, 2, "standard")
    assert RetryPolicy.for_mode("adaptive").rate_limited in (True, False)


@pytest.mark.parametrize("mode", [None, 3, "fast"])
def test_for_mode_refuses_an_unknown_mode(mode: Any) -> None:
    with pytest.raises(ParameterValidationError, match="retry mode"):
        RetryPolicy.for_mode(mode)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"policy": {"max_attempts": 3}}, "policy"),
        ({"sleep": 1.0}, "sleep"),
        ({"clock": "now"}, "clock"),
        ({"random": 42}, "random"),
    ],
)
def test_pacing_refuses_wrong_arguments_naming_them(arguments: dict[str, Any], named: str) -> None:
    with pytest.raises(ParameterValidationError, match=named):
        Pacing(**arguments)


def test_pacing_takes_functions_and_a_random_source() -> None:
    pacing = Pacing(RetryPolicy(), time.sleep, time.monotonic, random.Random(1))
    assert pacing.delay(1) >= 0


@pytest.mark.parametrize(
    ("arguments", "named"),
    [({"max_stalls": 0}, "max_stalls"), ({"max_stalls": "3"}, "max_stalls")],
)
def test_round_backoff_refuses_wrong_arguments(arguments: dict[str, Any], named: str) -> None:
    with pytest.raises(ParameterValidationError, match=named):
        RoundBackoff(**arguments)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"operation": None}, "operation"),
        ({"attempt": 0}, "attempt"),
        ({"error": "throttled"}, "error"),
        ({"delay": -0.5}, "delay"),
    ],
)
def test_retry_event_refuses_wrong_arguments(changes: dict[str, Any], named: str) -> None:
    arguments: dict[str, Any] = {
        "operation": "GetItem",
        "attempt": 1,
        "max_attempts": 3,
        "error": RuntimeError("x"),
        "delay": 0.1,
        **changes,
    }
    with pytest.raises(ParameterValidationError, match=named):
        RetryEvent(**arguments)


# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize("name", [5, None, b"id", ""])
@pytest.mark.parametrize("cls", [HashKey, RangeKey])
def test_key_fields_refuse_a_name_that_is_not_a_string(cls: type[HashKey], name: Any) -> None:
    with pytest.raises(ParameterValidationError, match=r"^name takes a non-empty string"):
        cls(name)


def test_key_fields_refuse_a_data_type_that_is_not_a_key_type() -> None:
    with pytest.raises(ParameterValidationError, match="data_type"):
        HashKey("id", data_type=["S"])  # type: ignore[arg-type]
    with pytest.raises(ParameterValidationError, match="data_type"):
        RangeKey("at", data_type="BOOL")


@pytest.mark.parametrize("parts", ["x", b"x", 5, None, {"id": HashKey("id")}])
def test_index_parts_must_be_a_list_of_key_fields(parts: Any) -> None:
    with pytest.raises(ParameterValidationError, match=r"^parts takes a list of one or two"):
        GlobalAllIndex("ByX", parts=parts)


def test_includes_refuse_a_non_iterable() -> None:
    with pytest.raises(ParameterValidationError, match="includes"):
        GlobalIncludeIndex("ByX", parts=[HashKey("x")], includes=5)  # type: ignore[arg-type]


def test_the_base_field_classes_are_refused_for_their_subclasses() -> None:
    with pytest.raises(ParameterValidationError, match="HashKey or RangeKey"):
        BaseSchemaField("id")
    with pytest.raises(ParameterValidationError, match="GlobalAllIndex"):
        BaseIndexField("ByX", parts=[HashKey("x")])


# --------------------------------------------------------------------------- conditions


# The arguments are wrong on purpose: the classes are reached untyped.
loose: Any = dynamodb2.conditions


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: loose.Comparison("age", "=", 3), "left"),
        (lambda: loose.Comparison(Attr("age"), "==", 3), "operator"),
        (lambda: loose.Comparison(Attr("age"), None, 3), "operator"),
        (lambda: loose.Between("age", 1, 2), "operand"),
        (lambda: loose.In(Attr("age"), 3), "values"),
        (lambda: loose.In(Attr("age"), "abc"), "values"),
        (lambda: loose.Function("exists", Attr("age")), "name"),
        (lambda: loose.Function("attribute_exists", "age"), "path"),
        (lambda: loose.And(Attr("a").eq(1)), "conditions"),
        (lambda: loose.And([Attr("a").eq(1), "b = 2"]), "conditions"),
        (lambda: loose.Or("a = 1"), "conditions"),
        (lambda: loose.Not("a = 1"), "condition"),
        (lambda: loose.Size("tags"), "path"),
        (lambda: loose.KeyCondition(5, "eq", (1,)), "name"),
        (lambda: loose.KeyCondition("id", "ne", (1,)), "operator"),
        (lambda: loose.KeyCondition("id", "eq", 1), "values"),
        (lambda: loose.KeyConditions(Key("id").eq(1), "at > 3"), "second"),
    ],
)
def test_conditions_made_directly_refuse_wrong_types_naming_the_argument(
    make: Any, named: str
) -> None:
    with pytest.raises(ParameterValidationError, match=rf"^{named} takes"):
        make()


@pytest.mark.parametrize("values", [(), (1, 2)])
def test_a_key_condition_needs_as_many_values_as_its_operator(values: tuple[Any, ...]) -> None:
    with pytest.raises(RequestValidationError, match="eq takes 1 value, not"):
        KeyCondition("id", "eq", values)


def test_an_in_made_directly_takes_one_to_a_hundred_values() -> None:
    with pytest.raises(RequestValidationError, match="1 to 100"):
        In(Attr("a"), [])
    with pytest.raises(RequestValidationError, match="1 to 100"):
        In(Attr("a"), range(101))
    assert In(Attr("a"), [1, 2]) == Attr("a").is_in([1, 2])


def test_conditions_made_directly_equal_the_built_ones() -> None:
    assert Comparison(Attr("a"), "=", 1) == Attr("a").eq(1)
    assert And([Attr("a").eq(1), Attr("b").eq(2)]) == Attr("a").eq(1) & Attr("b").eq(2)
    assert KeyCondition("id", "between", [1, 2]) == Key("id").between(1, 2)


# --------------------------------------------------------------------------- ttl, waiters, capacity


def test_time_to_live_refuses_non_strings() -> None:
    with pytest.raises(ParameterValidationError, match=r"^status takes a string"):
        TimeToLive(None)  # type: ignore[arg-type]
    with pytest.raises(ParameterValidationError, match=r"^attribute_name takes"):
        TimeToLive("ENABLED", 5)  # type: ignore[arg-type]
    assert TimeToLive("ENABLED", "expires").enabled


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"describe": None}, "describe"),
        ({"sleep": 0.1}, "sleep"),
        ({"table_name": 5}, "table_name"),
        ({"first_delay": "1"}, "first_delay"),
        ({"max_delay": None}, "max_delay"),
        ({"clock": 1.0}, "clock"),
    ],
)
def test_waiters_refuse_wrong_arguments_before_looking(
    arguments: dict[str, Any], named: str
) -> None:
    looked: list[int] = []

    def describe() -> dict[str, Any]:
        looked.append(1)
        return {"Table": {"TableStatus": "ACTIVE"}}

    call: dict[str, Any] = {"describe": describe, "table_name": "users", **arguments}
    with pytest.raises(ParameterValidationError, match=named):
        wait_until_active(**call)
    assert looked == []


def test_write_result_refuses_capacity_that_is_not_a_list_of_entries() -> None:
    with pytest.raises(ParameterValidationError, match="consumed_capacity"):
        WriteResult({"TableName": "users"})  # type: ignore[arg-type]
    with pytest.raises(ParameterValidationError, match="consumed_capacity"):
        WriteResult(["users"])  # type: ignore[list-item]
    assert WriteResult([{"TableName": "users"}]).consumed_capacity == [{"TableName": "users"}]
