"""boto 2's overridable helpers on the asynchronous table: a subclass overriding
``_put_item`` / ``_update_item`` with boto 2's signatures sees every save."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from dynamodb2._wire import EncodedItem
from dynamodb2.aio import AsyncDynamoDBConnection, AsyncTable
from dynamodb2.fields import HashKey

pytestmark = pytest.mark.anyio


async def test_an_async_subclass_overriding_put_and_update_saves_through_them() -> None:
    seen: list[Any] = []

    class Audited(AsyncTable):
        async def _put_item(self, item_data: Any, expects: Any = None) -> Any:
            seen.append(("put", sorted(item_data)))
            return await super()._put_item(item_data, expects=expects)

        async def _update_item(self, key: Any, item_data: Any = None, expects: Any = None) -> Any:
            seen.append(("update", key))
            return await super()._update_item(key, item_data, expects=expects)

    layer1 = mock.create_autospec(AsyncDynamoDBConnection, instance=True)
    layer1.put_item = mock.AsyncMock(return_value={})
    layer1.update_item = mock.AsyncMock(return_value={})
    stored = {"username": {"S": "jane"}, "age": {"N": "1"}}
    layer1.get_item = mock.AsyncMock(return_value={"Item": stored})
    table = Audited("users", schema=[HashKey("username")], connection=layer1)

    assert await table.put_item(data={"username": "jane"}) is True
    # put_item without overwrite may not replace an existing item: the condition survived.
    assert "attribute_not_exists" in layer1.put_item.call_args.kwargs["condition_expression"]
    item = await table.get_item(username="jane")
    item["age"] = 2
    assert await item.partial_save() is True
    assert seen == [("put", ["username"]), ("update", {"username": "jane"})]
    assert "SET" in layer1.update_item.call_args.kwargs["update_expression"]


async def test_only_the_async_tables_own_put_item_sends_the_item_as_the_package_encoded_it() -> (
    None
):
    # The item a save encoded reaches layer1 marked as such (the json codec does not walk
    # it) only through AsyncTable's own _put_item; patched on the class, or overridden,
    # _put_item may have changed it, and what it passes on is a plain dict again.
    layer1 = mock.create_autospec(AsyncDynamoDBConnection, instance=True)
    layer1.put_item = mock.AsyncMock(return_value={})
    own = AsyncTable._put_item

    async def passing_on(self: AsyncTable, item_data: Any, expects: Any = None) -> Any:
        return await own(self, item_data, expects)

    table = AsyncTable("users", schema=[HashKey("username")], connection=layer1)
    await table.put_item(data={"username": "jane"}, overwrite=True)
    with mock.patch.object(AsyncTable, "_put_item", passing_on):
        await table.put_item(data={"username": "joe"}, overwrite=True)

    sent = [call.args[1] for call in layer1.put_item.call_args_list]
    assert sent == [{"username": {"S": "jane"}}, {"username": {"S": "joe"}}]
    assert [type(item) for item in sent] == [EncodedItem, dict]
