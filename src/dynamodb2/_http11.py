"""HTTP/1.1 for DynamoDB's requests, sans-I/O: request bytes out, a response head parsed in.

>>> encode_request("POST", "/", "localhost:8000", {"X-Amz-Target": "T"}, b"{}").split(b"\\r\\n")
[b'POST / HTTP/1.1', b'Host: localhost:8000', b'X-Amz-Target: T', b'Content-Length: 2', b'', b'{}']
>>> head = parse_head(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nServer: x")
>>> (head.status, head.reason, head.headers, head.length)
(200, 'OK', {'content-length': '2'}, 2)

Nothing here touches a socket: the synchronous transport (:mod:`dynamodb2.transport`)
and the asynchronous one reuse it, each doing only its own reading and writing. A
response is read in three steps, whatever the I/O: the head (up to the blank line),
parsed by :func:`parse_head`; then the body, either ``head.length`` bytes, or chunks
(:func:`parse_chunk_size` for each size line) when ``head.chunked``, or everything up to
the end of the connection when neither is known (``head.length is None``).

Only the response headers this package reads are kept (:data:`KEPT_HEADERS`), with
lower-case names: the rest are skipped without being decoded. A kept header that comes
twice keeps its first value, except ``Content-Length`` and ``Transfer-Encoding``, which
must come once.

A :class:`ProtocolError` says what was wrong and how long it was, never what was
received: a server or proxy may echo the request's headers (the session token, the
``Authorization`` header with its signature) into a status line or a header value,
and the message reaches exception text, logs and the CLI.

>>> parse_chunk_size(b"x-amz-security-token:IQoJb3JpZ2luX2VjE...")
Traceback (most recent call last):
...
dynamodb2._http11.ProtocolError: invalid chunk size line (not a hexadecimal size; length 41)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

__all__ = [
    "DEFAULT_PORTS",
    "KEPT_HEADERS",
    "MAX_BODY_BYTES",
    "MAX_HEAD_BYTES",
    "ProtocolError",
    "ResponseHead",
    "check_header_value",
    "encode_request",
    "host_header",
    "parse_chunk_size",
    "parse_head",
]

#: The response headers read by this package (the rest are dropped unparsed).
KEPT_HEADERS: Final = frozenset(
    {
        "connection",
        "content-length",
        "transfer-encoding",
        "x-amz-crc32",
        "x-amzn-errortype",
        "x-amzn-requestid",
    }
)
# Header name (as sent, and lower-cased) -> the key it is kept under. The error type
# is read from error responses only.
_KEPT_NAMES: Final[dict[bytes, str]] = {
    spelling: name
    for name in KEPT_HEADERS
    if name != "x-amzn-errortype"
    for spelling in (
        name.encode("ascii"),
        "-".join(part.capitalize() for part in name.split("-")).encode("ascii"),
        name.replace("requestid", "RequestId").encode("ascii"),
    )
}
_KEPT_NAMES_ON_ERROR: Final[dict[bytes, str]] = {
    **_KEPT_NAMES,
    b"x-amzn-errortype": "x-amzn-errortype",
    b"x-amzn-ErrorType": "x-amzn-errortype",
}
_FRAMING: Final = frozenset({"content-length", "transfer-encoding"})
#: The longest response head accepted (status line and headers), in bytes.
MAX_HEAD_BYTES: Final = 64 * 1024
#: The port each scheme uses when a URL names none.
DEFAULT_PORTS: Final = {"http": 80, "https": 443}
#: The largest body a ``Content-Length`` or one chunk's size may announce, in bytes: far
#: above any DynamoDB response (BatchGetItem's 16 MB, escaped). A larger announcement is
#: refused before a buffer of that size is asked for (``Content-Length: 10**15`` would
#: be a ``MemoryError``).
MAX_BODY_BYTES: Final = 1 << 30
# The most significant digits such a size has in decimal: longer numbers are refused
# before int() reads them (it refuses over 4,300 digits with a bare ValueError).
_MAX_LENGTH_DIGITS: Final = len(str(MAX_BODY_BYTES))
_HEX_DIGITS: Final = frozenset(b"0123456789abcdefABCDEF")
#: The end of a response head.
HEAD_END: Final = b"\r\n\r\n"
_FORBIDDEN_IN_HEADERS: Final = frozenset("\r\n\0")


class ProtocolError(Exception):
    """The peer sent something that is not an HTTP/1.x response."""


class ResponseHead(NamedTuple):
    """A response's status line and the headers kept, and how its body is framed."""

    status: int
    reason: str
    #: Kept headers, lower-case names.
    headers: dict[str, str]
    #: The body's length from ``Content-Length``; ``None`` when chunked or unknown.
    length: int | None
    #: Whether the body comes in chunks (``Transfer-Encoding: chunked``).
    chunked: bool
    #: Whether the connection may carry another request after this response.
    keep_alive: bool


def encode_request(
    method: str, target: str, host: str, headers: Mapping[str, str], body: bytes
) -> bytes:
    """The bytes of a request: request line, ``Host``, ``headers``, ``Content-Length``, body.

    ``target`` is the path (``/``), or the absolute URL when talking to a forward proxy.
    Header names and values must not hold CR, LF or NUL (they would split the request);
    the values this package sends are checked where they enter (the user agent suffix)
    or are made here (signatures, dates, targets).
    """
    lines = [f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n"]
    for name, value in headers.items():
        lines.append(f"{name}: {value}\r\n")
    lines.append(f"Content-Length: {len(body)}\r\n\r\n")
    head = "".join(lines)
    try:
        return head.encode("latin-1") + body
    except UnicodeEncodeError as error:
        raise ValueError(f"HTTP header text must be Latin-1: {error}") from None


def host_header(scheme: str, hostname: str, port: int | None) -> str:
    """The ``Host`` header for a URL's parts, as botocore signs it: the host name in lower
    case (IPv6 in brackets), with the port unless it is the scheme's default.

    >>> host_header("https", "DynamoDB.local", 443), host_header("http", "::1", 8000)
    ('dynamodb.local', '[::1]:8000')
    """
    host = hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return host


def check_header_value(name: str, value: str) -> str:
    """``value`` if it can be sent as the value of header ``name``; else ``ValueError``."""
    if _FORBIDDEN_IN_HEADERS.intersection(value):
        raise ValueError(f"{name} must not contain line breaks or NUL characters: {value!r}")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"{name} must be Latin-1 text: {value!r}") from None
    return value


def parse_head(block: bytes) -> ResponseHead:
    """Parse a response head: the bytes before the blank line that ends it.

    One pass over its lines: a line whose name is one of the :data:`KEPT_HEADERS` is
    decoded, the others are only split. Raises :class:`ProtocolError` for anything but
    an HTTP/1.x status line, a malformed or repeated framing header.
    """
    lines = block.split(b"\r\n")
    status_line = lines[0]
    # "HTTP/1.1 200 OK": the version and the code are at fixed places.
    code = status_line[9:12]
    if (
        status_line[:7] != b"HTTP/1."
        or status_line[8:9] != b" "
        or not code.isdigit()
        or status_line[12:13] not in (b" ", b"")
    ):
        raise ProtocolError(_what_is_wrong_with(status_line))
    status = int(code)
    kept = _KEPT_NAMES if 200 <= status < 300 else _KEPT_NAMES_ON_ERROR
    headers: dict[str, str] = {}
    for index in range(1, len(lines)):
        name, _, value = lines[index].partition(b":")
        key = kept.get(name) or kept.get(name.lower())
        if key is None:
            continue
        if key in headers and key in _FRAMING:
            # A repeated framing header (two lengths, say) could make this client and a
            # proxy on the way read different bodies: only one copy is accepted.
            raise ProtocolError(f"repeated {key} header")
        if key not in headers:  # a repeated header keeps its first value
            headers[key] = value.strip().decode("latin-1")
    chunked = "transfer-encoding" in headers and "chunked" in headers["transfer-encoding"].lower()
    length: int | None = None
    if not chunked:
        declared = headers.get("content-length")
        if declared is not None:
            if not (declared.isascii() and declared.isdigit()):
                raise ProtocolError(
                    f"invalid Content-Length (not a number of bytes; length {len(declared)})"
                )
            digits = declared.lstrip("0")
            if len(digits) > _MAX_LENGTH_DIGITS or int(digits or "0") > MAX_BODY_BYTES:
                raise ProtocolError(
                    f"Content-Length announces more than {MAX_BODY_BYTES} bytes "
                    f"(length {len(declared)})"
                )
            length = int(digits or "0")
        elif status in (204, 304) or 100 <= status < 200:
            length = 0
    connection = headers["connection"].lower() if "connection" in headers else ""
    # HTTP/1.0 closes unless asked not to; HTTP/1.1 keeps the connection unless told.
    if status_line[7:8] == b"0":
        keep_alive = "keep-alive" in connection
    else:
        keep_alive = "close" not in connection
    if length is None and not chunked:
        keep_alive = False  # the body ends where the connection does
    return ResponseHead(
        status, status_line[13:].decode("latin-1"), headers, length, chunked, keep_alive
    )


def parse_chunk_size(line: bytes) -> int:
    """The size of the chunk a chunk-size line (without its CRLF) announces."""
    size = line.split(b";", 1)[0].strip()
    # Hexadecimal digits only: int(x, 16) would also take a sign, "0x" and underscores.
    if not size or not _HEX_DIGITS.issuperset(size):
        raise ProtocolError(f"invalid chunk size line (not a hexadecimal size; length {len(line)})")
    value = int(size, 16)  # (linear in its length in base 16: no digit limit applies)
    if value > MAX_BODY_BYTES:
        raise ProtocolError(f"a chunk announces more than {MAX_BODY_BYTES} bytes")
    return value


def _what_is_wrong_with(status_line: bytes) -> str:
    """Why ``status_line`` is not an HTTP/1.x status line, quoting none of it."""
    described = f"length {len(status_line)}"
    if status_line[:1] in (b"\x15", b"\x16"):
        # A TLS record (alert or handshake): an https:// server spoken to as http://.
        return f"not an HTTP/1.x status line ({described}, a TLS record: is the URL https://?)"
    if status_line[:7] != b"HTTP/1.":
        return f"not an HTTP/1.x status line ({described}, not starting with HTTP/1.)"
    return f"not an HTTP/1.x status line ({described}, no three-digit status code)"
