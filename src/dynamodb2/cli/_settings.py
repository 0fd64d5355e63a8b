"""The command line's global options, and the connections and tables made from them."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.config import Config

from dynamodb2.connection import Connection
from dynamodb2.table import Table

from ._notices import RetryNotices

__all__ = ["Settings", "where"]


def where(connection: Connection) -> str:
    """Where ``connection``'s requests go: ``(region us-east-1, endpoint http://...)``."""
    return f"(region {connection.region_name}, endpoint {connection.endpoint_url})"


@dataclass(frozen=True)
class Settings:
    """The global options, and connections made from them."""

    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None
    quiet: bool = False
    debug: bool = False
    #: Attempts per request (the first included) before an error is reported; ``None``
    #: keeps the library's default policy.
    max_attempts: int | None = None

    def connect(self, *, pool: int = 10) -> Connection:
        """A connection with these options (the environment and profile fill the rest).

        Its retries are shown on stderr as they happen, unless ``--quiet``.
        """
        return Connection(
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            profile_name=self.profile,
            max_pool_connections=pool,
            # Without --max-attempts, the environment and profile decide (AWS_MAX_ATTEMPTS,
            # AWS_RETRY_MODE), as for boto3.
            config=(
                None
                if self.max_attempts is None
                else Config(retries={"total_max_attempts": self.max_attempts})
            ),
            on_retry=None if self.quiet else RetryNotices(),
        )

    def where(self) -> str:
        """Where requests go, for messages: ``(region us-east-1, endpoint http://...)``."""
        connection = self.connect()
        try:
            return where(connection)
        finally:
            connection.close()

    def table(self, name: str, *, pool: int = 10) -> Table:
        """A :class:`~dynamodb2.table.Table` for ``name`` on a new connection."""
        return Table(name, connection=self.connect(pool=pool))
