"""boto 2's ``field__op=value`` keywords as condition trees, and the expressions of a request.

>>> from dynamodb2.types import Dynamizer
>>> condition = filter_condition({"age__gte": 21, "name__beginswith": "J"})
>>> condition
<And <Comparison Attr('age') >= 21> <begins_with Attr('name') 'J'>>
>>> expressions = Expressions(Dynamizer())
>>> expressions.compile(condition)
'#n0 >= :v0 AND begins_with(#n1, :v1)'

boto 2's keywords become the very objects :class:`~dynamodb2.conditions.Attr` and
:class:`~dynamodb2.conditions.Key` build (one condition tree), and those compile
themselves (one place writes expression text). Each keyword is
``<attribute>__<operator>``; the attribute is taken literally (dots and dashes included)
and the operator is one of boto 2's. An unknown operator raises
:class:`~dynamodb2.exceptions.UnknownFilterTypeError` before anything is sent.

:class:`Expressions` gathers every expression of one request (key condition, filter,
condition, update, projection) over one placeholder allocator, and hands them to layer1
as its keyword arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from ._arguments import mapping
from ._limits import MAX_IN_VALUES
from ._placeholders import Compilable, Placeholders, compile_condition
from .conditions import (
    And,
    Attr,
    Comparison,
    Condition,
    Function,
    In,
    Key,
    KeyCondition,
    Not,
    Or,
)
from .exceptions import RequestValidationError, UnknownFilterTypeError
from .types import FILTER_OPERATORS, QUERY_OPERATORS, Dynamizer

__all__ = [
    "Expressions",
    "compile_filters",
    "filter_condition",
    "joined_bounds",
    "key_conditions",
    "legacy_filters",
    "split_filter_keyword",
]

_COMPARISONS: Final = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_CONDITIONAL_OPERATORS: Final = ("AND", "OR")
_KEY_OPERATOR_NAMES: Final = {"beginswith": "begins_with"}


def split_filter_keyword(keyword: str, operators: Mapping[str, str]) -> tuple[str, str]:
    """``"user.name__beginswith"`` -> ``("user.name", "beginswith")``, checking the operator."""
    if type(keyword) is not str:
        raise UnknownFilterTypeError(
            f"filter keywords are strings ('<attribute>__<operator>'), not {keyword!r:.40}"
        )
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


def filter_condition(
    filters: Mapping[str, Any] | None,
    operators: Mapping[str, str] = FILTER_OPERATORS,
    *,
    conditional_operator: str | None = None,
    parameter: str = "filters",
) -> Condition | None:
    """One condition for every ``field__op=value`` keyword, joined with AND (or OR).

    >>> filter_condition({"tags__contains": "x"}, conditional_operator="OR")
    <contains Attr('tags') 'x'>

    ``None`` when there are none. ``parameter`` names the filters in errors.
    """
    if conditional_operator is None:
        joiner = "AND"
    elif isinstance(conditional_operator, str) and conditional_operator.upper() in (
        _CONDITIONAL_OPERATORS
    ):
        joiner = conditional_operator.upper()
    else:
        raise RequestValidationError(
            f"conditional_operator must be 'AND' or 'OR', not {conditional_operator!r}"
        )
    if filters is None:
        return None
    if type(filters) is not dict:
        mapping(filters, parameter)
    if not filters:
        return None
    conditions = [
        _legacy_condition(keyword, value, operators) for keyword, value in filters.items()
    ]
    if len(conditions) == 1:
        return conditions[0]
    return Or(tuple(conditions)) if joiner == "OR" else And(tuple(conditions))


def key_conditions(kwargs: Mapping[str, Any]) -> list[KeyCondition]:
    """boto 2's key condition keywords (``username__eq="jo"``) as key conditions.

    >>> key_conditions({"user__eq": "jo", "at__between": (1, 5)})
    [Key('user').eq('jo'), Key('at').between(1, 5)]
    """
    found: list[KeyCondition] = []
    for keyword, value in kwargs.items():
        attribute, operator = split_filter_keyword(keyword, QUERY_OPERATORS)
        key = Key(attribute)
        if operator == "between":
            low, high = _pair(attribute, value)
            found.append(key.between(low, high))
        elif operator == "beginswith":
            found.append(key.begins_with(_single(attribute, operator, value)))
        else:
            found.append(getattr(key, operator)(_scalar_or_set(value)))
    return found


def joined_bounds(key_conditions: Mapping[str, Any]) -> dict[str, Any]:
    """``key_conditions`` with each ``x__gte=low, x__lte=high`` pair made one
    ``x__between=(low, high)``: a query takes one condition on its sort key, and boto 2
    silently kept only one of the two.

    >>> joined_bounds({"user__eq": "jo", "at__gte": 1, "at__lte": 5})
    {'user__eq': 'jo', 'at__between': (1, 5)}
    """
    joined = dict(key_conditions)
    for keyword in key_conditions:
        attribute, _, operator = keyword.rpartition("__")
        if operator == "gte" and f"{attribute}__lte" in joined:
            low = joined.pop(keyword)
            high = joined.pop(f"{attribute}__lte")
            joined[f"{attribute}__between"] = (low, high)
    return joined


def compile_filters(
    filters: Mapping[str, Any] | None,
    operators: Mapping[str, str],
    placeholders: Placeholders,
    *,
    conditional_operator: str | None = None,
) -> str | None:
    """The expression text for boto 2's filter keywords (``None`` when there are none).

    >>> compile_filters({"age__in": [1, 2]}, FILTER_OPERATORS, Placeholders(Dynamizer()))
    '#n0 IN (:v0, :v1)'
    """
    condition = filter_condition(filters, operators, conditional_operator=conditional_operator)
    return None if condition is None else condition.compile(placeholders)


def _legacy_condition(keyword: str, value: Any, operators: Mapping[str, str]) -> Condition:
    attribute, operator = split_filter_keyword(keyword, operators)
    path = Attr((attribute,))
    if operator in _COMPARISONS:
        return Comparison(path, _COMPARISONS[operator], _value(path, _scalar_or_set(value)))
    if operator == "beginswith":
        return path.begins_with(_single(attribute, operator, value))
    if operator == "contains":
        return Function("contains", path, _value(path, _single(attribute, operator, value)))
    if operator == "ncontains":
        return Not(Function("contains", path, _value(path, _single(attribute, operator, value))))
    if operator == "between":
        low, high = _pair(attribute, value)
        return path.between(low, high)
    if operator == "in":
        return _in(path, attribute, value)
    if operator == "null":
        # field__null=True: the attribute is absent; field__null=False: it is present.
        return path.exists() if value is False else path.not_exists()
    # nnull: field__nnull=True (or any value but False): the attribute is present.
    return path.not_exists() if value is False else path.exists()


def _value(path: Attr, value: Any) -> Any:
    # The same check (and private copy) Attr's own builders make.
    checked: Any = path.eq(value)
    assert isinstance(checked, Comparison)
    return checked.right


def _scalar_or_set(value: Any) -> Any:
    # boto 2 compared a list or tuple with a set attribute as a set.
    if isinstance(value, (list, tuple)):
        return set(value)
    return value


def _single(attribute: str, operator: str, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        raise RequestValidationError(
            f"{operator} takes one value, not a {type(value).__name__}", attribute=attribute
        )
    return value


def _pair(attribute: str, value: Any) -> tuple[Any, Any]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise RequestValidationError(
            f"between takes a (low, high) pair, not {value!r}", attribute=attribute
        )
    return value[0], value[1]


def _in(path: Attr, attribute: str, value: Any) -> Condition:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise RequestValidationError(
            f"in takes a list of values, not {value!r}", attribute=attribute
        )
    values = list(value)
    if len(values) > MAX_IN_VALUES:
        raise RequestValidationError(
            f"in takes at most {MAX_IN_VALUES} values, got {len(values)}", attribute=attribute
        )
    condition = path.is_in(values)
    assert isinstance(condition, In)
    return condition


def legacy_filters(
    filters: Mapping[str, Any] | None, operators: Mapping[str, str], dynamizer: Dynamizer
) -> dict[str, Any] | None:
    """boto 2's own form of the filter keywords (``KeyConditions`` / ``QueryFilter`` /
    ``ScanFilter`` / ``Expected``), as ``Table._build_filters`` returned it.

    >>> legacy_filters({"age__gte": 21}, FILTER_OPERATORS, Dynamizer())
    {'age': {'AttributeValueList': [{'N': '21'}], 'ComparisonOperator': 'GE'}}
    """
    if filters is None:
        return None
    built: dict[str, Any] = {}
    for keyword, value in filters.items():
        bits = keyword.split("__")
        operator = bits[-1]
        if operator not in operators:
            raise UnknownFilterTypeError(
                f"Operator {operator!r} from {keyword!r} is not recognized."
            )
        lookup: dict[str, Any] = {
            "AttributeValueList": [],
            "ComparisonOperator": operators[operator],
        }
        if operator == "null":
            del lookup["AttributeValueList"]
            lookup["ComparisonOperator"] = "NOT_NULL" if value is False else "NULL"
        elif operator == "between":
            if isinstance(value, (list, tuple)) and len(value) == 2:
                lookup["AttributeValueList"] = [dynamizer.encode(v) for v in value]
        elif operator == "in":
            lookup["AttributeValueList"] = [dynamizer.encode(v) for v in value]
        else:
            lookup["AttributeValueList"].append(dynamizer.encode(_scalar_or_set(value)))
        built["__".join(bits[:-1])] = lookup
    return built


class Expressions:
    """The expressions of one request, sharing one placeholder allocator.

    Each method compiles one part and returns its text; :meth:`kwargs` gives the names
    and values as layer1's ``expression_attribute_names`` / ``..._values``.
    """

    __slots__ = ("placeholders",)

    def __init__(self, dynamizer: Dynamizer) -> None:
        self.placeholders = Placeholders(dynamizer)

    def compile(self, condition: Compilable, *, parameter: str = "condition") -> str:
        """A condition's text (``parameter`` names the argument in errors)."""
        return compile_condition(condition, self.placeholders, parameter=parameter)

    def all_of(
        self, conditions: Sequence[Compilable | None], *, parameter: str = "condition"
    ) -> str | None:
        """One text requiring every condition given (``None`` for none)."""
        texts = [
            self.compile(condition, parameter=parameter)
            for condition in conditions
            if condition is not None
        ]
        if not texts:
            return None
        if len(texts) == 1:
            return texts[0]
        return " AND ".join(f"({text})" for text in texts)

    def projection(self, attributes: Sequence[str] | str) -> str:
        """A ``ProjectionExpression`` for top-level attribute names.

        DynamoDB refuses a projection naming an attribute twice.
        """
        names = [attributes] if isinstance(attributes, str) else list(attributes)
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise RequestValidationError(
                    "a projection names each attribute once", attribute=name
                )
            seen.add(name)
        return ", ".join(self.placeholders.name(name) for name in names)

    def kwargs(self) -> dict[str, Any]:
        """``expression_attribute_names`` / ``expression_attribute_values`` for layer1,
        those in use only."""
        found: dict[str, Any] = {}
        if self.placeholders.names:
            found["expression_attribute_names"] = self.placeholders.names
        if self.placeholders.values:
            found["expression_attribute_values"] = self.placeholders.values
        return found
