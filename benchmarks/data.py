"""The items the benchmarks read and write: deterministic, in wire form and as Python values.

>>> wire_item(7)["sk"]
{'N': '7'}
>>> native_item(7)["sk"]
Decimal('7')

A *query item* has 12 attributes covering S, N, BOOL, SS, NS, L and M, about 1 KB of
JSON each, so a page of 1,000 is about 1 MB (the most one Query or Scan page holds). A
*wide item* has 20 attributes (for save and partial_save). A *profile item* has 20
attributes too, of the sizes a user record has (ids, names, dates, a few numbers, flags,
two small sets, a small map and list): what the held-item memory is measured on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

__all__ = [
    "BATCH_GET_KEYS",
    "HASH_KEY",
    "PAGE_ITEMS",
    "PARTITION",
    "RANGE_KEY",
    "TABLE_NAME",
    "batch_get_response",
    "native_item",
    "native_wide_item",
    "query_page",
    "wire_item",
    "wire_profile_item",
    "wire_wide_item",
]

TABLE_NAME: Final = "bench"
HASH_KEY: Final = "pk"
RANGE_KEY: Final = "sk"
#: The partition every query item lives in.
PARTITION: Final = "user-0001"
#: Items on one full Query page.
PAGE_ITEMS: Final = 1000
#: Keys in one BatchGetItem request (DynamoDB's most).
BATCH_GET_KEYS: Final = 100

# Pads each item to about 1 KB of JSON.
_BIO: Final = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
    "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure "
    "dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
    "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt "
    "mollit anim id est laborum. Sed ut perspiciatis unde omnis iste natus error."
)


def native_item(index: int, partition: str = PARTITION) -> dict[str, Any]:
    """Query item number ``index`` as Python values (numbers as ``Decimal``)."""
    return {
        HASH_KEY: partition,
        RANGE_KEY: Decimal(index),
        "name": f"User Name {index}",
        "email": f"user{index}@example.com",
        "age": Decimal(18 + index % 60),
        "balance": Decimal(f"{index * 37 % 100000}.{index % 100:02d}"),
        "active": index % 3 != 0,
        "tags": {f"tag-{(index + k) % 50}" for k in range(4)},
        "scores": {Decimal(index % 97 + k * 11) for k in range(4)},
        "history": ["login", Decimal(index), True, "purchase", Decimal("19.99")],
        "address": {
            "street": f"{index} Main Street",
            "city": "Springfield",
            "zip": Decimal(12345),
            "verified": False,
        },
        "bio": f"{index}: {_BIO}",
    }


def wire_item(index: int, partition: str = PARTITION) -> dict[str, Any]:
    """Query item number ``index`` as DynamoDB sends it."""
    return {
        HASH_KEY: {"S": partition},
        RANGE_KEY: {"N": str(index)},
        "name": {"S": f"User Name {index}"},
        "email": {"S": f"user{index}@example.com"},
        "age": {"N": str(18 + index % 60)},
        "balance": {"N": f"{index * 37 % 100000}.{index % 100:02d}"},
        "active": {"BOOL": index % 3 != 0},
        "tags": {"SS": sorted(f"tag-{(index + k) % 50}" for k in range(4))},
        "scores": {"NS": [str(index % 97 + k * 11) for k in range(4)]},
        "history": {
            "L": [
                {"S": "login"},
                {"N": str(index)},
                {"BOOL": True},
                {"S": "purchase"},
                {"N": "19.99"},
            ]
        },
        "address": {
            "M": {
                "street": {"S": f"{index} Main Street"},
                "city": {"S": "Springfield"},
                "zip": {"N": "12345"},
                "verified": {"BOOL": False},
            }
        },
        "bio": {"S": f"{index}: {_BIO}"},
    }


def query_page(count: int = PAGE_ITEMS, *, first: int = 0) -> dict[str, Any]:
    """A Query response body holding query items ``first`` .. ``first + count - 1``."""
    items = [wire_item(index) for index in range(first, first + count)]
    return {"Items": items, "Count": count, "ScannedCount": count}


def batch_get_response(count: int = BATCH_GET_KEYS) -> dict[str, Any]:
    """A BatchGetItem response body holding query items ``0 .. count - 1``, all found."""
    items = [wire_item(index) for index in range(count)]
    return {"Responses": {TABLE_NAME: items}, "UnprocessedKeys": {}}


# The wide item's 18 non-key attributes cycle through these kinds.
_WIDE_KINDS: Final = ("S", "N", "BOOL", "SS", "NS", "L", "M")


def _wide_name(position: int) -> str:
    return f"attr{position:02d}"


def native_wide_item(index: int = 0) -> dict[str, Any]:
    """A 20-attribute item (key + 18 attributes of every kind) as Python values."""
    item: dict[str, Any] = {HASH_KEY: f"wide-{index}", RANGE_KEY: Decimal(index)}
    for position in range(18):
        kind = _WIDE_KINDS[position % len(_WIDE_KINDS)]
        value: Any
        if kind == "S":
            value = f"value {position} of item {index}"
        elif kind == "N":
            value = Decimal(f"{position}.{index % 10}")
        elif kind == "BOOL":
            value = position % 2 == 0
        elif kind == "SS":
            value = {f"s{position}", f"t{position}"}
        elif kind == "NS":
            value = {Decimal(position), Decimal(position + 100)}
        elif kind == "L":
            value = [f"x{position}", Decimal(position)]
        else:
            value = {"label": f"m{position}", "count": Decimal(position)}
        item[_wide_name(position)] = value
    return item


def wire_wide_item(index: int = 0) -> dict[str, Any]:
    """:func:`native_wide_item` as DynamoDB sends it."""
    item: dict[str, Any] = {HASH_KEY: {"S": f"wide-{index}"}, RANGE_KEY: {"N": str(index)}}
    for position in range(18):
        kind = _WIDE_KINDS[position % len(_WIDE_KINDS)]
        value: Any
        if kind == "S":
            value = {"S": f"value {position} of item {index}"}
        elif kind == "N":
            value = {"N": f"{position}.{index % 10}"}
        elif kind == "BOOL":
            value = {"BOOL": position % 2 == 0}
        elif kind == "SS":
            value = {"SS": [f"s{position}", f"t{position}"]}
        elif kind == "NS":
            value = {"NS": [str(position), str(position + 100)]}
        elif kind == "L":
            value = {"L": [{"S": f"x{position}"}, {"N": str(position)}]}
        else:
            value = {"M": {"label": {"S": f"m{position}"}, "count": {"N": str(position)}}}
        item[_wide_name(position)] = value
    return item


def wire_profile_item(index: int) -> dict[str, Any]:
    """A user record of 20 attributes, as DynamoDB sends it."""
    return {
        HASH_KEY: {"S": f"user-{index:06d}"},
        RANGE_KEY: {"N": str(index)},
        "username": {"S": f"user{index}"},
        "display_name": {"S": f"User Number {index}"},
        "email": {"S": f"user{index}@example.com"},
        "created_at": {"S": "2026-01-15T10:20:30Z"},
        "updated_at": {"S": "2026-11-02T08:00:00Z"},
        "age": {"N": str(18 + index % 60)},
        "balance": {"N": f"{index % 10000}.{index % 100:02d}"},
        "score": {"N": str(index * 7 % 1000)},
        "active": {"BOOL": index % 2 == 0},
        "verified": {"BOOL": True},
        "country": {"S": "DE"},
        "language": {"S": "de-DE"},
        "tags": {"SS": ["alpha", "beta", f"t{index % 10}"]},
        "roles": {"SS": ["reader", "writer"]},
        "login_count": {"N": str(index % 500)},
        "last_ip": {"S": f"10.0.{index % 256}.{index % 200}"},
        "preferences": {
            "M": {
                "theme": {"S": "dark"},
                "notifications": {"BOOL": True},
                "page_size": {"N": "25"},
            }
        },
        "recent": {"L": [{"S": f"/items/{index}"}, {"S": "/home"}, {"S": "/settings"}]},
    }
