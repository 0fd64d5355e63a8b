"""boto 2's ``field__op=value`` keywords compiled into expressions: exact text and placeholders."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2._expressions import compile_filters, split_filter_keyword
from dynamodb2._placeholders import Placeholders
from dynamodb2.conditions import Attr
from dynamodb2.exceptions import (
    DynamoDBNumberError,
    ParameterValidationError,
    UnknownFilterTypeError,
)
from dynamodb2.types import FILTER_OPERATORS, QUERY_OPERATORS, Dynamizer, NonBooleanDynamizer


def compiled(
    filters: dict[str, Any],
    operators: Any = FILTER_OPERATORS,
    conditional_operator: str | None = None,
) -> tuple[str | None, dict[str, str], dict[str, Any]]:
    placeholders = Placeholders(Dynamizer())
    expression = compile_filters(
        filters, operators, placeholders, conditional_operator=conditional_operator
    )
    return expression, placeholders.names, placeholders.values


@pytest.mark.parametrize(
    ("filters", "expression", "values"),
    [
        ({"age__eq": 21}, "#n0 = :v0", {":v0": {"N": "21"}}),
        ({"age__ne": 21}, "#n0 <> :v0", {":v0": {"N": "21"}}),
        ({"age__lt": 21}, "#n0 < :v0", {":v0": {"N": "21"}}),
        ({"age__lte": 21}, "#n0 <= :v0", {":v0": {"N": "21"}}),
        ({"age__gt": 21}, "#n0 > :v0", {":v0": {"N": "21"}}),
        ({"age__gte": 21}, "#n0 >= :v0", {":v0": {"N": "21"}}),
        ({"age__beginswith": "J"}, "begins_with(#n0, :v0)", {":v0": {"S": "J"}}),
        ({"age__contains": "x"}, "contains(#n0, :v0)", {":v0": {"S": "x"}}),
        ({"age__ncontains": "x"}, "NOT contains(#n0, :v0)", {":v0": {"S": "x"}}),
        (
            {"age__between": (1, 9)},
            "#n0 BETWEEN :v0 AND :v1",
            {":v0": {"N": "1"}, ":v1": {"N": "9"}},
        ),
        (
            {"age__in": ["a", "b", "c"]},
            "#n0 IN (:v0, :v1, :v2)",
            {":v0": {"S": "a"}, ":v1": {"S": "b"}, ":v2": {"S": "c"}},
        ),
        ({"age__null": True}, "attribute_not_exists(#n0)", {}),
        ({"age__null": False}, "attribute_exists(#n0)", {}),
        ({"age__nnull": True}, "attribute_exists(#n0)", {}),
        ({"age__nnull": False}, "attribute_not_exists(#n0)", {}),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) and value else None,
)
def test_each_filter_operator_compiles_to_its_expression(
    filters: dict[str, Any], expression: str, values: dict[str, Any]
) -> None:
    assert compiled(filters) == (expression, {"#n0": "age"}, values)


def test_every_filter_operator_is_covered() -> None:
    assert set(FILTER_OPERATORS) == {
        "eq",
        "ne",
        "lt",
        "lte",
        "gt",
        "gte",
        "beginswith",
        "contains",
        "ncontains",
        "between",
        "in",
        "null",
        "nnull",
    }
    assert set(QUERY_OPERATORS) == {"eq", "lt", "lte", "gt", "gte", "beginswith", "between"}


def test_filters_are_joined_with_and_by_default() -> None:
    assert compiled({"age__gte": 21, "name__beginswith": "J"}) == (
        "#n0 >= :v0 AND begins_with(#n1, :v1)",
        {"#n0": "age", "#n1": "name"},
        {":v0": {"N": "21"}, ":v1": {"S": "J"}},
    )


def test_filters_joined_with_or_compile_as_the_or_of_attr_conditions() -> None:
    expression, _, _ = compiled(
        {"age__between": (1, 9), "name__null": True}, conditional_operator="OR"
    )

    # The same text Attr conditions compile to: one condition tree, one compiler.
    assert expression == "#n0 BETWEEN :v0 AND :v1 OR attribute_not_exists(#n1)"
    assert expression == (Attr("age").between(1, 9) | Attr("name").not_exists()).compile(
        Placeholders(Dynamizer())
    )


def test_conditional_operator_is_case_insensitive() -> None:
    expression, _, _ = compiled({"a__eq": 1, "b__eq": 2}, conditional_operator="or")

    assert expression == "#n0 = :v0 OR #n1 = :v1"


def test_a_single_filter_joined_with_or_is_not_parenthesised() -> None:
    assert compiled({"a__eq": 1}, conditional_operator="OR")[0] == "#n0 = :v0"


def test_no_filters_compile_to_none() -> None:
    assert compiled({}) == (None, {}, {})
    assert compile_filters(None, FILTER_OPERATORS, Placeholders(Dynamizer())) is None


def test_two_conditions_on_one_attribute_share_its_name_placeholder() -> None:
    assert compiled({"age__gt": 20, "age__lt": 30}) == (
        "#n0 > :v0 AND #n0 < :v1",
        {"#n0": "age"},
        {":v0": {"N": "20"}, ":v1": {"N": "30"}},
    )


@pytest.mark.parametrize(
    ("keyword", "attribute"),
    [
        ("size__eq", "size"),
        ("user.name__eq", "user.name"),
        ("first-name__eq", "first-name"),
        ("double__under__eq", "double__under"),
        (":v0__eq", ":v0"),
        ("#n1__eq", "#n1"),
    ],
)
def test_attribute_names_are_taken_literally(keyword: str, attribute: str) -> None:
    assert compiled({keyword: "x"}) == ("#n0 = :v0", {"#n0": attribute}, {":v0": {"S": "x"}})


def test_a_list_compared_for_equality_is_a_set() -> None:
    _, _, values = compiled({"tags__eq": ["a", "b"], "scores__ne": (1, 2)})

    assert sorted(values[":v0"]["SS"]) == ["a", "b"]
    assert sorted(values[":v1"]["NS"]) == ["1", "2"]


def test_values_are_encoded_by_the_placeholders_dynamizer() -> None:
    placeholders = Placeholders(NonBooleanDynamizer())

    compile_filters({"admin__eq": True}, FILTER_OPERATORS, placeholders)

    assert placeholders.values == {":v0": {"N": "1"}}


def test_key_conditions_refuse_filter_only_operators() -> None:
    with pytest.raises(UnknownFilterTypeError, match="'ne'"):
        compiled({"age__ne": 1}, operators=QUERY_OPERATORS)


@pytest.mark.parametrize(
    ("keyword", "message"),
    [
        ("age__bogus", "Operator 'bogus' from 'age__bogus' is not recognized"),
        ("age", "has no operator"),
        ("age__", "Operator '' from 'age__'"),
        ("__eq", "names no attribute"),
    ],
)
def test_unknown_or_missing_operators_are_refused(keyword: str, message: str) -> None:
    with pytest.raises(UnknownFilterTypeError, match=message):
        compiled({keyword: 1})
    with pytest.raises(UnknownFilterTypeError, match=message):
        split_filter_keyword(keyword, FILTER_OPERATORS)


def test_unknown_filter_type_error_is_a_value_error_listing_the_operators() -> None:
    with pytest.raises(ValueError, match="beginswith, between, contains"):
        compiled({"age__bogus": 1})


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"age__between": (1, 2, 3)}, "between takes a \\(low, high\\) pair"),
        ({"age__between": 5}, "between takes a \\(low, high\\) pair"),
        ({"age__in": "abc"}, "in takes a list"),
        ({"age__in": 5}, "in takes a list"),
        ({"age__in": []}, "at least one value"),
        ({"age__in": list(range(101))}, "at most 100 values"),
        ({"age__contains": ["a"]}, "contains takes one value"),
        ({"age__ncontains": ("a",)}, "ncontains takes one value"),
        ({"age__beginswith": ["a"]}, "beginswith takes one value"),
    ],
)
def test_malformed_operands_are_refused_naming_the_attribute(
    filters: dict[str, Any], message: str
) -> None:
    with pytest.raises(ParameterValidationError, match=message) as raised:
        compiled(filters)
    assert raised.value.attribute == "age"


def test_a_value_that_cannot_be_stored_is_refused_naming_the_attribute() -> None:
    with pytest.raises(DynamoDBNumberError) as raised:
        compiled({"score__gt": float("nan")})
    assert raised.value.attribute == "score"


def test_a_conditional_operator_other_than_and_or_is_refused() -> None:
    with pytest.raises(ParameterValidationError, match="'AND' or 'OR'"):
        compiled({"a__eq": 1}, conditional_operator="XOR")
