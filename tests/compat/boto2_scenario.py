"""A legacy boto 2 program exercising boto.dynamodb2's high-level API; it writes what it observes.

Plain boto 2.49 code: it runs unchanged under boto 2.49 and under dynamodb2 through the shim
(tests/compat/test_boto2_differential.py runs it both ways, each on a fresh dynalite, and
compares the two JSON files). Usage::

    python boto2_scenario.py http://127.0.0.1:8000 observations.json

Each step records either the value the caller got, described with its Python types
(``Decimal`` vs ``int``, ``set`` vs ``list``, ``bool``, ``Binary``...), or the error it
raised: which ``except`` clauses would catch it (every exception class of
``boto.exception`` and ``boto.dynamodb2.exceptions``, by name, and a few built-ins) and its
``status``, ``error_code`` and ``reason``.
"""

import json
import sys
from decimal import Decimal
from urllib.parse import urlsplit

import boto.dynamodb2.exceptions
import boto.exception
from boto.dynamodb.types import Binary
from boto.dynamodb2.fields import (
    AllIndex,
    GlobalAllIndex,
    GlobalKeysOnlyIndex,
    HashKey,
    KeysOnlyIndex,
    RangeKey,
)
from boto.dynamodb2.items import Item
from boto.dynamodb2.layer1 import DynamoDBConnection
from boto.dynamodb2.table import Table
from boto.dynamodb2.types import NUMBER, STRING

BUILTIN_CATCHERS = (
    ValueError,
    TypeError,
    KeyError,
    LookupError,
    AttributeError,
    RuntimeError,
    NotImplementedError,
    Exception,
)

observations = []


# ---------------------------------------------------------------------- describing


def describe(value):
    """A JSON form of ``value`` that keeps its Python types."""
    kind = type(value).__name__
    if value is None or isinstance(value, (bool, int, str)):
        return {"type": kind, "value": value}
    if isinstance(value, (Decimal, float)):
        return {"type": kind, "value": str(value)}
    if isinstance(value, bytes):
        return {"type": kind, "value": value.hex()}
    if isinstance(value, Binary):
        return {"type": kind, "value": bytes(value.value).hex()}
    if isinstance(value, (set, frozenset)):
        items = sorted(json.dumps(describe(item), sort_keys=True) for item in value)
        return {"type": kind, "items": [json.loads(item) for item in items]}
    if isinstance(value, (list, tuple)):
        return {"type": kind, "items": [describe(item) for item in value]}
    if isinstance(value, Item):
        # boto 2's Item iterates over its values, not its keys.
        keys = value.keys()
        return {"type": "Item", "items": {key: describe(value[key]) for key in keys}}
    if isinstance(value, dict):
        return {"type": kind, "items": {str(key): describe(item) for key, item in value.items()}}
    return {"type": kind, "repr": repr(value)}


def boto_exception_classes():
    """Every exception class the two boto exception modules offer, by name."""
    found = {}
    for module in (boto.exception, boto.dynamodb2.exceptions):
        for name in dir(module):
            candidate = getattr(module, name, None)
            if (
                isinstance(candidate, type)
                and issubclass(candidate, BaseException)
                and candidate.__module__.split(".")[0] in ("boto", "dynamodb2")
            ):
                found[f"{module.__name__}.{name}"] = candidate
    return found


BOTO_EXCEPTIONS = boto_exception_classes()


def describe_error(error):
    body = getattr(error, "body", None)
    return {
        "caught_by": sorted(
            name for name, cls in BOTO_EXCEPTIONS.items() if isinstance(error, cls)
        ),
        "builtins_caught_by": [cls.__name__ for cls in BUILTIN_CATCHERS if isinstance(error, cls)],
        "status": getattr(error, "status", None),
        "error_code": getattr(error, "error_code", None),
        "reason": getattr(error, "reason", None),
        "body_type": body.get("__type") if isinstance(body, dict) else None,
        "class": type(error).__name__,
        "message": str(error)[:300],
    }


def step(name, action):
    """Run one step; record its value or its error."""
    try:
        value = action()
    except Exception as error:
        observations.append({"step": name, "error": describe_error(error)})
    else:
        observations.append({"step": name, "value": describe(value)})


def keys_of(items, *names):
    return [[item[name] for name in names] for item in items]


def sorted_keys_of(items, *names):
    return sorted(keys_of(items, *names))


# ---------------------------------------------------------------------- the scenario


def main(url, output):
    parts = urlsplit(url)
    conn = DynamoDBConnection(
        host=parts.hostname,
        port=parts.port,
        is_secure=False,
        aws_access_key_id="scenario",
        aws_secret_access_key="scenario",
    )

    step("exception_classes", lambda: sorted(BOTO_EXCEPTIONS))

    # -- tables: created with an LSI and a GSI, then introspected without a schema
    users = Table.create(
        "users",
        schema=[HashKey("username"), RangeKey("joined", data_type=NUMBER)],
        throughput={"read": 5, "write": 5},
        indexes=[
            AllIndex("ByLastName", parts=[HashKey("username"), RangeKey("last_name")]),
            KeysOnlyIndex(
                "ByScore", parts=[HashKey("username"), RangeKey("score", data_type=NUMBER)]
            ),
        ],
        global_indexes=[
            GlobalAllIndex(
                "ByCity",
                parts=[HashKey("city"), RangeKey("joined", data_type=NUMBER)],
                throughput={"read": 1, "write": 1},
            ),
            GlobalKeysOnlyIndex("ByTeam", parts=[HashKey("team", data_type=STRING)]),
        ],
        connection=conn,
    )
    events = Table.create("events", schema=[HashKey("id", data_type=NUMBER)], connection=conn)
    step(
        "create.users.schema",
        lambda: [(type(f).__name__, f.name, f.data_type) for f in users.schema],
    )
    step("create.users.throughput", lambda: users.throughput)

    def introspected():
        table = Table("users", connection=conn)
        described = table.describe()
        info = described["Table"]
        return {
            "schema": [(type(f).__name__, f.name, f.data_type) for f in table.schema],
            "indexes": sorted((type(i).__name__, i.name) for i in table.indexes),
            "global_indexes": sorted((type(i).__name__, i.name) for i in table.global_indexes),
            "throughput": table.throughput,
            "status": info["TableStatus"],
            "key_schema": info["KeySchema"],
            "attributes": sorted(info["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
            "item_count": info.get("ItemCount"),
        }

    step("describe.introspected", introspected)
    step(
        "describe.second_create_refused",
        lambda: Table.create("users", schema=[HashKey("username")], connection=conn),
    )

    # -- put_item with and without overwrite; types going in and coming back
    alice = {
        "username": "alice",
        "joined": 1,
        "last_name": "Smith",
        "city": "Paris",
        "team": "red",
        "score": 10,
        "ratio": Decimal("0.25"),
        "big": Decimal("12345678901234567890.5"),
        "tags": {"a", "b"},
        "lucky": {3, 7},
        "blob": Binary(b"\x00\x01\xff"),
        "blobs": {Binary(b"\x01"), Binary(b"\x02")},
        "active": True,
        "retired": False,
        "profile": {"nested": {"x": 1, "list": [1, "two", Decimal("3.5")]}, "empty_map": {}},
        "history": [1, "two", {"three": 3}, [4]],
        "nothing": None,
        "empty_string": "",
        "empty_list": [],
    }
    step("put_item.new", lambda: users.put_item(data=dict(alice)))
    step("put_item.again_without_overwrite", lambda: users.put_item(data=dict(alice)))
    step("put_item.again_with_overwrite", lambda: users.put_item(data=dict(alice), overwrite=True))

    # -- reads of present and missing items
    step("get_item.present", lambda: users.get_item(username="alice", joined=1))
    step(
        "get_item.present_consistent_projected",
        lambda: users.get_item(
            username="alice", joined=1, consistent=True, attributes=["username", "city"]
        ),
    )
    step("get_item.missing", lambda: users.get_item(username="nobody", joined=1))
    step("lookup.present", lambda: users.lookup("alice", 1))
    step("lookup.missing", lambda: users.lookup("nobody", 1))
    step("has_item.present", lambda: users.has_item(username="alice", joined=1))
    step("has_item.missing", lambda: users.has_item(username="nobody", joined=1))
    step("new_item", lambda: users.new_item("carol", 5))

    # -- booleans: the default Table encodes them as numbers; use_boolean() as BOOL
    flags = Table(
        "users", schema=[HashKey("username"), RangeKey("joined", data_type=NUMBER)], connection=conn
    )
    flags.use_boolean()
    step(
        "use_boolean.put",
        lambda: flags.put_item(
            data={"username": "flags", "joined": 1, "yes": True, "no": False}, overwrite=True
        ),
    )
    step("use_boolean.get_with_boolean_table", lambda: flags.get_item(username="flags", joined=1))
    step("use_boolean.get_with_default_table", lambda: users.get_item(username="flags", joined=1))

    # -- Item: save, partial_save, conflicting saves, delete
    def item_lifecycle():
        seen = {}
        item = Item(users, data={"username": "dave", "joined": 2, "city": "Rome", "score": 3})
        seen["needs_save_new"] = item.needs_save()
        seen["save_new"] = item.save()
        seen["needs_save_after"] = item.needs_save()
        item["city"] = "Oslo"
        item["nickname"] = "D"
        seen["partial_save"] = item.partial_save()
        del item["nickname"]
        seen["partial_save_delete_attribute"] = item.partial_save()
        seen["partial_save_nothing"] = item.partial_save()
        seen["reloaded"] = describe(users.get_item(username="dave", joined=2, consistent=True))
        seen["get_keys"] = item.get_keys()
        seen["keys"] = sorted(item.keys())
        return seen

    step("item.lifecycle", item_lifecycle)

    def conflicting_save():
        first = users.get_item(username="dave", joined=2, consistent=True)
        second = users.get_item(username="dave", joined=2, consistent=True)
        first["city"] = "Lima"
        first.save()
        second["city"] = "Kyiv"
        return second.save()

    step("item.save_after_concurrent_change", conflicting_save)

    def overwrite_save():
        stale = users.get_item(username="dave", joined=2, consistent=True)
        users.get_item(username="dave", joined=2, consistent=True).partial_save()
        stale["city"] = "Quito"
        return stale.save(overwrite=True), users.get_item(username="dave", joined=2)["city"]

    step("item.save_overwrite", overwrite_save)

    def conflicting_partial_save():
        first = users.get_item(username="dave", joined=2, consistent=True)
        second = users.get_item(username="dave", joined=2, consistent=True)
        first["city"] = "Bern"
        first.partial_save()
        second["city"] = "Graz"
        return second.partial_save()

    step("item.partial_save_after_concurrent_change", conflicting_partial_save)
    step("item.delete", lambda: users.get_item(username="dave", joined=2).delete())
    step("item.deleted_is_gone", lambda: users.has_item(username="dave", joined=2, consistent=True))
    step("delete_item.missing", lambda: users.delete_item(username="nobody", joined=9))
    step(
        "delete_item.expected_fails",
        lambda: users.delete_item(expected={"city__eq": "Nowhere"}, username="alice", joined=1),
    )

    # -- many items through batch_write (more than 25 writes per request)
    def fill():
        with users.batch_write() as batch:
            for n in range(40):
                data = {
                    "username": "bob",
                    "joined": n,
                    "last_name": f"name{n % 7:02d}",
                    "city": ["Paris", "Rome", "Oslo"][n % 3],
                    "score": n * 10,
                    "label": f"label-{n}",
                    "tags": {f"t{n % 4}", "all"},
                }
                if n % 5 == 0:
                    data["flagged"] = "yes"
                batch.put_item(data=data)
        with users.batch_write() as batch:
            batch.delete_item(username="bob", joined=39)
        return users.query_count(username__eq="bob")

    step("batch_write.forty_puts_one_delete", fill)

    # -- every query operator on keys
    bob = {"username__eq": "bob"}
    for operator, value in (
        ("eq", 5),
        ("lt", 5),
        ("lte", 5),
        ("gt", 33),
        ("gte", 33),
        ("between", [10, 14]),
    ):
        step(
            f"query_2.joined__{operator}",
            lambda o=operator, v=value: keys_of(
                users.query_2(**bob, **{f"joined__{o}": v}), "joined"
            ),
        )
    step(
        "query_2.index_last_name__beginswith",
        lambda: keys_of(
            users.query_2(username__eq="bob", last_name__beginswith="name03", index="ByLastName"),
            "joined",
            "last_name",
        ),
    )
    step(
        "query_2.keys_only_index",
        lambda: [
            sorted(i.keys())
            for i in users.query_2(username__eq="bob", score__gte=300, index="ByScore")
        ],
    )
    step(
        "query_2.gsi",
        lambda: keys_of(users.query_2(city__eq="Oslo", joined__lt=20, index="ByCity"), "joined"),
    )
    step(
        "query_2.reverse_limit",
        lambda: keys_of(users.query_2(reverse=True, limit=3, **bob), "joined"),
    )
    step(
        "query_2.consistent_projected",
        lambda: [
            sorted(i.keys())
            for i in users.query_2(
                consistent=True, attributes=["username", "joined", "city"], limit=2, **bob
            )
        ],
    )
    step("query_2.limit", lambda: keys_of(users.query_2(limit=7, **bob), "joined"))
    step(
        "query_2.max_page_size",
        lambda: keys_of(users.query_2(limit=11, max_page_size=4, **bob), "joined"),
    )
    step("query_2.max_page_size_no_limit", lambda: len(list(users.query_2(max_page_size=6, **bob))))

    # -- every filter operator, through query_filter and scan
    for operator, value in (
        ("eq", "Rome"),
        ("ne", "Rome"),
        ("lt", "Paris"),
        ("lte", "Paris"),
        ("gt", "Paris"),
        ("gte", "Paris"),
        ("beginswith", "Pa"),
        ("in", ["Oslo", "Rome"]),
        ("between", ["Oslo", "Paris"]),
    ):
        step(
            f"query_filter.city__{operator}",
            lambda o=operator, v=value: keys_of(
                users.query_2(query_filter={f"city__{o}": v}, **bob), "joined"
            ),
        )
        step(
            f"scan.city__{operator}",
            lambda o=operator, v=value: sorted_keys_of(
                users.scan(**{f"city__{o}": v}), "username", "joined"
            ),
        )
    for operator, value in (("nnull", True), ("null", True), ("null", False)):
        step(
            f"scan.flagged__{operator}_{value}",
            lambda o=operator, v=value: sorted_keys_of(
                users.scan(**{f"flagged__{o}": v}), "username", "joined"
            ),
        )
    for operator, value in (("contains", "t1"), ("ncontains", "t1")):
        step(
            f"scan.tags__{operator}",
            lambda o=operator, v=value: sorted_keys_of(
                users.scan(**{f"tags__{o}": v}), "username", "joined"
            ),
        )
    step(
        "scan.score__gt_and_city",
        lambda: sorted_keys_of(users.scan(score__gt=200, city__eq="Oslo"), "joined"),
    )
    step(
        "query_filter.or",
        lambda: keys_of(
            users.query_2(
                query_filter={"city__eq": "Oslo", "score__lt": 50}, conditional_operator="OR", **bob
            ),
            "joined",
        ),
    )
    step("scan.limit", lambda: len(list(users.scan(limit=5))))
    step("scan.max_page_size", lambda: len(list(users.scan(max_page_size=3, limit=10))))
    step(
        "scan.projected",
        lambda: sorted(
            sorted(i.keys()) for i in users.scan(attributes=["username", "joined"], joined__lt=3)
        ),
    )
    step(
        "scan.segments",
        lambda: sorted(
            [
                i["joined"]
                for s in (0, 1)
                for i in users.scan(segment=s, total_segments=2, username__eq="bob")
            ]
        ),
    )
    step("query_count.all", lambda: users.query_count(username__eq="bob"))
    step("query_count.range", lambda: users.query_count(username__eq="bob", joined__gte=30))
    step(
        "query_count.filter",
        lambda: users.query_count(username__eq="bob", query_filter={"city__eq": "Rome"}),
    )
    step("count.estimate_type", lambda: type(users.count()).__name__)

    # -- batch_get past 100 keys, and through unprocessed keys
    def many_events():
        with events.batch_write() as batch:
            for n in range(130):
                batch.put_item(data={"id": n, "payload": f"p{n}", "even": n % 2 == 0})
        got = events.batch_get(keys=[{"id": n} for n in range(140)])
        return sorted(i["id"] for i in got)

    step("batch_get.past_100_keys", many_events)
    step(
        "batch_get.projected",
        lambda: sorted(
            sorted(i.keys())
            for i in events.batch_get(keys=[{"id": 1}, {"id": 2}], attributes=["id"])
        ),
    )
    step("batch_get.item_types", lambda: list(events.batch_get(keys=[{"id": 4}])))
    step(
        "batch_get.with_range_keys",
        lambda: sorted_keys_of(
            users.batch_get(keys=[{"username": "bob", "joined": n} for n in (1, 2, 3, 77)]),
            "joined",
        ),
    )

    # -- bad input that DynamoDB refuses (boto 2 sent it; DynamoDB answered)
    step("bad.key_of_wrong_type", lambda: users.get_item(username="alice", joined="one"))
    step("bad.missing_range_key", lambda: users.get_item(username="alice"))
    step(
        "bad.item_over_400_kb",
        lambda: users.put_item(data={"username": "big", "joined": 1, "blob": "x" * 410_000}),
    )
    step("bad.query_without_hash_key_condition", lambda: list(users.query_2(joined__gt=1)))
    step(
        "bad.batch_get_key_without_range_key",
        lambda: list(users.batch_get(keys=[{"username": "alice"}])),
    )
    step("bad.unknown_filter_operator", lambda: list(users.scan(city__like="P")))
    step(
        "bad.unknown_query_operator", lambda: list(users.query_2(username__eq="bob", joined__ne=1))
    )
    step("bad.empty_string_hash_key", lambda: users.put_item(data={"username": "", "joined": 1}))
    step("bad.empty_string_key_lookup", lambda: users.get_item(username="", joined=1))
    step("bad.unknown_index", lambda: list(users.query_2(username__eq="bob", index="Nope")))
    step("bad.missing_table_get", lambda: Table("missing", connection=conn).get_item(id=1))
    step(
        "bad.missing_table_put",
        lambda: Table("missing", schema=[HashKey("id")], connection=conn).put_item(
            data={"id": "x"}
        ),
    )
    step(
        "bad.number_too_large",
        lambda: users.put_item(data={"username": "huge", "joined": 1, "n": Decimal("1e200")}),
    )
    step(
        "bad.float_value", lambda: users.put_item(data={"username": "float", "joined": 1, "f": 1.1})
    )
    step(
        "bad.nan_value",
        lambda: users.put_item(data={"username": "nan", "joined": 1, "f": Decimal("NaN")}),
    )

    def duplicate_keys_in_one_batch():
        with events.batch_write() as batch:
            batch.put_item(data={"id": 500, "v": 1})
            batch.put_item(data={"id": 500, "v": 2})
        return events.get_item(id=500)["v"]

    step("bad.duplicate_keys_in_one_batch", duplicate_keys_in_one_batch)
    step("bad.delete_missing_table", lambda: Table("missing", connection=conn).delete())
    step("bad.query_count_without_hash_key", lambda: users.query_count(joined__gt=1))

    # -- table management
    step("update.throughput", lambda: users.update(throughput={"read": 6, "write": 6}))
    step("list_tables", lambda: sorted(conn.list_tables()["TableNames"]))
    step("delete.events", events.delete)

    with open(output, "w") as handle:
        json.dump(observations, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
