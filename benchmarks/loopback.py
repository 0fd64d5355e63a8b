"""Over real HTTP: a canned DynamoDB on 127.0.0.1 in another process, client CPU measured.

``python -m benchmarks.loopback`` prints the tables; ``--json`` the raw timings (the main
benchmark runs it so, in a process of its own, so that no canned ``before-send`` handler
is registered and every request really goes through a socket).

The server (:func:`serve`) answers every request with fixed bytes chosen by the
``X-Amz-Target`` header: a 12-attribute item for ``GetItem``, a page of 1,000 items
(0.99 MB) for ``Query``, with ``Content-Length``, ``x-amz-crc32`` and the other headers
DynamoDB sends. It runs in a separate process, so the CPU time measured
(:func:`time.process_time`, user + system, of the client process) is the client's only.

Cases:

- the **floor client** (:mod:`benchmarks.floor`): a raw socket, SigV4, CRC32 and JSON
  decode written straight, nothing else: what any DynamoDB client must spend;
- dynamodb2's ``Table.get_item`` and ``Connection.query`` / ``Table.query_2`` over each
  candidate transport (docs/transport.md): botocore's ``URLLib3Session`` (the transport
  before this work), urllib3's ``HTTPConnectionPool`` alone, ``http.client`` with a
  keep-alive pool, h11 over sockets (if installed), and :class:`HTTPTransport`;
- boto3's resource ``Table.get_item`` / ``Table.query``, for scale.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

import boto3
import urllib3
from boto3.dynamodb.conditions import Key

from dynamodb2 import Connection, Table
from dynamodb2._http11 import KEPT_HEADERS
from dynamodb2.fields import HashKey, RangeKey
from dynamodb2.transport import BotocoreTransport, HttpResponse, HTTPTransport
from dynamodb2.types import NUMBER

from .data import HASH_KEY, PAGE_ITEMS, PARTITION, RANGE_KEY, TABLE_NAME, query_page, wire_item
from .floor import FloorClient
from .timing import FLOOR, Case, Samples, Variant, run_rounds

__all__ = ["LOOPBACK_TARGETS", "loopback_cases", "main", "run_loopback", "serve"]

_ACCESS_KEY: Final = "AKIDBENCHMARK"
_SECRET_KEY: Final = "benchmark-secret-key"
_REGION: Final = "us-east-1"

#: (case title prefix, subject label, reference label, at most): the targets over HTTP.
LOOPBACK_TARGETS: Final = (
    ("GetItem over loopback", "dynamodb2 Table.get_item (HTTPTransport)", "floor client", 2.0),
    ("Query over loopback", "dynamodb2 Connection.query (HTTPTransport)", "floor client", 1.1),
)


# --------------------------------------------------------------------------- server


def _answer(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Server: Server\r\n"
        "Date: Sat, 05 Dec 2026 00:00:00 GMT\r\n"
        "Content-Type: application/x-amz-json-1.0\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n"
        "x-amzn-RequestId: LOOPBACK00000000000000000000000000000000000000000000\r\n"
        f"x-amz-crc32: {zlib.crc32(body) & 0xFFFFFFFF}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def _answers() -> dict[bytes, bytes]:
    def encode(body: Mapping[str, Any]) -> bytes:
        return json.dumps(body, separators=(",", ":")).encode()

    return {
        b"GetItem": _answer(encode({"Item": wire_item(1)})),
        b"Query": _answer(encode(query_page())),
    }


def _handle(sock: socket.socket, answers: Mapping[bytes, bytes]) -> None:
    buffer = b""
    with sock:
        while True:
            while b"\r\n\r\n" not in buffer:
                data = sock.recv(65536)
                if not data:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            head += b"\r\n"
            lower = head.lower()
            start = lower.index(b"content-length:") + 15
            length = int(lower[start : lower.index(b"\r\n", start)])
            while len(buffer) < length:
                data = sock.recv(65536)
                if not data:
                    return
                buffer += data
            buffer = buffer[length:]
            start = lower.index(b"x-amz-target:") + 13
            target = head[start : lower.index(b"\r\n", start)].strip()
            operation = target.rpartition(b".")[2]
            sock.sendall(answers[operation])


def serve(answers: Mapping[bytes, bytes] | None = None) -> None:
    """Serve canned answers (by operation; these cases' by default) on a loopback port
    (printed on a line first) until killed."""
    if answers is None:
        answers = _answers()
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=_handle, args=(sock, answers), daemon=True).start()


@contextmanager
def running_server(module: str = "benchmarks.loopback") -> Iterator[str]:
    """The URL of a canned server in another process (``python -m MODULE --serve``), for
    the ``with`` block."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--serve"],
        stdout=subprocess.PIPE,
        cwd=root,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait()


# --------------------------------------------------------------------------- candidates


def _kept(get: Callable[[str], str | None]) -> dict[str, str]:
    """The headers dynamodb2 reads, from a response's header lookup."""
    return {name: value for name in KEPT_HEADERS if (value := get(name)) is not None}


class Urllib3PoolTransport:
    """urllib3's ``HTTPConnectionPool`` alone (no PoolManager, no botocore objects)."""

    def __init__(self, url: str) -> None:
        host, port = url.split("//")[1].split(":")
        self._pool = urllib3.HTTPConnectionPool(
            host, int(port), maxsize=10, timeout=urllib3.Timeout(connect=60, read=60)
        )

    def __call__(self, request: Any) -> Any:
        response = self._pool.urlopen(
            "POST",
            "/",
            body=request.body,
            headers=dict(request.headers),
            retries=False,
            preload_content=True,
            assert_same_host=False,
        )
        return HttpResponse(
            response.status, _kept(response.headers.get), response.data, response.reason or ""
        )


class HttpClientTransport:
    """``http.client.HTTPConnection`` with a keep-alive pool of our own."""

    def __init__(self, url: str) -> None:
        host, port = url.split("//")[1].split(":")
        self._address = (host, int(port))
        self._idle: collections.deque[Any] = collections.deque()

    def __call__(self, request: Any) -> Any:
        try:
            conn = self._idle.pop()
        except IndexError:
            conn = http.client.HTTPConnection(*self._address, timeout=60)
        conn.request("POST", "/", body=request.body, headers=dict(request.headers))
        response = conn.getresponse()
        body = response.read()
        if response.will_close:
            conn.close()
        else:
            self._idle.append(conn)
        return HttpResponse(response.status, _kept(response.getheader), body, response.reason)


class H11Transport:
    """h11's sans-I/O HTTP/1.1 over a keep-alive socket of our own."""

    def __init__(self, url: str) -> None:
        host, port = url.split("//")[1].split(":")
        self._address = (host, int(port))
        self._host = f"{host}:{port}".encode()
        self._idle: collections.deque[Any] = collections.deque()

    def __call__(self, request: Any) -> Any:
        import h11  # noqa: PLC0415 - optional: the candidate is skipped without it

        try:
            sock, conn = self._idle.pop()
        except IndexError:
            sock = socket.create_connection(self._address, timeout=60)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = h11.Connection(h11.CLIENT)
        headers: list[tuple[bytes, bytes]] = [
            (b"Host", self._host),
            (b"Content-Length", str(len(request.body)).encode()),
        ]
        headers += [(name.encode(), value.encode()) for name, value in request.headers.items()]
        sock.sendall(
            conn.send(h11.Request(method="POST", target="/", headers=headers))
            + conn.send(h11.Data(data=request.body))
            + conn.send(h11.EndOfMessage())
        )
        status, reason, kept, parts = 0, "", {}, []
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(sock.recv(262144))
            elif isinstance(event, h11.Response):
                status, reason = event.status_code, event.reason.decode()
                kept = _kept({k.decode(): v.decode() for k, v in event.headers}.get)
            elif isinstance(event, h11.Data):
                parts.append(event.data)
            elif isinstance(event, h11.EndOfMessage):
                break
        conn.start_next_cycle()
        self._idle.append((sock, conn))
        return HttpResponse(status, kept, b"".join(parts), reason)


def _candidates(url: str, events: Any) -> list[tuple[str, Callable[[], Any]]]:
    made: list[tuple[str, Callable[[], Any]]] = [
        ("botocore URLLib3Session", lambda: BotocoreTransport(events)),
        ("urllib3 HTTPConnectionPool", lambda: Urllib3PoolTransport(url)),
        ("http.client pool", lambda: HttpClientTransport(url)),
    ]
    try:
        import h11  # noqa: F401, PLC0415 - optional
    except ImportError:
        pass
    else:
        made.append(("h11", lambda: H11Transport(url)))
    made.append(("HTTPTransport", lambda: HTTPTransport(events)))
    return made


# --------------------------------------------------------------------------- cases


def loopback_cases(url: str) -> list[Case]:
    """The GetItem and 1 MB Query cases against the server at ``url``."""
    floor = FloorClient(url, _ACCESS_KEY, _SECRET_KEY, _REGION)
    schema = [HashKey(HASH_KEY), RangeKey(RANGE_KEY, data_type=NUMBER)]
    probe = Connection(endpoint_url=url)
    key = {HASH_KEY: {"S": PARTITION}, RANGE_KEY: {"N": "1"}}
    query = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "#k = :k",
        "ExpressionAttributeNames": {"#k": HASH_KEY},
        "ExpressionAttributeValues": {":k": {"S": PARTITION}},
    }
    resource_table = (
        boto3.session.Session(region_name=_REGION)
        .resource("dynamodb", endpoint_url=url)
        .Table(TABLE_NAME)
    )

    get_variants = [
        Variant("floor client", lambda: floor.get_item(TABLE_NAME, key), role=FLOOR),
    ]
    query_variants = [
        Variant("floor client", lambda: floor.call("Query", query), role=FLOOR),
        Variant("floor client + decode every attribute", lambda: floor.query_decoded(query)),
    ]
    for name, make in _candidates(url, probe.events):
        connection = Connection(endpoint_url=url, transport=make())
        table = Table(TABLE_NAME, schema=schema, connection=connection)

        def get(table: Table = table) -> None:
            item = table.get_item(pk=PARTITION, sk=1)
            for value in item.values():
                assert value is not None

        get_variants.append(Variant(f"dynamodb2 Table.get_item ({name})", get))

        def query_page(connection: Connection = connection) -> None:
            assert connection.query(query)["Count"] == PAGE_ITEMS

        query_variants.append(Variant(f"dynamodb2 Connection.query ({name})", query_page))
        if name == "HTTPTransport":

            def read_all(table: Table = table) -> None:
                for item in table.query_2(pk__eq=PARTITION):
                    for value in item.values():
                        assert value is not None

            query_variants.append(
                Variant("dynamodb2 Table.query_2, read every attribute (HTTPTransport)", read_all)
            )

    def boto3_get() -> None:
        item = resource_table.get_item(Key={HASH_KEY: PARTITION, RANGE_KEY: 1})["Item"]
        for value in item.values():
            assert value is not None

    def boto3_query() -> None:
        for item in resource_table.query(KeyConditionExpression=Key(HASH_KEY).eq(PARTITION))[
            "Items"
        ]:
            for value in item.values():
                assert value is not None

    get_variants.append(Variant("boto3 resource Table.get_item", boto3_get))
    query_variants.append(Variant("boto3 resource Table.query, read every attribute", boto3_query))
    return [
        Case("GetItem over loopback HTTP: one 12-attribute item", get_variants),
        Case("Query over loopback HTTP: one page of 1,000 items (0.99 MB)", query_variants),
    ]


def run_loopback(rounds: int, words: Sequence[str] = ()) -> Samples:
    """Time the loopback cases (those whose title starts with one of ``words``, if
    given), ``rounds`` interleaved rounds (CPU time, garbage collector paused)."""
    with running_server() as url:
        cases = [
            case
            for case in loopback_cases(url)
            if not words or any(case.title.startswith(word) for word in words)
        ]
        return run_rounds(cases, rounds=rounds)


def tables(samples: Samples) -> str:
    """The loopback timings as Markdown: median and minimum CPU per call, x floor."""
    lines = []
    for title, timings in samples.items():
        floor = timings["floor client"]
        lines += [f"**{title}**", "", "| | median | min | x floor |", "|---|---:|---:|---:|"]
        for label, own in timings.items():
            ratio = statistics.median(o / f for o, f in zip(own, floor, strict=True))
            lines.append(
                f"| {label} | {_us(statistics.median(own))} | {_us(min(own))} | {ratio:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


def check(samples: Samples) -> tuple[list[str], bool]:
    """Rows for the targets table, and whether the loopback targets hold."""
    rows, held = [], True
    for prefix, subject, reference, at_most in LOOPBACK_TARGETS:
        title = next((t for t in samples if t.startswith(prefix)), None)
        if title is None:
            continue
        timings = samples[title]
        ratio = statistics.median(
            s / r for s, r in zip(timings[subject], timings[reference], strict=True)
        )
        holds = ratio <= at_most
        held &= holds
        rows.append(
            f"| {subject} over loopback HTTP: at most {at_most}x the {reference} | "
            f"{ratio:.2f}x | {'yes' if holds else 'NO'} |"
        )
    return rows, held


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs" if seconds < 1e-2 else f"{seconds * 1e3:.1f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.loopback [--rounds N] [--json]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loopback", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the raw timings as JSON")
    parser.add_argument("--serve", action="store_true", help="only run the canned server")
    parser.add_argument("--case", action="append", default=[], metavar="WORD")
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_PROFILE"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": _ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": _SECRET_KEY,
            "AWS_DEFAULT_REGION": _REGION,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "BOTO_CONFIG": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    samples = run_loopback(args.rounds, args.case)
    print(json.dumps(samples) if args.json else tables(samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
