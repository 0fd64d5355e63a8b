"""Time to live: DynamoDB deletes items once the time in a chosen attribute has passed.

>>> table.enable_ttl("expires_at")          # doctest: +SKIP
True
>>> table.describe_ttl()                    # doctest: +SKIP
TimeToLive(status='ENABLED', attribute_name='expires_at')

The attribute holds a number: a time in seconds since the epoch (``int(time.time()) +
3600``). Items without it, or with a non-number in it, never expire. Expired items are
deleted in the background, usually within a few days, and may still be read until then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from ._arguments import text
from ._responses import Shape, json_kind
from .exceptions import RequestValidationError

__all__ = ["TimeToLive", "check_ttl_attribute_name"]

_MAX_ATTRIBUTE_NAME_LENGTH: Final = 255
_DESCRIBE_TTL: Final = Shape("DescribeTimeToLive")


def _string(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    text(value, attribute.name, wire=False, none=False)


def _string_or_none(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    text(value, attribute.name, wire=False)


@attrs.frozen
class TimeToLive:
    """A table's time-to-live setting, as DescribeTimeToLive reports it.

    >>> TimeToLive.from_response({"TimeToLiveDescription": {
    ...     "TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}}).enabled
    True
    """

    #: ``"ENABLED"``, ``"ENABLING"``, ``"DISABLED"`` or ``"DISABLING"``.
    status: str = attrs.field(validator=_string)
    #: The attribute holding each item's expiry time (``None`` if never set).
    attribute_name: str | None = attrs.field(default=None, validator=_string_or_none)

    @property
    def enabled(self) -> bool:
        """Whether expiry is on, or being turned on."""
        return self.status in ("ENABLED", "ENABLING")

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> TimeToLive:
        """Read DescribeTimeToLive's response (a field of the wrong type raises
        :class:`~dynamodb2.exceptions.MalformedResponseError`)."""
        shape = _DESCRIBE_TTL
        if not isinstance(response, Mapping):
            raise shape.malformed("the response", f"is {json_kind(response)}, not an object")
        description = shape.mapping(response, "TimeToLiveDescription")
        status = shape.string(
            description,
            "TimeToLiveStatus",
            "TimeToLiveDescription.TimeToLiveStatus",
            default="DISABLED",
        )
        assert status is not None
        name = shape.string(description, "AttributeName", "TimeToLiveDescription.AttributeName")
        return cls(status=status, attribute_name=name or None)


def check_ttl_attribute_name(attribute_name: object) -> str:
    """Refuse an attribute name DynamoDB would refuse for time to live; return it.

    >>> check_ttl_attribute_name("expires_at")
    'expires_at'
    """
    if not isinstance(attribute_name, str):
        raise RequestValidationError(
            "attribute_name (the time-to-live attribute) must be a str, not "
            f"{type(attribute_name).__name__}"
        )
    if not 1 <= len(attribute_name) <= _MAX_ATTRIBUTE_NAME_LENGTH:
        raise RequestValidationError(
            f"the time-to-live attribute name must be 1 to {_MAX_ATTRIBUTE_NAME_LENGTH} "
            f"characters long, not {len(attribute_name)}"
        )
    return attribute_name
