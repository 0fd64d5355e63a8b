"""KeySchema.distinct_keys: batch_get's keys encoded, checked and identified once.

Its one-pass path (ASCII strings, ints and Decimals) and the general one
(``encode_key`` and ``identity``) must agree: a key is refused with the same error
whichever path it takes, and keys DynamoDB considers equal are one key across paths.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from unittest import mock

import pytest

from dynamodb2._schema import KeySchema
from dynamodb2._wire import Distinct
from dynamodb2.exceptions import DynamoDBNumberError, RequestValidationError
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from dynamodb2.types import Dynamizer, NonBooleanDynamizer
from tests.support.fakes import fake_connection

UNTYPED = KeySchema("users", ("id", "at"), None, NonBooleanDynamizer())
TYPED = KeySchema("users", ("id", "at"), {"id": "S", "at": "N"}, NonBooleanDynamizer())


def _given(pairs: list[tuple[Any, Any]]) -> list[Any]:
    return [given for given, _wire in pairs]


@pytest.mark.parametrize("schema", [UNTYPED, TYPED], ids=["untyped", "typed"])
def test_equal_numbers_are_one_key_whichever_path_encodes_them(schema: KeySchema) -> None:
    keys: list[dict[str, Any]] = [
        {"id": "a", "at": 1},
        {"id": "a", "at": Decimal("1.0")},  # one pass
        {"id": "a", "at": 1.0},  # a float: encode_key
        {"id": "a", "at": True},  # a bool as a number (NonBooleanDynamizer): encode_key
        {"id": "a", "at": Decimal("1E0")},
        {"id": "b", "at": 1},
        {"id": "a", "at": 2},
    ]

    found = schema.distinct_keys(keys)

    assert _given(found) == [keys[0], keys[5], keys[6]]
    assert [wire for _given, wire in found] == [
        {"id": {"S": "a"}, "at": {"N": "1"}},
        {"id": {"S": "b"}, "at": {"N": "1"}},
        {"id": {"S": "a"}, "at": {"N": "2"}},
    ]


def test_a_key_first_seen_on_the_general_path_is_not_asked_for_again() -> None:
    keys: list[dict[str, Any]] = [
        {"id": "é", "at": 1.0},  # not ASCII, a float: encode_key
        {"id": "é", "at": 1},
        {"id": "a", "at": 10**37 + 1},  # 38 digits: distinct from the next
        {"id": "a", "at": Decimal(10**37 + 2)},
        {"id": "a", "at": Decimal("10000000000000000000000000000000000002")},
    ]

    assert _given(UNTYPED.distinct_keys(keys)) == [keys[0], keys[2], keys[3]]


@pytest.mark.parametrize(
    ("key", "error", "message"),
    [
        ({"id": "", "at": 1}, RequestValidationError, "empty"),
        ({"id": "a"}, RequestValidationError, "missing key attribute"),
        ({"id": "a", "at": 1, "x": 2}, RequestValidationError, "not a key attribute"),
        ({"id": "a", "at": Decimal("NaN")}, DynamoDBNumberError, "at"),
        ({"id": "a", "at": 10**39 + 1}, DynamoDBNumberError, "at"),  # 40 digits
        ({"id": "a" * 1025, "at": 1}, None, None),  # a partition key up to 2,048 bytes
    ],
)
def test_a_key_is_refused_as_encode_key_refuses_it(
    key: dict[str, Any], error: type[Exception] | None, message: str | None
) -> None:
    if error is None:
        assert UNTYPED.distinct_keys([key]) == [(key, UNTYPED.encode_key(key))]
        return
    with pytest.raises(error) as expected:
        UNTYPED.encode_key(key)
    with pytest.raises(error) as refused:
        UNTYPED.distinct_keys([{"id": "ok", "at": 1}, key])
    assert str(refused.value) == str(expected.value)
    assert message is not None
    assert message in str(refused.value)


def test_a_value_of_another_type_than_the_known_one_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="must be NUMBER, not STRING"):
        TYPED.distinct_keys([{"id": "a", "at": "1"}])
    with pytest.raises(RequestValidationError, match="must be STRING, not NUMBER"):
        TYPED.distinct_keys([{"id": 1, "at": 1}])


def test_a_dynamizer_subclass_encodes_every_key() -> None:
    class Upper(Dynamizer):
        def encode(self, attr: Any) -> Any:
            return super().encode(attr.upper() if isinstance(attr, str) else attr)

    schema = KeySchema("users", ("id",), None, Upper())

    assert schema.distinct_keys([{"id": "a"}, {"id": "A"}]) == [({"id": "a"}, {"id": {"S": "A"}})]


def test_layer1_receives_the_keys_as_a_distinct_list_equal_to_the_plain_one() -> None:
    connection, transport = fake_connection(
        lambda _operation, _body: {"Responses": {"users": []}, "UnprocessedKeys": {}}
    )
    table = Table("users", schema=[HashKey("id")], connection=connection)
    with mock.patch.object(
        table.connection, "batch_get_item", wraps=table.connection.batch_get_item
    ) as spy:
        assert list(table.batch_get([{"id": 1}, {"id": Decimal("1.0")}, {"id": "a"}])) == []

    (call,) = spy.call_args_list
    keys = call.kwargs["request_items"]["users"]["Keys"]
    assert type(keys) is Distinct
    assert keys == [{"id": {"N": "1"}}, {"id": {"S": "a"}}]
    # Keys the package did not identify are compared by layer1, before sending: given to
    # layer1 directly, to boto 2's page callable, or added to a result set's keys.
    with pytest.raises(RequestValidationError, match="contains duplicates"):
        table.connection.batch_get_item({"users": {"Keys": [*keys, {"id": {"N": "1.0"}}]}})
    with pytest.raises(RequestValidationError, match="contains duplicates"):
        table._batch_get([{"id": "a"}, {"id": "a"}])
    results = table.batch_get([{"id": "a"}])
    results._keys_left.append({"id": "a"})
    with pytest.raises(RequestValidationError, match="contains duplicates"):
        list(results)
    assert transport.calls == 1
