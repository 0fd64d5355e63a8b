"""What the shim's ``boto`` module holds: the names legacy code reads on ``boto`` itself.

>>> from dynamodb2 import _legacy_boto as boto
>>> boto.__version__
'2.49.0'
>>> tuple(int(part) for part in boto.__version__.split("."))
(2, 49, 0)
>>> boto.config.getint("Boto", "num_retries", 5)
5

Only what DynamoDB programs touched: the version, the ``boto`` loggers and their two
helpers, and a small in-memory ``config`` (it reads no file: ``DynamoDBConnection`` reads
the boto config file's ``[DynamoDB]`` and ``[Boto]`` settings itself, under what
``config.set(...)`` set at run time, and botocore the files' ``[Credentials]``, under
keys set at run time; see
``docs/coming-from-boto2.md``).
``connect_dynamodb`` is refused: it opened boto's DynamoDB *v1* API.
"""

from __future__ import annotations

import logging
import platform
from typing import Any, Final, NoReturn

from ._boto_config import RUN_TIME
from ._version import __version__ as _dynamodb2_version

__all__ = [
    "UserAgent",
    "Version",
    "__version__",
    "config",
    "connect_dynamodb",
    "log",
    "perflog",
    "set_file_logger",
    "set_stream_logger",
]

# Exactly boto's last version: code parses it (`tuple(int(x) for x in
# boto.__version__.split("."))`, as moto's boto-era helpers do). The shim says who it is in
# `UserAgent`; the package's own version is `dynamodb2.__version__`.
__version__: Final = "2.49.0"
Version: Final = __version__  # boto 2 kept this older name too

UserAgent: Final = (
    f"dynamodb2/{_dynamodb2_version} (boto 2.49 shim) Python/{platform.python_version()}"
)

_DEFAULT_FORMAT: Final = "%(asctime)s %(name)s [%(levelname)s]:%(message)s"

log = logging.getLogger("boto")
perflog = logging.getLogger("boto.perf")
log.addHandler(logging.NullHandler())
perflog.addHandler(logging.NullHandler())


def _attach(name: str, handler: logging.Handler, level: int, format_string: str | None) -> None:
    global log  # noqa: PLW0603 - boto 2's helpers rebound boto.log the same way
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(format_string or _DEFAULT_FORMAT))
    names = [name]
    # Asking for boto's own log meant "show me what the library does": that is now
    # the dynamodb2 logger's output.
    if name == "boto":
        names.append("dynamodb2")
    for logger_name in names:
        logger = logging.getLogger(logger_name)
        logger.setLevel(level)
        logger.addHandler(handler)
    log = logging.getLogger(name)


def set_stream_logger(
    name: str, level: int = logging.DEBUG, format_string: str | None = None
) -> None:
    """Log ``name`` (and, for ``"boto"``, ``dynamodb2``) to stderr, as boto 2 did.

    >>> set_stream_logger("boto", logging.INFO)  # doctest: +SKIP
    """
    _attach(name, logging.StreamHandler(), level, format_string)


def set_file_logger(
    name: str, filepath: str, level: int = logging.INFO, format_string: str | None = None
) -> None:
    """Log ``name`` (and, for ``"boto"``, ``dynamodb2``) to a file, as boto 2 did.

    >>> set_file_logger("boto", "/tmp/boto.log")  # doctest: +SKIP
    """
    _attach(name, logging.FileHandler(filepath), level, format_string)


class LegacyConfig:
    """A stand-in for boto 2's ``boto.config``: answers with the defaults it is given.

    Nothing is read from ``~/.boto`` or ``/etc/boto.cfg`` (``DynamoDBConnection`` reads
    their ``[DynamoDB]`` and ``[Boto]`` settings itself). Values set at run time
    (``config.set(...)``) are kept and returned; the shim's ``boto.config`` keeps them
    where ``DynamoDBConnection`` reads them too, over the files' (``[Credentials]`` keys,
    ``[DynamoDB] region``
    and ``validate_checksums``, ``[Boto]`` proxy, ``is_secure``, certificates,
    ``http_socket_timeout`` and ``debug``), as boto 2's connections did.

    >>> config = LegacyConfig()
    >>> config.getbool("DynamoDB", "validate_checksums", True)
    True
    """

    def __init__(self, sections: dict[str, dict[str, str]] | None = None) -> None:
        self._sections: dict[str, dict[str, str]] = {} if sections is None else sections

    def sections(self) -> list[str]:
        """The sections set at run time."""
        return list(self._sections)

    def has_section(self, section: str) -> bool:
        """Whether ``section`` was set at run time."""
        return section in self._sections

    def has_option(self, section: str, name: str) -> bool:
        """Whether ``name`` was set in ``section`` at run time."""
        return name in self._sections.get(section, {})

    def add_section(self, section: str) -> None:
        """Add an empty section."""
        self._sections.setdefault(section, {})

    def set(self, section: str, name: str, value: str) -> None:
        """Set an option (kept in memory only)."""
        self._sections.setdefault(section, {})[name] = str(value)

    def setbool(self, section: str, name: str, value: bool) -> None:
        """Set a boolean option (kept in memory only)."""
        self.set(section, name, "true" if value else "false")

    def get(self, section: str, name: str, default: Any = None) -> Any:
        """The option's value, or ``default``."""
        return self._sections.get(section, {}).get(name, default)

    get_value = get  # boto 2's other name for it

    def getint(self, section: str, name: str, default: int = 0) -> int:
        """The option as an ``int``, or ``default``."""
        value = self.get(section, name)
        return default if value is None else int(value)

    def getfloat(self, section: str, name: str, default: float = 0.0) -> float:
        """The option as a ``float``, or ``default``."""
        value = self.get(section, name)
        return default if value is None else float(value)

    def getbool(self, section: str, name: str, default: bool = False) -> bool:
        """The option as a ``bool`` (``"true"``, case-insensitive), or ``default``."""
        value = self.get(section, name)
        return default if value is None else str(value).lower() == "true"


config = LegacyConfig(RUN_TIME)


def connect_dynamodb(*args: Any, **kwargs: Any) -> NoReturn:
    """Refused: boto's ``connect_dynamodb`` opened the DynamoDB v1 API (``Layer2``).

    Raises:
        NotImplementedError: always, naming the boto.dynamodb2 replacements.
    """
    raise NotImplementedError(
        "boto.connect_dynamodb() opens boto's DynamoDB v1 API (boto.dynamodb.layer2, "
        "the 2011 API), which dynamodb2 does not provide. Use the 2012-08-10 API instead: "
        "boto.dynamodb2.connect_to_region('us-east-1', ...) or "
        "boto.dynamodb2.layer1.DynamoDBConnection(...), with "
        "boto.dynamodb2.table.Table for the high-level interface."
    )
