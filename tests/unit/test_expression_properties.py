"""Properties of the expressions sent, whatever the attribute names (hypothesis).

Names are drawn to be awkward: dots, brackets, spaces, reserved words, unicode, and names
that look like placeholders (``:v0``, ``#n0``). For every request built from them:

- every ``#nN`` / ``:vN`` in any expression of the request is defined in its
  ``ExpressionAttributeNames`` / ``ExpressionAttributeValues``, and every one defined is
  used (DynamoDB refuses unused ones);
- each attribute name has one placeholder and each placeholder one name;
- nothing but placeholders and the expression grammar is in the expression text (so no
  name reaches DynamoDB unescaped);
- the values map back to the values given.

The last test stores and finds items with such names on every backend.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dynamodb2._expressions import compile_filters
from dynamodb2._placeholders import Placeholders
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.table import Table
from dynamodb2.types import FILTER_OPERATORS, Dynamizer, NonBooleanDynamizer
from tests.support.backends import Backend
from tests.support.fakes import ScriptedTransport, fake_connection
from tests.support.table_support import create_table

AWKWARD: Final = [
    ":v0",
    ":v1",
    "#n0",
    "#n1",
    "a.b",
    "a[0]",
    "a b",
    "size",
    "name",
    "status",
    "AND",
    "x__y",
    "_",
    "é",
    "名前",
    "#",
    ":",
    "(",
]
names = st.one_of(st.sampled_from(AWKWARD), st.text(min_size=1, max_size=6))
scalars = st.one_of(st.integers(-1000, 1000), st.text(max_size=5))

_GRAMMAR: Final = re.compile(
    r"#n\d+|:v\d+|\s+|[(),.]|\[\d+\]|<>|<=|>=|[<>=]"
    r"|\b(?:AND|OR|NOT|BETWEEN|IN|SET|REMOVE|begins_with|contains"
    r"|attribute_exists|attribute_not_exists)\b"
)
_EXPRESSION_FIELDS: Final = (
    "KeyConditionExpression",
    "FilterExpression",
    "ProjectionExpression",
    "ConditionExpression",
    "UpdateExpression",
)


def operand(operator: str) -> st.SearchStrategy[Any]:
    """A value that ``operator`` takes."""
    if operator in ("null", "nnull"):
        return st.booleans()
    if operator == "between":
        return st.tuples(st.integers(-100, 0), st.integers(0, 100))
    if operator == "in":
        return st.lists(st.integers(-100, 100), min_size=1, max_size=4)
    if operator in ("beginswith", "contains", "ncontains"):
        return st.text(max_size=5)
    return scalars


@st.composite
def filter_kwargs(draw: st.DrawFn, attributes: st.SearchStrategy[str] = names) -> dict[str, Any]:
    """boto 2 filter keywords (``<attribute>__<operator>=value``) on awkward names."""
    kwargs: dict[str, Any] = {}
    for _ in range(draw(st.integers(1, 5))):
        operator = draw(st.sampled_from(sorted(FILTER_OPERATORS)))
        kwargs[f"{draw(attributes)}__{operator}"] = draw(operand(operator))
    return kwargs


def assert_well_formed(body: Mapping[str, Any]) -> None:
    """The placeholder properties of one request body (see the module docstring)."""
    expressions = [body[field] for field in _EXPRESSION_FIELDS if field in body]
    assert expressions, "no expression in the request"
    used_names: set[str] = set()
    used_values: set[str] = set()
    for expression in expressions:
        position = 0
        while position < len(expression):
            match = _GRAMMAR.match(expression, position)
            assert match is not None, f"unescaped text at {position} in {expression!r}"
            position = match.end()
        used_names.update(re.findall(r"#n\d+", expression))
        used_values.update(re.findall(r":v\d+", expression))
    defined_names: dict[str, str] = body.get("ExpressionAttributeNames", {})
    defined_values: dict[str, Any] = body.get("ExpressionAttributeValues", {})
    assert used_names == set(defined_names)
    assert used_values == set(defined_values)
    assert len(set(defined_names.values())) == len(defined_names)


def sent(fake: ScriptedTransport) -> dict[str, Any]:
    """The one request body the fake received."""
    assert len(fake.requests) == 1, fake.requests
    return fake.requests[0][1]


# --------------------------------------------------------------------------- the compiler


@settings(max_examples=300, deadline=None)
@given(filter_kwargs(), st.sampled_from([None, "AND", "OR"]))
def test_compiled_filters_use_exactly_the_placeholders_they_allocate(
    filters: dict[str, Any], joiner: str | None
) -> None:
    placeholders = Placeholders(Dynamizer())

    expression = compile_filters(
        filters, FILTER_OPERATORS, placeholders, conditional_operator=joiner
    )

    assert expression is not None
    assert_well_formed(
        {
            "FilterExpression": expression,
            "ExpressionAttributeNames": placeholders.names,
            "ExpressionAttributeValues": placeholders.values,
        }
    )
    attributes = {keyword.rpartition("__")[0] for keyword in filters}
    assert set(placeholders.names.values()) == attributes


@settings(max_examples=200, deadline=None)
@given(st.lists(names, min_size=1, max_size=8), st.lists(scalars, max_size=6))
def test_names_and_values_never_share_a_placeholder_and_values_round_trip(
    attributes: list[str], values: list[Any]
) -> None:
    dynamizer = Dynamizer()
    placeholders = Placeholders(dynamizer)

    name_slots = [placeholders.name(attribute) for attribute in attributes]
    value_slots = [placeholders.value(value) for value in values]

    assert {placeholders.names[slot] for slot in name_slots} == set(attributes)
    assert [placeholders.names[slot] for slot in name_slots] == attributes
    assert len(set(value_slots)) == len(values)  # each value its own placeholder
    assert not set(name_slots) & set(value_slots)
    decoded = [dynamizer.decode(placeholders.values[slot]) for slot in value_slots]
    assert decoded == [value if isinstance(value, str) else int(value) for value in values]


# --------------------------------------------------------------------------- whole requests


def answer(operation: str, _body: dict[str, Any]) -> dict[str, Any]:
    return {"Items": [], "Count": 0} if operation in ("Query", "Scan") else {}


_connection, _fake = fake_connection(answer)


def table_for(hash_name: str, range_name: str) -> tuple[Table, ScriptedTransport]:
    """A table keyed on these names, and the fake answering it (its requests cleared)."""
    _fake.requests.clear()
    schema = [HashKey(hash_name), RangeKey(range_name)]
    return Table("awkward", schema=schema, connection=_connection), _fake


key_names = st.lists(names, min_size=2, max_size=2, unique=True)


@settings(max_examples=150, deadline=None)
@given(key_names, filter_kwargs(), st.lists(names, max_size=4, unique=True), st.booleans())
def test_a_query_request_is_well_formed_whatever_the_names(
    keys: list[str], query_filter: dict[str, Any], attributes: list[str], reverse: bool
) -> None:
    table, fake = table_for(*keys)
    key_conditions: dict[str, Any] = {f"{keys[0]}__eq": "h", f"{keys[1]}__between": ("a", "z")}

    list(
        table.query_2(
            query_filter=query_filter,
            attributes=attributes or None,
            reverse=reverse,
            **key_conditions,
        )
    )

    assert_well_formed(sent(fake))


@settings(max_examples=150, deadline=None)
@given(key_names, filter_kwargs(), st.lists(names, max_size=4, unique=True))
def test_a_scan_request_is_well_formed_whatever_the_names(
    keys: list[str], filters: dict[str, Any], attributes: list[str]
) -> None:
    table, fake = table_for(*keys)

    list(table.scan(attributes=attributes or None, **filters))

    assert_well_formed(sent(fake))


@settings(max_examples=150, deadline=None)
@given(key_names, filter_kwargs())
def test_a_conditional_delete_is_well_formed_whatever_the_names(
    keys: list[str], expected: dict[str, Any]
) -> None:
    table, fake = table_for(*keys)

    key: dict[str, Any] = {keys[0]: "h", keys[1]: "r"}
    table.delete_item(expected=expected, **key)

    assert_well_formed(sent(fake))


@settings(max_examples=150, deadline=None)
@given(
    key_names,
    st.dictionaries(names, scalars, min_size=1, max_size=5),
    st.dictionaries(names, st.one_of(scalars, st.none()), min_size=1, max_size=5),
)
def test_save_and_partial_save_are_well_formed_whatever_the_names(
    keys: list[str], stored: dict[str, Any], changes: dict[str, Any]
) -> None:
    table, fake = table_for(*keys)
    key = {keys[0]: "h", keys[1]: "r"}
    stored = {name: value for name, value in stored.items() if name not in key}
    changes = {name: value for name, value in changes.items() if name not in key}
    snapshot = NonBooleanDynamizer().encode_item({**key, **stored})

    for save in (Item.partial_save, Item.save):
        item = Item.from_wire(table, dict(snapshot))
        for name, value in changes.items():
            item[name] = value
        fake.requests.clear()
        if save(item):
            assert_well_formed(sent(fake))


# --------------------------------------------------------------------------- on a backend

_ids = itertools.count()


@pytest.fixture
def awkward_table(backend: Backend) -> Iterator[tuple[Table, str]]:
    with backend.connect() as connection:
        yield create_table(connection, "awkward", [HashKey("id")]), backend.name


#: moto resolves a projection's name placeholders before splitting the path, so it reads
#: a name like "a[0]" as a list index (DynamoDB and dynalite take the name literally).
_LOOKS_INDEXED: Final = re.compile(r"\[\d+\]")


stored_names = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.text(min_size=1, max_size=6)).filter(
        lambda name: name != "id"
    ),
    min_size=1,
    max_size=4,
    unique=True,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(stored_names, st.lists(st.text(min_size=1, max_size=4), min_size=4, max_size=4))
def test_items_with_awkward_names_are_stored_projected_and_found(
    awkward_table: tuple[Table, str], attributes: list[str], values: list[str]
) -> None:
    table, backend = awkward_table
    if backend.startswith("moto"):
        assume(not any(_LOOKS_INDEXED.search(name) for name in attributes))
    key = f"item-{next(_ids)}"
    data = {"id": key, **dict(zip(attributes, values, strict=False))}

    table.put_item(data)

    projected = table.get_item(id=key, consistent=True, attributes=attributes)
    assert dict(projected.items()) == {name: data[name] for name in attributes}
    filters: dict[str, Any] = {f"{name}__eq": data[name] for name in attributes}
    found = list(table.scan(id__eq=key, consistent=True, **filters))
    assert [dict(item.items()) for item in found] == [data]
