"""AsyncItem: the dict-like record with dirty tracking; its writes are awaited."""

from __future__ import annotations

import typing
from typing import Any, Literal, overload

from dynamodb2._placeholders import Compilable
from dynamodb2._plans import Own, run_async
from dynamodb2._wire import AttributeValue
from dynamodb2.capacity import ReportedCapacity, ReturnConsumedCapacity, WriteResult
from dynamodb2.items import _delete_options, _ItemBase

if typing.TYPE_CHECKING:
    from ._table import AsyncTable  # noqa: F401 - named in a string


__all__ = ["AsyncItem"]


class AsyncItem(_ItemBase["AsyncTable"]):
    """:class:`~dynamodb2.items.Item` of an :class:`AsyncTable`: reading and changing it
    is the same (``item["name"] = "Jo"``); what reaches DynamoDB is awaited.

    >>> item = await table.get_item(username="jo")                  # doctest: +SKIP
    >>> item["first_name"] = "Johann"                               # doctest: +SKIP
    >>> await item.partial_save()                                   # doctest: +SKIP
    True

    :meth:`save` (compare-and-set), :meth:`partial_save` (only what changed, conditioned
    on it) and :meth:`delete` build exactly the requests the synchronous item does.
    """

    __slots__ = ()

    async def get_keys(self) -> dict[str, Any]:
        """The key attributes and their values (the table is described if its key is
        not known)."""
        return self._keys_of(await self.table.get_key_fields())

    async def get_raw_keys(self) -> dict[str, AttributeValue]:
        """The key in wire form, e.g. ``{"username": {"S": "johndoe"}}``."""
        return self._raw_keys_of(await self.get_keys())

    @overload
    async def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    async def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    async def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    async def save(
        self,
        overwrite: bool = False,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Write the whole item, as :meth:`Item.save <dynamodb2.items.Item.save>` does
        (a compare-and-set unless ``overwrite``); ``False`` if nothing changed."""
        plan = self._save_plan(overwrite, condition, return_consumed_capacity)
        return await run_async(plan, self._perform)

    @overload
    async def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    async def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    async def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    async def partial_save(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Write only what changed, in one ``UpdateItem`` conditioned on it, as
        :meth:`Item.partial_save <dynamodb2.items.Item.partial_save>` does."""
        plan = self._partial_save_plan(condition, return_consumed_capacity)
        return await run_async(plan, self._perform)

    @overload
    async def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: Literal["NONE"] | None = None,
    ) -> bool: ...

    @overload
    async def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReportedCapacity,
    ) -> Literal[False] | WriteResult: ...

    @overload
    async def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult: ...

    async def delete(
        self,
        *,
        condition: Compilable | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> bool | WriteResult:
        """Delete the item from its table; ``False`` if ``condition`` failed."""
        options = _delete_options(condition, return_consumed_capacity)
        deleted: bool | WriteResult = await self.table.delete_item(
            **await self.get_keys(), **options
        )
        return deleted

    async def _perform(self, effect: Own) -> Any:
        return await effect.on_async(self.table)
