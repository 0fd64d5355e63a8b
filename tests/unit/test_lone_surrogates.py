"""Lone surrogates another client stored are read back and written back exactly.

boto3 (and boto 2) write a lone surrogate (``"a\\ud800"``) as the JSON escape
``\\ud800``, and DynamoDB implementations hand it back the same way. orjson refuses such
JSON, which made every Scan of a table holding one fail with "not valid JSON"; such
bodies are now decoded by the standard library. This package writes one back as boto3
does, as its ``\\u`` escape, so an item holding one can be saved, updated and deleted
through ``Item``, and dumped and loaded by the CLI. Refused before sending: a surrogate
*pair* held as two code points, whose escapes JSON reads back as one character. See
docs/reliability.md.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, Final

import pytest

from dynamodb2 import _json
from dynamodb2._wire import EncodedItem
from dynamodb2.exceptions import BatchWriteError, ParameterValidationError, UnsupportedTypeError
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.items import Item
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.table import Table
from dynamodb2.transport import HttpRequest, HttpResponse
from dynamodb2.types import Dynamizer, _encode_item_bounded
from tests.support.backends import ACCESS_KEY, REGION, SECRET_KEY, Backend, shared_botocore_session
from tests.support.fakes import fake_connection
from tests.support.table_support import create_table

#: An attribute name and string values holding lone surrogates, high and low.
NAME: Final = "name\ud800"
HASH: Final = "key\udc00"
VALUE: Final = "value\udbff end"
#: The same item as another client (boto3) would write it, in wire form.
WIRE_ITEM: Final[dict[str, Any]] = {
    "id": {"S": HASH},
    "n": {"N": "1"},
    NAME: {"S": VALUE},
    "doc": {"M": {NAME: {"L": [{"S": VALUE}, {"SS": [VALUE, "plain"]}]}}},
}
ITEM: Final[dict[str, Any]] = {
    "id": HASH,
    "n": 1,
    NAME: VALUE,
    "doc": {NAME: [VALUE, {VALUE, "plain"}]},
}


# --------------------------------------------------------------------------- the codec


def _codec_without_orjson(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A private copy of dynamodb2._json loaded as if orjson were not installed."""
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson raises ImportError
    spec = importlib.util.spec_from_file_location("dynamodb2._json_without_orjson", _json.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.BACKEND == "json"
    return module


@pytest.fixture(params=["installed", "json"])
def codec(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The codec in use (orjson, where installed), and the standard library's."""
    if request.param == "json":
        return _codec_without_orjson(monkeypatch)
    return _json


def test_json_with_lone_surrogate_escapes_decodes_whatever_the_codec(codec: ModuleType) -> None:
    body = b'{"Items":[{"a\\ud800":{"S":"\\udc00b"}}],"Count":1}'

    assert codec.loads(body) == {"Items": [{"a\ud800": {"S": "\udc00b"}}], "Count": 1}


@pytest.mark.parametrize(
    "body",
    [
        '{"a": [1, "é"]}'.encode(),
        '{"a": [1, "é"]}'.encode("utf-16"),
        # No byte order mark: "{" then a zero byte is UTF-16-LE or UTF-32-LE, not UTF-8.
        '{"a": [1, "é"]}'.encode("utf-16-le"),
        '{"a": [1, "é"]}'.encode("utf-16-be"),
        '{"a": [1, "é"]}'.encode("utf-32-le"),
        '{"a": [1, "é"]}'.encode("utf-8-sig"),
        '{"a": [1, "é"]}',
        bytearray(b'{"a": [1, "\\u00e9"]}'),
    ],
)
def test_the_codec_reads_what_json_loads_reads(codec: ModuleType, body: bytes | str) -> None:
    assert codec.loads(body) == json.loads(body) == {"a": [1, "é"]}


@pytest.mark.parametrize("body", [b'{"a": 1} \n\t\r', b' {"a": 1}', b'\n{"a":1}', '{"a": 1}  '])
def test_whitespace_around_the_object_is_read_as_json_loads_reads_it(
    codec: ModuleType, body: bytes | str
) -> None:
    assert codec.loads(body) == json.loads(body) == {"a": 1}


def test_the_json_codec_refuses_a_byte_order_mark_in_text_as_json_loads_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codec = _codec_without_orjson(monkeypatch)
    with pytest.raises(ValueError, match="BOM"):
        codec.loads('\ufeff{"a": 1}')


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": "b"',
        b"\xff",
        b'{"a": "\xed\xa0"}',
        b'{"a": 1} x',
        b'{"a": 1}{}',
        b"{",
        b"{}\x00",
    ],
)
def test_what_is_not_json_is_still_refused(codec: ModuleType, body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each codec words it its own way
        codec.loads(body)


@pytest.mark.parametrize(
    "body",
    [
        {0: None},
        {"Key": {"id": {"S": "a"}}, "ExpressionAttributeValues": {None: {"S": "b"}}},
        {"Items": [{"a": {"L": [{"M": {True: {"S": "c"}}}]}}]},
        {"Items": ({"a": {1.5: "x"}},)},
        {"Item": {"a": {0: {"S": "x"}}}},  # an attribute value's key
        {"Item": {"a": {"M": {"b": {"S": "c"}, 2: {"S": "d"}}}}},
        {"Item": {"a": {"L": [[{"b": 1}], ({None: 1},)]}}},  # lists in lists
        {"Item": {"a": {"SS": ["x"], "M": {"ok": {False: "y"}}}}},
    ],
)
def test_a_key_that_is_not_a_string_is_refused_whatever_the_codec(
    codec: ModuleType, body: dict[object, object]
) -> None:
    # json alone would write it as a string key ("0", "null", "true"): the same body is
    # refused with orjson and sent without it.
    with pytest.raises(TypeError, match="Dict key must be str"):
        codec.dumps(body)


@pytest.fixture
def json_codec_in_use(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The standard library's codec, installed as the one requests are written with."""
    codec = _codec_without_orjson(monkeypatch)
    monkeypatch.setattr(_json, "dumps", codec.dumps)
    return codec


def test_with_the_json_codec_non_string_keys_are_refused_on_every_path_before_sending(
    json_codec_in_use: ModuleType,
) -> None:
    # An item the package encoded is not walked by the codec (its encoder refuses such
    # keys itself, naming the attribute); wire data given to layer1, to boto 2's helpers
    # or to a batch's lists is walked, around such items and after them.
    connection, transport = fake_connection(lambda _operation, _body: {})
    table = Table("things", schema=[HashKey("id")], connection=connection)
    layer1 = DynamoDBConnection(connection=connection)
    nested = {"id": {"S": "a"}, "doc": {"M": {"m": {"M": {1: {"S": "x"}}}}}}
    not_json = r"cannot be sent as JSON \(Dict key must be str"

    with pytest.raises(UnsupportedTypeError, match=r"attribute 'doc\.m': map keys must be str"):
        table.put_item(data={"id": "a", "doc": {"m": {1: "x"}}})
    with pytest.raises(ParameterValidationError, match=not_json):
        layer1.put_item("things", nested)
    with pytest.raises(ParameterValidationError, match=not_json):
        table._put_item(nested)  # boto 2's helper, given wire data
    with pytest.raises(ParameterValidationError, match=not_json):
        table._update_item({"id": "a"}, {"n": {"Action": "PUT", "Value": nested["doc"]}})
    with pytest.raises(ParameterValidationError, match=not_json):
        table._put_item({"id": {"S": "a"}}, expects={"id": {"Value": nested["doc"]}})
    batch = table.batch_write()
    batch._unprocessed.append(nested)  # boto 2 code queueing a write in wire form
    with pytest.raises(BatchWriteError, match=not_json):
        batch.flush()
    assert transport.calls == 0

    assert table.put_item(data={"id": "a", "doc": {"m": {"1": "x"}}}) is True
    with pytest.raises(ParameterValidationError, match=not_json):
        layer1.put_item("things", nested)
    assert [body["Item"] for body in transport.bodies("PutItem")] == [
        {"id": {"S": "a"}, "doc": {"M": {"m": {"M": {"1": {"S": "x"}}}}}}
    ]


def test_with_the_json_codec_a_body_sent_while_another_call_runs_is_walked(
    json_codec_in_use: ModuleType,
) -> None:
    # A transport that records each request through a connection of its own: what it
    # sends is checked as any body given to a Connection, whatever call it runs in.
    audit, audit_transport = fake_connection(lambda _operation, _body: {})
    audited: list[BaseException] = []

    def responder(_operation: str, _body: dict[str, Any]) -> dict[str, Any]:
        try:
            audit.call("PutItem", {"TableName": "audit", "Item": {"n": {"M": {1: {"S": "x"}}}}})
        except ParameterValidationError as error:
            audited.append(error)
        return {}

    connection, _transport = fake_connection(responder)
    table = Table("things", schema=[HashKey("id")], connection=connection)

    assert table.put_item(data={"id": "a"}, overwrite=True) is True
    assert len(audited) == 1
    assert "Dict key must be str" in str(audited[0])
    assert audit_transport.calls == 0


def test_the_items_that_writes_send_reach_the_codec_still_marked_as_encoded(
    json_codec_in_use: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Table.put_item and Item.save (through the table's own _put_item, boto 2's seam)
    # send the item the package encoded: the codec skips its walk.
    sent: list[Any] = []
    encode: Callable[[Any], bytes] = json_codec_in_use.dumps

    def dumps(body: Any) -> bytes:
        sent.append(body.get("Item"))
        return encode(body)

    monkeypatch.setattr(_json, "dumps", dumps)
    connection, _transport = fake_connection(lambda _operation, _body: {})
    table = Table("things", schema=[HashKey("id")], connection=connection)

    table.put_item(data={"id": "a", "doc": {"m": [1]}}, overwrite=True)
    table.put_item(data={"id": "b"})
    Item(table, data={"id": "c", "n": 1}).save()

    assert [type(item) for item in sent] == [EncodedItem] * 3
    assert sent[0] == {"id": {"S": "a"}, "doc": {"M": {"m": {"L": [{"N": "1"}]}}}}


def test_only_items_the_package_encodes_for_itself_are_marked_as_not_to_be_walked() -> None:
    class Hooked(Dynamizer):  # a boto 2 hook: its output is the subclass's, unchecked
        def _encode_s(self, attr: str) -> str:
            return attr.upper()

    item = {"id": "a", "n": 1, "doc": {"m": [1, "x"]}}

    own, _bound = _encode_item_bounded(Dynamizer(), item, drop_empty=True)
    hooked, _bound = _encode_item_bounded(Hooked(), item, drop_empty=True)
    # What public methods hand out is a plain dict: its caller may change it.
    public = Dynamizer().encode_item(item)
    prepared = Item(_plain_table(), data=item).prepare_full()

    assert type(own) is EncodedItem
    assert own == {
        "id": {"S": "a"},
        "n": {"N": "1"},
        "doc": {"M": {"m": {"L": [{"N": "1"}, {"S": "x"}]}}},
    }
    assert type(hooked) is dict
    assert hooked["id"] == {"S": "A"}
    assert type(public) is dict
    assert public == own
    assert type(prepared) is dict
    assert prepared == own


def _plain_table() -> Table:
    connection, _transport = fake_connection(lambda _operation, _body: {})
    return Table("things", schema=[HashKey("id")], connection=connection)


def _nested_int_key(data: dict[str, Any]) -> None:
    data["extra"] = {"M": {1: {"S": "x"}}}


def test_with_the_json_codec_items_changed_by_boto2_style_code_are_walked(
    json_codec_in_use: ModuleType,
) -> None:
    # An item the package encoded that other code then changes (boto 2's prepare_full
    # and _put_item, a _put_item override, one patched on the table) is checked as any
    # wire data: a non-string key is refused, as orjson refuses it.
    not_json = r"cannot be sent as JSON \(Dict key must be str"
    table = _plain_table()
    prepared = Item(table, data={"id": "a"}).prepare_full()
    _nested_int_key(prepared)
    with pytest.raises(ParameterValidationError, match=not_json):
        table._put_item(prepared)

    class Stamping(Table):
        def _put_item(self, item_data: Any, expects: Any = None) -> Any:
            _nested_int_key(item_data)  # in place, then passed on
            return super()._put_item(item_data, expects)

    class Copying(Table):
        def _put_item(self, item_data: Any, expects: Any = None) -> Any:
            stamped = copy.copy(item_data)  # a copy (still of the same class), changed
            _nested_int_key(stamped)
            return super()._put_item(stamped, expects)

    connection, transport = fake_connection(lambda _operation, _body: {})
    for table_class in (Stamping, Copying):
        stamping = table_class("things", schema=[HashKey("id")], connection=connection)
        with pytest.raises(ParameterValidationError, match=not_json):
            stamping.put_item(data={"id": "b"}, overwrite=True)
        with pytest.raises(ParameterValidationError, match=not_json):
            stamping.put_item(data={"id": "b"})  # with the save's condition
        with pytest.raises(ParameterValidationError, match=not_json):
            Item(stamping, data={"id": "c"}).save()

    patched = _plain_table()
    original = patched._put_item

    def stamp(item_data: Any, expects: Any = None) -> Any:
        _nested_int_key(item_data)
        return original(item_data, expects)

    patched._put_item = stamp  # type: ignore[method-assign]
    with pytest.raises(ParameterValidationError, match=not_json):
        patched.put_item(data={"id": "d"}, overwrite=True)

    # Patched on the class (as a test or a tracing library patches it), not on a table.
    table_own = Table._put_item

    def stamp_on_class(self: Table, item_data: Any, expects: Any = None) -> Any:
        _nested_int_key(item_data)
        return table_own(self, item_data, expects)

    with pytest.MonkeyPatch.context() as class_patch:
        class_patch.setattr(Table, "_put_item", stamp_on_class)
        with pytest.raises(ParameterValidationError, match=not_json):
            _plain_table().put_item(data={"id": "e"}, overwrite=True)
        with pytest.raises(ParameterValidationError, match=not_json):
            Item(_plain_table(), data={"id": "f"}).save()
    assert transport.calls == 0


def test_a_write_to_another_table_inside_a_put_item_override_is_its_own(
    json_codec_in_use: ModuleType,
) -> None:
    # What a save carries beside its _put_item call is for that table only: another
    # Table (even of the same name: a replica) written to inside the override sends
    # what it is given, unconditionally as boto 2 did, checked as any wire data.
    sent: list[dict[str, Any]] = []

    def record(_operation: str, body: dict[str, Any]) -> dict[str, Any]:
        sent.append(body)
        return {}

    connection, _transport = fake_connection(record)
    replica = Table("things", schema=[HashKey("id")], connection=connection)

    class Mirroring(Table):
        def _put_item(self, item_data: Any, expects: Any = None) -> Any:
            replica._put_item({"id": {"S": "audit"}})
            return super()._put_item(item_data, expects)

    mirroring = Mirroring("things", schema=[HashKey("id")], connection=connection)
    mirroring.put_item(data={"id": "a"})  # under the condition that no item "a" exists

    audit, own = sent
    assert audit["Item"] == {"id": {"S": "audit"}}
    assert "ConditionExpression" not in audit
    assert own["Item"] == {"id": {"S": "a"}}
    assert "attribute_not_exists" in own["ConditionExpression"]

    class Forwarding(Table):
        def _put_item(self, item_data: Any, expects: Any = None) -> Any:
            _nested_int_key(item_data)
            return replica._put_item(item_data, expects)

    forwarding = Forwarding("things", schema=[HashKey("id")], connection=connection)
    with pytest.raises(ParameterValidationError, match=r"Dict key must be str"):
        forwarding.put_item(data={"id": "b"}, overwrite=True)


def test_str_keys_at_any_depth_encode_the_same_whatever_the_codec(codec: ModuleType) -> None:
    body = {"Items": [{"a": {"L": [{"M": {"b": {"S": "c"}}}]}}], "Count": 1}

    assert json.loads(codec.dumps(body)) == body


def test_json_nested_too_deeply_for_the_codec_is_refused_as_not_json(codec: ModuleType) -> None:
    # Not a RecursionError: the standard library's decoder, orjson's fallback, recurses.
    depth = 100_000
    try:
        decoded = codec.loads(b"[" * depth + b"]" * depth)
    except ValueError:
        return
    for _level in range(depth - 1):  # a codec that can decodes it whole
        (decoded,) = decoded
    assert decoded == []


def test_an_object_nested_too_deeply_for_the_codec_is_refused_as_not_json(
    codec: ModuleType,
) -> None:
    depth = 100_000
    with pytest.raises(ValueError):  # noqa: PT011 - each codec words it its own way
        codec.loads(b'{"a":' * depth + b"{}" + b"}" * depth)


def test_a_lone_surrogate_is_written_as_its_json_escape_as_boto3_writes_it(
    codec: ModuleType,
) -> None:
    body = {"Item": {"a\ud800": {"S": "\udc00b é"}}}

    written = codec.dumps(body)

    assert b"\\ud800" in written
    assert b"\\udc00" in written
    assert json.loads(written) == body
    assert written == json.dumps(body, separators=(",", ":")).encode()


# --------------------------------------------------------------------------- a scripted table


def _sorted_sets(value: Any) -> Any:
    """A wire value with its string sets sorted, to compare with set order aside."""
    if isinstance(value, dict):
        return {
            tag: sorted(inner) if tag == "SS" else _sorted_sets(inner)
            for tag, inner in value.items()
        }
    if isinstance(value, list):
        return [_sorted_sets(inner) for inner in value]
    return value


class _ScriptedTable:
    """A table answering a Scan with WIRE_ITEM (as boto3 and dynalite write it) and
    anything else with ``{}``; keeps every request body sent."""

    def __init__(self) -> None:
        from dynamodb2.connection import Connection

        self.sent: list[tuple[str, bytes]] = []
        connection = Connection(
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            session=shared_botocore_session(),
            transport=self._answer,
        )
        self.table = Table("things", schema=[HashKey("id")], connection=connection)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        self.sent.append((request.operation, request.body))
        if request.operation == "Scan":
            # Exactly what boto3's JSON (and moto's and dynalite's answers) look like.
            body = json.dumps({"Items": [WIRE_ITEM], "Count": 1, "ScannedCount": 1}).encode()
            assert b"\\ud800" in body
            return HttpResponse(200, {}, body)
        return HttpResponse(200, {}, b"{}")

    def last(self, operation: str) -> dict[str, Any]:
        """The last body sent for ``operation``, as botocore would read it; the body is
        ASCII JSON, each lone surrogate written as boto3 writes it."""
        operations = [body for sent, body in self.sent if sent == operation]
        assert operations, f"no {operation} was sent"
        body = operations[-1]
        assert body.isascii()
        decoded: dict[str, Any] = json.loads(body)
        assert body == json.dumps(decoded, separators=(",", ":")).encode()
        return decoded


def test_a_scan_of_an_item_with_lone_surrogates_reads_them() -> None:
    (item,) = list(_ScriptedTable().table.scan())

    assert dict(item) == ITEM


def test_an_item_with_lone_surrogates_is_saved_back_exactly() -> None:
    scripted = _ScriptedTable()
    (item,) = list(scripted.table.scan())

    assert item.save(overwrite=True)

    sent = scripted.last("PutItem")
    assert _sorted_sets(sent["Item"]) == _sorted_sets(WIRE_ITEM)


def test_an_item_with_lone_surrogates_is_partially_saved_exactly() -> None:
    scripted = _ScriptedTable()
    (item,) = list(scripted.table.scan())
    item[NAME] = "new\udc01"

    assert item.partial_save()

    sent = scripted.last("UpdateItem")
    assert sent["Key"] == {"id": {"S": HASH}}
    assert NAME in sent["ExpressionAttributeNames"].values()
    values = list(sent["ExpressionAttributeValues"].values())
    assert {"S": "new\udc01"} in values
    assert {"S": VALUE} in values  # the value the update is conditioned on, as read


def test_an_item_with_lone_surrogates_is_deleted_by_its_exact_key() -> None:
    scripted = _ScriptedTable()
    (item,) = list(scripted.table.scan())

    assert item.delete()

    assert scripted.last("DeleteItem")["Key"] == {"id": {"S": HASH}}


@pytest.mark.parametrize(
    "pair",
    [chr(high) + chr(low) for high, low in [(0xD83D, 0xDE00), (0xD800, 0xDC00), (0xDBFF, 0xDFFF)]],
    ids=["emoji", "first", "last"],
)
def test_a_surrogate_pair_held_as_two_code_points_is_refused_before_sending(pair: str) -> None:
    # JSON reads the two escapes back as the one character they encode: the text would
    # not come back as written.
    scripted = _ScriptedTable()
    (item,) = list(scripted.table.scan())
    item["doc"] = {"inner": ["x" + pair]}

    with pytest.raises(ParameterValidationError, match="surrogate pair") as refused:
        item.save(overwrite=True)
    with pytest.raises(ParameterValidationError, match="surrogate pair"):
        scripted.table.get_item(id=pair)

    assert refused.value.attribute == "doc.inner[0]"
    assert [operation for operation, _body in scripted.sent] == ["Scan"]


# --------------------------------------------------------------------------- every backend


@pytest.fixture
def other_client(backend: Backend) -> Iterator[Any]:
    """A botocore client: the "other client" that writes lone surrogates (as boto3)."""
    client = shared_botocore_session().create_client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=backend.endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    yield client
    client.close()


def test_names_and_values_with_lone_surrogates_round_trip(
    backend: Backend, other_client: Any
) -> None:
    """dynalite stores what boto3 sends, as DynamoDB's JSON allows; moto cannot."""
    if backend.name != "dynalite":
        pytest.skip(
            f"{backend.name} cannot store a lone surrogate: its PutItem fails encoding it as UTF-8"
        )
    connection = backend.connect()
    table = create_table(connection, "surrogates", [HashKey("id"), RangeKey("n", data_type="N")])
    other_client.put_item(TableName="surrogates", Item=WIRE_ITEM)
    other_client.put_item(TableName="surrogates", Item={"id": {"S": "plain"}, "n": {"N": "2"}})

    # Read, with this package's codec: a scan, and a query on another key.
    scanned = {item["id"]: dict(item) for item in table.scan()}
    assert scanned[HASH] == ITEM
    assert dict(scanned["plain"]) == {"id": "plain", "n": 2}

    # Through layer1's wire values: read by that key, written back with one more such
    # value, and read so by the other client.
    layer1 = DynamoDBConnection(connection=connection)
    key = {"id": {"S": HASH}, "n": {"N": "1"}}
    wire = layer1.get_item("surrogates", key, consistent_read=True)
    assert wire["Item"] == WIRE_ITEM
    queried = layer1.query(
        "surrogates",
        key_condition_expression="id = :id",
        expression_attribute_values={":id": {"S": HASH}},
    )
    assert queried["Items"] == [WIRE_ITEM]
    layer1.put_item("surrogates", {**wire["Item"], "extra": {"S": "x\ud800"}})
    theirs = other_client.get_item(TableName="surrogates", Key=key, ConsistentRead=True)
    assert theirs["Item"] == {**WIRE_ITEM, "extra": {"S": "x\ud800"}}
    assert dict(table.get_item(id="plain", n=2, consistent=True)) == {"id": "plain", "n": 2}

    # ... and the high-level API writes them back as they were read: a save, a partial
    # save, a key looked up, and a delete, each read back by the other client.
    item = table.get_item(id=HASH, n=1, consistent=True)
    assert dict(item) == {**ITEM, "extra": "x\ud800"}
    item[NAME] = "changed\udfff"
    assert item.partial_save()
    theirs = other_client.get_item(TableName="surrogates", Key=key, ConsistentRead=True)
    assert theirs["Item"][NAME] == {"S": "changed\udfff"}
    item["doc"] = {NAME: ["x\udc00"]}
    assert item.save(overwrite=True)
    theirs = other_client.get_item(TableName="surrogates", Key=key, ConsistentRead=True)
    assert theirs["Item"]["doc"] == {"M": {NAME: {"L": [{"S": "x\udc00"}]}}}
    table.put_item({"id": "new\ud800", "n": 3, NAME: "y\udbff"})
    assert other_client.get_item(
        TableName="surrogates", Key={"id": {"S": "new\ud800"}, "n": {"N": "3"}}
    )["Item"][NAME] == {"S": "y\udbff"}
    assert item.delete()
    assert table.delete_item(id="new\ud800", n=3)
    assert [item["id"] for item in table.scan()] == ["plain"]
