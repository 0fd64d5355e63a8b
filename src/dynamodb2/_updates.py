"""UpdateItem's ``UpdateExpression``, built from keyword mappings.

>>> from dynamodb2._placeholders import Placeholders
>>> from dynamodb2.types import Dynamizer
>>> p = Placeholders(Dynamizer())
>>> compile_update(p, set={"profile.city": "Oslo"}, add={"visits": 1}, remove=["temp"])
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
from typing import Any, Final, Protocol

from ._limits import attribute_value_size, check_sizes, item_size
from ._placeholders import Compilable, Placeholders, compile_condition
from ._wire import AttributeValue, Body
from .conditions import Attr, display_path, path_parts
from .exceptions import ParameterValidationError
from .types import Dynamizer

__all__ = [
    "RETURN_VALUES",
    "UpdatePath",
    "UpdateTarget",
    "check_return_values",
    "compile_update",
    "update_request",
]

#: A path as an update mapping's key: ``"a.b[0]"``, ``("a.b", 0)`` or ``Attr(...)``.
UpdatePath = str | tuple[str | int, ...] | Attr

#: The values ``return_values`` takes.
RETURN_VALUES: Final = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")

# The order actions are written in (and placeholders allocated in).
_SET_ACTIONS: Final = ("set", "set_if_not_exists", "append", "prepend")


class UpdateTarget(Protocol):
    """What an update needs from its table (``Table`` provides it)."""

    table_name: str
    _dynamizer: Dynamizer

    def get_key_fields(self) -> list[str]:
        """Names of the key attributes, partition key first."""
        ...

    def _encode_key(self, key: Mapping[str, Any]) -> dict[str, AttributeValue]: ...


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _check_value(action: str, where: str, value: Any) -> None:
    if action in ("set", "set_if_not_exists"):
        if value is None:
            raise ParameterValidationError(
                f"{action} takes a value, not None; to delete the attribute write "
                f"remove=[{where!r}]",
                attribute=where,
            )
    elif action in ("append", "prepend"):
        if not isinstance(value, (list, tuple)):
            raise ParameterValidationError(
                f"{action} takes a list of elements ({action}={{{where!r}: [...]}}), "
                f"not {type(value).__name__}",
                attribute=where,
            )
    elif action == "add":
        if not (_is_number(value) or isinstance(value, (set, frozenset))):
            raise ParameterValidationError(
                f"add takes a number (a counter) or a set of elements, not {value!r}; "
                "use set= to replace a value",
                attribute=where,
            )
    elif action == "delete" and not isinstance(value, (set, frozenset)):
        raise ParameterValidationError(
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
            raise ParameterValidationError(
                f"{action} takes a mapping from path to value, not {type(mapping).__name__}"
            )
        for path, value in mapping.items():
            parts = path_parts(path)
            _check_value(action, display_path(parts), value)
            collected.append((action, parts, value))
    if remove is not None:
        if isinstance(remove, (str, bytes, Mapping)) or not isinstance(remove, Iterable):
            raise ParameterValidationError(
                f"remove takes a list of paths (remove=['a', 'b.c']), not {remove!r}"
            )
        collected.extend(("remove", path_parts(path), None) for path in remove)
    return collected


def _check_paths(
    collected: list[tuple[str, tuple[str | int, ...], Any]],
    key_fields: Collection[str],
    table_name: str | None,
) -> None:
    where = f" of table {table_name!r}" if table_name else ""
    first_use: dict[tuple[str | int, ...], str] = {}
    for action, parts, _value in collected:
        if parts[0] in key_fields:
            raise ParameterValidationError(
                f"{action} cannot change key attribute {parts[0]!r}{where}: DynamoDB never "
                "updates a key (delete the item and put a new one)",
                attribute=display_path(parts),
            )
        if parts in first_use:
            raise ParameterValidationError(
                f"path {display_path(parts)!r} is used by both {first_use[parts]} and "
                f"{action}; an update touches each path once",
                attribute=display_path(parts),
            )
        first_use[parts] = action
    for action, parts, _value in collected:
        for length in range(1, len(parts)):
            prefix = parts[:length]
            if prefix in first_use:
                raise ParameterValidationError(
                    f"paths {display_path(prefix)!r} ({first_use[prefix]}) and "
                    f"{display_path(parts)!r} ({action}) overlap; DynamoDB refuses "
                    "overlapping paths in one update",
                    attribute=display_path(parts),
                )


def compile_update(
    placeholders: Placeholders,
    *,
    set: Mapping[UpdatePath, Any] | None = None,
    add: Mapping[UpdatePath, Any] | None = None,
    remove: Iterable[UpdatePath] | None = None,
    delete: Mapping[UpdatePath, Any] | None = None,
    append: Mapping[UpdatePath, Any] | None = None,
    prepend: Mapping[UpdatePath, Any] | None = None,
    set_if_not_exists: Mapping[UpdatePath, Any] | None = None,
    key_fields: Collection[str] = (),
    table_name: str | None = None,
    key_bytes: int = 0,
) -> str:
    """The ``UpdateExpression`` for these actions, names and values from ``placeholders``.

    >>> from dynamodb2._placeholders import Placeholders
    >>> from dynamodb2.types import Dynamizer
    >>> compile_update(Placeholders(Dynamizer()), append={"log": ["x"]})
    'SET #n0 = list_append(if_not_exists(#n0, :v0), :v1)'

    ``key_fields`` are refused as paths (``table_name`` names the table in the error).
    An update whose ``set``, ``append`` and ``prepend`` values alone, with the key
    (``key_bytes``), pass DynamoDB's 400 KB item size can never succeed: it is refused.

    Raises:
        ParameterValidationError: for an empty update, overlapping paths, a key
            attribute, or a value of the wrong kind for its action.
    """
    collected = _collect(
        {
            "set": set,
            "set_if_not_exists": set_if_not_exists,
            "append": append,
            "prepend": prepend,
            "add": add,
            "delete": delete,
        },
        remove,
    )
    if not collected:
        raise ParameterValidationError(
            "an update needs at least one action: set, add, remove, delete, append, "
            "prepend or set_if_not_exists"
        )
    _check_paths(collected, key_fields, table_name)

    clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
    empty_list: str | None = None
    # Bytes the updated item holds for certain: each value set, appended or prepended.
    stored: dict[str, int] = {}
    for action in (*_SET_ACTIONS, "remove", "add", "delete"):
        for kind, parts, value in collected:
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


def update_request(
    table: UpdateTarget,
    key: Mapping[str, Any],
    *,
    set: Mapping[UpdatePath, Any] | None = None,
    add: Mapping[UpdatePath, Any] | None = None,
    remove: Iterable[UpdatePath] | None = None,
    delete: Mapping[UpdatePath, Any] | None = None,
    append: Mapping[UpdatePath, Any] | None = None,
    prepend: Mapping[UpdatePath, Any] | None = None,
    set_if_not_exists: Mapping[UpdatePath, Any] | None = None,
    condition: Compilable | None = None,
) -> Body:
    """The body of one update: ``TableName``, ``Key``, ``UpdateExpression``, the
    optional ``ConditionExpression`` and their placeholders.

    Shared by :meth:`Table.update_item <dynamodb2.table.Table.update_item>` and
    transactions (where it becomes an ``Update`` action).
    """
    if not isinstance(key, Mapping):
        raise ParameterValidationError(
            f"the key is a mapping of key attributes ({{'id': ...}}), not {type(key).__name__}"
        )
    encoded_key = table._encode_key(key)
    placeholders = Placeholders(table._dynamizer)
    body: Body = {"TableName": table.table_name, "Key": encoded_key}
    body["UpdateExpression"] = compile_update(
        placeholders,
        set=set,
        add=add,
        remove=remove,
        delete=delete,
        append=append,
        prepend=prepend,
        set_if_not_exists=set_if_not_exists,
        key_fields=table.get_key_fields(),
        table_name=table.table_name,
        key_bytes=item_size(encoded_key),
    )
    if condition is not None:
        body["ConditionExpression"] = compile_condition(
            condition, placeholders, parameter="condition"
        )
    placeholders.add_to(body)
    return body


def check_return_values(return_values: str) -> str:
    """Refuse a ``return_values`` DynamoDB does not know.

    >>> check_return_values("ALL_NEW")
    'ALL_NEW'
    """
    if return_values not in RETURN_VALUES:
        raise ParameterValidationError(
            f"return_values must be one of {', '.join(RETURN_VALUES)}, not {return_values!r}"
        )
    return return_values
