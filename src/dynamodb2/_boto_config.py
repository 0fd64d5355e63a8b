"""boto 2's configuration file: the settings its layer1 connection read.

>>> settings = DynamoDBSettings.read()                       # doctest: +SKIP
>>> settings.region, settings.validate_checksums(True)       # doctest: +SKIP
('eu-west-1', True)

boto 2 read its INI file when imported: ``BOTO_CONFIG`` names the only file read; else
``BOTO_PATH`` lists files (separated by ``os.pathsep``); else ``/etc/boto.cfg`` and then
``~/.boto``, a later file's value winning. Its ``DynamoDBConnection`` took two settings
from the ``[DynamoDB]`` section: ``region`` (when no ``region=`` was given) and
``validate_checksums`` (over the keyword: boto 2's ``getbool`` gave the file the last
word, and read only ``"true"``, in any case, as true). botocore reads the files'
``[Credentials]`` section itself (its ``boto-config`` credential provider), and the
file ``AWS_CREDENTIAL_FILE`` names; the keys boto 2 code sets at run time are found
here (:func:`legacy_credentials`). From ``[Boto]``, the settings
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
from botocore.credentials import CredentialProvider, Credentials
from botocore.exceptions import BotoCoreError, UnknownCredentialError

from ._sessions import new_session
from .exceptions import ParameterValidationError

__all__ = ["RUN_TIME", "DynamoDBSettings", "config_files", "legacy_credentials"]

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
_CREDENTIALS: Final = "Credentials"
#: The names of boto 2's ``[Credentials]`` options: key, secret, session token.
_KEY_NAMES: Final = ("aws_access_key_id", "aws_secret_access_key", "aws_security_token")
#: botocore's providers of what boto 2 read into ``[Credentials]``: ``AWS_CREDENTIAL_FILE``
#: (the AWS Java tools' key file) and the boto config files. Keys set at run time go
#: before the first found.
_BOTO_CONFIG_PROVIDERS: Final = ("ec2-credentials-file", "boto-config")


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


@attrs.frozen
class LegacyCredentials:
    """Keys from boto 2's ``[Credentials]`` that botocore does not read, and where they
    came from (the secret is never shown)."""

    access_key: str
    secret_key: str = attrs.field(repr=False)
    token: str | None = attrs.field(repr=False)
    source: str


def legacy_credentials(profile_name: str | None = None) -> LegacyCredentials | None:
    """The ``[Credentials]`` keys boto 2 code set at run time (``boto.config.set(
    "Credentials", "aws_access_key_id", ...)`` under the shim), or ``None``.

    They count where boto 2's ``[Credentials]`` did: only when no profile is named (by
    ``profile_name`` or ``AWS_PROFILE``), and when nothing ahead of that section in
    botocore's credential chain has keys (the environment, the shared credentials and
    config files, ...), so the answer is ``None`` then too. They come before the file
    ``AWS_CREDENTIAL_FILE`` names and the files' own ``[Credentials]``, as boto 2 let
    them override both (botocore reads those itself).
    """
    if profile_name is not None or "AWS_PROFILE" in os.environ:
        return None
    options = RUN_TIME.get(_CREDENTIALS, {})
    key, secret, token = (options.get(name) or None for name in _KEY_NAMES)
    if key is None or secret is None:
        return None
    found = LegacyCredentials(key, secret, token, _RUN_TIME_SOURCE)
    return found if _first_in_chain(found) else None


class _Found(CredentialProvider):
    """``LegacyCredentials`` as a botocore credential provider."""

    METHOD = "boto2-run-time-config"
    CANONICAL_NAME = "Boto2RunTimeConfig"

    def __init__(self, found: LegacyCredentials) -> None:
        super().__init__()
        self._found = found

    def load(self) -> Credentials:
        found = self._found
        return Credentials(found.access_key, found.secret_key, found.token, method=self.METHOD)


def _first_in_chain(found: LegacyCredentials) -> bool:
    """Whether botocore's default chain, with ``found`` placed before the providers of
    boto 2's other ``[Credentials]`` keys, signs with ``found``: nothing ahead of them
    has keys."""
    resolver = new_session().get_component("credential_provider")
    for place in _BOTO_CONFIG_PROVIDERS:
        try:
            resolver.insert_before(place, _Found(found))
            break
        except UnknownCredentialError:
            continue
    else:
        resolver.insert_after("env", _Found(found))
    try:
        credentials = resolver.load_credentials()
    except BotoCoreError:
        return False  # the connection's own lookup will say what is wrong
    return credentials is not None and credentials.method == _Found.METHOD
