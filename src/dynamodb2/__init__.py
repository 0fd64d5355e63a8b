"""dynamodb2: a typed, fast, drop-in successor to boto 2's ``boto.dynamodb2``.

>>> import dynamodb2
>>> conn = dynamodb2.connect_to_region("us-east-1")  # doctest: +SKIP

See the README and ``docs/`` for the tour; ``docs/coming-from-boto2.md`` lists every
difference from boto 2.49.
"""

# No "from __future__ import annotations" and no bare typing imports here: every public
# name in this namespace is part of the API (tests/unit/test_exported_members.py).
from typing import Any as _Any

from . import exceptions, fields, types
from ._version import __version__
from .batch import BatchTable
from .capacity import WriteResult
from .conditions import Attr, Key
from .connection import Connection
from .cursors import decode_cursor, encode_cursor
from .exceptions import (
    ConditionalCheckFailedException,
    DynamoDBError,
    DynamoDBResponseError,
    ItemNotFound,
    JSONResponseError,
    ProvisionedThroughputExceededException,
    QueryError,
    ResourceNotFoundException,
    TransactionCanceledException,
    ValidationException,
    WaitTimeoutError,
)
from .fields import (
    AllIndex,
    GlobalAllIndex,
    GlobalIncludeIndex,
    GlobalKeysOnlyIndex,
    HashKey,
    IncludeIndex,
    KeysOnlyIndex,
    RangeKey,
)
from .items import Item
from .layer1 import DynamoDBConnection, regions
from .regioninfo import RegionInfo
from .results import BatchGetResultSet, ResultSet
from .retry import RetryPolicy
from .table import Table
from .transactions import Transaction, transact_get, transaction

__all__ = [
    "AllIndex",
    "Attr",
    "BatchGetResultSet",
    "BatchTable",
    "ConditionalCheckFailedException",
    "Connection",
    "DynamoDBConnection",
    "DynamoDBError",
    "DynamoDBResponseError",
    "GlobalAllIndex",
    "GlobalIncludeIndex",
    "GlobalKeysOnlyIndex",
    "HashKey",
    "IncludeIndex",
    "Item",
    "ItemNotFound",
    "JSONResponseError",
    "Key",
    "KeysOnlyIndex",
    "ProvisionedThroughputExceededException",
    "QueryError",
    "RangeKey",
    "RegionInfo",
    "ResourceNotFoundException",
    "ResultSet",
    "RetryPolicy",
    "Table",
    "Transaction",
    "TransactionCanceledException",
    "ValidationException",
    "WaitTimeoutError",
    "WriteResult",
    "__version__",
    "connect_to_region",
    "decode_cursor",
    "encode_cursor",
    "exceptions",
    "fields",
    "regions",
    "transact_get",
    "transaction",
    "types",
]


def connect_to_region(region_name: str, **kw_params: _Any) -> DynamoDBConnection:
    """A layer1 connection to ``region_name`` (boto 2's ``boto.dynamodb2.connect_to_region``).

    Keyword arguments are :class:`DynamoDBConnection`'s.
    """
    return DynamoDBConnection(region=region_name, **kw_params)
