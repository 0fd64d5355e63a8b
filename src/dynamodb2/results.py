"""Lazy, paginated results: ResultSet for query and scan, BatchGetResultSet for batch_get.

>>> for item in table.query_2(username__eq="johndoe", limit=50):   # doctest: +SKIP
...     print(item["title"])

Pages are fetched only as iteration reaches them, and only the current page is held, so
iterating a scan of any size takes the memory of one page.

Both keep boto 2's protocol: :meth:`ResultSet.to_call` names a page-fetching callable that
returns ``{"results": [...], "last_key": ...}``; :meth:`ResultSet.fetch_more` gets the
next page. The key a page ends on travels as a :class:`ResumeKey`: the Python values boto 2
gave, carrying the wire form the next request sends as it came (never encoded again).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, Generic, TypeVar

import attrs

from ._arguments import describe, instance_of, names, sequence_of, whole_number
from ._plans import Pause, Plan, run
from ._schema import KeySchema
from ._wire import AttributeValue
from .exceptions import (
    BatchGetError,
    ParameterValidationError,
    RequestValidationError,
)
from .retry import DEFAULT_PACING, Pacing, RoundBackoff

__all__ = ["BatchGetResultSet", "ResultSet", "ResumeKey", "check_max_page_size"]

_T = TypeVar("_T")


class ResumeKey(dict[str, Any]):
    """A key to resume from: a dict of its Python values (as boto 2 gave them) that also
    holds its wire form, :attr:`wire`, sent as it is by the next request.

    >>> key = ResumeKey({"id": 1}, {"id": {"N": "1"}})
    >>> key == {"id": 1}, key.wire
    (True, {'id': {'N': '1'}})
    """

    __slots__ = ("wire",)

    def __init__(self, values: Mapping[str, Any], wire: Mapping[str, AttributeValue]) -> None:
        super().__init__(values)
        #: The key in wire form, as DynamoDB gave it.
        self.wire: dict[str, AttributeValue] = dict(wire)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ResumeKey, (dict(self), self.wire))

    @classmethod
    def _holding(cls, values: Mapping[str, Any], wire: dict[str, AttributeValue]) -> ResumeKey:
        """``ResumeKey(values, wire)`` that holds ``wire`` itself, not a copy: for a wire
        form just made, which nobody else holds (``batch_get``'s keys)."""
        key = cls.__new__(cls)
        dict.update(key, values)
        key.wire = wire
        return key

    @classmethod
    def of(cls, schema: KeySchema, key: Mapping[str, Any] | None) -> ResumeKey | None:
        """An ``exclusive_start_key`` as a resume key: encoded once, and checked to hold
        the table's key when that is known (``None`` for none)."""
        if key is None or isinstance(key, ResumeKey):
            return key
        if not isinstance(key, Mapping):
            raise ParameterValidationError(
                "exclusive_start_key takes the mapping of key attributes a page ended on "
                f"(a ResultSet's last_evaluated_key), not {type(key).__name__}"
            )
        if not key:
            return None
        # A resume key holds the table key plus, on an index, the index's key.
        missing = [name for name in schema.names or () if name not in key]
        if missing:
            raise RequestValidationError(
                "exclusive_start_key lacks the key attribute"
                f"{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))} "
                f"of table {schema.table_name!r}"
            )
        encode = schema.dynamizer.encode
        return cls(key, {name: encode(value) for name, value in key.items()})


def check_max_page_size(max_page_size: object, *, name: str = "max_page_size") -> int | None:
    """The page size, after refusing one DynamoDB would refuse as ``Limit`` (moto fails
    on 0 with a server error, and takes a negative one as no limit). A fraction is
    rounded down, as DynamoDB rounds ``Limit``."""
    size = whole_number(max_page_size, name)
    if size is not None and size < 1:
        raise RequestValidationError(
            f"{name} must be a whole number of at least 1 (or None), not {max_page_size!r}"
        )
    return size


def _check_limit(limit: Any) -> int | None:
    """``limit`` as boto 2 took it: ``None`` or a negative number for no limit (a
    fraction rounded down, as DynamoDB rounds ``Limit``). ``0`` is refused: boto 2 sent
    it as ``Limit=0``, which DynamoDB refuses with a ValidationException."""
    number = whole_number(limit, "limit")
    if number == 0:
        raise RequestValidationError(
            f"limit must be at least 1, or None (or negative, as in boto 2) for no limit, "
            f"not {limit!r}: DynamoDB refuses Limit=0"
        )
    return None if number is None or number < 0 else number


class _Pages(Generic[_T]):
    """A result set without its I/O: the page in hand, where to resume, the limit and the
    capacity read. :class:`ResultSet` fetches pages synchronously, the asynchronous
    ``dynamodb2.aio.AsyncResultSet`` by awaiting them."""

    def __init__(
        self,
        max_page_size: int | None = None,
        *,
        key_names: Sequence[str] | Callable[[], Sequence[str] | None] | None = None,
    ) -> None:
        max_page_size = check_max_page_size(max_page_size)
        if not (key_names is None or callable(key_names)):
            key_names = names(key_names, "key_names")
        self.the_callable: Callable[..., Any] | None = None
        self.call_args: tuple[Any, ...] = ()
        self.call_kwargs: dict[str, Any] = {}
        self._results: list[_T] = []
        self._offset = -1
        self._results_left = True
        self._last_key_seen: Any = None
        # The key the current page was fetched from, and how many of its items were
        # handed out: together they say where to resume when iteration stops mid-page.
        self._page_start_key: Any = None
        self._yielded_in_page = 0
        self._key_names = key_names
        self._fetches = 0
        self._max_page_size = max_page_size
        self._limit: int | None = None
        #: Read capacity units consumed so far (when ``return_consumed_capacity`` was asked).
        self.consumed_capacity_units: float = 0.0
        #: The raw ``ConsumedCapacity`` entries of every page fetched so far.
        self.consumed_capacity: list[dict[str, Any]] = []

    @property
    def first_key(self) -> str:
        """The keyword the page callable takes the resume key by."""
        return "exclusive_start_key"

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """The key to resume from: ``None`` only when everything was read.

        If iteration stopped in the middle of a page (``itertools.islice``, ``break``),
        this is the key of the last item handed out, not DynamoDB's key for the end of
        the page, so that resuming skips nothing. (With ``attributes=`` leaving out a key
        attribute, such a key cannot be known: ParameterValidationError says so.)
        """
        taken = self._yielded_in_page
        if taken >= len(self._results):
            return self._last_key_seen  # type: ignore[no-any-return]
        if taken == 0:
            return self._page_start_key  # type: ignore[no-any-return]
        return self._key_of(self._results[taken - 1])

    @property
    def exhausted(self) -> bool:
        """Whether DynamoDB has nothing more for this query: its last page was fetched and
        every item in it handed out.

        Tells "finished" apart from "not started" (or "stopped by an error before the first
        page"), where :attr:`last_evaluated_key` is ``None`` too.
        """
        return (
            self._fetches > 0
            and self._last_key_seen is None
            and self._yielded_in_page >= len(self._results)
        )

    def _key_of(self, item: Any) -> dict[str, Any]:
        names = self._resolve_key_names()
        key: dict[str, Any] = {}
        for name in names:
            value = item.get(name)
            if value is None:
                raise ParameterValidationError(
                    "iteration stopped inside a page, after an item without this key "
                    "attribute, so there is no key to resume from; include the key "
                    "attributes in attributes=, or read whole pages",
                    attribute=name,
                )
            key[name] = value
        return key

    def _resolve_key_names(self) -> Sequence[str]:
        names = self._key_names
        if callable(names):
            names = names()
        if not names:
            # Without names from the table, DynamoDB's own keys show which they are.
            names = list(self._last_key_seen or self._page_start_key or ())
        if not names:
            raise ParameterValidationError(
                "this ResultSet does not know the key attribute names, so it cannot say "
                "where to resume inside a page (give it key_names=)"
            )
        return names

    @property
    def fetches(self) -> int:
        """How many pages were requested so far."""
        return self._fetches

    def _reset(self) -> None:
        _settle_held(self._results)
        self._results = []
        self._offset = -1  # before the page's first result: __next__ steps onto it
        self._yielded_in_page = 0

    def _wants_page(self) -> bool:
        """Whether a page must be fetched before the result at the current offset (asked
        until not): a page can be empty (a filter matched nothing) yet not be the last."""
        self._offset = max(self._offset, 0)  # a page was just fetched: start at its first result
        return self._offset >= len(self._results) and self._results_left

    def _hand_out(self) -> _T:
        """The result at the current offset, counted against the limit."""
        if self._offset < len(self._results):
            if self._limit is not None:
                self._limit -= 1
                if self._limit < 0:
                    raise StopIteration
            self._yielded_in_page = self._offset + 1
            return self._results[self._offset]
        if self._results and not self._results_left:
            _settle_held(self._results)  # the last page is done with
        raise StopIteration

    def to_call(self, the_callable: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Name the callable that fetches one page; ``limit`` caps the results in all."""
        if not callable(the_callable):
            raise ParameterValidationError(
                "You must supply an object or function to be called: the_callable takes a "
                f"function returning a page, not {describe(the_callable)}"
            )
        self._limit = _check_limit(kwargs.pop("limit", None))
        self.the_callable = the_callable
        self.call_args = args
        self.call_kwargs = kwargs

    def _fetcher(self) -> Callable[..., Any]:
        """The page callable (refused before anything changes if :meth:`to_call` named none)."""
        if self.the_callable is None:
            raise ParameterValidationError("to_call() must name a page callable before fetching")
        return self.the_callable

    def _next_page_kwargs(self) -> dict[str, Any]:
        """Start a new page: the page callable's keyword arguments for it."""
        self._reset()
        kwargs = dict(self.call_kwargs)
        self._page_start_key = self._last_key_seen
        if self._last_key_seen is not None:
            kwargs[self.first_key] = self._last_key_seen
        if self._limit and self._max_page_size and self._max_page_size > self._limit:
            self._max_page_size = self._limit
        if self._max_page_size is not None:
            kwargs["limit"] = self._max_page_size
        elif self._limit is not None:
            kwargs["limit"] = self._limit
        return kwargs

    def _take_page(self, page: Mapping[str, Any]) -> None:
        """Take in a page the callable returned."""
        self._fetches += 1
        results = page.get("results", [])
        self._results = results if isinstance(results, list) else list(results)
        self._last_key_seen = page.get("last_key")
        self._add_capacity(page.get("consumed_capacity"))
        if self._limit is not None and self._limit - len(self._results) <= 0:
            self._results_left = False
        if self._last_key_seen is None:
            self._results_left = False

    def _add_capacity(self, consumed: Any) -> None:
        if not consumed:
            return
        entries = consumed if isinstance(consumed, list) else [consumed]
        for entry in entries:
            self.consumed_capacity.append(entry)
            self.consumed_capacity_units += float(entry.get("CapacityUnits", 0.0))


def _anything(_key: object) -> bool:
    return True


class ResultSet(_Pages[_T]):
    """Iterates every result of a query or scan, fetching pages on demand.

    ``limit`` (given through :meth:`to_call`) caps the number of results in all;
    ``max_page_size`` caps how many items each request asks DynamoDB for.

    :attr:`last_evaluated_key` is the key to resume from, wherever iteration stopped
    (``None`` once everything was read); pass it as ``exclusive_start_key=`` to continue
    later. ``key_names`` (a list, or a callable returning one when first needed) names the
    attributes of that key: the table's key, plus the index's on an index.
    A ResultSet belongs to one thread.
    """

    def __iter__(self) -> Iterator[_T]:
        return self

    def __next__(self) -> _T:
        offset = self._offset + 1
        results = self._results
        if offset < len(results) and self._limit is None:
            # The common step, inside a page with no limit to count (_hand_out's work).
            self._offset = offset
            self._yielded_in_page = offset + 1
            return results[offset]
        self._offset = offset
        while self._wants_page():
            self.fetch_more()
        return self._hand_out()

    next = __next__  # boto 2's name

    def fetch_more(self) -> None:
        """Fetch the next page into the buffer."""
        self._take_page(self._fetcher()(*self.call_args, **self._next_page_kwargs()))


@attrs.frozen(slots=True)
class _Fetch:
    """A plan's step: call the page callable ``fetch`` (awaited by an async result set)."""

    fetch: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class _BatchGets(_Pages[_T]):
    """A batch read without its I/O: the keys left, the backoff, the items in hand."""

    def __init__(
        self,
        max_page_size: int | None = None,
        *,
        keys: Sequence[Any] | None = None,
        max_batch_get: int = 100,
        pacing: Pacing = DEFAULT_PACING,
        key_names: Sequence[str] | Callable[[], Sequence[str] | None] | None = None,
    ) -> None:
        super().__init__(max_page_size, key_names=key_names)
        self._keys_left: list[Any] = (
            # Any keys the page callable takes (boto 2's tests give it plain strings).
            sequence_of(keys, "keys", _anything, "a list of keys", wire=False) or []
        )
        self._max_batch_get = whole_number(
            max_batch_get, "max_batch_get", minimum=1, wire=False, none=False
        )
        self._pacing = instance_of(pacing, "pacing", Pacing, "a Pacing", none=False)
        self._backoff = RoundBackoff(max_stalls=pacing.policy.max_attempts)
        self._wait_first = False
        if not self._keys_left:
            self._results_left = False

    @property
    def last_evaluated_key(self) -> dict[str, Any] | None:
        """Always ``None``: batch reads are not resumed by key."""
        return None

    @property
    def exhausted(self) -> bool:
        """Whether every key was asked for and every item found handed out."""
        return (
            self._fetches > 0
            and not self._keys_left
            and self._yielded_in_page >= len(self._results)
        )

    def _next_chunk(self) -> list[Any] | None:
        """Start a new page: the keys to ask for, or ``None`` when none are left."""
        self._reset()
        if not self._keys_left:
            self._results_left = False
            return None
        return self._keys_left[: self._max_batch_get]

    def _take_batch(self, chunk: list[Any], page: Mapping[str, Any]) -> None:
        """Take in the page the callable returned for ``chunk``."""
        self._fetches += 1
        self._keys_left = self._keys_left[len(chunk) :]
        results = page.get("results", [])
        self._results = results if isinstance(results, list) else list(results)
        self._add_capacity(page.get("consumed_capacity"))
        unprocessed = list(page.get("unprocessed_keys") or [])
        # Unprocessed keys go first, so they are retried before new ones.
        self._keys_left[:0] = unprocessed
        self._wait_first = bool(unprocessed)
        if unprocessed and len(unprocessed) >= len(chunk):
            if self._backoff.stalled():
                left = list(self._keys_left)
                self._keys_left = []
                self._results_left = False
                raise BatchGetError(
                    f"batch_get made no progress in {self._backoff.stalls} rounds; "
                    f"{len(left)} keys were not read",
                    [dict(key) for key in left],
                )
        else:
            self._backoff.progressed()
        self._results_left = bool(self._keys_left)

    def _fetch_plan(self) -> Plan[None]:
        """Fetch the items for the next chunk of keys (unprocessed ones first): a
        :class:`~dynamodb2._plans.Pause` first if the last request left keys
        unprocessed, then the page callable (``_FETCH``, sent its result)."""
        fetch = self._fetcher()
        chunk = self._next_chunk()
        if chunk is None:
            return
        if self._wait_first:
            yield Pause(self._backoff.next_level())
        kwargs = dict(self.call_kwargs)
        kwargs["keys"] = chunk
        self._take_batch(chunk, (yield _Fetch(fetch, self.call_args, kwargs)))


class BatchGetResultSet(_BatchGets[_T], ResultSet[_T]):
    """Iterates the items for a list of keys, at most ``max_batch_get`` keys per request.

    Keys DynamoDB leaves unprocessed are asked for again, first, after a backoff that
    grows only while requests make no progress (see
    :class:`~dynamodb2.retry.RoundBackoff`), so every existing item is returned exactly
    once. Keys that do not exist are skipped. If the pacing's ``max_attempts`` rounds in
    a row make no progress at all, :class:`~dynamodb2.exceptions.BatchGetError` is raised
    with the keys still unread.
    """

    def fetch_more(self) -> None:
        """Fetch the items for the next chunk of keys (unprocessed ones first)."""
        run(self._fetch_plan(), self._perform)

    def _perform(self, effect: Pause | _Fetch) -> Any:
        if type(effect) is Pause:
            return self._pacing.pause(effect.level)
        assert isinstance(effect, _Fetch)
        return effect.fetch(*effect.args, **effect.kwargs)


#: The references to a result that nobody else holds, while _settle_held counts them:
#: the page's list, its loop's variable and getrefcount's argument.
_UNHELD_REFERENCES: Final = 3


def _settle_held(results: Sequence[Any]) -> None:
    """Let the results of a page that someone still holds settle (an :class:`Item`
    decodes, and then holds about what a dict of its values does, not its wire form);
    the others go with the page, never decoded. Called as a page is dropped.

    Who else holds a result is told by its reference count (CPython's); where there is
    none, every result settles.
    """
    if not results:
        return
    kind = type(results[0])
    settle = getattr(kind, "_settle", None)
    if settle is None:
        return
    count = getattr(sys, "getrefcount", None)
    for result in results:
        if type(result) is kind and (count is None or count(result) > _UNHELD_REFERENCES):
            settle(result)
