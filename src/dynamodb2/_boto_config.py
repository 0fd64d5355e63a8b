"""boto 2's configuration file: the settings its layer1 connection read.

>>> settings = DynamoDBSettings.read()                       # doctest: +SKIP
>>> settings.region, settings.validate_checksums(True)       # doctest: +SKIP
('eu-west-1', True)

boto 2 read its INI file when imported: ``BOTO_CONFIG`` names the only file read; else
``BOTO_PATH`` lists files (separated by ``os.pathsep``); else ``/etc/boto.cfg`` and then
``~/.boto``, a later file's value winning. Its ``DynamoDBConnection`` took two settings
from the ``[DynamoDB]`` section: ``region`` (when no ``region=`` was given) and
``validate_checksums`` (over the keyword: boto 2's ``getbool`` gave the file the last
word, and read only ``"true"``, in any case, as true). botocore reads the ``[Credentials]``
section itself (its ``boto2-config`` credential provider). From ``[Boto]``, the settings
boto 2's connections read that mean something here: the proxy, ``is_secure``, the
certificate settings, ``http_socket_timeout`` and ``debug``.

The files are read when a :class:`~dynamodb2.layer1.DynamoDBConnection` is made, so a
test can point ``HOME`` or ``BOTO_CONFIG`` elsewhere, as it can the AWS variables. What
boto 2 code sets at run time (``boto.config.set("DynamoDB", "region", ...)`` under the
shim) is kept in :data:`RUN_TIME` and wins over the files, as it did in boto 2.
"""

from __future__ import annotations

import configparser
import os
from typing import Final

import attrs

from .exceptions import ParameterValidationError

__all__ = ["RUN_TIME", "DynamoDBSettings", "config_files"]

_SECTION: Final = "DynamoDB"
_BOTO: Final = "Boto"
#: The ``[Boto]`` settings boto 2's connections read that mean something here.
_BOTO_OPTIONS: Final = (
    "proxy",
    "proxy_port",
    "proxy_user",
    "proxy_pass",
    "is_secure",
    "https_validate_certificates",
    "ca_certificates_file",
    "http_socket_timeout",
    "debug",
)


#: The options boto 2 code set at run time (the shim's ``boto.config.set``): section to
#: option to value, read over the files' values whenever a connection is made.
RUN_TIME: Final[dict[str, dict[str, str]]] = {}
#: Where an option set at run time came from, in error messages.
_RUN_TIME_SOURCE: Final = "boto.config (set at run time)"


def config_files() -> list[str]:
    """The files boto 2 read, in the order it read them (later values win).

    >>> config_files()                  # doctest: +SKIP
    ['/etc/boto.cfg', '/home/me/.boto']
    """
    if "BOTO_CONFIG" in os.environ:
        return [os.path.expanduser(os.environ["BOTO_CONFIG"])]
    if "BOTO_PATH" in os.environ:
        return [os.path.expanduser(path) for path in os.environ["BOTO_PATH"].split(os.pathsep)]
    return ["/etc/boto.cfg", os.path.expanduser("~/.boto")]


@attrs.frozen
class DynamoDBSettings:
    """The ``[DynamoDB]`` section's ``region`` and ``validate_checksums``, as written
    (``None``: not set), and where each came from (``"boto config file <path>"``, or
    ``"boto.config (set at run time)"``)."""

    region: str | None = None
    region_source: str | None = None
    checksums: str | None = None
    #: The ``[Boto]`` options set (see ``_BOTO_OPTIONS``): name to (value, source).
    boto: dict[str, tuple[str, str]] = attrs.field(factory=dict)

    @classmethod
    def read(cls) -> DynamoDBSettings:
        """The settings of the files boto 2 would read now (missing files are skipped),
        under those set at run time (:data:`RUN_TIME`).

        Raises :class:`~dynamodb2.exceptions.ParameterValidationError` for a file that is
        not an INI file, naming it (boto 2 failed on import).
        """
        region = region_source = checksums = None
        boto: dict[str, tuple[str, str]] = {}
        for path in config_files():
            if not os.path.isfile(path):
                continue
            parser = configparser.ConfigParser(interpolation=None)
            try:
                parser.read(path, encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError) as error:
                raise ParameterValidationError(
                    f"boto config file {path} cannot be read: {error}"
                ) from None
            source = f"boto config file {path}"
            if parser.has_option(_SECTION, "region"):
                region, region_source = parser.get(_SECTION, "region").strip(), source
            if parser.has_option(_SECTION, "validate_checksums"):
                checksums = parser.get(_SECTION, "validate_checksums")
            for option in _BOTO_OPTIONS:
                if parser.has_option(_BOTO, option):
                    boto[option] = (parser.get(_BOTO, option).strip(), source)
        dynamodb = RUN_TIME.get(_SECTION, {})
        if "region" in dynamodb:
            region, region_source = dynamodb["region"].strip(), _RUN_TIME_SOURCE
        checksums = dynamodb.get("validate_checksums", checksums)
        for option, value in RUN_TIME.get(_BOTO, {}).items():
            if option in _BOTO_OPTIONS:
                boto[option] = (value.strip(), _RUN_TIME_SOURCE)
        return cls(region or None, region_source if region else None, checksums, boto)

    def boto_text(self, option: str) -> str | None:
        """A ``[Boto]`` option as written (``None``: not set, or empty)."""
        value = self.boto.get(option)
        return value[0] if value is not None and value[0] else None

    def boto_flag(self, option: str, given: bool, *, strict: bool = False) -> bool:
        """A ``[Boto]`` flag over ``given``, as boto 2 read it: with ``strict``, as
        ``ConfigParser.getboolean`` (``is_secure``: 1/yes/true/on, 0/no/false/off, else
        refused); otherwise boto's ``getbool`` (only ``"true"``, in any case, is true).

        >>> settings = DynamoDBSettings(boto={"is_secure": ("no", "boto.cfg")})
        >>> settings.boto_flag("is_secure", True, strict=True)
        False
        """
        value = self.boto.get(option)
        if value is None:
            return given
        text, source = value
        lowered = text.lower()
        if not strict:
            return lowered == "true"
        if lowered in ("1", "yes", "true", "on"):
            return True
        if lowered in ("0", "no", "false", "off"):
            return False
        raise ParameterValidationError(f"[Boto] {option} in {source}: {text!r} is not a boolean")

    def boto_number(self, option: str) -> int | None:
        """A ``[Boto]`` whole number (``None``: not set); anything else is refused."""
        value = self.boto.get(option)
        if value is None or not value[0]:
            return None
        text, source = value
        try:
            return int(text)
        except ValueError:
            raise ParameterValidationError(
                f"[Boto] {option} in {source}: {text!r} is not a whole number"
            ) from None

    def boto_source(self, option: str) -> str | None:
        """Where a ``[Boto]`` option came from (``"boto config file <path>"``...)."""
        value = self.boto.get(option)
        return value[1] if value is not None else None

    def validate_checksums(self, given: bool) -> bool:
        """Whether to check CRC32s: the file's setting when it has one (boto 2's
        ``getbool``: ``"true"`` in any case is true, anything else false), else ``given``.

        >>> DynamoDBSettings(checksums="False").validate_checksums(True)
        False
        >>> DynamoDBSettings().validate_checksums(True)
        True
        """
        if self.checksums is None:
            return given
        return self.checksums.strip().lower() == "true"
