"""UpdateItem's ``UpdateExpression``, built from keyword mappings.

>>> from dynamodb2._placeholders import Placeholders
>>> from dynamodb2.types import Dynamizer
>>> p = Placeholders(Dynamizer())
>>> Update.of(set={"profile.city": "Oslo"}, add={"visits": 1}, remove=["temp"]).compile(p)
'SET #n0.#n1 = :v0 REMOVE #n2 ADD #n3 :v1'
>>> p.names
{'#n0': 'profile', '#n1': 'city', '#n2': 'temp', '#n3': 'visits'}

The actions, each a mapping from path (as for :class:`~dynamodb2.conditions.Attr`:
``"a.b[0]"``, a tuple of literal parts, or an ``Attr``) to value:

=====================  ===================================================================
``set``                replace the value
``set_if_not_exists``  set the value only if the attribute is absent
``append``             add elements (a list) to the end of a list, creating it if absent
``prepend``            add elements (a list) to the start of a list, creating it if absent
``add``                add a number (atomic counters) or add elements to a set
``delete``             remove elements (a set) from a set
``remove``             a sequence of paths to remove
=====================  ===================================================================

Refused before anything is sent: an empty update, a path used twice or overlapping
another (``a`` and ``a.b``: DynamoDB rejects both), a key attribute, ``None`` as a value
to set (write ``remove=[...]``), and values of the wrong kind for ``add``, ``delete``,
``append`` and ``prepend``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any, Final, TypedDict, cast, get_args

import attrs
from typing_extensions import Unpack

from ._limits import attribute_value_size, check_sizes
from ._placeholders import Encoded, Placeholders
from ._wire import AttributeValue
from .conditions import Attr, display_path, path_parts
from .exceptions import ParameterValidationError, RequestValidationError
from .layer1 import ReturnValues

__all__ = [
    "RETURN_VALUES",
    "Encoded",
    "Update",
    "UpdateActions",
    "UpdatePath",
    "check_return_values",
]

#: A path as an update mapping's key: ``"a.b[0]"``, ``("a.b", 0)`` or ``Attr(...)``.
UpdatePath = str | tuple[str | int, ...] | Attr

#: The values ``return_values`` takes.
RETURN_VALUES: Final[tuple[ReturnValues, ...]] = get_args(ReturnValues)

# The order actions are written in (and placeholders allocated in).
_SET_ACTIONS: Final = ("set", "set_if_not_exists", "append", "prepend")
_ORDER: Final = (*_SET_ACTIONS, "remove", "add", "delete")
_ACTIONS: Final = _ORDER

#: One action: (action name, path parts, value; ``None`` for remove).
Action = tuple[str, tuple[str | int, ...], Any]


class UpdateActions(TypedDict, total=False):
    """The keyword actions of an update (``Table.update_item``, ``Transaction.update``)."""

    #: Replace the value at each path.
    set: Mapping[UpdatePath, Any] | None
    #: Add a number (atomic counters) or elements to a set.
    add: Mapping[UpdatePath, Any] | None
    #: Remove the attributes (or list elements) at these paths.
    remove: Iterable[UpdatePath] | None
    #: Take elements (a set) out of a set.
    delete: Mapping[UpdatePath, Any] | None
    #: Add elements (a list) at the end of a list, creating it if absent.
    append: Mapping[UpdatePath, Any] | None
    #: Add elements (a list) at the start of a list, creating it if absent.
    prepend: Mapping[UpdatePath, Any] | None
    #: Set the value only where the attribute is absent.
    set_if_not_exists: Mapping[UpdatePath, Any] | None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _check_value(action: str, where: str, value: Any) -> None:
    if action in ("set", "set_if_not_exists"):
        if value is None:
            raise RequestValidationError(
                f"{action} takes a value, not None; to delete the attribute write "
                f"remove=[{where!r}]",
                attribute=where,
            )
    elif action in ("append", "prepend"):
        if not isinstance(value, (list, tuple)):
            raise RequestValidationError(
                f"{action} takes a list of elements ({action}={{{where!r}: [...]}}), "
                f"not {type(value).__name__}",
                attribute=where,
            )
    elif action == "add":
        if not (_is_number(value) or isinstance(value, (set, frozenset))):
            raise RequestValidationError(
                f"add takes a number (a counter) or a set of elements, not {value!r}; "
                "use set= to replace a value",
                attribute=where,
            )
    elif action == "delete" and not isinstance(value, (set, frozenset)):
        raise RequestValidationError(
            f"delete takes a set of elements to take out of a set, not {value!r}; "
            "use remove= to delete an attribute",
            attribute=where,
        )


def _collect(
    actions: Mapping[str, Mapping[UpdatePath, Any] | None],
    remove: Iterable[UpdatePath] | None,
) -> list[tuple[str, tuple[str | int, ...], Any]]:
    """Every ``(action, path parts, value)``, in the order they will be written."""
    collected: list[tuple[str, tuple[str | int, ...], Any]] = []
    for action, mapping in actions.items():
        if mapping is None:
            continue
        if not isinstance(mapping, Mapping):
            raise RequestValidationError(
                f"{action} takes a mapping from path to value, not {type(mapping).__name__}"
            )
        for path, value in mapping.items():
            parts = _parts(action, path)
            _check_value(action, display_path(parts), value)
            collected.append((action, parts, value))
    if remove is not None:
        if isinstance(remove, (str, bytes, Mapping)) or not isinstance(remove, Iterable):
            raise RequestValidationError(
                f"remove takes a list of paths (remove=['a', 'b.c']), not {remove!r}"
            )
        collected.extend(("remove", _parts("remove", path), None) for path in remove)
    return collected


def _parts(action: str, path: UpdatePath) -> tuple[str | int, ...]:
    """The parts of ``path``, or an error naming the action it was given to."""
    try:
        return path_parts(path)
    except ParameterValidationError as error:
        raise RequestValidationError(f"{action}: {error}") from None


def _check_paths(
    collected: list[tuple[str, tuple[str | int, ...], Any]],
    key_fields: Collection[str],
    table_name: str | None,
) -> None:
    where = f" of table {table_name!r}" if table_name else ""
    first_use: dict[tuple[str | int, ...], str] = {}
    for action, parts, _value in collected:
        if parts[0] in key_fields:
            raise RequestValidationError(
                f"{action} cannot change key attribute {parts[0]!r}{where}: DynamoDB never "
                "updates a key (delete the item and put a new one)",
                attribute=display_path(parts),
            )
        if parts in first_use:
            raise RequestValidationError(
                f"path {display_path(parts)!r} is used by both {first_use[parts]} and "
                f"{action}; an update touches each path once",
                attribute=display_path(parts),
            )
        first_use[parts] = action
    for action, parts, _value in collected:
        for length in range(1, len(parts)):
            prefix = parts[:length]
            if prefix in first_use:
                raise RequestValidationError(
                    f"paths {display_path(prefix)!r} ({first_use[prefix]}) and "
                    f"{display_path(parts)!r} ({action}) overlap; DynamoDB refuses "
                    "overlapping paths in one update",
                    attribute=display_path(parts),
                )


@attrs.frozen
class Update:
    """What one ``UpdateItem`` changes: its actions, in the order they are written.

    >>> update = Update.of(set={"profile.city": "Oslo"}, add={"visits": 1}, remove=["temp"])
    >>> from dynamodb2.types import Dynamizer
    >>> update.compile(Placeholders(Dynamizer()))
    'SET #n0.#n1 = :v0 REMOVE #n2 ADD #n3 :v1'

    Built once where the caller's keywords arrive (``Table.update_item``,
    ``Transaction.update``) or from an item's changes (``Item.save`` and
    ``Item.partial_save``, whose values are already :class:`Encoded`).
    """

    actions: tuple[Action, ...]

    @classmethod
    def of(cls, **actions: Unpack[UpdateActions]) -> Update:
        """The update these keyword actions make, each value checked for its action.

        Raises:
            RequestValidationError: for an empty update, an unknown action, or a value
                of the wrong kind for its action.
        """
        unknown = sorted(set(actions) - set(_ACTIONS))
        if unknown:
            raise ParameterValidationError(
                f"an update takes the actions {', '.join(_ACTIONS)}, not {', '.join(unknown)}"
            )
        mappings = {action: actions.get(action) for action in _ACTIONS if action != "remove"}
        collected = _collect(mappings, actions.get("remove"))  # type: ignore[arg-type]
        if not collected:
            raise RequestValidationError(
                "an update needs at least one action: set, add, remove, delete, append, "
                "prepend or set_if_not_exists"
            )
        return cls(tuple(collected))

    @classmethod
    def of_attributes(
        cls, changes: Mapping[str, AttributeValue], removals: Iterable[str]
    ) -> Update | None:
        """``SET`` top-level attributes to wire values and ``REMOVE`` others (``None`` if
        there is nothing to do): what an item's save writes."""
        actions: list[Action] = [
            ("set", (name,), Encoded(value)) for name, value in changes.items()
        ]
        actions.extend(("remove", (name,), None) for name in removals)
        return cls(tuple(actions)) if actions else None

    @classmethod
    def of_attribute_updates(cls, updates: Mapping[str, Any]) -> Update | None:
        """boto 2's legacy ``AttributeUpdates`` (``{name: {"Action": "PUT" | "ADD" |
        "DELETE", "Value": <wire value>}}``, ``PUT`` when no action is given) as an update
        (``None`` if there is nothing to do).

        >>> Update.of_attribute_updates({"n": {"Action": "ADD", "Value": {"N": "1"}}})
        Update(actions=(('add', ('n',), Encoded(wire={'N': '1'})),))
        """
        actions: list[Action] = []
        for name, spec in updates.items():
            if type(name) is not str or not isinstance(spec, Mapping):
                raise RequestValidationError(
                    "AttributeUpdates maps attribute names to {'Action': ..., 'Value': ...}, "
                    f"not {name!r}: {spec!r}"
                )
            action, value = spec.get("Action", "PUT"), spec.get("Value")
            if action == "DELETE" and value is None:
                actions.append(("remove", (name,), None))
            elif action == "DELETE" and isinstance(value, dict):
                actions.append(("delete", (name,), Encoded(cast("AttributeValue", value))))
            elif action in ("PUT", "ADD") and isinstance(value, dict):
                kind = "set" if action == "PUT" else "add"
                actions.append((kind, (name,), Encoded(cast("AttributeValue", value))))
            else:
                raise RequestValidationError(
                    f"AttributeUpdates {name!r}: the action is PUT or ADD with a Value, or "
                    f"DELETE, not {spec!r}"
                )
        return cls(tuple(actions)) if actions else None

    def check_paths(self, key_fields: Collection[str], table_name: str | None) -> None:
        """Refuse what DynamoDB refuses: a key attribute changed, a path used twice or
        overlapping another (``a`` and ``a.b``)."""
        _check_paths(list(self.actions), key_fields, table_name)

    def compile(self, placeholders: Placeholders, *, key_bytes: int = 0) -> str:
        """The ``UpdateExpression``, names and values from ``placeholders``.

        An update whose ``set``, ``append`` and ``prepend`` values alone, with the key
        (``key_bytes``), pass DynamoDB's 400 KB item size can never succeed: it is
        refused.
        """
        clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        empty_list: str | None = None
        # Bytes the updated item holds for certain: each value set, appended or prepended.
        stored: dict[str, int] = {}
        for action in _ORDER:
            for kind, parts, value in self.actions:
                if kind != action:
                    continue
                path = placeholders.path(parts)
                where = display_path(parts)
                if action == "remove":
                    clauses["REMOVE"].append(path)
                    continue
                if action in ("append", "prepend") and empty_list is None:
                    # list_append fails on an absent list: start from an empty one instead.
                    empty_list = placeholders.wire_value({"L": []})
                operand = placeholders.value(value, attribute=where)
                if action in ("set", "append", "prepend"):
                    stored[where] = attribute_value_size(placeholders.values[operand])
                if action == "set":
                    clauses["SET"].append(f"{path} = {operand}")
                elif action == "set_if_not_exists":
                    clauses["SET"].append(f"{path} = if_not_exists({path}, {operand})")
                elif action == "append":
                    clauses["SET"].append(
                        f"{path} = list_append(if_not_exists({path}, {empty_list}), {operand})"
                    )
                elif action == "prepend":
                    clauses["SET"].append(
                        f"{path} = list_append({operand}, if_not_exists({path}, {empty_list}))"
                    )
                else:
                    clauses["ADD" if action == "add" else "DELETE"].append(f"{path} {operand}")
        check_sizes(stored, what="what the update writes with the key", extra=key_bytes)
        return " ".join(
            f"{keyword} {', '.join(actions)}" for keyword, actions in clauses.items() if actions
        )


def check_return_values(return_values: str) -> str:
    """Refuse a ``return_values`` DynamoDB does not know.

    >>> check_return_values("ALL_NEW")
    'ALL_NEW'
    """
    if return_values not in RETURN_VALUES:
        raise RequestValidationError(
            f"return_values must be one of {', '.join(RETURN_VALUES)}, not {return_values!r}"
        )
    return return_values
