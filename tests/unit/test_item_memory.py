"""A held item costs about what a plain dict of its values does, and still knows exactly
what changed since it was loaded.

A decoded item drops the response's wire form and keeps its loaded values beside the
current ones (shared where they cannot change, frozen where they can); the wire form is
rebuilt, tag for tag, when a write needs it. A result set decodes the items of a page
that are still held when it drops the page; the others are never decoded.
"""

from __future__ import annotations

import copy
from typing import Any, Final

import pytest
from benchmarks.data import HASH_KEY, RANGE_KEY, TABLE_NAME, wire_item, wire_profile_item
from benchmarks.memory import HELD_ITEM_VARIANTS, ScanPages, held_items
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamodb2 import Table
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item, wire_equal
from dynamodb2.transport import HttpRequest, HttpResponse
from dynamodb2.types import (
    NUMBER,
    Dynamizer,
    NativeNumberDynamizer,
    NonBooleanDynamizer,
    NonBooleanNativeNumberDynamizer,
)
from tests.support.fakes import connection, json_response

DYNAMIZERS = [
    Dynamizer,
    NonBooleanDynamizer,
    NativeNumberDynamizer,
    NonBooleanNativeNumberDynamizer,
]


def _table(dynamizer: Dynamizer | None = None, pages: ScanPages | None = None) -> Table:
    def answer(request: HttpRequest) -> HttpResponse:
        assert pages is not None
        return json_response(pages(request.body))

    table = Table(
        TABLE_NAME,
        schema=[HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)],
        connection=connection(answer),
    )
    if dynamizer is not None:
        table._dynamizer = dynamizer
    return table


def _loaded(table: Table, wire: dict[str, Any], *, read: bool = True) -> Item:
    """An item from ``wire`` (read first, or not), settled as a result set settles the
    items still held when it drops their page: the wire form is dropped."""
    item = Item.from_wire(table, copy.deepcopy(wire), operation="Scan")
    if read:
        item.values()
    item._settle()
    assert item._wire is None
    return item


def test_held_items_cost_at_most_one_and_a_half_times_boto3s_dicts() -> None:
    measured = held_items(1000)

    for variant in HELD_ITEM_VARIANTS[1:]:
        assert measured.ratio(variant) <= 1.5, (variant, measured.bytes_per_item)


@pytest.mark.parametrize("dynamizer_class", DYNAMIZERS)
@pytest.mark.parametrize("wire", [wire_item(3), wire_profile_item(4)], ids=["query", "profile"])
def test_a_decoded_item_rebuilds_the_wire_form_it_was_loaded_with(
    dynamizer_class: type[Dynamizer], wire: dict[str, Any]
) -> None:
    item = _loaded(_table(dynamizer_class()), wire)

    snapshot = item._snapshot
    assert list(snapshot) == list(wire)
    for name, value in wire.items():
        # The same type tags (a BOOL stays a BOOL on a table that writes 1 and 0) and the
        # same data (sets in any order, numbers by value).
        assert list(snapshot[name]) == list(value), name
        assert wire_equal(snapshot[name], value), name
    assert not item.needs_save()


attribute_values = st.recursive(
    st.one_of(
        st.text(max_size=6).map(lambda text: {"S": text}),
        st.integers(-(10**30), 10**30).map(lambda number: {"N": str(number)}),
        st.decimals(places=3, min_value=-1000, max_value=1000).map(lambda d: {"N": str(d)}),
        st.booleans().map(lambda flag: {"BOOL": flag}),
        st.just({"NULL": True}),
        st.binary(min_size=1, max_size=4).map(
            lambda data: {"B": __import__("base64").b64encode(data).decode()}
        ),
        st.sets(st.text(max_size=4), min_size=1, max_size=3).map(lambda s: {"SS": sorted(s)}),
        st.sets(st.integers(-99, 99), min_size=1, max_size=3).map(
            lambda s: {"NS": [str(n) for n in sorted(s)]}
        ),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(lambda values: {"L": values}),
        st.dictionaries(st.text(max_size=4), children, max_size=3).map(lambda m: {"M": m}),
    ),
    max_leaves=8,
)
wire_items = st.dictionaries(st.text(min_size=1, max_size=5), attribute_values, max_size=6).map(
    lambda item: {HASH_KEY: {"S": "k"}, RANGE_KEY: {"N": "1"}, **item}
)


@pytest.mark.parametrize("dynamizer_class", DYNAMIZERS)
@settings(max_examples=150, deadline=None)
@given(wire=wire_items, read=st.booleans())
def test_any_loaded_item_rebuilds_its_wire_form_tag_for_tag(
    dynamizer_class: type[Dynamizer], wire: dict[str, Any], read: bool
) -> None:
    item = _loaded(_table(dynamizer_class()), wire, read=read)

    snapshot = item._snapshot
    assert snapshot.keys() == wire.keys()
    for name, value in wire.items():
        assert _tags(snapshot[name]) == _tags(value), name
        assert wire_equal(snapshot[name], value), name


def _tags(value: Any) -> Any:
    """The type tags of an attribute value, nested (sets' and maps' members in order)."""
    ((tag, payload),) = value.items()
    if tag == "L":
        return (tag, [_tags(member) for member in payload])
    if tag == "M":
        return (tag, {name: _tags(member) for name, member in payload.items()})
    return tag


#: Changes to a loaded item (wire_item(5)), and the attribute each changes.
CHANGES: Final[list[tuple[Any, str]]] = [
    (lambda item: item["tags"].add("new"), "tags"),
    (lambda item: item["history"].append("more"), "history"),
    (lambda item: item["address"].update(city="Shelbyville"), "address"),
    (lambda item: item["address"].__setitem__("zip", 999), "address"),
    (lambda item: item.__setitem__("name", "Changed"), "name"),
    (lambda item: item._data.__setitem__("name", "Changed"), "name"),
    (lambda item: item._data.pop("email"), "email"),
]
CHANGE_IDS: Final = [
    "set",
    "list",
    "map",
    "map-member",
    "replaced",
    "data-written-directly",
    "data-popped",
]


@pytest.mark.parametrize(("change", "attribute"), CHANGES, ids=CHANGE_IDS)
def test_changes_made_in_place_after_settling_are_seen(change: Any, attribute: str) -> None:
    table = _table()
    item = _loaded(table, wire_item(5))
    assert not item.needs_save()

    change(item)

    assert item.needs_save()
    alterations = item._determine_alterations()
    changed = {*alterations["adds"], *alterations["changes"], *alterations["deletes"]}
    assert changed == {attribute}
    # The loaded value is still what was loaded.
    assert item._orig_data == table.dynamizer.decode_item(wire_item(5))


@pytest.mark.parametrize(("change", "attribute"), CHANGES, ids=CHANGE_IDS)
def test_changes_made_in_place_before_a_read_item_settles_are_not_taken_for_loaded_values(
    change: Any, attribute: str
) -> None:
    # Settling a read item keeps the values its read decoded where they cannot change,
    # and decodes sets, lists and maps again: a change made in place before is a change.
    table = _table()
    item = Item.from_wire(table, copy.deepcopy(wire_item(5)), operation="Scan")
    item.values()
    change(item)

    item._settle()

    assert item._wire is None
    alterations = item._determine_alterations()
    changed = {*alterations["adds"], *alterations["changes"], *alterations["deletes"]}
    assert changed == {attribute}
    assert item._orig_data == table.dynamizer.decode_item(wire_item(5))
    snapshot = item._snapshot
    assert snapshot.keys() == wire_item(5).keys()
    assert all(wire_equal(snapshot[name], value) for name, value in wire_item(5).items())


@pytest.mark.parametrize(
    "value",
    [
        {"M": {"k": {"S": "v"}}, "L": [{"S": "w"}]},
        {"L": [{"S": "w"}], "SS": ["a"]},
        {"M": {"k": {"N": "1"}}, "NS": ["2"]},
        {"S": {"k": {"S": "v"}}, "M": {"j": {"S": "w"}}},
    ],
    ids=["M+L", "L+SS", "M+NS", "S-holding-a-map+M"],
)
def test_a_value_with_two_tags_settles_as_the_read_decoded_it(value: dict[str, Any]) -> None:
    # DynamoDB never sends one, but nothing refuses it: settling takes the tag the read
    # took, so the item is not taken for changed.
    table = _table()
    wire: dict[str, Any] = {HASH_KEY: {"S": "k"}, RANGE_KEY: {"N": "1"}, "x": value}
    (item,) = Item._from_wire_page(table, [copy.deepcopy(wire)], partial=False, operation="Scan")
    read = item["x"]

    item._settle()

    assert not item.needs_save()
    assert item._orig_data["x"] == read
    assert item._snapshot["x"] == table.dynamizer.encode(read)


def test_only_the_items_of_a_page_keep_their_first_decoding_for_settling() -> None:
    table = _table()
    single = Item.from_wire(table, copy.deepcopy(wire_item(5)), operation="GetItem")
    (paged,) = Item._from_wire_page(
        table, [copy.deepcopy(wire_item(5))], partial=False, operation="Scan"
    )
    single.values()
    paged.values()

    # An item read alone (get_item) keeps nothing more; a page's item keeps the values
    # its read decoded, the same objects, until it settles.
    assert single._original is None
    assert paged._original == tuple(paged._data.values())
    assert all(a is b for a, b in zip(paged._original, paged._data.values(), strict=True))


def test_a_result_set_decodes_only_the_items_still_held_when_it_drops_a_page() -> None:
    pages = ScanPages(30, page_size=10, item=wire_profile_item)
    table = _table(pages=pages)

    held = []
    for number, item in enumerate(table.scan()):
        if number % 10 == 3:
            held.append(item)

    # Held: decoded as their page was dropped (or the scan ended), wire form gone.
    assert len(held) == 3
    assert all(item._wire is None and item._original is not None for item in held)
    assert [item["username"] for item in held] == ["user3", "user3", "user3"]
    assert not any(item.needs_save() for item in held)


def test_items_nobody_holds_are_not_decoded_when_their_page_is_dropped() -> None:
    pages = ScanPages(30, page_size=10, item=wire_profile_item)
    table = _table(pages=pages)
    decoded = []
    original_settle = Item._settle

    def settle(item: Item) -> None:
        decoded.append(item)
        original_settle(item)

    results = table.scan()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Item, "_settle", settle)
        count = sum(1 for _item in results)

    assert count == 30
    # At most the item the loop's variable still held as each page was dropped.
    assert len(decoded) <= 3


def test_changes_made_before_settling_are_still_changes() -> None:
    table = _table()
    item = Item.from_wire(table, copy.deepcopy(wire_item(5)), operation="Scan")
    item["tags"].add("new")
    item["name"] = "Changed"

    item._settle()

    alterations = item._determine_alterations()
    assert set(alterations["changes"]) == {"tags", "name"}
    assert item._orig_data == table.dynamizer.decode_item(wire_item(5))


def test_an_item_with_another_dynamizer_keeps_its_wire_form() -> None:
    class Custom(Dynamizer):
        def decode_number(self, text: str) -> Any:
            return float(text)

    item = Item.from_wire(_table(Custom()), copy.deepcopy(wire_item(5)), operation="Scan")
    item._settle()

    assert item._wire == wire_item(5)


def test_the_items_of_a_page_are_made_as_from_wire_makes_them() -> None:
    table = _table(pages=ScanPages(3, page_size=3))

    seen = []
    for number, item in enumerate(table.scan(attributes=["pk", "sk", "name"])):
        # As handed out: the response's own dict, undecoded until read, read with only
        # some attributes and by a Scan.
        seen.append(
            (item._wire == wire_item(number), item._values is None, item.is_partial, item._source)
        )
        assert item["sk"] == number

    assert seen == [(True, True, True, "Scan")] * 3


def test_an_item_class_with_its_own_from_wire_makes_every_item_of_a_page() -> None:
    made = []

    class Tracked(Item):
        __slots__ = ()

        @classmethod
        def from_wire(cls, *args: Any, **kwargs: Any) -> Tracked:
            item = super().from_wire(*args, **kwargs)
            made.append(item)
            return item

    table = _table(pages=ScanPages(3, page_size=3))
    table._item_class = Tracked

    scanned = list(table.scan())

    assert made == scanned
    assert len(scanned) == 3
