"""What the shim's ``boto.exception`` holds: the names boto 2 programs catch.

``JSONResponseError`` and ``BotoServerError`` are dynamodb2's service error base (every
error DynamoDB answers with is one), ``BotoClientError`` boto 2's own client error (only
:class:`~dynamodb2.exceptions.DynamoDBNumberError` is one, as in boto 2).
``DynamoDBResponseError`` is boto 2's error of its DynamoDB *v1* API (``boto.dynamodb``),
which nothing here raises: an ``except DynamoDBResponseError`` clause around
``boto.dynamodb2`` code caught nothing in boto 2, and catches nothing here.
"""

from __future__ import annotations

from .exceptions import BotoClientError, BotoServerError, JSONResponseError

__all__ = ["BotoClientError", "BotoServerError", "DynamoDBResponseError", "JSONResponseError"]


class DynamoDBResponseError(JSONResponseError):
    """boto 2's ``boto.exception.DynamoDBResponseError`` (its DynamoDB v1 API's errors):
    never raised by dynamodb2, whose service errors are ``JSONResponseError`` instances."""
