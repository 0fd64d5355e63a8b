"""Consumed capacity: asking DynamoDB for it, and carrying what it reports back.

>>> result = table.put_item(data, return_consumed_capacity="TOTAL")   # doctest: +SKIP
>>> result.consumed_capacity_units                                     # doctest: +SKIP
1.0

Capacity is opt-in: pass ``return_consumed_capacity="TOTAL"`` (the total per table) or
``"INDEXES"`` (also per index) to a read or write. Without it (or with ``"NONE"``)
nothing changes: writes still return boto 2's plain ``True``.

Every object that carries capacity has the same two attributes:

- ``consumed_capacity``: DynamoDB's ``ConsumedCapacity`` entries as sent, one dict per
  table per request (``{"TableName": "users", "CapacityUnits": 1.0, ...}``);
- ``consumed_capacity_units``: the sum of their ``CapacityUnits``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, get_args

from ._arguments import sequence_of
from ._responses import Shape
from .exceptions import RequestValidationError

__all__ = [
    "RETURN_CONSUMED_CAPACITY",
    "ReportedCapacity",
    "ReturnConsumedCapacity",
    "WriteResult",
    "capacity_entries",
    "capacity_units",
    "check_return_consumed_capacity",
]

ReportedCapacity = Literal["TOTAL", "INDEXES"]
"""The ``return_consumed_capacity`` values that ask for a report: the total per table, or
the total and each index's share."""

ReturnConsumedCapacity = Literal["NONE", ReportedCapacity]
"""What ``return_consumed_capacity`` takes: ``"NONE"`` (as if not given) or a
:data:`ReportedCapacity`."""

_FIELD: Final = "ConsumedCapacity"
# The operation is not known where capacity is read: messages name the field only.
_CAPACITY: Final = Shape(None)

RETURN_CONSUMED_CAPACITY: Final[tuple[ReturnConsumedCapacity, ...]] = get_args(
    ReturnConsumedCapacity
)
"""The values ``return_consumed_capacity`` takes, as checked at run time."""


def check_return_consumed_capacity(value: str | None) -> ReportedCapacity | None:
    """The ``ReturnConsumedCapacity`` to send, or ``None`` when capacity was not asked for.

    >>> check_return_consumed_capacity("TOTAL"), check_return_consumed_capacity("NONE")
    ('TOTAL', None)

    Raises:
        RequestValidationError: for anything but ``None``, NONE, TOTAL or INDEXES
            (DynamoDB refuses other values).
    """
    if value is None:
        return None
    if value not in RETURN_CONSUMED_CAPACITY:
        raise RequestValidationError(
            f"return_consumed_capacity must be one of {', '.join(RETURN_CONSUMED_CAPACITY)}, "
            f"not {value!r}"
        )
    return None if value == "NONE" else value


def capacity_entries(consumed: Any) -> list[dict[str, Any]]:
    """A response's ``ConsumedCapacity`` (one dict, a list of them, or absent) as a list.

    Anything else (a string, a number, a list holding one) raises
    :class:`~dynamodb2.exceptions.MalformedResponseError`.
    """
    if consumed is None:
        return []
    if isinstance(consumed, Mapping):
        return [dict(consumed)] if consumed else []
    return [dict(entry) for entry in _CAPACITY.mappings({_FIELD: consumed}, _FIELD)]


def capacity_units(entries: Iterable[Mapping[str, Any]]) -> float:
    """The sum of the ``CapacityUnits`` of ``ConsumedCapacity`` entries (a figure that is
    not a number raises :class:`~dynamodb2.exceptions.MalformedResponseError`)."""
    return float(
        sum(
            _CAPACITY.number(entry, "CapacityUnits", f"{_FIELD}[{number}].CapacityUnits")
            for number, entry in enumerate(entries)
        )
    )


class WriteResult:
    """What a single write returns when consumed capacity was asked for.

    It is truthy, as boto 2's ``True`` was, so ``if table.put_item(...):`` keeps working;
    writes that did not ask for capacity still return plain ``True``.

    >>> result = WriteResult([{"TableName": "users", "CapacityUnits": 1.0}])
    >>> bool(result), result.consumed_capacity_units
    (True, 1.0)
    """

    __slots__ = ("consumed_capacity",)

    def __init__(self, consumed_capacity: list[dict[str, Any]]) -> None:
        sequence_of(
            consumed_capacity,
            "consumed_capacity",
            lambda entry: isinstance(entry, Mapping),
            "a list of ConsumedCapacity entries (dicts)",
            wire=False,
            none=False,
        )
        #: DynamoDB's ``ConsumedCapacity`` entries for the write.
        self.consumed_capacity = consumed_capacity

    @property
    def consumed_capacity_units(self) -> float:
        """Capacity units the write consumed."""
        return capacity_units(self.consumed_capacity)

    def __bool__(self) -> Literal[True]:
        return True

    def __repr__(self) -> str:
        return f"<WriteResult consumed_capacity_units={self.consumed_capacity_units}>"
