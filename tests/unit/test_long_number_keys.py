"""Numeric keys of up to 38 significant digits stay distinct in batches.

Python's default decimal context keeps 28 digits: a key identity computed in it made
keys differing only in their 29th to 38th digits one key, so a batch merged their writes
(dropping all but the last) and batch_get asked for one of them only.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Final

import pytest

from dynamodb2._schema import key_identity
from dynamodb2.fields import HashKey
from dynamodb2.types import NUMBER
from tests.support.backends import Backend
from tests.support.table_support import create_table

#: Three keys that agree in their first 37 significant digits.
KEYS: Final[list[Decimal]] = [
    Decimal(10**37 + 1),
    Decimal(10**37 + 2),
    Decimal("1000000000000000000000000000000000000.3"),
]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("12345678901234567890123456789012345671", "12345678901234567890123456789012345672"),
        ("1.0000000000000000000000000000000000001", "1.0000000000000000000000000000000000002"),
        ("-99999999999999999999999999999999999998", "-99999999999999999999999999999999999999"),
    ],
)
def test_keys_differing_in_their_last_of_38_digits_have_different_identities(
    left: str, right: str
) -> None:
    assert key_identity({"id": {"N": left}}) != key_identity({"id": {"N": right}})


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("12345678901234567890123456789012345678", "1.2345678901234567890123456789012345678E+37"),
        ("1.50", "1.5"),
        ("100", "1E+2"),
        ("0", "-0.000"),
    ],
)
def test_equal_numbers_written_differently_have_one_identity(left: str, right: str) -> None:
    assert key_identity({"id": {"N": left}}) == key_identity({"id": {"N": right}})


def test_numbers_past_pythons_int_text_limit_have_identities() -> None:
    # int() refuses text over 4,300 digits (a ValueError): such text, which DynamoDB never
    # sends, is read as a Decimal.
    long = "1" + "0" * 5000

    assert key_identity({"id": {"N": long}}) == key_identity({"id": {"N": "1E+5000"}})
    assert key_identity({"id": {"N": long}}) != key_identity({"id": {"N": long + "1"}})


def test_a_batch_writes_every_key_that_differs_only_in_late_digits(backend: Backend) -> None:
    with backend.connect() as connection:
        table = create_table(connection, "ledger", [HashKey("id", data_type=NUMBER)])

        with table.batch_write() as batch:
            for number, key in enumerate(KEYS):
                batch.put_item({"id": key, "n": number})

        stored = {Decimal(item["id"]): int(item["n"]) for item in table.scan(consistent=True)}
        assert stored == {key: number for number, key in enumerate(KEYS)}

        found = Counter(
            Decimal(item["id"]) for item in table.batch_get([{"id": key} for key in KEYS])
        )
        assert found == Counter(KEYS)
