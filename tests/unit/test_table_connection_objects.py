"""What ``Table(connection=...)`` takes: as in boto 2, any object with some of the layer1
``DynamoDBConnection``'s methods (a hand-written fake with only the ones a test uses);
only an object with none of them (a string, a number, a dict) is refused, when the
table is made, naming the argument."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb2.aio import AsyncTable
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.fields import HashKey
from dynamodb2.table import Table


class OnlyGetItem:
    """A fake connection as boto 2 tests wrote them: the one method the code under test
    needs, nothing else."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def get_item(self, table_name: str, key: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        self.calls.append((table_name, key))
        return {"Item": {"id": {"S": "fake"}, "n": {"N": "3"}}}


def test_a_fake_with_only_get_item_serves_get_item() -> None:
    fake = OnlyGetItem()
    users = Table("users", schema=[HashKey("id")], connection=fake)  # type: ignore[arg-type]

    item = users.get_item(id="x")

    assert dict(item.items()) == {"id": "fake", "n": 3}
    assert fake.calls == [("users", {"id": {"S": "x"}})]


def test_a_method_the_fake_lacks_fails_when_first_needed() -> None:
    users = Table("users", schema=[HashKey("id")], connection=OnlyGetItem())  # type: ignore[arg-type]

    with pytest.raises(AttributeError, match="put_item"):
        users.put_item({"id": "x"})


@pytest.mark.parametrize(
    "not_a_connection",
    ["localhost:8000", 8000, {"host": "localhost"}, ["get_item"], object()],
    ids=["str", "int", "dict", "list", "object"],
)
def test_an_object_with_none_of_the_methods_is_refused_naming_it(not_a_connection: Any) -> None:
    with pytest.raises(ParameterValidationError) as refused:
        Table("users", connection=not_a_connection)

    message = str(refused.value)
    assert message.startswith("connection takes a DynamoDBConnection, a Connection, or an object")
    assert "has none of them" in message
    assert type(not_a_connection).__name__ in message


class AsyncOnlyGetItem:
    async def get_item(self, table_name: str, key: dict[str, Any], **kwargs: Any) -> Any:
        return {"Item": {"id": {"S": "fake"}}}


@pytest.mark.anyio
async def test_an_asyncio_table_takes_a_fake_with_only_get_item() -> None:
    users = AsyncTable("users", schema=[HashKey("id")], connection=AsyncOnlyGetItem())  # type: ignore[arg-type]

    item = await users.get_item(id="x")

    assert dict(item.items()) == {"id": "fake"}


def test_an_asyncio_table_refuses_what_has_none_of_the_methods() -> None:
    with pytest.raises(ParameterValidationError, match="has none of them"):
        AsyncTable("users", connection="localhost:8000")  # type: ignore[arg-type]
