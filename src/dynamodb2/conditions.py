"""Condition builders: ``Attr("age").gte(21) & ~Attr("banned").exists()`` and ``Key("id").eq(1)``.

>>> from dynamodb2.types import Dynamizer
>>> p = Placeholders(Dynamizer())
>>> (Attr("age").gte(21) & (Attr("city").eq("Oslo") | ~Attr("banned").exists())).compile(p)
'#n0 >= :v0 AND (#n1 = :v1 OR NOT attribute_exists(#n2))'
>>> p.names, p.values
({'#n0': 'age', '#n1': 'city', '#n2': 'banned'}, {':v0': {'N': '21'}, ':v1': {'S': 'Oslo'}})

:class:`Attr` builds conditions on any attribute, for ``filter=`` (queries and scans) and
``condition=`` (writes); :class:`Key` builds the narrower conditions a query's
``key_condition=`` takes. Conditions are immutable values: ``&``, ``|`` and ``~`` return
new ones. Every name and value goes through the request's
:class:`Placeholders` when the condition is compiled, so names
that are reserved words, contain dots or look like placeholders (``":v0"``) are safe,
and values are encoded by the dynamizer of the table the request goes to.

Mistakes are refused when the condition is built, not when DynamoDB reads it: an unknown
type for ``attribute_type``, an empty or oversized ``is_in``, a ``between`` whose low end
is above its high end, a value DynamoDB cannot store, and ``and``/``or`` used in place of
``&``/``|``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final, Union

import attrs

from ._arguments import describe, refusal
from ._limits import MAX_IN_VALUES
from ._placeholders import Compilable, Encoded, Placeholders, parse_path
from .exceptions import ParameterValidationError, RequestValidationError, UnsupportedTypeError
from .types import NonBooleanDynamizer

__all__ = [
    "ATTRIBUTE_TYPES",
    "And",
    "Attr",
    "Between",
    "Comparison",
    "Compilable",
    "Condition",
    "Function",
    "In",
    "Key",
    "KeyCondition",
    "KeyConditions",
    "Not",
    "Or",
    "PathLike",
    "Placeholders",
    "Size",
    "display_path",
    "path_parts",
]

#: The type names ``attribute_type`` accepts.
ATTRIBUTE_TYPES: Final = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")

#: A document path: ``"profile.emails[0]"``, a sequence of parts (``["a.b", 0]``, whose
#: names are taken literally, dots included) or an :class:`Attr`.
PathLike = Union[str, Sequence[str | int], "Attr"]

# Values are checked when a condition is built, with the most permissive dynamizer, and
# encoded again by the request's own dynamizer when it is compiled.
_CHECKER: Final = NonBooleanDynamizer()
_IMMUTABLE: Final = (str, bytes, int, float, Decimal, bool, type(None))


def path_parts(path: PathLike) -> tuple[str | int, ...]:
    """A document path as a tuple of attribute names and list indexes.

    >>> path_parts("profile.emails[0]")
    ('profile', 'emails', 0)
    >>> path_parts(["a.b", 2])
    ('a.b', 2)

    Raises:
        RequestValidationError: for an empty or malformed path.
    """
    if isinstance(path, Attr):
        return path.parts
    if isinstance(path, str):
        return tuple(parse_path(path))
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, Sequence):
        raise RequestValidationError(
            f"a path is a string like 'a.b[0]' or a sequence of names and indexes, "
            f"not {type(path).__name__}"
        )
    parts = tuple(path)
    if not parts or not isinstance(parts[0], str):
        raise RequestValidationError(f"a path must start with an attribute name: {path!r}")
    for part in parts:
        if isinstance(part, str):
            if not part:
                raise RequestValidationError(f"a path has no empty names: {path!r}")
        elif isinstance(part, int) and not isinstance(part, bool):
            if part < 0:
                raise RequestValidationError(f"list indexes are not negative: {path!r}")
        else:
            raise RequestValidationError(
                f"path parts are names (str) or list indexes (int), not {part!r}"
            )
    return parts


def display_path(parts: Sequence[str | int]) -> str:
    """A path as people write it, for messages: ``profile.emails[0]``."""
    if isinstance(parts, (str, bytes, bytearray)) or not isinstance(parts, Sequence):
        raise refusal("parts", "a sequence of names and list indexes", parts)
    text = ""
    for part in parts:
        if not isinstance(part, (str, int)) or isinstance(part, bool):
            raise refusal("parts", "a sequence of names and list indexes", parts)
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def _checked_value(value: Any, where: str) -> Any:
    """``value`` after checking DynamoDB can store it; a private copy if it is mutable."""
    try:
        _CHECKER.encode(value)
    except (ParameterValidationError, UnsupportedTypeError) as error:
        raise error.with_attribute(where) from None
    # A condition is a value: later changes to the caller's list or dict must not leak in.
    return value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _check_order(low: Any, high: Any, where: str) -> None:
    """Refuse ``BETWEEN low AND high`` with ``low > high`` (DynamoDB refuses it too)."""
    comparable = (
        (_is_number(low) and _is_number(high))
        or (isinstance(low, str) and isinstance(high, str))
        or (isinstance(low, (bytes, bytearray)) and isinstance(high, (bytes, bytearray)))
    )
    # Python orders str by code point and bytes bytewise: DynamoDB's order (UTF-8 bytes).
    if comparable and low > high:
        raise RequestValidationError(
            f"between takes (low, high) with low <= high, got ({low!r}, {high!r})",
            attribute=where,
        )


def _operand_text(operand: Any, placeholders: Placeholders, where: str) -> str:
    if isinstance(operand, (Attr, Size)):
        return operand.compile(placeholders)
    return placeholders.value(operand, attribute=where)


def _combine_error(operator: str, other: object) -> TypeError:
    if isinstance(other, (KeyCondition, KeyConditions)):
        return TypeError(
            "Key(...) conditions are for a query's key_condition=; build filters and "
            "write conditions with Attr(...)"
        )
    return TypeError(
        f"{operator} combines two conditions built with Attr(...), not a {type(other).__name__}"
    )


# The condition classes can be made directly too (as Attr(...).eq(...) makes them): what
# each takes is checked when it is made, not found wanting when the request is compiled.
_COMPARISON_OPERATORS: Final = ("=", "<>", "<", "<=", ">", ">=")
_FUNCTIONS: Final = (
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
)
_KEY_CONDITION_ARITY: Final = {
    "eq": 1,
    "lt": 1,
    "lte": 1,
    "gt": 1,
    "gte": 1,
    "between": 2,
    "begins_with": 1,
}


def _operand(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, (Attr, Size)):
        raise refusal(attribute.name, "an Attr or a Size (Attr(...).size())", value)


def _path(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Attr):
        raise refusal(attribute.name, "an Attr", value)


def _one_of(choices: Sequence[str]) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or value not in choices:
            raise refusal(attribute.name, f"one of {' '.join(choices)}", value, wire=True)

    return check


def _condition(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Condition):
        raise refusal(attribute.name, "a condition (built with Attr(...))", value)


def _conditions(value: Iterable[Condition]) -> tuple[Condition, ...]:
    wanted = "a list of conditions (built with Attr(...))"
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise refusal("conditions", wanted, value)
    conditions = tuple(value)
    if not conditions:
        raise RequestValidationError(f"conditions takes {wanted}, not an empty one")
    for condition in conditions:
        if not isinstance(condition, Condition):
            raise ParameterValidationError(
                f"conditions takes {wanted}; it holds {describe(condition)}"
            )
    return conditions


def _in_values(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise refusal("values", "a list of values", value, wire=True)
    values = tuple(value)
    if not 1 <= len(values) <= MAX_IN_VALUES:
        raise RequestValidationError(f"IN takes 1 to {MAX_IN_VALUES} values, not {len(values)}")
    return values


def _key_name(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value:
        raise refusal("name", "a non-empty string (a key attribute's name)", value, wire=True)


def _key_values(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise refusal("values", "a tuple of one value (two for between)", value, wire=True)
    return tuple(value)


def _key_condition(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, KeyCondition):
        raise refusal(attribute.name, "a key condition (built with Key(...))", value)


# --------------------------------------------------------------------------- conditions


class Condition:
    """A condition on an item, compiled into expression text with a request's placeholders.

    Combine with ``&`` (and), ``|`` (or) and ``~`` (not). Python's ``and``/``or``/``not``
    would silently drop a condition, so using one in a boolean context raises
    :class:`TypeError`.
    """

    __slots__ = ()

    def compile(self, placeholders: Placeholders) -> str:
        """The expression text, with names and values allocated from ``placeholders``."""
        raise NotImplementedError

    def __and__(self, other: Condition) -> Condition:
        if not isinstance(other, Condition):
            raise _combine_error("&", other)
        return And((*_parts_of(And, self), *_parts_of(And, other)))

    def __or__(self, other: Condition) -> Condition:
        if not isinstance(other, Condition):
            raise _combine_error("|", other)
        return Or((*_parts_of(Or, self), *_parts_of(Or, other)))

    def __invert__(self) -> Condition:
        return Not(self)

    def __bool__(self) -> bool:
        raise TypeError(
            "a condition has no truth value: combine conditions with & | ~, not with and / or / not"
        )


def _parts_of(kind: type[And] | type[Or], condition: Condition) -> tuple[Condition, ...]:
    # a & b & c is one AND of three, not nested ANDs.
    if type(condition) is kind:
        return condition.conditions
    return (condition,)


@attrs.frozen(repr=False)
class Comparison(Condition):
    """``left <op> right``: ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``."""

    left: Attr | Size = attrs.field(validator=_operand)
    operator: str = attrs.field(validator=_one_of(_COMPARISON_OPERATORS))
    #: A value, or another :class:`Attr` / :class:`Size` to compare with.
    right: Any

    def compile(self, placeholders: Placeholders) -> str:
        left = self.left.compile(placeholders)
        right = _operand_text(self.right, placeholders, self.left.where)
        return f"{left} {self.operator} {right}"

    def __repr__(self) -> str:
        return f"<Comparison {self.left!r} {self.operator} {self.right!r}>"


@attrs.frozen(repr=False)
class Between(Condition):
    """``operand BETWEEN low AND high`` (both ends included)."""

    operand: Attr | Size = attrs.field(validator=_operand)
    low: Any
    high: Any

    def compile(self, placeholders: Placeholders) -> str:
        operand = self.operand.compile(placeholders)
        where = self.operand.where
        low = _operand_text(self.low, placeholders, where)
        high = _operand_text(self.high, placeholders, where)
        return f"{operand} BETWEEN {low} AND {high}"

    def __repr__(self) -> str:
        return f"<Between {self.operand!r} {self.low!r} {self.high!r}>"


@attrs.frozen(repr=False)
class In(Condition):
    """``operand IN (v1, v2, ...)``: 1 to 100 values."""

    operand: Attr | Size = attrs.field(validator=_operand)
    values: tuple[Any, ...] = attrs.field(converter=_in_values)

    def compile(self, placeholders: Placeholders) -> str:
        operand = self.operand.compile(placeholders)
        where = self.operand.where
        values = ", ".join(_operand_text(value, placeholders, where) for value in self.values)
        return f"{operand} IN ({values})"

    def __repr__(self) -> str:
        return f"<In {self.operand!r} {self.values!r}>"


_NO_ARGUMENT: Final[Any] = object()


@attrs.frozen(repr=False)
class Function(Condition):
    """``attribute_exists``, ``attribute_not_exists``, ``attribute_type``,
    ``begins_with`` or ``contains`` on one path."""

    name: str = attrs.field(validator=_one_of(_FUNCTIONS))
    path: Attr = attrs.field(validator=_path)
    argument: Any = _NO_ARGUMENT

    def compile(self, placeholders: Placeholders) -> str:
        path = self.path.compile(placeholders)
        if self.argument is _NO_ARGUMENT:
            return f"{self.name}({path})"
        argument = _operand_text(self.argument, placeholders, self.path.where)
        return f"{self.name}({path}, {argument})"

    def __repr__(self) -> str:
        if self.argument is _NO_ARGUMENT:
            return f"<{self.name} {self.path!r}>"
        return f"<{self.name} {self.path!r} {self.argument!r}>"


@attrs.frozen(repr=False)
class And(Condition):
    """All of several conditions."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def compile(self, placeholders: Placeholders) -> str:
        # AND binds tighter than OR: an OR inside an AND needs its parentheses.
        return " AND ".join(
            f"({text})" if isinstance(condition, Or) else text
            for condition in self.conditions
            for text in (condition.compile(placeholders),)
        )

    def __repr__(self) -> str:
        return "<And " + " ".join(map(repr, self.conditions)) + ">"


@attrs.frozen(repr=False)
class Or(Condition):
    """Any of several conditions."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def compile(self, placeholders: Placeholders) -> str:
        # Not needed for DynamoDB (AND binds tighter), but a reader should not have to know.
        return " OR ".join(
            f"({text})" if isinstance(condition, And) else text
            for condition in self.conditions
            for text in (condition.compile(placeholders),)
        )

    def __repr__(self) -> str:
        return "<Or " + " ".join(map(repr, self.conditions)) + ">"


@attrs.frozen(repr=False)
class Not(Condition):
    """The opposite of a condition."""

    condition: Condition = attrs.field(validator=_condition)

    def compile(self, placeholders: Placeholders) -> str:
        text = self.condition.compile(placeholders)
        if isinstance(self.condition, Function):
            return f"NOT {text}"
        return f"NOT ({text})"

    def __invert__(self) -> Condition:
        return self.condition

    def __repr__(self) -> str:
        return f"<Not {self.condition!r}>"


# --------------------------------------------------------------------------- operands


class _Comparable:
    """The comparisons shared by attribute paths and ``size(path)``."""

    __slots__ = ()

    @property
    def where(self) -> str:
        """Where errors about values point: the path, as written."""
        raise NotImplementedError

    def compile(self, placeholders: Placeholders) -> str:
        """The operand's expression text."""
        raise NotImplementedError

    def _value(self, value: Any, method: str) -> Any:
        if isinstance(value, (Attr, Size, Encoded)):
            return value
        if value is _NO_ARGUMENT:  # pragma: no cover - internal sentinel never escapes
            raise RequestValidationError(f"{method} needs a value", attribute=self.where)
        return _checked_value(value, self.where)

    def _compare(self, operator: str, value: Any, method: str) -> Comparison:
        left: Attr | Size = self  # type: ignore[assignment]
        return Comparison(left, operator, self._value(value, method))

    def eq(self, value: Any) -> Condition:
        """Equal to ``value`` (or to another ``Attr``)."""
        return self._compare("=", value, "eq")

    def ne(self, value: Any) -> Condition:
        """Not equal to ``value`` (true as well when the attribute is absent)."""
        return self._compare("<>", value, "ne")

    def lt(self, value: Any) -> Condition:
        """Less than ``value``."""
        return self._compare("<", value, "lt")

    def lte(self, value: Any) -> Condition:
        """Less than or equal to ``value``."""
        return self._compare("<=", value, "lte")

    def gt(self, value: Any) -> Condition:
        """Greater than ``value``."""
        return self._compare(">", value, "gt")

    def gte(self, value: Any) -> Condition:
        """Greater than or equal to ``value``."""
        return self._compare(">=", value, "gte")

    def between(self, low: Any, high: Any) -> Condition:
        """Between ``low`` and ``high``, both included (``low <= high``)."""
        if low is None or high is None:
            raise RequestValidationError(
                f"between needs a low and a high value, got ({low!r}, {high!r})",
                attribute=self.where,
            )
        checked_low = self._value(low, "between")
        checked_high = self._value(high, "between")
        _check_order(checked_low, checked_high, self.where)
        operand: Attr | Size = self  # type: ignore[assignment]
        return Between(operand, checked_low, checked_high)

    def is_in(self, values: Iterable[Any]) -> Condition:
        """Equal to one of ``values`` (1 to 100 of them)."""
        if isinstance(values, (str, bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
            raise RequestValidationError(
                f"is_in takes a list of values, not {type(values).__name__}",
                attribute=self.where,
            )
        checked = tuple(self._value(value, "is_in") for value in values)
        if not checked:
            raise RequestValidationError("is_in needs at least one value", attribute=self.where)
        if len(checked) > MAX_IN_VALUES:
            raise RequestValidationError(
                f"is_in takes at most {MAX_IN_VALUES} values, got {len(checked)}",
                attribute=self.where,
            )
        operand: Attr | Size = self  # type: ignore[assignment]
        return In(operand, checked)


@attrs.frozen(repr=False, init=False)
class Attr(_Comparable):
    """An attribute path to build conditions on: ``Attr("profile.emails[0]").eq("a@b.c")``.

    >>> Attr("tags").size().gt(3)
    <Comparison size(Attr('tags')) > 3>

    The path is ``"a.b[0]"`` (dots separate map keys, ``[i]`` indexes lists) or a
    sequence of parts whose names are taken literally: ``Attr(["first.last"])`` is the
    one attribute named ``first.last``.
    """

    parts: tuple[str | int, ...]

    def __init__(self, path: PathLike) -> None:
        self.__attrs_init__(path_parts(path))

    @property
    def where(self) -> str:
        """The path as written, for messages."""
        return display_path(self.parts)

    def __repr__(self) -> str:
        return f"Attr({self.where!r})"

    def compile(self, placeholders: Placeholders) -> str:
        """The path's expression text (``#n0.#n1[0]``)."""
        return placeholders.path(self.parts)

    def begins_with(self, prefix: str | bytes) -> Condition:
        """A string (or binary) attribute starting with ``prefix``."""
        if not isinstance(prefix, (str, bytes, bytearray)):
            raise RequestValidationError(
                f"begins_with takes a str or bytes prefix, not {type(prefix).__name__}",
                attribute=self.where,
            )
        return Function("begins_with", self, _checked_value(prefix, self.where))

    def contains(self, value: Any) -> Condition:
        """A string containing ``value``, or a set or list holding the element ``value``."""
        if isinstance(value, (set, frozenset)):
            raise RequestValidationError(
                "contains takes one element; combine contains() conditions with & "
                "to test for several",
                attribute=self.where,
            )
        return Function("contains", self, self._value(value, "contains"))

    def exists(self) -> Condition:
        """The attribute is present."""
        return Function("attribute_exists", self)

    def not_exists(self) -> Condition:
        """The attribute is absent."""
        return Function("attribute_not_exists", self)

    def attribute_type(self, type_name: str) -> Condition:
        """The attribute has this DynamoDB type: one of ``S N B SS NS BS M L NULL BOOL``."""
        if type_name not in ATTRIBUTE_TYPES:
            raise RequestValidationError(
                f"attribute_type takes one of {' '.join(ATTRIBUTE_TYPES)}, not {type_name!r}",
                attribute=self.where,
            )
        return Function("attribute_type", self, type_name)

    def size(self) -> Size:
        """``size(path)``: the length of a string, binary, set, list or map, to compare."""
        return Size(self)


@attrs.frozen(repr=False)
class Size(_Comparable):
    """``size(path)``, compared with numbers: ``Attr("tags").size().gt(3)``."""

    path: Attr = attrs.field(validator=_path)

    @property
    def where(self) -> str:
        """The path as written, for messages."""
        return self.path.where

    def __repr__(self) -> str:
        return f"size({self.path!r})"

    def compile(self, placeholders: Placeholders) -> str:
        """``size(#n0)``."""
        return f"size({self.path.compile(placeholders)})"

    def _value(self, value: Any, method: str) -> Any:
        if not isinstance(value, (Attr, Size)) and not _is_number(value):
            raise RequestValidationError(
                f"size() is a number: {method} takes a number, not {value!r}",
                attribute=self.where,
            )
        return super()._value(value, method)


# --------------------------------------------------------------------------- key conditions

_KEY_OPERATORS: Final = {
    "eq": "=",
    "lt": "<",
    "lte": "<=",
    "gt": ">",
    "gte": ">=",
}
# The same operators under boto 2's keyword names (name__beginswith=...).
_LEGACY_NAMES: Final = {"begins_with": "beginswith"}


@attrs.frozen(repr=False, init=False)
class Key:
    """A key attribute to build a query's key condition on: ``Key("username").eq("jo")``.

    Only what DynamoDB allows in a key condition is offered: ``eq`` (the only one for the
    partition key), ``lt lte gt gte between begins_with`` (for the sort key), and ``&``
    to join the two. The name is taken literally (key attributes are top-level).
    """

    name: str

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise RequestValidationError(
                f"a key attribute name is a non-empty string, not {name!r}"
            )
        self.__attrs_init__(name)

    def __repr__(self) -> str:
        return f"Key({self.name!r})"

    def _condition(self, operator: str, *values: Any) -> KeyCondition:
        for value in values:
            if not (_is_number(value) or isinstance(value, (str, bytes, bytearray))):
                kind = "a boolean" if isinstance(value, bool) else type(value).__name__
                raise RequestValidationError(
                    f"key values are strings, numbers or bytes, not {kind} ({value!r})",
                    attribute=self.name,
                )
        return KeyCondition(
            self.name, operator, tuple(_checked_value(value, self.name) for value in values)
        )

    def eq(self, value: Any) -> KeyCondition:
        """The key equals ``value`` (the partition key's only condition)."""
        return self._condition("eq", value)

    def lt(self, value: Any) -> KeyCondition:
        """The sort key is less than ``value``."""
        return self._condition("lt", value)

    def lte(self, value: Any) -> KeyCondition:
        """The sort key is at most ``value``."""
        return self._condition("lte", value)

    def gt(self, value: Any) -> KeyCondition:
        """The sort key is greater than ``value``."""
        return self._condition("gt", value)

    def gte(self, value: Any) -> KeyCondition:
        """The sort key is at least ``value``."""
        return self._condition("gte", value)

    def between(self, low: Any, high: Any) -> KeyCondition:
        """The sort key is between ``low`` and ``high``, both included."""
        condition = self._condition("between", low, high)
        checked_low, checked_high = condition.values
        _check_order(checked_low, checked_high, self.name)
        return condition

    def begins_with(self, prefix: str | bytes) -> KeyCondition:
        """The (string or binary) sort key starts with ``prefix``."""
        if not isinstance(prefix, (str, bytes, bytearray)):
            raise RequestValidationError(
                f"begins_with takes a str or bytes prefix, not {type(prefix).__name__}",
                attribute=self.name,
            )
        return self._condition("begins_with", prefix)


class _KeyConditionBase:
    __slots__ = ()

    @property
    def conditions(self) -> tuple[KeyCondition, ...]:
        """The single conditions, in order."""
        raise NotImplementedError

    def __and__(self, other: KeyCondition | KeyConditions) -> KeyConditions:
        if not isinstance(other, (KeyCondition, KeyConditions)):
            raise TypeError(
                f"a key condition joins another Key(...) condition with &, "
                f"not a {type(other).__name__}; put other conditions in filter="
            )
        joined = (*self.conditions, *other.conditions)
        if len(joined) > 2:
            raise RequestValidationError(
                "a key condition has at most two parts: Key(<partition key>).eq(...) "
                "& one condition on the sort key"
            )
        first, second = joined
        if first.name == second.name:
            raise RequestValidationError(
                "a key condition takes one condition per key attribute",
                attribute=first.name,
            )
        return KeyConditions(first, second)

    def __or__(self, other: object) -> KeyConditions:
        raise TypeError(
            "key conditions only join with &: a query reads one partition; "
            "use filter=Attr(...) | Attr(...) for alternatives"
        )

    __ror__ = __or__

    def __invert__(self) -> KeyConditions:
        raise TypeError("a key condition cannot be negated; use filter=~Attr(...) instead")

    def __bool__(self) -> bool:
        raise TypeError("a key condition has no truth value: join key conditions with &")

    def compile(self, placeholders: Placeholders) -> str:
        """The ``KeyConditionExpression`` text."""
        return " AND ".join(condition.compile_one(placeholders) for condition in self.conditions)

    @property
    def parsed(self) -> list[tuple[str, str]]:
        """``(attribute, operator)`` pairs, with boto 2's operator names (``beginswith``)."""
        return [
            (condition.name, _LEGACY_NAMES.get(condition.operator, condition.operator))
            for condition in self.conditions
        ]


@attrs.frozen(repr=False)
class KeyCondition(_KeyConditionBase):
    """One condition on one key attribute (from :class:`Key`)."""

    name: str = attrs.field(validator=_key_name)
    #: ``eq lt lte gt gte between begins_with``.
    operator: str = attrs.field(validator=_one_of(tuple(_KEY_CONDITION_ARITY)))
    values: tuple[Any, ...] = attrs.field(converter=_key_values)

    def __attrs_post_init__(self) -> None:
        wanted = _KEY_CONDITION_ARITY[self.operator]
        if len(self.values) != wanted:
            raise RequestValidationError(
                f"{self.operator} takes {wanted} value{'s' if wanted > 1 else ''}, "
                f"not {len(self.values)}",
                attribute=self.name,
            )

    @property
    def conditions(self) -> tuple[KeyCondition, ...]:
        """This condition, as a one-element tuple."""
        return (self,)

    def as_condition(self) -> Condition:
        """The same test as a :class:`Condition` on the attribute, which compiles it."""
        attribute = Attr((self.name,))
        if self.operator == "between":
            return Between(attribute, *self.values)
        if self.operator == "begins_with":
            return Function("begins_with", attribute, self.values[0])
        return Comparison(attribute, _KEY_OPERATORS[self.operator], self.values[0])

    def compile_one(self, placeholders: Placeholders) -> str:
        """The expression text of this one condition."""
        return self.as_condition().compile(placeholders)

    def __repr__(self) -> str:
        values = ", ".join(map(repr, self.values))
        return f"Key({self.name!r}).{self.operator}({values})"


@attrs.frozen(repr=False)
class KeyConditions(_KeyConditionBase):
    """Two key conditions joined with ``&``: partition key and sort key."""

    first: KeyCondition = attrs.field(validator=_key_condition)
    second: KeyCondition = attrs.field(validator=_key_condition)

    @property
    def conditions(self) -> tuple[KeyCondition, ...]:
        """Both conditions, in the order they were joined."""
        return (self.first, self.second)

    def __repr__(self) -> str:
        return " & ".join(map(repr, self.conditions))
