"""The floor client: what any DynamoDB client must spend on a call, and nothing more.

>>> client = FloorClient("http://127.0.0.1:8000", "AKID", "secret", "us-east-1")  # doctest: +SKIP
>>> client.get_item("bench", {"pk": {"S": "user-0001"}, "sk": {"N": "1"}})        # doctest: +SKIP
{'pk': 'user-0001', 'sk': Decimal('1'), ...}

One keep-alive socket; the request is JSON-encoded, signed with SigV4 (signing key kept
for the day, as any client can), sent with the fewest headers DynamoDB accepts; the
response is read by ``Content-Length``, checked against ``x-amz-crc32``, JSON-decoded,
and for ``get_item`` every attribute turned into its Python value. No pool, no retries,
no error handling, no events: a lower bound, not a client.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
import zlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

__all__ = ["FloorClient", "decode_value"]

_loads: Callable[[bytes], Any]
_dumps: Callable[[Any], bytes]
try:
    from orjson import dumps as _dumps
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - the bench installs the fast extra

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":")).encode()

    _loads = json.loads


def decode_value(value: dict[str, Any]) -> Any:
    """An AttributeValue's Python value (numbers as ``Decimal``)."""
    ((tag, inner),) = value.items()
    if tag == "S":
        return inner
    if tag == "N":
        return Decimal(inner)
    if tag == "BOOL":
        return inner
    if tag == "SS":
        return set(inner)
    if tag == "NS":
        return {Decimal(n) for n in inner}
    if tag == "L":
        return [decode_value(v) for v in inner]
    if tag == "M":
        return {k: decode_value(v) for k, v in inner.items()}
    return inner


class FloorClient:
    """A raw-socket DynamoDB client for one endpoint (``http://host:port``)."""

    def __init__(self, url: str, access_key: str, secret_key: str, region: str) -> None:
        host, port = url.split("//")[1].split(":")
        self._host = f"{host}:{port}"
        self._sock = socket.create_connection((host, int(port)))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._access_key = access_key
        self._secret_key = secret_key
        self._region = region
        self._key_date = ""
        self._key = b""

    def _signing_key(self, date: str) -> bytes:
        if date != self._key_date:
            key = f"AWS4{self._secret_key}".encode()
            for part in (date, self._region, "dynamodb", "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            self._key, self._key_date = key, date
        return self._key

    def call(self, operation: str, body: dict[str, Any]) -> Any:
        """One signed request; the decoded JSON response."""
        payload = _dumps(body)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        date = stamp[:8]
        target = f"DynamoDB_20120810.{operation}"
        signed = "content-type;host;x-amz-date;x-amz-target"
        canonical = (
            f"POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:{self._host}\n"
            f"x-amz-date:{stamp}\nx-amz-target:{target}\n\n{signed}\n"
            f"{hashlib.sha256(payload).hexdigest()}"
        )
        scope = f"{date}/{self._region}/dynamodb/aws4_request"
        to_sign = (
            f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        )
        signature = hmac.new(self._signing_key(date), to_sign.encode(), hashlib.sha256).hexdigest()
        head = (
            f"POST / HTTP/1.1\r\nHost: {self._host}\r\n"
            "Content-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Date: {stamp}\r\nX-Amz-Target: {target}\r\n"
            f"Authorization: AWS4-HMAC-SHA256 Credential={self._access_key}/{scope}, "
            f"SignedHeaders={signed}, Signature={signature}\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        sock = self._sock
        sock.sendall(head.encode() + payload)
        buffer = sock.recv(262144)
        while b"\r\n\r\n" not in buffer:
            more = sock.recv(262144)
            if not more:
                raise ConnectionError("the server closed the connection")
            buffer += more
        head_bytes, _, rest = buffer.partition(b"\r\n\r\n")
        lower = head_bytes.lower() + b"\r\n"
        start = lower.index(b"content-length:") + 15
        length = int(lower[start : lower.index(b"\r\n", start)])
        start = lower.index(b"x-amz-crc32:") + 12
        crc = int(lower[start : lower.index(b"\r\n", start)])
        if len(rest) < length:
            page = bytearray(length)
            have = len(rest)
            page[:have] = rest
            view = memoryview(page)
            while have < length:
                received = sock.recv_into(view[have:])
                if not received:
                    raise ConnectionError("the server closed the connection")
                have += received
            rest = bytes(page)
        if zlib.crc32(rest) & 0xFFFFFFFF != crc:
            raise ValueError("CRC32 mismatch")
        return _loads(rest)

    def get_item(self, table: str, key: dict[str, Any]) -> dict[str, Any]:
        """GetItem; the item's attributes as Python values."""
        item = self.call("GetItem", {"TableName": table, "Key": key})["Item"]
        return {name: decode_value(value) for name, value in item.items()}

    def query_decoded(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """Query; every item's attributes as Python values."""
        return [
            {name: decode_value(value) for name, value in item.items()}
            for item in self.call("Query", body)["Items"]
        ]
