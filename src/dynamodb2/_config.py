"""A connection's settings, resolved from its arguments, botocore's ``Config`` and the
session's configuration the way boto3 resolves a client's (see docs/configuration.md).

>>> settings = resolve_settings(new_session(), region_name="eu-west-1")   # doctest: +SKIP
>>> settings.endpoint_url, settings.retry.max_attempts                     # doctest: +SKIP
('https://dynamodb.eu-west-1.amazonaws.com', 10)

Precedence, as for ``session.create_client(...)``: an explicit argument, then the
``config=`` given (merged over the session's default client config with ``Config.merge``),
then the environment and the profile in ``~/.aws/config``, then the default. Only
botocore's public API is read: ``Session.get_config_variable``, ``get_scoped_config``,
``full_config``, ``get_default_client_config``, ``get_component("data_loader")``,
``botocore.endpoint_provider.EndpointProvider`` (the endpoint rules botocore's clients
evaluate) and ``botocore.utils``' proxy and region helpers. No client is built.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit, urlunsplit

import attrs

from ._http11 import DEFAULT_PORTS, check_header_value
from .connection import DEFAULT_REGION
from .exceptions import ParameterValidationError
from .retry import DEFAULT_RETRY_POLICY, RETRY_MODES, RetryPolicy

if TYPE_CHECKING:
    import botocore.config
    import botocore.session
    from botocore.endpoint_provider import EndpointProvider

__all__ = ["ClientSettings", "resolve_settings", "without_default_port"]
logger = logging.getLogger("dynamodb2")
_SERVICE: Final = "dynamodb"
#: Where a CA bundle may come from, for messages.
_CA_BUNDLE_SOURCES: Final = "verify=, AWS_CA_BUNDLE, the profile's ca_bundle or REQUESTS_CA_BUNDLE"
#: The service's part of AWS_ENDPOINT_URL_<SERVICE> and of a profile's services section.
_ENDPOINT_VARIABLE: Final = "AWS_ENDPOINT_URL_DYNAMODB"
_DEFAULT_TIMEOUT: Final = 60.0
_DEFAULT_POOL: Final = 10


@attrs.frozen
class ClientSettings:
    """Everything a connection needs to know before its first request."""

    region_name: str
    #: The region requests are signed for (the endpoint's; usually ``region_name``).
    signing_region: str
    endpoint_url: str
    verify: bool | str
    connect_timeout: float
    read_timeout: float
    max_pool_connections: int
    #: Proxy URLs by scheme (a password in one is not shown in the ``repr``).
    proxies: dict[str, str] = attrs.field(repr=lambda proxies: repr(_without_passwords(proxies)))
    proxies_config: dict[str, Any]
    tcp_keepalive: bool
    client_cert: str | tuple[str, str] | None
    user_agent_extra: str
    retry: RetryPolicy
    #: Whether requests go unsigned (``Config(signature_version=botocore.UNSIGNED)``):
    #: no credentials are looked up or sent.
    unsigned: bool = False


def _without_passwords(proxies: dict[str, str]) -> dict[str, str]:
    """Proxy URLs as shown: a password in one is replaced by ``***``.

    >>> _without_passwords({"https": "http://me:s3cret@proxy:3128"})
    {'https': 'http://me:***@proxy:3128'}
    """
    shown = {}
    for scheme, url in proxies.items():
        parts = urlsplit(url)
        if parts.password is None:
            shown[scheme] = url
            continue
        user, _, host = parts.netloc.rpartition("@")
        shown[scheme] = urlunsplit(parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}"))
    return shown


def without_default_port(url: str) -> str:
    """``url`` without ``:443`` after an ``https`` host, or ``:80`` after an ``http`` one.

    botocore signs and moto's ``mock_aws`` matches the URL without the default port, so
    ``https://dynamodb.us-east-1.amazonaws.com:443`` must become the plain host.

    >>> without_default_port("https://dynamodb.us-east-1.amazonaws.com:443/")
    'https://dynamodb.us-east-1.amazonaws.com/'
    >>> without_default_port("http://localhost:80"), without_default_port("http://h:8000")
    ('http://localhost', 'http://h:8000')
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return url  # refused by check_endpoint_url, with a clearer message
    if port is None or port != DEFAULT_PORTS.get(parts.scheme):
        return url
    netloc = parts.netloc
    suffix = f":{port}"
    if netloc.endswith(suffix):
        netloc = netloc[: -len(suffix)]
    return urlunsplit(parts._replace(netloc=netloc))


def check_endpoint_url(url: str, what: str = "endpoint URL") -> None:
    """Refuse a URL that is not ``http(s)://host[:port][/path]``."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise ParameterValidationError(f"{what} has an invalid port: {_shown(url)!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ParameterValidationError(
            f"{what} must start with http:// or https:// and name a host, not {_shown(url)!r}"
        )


def _shown(url: str) -> str:
    """``url`` for a message: a password in it replaced by ``***``.

    >>> _shown("http://ann:s3cret@proxy:3128/x"), _shown("http://host:8000")
    ('http://ann:***@proxy:3128/x', 'http://host:8000')
    """
    parts = urlsplit(url)
    user, at, host = parts.netloc.rpartition("@")
    if not at or ":" not in user:
        return url
    return urlunsplit(parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}"))


def resolve_settings(
    session: botocore.session.Session,
    config: botocore.config.Config | None = None,
    *,
    region_name: str | None = None,
    endpoint_url: str | None = None,
    verify: bool | str | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    max_pool_connections: int | None = None,
    proxies: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
) -> ClientSettings:
    """The settings of a connection made with these arguments (``None``: not given).

    Raises :class:`~dynamodb2.exceptions.ParameterValidationError` for a setting that
    cannot work, naming where it came from.
    """
    config = _merged_config(session, config)
    region = _region(session, config, region_name)
    plain = region.replace("fips-", "").replace("-fips", "")
    if plain != region:
        # A FIPS pseudo-region ("fips-us-east-1", "us-east-1-fips"): botocore takes it as
        # the region with FIPS endpoints, and warns.
        logger.warning(
            "transforming region from %s to %s and setting use_fips_endpoint to true. "
            "client should not be configured with a fips psuedo region.",
            region,
            plain,
        )
        from botocore.config import Config

        fips_config = Config(use_fips_endpoint=True)
        config = config.merge(fips_config) if config is not None else fips_config
        region = plain
    if endpoint_url is not None:
        check_endpoint_url(endpoint_url)
        url = endpoint_url
        signing_region = region
    else:
        configured = _configured_endpoint_url(session, config)
        if configured is not None:
            check_endpoint_url(
                configured,
                "the configured DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB, "
                "AWS_ENDPOINT_URL or the profile's endpoint_url)",
            )
            url = configured
            signing_region = region
        else:
            url, signing_region = _regional_endpoint(session, config, region)
    url = without_default_port(url)
    if verify is None:
        # As botocore: AWS_CA_BUNDLE or the profile's ca_bundle, else REQUESTS_CA_BUNDLE.
        verify = session.get_config_variable("ca_bundle")
        if verify is None:
            verify = os.environ.get("REQUESTS_CA_BUNDLE")
        if verify is None:
            verify = True
    if isinstance(verify, str) and not verify.strip():
        raise ParameterValidationError(
            f"CA bundle {verify!r} ({_CA_BUNDLE_SOURCES}) is empty: name a CA bundle file"
        )
    if isinstance(verify, str) and not os.path.exists(verify):
        raise ParameterValidationError(
            f"CA bundle {verify!r} ({_CA_BUNDLE_SOURCES}) does not exist"
        )
    chosen_proxies = _proxies(url, config, proxies)
    user_agent_extra = " ".join(
        part
        for part in (
            getattr(session, "user_agent_extra", "") or "",
            getattr(config, "user_agent_extra", None) or "",
        )
        if part
    )
    try:
        check_header_value("user_agent_extra", user_agent_extra)
    except ValueError as error:
        raise ParameterValidationError(str(error)) from None
    app_id = getattr(config, "user_agent_appid", None) or session.get_config_variable(
        "user_agent_appid"
    )
    if app_id:
        from botocore.useragent import sanitize_user_agent_string_component

        # As botocore: "app/<id>", before the extra (characters a header cannot hold
        # become "-").
        app = "app/" + sanitize_user_agent_string_component(str(app_id), allow_hash=True)
        user_agent_extra = f"{app} {user_agent_extra}" if user_agent_extra else app
    tcp_keepalive = getattr(config, "tcp_keepalive", None)
    if tcp_keepalive is None:
        tcp_keepalive = session.get_config_variable("tcp_keepalive")
    return ClientSettings(
        region_name=region,
        signing_region=signing_region,
        endpoint_url=url,
        verify=verify,
        connect_timeout=_seconds(
            "connect_timeout", connect_timeout, getattr(config, "connect_timeout", None)
        ),
        read_timeout=_seconds("read_timeout", read_timeout, getattr(config, "read_timeout", None)),
        max_pool_connections=_pool_size(
            max_pool_connections, getattr(config, "max_pool_connections", None)
        ),
        proxies=chosen_proxies,
        proxies_config=dict(getattr(config, "proxies_config", None) or {}),
        tcp_keepalive=bool(tcp_keepalive),
        client_cert=getattr(config, "client_cert", None),
        user_agent_extra=user_agent_extra,
        retry=retry if retry is not None else _retry_policy(session, config),
        unsigned=_unsigned(config),
    )


def _unsigned(config: botocore.config.Config | None) -> bool:
    """Whether ``config`` says not to sign (``signature_version=botocore.UNSIGNED``);
    refuses a signature version DynamoDB does not take."""
    version = getattr(config, "signature_version", None)
    if version is None or version == "v4":
        return False
    import botocore

    if version is botocore.UNSIGNED:
        return True
    raise ParameterValidationError(
        f"Config(signature_version={version!r}): DynamoDB requests are signed with "
        "SigV4 ('v4', the default) or not at all (botocore.UNSIGNED)"
    )


def _merged_config(
    session: botocore.session.Session, config: botocore.config.Config | None
) -> botocore.config.Config | None:
    """``config`` merged over the session's default client config, as create_client does."""
    if config is not None:
        import botocore.config

        if not isinstance(config, botocore.config.Config):
            raise ParameterValidationError(
                f"config must be a botocore.config.Config, not {type(config).__name__}"
            )
    default = session.get_default_client_config()
    if config is not None and default is not None:
        return default.merge(config)
    return config if config is not None else default


def _region(
    session: botocore.session.Session,
    config: botocore.config.Config | None,
    region_name: str | None,
) -> str:
    from botocore.exceptions import InvalidRegionError
    from botocore.utils import validate_region_name

    if region_name is None:
        region_name = getattr(config, "region_name", None)
    region = region_name or session.get_config_variable("region") or DEFAULT_REGION
    if not isinstance(region, str):
        raise ParameterValidationError(f"region name must be a string, not {region!r}")
    try:
        validate_region_name(region)
    except InvalidRegionError:
        raise ParameterValidationError(f"region name {region!r} is not valid") from None
    return region


def _configured_endpoint_url(
    session: botocore.session.Session, config: botocore.config.Config | None
) -> str | None:
    """The endpoint set in the environment or the profile, as botocore looks it up:
    ``AWS_ENDPOINT_URL_DYNAMODB``, ``AWS_ENDPOINT_URL``, the profile's ``services``
    section, the profile's ``endpoint_url``; none if told to ignore them."""
    ignore = getattr(config, "ignore_configured_endpoint_urls", None)
    if ignore is None:
        ignore = session.get_config_variable("ignore_configured_endpoint_urls")
    if ignore:
        return None
    for variable in (_ENDPOINT_VARIABLE, "AWS_ENDPOINT_URL"):
        value = os.environ.get(variable)
        if value:
            return value
    scoped = session.get_scoped_config()
    services_name = scoped.get("services")
    if isinstance(services_name, str):
        services = session.full_config.get("services", {}).get(services_name)
        if not services:
            # As botocore (InvalidConfigError), rather than an endpoint the profile
            # did not mean.
            raise ParameterValidationError(
                f"the profile is configured to use the services section but the "
                f"{services_name!r} services configuration does not exist"
            )
        section = services.get(_SERVICE)
        if isinstance(section, Mapping):
            value = section.get("endpoint_url")
            if isinstance(value, str) and value:
                return value
    value = scoped.get("endpoint_url")
    return value if isinstance(value, str) and value else None


_providers: dict[int, tuple[Any, EndpointProvider]] = {}
_providers_lock = threading.Lock()


def _endpoint_provider(session: botocore.session.Session) -> EndpointProvider:
    """botocore's endpoint rules for DynamoDB, loaded once per data loader."""
    from botocore.endpoint_provider import EndpointProvider

    loader = session.get_component("data_loader")
    with _providers_lock:
        cached = _providers.get(id(loader))
        if cached is not None and cached[0] is loader:
            return cached[1]
    ruleset = loader.load_service_model(_SERVICE, "endpoint-rule-set-1")
    partitions = loader.load_data("partitions")
    provider = EndpointProvider(ruleset, partitions)
    with _providers_lock:
        _providers[id(loader)] = (loader, provider)
    return provider


def _regional_endpoint(
    session: botocore.session.Session, config: botocore.config.Config | None, region: str
) -> tuple[str, str]:
    """The region's endpoint (FIPS and dual-stack as configured) and its signing region."""
    from botocore.exceptions import EndpointResolutionError

    fips = getattr(config, "use_fips_endpoint", None)
    if fips is None:
        fips = session.get_config_variable("use_fips_endpoint")
    dual_stack = getattr(config, "use_dualstack_endpoint", None)
    if dual_stack is None:
        dual_stack = session.get_config_variable("use_dualstack_endpoint")
    try:
        endpoint = _endpoint_provider(session).resolve_endpoint(
            Region=region,
            UseFIPS=bool(fips),
            UseDualStack=bool(dual_stack),
            # The regional endpoint: account-based ones need the account id of the
            # credentials, which are looked up on the first call, not here.
            AccountIdEndpointMode="disabled",
        )
    except EndpointResolutionError as error:
        raise ParameterValidationError(
            f"no DynamoDB endpoint for region {region!r}"
            f"{' with FIPS' if fips else ''}{' dual-stack' if dual_stack else ''}: {error}"
        ) from None
    signing_region = region
    for scheme in endpoint.properties.get("authSchemes", ()):
        if scheme.get("signingRegion"):
            signing_region = scheme["signingRegion"]
            break
    return endpoint.url, signing_region


def _proxies(
    url: str, config: botocore.config.Config | None, proxies: Mapping[str, str] | None
) -> dict[str, str]:
    """The explicit proxies, else the config's, else the environment's unless ``NO_PROXY``
    names the endpoint (botocore applies NO_PROXY to environment proxies only)."""
    if proxies is None:
        proxies = getattr(config, "proxies", None)
    if proxies is None:
        from botocore.utils import get_environ_proxies

        proxies = get_environ_proxies(url)
    chosen = {str(scheme): str(value) for scheme, value in proxies.items() if value}
    for scheme, value in chosen.items():
        proxy = value if "://" in value else f"http://{value}"
        parts = urlsplit(proxy)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ParameterValidationError(
                f"the {scheme} proxy must be an http:// or https:// URL naming a host"
            )
    return chosen


def _seconds(name: str, given: float | None, configured: Any) -> float:
    value = given if given is not None else configured
    if value is None:
        return _DEFAULT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ParameterValidationError(
            f"{name} must be a positive number of seconds, not {value!r}"
        )
    return float(value)


def _pool_size(given: int | None, configured: Any) -> int:
    value = given if given is not None else configured
    if value is None:
        return _DEFAULT_POOL
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterValidationError(
            f"max_pool_connections must be a positive integer, not {value!r}"
        )
    return value


def _retry_policy(
    session: botocore.session.Session, config: botocore.config.Config | None
) -> RetryPolicy:
    """The policy boto3's retry settings give (``Config(retries=...)``, ``AWS_RETRY_MODE``,
    ``AWS_MAX_ATTEMPTS``, the profile's ``retry_mode`` / ``max_attempts``); this
    package's default policy when none is set."""
    retries: Mapping[str, Any] = getattr(config, "retries", None) or {}
    total: Any = None
    source = "Config(retries=...)"
    if "total_max_attempts" in retries:
        total = retries["total_max_attempts"]
    elif "max_attempts" in retries:
        # Config's max_attempts counts retries, not attempts (botocore adds one).
        value = retries["max_attempts"]
        total = value + 1 if isinstance(value, int) and not isinstance(value, bool) else value
    else:
        source = "AWS_MAX_ATTEMPTS / the profile's max_attempts"
        try:
            total = session.get_config_variable("max_attempts")
        except ValueError:
            raise ParameterValidationError(
                f"AWS_MAX_ATTEMPTS / max_attempts must be a whole number, not "
                f"{os.environ.get('AWS_MAX_ATTEMPTS', '(from the profile)')!r}"
            ) from None
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 1):
        raise ParameterValidationError(f"{source}: attempts must be at least 1, not {total!r}")
    mode = retries.get("mode")
    if mode is None:
        configured = session.get_config_variable("retry_mode")
        # botocore's default is "standard"; only a mode someone set counts here, so
        # that without any retry setting this package keeps its own default policy.
        if (
            configured != "standard"
            or os.environ.get("AWS_RETRY_MODE")
            or "retry_mode" in session.get_scoped_config()
        ):
            mode = configured
    if mode is None and total is None:
        return DEFAULT_RETRY_POLICY
    mode = mode or "standard"
    if mode not in RETRY_MODES:
        raise ParameterValidationError(
            f"retry mode must be one of {', '.join(RETRY_MODES)}, not {mode!r} "
            "(AWS_RETRY_MODE, the profile's retry_mode or Config(retries={'mode': ...}))"
        )
    return RetryPolicy.for_mode(mode, total)
