"""RegionInfo: boto 2's description of a region (a name and an endpoint host).

>>> RegionInfo(name="eu-west-1", endpoint="dynamodb.eu-west-1.amazonaws.com")
RegionInfo:eu-west-1
"""

from __future__ import annotations

from typing import Any

__all__ = ["RegionInfo"]


class RegionInfo:
    """A region name and the host of its endpoint, as boto 2's ``boto.regioninfo.RegionInfo``.

    ``connect(**kw)`` opens a connection of ``connection_cls`` to this region.
    """

    def __init__(
        self,
        connection: Any = None,
        name: str | None = None,
        endpoint: str | None = None,
        connection_cls: Any = None,
    ) -> None:
        self.connection = connection
        self.name = name
        self.endpoint = endpoint
        self.connection_cls = connection_cls

    def __repr__(self) -> str:
        return f"RegionInfo:{self.name}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RegionInfo):
            return NotImplemented
        return (self.name, self.endpoint) == (other.name, other.endpoint)

    def __hash__(self) -> int:
        return hash((self.name, self.endpoint))

    def connect(self, **kw_params: Any) -> Any:
        """A connection of ``connection_cls`` to this region, or ``None`` if there is no class."""
        if self.connection_cls is None:
            return None
        return self.connection_cls(region=self, **kw_params)
