"""Plans: the steps of an operation written once, run by a synchronous or an asynchronous driver.

A *plan* is a generator that yields what it needs done (an *effect*: a request to send,
a pause) and is sent back the outcome, or has the failure thrown into it where it
yielded. It does no I/O itself, so the synchronous API (:func:`run`) and the
asynchronous one (:func:`run_async`) share every decision: when to retry, what to send
next, what a response means. Only the performing of effects differs.

>>> def plan():
...     answer = yield "question"
...     return answer.upper()
>>> run(plan(), lambda effect: f"an answer to the {effect}")
'AN ANSWER TO THE QUESTION'

Effects a plan may yield are the performer's business; the two used across the package
are a :class:`~dynamodb2._requests.Call` of a layer1 method and a :class:`Sleep`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from contextvars import ContextVar
from typing import Any, Final, TypeVar

import attrs

__all__ = ["Own", "Pause", "Plan", "Sleep", "carried", "run", "run_async"]

_T = TypeVar("_T")

#: A plan returning a ``_T``: it yields effects and is sent back their outcomes.
Plan = Generator[Any, Any, _T]


@attrs.frozen(slots=True)
class Sleep:
    """Wait ``seconds`` before going on (a backoff between tries)."""

    seconds: float


class _Failure:
    """An effect that raised: the exception is thrown into the plan where it yielded."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Driver:
    """Where a plan stands: the effect it waits on, or (once done) what it returned."""

    __slots__ = ("done", "effect", "plan", "result")

    def __init__(self, plan: Plan[Any]) -> None:
        self.plan = plan
        self.done = False
        self.result: Any = None
        self.effect: Any = None
        self.advance(None)

    def advance(self, outcome: Any) -> None:
        """Hand the plan the outcome of its effect (first: start it); note its next effect."""
        try:
            if isinstance(outcome, _Failure):
                self.effect = self.plan.throw(outcome.error)
            else:
                self.effect = self.plan.send(outcome)
        except StopIteration as finished:
            self.done = True
            self.result = finished.value


@attrs.frozen(slots=True)
class Pause:
    """Wait at backoff ``level`` of a :class:`~dynamodb2.retry.Pacing` (which draws how
    long, and may be replaced to record or skip the waits)."""

    level: int


@attrs.frozen(slots=True)
class Own:
    """Call the method ``name`` of the object running the plan (awaited by an
    asynchronous one): a step that code may replace on the object (boto 2's tests
    replace ``batch.resend_unprocessed``, patch ``table._put_item``), so it is called
    by name rather than inlined.

    ``carrying`` travels beside the call without being one of its arguments: boto 2's
    helpers have fixed signatures (``_put_item(self, item_data, expects=None)``), and a
    subclass overriding one passes on only those. While the method runs,
    :func:`carried` answers it, with the object the method was called on and the first
    argument it was given.
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = attrs.field(factory=dict)
    carrying: Any = None

    def on(self, owner: object) -> Any:
        """Call the method on ``owner``; its result (an awaitable for an async owner)."""
        if self.carrying is None:
            return getattr(owner, self.name)(*self.args, **self.kwargs)
        token = _CARRIED.set((owner, self.args[0], self.carrying))
        try:
            return getattr(owner, self.name)(*self.args, **self.kwargs)
        finally:
            _CARRIED.reset(token)

    async def on_async(self, owner: object) -> Any:
        """:meth:`on` for an asynchronous owner: the method is awaited while ``carrying``
        is carried."""
        if self.carrying is None:
            return await getattr(owner, self.name)(*self.args, **self.kwargs)
        token = _CARRIED.set((owner, self.args[0], self.carrying))
        try:
            return await getattr(owner, self.name)(*self.args, **self.kwargs)
        finally:
            _CARRIED.reset(token)


#: ``(owner, first argument, carrying)`` of the :class:`Own` call running in this context.
_CARRIED: Final[ContextVar[tuple[Any, Any, Any] | None]] = ContextVar(
    "dynamodb2_carried", default=None
)


def carried(owner: object) -> tuple[Any, Any] | None:
    """``(first argument, carrying)`` of the :class:`Own` call running in this context
    on ``owner`` (an override of the method, passing its arguments on, reaches the
    original with them), or ``None``: also while a method of another object runs
    inside that call (an override writing to another table, say)."""
    current = _CARRIED.get()
    if current is None or current[0] is not owner:
        return None
    return current[1], current[2]


def run(plan: Plan[_T], perform: Callable[[Any], Any]) -> _T:
    """Carry out ``plan``: each effect it yields is performed by ``perform``; its outcome
    is sent back, or the exception it raised thrown in. Returns what the plan returns."""
    # What _Driver does, inlined: every synchronous call runs here (about 1 µs less).
    try:
        effect = plan.send(None)
        while True:
            try:
                outcome = perform(effect)
            except BaseException as error:  # the plan decides: it catches or re-raises
                effect = plan.throw(error)
            else:
                effect = plan.send(outcome)
    except StopIteration as finished:
        result: _T = finished.value
        return result


async def run_async(plan: Plan[_T], perform: Callable[[Any], Awaitable[Any]]) -> _T:
    """:func:`run`, awaiting each effect (a cancellation is thrown into the plan too)."""
    driver = _Driver(plan)
    while not driver.done:
        try:
            outcome = await perform(driver.effect)
        except BaseException as error:  # the plan decides: it catches or re-raises
            outcome = _Failure(error)
        driver.advance(outcome)
    result: _T = driver.result
    return result
