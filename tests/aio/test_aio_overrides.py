"""boto 2's overridable helpers on the asynchronous table: a subclass overriding
``_put_item`` / ``_update_item`` with boto 2's signatures sees every save."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

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
