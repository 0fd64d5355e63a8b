"""Pagination cursors: exact round trips, URL-safe text, and refusal of anything altered."""

from __future__ import annotations

import base64
import hashlib
import json
import string
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamodb2.cursors import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from dynamodb2.exceptions import InvalidCursorError, ParameterValidationError
from dynamodb2.types import Binary

URLSAFE = set(string.ascii_letters + string.digits + "-_")

key_names = st.text(min_size=1, max_size=20)


def significant_digits(number: Decimal) -> int:
    return len("".join(map(str, number.as_tuple().digits)).strip("0"))


key_values = st.one_of(
    st.text(min_size=1, max_size=50),
    st.binary(min_size=1, max_size=50),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        # DynamoDB's range: 38 significant digits, magnitudes 1E-130 to 9.99..E+125.
        lambda d: d == 0 or (-130 <= d.adjusted() <= 125 and significant_digits(d) <= 38)
    ),
    st.integers(min_value=-(10**37), max_value=10**37),
)


@given(st.dictionaries(key_names, key_values, min_size=1, max_size=4))
def test_a_cursor_round_trips_names_and_values_exactly(key: dict[str, Any]) -> None:
    decoded = decode_cursor(encode_cursor(key))

    assert decoded.keys() == key.keys()
    for name, value in key.items():
        if isinstance(value, (Decimal, int)):
            assert isinstance(decoded[name], Decimal)
            # Exact: same digits and exponent for a Decimal, not just an equal value.
            assert str(decoded[name]) == str(value)
        elif isinstance(value, bytes):
            assert isinstance(decoded[name], Binary)
            assert bytes(decoded[name]) == value
        else:
            assert decoded[name] == value


@pytest.mark.parametrize("secret", [None, b"s3cret"])
def test_a_cursor_round_trips_lone_surrogates_another_client_stored(secret: bytes | None) -> None:
    # A key read from DynamoDB can hold one (boto3 writes them as JSON escapes).
    key = {"id\udc00": "a\ud800 é", "sort": "\udfff"}

    decoded = decode_cursor(encode_cursor(key, secret=secret), secret=secret)

    assert decoded == key


@given(st.dictionaries(key_names, key_values, min_size=1, max_size=4))
def test_a_cursor_is_url_safe_text(key: dict[str, Any]) -> None:
    cursor = encode_cursor(key)

    assert set(cursor) <= URLSAFE
    assert len(cursor) <= MAX_CURSOR_LENGTH


@pytest.mark.parametrize(
    "value",
    [Decimal("1.50"), Decimal("-0.000"), Decimal("1E+125"), Decimal("1e-130"), Decimal("12.3400")],
)
def test_decimal_digits_and_exponent_survive(value: Decimal) -> None:
    decoded = decode_cursor(encode_cursor({"n": value}))["n"]

    assert decoded.as_tuple() == value.as_tuple()


def test_every_byte_value_survives() -> None:
    raw = bytes(range(256))

    assert decode_cursor(encode_cursor({"b": raw})) == {"b": raw}


def test_unicode_text_survives() -> None:
    text = "naïve ☃ 日本語 🐍"

    assert decode_cursor(encode_cursor({"s": text})) == {"s": text}


def test_every_single_character_change_is_refused() -> None:
    cursor = encode_cursor({"forum": "python", "subject": "cursors", "posted": 17})

    for position in range(len(cursor)):
        for replacement in "AQg_-z9":
            if cursor[position] == replacement:
                continue
            altered = cursor[:position] + replacement + cursor[position + 1 :]
            with pytest.raises(InvalidCursorError):
                decode_cursor(altered)


@pytest.mark.parametrize("cut", [1, 2, 5, 20])
def test_a_cursor_cut_short_is_refused(cut: int) -> None:
    cursor = encode_cursor({"id": "a-fairly-long-partition-key", "seq": 12345})

    with pytest.raises(InvalidCursorError):
        decode_cursor(cursor[:-cut])


@pytest.mark.parametrize(
    "garbage",
    ["", "not a cursor", "abc=", "a" * (MAX_CURSOR_LENGTH + 1), "A", "AAAA", "Zm9v"],
)
def test_garbage_is_refused_with_a_clear_error(garbage: str) -> None:
    with pytest.raises(InvalidCursorError, match="cursor"):
        decode_cursor(garbage)


def test_a_non_string_cursor_is_refused() -> None:
    with pytest.raises(InvalidCursorError, match="is a str"):
        decode_cursor(b"AVIS")  # type: ignore[arg-type]


def test_invalid_cursor_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor("!!")


def test_signed_cursors_need_the_same_secret() -> None:
    key = {"id": "a"}
    signed = encode_cursor(key, secret=b"server secret")

    assert decode_cursor(signed, secret=b"server secret") == key
    with pytest.raises(InvalidCursorError, match="another secret"):
        decode_cursor(signed, secret=b"another")
    with pytest.raises(InvalidCursorError):
        decode_cursor(signed)
    # A server using a secret refuses the unsigned cursors anyone can make.
    with pytest.raises(InvalidCursorError):
        decode_cursor(encode_cursor(key), secret=b"server secret")


def forge_unsigned(payload: bytes) -> str:
    """What anyone can do to an unsigned cursor: compute its checksum."""
    tag = hashlib.blake2b(payload, digest_size=16, key=b"dynamodb2 cursor checksum").digest()
    return base64.urlsafe_b64encode(b"\x01" + tag + payload).rstrip(b"=").decode()


def test_the_forging_helper_matches_the_real_format() -> None:
    payload = json.dumps({"id": {"S": "a"}}, separators=(",", ":")).encode()

    assert forge_unsigned(payload) == encode_cursor({"id": "a"})


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b"{}",
        b'{"id": "a"}',
        b'{"id": {"BOOL": true}}',
        b'{"id": {"S": 1}}',
        b'{"id": {"N": "NaN"}}',
        b'{"id": {"N": "1e999"}}',
        b'{"id": {"N": "twelve"}}',
        b'{"id": {"S": "a", "N": "1"}}',
        b"\xff\xfe",
    ],
)
def test_forged_unsigned_cursors_holding_no_key_are_refused(payload: bytes) -> None:
    with pytest.raises(InvalidCursorError, match="not a key"):
        decode_cursor(forge_unsigned(payload))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ({}, "non-empty mapping"),
        (["id", "a"], "non-empty mapping"),
        ({"id": True}, "str, numbers or bytes"),
        ({"id": ["a"]}, "str, numbers or bytes"),
        ({"id": {"nested": 1}}, "str, numbers or bytes"),
        ({"id": object()}, "cannot store"),
        ({"id": float("nan")}, "NaN"),
        ({"id": "\ud800\udc00"}, "surrogate pair"),
    ],
)
def test_encode_refuses_what_cannot_be_a_key(key: Any, message: str) -> None:
    with pytest.raises(ParameterValidationError, match=message):
        encode_cursor(key)


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ParameterValidationError, match="secret"):
        encode_cursor({"id": "a"}, secret=b"")
