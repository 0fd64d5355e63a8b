"""DynamoDB's documented limits, and the checks that refuse a request before it is sent.

>>> check_table_name("users")
>>> check_table_name("a")
Traceback (most recent call last):
...
dynamodb2.exceptions.ParameterValidationError: table name 'a' must be 3 to 255 characters long
"""

from __future__ import annotations

import re
from typing import Final

from .exceptions import ParameterValidationError

__all__ = [
    "MAX_BATCH_GET_KEYS",
    "MAX_BATCH_WRITE_REQUESTS",
    "MAX_IN_VALUES",
    "MAX_TRANSACTION_ACTIONS",
    "check_table_name",
]

#: Keys in one BatchGetItem request.
MAX_BATCH_GET_KEYS: Final = 100
#: Put and delete requests in one BatchWriteItem request.
MAX_BATCH_WRITE_REQUESTS: Final = 25
#: Actions in one TransactWriteItems / TransactGetItems request.
MAX_TRANSACTION_ACTIONS: Final = 100
#: Values in one ``IN`` comparison.
MAX_IN_VALUES: Final = 100

_TABLE_NAME: Final = re.compile(r"[A-Za-z0-9_.\-]+")


def check_table_name(name: object, *, what: str = "table name") -> None:
    """Refuse names DynamoDB would refuse: 3-255 characters of ``A-Z a-z 0-9 _ - .``.

    A full table ARN (``arn:aws:dynamodb:...:table/name``) is accepted as well.
    """
    if not isinstance(name, str):
        raise ParameterValidationError(f"{what} must be a string, not {type(name).__name__}")
    if name.startswith("arn:"):
        if len(name) > 1024:
            raise ParameterValidationError(f"{what} ARN is longer than 1024 characters")
        return
    if not 3 <= len(name) <= 255:
        raise ParameterValidationError(f"{what} {name!r} must be 3 to 255 characters long")
    if _TABLE_NAME.fullmatch(name) is None:
        raise ParameterValidationError(
            f"{what} {name!r} may only contain letters, digits, '_', '-' and '.'"
        )
