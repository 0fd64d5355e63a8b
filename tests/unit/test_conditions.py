"""The condition builders compile to exact expressions and refuse mistakes when built."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamodb2._expressions import compile_filters
from dynamodb2._placeholders import Placeholders
from dynamodb2.conditions import Attr, Condition, Key, KeyCondition, KeyConditions
from dynamodb2.exceptions import (
    ParameterValidationError,
    UnknownFilterTypeError,
    UnsupportedTypeError,
)
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.table import Table
from dynamodb2.types import FILTER_OPERATORS, Dynamizer, NonBooleanDynamizer
from tests.support.fakes import ScriptedTransport, json_response, quiet_connection


def compiled(condition: Condition | KeyCondition | KeyConditions) -> tuple[str, Placeholders]:
    placeholders = Placeholders(Dynamizer())
    return condition.compile(placeholders), placeholders


# --------------------------------------------------------------------------- exact text


@pytest.mark.parametrize(
    ("condition", "expression"),
    [
        (Attr("a").eq(1), "#n0 = :v0"),
        (Attr("a").ne(1), "#n0 <> :v0"),
        (Attr("a").lt(1), "#n0 < :v0"),
        (Attr("a").lte(1), "#n0 <= :v0"),
        (Attr("a").gt(1), "#n0 > :v0"),
        (Attr("a").gte(1), "#n0 >= :v0"),
        (Attr("a").between(1, 2), "#n0 BETWEEN :v0 AND :v1"),
        (Attr("a").is_in([1, 2, 3]), "#n0 IN (:v0, :v1, :v2)"),
        (Attr("a").begins_with("x"), "begins_with(#n0, :v0)"),
        (Attr("a").contains("x"), "contains(#n0, :v0)"),
        (Attr("a").exists(), "attribute_exists(#n0)"),
        (Attr("a").not_exists(), "attribute_not_exists(#n0)"),
        (Attr("a").attribute_type("SS"), "attribute_type(#n0, :v0)"),
        (Attr("a").size().gt(3), "size(#n0) > :v0"),
        (Attr("a").size().between(1, 3), "size(#n0) BETWEEN :v0 AND :v1"),
        (Attr("a").eq(Attr("b")), "#n0 = #n1"),
        (Attr("a").size().lt(Attr("b").size()), "size(#n0) < size(#n1)"),
    ],
)
def test_each_builder_compiles_to_its_expression(condition: Condition, expression: str) -> None:
    assert compiled(condition)[0] == expression


def test_values_are_encoded_into_the_value_map_in_expression_order() -> None:
    text, placeholders = compiled(Attr("age").between(18, 65) & Attr("name").begins_with("J"))
    assert text == "#n0 BETWEEN :v0 AND :v1 AND begins_with(#n1, :v2)"
    assert placeholders.names == {"#n0": "age", "#n1": "name"}
    assert placeholders.values == {":v0": {"N": "18"}, ":v1": {"N": "65"}, ":v2": {"S": "J"}}


def test_attribute_type_name_is_sent_as_a_string_value() -> None:
    _text, placeholders = compiled(Attr("a").attribute_type("NULL"))
    assert placeholders.values == {":v0": {"S": "NULL"}}


def test_paths_with_dots_and_indexes_become_one_placeholder_per_name() -> None:
    text, placeholders = compiled(Attr("profile.emails[0]").eq("a@b.c"))
    assert text == "#n0.#n1[0] = :v0"
    assert placeholders.names == {"#n0": "profile", "#n1": "emails"}


def test_a_sequence_path_takes_names_with_dots_literally() -> None:
    text, placeholders = compiled(Attr(["first.last", "x", 2]).exists())
    assert text == "attribute_exists(#n0.#n1[2])"
    assert placeholders.names == {"#n0": "first.last", "#n1": "x"}


def test_the_same_name_reuses_its_placeholder() -> None:
    text, placeholders = compiled(Attr("a").gt(1) & Attr("a").lt(5))
    assert text == "#n0 > :v0 AND #n0 < :v1"
    assert placeholders.names == {"#n0": "a"}


def test_values_take_the_requests_dynamizer_at_compile_time() -> None:
    condition = Attr("flag").eq(True)
    boolean = Placeholders(Dynamizer())
    legacy = Placeholders(NonBooleanDynamizer())
    condition.compile(boolean)
    condition.compile(legacy)
    assert boolean.values == {":v0": {"BOOL": True}}
    assert legacy.values == {":v0": {"N": "1"}}


# --------------------------------------------------------------------------- combining


def test_and_inside_or_and_or_inside_and_are_parenthesised() -> None:
    a, b, c = Attr("a").eq(1), Attr("b").eq(2), Attr("c").eq(3)
    assert compiled(a & (b | c))[0] == "#n0 = :v0 AND (#n1 = :v1 OR #n2 = :v2)"
    assert compiled((a & b) | c)[0] == "(#n0 = :v0 AND #n1 = :v1) OR #n2 = :v2"
    assert compiled((a | b) & (c | a))[0] == (
        "(#n0 = :v0 OR #n1 = :v1) AND (#n2 = :v2 OR #n0 = :v3)"
    )


def test_chains_of_one_operator_are_flat() -> None:
    a, b, c = Attr("a").eq(1), Attr("b").eq(2), Attr("c").eq(3)
    assert compiled(a & b & c)[0] == "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2"
    assert compiled(a | (b | c))[0] == "#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2"


def test_not_wraps_anything_but_a_function_in_parentheses() -> None:
    assert compiled(~Attr("a").exists())[0] == "NOT attribute_exists(#n0)"
    assert compiled(~Attr("a").eq(1))[0] == "NOT (#n0 = :v0)"
    assert compiled(~(Attr("a").eq(1) | Attr("b").eq(2)))[0] == "NOT (#n0 = :v0 OR #n1 = :v1)"
    assert compiled(~Attr("a").exists() & Attr("b").eq(2))[0] == (
        "NOT attribute_exists(#n0) AND #n1 = :v0"
    )


def test_double_negation_is_the_condition_itself() -> None:
    condition = Attr("a").eq(1)
    assert ~~condition == condition


def test_conditions_are_equal_by_value_and_hashable() -> None:
    assert Attr("a").eq(1) & Attr("b").exists() == Attr("a").eq(1) & Attr("b").exists()
    assert len({Attr("a").eq(1), Attr("a").eq(1), Attr("a").eq(2)}) == 2


def test_python_and_or_on_conditions_raise_instead_of_dropping_one() -> None:
    with pytest.raises(TypeError, match="combine conditions with &"):
        _ = Attr("a").eq(1) and Attr("b").eq(2)
    with pytest.raises(TypeError, match="join key conditions with &"):
        _ = Key("a").eq(1) or Key("b").eq(2)


def test_combining_with_something_else_raises_type_error() -> None:
    with pytest.raises(TypeError, match="not a str"):
        _ = Attr("a").eq(1) & "b = 2"  # type: ignore[operator]
    with pytest.raises(TypeError, match="key_condition"):
        _ = Attr("a").eq(1) | Key("b").eq(2)


def test_a_built_condition_does_not_change_when_the_callers_value_does() -> None:
    tags = ["a"]
    condition = Attr("tags").eq(tags)
    tags.append("b")
    _text, placeholders = compiled(condition)
    assert placeholders.values == {":v0": {"L": [{"S": "a"}]}}


# --------------------------------------------------------------------------- validation


def test_attribute_type_only_takes_dynamodb_type_names() -> None:
    with pytest.raises(ParameterValidationError, match=r"S N B SS NS BS M L NULL BOOL"):
        Attr("a").attribute_type("STRING")


@pytest.mark.parametrize("values", [[], list(range(101))])
def test_is_in_takes_one_to_a_hundred_values(values: list[int]) -> None:
    with pytest.raises(ParameterValidationError, match="is_in"):
        Attr("a").is_in(values)


def test_is_in_accepts_exactly_a_hundred_values() -> None:
    text, _placeholders = compiled(Attr("a").is_in(range(100)))
    assert text.count(":v") == 100


@pytest.mark.parametrize("values", ["abc", b"abc", {"a": 1}, 5])
def test_is_in_refuses_a_string_mapping_or_scalar(values: Any) -> None:
    with pytest.raises(ParameterValidationError, match="is_in takes a list"):
        Attr("a").is_in(values)


def test_between_refuses_a_low_end_above_the_high_end() -> None:
    with pytest.raises(ParameterValidationError, match="low <= high"):
        Attr("a").between(5, 1)
    with pytest.raises(ParameterValidationError, match="low <= high"):
        Key("a").between("b", "a")


def test_between_needs_both_ends() -> None:
    with pytest.raises(ParameterValidationError, match="a low and a high"):
        Attr("a").between(1, None)


def test_size_compares_with_numbers_only() -> None:
    with pytest.raises(ParameterValidationError, match="size\\(\\) is a number"):
        Attr("a").size().eq("3")
    with pytest.raises(ParameterValidationError, match="size\\(\\) is a number"):
        Attr("a").size().gt(True)


def test_begins_with_takes_a_string_or_bytes() -> None:
    with pytest.raises(ParameterValidationError, match="begins_with takes a str or bytes"):
        Attr("a").begins_with(3)  # type: ignore[arg-type]


def test_contains_refuses_a_set_of_elements() -> None:
    with pytest.raises(ParameterValidationError, match="contains takes one element"):
        Attr("tags").contains({"a", "b"})


def test_values_dynamodb_cannot_store_are_refused_naming_the_path() -> None:
    with pytest.raises(ParameterValidationError, match=r"profile\.age") as error:
        Attr("profile.age").eq(float("nan"))
    assert error.value.attribute == "profile.age"
    with pytest.raises(UnsupportedTypeError, match="cannot store"):
        Attr("a").eq(object())


@pytest.mark.parametrize("path", ["", "a..b", "a[", "[0]", "a.[0]", "a b[x]"])
def test_malformed_paths_are_refused(path: str) -> None:
    with pytest.raises(ParameterValidationError):
        Attr(path)


@pytest.mark.parametrize("parts", [[], [0], ["a", ""], ["a", -1], ["a", True], ["a", 1.5]])
def test_malformed_sequence_paths_are_refused(parts: list[Any]) -> None:
    with pytest.raises(ParameterValidationError):
        Attr(parts)


# --------------------------------------------------------------------------- key conditions


def test_key_conditions_compile_and_join_with_and() -> None:
    condition = Key("user").eq("jo") & Key("at").between(1, 9)
    text, placeholders = compiled(condition)
    assert text == "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"
    assert placeholders.names == {"#n0": "user", "#n1": "at"}
    assert compiled(Key("s").begins_with("x"))[0] == "begins_with(#n0, :v0)"
    assert compiled(Key("s").lte(Decimal("1.5")))[0] == "#n0 <= :v0"


def test_key_names_are_literal_not_paths() -> None:
    _text, placeholders = compiled(Key("a.b").eq(1))
    assert placeholders.names == {"#n0": "a.b"}


def test_key_conditions_report_boto2_operator_names() -> None:
    condition = Key("user").eq("jo") & Key("title").begins_with("x")
    assert condition.parsed == [("user", "eq"), ("title", "beginswith")]


def test_key_conditions_refuse_or_not_and_a_third_part() -> None:
    with pytest.raises(TypeError, match="only join with &"):
        _ = Key("a").eq(1) | Key("b").eq(2)
    with pytest.raises(TypeError, match="cannot be negated"):
        _ = ~Key("a").eq(1)
    with pytest.raises(ParameterValidationError, match="at most two parts"):
        _ = Key("a").eq(1) & Key("b").eq(2) & Key("c").eq(3)
    with pytest.raises(ParameterValidationError, match="one condition per key"):
        _ = Key("a").gt(1) & Key("a").lt(3)
    with pytest.raises(TypeError, match="put other conditions in filter="):
        _ = Key("a").eq(1) & Attr("b").eq(2)  # type: ignore[operator]


@pytest.mark.parametrize("value", [True, None, [1], {"a"}, {"a": 1}])
def test_key_values_are_strings_numbers_or_bytes(value: Any) -> None:
    with pytest.raises(ParameterValidationError, match="key values are strings"):
        Key("a").eq(value)


def test_key_offers_only_what_key_conditions_allow() -> None:
    for method in ("ne", "is_in", "contains", "exists", "not_exists", "size", "attribute_type"):
        assert not hasattr(Key("a"), method)


# --------------------------------------------------------------------------- placeholders


def test_names_and_values_that_look_like_placeholders_stay_data() -> None:
    placeholders = Placeholders(Dynamizer())
    legacy = compile_filters({"#n1__eq": ":v1"}, FILTER_OPERATORS, placeholders)
    built = (Attr(":v0").eq(":v0") & Attr("#n0").eq("#n1")).compile(placeholders)
    assert legacy == "#n0 = :v0"
    assert built == "#n1 = :v1 AND #n2 = :v2"
    assert placeholders.names == {"#n0": "#n1", "#n1": ":v0", "#n2": "#n0"}
    assert placeholders.values == {":v0": {"S": ":v1"}, ":v1": {"S": ":v0"}, ":v2": {"S": "#n1"}}


_PLACEHOLDER = re.compile(r"[#:][nv]\d+")

# Names that are hard for an expression writer: reserved words, dots, brackets, spaces,
# unicode, and text shaped like the placeholders themselves.
tricky_names = st.one_of(
    st.sampled_from(["size", "name", "status", "AND", "NOT", ":v0", "#n0", "#n1", ":v1", "a.b"]),
    st.from_regex(r"[#:][nv][0-9]{1,2}", fullmatch=True),
    st.text(min_size=1, max_size=12),
)
values = st.one_of(
    st.text(max_size=8), st.integers(-(10**6), 10**6), st.sampled_from([":v0", "#n0", "#n1"])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(tricky_names, tricky_names, values), min_size=1, max_size=6))
def test_placeholders_never_collide_whatever_the_names(
    clauses: list[tuple[str, str, Any]],
) -> None:
    """Substituting the maps back into the expression gives exactly the conditions asked."""
    placeholders = Placeholders(Dynamizer())
    conditions = [Attr([outer, inner]).eq(value) for outer, inner, value in clauses]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined | condition
    text = combined.compile(placeholders)

    used = set(_PLACEHOLDER.findall(text))
    assert used == set(placeholders.names) | set(placeholders.values)
    assert len(set(placeholders.names.values())) == len(placeholders.names)

    def resolve(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in placeholders.names:
            return repr(placeholders.names[token])
        return repr(Dynamizer().decode(placeholders.values[token]))

    # One pass over the original text: replaced text is never scanned again.
    resolved = _PLACEHOLDER.sub(resolve, text)
    expected = " OR ".join(
        f"{outer!r}.{inner!r} = {Dynamizer().decode(Dynamizer().encode(value))!r}"
        for outer, inner, value in clauses
    )
    assert resolved == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(tricky_names, min_size=1, max_size=8), st.lists(values, min_size=1, max_size=8))
def test_legacy_keywords_and_built_conditions_share_one_allocator(
    names: list[str], raw_values: list[Any]
) -> None:
    placeholders = Placeholders(Dynamizer())
    legacy = {f"{name}__eq": raw_values[0] for name in names}
    compile_filters(legacy, FILTER_OPERATORS, placeholders)
    for name, value in zip(names, raw_values, strict=False):
        Attr([name]).ne(value).compile(placeholders)
    # Every distinct name has one placeholder; every value its own.
    assert sorted(placeholders.names.values()) == sorted(set(names))
    assert len(placeholders.values) == len(legacy) + min(len(names), len(raw_values))
    assert all(re.fullmatch(r"#n\d+", key) for key in placeholders.names)
    assert all(re.fullmatch(r":v\d+", key) for key in placeholders.values)


# --------------------------------------------------------------------------- in a request


def test_a_query_shares_one_allocator_across_key_condition_keywords_and_filter() -> None:
    recorder = ScriptedTransport.answering(lambda _operation, _body: json_response({"Items": []}))
    table = Table(
        "events", schema=[HashKey("user"), RangeKey("at")], connection=quiet_connection(recorder)
    )
    list(
        table.query_2(
            user__eq="jo",
            key_condition=Key("at").begins_with("2024"),
            query_filter={"kind__eq": "post"},
            filter=Attr("kind").ne("draft") | Attr(":v0").exists(),
        )
    )
    (body,) = recorder.bodies("Query")
    assert body["KeyConditionExpression"] == "#n0 = :v0 AND begins_with(#n1, :v1)"
    assert body["FilterExpression"] == ("(#n2 = :v2) AND (#n2 <> :v3 OR attribute_exists(#n3))")
    assert body["ExpressionAttributeNames"] == {
        "#n0": "user",
        "#n1": "at",
        "#n2": "kind",
        "#n3": ":v0",
    }
    assert body["ExpressionAttributeValues"] == {
        ":v0": {"S": "jo"},
        ":v1": {"S": "2024"},
        ":v2": {"S": "post"},
        ":v3": {"S": "draft"},
    }


def test_a_bad_query_filter_raises_when_query_2_is_called_not_when_iterated() -> None:
    recorder = ScriptedTransport(json_response({}))
    table = Table("events", schema=[HashKey("user")], connection=quiet_connection(recorder))
    with pytest.raises(UnknownFilterTypeError, match="bogus"):
        table.query_2(user__eq="jo", query_filter={"kind__bogus": 1})
    with pytest.raises(ParameterValidationError, match="NaN and Infinity"):
        table.query_2(user__eq="jo", query_filter={"n__gt": float("inf")})
    assert recorder.requests == []
