"""boto 2's configuration file: the ``[DynamoDB]`` settings its layer1 connection read.

>>> settings = DynamoDBSettings.read()                       # doctest: +SKIP
>>> settings.region, settings.validate_checksums(True)       # doctest: +SKIP
('eu-west-1', True)

boto 2 read its INI file when imported: ``BOTO_CONFIG`` names the only file read; else
``BOTO_PATH`` lists files (separated by ``os.pathsep``); else ``/etc/boto.cfg`` and then
``~/.boto``, a later file's value winning. Its ``DynamoDBConnection`` took two settings
from the ``[DynamoDB]`` section: ``region`` (when no ``region=`` was given) and
``validate_checksums`` (over the keyword: boto 2's ``getbool`` gave the file the last
word, and read only ``"true"``, in any case, as true). botocore reads the ``[Credentials]``
section itself (its ``boto2-config`` credential provider); nothing else of the file has a
meaning for DynamoDB here.

The files are read when a :class:`~dynamodb2.layer1.DynamoDBConnection` is made, so a
test can point ``HOME`` or ``BOTO_CONFIG`` elsewhere, as it can the AWS variables.
"""

from __future__ import annotations

import configparser
import os
from typing import Final

import attrs

from .exceptions import ParameterValidationError

__all__ = ["DynamoDBSettings", "config_files"]

_SECTION: Final = "DynamoDB"


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
    (``None``: not set), and the file each came from."""

    region: str | None = None
    region_source: str | None = None
    checksums: str | None = None

    @classmethod
    def read(cls) -> DynamoDBSettings:
        """The settings of the files boto 2 would read now (missing files are skipped).

        Raises :class:`~dynamodb2.exceptions.ParameterValidationError` for a file that is
        not an INI file, naming it (boto 2 failed on import).
        """
        region = region_source = checksums = None
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
            if parser.has_option(_SECTION, "region"):
                region, region_source = parser.get(_SECTION, "region").strip(), path
            if parser.has_option(_SECTION, "validate_checksums"):
                checksums = parser.get(_SECTION, "validate_checksums")
        return cls(region or None, region_source if region else None, checksums)

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
