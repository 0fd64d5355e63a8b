"""boto 2's ``field__op=value`` keywords, compiled into DynamoDB expressions.

>>> from dynamodb2.types import Dynamizer
>>> from dynamodb2._placeholders import Placeholders
>>> p = Placeholders(Dynamizer())
>>> compile_filters({"age__gte": 21, "name__beginswith": "J"}, FILTER_OPERATORS, p)
'#n0 >= :v0 AND begins_with(#n1, :v1)'

Each keyword is ``<attribute>__<operator>``; the attribute is taken literally (dots and
dashes included) and the operator is one of boto 2's. Two keywords on the same attribute
both apply. An unknown operator raises :class:`~dynamodb2.exceptions.UnknownFilterTypeError`
before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from ._limits import MAX_IN_VALUES
from ._placeholders import Placeholders
from .exceptions import ParameterValidationError, UnknownFilterTypeError
from .types import FILTER_OPERATORS, QUERY_OPERATORS

__all__ = [
    "FILTER_OPERATORS",
    "QUERY_OPERATORS",
    "compile_filter",
    "compile_filters",
    "split_filter_keyword",
]

_COMPARISONS: Final = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_CONDITIONAL_OPERATORS: Final = ("AND", "OR")


def split_filter_keyword(keyword: str, operators: Mapping[str, str]) -> tuple[str, str]:
    """``"user.name__beginswith"`` -> ``("user.name", "beginswith")``, checking the operator."""
    attribute, separator, operator = keyword.rpartition("__")
    if not separator:
        known = ", ".join(sorted(operators))
        raise UnknownFilterTypeError(
            f"filter {keyword!r} has no operator: write {keyword}__eq=... (operators: {known})"
        )
    if not attribute:
        raise UnknownFilterTypeError(
            f"filter {keyword!r} names no attribute: write <attribute>__{operator}=..."
        )
    if operator not in operators:
        known = ", ".join(sorted(operators))
        raise UnknownFilterTypeError(
            f"Operator {operator!r} from {keyword!r} is not recognized (operators: {known})"
        )
    return attribute, operator


def compile_filters(
    filters: Mapping[str, Any] | None,
    operators: Mapping[str, str],
    placeholders: Placeholders,
    *,
    conditional_operator: str | None = None,
) -> str | None:
    """One expression for every ``field__op=value`` keyword, joined with AND (or OR).

    Returns ``None`` when there are no filters. ``operators`` is
    :data:`~dynamodb2.types.QUERY_OPERATORS` for key conditions or
    :data:`~dynamodb2.types.FILTER_OPERATORS` for filters and conditions.
    """
    if not filters:
        return None
    joiner = (conditional_operator or "AND").upper()
    if joiner not in _CONDITIONAL_OPERATORS:
        raise ParameterValidationError(
            f"conditional_operator must be 'AND' or 'OR', not {conditional_operator!r}"
        )
    clauses = [
        compile_filter(keyword, value, operators, placeholders)
        for keyword, value in filters.items()
    ]
    if len(clauses) == 1:
        return clauses[0]
    if joiner == "OR":
        return " OR ".join(f"({clause})" for clause in clauses)
    return " AND ".join(clauses)


def compile_filter(
    keyword: str, value: Any, operators: Mapping[str, str], placeholders: Placeholders
) -> str:
    """The expression for one ``field__op=value`` keyword."""
    attribute, operator = split_filter_keyword(keyword, operators)
    return _BUILDERS[operator](placeholders.name(attribute), attribute, value, placeholders)


# Each builder gets (name placeholder, attribute name, value, placeholders).
_Builder = Callable[[str, str, Any, Placeholders], str]


def _comparison(symbol: str) -> _Builder:
    def build(name: str, attribute: str, value: Any, placeholders: Placeholders) -> str:
        return f"{name} {symbol} {placeholders.value(_scalar_or_set(value), attribute=attribute)}"

    return build


def _scalar_or_set(value: Any) -> Any:
    # boto 2 compared a list or tuple with a set attribute as a set.
    if isinstance(value, (list, tuple)):
        return set(value)
    return value


def _single(attribute: str, operator: str, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        raise ParameterValidationError(
            f"{operator} takes one value, not a {type(value).__name__}", attribute=attribute
        )
    return value


def _begins_with(name: str, attribute: str, value: Any, placeholders: Placeholders) -> str:
    operand = placeholders.value(_single(attribute, "beginswith", value), attribute=attribute)
    return f"begins_with({name}, {operand})"


def _contains(name: str, attribute: str, value: Any, placeholders: Placeholders) -> str:
    operand = placeholders.value(_single(attribute, "contains", value), attribute=attribute)
    return f"contains({name}, {operand})"


def _not_contains(name: str, attribute: str, value: Any, placeholders: Placeholders) -> str:
    operand = placeholders.value(_single(attribute, "ncontains", value), attribute=attribute)
    return f"NOT contains({name}, {operand})"


def _between(name: str, attribute: str, value: Any, placeholders: Placeholders) -> str:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ParameterValidationError(
            f"between takes a (low, high) pair, not {value!r}", attribute=attribute
        )
    low = placeholders.value(value[0], attribute=attribute)
    high = placeholders.value(value[1], attribute=attribute)
    return f"{name} BETWEEN {low} AND {high}"


def _in(name: str, attribute: str, value: Any, placeholders: Placeholders) -> str:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ParameterValidationError(
            f"in takes a list of values, not {value!r}", attribute=attribute
        )
    values = list(value)
    if not values:
        raise ParameterValidationError("in needs at least one value", attribute=attribute)
    if len(values) > MAX_IN_VALUES:
        raise ParameterValidationError(
            f"in takes at most {MAX_IN_VALUES} values, got {len(values)}", attribute=attribute
        )
    operands = ", ".join(placeholders.value(v, attribute=attribute) for v in values)
    return f"{name} IN ({operands})"


def _null(name: str, _attribute: str, value: Any, _placeholders: Placeholders) -> str:
    # field__null=True: the attribute is absent; field__null=False: it is present.
    return f"attribute_exists({name})" if value is False else f"attribute_not_exists({name})"


def _not_null(name: str, _attribute: str, value: Any, _placeholders: Placeholders) -> str:
    # field__nnull=True (or any value but False): the attribute is present.
    return f"attribute_not_exists({name})" if value is False else f"attribute_exists({name})"


_BUILDERS: Final[dict[str, _Builder]] = {
    **{operator: _comparison(symbol) for operator, symbol in _COMPARISONS.items()},
    "beginswith": _begins_with,
    "between": _between,
    "contains": _contains,
    "ncontains": _not_contains,
    "in": _in,
    "null": _null,
    "nnull": _not_null,
}

# Every boto 2 operator has a builder.
assert set(FILTER_OPERATORS) <= set(_BUILDERS)
assert set(QUERY_OPERATORS) <= set(_BUILDERS)
