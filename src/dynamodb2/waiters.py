"""Waiting for a table to settle: DescribeTable polled with capped backoff until a state is reached.

>>> table = Table.create("users", schema=[HashKey("username")])   # doctest: +SKIP
>>> table.wait_until_active(timeout=60)                            # doctest: +SKIP

Tables (and their global indexes) take a while to become ``ACTIVE`` after a create or an
update, and to disappear after a delete; until then, reads and writes fail. These
functions ask DynamoDB how things stand, first after ``first_delay`` seconds, then twice
as long each time up to ``max_delay``, until the state is reached or ``timeout`` seconds
have passed (then :class:`~dynamodb2.exceptions.WaitTimeoutError`, naming the table, the
state seen last and the time waited). ``sleep`` and ``clock`` may be replaced (tests pass
fakes, so nothing really waits).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple, TypeVar

from ._arguments import callable_or_none, seconds, text
from ._plans import Plan, Sleep, run
from ._responses import Shape, json_kind
from ._wire import Body
from .exceptions import ParameterValidationError, ResourceNotFoundException, WaitTimeoutError

__all__ = [
    "DEFAULT_FIRST_DELAY",
    "DEFAULT_MAX_DELAY",
    "DEFAULT_TIMEOUT",
    "describe_state",
    "wait_until_active",
    "wait_until_deleted",
]

#: Seconds before the second look (the first look is at once).
DEFAULT_FIRST_DELAY: Final = 0.05
#: The longest pause between two looks, in seconds.
DEFAULT_MAX_DELAY: Final = 5.0
#: How long to wait in all, in seconds, unless told otherwise.
DEFAULT_TIMEOUT: Final = 300.0

_ACTIVE: Final = "ACTIVE"
_DESCRIBE_TABLE: Final = Shape("DescribeTable")
_NOT_FOUND: Final = "not found"

_T = TypeVar("_T")
#: The effect the public functions' plans yield for a look: call ``describe``.
_LOOK: Final = object()

#: A DescribeTable call: returns its response (``{"Table": {...}}``), raises
#: :class:`~dynamodb2.exceptions.ResourceNotFoundException` if there is no such table.
Describe = Callable[[], Body]


def describe_state(description: Mapping[str, Any]) -> tuple[bool, str]:
    """Whether a DescribeTable response shows the table and every global index ACTIVE,
    and the state in words.

    >>> describe_state({"Table": {"TableStatus": "ACTIVE", "GlobalSecondaryIndexes": [
    ...     {"IndexName": "by_email", "IndexStatus": "CREATING"}]}})
    (False, "ACTIVE; index 'by_email' CREATING")
    """
    shape = _DESCRIBE_TABLE
    if not isinstance(description, Mapping):
        raise shape.malformed("the response", f"is {json_kind(description)}, not an object")
    table = shape.mapping(description, "Table", required=True)
    status = shape.string(table, "TableStatus", "Table.TableStatus", default="unknown")
    path = "Table.GlobalSecondaryIndexes"
    waiting_indexes = [
        f"index {index.get('IndexName')!r} {index_status}"
        for number, index in enumerate(shape.mappings(table, "GlobalSecondaryIndexes", path))
        # An index without a status is one the backend does not track: take it as ready.
        if (
            index_status := shape.string(
                index, "IndexStatus", f"{path}[{number}].IndexStatus", default=_ACTIVE
            )
        )
        != _ACTIVE
    ]
    assert status is not None
    state = "; ".join([status, *waiting_indexes])
    return status == _ACTIVE and not waiting_indexes, state


def wait_until_active(
    describe: Describe,
    *,
    table_name: str,
    timeout: float = DEFAULT_TIMEOUT,
    first_delay: float = DEFAULT_FIRST_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Body:
    """Poll ``describe`` until the table and all its global indexes are ``ACTIVE``.

    Returns the last DescribeTable response. A table not found yet is waited for (just
    after CreateTable, DynamoDB may not know the table for a moment).

    >>> wait_until_active(lambda: conn.describe_table({"TableName": "users"}),
    ...                   table_name="users", timeout=60)          # doctest: +SKIP
    {'Table': {'TableName': 'users', 'TableStatus': 'ACTIVE', ...}}
    """

    plan = _until(
        "ACTIVE",
        _LOOK,
        table_name=table_name,
        timeout=timeout,
        first_delay=first_delay,
        max_delay=max_delay,
        clock=clock,
    )
    return run(plan, _performer(describe, sleep))


def wait_until_deleted(
    describe: Describe,
    *,
    table_name: str,
    timeout: float = DEFAULT_TIMEOUT,
    first_delay: float = DEFAULT_FIRST_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Poll ``describe`` until DynamoDB no longer knows the table.

    >>> wait_until_deleted(lambda: conn.describe_table({"TableName": "users"}),
    ...                    table_name="users", timeout=60)         # doctest: +SKIP
    """

    plan = _until(
        "deleted",
        _LOOK,
        table_name=table_name,
        timeout=timeout,
        first_delay=first_delay,
        max_delay=max_delay,
        clock=clock,
    )
    run(plan, _performer(describe, sleep))


def _performer(describe: Describe, sleep: Callable[[float], object]) -> Callable[[Any], Any]:
    callable_or_none(describe, "describe", none=False)
    callable_or_none(sleep, "sleep", none=False)

    def perform(effect: Any) -> Any:
        return describe() if effect is _LOOK else sleep(effect.seconds)

    return perform


def _until(
    awaited: str,
    look: object,
    *,
    table_name: str,
    timeout: float = DEFAULT_TIMEOUT,
    first_delay: float = DEFAULT_FIRST_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    clock: Callable[[], float] = time.monotonic,
) -> Plan[Any]:
    """:func:`wait_until_active` (``awaited="ACTIVE"``) or :func:`wait_until_deleted`
    (``"deleted"``) as a plan (:mod:`dynamodb2._plans`): it yields ``look`` to be sent a
    DescribeTable response (or have ResourceNotFoundException thrown in), and a
    :class:`~dynamodb2._plans.Sleep` between looks. Returns the last response (ACTIVE),
    or ``True`` (deleted)."""
    return _poll(
        look,
        _JUDGES[awaited],
        table_name=table_name,
        awaited=awaited,
        timeout=timeout,
        first_delay=first_delay,
        max_delay=max_delay,
        clock=clock,
    )


def _active(description: Body | None) -> tuple[Body | None, str]:
    if description is None:
        return None, _NOT_FOUND
    active, state = describe_state(description)
    return (description if active else None), state


def _deleted(description: Body | None) -> tuple[bool | None, str]:
    if description is None:
        return True, _NOT_FOUND
    return None, describe_state(description)[1]


_JUDGES: Final[dict[str, Callable[[Body | None], tuple[Any, str]]]] = {
    "ACTIVE": _active,
    "deleted": _deleted,
}


class _Poll(NamedTuple):
    table_name: str
    awaited: str
    timeout: float
    first_delay: float
    max_delay: float
    clock: Callable[[], float]


def _poll(
    look: object,
    judge: Callable[[Body | None], tuple[_T | None, str]],
    *,
    table_name: str,
    awaited: str,
    timeout: float,
    first_delay: float,
    max_delay: float,
    clock: Callable[[], float],
) -> Plan[_T]:
    """Look until ``judge`` returns a result, pausing with capped exponential backoff
    (the arguments are checked now, before the plan runs)."""
    text(table_name, "table_name", wire=False, none=False)
    timeout = seconds(timeout, "timeout")
    first_delay = seconds(first_delay, "first_delay")
    max_delay = seconds(max_delay, "max_delay")
    callable_or_none(clock, "clock", none=False)
    if not 0 < first_delay <= max_delay:
        raise ParameterValidationError(
            f"need 0 < first_delay <= max_delay, not first_delay={first_delay}, "
            f"max_delay={max_delay}"
        )
    return _polling(look, judge, _Poll(table_name, awaited, timeout, first_delay, max_delay, clock))


def _polling(
    look: object, judge: Callable[[Body | None], tuple[_T | None, str]], poll: _Poll
) -> Plan[_T]:
    table_name, awaited, timeout, first_delay, max_delay, clock = poll
    started = clock()
    delay = first_delay
    while True:
        try:
            described: Body | None = yield look
        except ResourceNotFoundException:
            described = None
        result, state = judge(described)
        if result is not None:
            return result
        waited = clock() - started
        if waited >= timeout:
            raise WaitTimeoutError(
                f"table {table_name!r} was not {awaited} after waiting {waited:.1f} s "
                f"(last seen: {state})",
                table_name=table_name,
                state=state,
                waited=waited,
            )
        # The last pause is cut short so that one more look happens right at the deadline.
        yield Sleep(min(delay, timeout - waited))
        delay = min(delay * 2, max_delay)
