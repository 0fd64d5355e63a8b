"""New botocore sessions, made cheaply: what every session builds the same way is built once.

>>> session = new_session()                      # doctest: +SKIP
>>> session.get_config_variable("region")        # doctest: +SKIP
'eu-west-1'

A :class:`~dynamodb2.connection.Connection` takes its configuration (profile, region,
endpoint, credentials) from a session of its own, so each connection sees the
environment as it is when the connection is made. But a plain ``botocore.session.Session()``
plus ``create_client`` costs about 0.1 s, nearly all of it rebuilding what never differs
between sessions:

- **the data loader** (~80 ms): botocore's JSON models (DynamoDB's service model,
  endpoints, partitions, endpoint rules, retry and defaults configuration) are read and
  parsed again by each session's own loader. Here sessions share one loader per
  ``data_path``, as all clients of one boto3 session do; it caches what it has read.
- **the built-in event handlers** (~15 ms): each session registers botocore's ~120
  ``BUILTIN_HANDLERS`` one by one, inspecting every handler's signature. Here they are
  registered once on an emitter that each new session gets a copy of, exactly as
  ``Session(include_builtin_handlers=True)`` would register them. The copy is remade
  whenever ``BUILTIN_HANDLERS`` changes (``import moto`` appends its ``before-send``
  handler; a session made afterwards must carry it).

Only public botocore names are used: ``Session(event_hooks=..., include_builtin_handlers=...)``,
``register_component``, ``botocore.loaders.create_loader``, ``botocore.hooks`` and
``botocore.handlers.BUILTIN_HANDLERS``.

A ``boto3.Session`` given to a connection stands for such a session
(:func:`botocore_session_for`): one of its profile, with its region, its credentials
and its event handlers, taken through boto3's public API only.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Protocol, cast, runtime_checkable

import botocore.handlers
import botocore.session
from botocore.credentials import CredentialProvider, CredentialResolver, Credentials
from botocore.hooks import EventAliaser, HierarchicalEmitter
from botocore.loaders import Loader, create_loader

from ._arguments import is_boto3_session

__all__ = ["Boto3Session", "botocore_session_for", "new_session"]


@runtime_checkable
class Boto3Session(Protocol):
    """What a connection uses of a ``boto3.Session``: its public properties and
    ``get_credentials()``."""

    @property
    def profile_name(self) -> str: ...

    @property
    def region_name(self) -> str | None: ...

    @property
    def available_profiles(self) -> list[str]: ...

    @property
    def events(self) -> Any: ...

    def get_credentials(self) -> Credentials | None: ...


_lock = threading.Lock()
_loaders: dict[str | None, Loader] = {}
# The BUILTIN_HANDLERS the template was built from, and the template.
_template: tuple[tuple[Any, ...], HierarchicalEmitter] | None = None


def new_session(profile: str | None = None) -> botocore.session.Session:
    """A new botocore session for ``profile``, sharing what can be shared.

    Raises botocore's ``ProfileNotFound`` for an unknown profile, as botocore does.
    """
    session = botocore.session.Session(
        profile=profile, event_hooks=_builtin_handlers(), include_builtin_handlers=False
    )
    session.register_component("data_loader", _loader_for(session.get_config_variable("data_path")))
    return session


def botocore_session_for(
    session: botocore.session.Session | Boto3Session,
) -> botocore.session.Session:
    """The botocore session a connection given ``session`` takes its configuration from.

    A botocore session is itself. For a ``boto3.Session``: a new session of the same
    profile (its config file settings, endpoint, retry mode, CA bundle ...), with the
    boto3 session's region, the boto3 session's credentials (``get_credentials()``,
    looked up on the first call, so refreshable ones refresh as for its clients) and
    its event emitter (handlers registered on ``boto3_session.events`` see the
    requests, as for its clients).

    >>> import boto3                                              # doctest: +SKIP
    >>> botocore_session_for(boto3.Session(region_name="eu-west-1")).get_config_variable(
    ...     "region")                                             # doctest: +SKIP
    'eu-west-1'
    """
    if not is_boto3_session(session):
        return cast("botocore.session.Session", session)
    boto3_session = cast("Boto3Session", session)
    profile: str | None = boto3_session.profile_name
    if profile == "default" and "default" not in boto3_session.available_profiles:
        profile = None  # boto3 calls "no profile" "default"; botocore wants None
    botocore_session = new_session(profile)
    region = boto3_session.region_name
    if region:
        botocore_session.set_config_variable("region", region)
    botocore_session.register_component(
        "credential_provider", CredentialResolver([_CredentialsOf(boto3_session)])
    )
    botocore_session.register_component("event_emitter", boto3_session.events)
    return botocore_session


class _CredentialsOf(CredentialProvider):
    """The credentials of a boto3 session, as a botocore credential provider."""

    METHOD = "boto3-session"
    CANONICAL_NAME = "Boto3Session"

    def __init__(self, session: Boto3Session) -> None:
        super().__init__()
        self._boto3_session = session

    def load(self) -> Credentials | None:
        return self._boto3_session.get_credentials()


def _loader_for(data_path: str | None) -> Loader:
    with _lock:
        loader = _loaders.get(data_path)
        if loader is None:
            loader = create_loader(data_path)
            _loaders[data_path] = loader
        return loader


def _builtin_handlers() -> HierarchicalEmitter:
    """A new emitter holding botocore's built-in handlers as they are now."""
    global _template  # noqa: PLW0603 - the one shared template, guarded by _lock
    handlers = tuple(botocore.handlers.BUILTIN_HANDLERS)
    with _lock:
        if _template is None or _template[0] != handlers:
            _template = (handlers, _register(handlers))
        return copy.copy(_template[1])


def _register(handlers: tuple[Any, ...]) -> HierarchicalEmitter:
    """An emitter with ``handlers`` registered as botocore's Session registers them."""
    emitter = HierarchicalEmitter()
    # The session wraps its emitter in an EventAliaser and registers through it, so
    # handlers for renamed services land under their current names.
    aliased = EventAliaser(emitter)
    for spec in handlers:
        if len(spec) == 2:
            event_name, handler = spec
            aliased.register(event_name, handler)
        else:
            event_name, handler, register_type = spec
            if register_type is botocore.handlers.REGISTER_FIRST:
                aliased.register_first(event_name, handler)
            elif register_type is botocore.handlers.REGISTER_LAST:
                aliased.register_last(event_name, handler)
    return emitter
