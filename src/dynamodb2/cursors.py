"""Pagination cursors: a resume key as URL-safe text, to hand to a client and take back.

>>> from decimal import Decimal
>>> cursor = encode_cursor({"username": "jane", "joined": Decimal("1700000000.5")})
>>> decode_cursor(cursor)
{'joined': Decimal('1700000000.5'), 'username': 'jane'}

A web API pages through a query by giving its client the cursor of where the page
stopped (:attr:`ResultSet.last_evaluated_key <dynamodb2.results.ResultSet.last_evaluated_key>`),
then resuming from the cursor the client sends back::

    results = table.query_2(owner__eq=user, limit=20,
                            exclusive_start_key=decode_cursor(cursor) if cursor else None)
    items = list(results)
    next_cursor = encode_cursor(results.last_evaluated_key) if results.last_evaluated_key else None

A cursor holds the key's attribute names and values exactly (``Decimal`` digits and
exponent, ``str``, ``bytes``; numbers come back as ``Decimal``, bytes as
:class:`~dynamodb2.types.Binary`) and a check of its contents, so a cursor that is cut
short, garbled or edited is refused with :class:`~dynamodb2.exceptions.InvalidCursorError`
(a ``ValueError``: answer "400 Bad Request"). Without ``secret`` the check is a checksum:
it catches accidents, but anyone can compute it. Give a ``secret`` (bytes only the server
knows) to sign cursors with HMAC-SHA256, so that clients cannot forge them. Cursors are
not encrypted: the client can read the key values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from .exceptions import InvalidCursorError, ParameterValidationError, UnsupportedTypeError
from .types import Dynamizer

__all__ = ["MAX_CURSOR_LENGTH", "decode_cursor", "encode_cursor"]

#: The longest cursor accepted, in characters (the largest possible key fits easily).
MAX_CURSOR_LENGTH: Final = 16384

_VERSION: Final = b"\x01"
_TAG_BYTES: Final = 16
# Used when no secret is given: the check then catches corruption, not forgery.
_UNSIGNED_KEY: Final = b"dynamodb2 cursor checksum"
_KEY_TYPES: Final = frozenset({"S", "N", "B"})
_URLSAFE: Final = re.compile(r"[A-Za-z0-9_-]*")
_DYNAMIZER: Final = Dynamizer()


def encode_cursor(key: Mapping[str, Any], *, secret: bytes | None = None) -> str:
    """URL-safe text holding ``key`` (a resume key: attribute names to str/number/bytes).

    >>> encode_cursor({"id": "a"})
    'AVISHZqYzXhspwwrw7ex22V7ImlkIjp7IlMiOiJhIn19'

    Raises :class:`~dynamodb2.exceptions.ParameterValidationError` for anything that
    cannot be a DynamoDB key.
    """
    if not isinstance(key, Mapping) or not key:
        raise ParameterValidationError(
            f"a cursor holds a key: a non-empty mapping of attribute names to values, "
            f"not {type(key).__name__}"
        )
    try:
        wire = _DYNAMIZER.encode_item(key)
    except UnsupportedTypeError as error:
        raise ParameterValidationError(str(error)) from None
    for name, value in wire.items():
        if type(name) is not str:
            raise ParameterValidationError(f"key attribute names are str, not {name!r}")
        (tag,) = value
        if tag not in _KEY_TYPES:
            raise ParameterValidationError("key values are str, numbers or bytes", attribute=name)
    payload = json.dumps(wire, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        body = payload.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: written as its \u escape, read back so
        body = json.dumps(wire, sort_keys=True, separators=(",", ":")).encode("ascii")
    blob = _VERSION + _tag(body, secret) + body
    return base64.urlsafe_b64encode(blob).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, *, secret: bytes | None = None) -> dict[str, Any]:
    """The key held by a cursor from :func:`encode_cursor` (given the same ``secret``).

    >>> decode_cursor(encode_cursor({"id": b"\\x00\\xff"}))
    {'id': Binary(b'\\x00\\xff')}

    Raises :class:`~dynamodb2.exceptions.InvalidCursorError` for anything else.
    """
    if not isinstance(cursor, str):
        raise InvalidCursorError(f"a cursor is a str, not {type(cursor).__name__}")
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursorError(
            f"a cursor is 1 to {MAX_CURSOR_LENGTH} characters long, not {len(cursor)}"
        )
    if not _URLSAFE.fullmatch(cursor):
        raise InvalidCursorError("a cursor holds only the characters A-Z a-z 0-9 - _")
    try:
        blob = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCursorError("the cursor is cut short or garbled") from None
    version, tag, body = blob[:1], blob[1 : 1 + _TAG_BYTES], blob[1 + _TAG_BYTES :]
    if version != _VERSION:
        raise InvalidCursorError("the cursor was not made by encode_cursor")
    if len(tag) != _TAG_BYTES or not hmac.compare_digest(tag, _tag(body, secret)):
        raise InvalidCursorError("the cursor was changed, cut short, or made with another secret")
    # An unsigned cursor's checksum can be computed by anyone: check the contents too.
    try:
        wire = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidCursorError("the cursor's contents are not a key") from None
    _check_wire_key(wire)
    try:
        key = _DYNAMIZER.decode_item(wire)
        _DYNAMIZER.encode_item(key)  # numbers within DynamoDB's limits, and so on
    except (ArithmeticError, ValueError):
        raise InvalidCursorError("the cursor's contents are not a key") from None
    return key


def _tag(body: bytes, secret: bytes | None) -> bytes:
    if secret is None:
        return hashlib.blake2b(body, digest_size=_TAG_BYTES, key=_UNSIGNED_KEY).digest()
    if not isinstance(secret, (bytes, bytearray)) or not secret:
        raise ParameterValidationError("a cursor secret is non-empty bytes")
    return hmac.new(bytes(secret), body, hashlib.sha256).digest()[:_TAG_BYTES]


def _check_wire_key(wire: object) -> None:
    """Refuse a decoded payload that is not a key in wire form."""
    if not isinstance(wire, dict) or not wire:
        raise InvalidCursorError("the cursor's contents are not a key")
    for name, value in wire.items():
        if (
            not isinstance(value, dict)
            or len(value) != 1
            or next(iter(value)) not in _KEY_TYPES
            or not isinstance(next(iter(value.values())), str)
        ):
            raise InvalidCursorError(f"the cursor's value for {name!r} is not a key value")
