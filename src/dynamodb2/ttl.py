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

from .exceptions import RequestValidationError

__all__ = ["TimeToLive", "check_ttl_attribute_name"]

_MAX_ATTRIBUTE_NAME_LENGTH: Final = 255


@attrs.frozen
class TimeToLive:
    """A table's time-to-live setting, as DescribeTimeToLive reports it.

    >>> TimeToLive.from_response({"TimeToLiveDescription": {
    ...     "TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}}).enabled
    True
    """

    #: ``"ENABLED"``, ``"ENABLING"``, ``"DISABLED"`` or ``"DISABLING"``.
    status: str
    #: The attribute holding each item's expiry time (``None`` if never set).
    attribute_name: str | None = None

    @property
    def enabled(self) -> bool:
        """Whether expiry is on, or being turned on."""
        return self.status in ("ENABLED", "ENABLING")

    @classmethod
    def from_response(cls, response: Mapping[str, Any]) -> TimeToLive:
        """Read DescribeTimeToLive's response."""
        description = response.get("TimeToLiveDescription") or {}
        return cls(
            status=str(description.get("TimeToLiveStatus", "DISABLED")),
            attribute_name=description.get("AttributeName") or None,
        )


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
