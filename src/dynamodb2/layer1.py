"""DynamoDBConnection: boto 2's layer1 API (positional order, keyword names, return values).

>>> from dynamodb2.layer1 import DynamoDBConnection
>>> conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False)  # doctest: +SKIP
>>> conn.put_item("users", {"username": {"S": "johndoe"}})                    # doctest: +SKIP
{}

Each method takes the same arguments as boto 2.49's, in the same order, and returns the
decoded JSON response. Keywords for what DynamoDB added since (``billing_mode``,
``key_condition_expression``, ``return_values_on_condition_check_failure``, ...) are
accepted after boto 2's own. Requests go through a :class:`~dynamodb2.connection.Connection`,
which signs, retries and maps errors.
"""

from __future__ import annotations

import functools
import json
import os
import re
import typing
import warnings
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import Any, ClassVar, Final, Generic, Literal, TypeVar
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

import attrs

from . import _json
from ._arguments import (
    check_connection_arguments,
    check_segment_pair,
    describe,
    flag,
    mapping,
    port_number,
    refusal,
    text,
    whole_number,
)
from ._boto_config import DynamoDBSettings, legacy_credentials
from ._limits import (
    MAX_BATCH_GET_KEYS,
    MAX_BATCH_WRITE_REQUESTS,
    MAX_TRANSACTION_ACTIONS,
    check_expression_size,
    check_segment,
    check_table_name,
)
from ._wire import Body, Distinct
from .capacity import ReturnConsumedCapacity
from .connection import DEFAULT_REGION, Connection, _ConnectionBase
from .exceptions import (
    JSONResponseError,
    NoCredentialsError,
    ParameterValidationError,
    RequestValidationError,
)
from .regioninfo import RegionInfo
from .retry import DEFAULT_RETRY_POLICY, Pacing, RetryPolicy

if typing.TYPE_CHECKING:
    import botocore.config

__all__ = [
    "BillingMode",
    "ConditionalOperator",
    "DynamoDBConnection",
    "Provider",
    "ReturnItemCollectionMetrics",
    "ReturnValues",
    "ReturnValuesOnConditionCheckFailure",
    "Select",
    "TableClass",
    "regions",
]

# DynamoDB's enumerations, as the methods below (and Table's) take them: type checkers
# refuse other values; at run time DynamoDB does (and Table checks them before sending).
# ReturnConsumedCapacity is dynamodb2.capacity's.

BillingMode = Literal["PROVISIONED", "PAY_PER_REQUEST"]
"""``billing_mode``: provisioned throughput, or on-demand."""

TableClass = Literal["STANDARD", "STANDARD_INFREQUENT_ACCESS"]
"""``table_class``: the table's storage class."""

ConditionalOperator = Literal["AND", "OR"]
"""``conditional_operator``: how boto 2-style conditions (``expected``, filters) combine."""

ReturnValues = Literal["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]
"""``return_values``: which attributes a write returns (PutItem and DeleteItem take only
``"NONE"`` and ``"ALL_OLD"``)."""

ReturnValuesOnConditionCheckFailure = Literal["ALL_OLD", "NONE"]
"""``return_values_on_condition_check_failure``: whether a failed condition returns the
item as it was."""

ReturnItemCollectionMetrics = Literal["SIZE", "NONE"]
"""``return_item_collection_metrics``: whether a write reports its item collection's size."""

Select = Literal["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"]
"""``select``: what a query or scan returns (``"COUNT"``: only how many items match)."""

_REGION_NAMES: Final = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "sa-east-1",
)


def regions() -> list[RegionInfo]:
    """The commercial AWS regions with DynamoDB, as :class:`RegionInfo` (boto 2's ``regions()``)."""
    return [
        RegionInfo(
            name=name,
            endpoint=f"dynamodb.{name}.amazonaws.com",
            connection_cls=DynamoDBConnection,
        )
        for name in _REGION_NAMES
    ]


#: What a layer1 method returns: the response body, or an awaitable of it.
_Result = TypeVar("_Result")


def _compact(params: Mapping[str, Any]) -> Body:
    """The request body: every parameter that was given (``None`` means "not given"),
    after refusing one of a type DynamoDB's JSON would refuse for its field (a mapping's
    keys too: orjson refuses a key that is not a string, json would send ``{0: ...}`` as
    ``{"0": ...}``, so both codecs refuse it here, before sending)."""
    body: Body = {}
    for field, value in params.items():
        if value is None:
            continue
        kind = _FIELD_KINDS.get(field)
        if kind is None or (type(value) is kind and kind is not list and kind is not dict):
            body[field] = value
        else:
            body[field] = _checked(field, kind, value)
        if kind is str and field in _EXPRESSIONS:
            check_expression_size(field, body[field])
    return body


def _required(value: Any, name: str) -> Any:
    """A required argument, given (``None`` would leave its field out of the request)."""
    if value is None:
        raise RequestValidationError(f"{name} is required, not None")
    return value


class _Names(dict[str, str]):
    """The kind of ``ExpressionAttributeNames``: placeholders to names, checked entry by
    entry (no value is of this type, so every one is)."""


#: The expression fields of a request (each at most 4 KB).
_EXPRESSIONS: Final = frozenset(
    {
        "ConditionExpression",
        "UpdateExpression",
        "ProjectionExpression",
        "FilterExpression",
        "KeyConditionExpression",
    }
)

#: The JSON type of each request field DynamoDB reads (a field not listed is sent as given).
_FIELD_KINDS: Final[dict[str, type]] = {
    **dict.fromkeys(
        (
            "TableName",
            "IndexName",
            "Select",
            "ConditionalOperator",
            "ReturnValues",
            "ReturnConsumedCapacity",
            "ReturnItemCollectionMetrics",
            "ReturnValuesOnConditionCheckFailure",
            "ConditionExpression",
            "UpdateExpression",
            "ProjectionExpression",
            "FilterExpression",
            "KeyConditionExpression",
            "BillingMode",
            "TableClass",
            "ExclusiveStartTableName",
            "Statement",
            "NextToken",
            "ClientRequestToken",
            "ResourcePolicy",
            "GlobalTableSourceArn",
            "GlobalTableSettingsReplicationMode",
            "MultiRegionConsistency",
        ),
        str,
    ),
    **dict.fromkeys(
        (
            "ConsistentRead",
            "ScanIndexForward",
            "DeletionProtectionEnabled",
            "DisassociationProtectionEnabled",
        ),
        bool,
    ),
    **dict.fromkeys(("Limit", "Segment", "TotalSegments"), int),
    **dict.fromkeys(
        (
            "Key",
            "Item",
            "Expected",
            "KeyConditions",
            "QueryFilter",
            "ScanFilter",
            "ExclusiveStartKey",
            "ExpressionAttributeValues",
            "AttributeUpdates",
            "ProvisionedThroughput",
            "StreamSpecification",
            "SSESpecification",
            "OnDemandThroughput",
            "WarmThroughput",
            "RequestItems",
            "TimeToLiveSpecification",
        ),
        dict,
    ),
    **dict.fromkeys(
        (
            "AttributesToGet",
            "AttributeDefinitions",
            "KeySchema",
            "LocalSecondaryIndexes",
            "GlobalSecondaryIndexes",
            "GlobalSecondaryIndexUpdates",
            "Tags",
            "ReplicaUpdates",
            "GlobalTableWitnessUpdates",
            "VectorIndexes",
            "VectorIndexUpdates",
            "TransactItems",
            "Parameters",
        ),
        list,
    ),
    "ExpressionAttributeNames": _Names,
}

_WORD_BREAK: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@functools.cache
def _argument_name(field: str) -> str:
    """The layer1 argument that sets a request field (``consistent_read`` for
    ``ConsistentRead``): worked out once per field, not per request."""
    return _WORD_BREAK.sub("_", field).lower()


def _checked(field: str, kind: type, value: Any) -> Any:
    """``value`` for ``field`` as DynamoDB's JSON reads it, or a refusal naming the
    argument (``ConsistentRead`` is ``consistent_read``)."""
    name = _argument_name(field)
    if kind is str:
        return text(value, name)
    if kind is bool:
        if isinstance(value, str) or value is True or value is False:
            return flag(value, name)  # DynamoDB reads "true", "yes", "1", ... as booleans
        raise refusal(name, "True or False", value, wire=True)
    if kind is int:
        return whole_number(value, name)
    if kind is dict:
        return mapping(value, name)
    if kind is _Names:
        for placeholder, attribute in (mapping(value, name) or {}).items():
            if type(attribute) is not str:
                raise RequestValidationError(
                    f"{name} maps placeholders to attribute names; {placeholder!r} maps to "
                    f"{describe(attribute)}"
                )
        return value
    element = str if field == "AttributesToGet" else dict
    wanted = "a list of attribute names" if element is str else "a list of mappings"
    if not isinstance(value, (list, tuple)):
        raise refusal(name, wanted, value, wire=True)
    for member in value:
        if type(member) is not element and not isinstance(
            member, str if element is str else Mapping
        ):
            raise RequestValidationError(f"{name} takes {wanted}; it holds {describe(member)}")
    return value


class Provider:
    """boto 2's ``conn.provider``: the credentials a layer1 connection signs with, read
    when asked (refreshed credentials, such as a role's, give their current keys).

    ``name`` is ``"aws"``; ``access_key``, ``secret_key`` and ``security_token`` are
    ``None`` when there are no credentials. The secret never appears in the ``repr``.
    """

    name: Final = "aws"

    def __init__(self, owner: _Layer1[Any]) -> None:
        self._owner = owner

    def _credentials(self) -> Any:
        try:
            return self._owner.connection._current_credentials()
        except NoCredentialsError:
            return None

    @property
    def access_key(self) -> str | None:
        credentials = self._credentials()
        return None if credentials is None else credentials.access_key

    @property
    def secret_key(self) -> str | None:
        credentials = self._credentials()
        return None if credentials is None else credentials.secret_key

    @property
    def security_token(self) -> str | None:
        credentials = self._credentials()
        return None if credentials is None else credentials.token

    @property
    def profile_name(self) -> str | None:
        return self._owner.profile_name

    def __repr__(self) -> str:
        # Looks nothing up (finding credentials may ask instance metadata).
        return f"<Provider {self.name} of {self._owner!r}>"


class _Layer1(Generic[_Result]):
    """boto 2's layer1 methods, written once: each checks its arguments, builds the JSON
    body and hands it to the connection, returning what the connection's operation
    returns (the response body for :class:`DynamoDBConnection`, an awaitable of it for
    ``dynamodb2.aio.AsyncDynamoDBConnection``)."""

    APIVersion: ClassVar[str] = "2012-08-10"
    DefaultRegionName: ClassVar[str] = DEFAULT_REGION
    DefaultRegionEndpoint: ClassVar[str] = f"dynamodb.{DEFAULT_REGION}.amazonaws.com"
    ServiceName: ClassVar[str] = "DynamoDB"
    TargetPrefix: ClassVar[str] = "DynamoDB_20120810"
    ResponseError: ClassVar[type[JSONResponseError]] = JSONResponseError
    #: Attempts in all on throttling and other retryable errors when no ``retry=`` policy
    #: is given (boto 2's knob: a subclass may lower or raise it).
    NumberRetries: ClassVar[int] = DEFAULT_RETRY_POLICY.max_attempts

    def __init__(
        self,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        is_secure: bool = True,
        port: int | str | None = None,
        proxy: str | None = None,
        proxy_port: int | str | None = None,
        proxy_user: str | None = None,
        proxy_pass: str | None = None,
        host: str | None = None,
        debug: int = 0,
        https_connection_factory: Any = None,
        path: str = "/",
        security_token: str | None = None,
        validate_certs: bool = True,
        profile_name: str | None = None,
        provider: str = "aws",
        *,
        region: str | RegionInfo | Any = None,
        validate_checksums: bool = True,
        endpoint_url: str | None = None,
        connection: _ConnectionBase[_Result, Any] | None = None,
        retry: RetryPolicy | None = None,
        config: botocore.config.Config | None = None,
        **kwargs: Any,
    ) -> None:
        check_connection_arguments(DynamoDBConnection.__init__, locals())
        port, proxy_port = port_number(port), port_number(proxy_port)
        kind = self._connection_class()
        if not (connection is None or isinstance(connection, kind)):
            raise refusal("connection", f"a {kind.__name__} or None", connection)
        for name, value, meaningful in (
            ("https_connection_factory", https_connection_factory, None),
            ("path", path, "/"),
            ("provider", provider, "aws"),
        ):
            if value != meaningful:
                warnings.warn(
                    f"DynamoDBConnection ignores {name}={value!r}: it has no meaning for "
                    "dynamodb2's HTTP layer",
                    DeprecationWarning,
                    stacklevel=2,
                )
        if kwargs:
            unknown = ", ".join(sorted(kwargs))
            raise TypeError(f"{type(self).__name__} got unexpected keyword arguments: {unknown}")
        #: The profile named by ``profile_name=`` (``None``: botocore's default chain).
        self.profile_name: str | None = profile_name

        region_name, region_host = _region_parts(region)
        ca_file: str | None = None
        socket_timeout: int | None = None
        if connection is None:
            # boto 2's config file: [DynamoDB] region when no region is given (and no
            # Config(region_name=...)), before botocore's AWS_DEFAULT_REGION and profile;
            # [DynamoDB] validate_checksums over the keyword, as boto 2's getbool had it.
            boto_config = DynamoDBSettings.read()
            if not region_name and getattr(config, "region_name", None) is None:
                region_name = _configured_region(boto_config) or region_name
            validate_checksums = boto_config.validate_checksums(validate_checksums)
            # [Boto]: the settings boto 2's AWSAuthConnection read (the file over the
            # keyword for is_secure, certificates and debug, as there; a proxy only when
            # none is given or set in the environment, where boto 2 read http_proxy).
            is_secure = boto_config.boto_flag("is_secure", is_secure, strict=True)
            validate_certs = boto_config.boto_flag("https_validate_certificates", validate_certs)
            configured_debug = boto_config.boto_number("debug")
            if configured_debug is not None:
                debug = configured_debug
            ca_file = _configured_ca_file(boto_config)
            if proxy is None and not any(name in os.environ for name in _PROXY_VARIABLES):
                proxy = boto_config.boto_text("proxy")
                if proxy is not None:
                    proxy_port = proxy_port or boto_config.boto_number("proxy_port")
                    proxy_user = proxy_user or boto_config.boto_text("proxy_user")
                    proxy_pass = proxy_pass or boto_config.boto_text("proxy_pass")
            if aws_access_key_id is None and aws_secret_access_key is None:
                # [Credentials] set at run time or from AWS_CREDENTIAL_FILE, where boto 2
                # read them (botocore reads the files' section itself).
                found = legacy_credentials(profile_name)
                if found is not None:
                    aws_access_key_id, aws_secret_access_key = found.access_key, found.secret_key
                    security_token = security_token or found.token
            # A config= decides its own timeouts (it cannot tell which it was given).
            socket_timeout = boto_config.boto_number("http_socket_timeout")
            if config is not None:
                socket_timeout = None
        if endpoint_url is None and (host is not None or region_host is not None):
            endpoint_host = host if host is not None else region_host
            assert endpoint_host is not None
            endpoint_url = _endpoint_url(endpoint_host, port, is_secure)
        if retry is None and self.NumberRetries != DEFAULT_RETRY_POLICY.max_attempts:
            # A subclass's NumberRetries; otherwise boto3's retry settings
            # (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, config=) or the default policy apply.
            retry = attrs.evolve(DEFAULT_RETRY_POLICY, max_attempts=self.NumberRetries)
        if connection is None:

            def connect(endpoint_url: str | None) -> _ConnectionBase[_Result, Any]:
                return self._connection_class()(
                    region_name=region_name,
                    endpoint_url=endpoint_url,
                    aws_access_key_id=aws_access_key_id,
                    aws_secret_access_key=aws_secret_access_key,
                    aws_session_token=security_token,
                    profile_name=profile_name,
                    # validate_certs=True leaves AWS_CA_BUNDLE / ca_bundle in charge,
                    # unless boto's config file names its own certificates.
                    verify=(ca_file or None) if validate_certs else False,
                    connect_timeout=socket_timeout,
                    read_timeout=socket_timeout,
                    proxies=_proxies(proxy, proxy_port, proxy_user, proxy_pass),
                    retry=retry,
                    validate_checksums=validate_checksums,
                    config=config,
                )

            connection = connect(endpoint_url)
            if endpoint_url is None and (port is not None or not is_secure):
                # boto 2 applied port and is_secure to the region's own endpoint as well.
                regional = urlsplit(connection.endpoint_url)
                # Unused: nothing was opened (transports connect on first use).
                connection = connect(_endpoint_url(regional.netloc, port, is_secure))
        #: boto 2's debug level (``debug=`` or boto's config file), kept for code that
        #: reads it; it prints nothing (boto 2's wire dump):
        #: ``logging.getLogger("dynamodb2")`` at DEBUG logs every request.
        self.debug: int = debug if isinstance(debug, int) else 0
        #: The JSON-level connection every request goes through.
        self.connection: _ConnectionBase[_Result, Any] = connection
        endpoint = urlsplit(connection.endpoint_url)
        self.is_secure: bool = endpoint.scheme == "https"
        # hostname drops IPv6 brackets and lower-cases; keep the host as it was written.
        self.host: str = endpoint.netloc.rpartition("@")[2]
        if endpoint.port is not None:
            self.host = self.host[: -len(f":{endpoint.port}")]
        self.port: int = endpoint.port or (443 if self.is_secure else 80)
        self.region = RegionInfo(
            name=connection.region_name,
            endpoint=self.host,
            connection_cls=DynamoDBConnection,
        )
        #: ``"https"`` or ``"http"``, as the endpoint's scheme.
        self.protocol: str = endpoint.scheme
        #: The endpoint's path (``"/"`` unless ``endpoint_url`` has one).
        self.path: str = endpoint.path or "/"
        #: boto 2's credential holder: ``provider.access_key``, ``secret_key``,
        #: ``security_token`` (of the credentials requests are signed with).
        self.provider: Provider = Provider(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}:{self.host}"

    @staticmethod
    def _connection_class() -> type[_ConnectionBase[_Result, Any]]:
        """The class of the connection made when none is given."""
        raise NotImplementedError

    @property
    def throughput_exceeded_events(self) -> int:
        """How many throttling errors the connection has seen (and retried); settable, as
        in boto 2 (``conn.throughput_exceeded_events = 0`` starts counting again)."""
        return self.connection.throttle_events

    @throughput_exceeded_events.setter
    def throughput_exceeded_events(self, value: int) -> None:
        self.connection.throttle_events = value

    # ------------------------------------------------------------------ boto 2's attributes

    @property
    def aws_access_key_id(self) -> str | None:
        """The access key requests are signed with (given, or botocore's chain: the
        environment, profiles, boto's config file, instance metadata); ``None`` when there
        are no credentials. boto 2's ``access_key`` is the same."""
        return self.provider.access_key

    @property
    def aws_secret_access_key(self) -> str | None:
        """The secret key requests are signed with, as :attr:`aws_access_key_id` (never
        part of the connection's ``repr``). boto 2's ``secret_key`` is the same."""
        return self.provider.secret_key

    access_key = aws_access_key_id
    secret_key = aws_secret_access_key

    @property
    def auth_region_name(self) -> str:
        """The region requests are signed for (the region's, or ``region=`` for a custom
        ``host``). Settable, as in boto 2 (see ``Connection.signing_region``)."""
        return self.connection.signing_region

    @auth_region_name.setter
    def auth_region_name(self, region: str) -> None:
        self.connection.signing_region = region

    @property
    def _auth_handler(self) -> _SigningScope:
        """boto 2's signing handler, as code that sets its ``region_name`` uses it (the
        set-up of a local DynamoDB, ``conn._auth_handler.region_name = "us-mock-1"``)."""
        return _SigningScope(self)

    @property
    def auth_service_name(self) -> str:
        """The service name requests are signed for: ``"dynamodb"``. Setting it to that
        (as boto 2 set-ups of a local DynamoDB did, beside ``auth_region_name``) changes
        nothing; another name is refused, as DynamoDB would refuse its signatures."""
        return "dynamodb"

    @auth_service_name.setter
    def auth_service_name(self, name: str) -> None:
        if name != "dynamodb":
            raise refusal(
                "auth_service_name",
                "'dynamodb' (the only service DynamoDB takes signatures for)",
                name,
            )

    @property
    def num_retries(self) -> int:
        """How many times a failed request may be sent again (throttling, 5xx, broken
        connections): the retry policy's attempts less one. boto 2's attribute (6) was
        never used by DynamoDB's requests, which retried by ``NumberRetries``; one policy
        covers every retryable failure here (``NumberRetries``, ``retry=``): set those."""
        return self.connection.retry.max_attempts - 1

    @property
    def http_connection_kwargs(self) -> Mapping[str, Any]:
        """boto 2's keyword arguments of its HTTP connections: ``{"timeout": <read
        timeout in seconds>}``. Read-only: a timeout is chosen with ``config=
        Config(read_timeout=...)`` or ``AWS_*`` settings (see configuration.md)."""
        return MappingProxyType({"timeout": self.connection.settings.read_timeout})

    @property
    def https_validate_certificates(self) -> bool:
        """Whether the endpoint's TLS certificate is checked (``validate_certs=``)."""
        return self.connection.settings.verify is not False

    def _proxy_url(self) -> SplitResult | None:
        url = self.connection.settings.proxies.get(self.protocol)
        return urlsplit(url if "://" in url else f"http://{url}") if url else None

    @property
    def proxy(self) -> str | None:
        """The host of the proxy requests go through (``proxy=``, ``HTTPS_PROXY`` /
        ``HTTP_PROXY`` for the endpoint's scheme, or boto's config file), ``None``
        without one."""
        url = self._proxy_url()
        return url.hostname if url is not None else None

    @property
    def proxy_port(self) -> int | None:
        """The proxy's port, as :attr:`proxy`."""
        url = self._proxy_url()
        return url.port if url is not None else None

    @property
    def proxy_user(self) -> str | None:
        """The proxy's user name, as :attr:`proxy`."""
        url = self._proxy_url()
        return unquote(url.username) if url is not None and url.username else None

    @property
    def proxy_pass(self) -> str | None:
        """The proxy's password, as :attr:`proxy`."""
        url = self._proxy_url()
        return unquote(url.password) if url is not None and url.password else None

    @property
    def validate_checksums(self) -> bool:
        """Whether each response's ``x-amz-crc32`` is checked (``validate_checksums=``,
        or boto's config file's ``[DynamoDB] validate_checksums``); settable."""
        return self.connection.validate_checksums

    @validate_checksums.setter
    def validate_checksums(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise refusal("validate_checksums", "True or False", value)
        self.connection.validate_checksums = value

    @property
    def pacing(self) -> Pacing:
        """How the connection waits between tries (its retry policy, sleep and clock);
        tables use it for batches and waiters."""
        return self.connection.pacing

    def make_request(self, action: str, body: str | bytes | Mapping[str, Any]) -> _Result:
        """Call an operation by name with a JSON body (boto 2's low-level entry point).

        As in boto 2, it is also the extension point every operation method goes
        through: when a subclass overrides it, or it is patched on an instance or the
        class (``mock.patch.object(conn, "make_request", return_value={...})``), each
        method calls ``self.make_request(action="GetItem", body=<the JSON text>)``, as
        boto 2's did, and returns what it returns. An override may call
        ``super().make_request(action, body)`` to send the request.
        """
        text(action, "action", none=False)
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        if isinstance(body, bytes):
            try:
                decoded = _json.loads(body)
            except ValueError as error:
                raise ParameterValidationError(
                    f"make_request's body is not JSON: {error}"
                ) from None
        else:
            decoded = dict(mapping(body, "body", none=False) or {})
        if not isinstance(decoded, dict):
            raise ParameterValidationError(
                f"make_request needs a JSON object body, not {type(decoded).__name__}"
            )
        return self.connection.call(action, decoded)

    #: The ``make_request`` this class defines: when ``type(self).make_request`` is
    #: another (a subclass's override, a patch on the class) or the instance has its own,
    #: the operation methods go through it.
    _own_make_request: ClassVar[Callable[..., Any]] = make_request

    def _send(self, action: str, operation: Callable[[Body], _Result], body: Body) -> _Result:
        """Send ``body`` by ``operation`` (the connection's method for ``action``), or, when
        :meth:`make_request` was overridden or patched, through it as boto 2 did. The
        common path checks two references and encodes nothing."""
        cls = type(self)
        if cls.make_request is cls._own_make_request and "make_request" not in self.__dict__:
            return operation(body)
        try:
            payload = json.dumps(body)
        except (TypeError, ValueError) as error:  # what JSON cannot hold: nothing is sent
            raise ParameterValidationError(
                f"{action}: the request body cannot be sent as JSON ({error})"
            ) from None
        return self.make_request(action=action, body=payload)

    # ------------------------------------------------------------------ boto 2's 13 methods

    def batch_get_item(
        self,
        request_items: Mapping[str, Any],
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> _Result:
        """Read up to 100 items by key from one or more tables (``BatchGetItem``)."""
        total = 0
        for table_name, request in _request_items(request_items).items():
            check_table_name(table_name)
            keys = mapping(request, "request_items", none=False) or {}
            listed = _listed(keys.get("Keys", ()), "request_items")
            total += len(listed)
            projection = keys.get("ProjectionExpression")
            if type(projection) is str:
                check_expression_size("ProjectionExpression", projection)
            # Table.batch_get asks for each key once (see Distinct).
            if total <= MAX_BATCH_GET_KEYS and type(listed) is not Distinct:
                _refuse_duplicate_keys(table_name, listed)
        if total > MAX_BATCH_GET_KEYS:
            raise RequestValidationError(
                f"batch_get_item takes at most {MAX_BATCH_GET_KEYS} keys per request, "
                f"got {total} (Table.batch_get splits larger requests for you)"
            )
        return self._send(
            "BatchGetItem",
            self.connection.batch_get_item,
            _compact(
                {
                    "RequestItems": request_items,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                }
            ),
        )

    def batch_write_item(
        self,
        request_items: Mapping[str, Sequence[Any]],
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        return_item_collection_metrics: ReturnItemCollectionMetrics | None = None,
    ) -> _Result:
        """Put or delete up to 25 items in one or more tables (``BatchWriteItem``)."""
        total = 0
        for table_name, requests in _request_items(request_items).items():
            check_table_name(table_name)
            listed = _listed(requests, "request_items")
            total += len(listed)
            # A batch's own request was checked as it was built (see Distinct).
            if total <= MAX_BATCH_WRITE_REQUESTS and type(listed) is not Distinct:
                _refuse_duplicate_writes(table_name, listed)
        if total > MAX_BATCH_WRITE_REQUESTS:
            raise RequestValidationError(
                f"batch_write_item takes at most {MAX_BATCH_WRITE_REQUESTS} requests, "
                f"got {total} (Table.batch_write splits larger batches for you)"
            )
        return self._send(
            "BatchWriteItem",
            self.connection.batch_write_item,
            _compact(
                {
                    "RequestItems": request_items,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ReturnItemCollectionMetrics": return_item_collection_metrics,
                }
            ),
        )

    def create_table(
        self,
        attribute_definitions: Sequence[Mapping[str, Any]],
        table_name: str,
        key_schema: Sequence[Mapping[str, Any]],
        provisioned_throughput: Mapping[str, Any] | None = None,
        local_secondary_indexes: Sequence[Mapping[str, Any]] | None = None,
        global_secondary_indexes: Sequence[Mapping[str, Any]] | None = None,
        *,
        billing_mode: BillingMode | None = None,
        stream_specification: Mapping[str, Any] | None = None,
        sse_specification: Mapping[str, Any] | None = None,
        tags: Sequence[Mapping[str, str]] | None = None,
        table_class: TableClass | None = None,
        deletion_protection_enabled: bool | None = None,
        on_demand_throughput: Mapping[str, Any] | None = None,
        warm_throughput: Mapping[str, Any] | None = None,
        resource_policy: str | None = None,
        global_table_source_arn: str | None = None,
        global_table_settings_replication_mode: str | None = None,
        vector_indexes: Sequence[Mapping[str, Any]] | None = None,
    ) -> _Result:
        """Create a table (``CreateTable``).

        ``provisioned_throughput`` is required unless ``billing_mode="PAY_PER_REQUEST"``
        (or ``global_table_source_arn`` makes the table a replica of another). The
        keyword-only arguments are CreateTable's newer fields, sent as given.
        """
        check_table_name(table_name)
        if (
            provisioned_throughput is None
            and billing_mode != "PAY_PER_REQUEST"
            and global_table_source_arn is None
        ):
            raise RequestValidationError(
                "create_table needs provisioned_throughput, or billing_mode='PAY_PER_REQUEST'"
            )
        return self._send(
            "CreateTable",
            self.connection.create_table,
            _compact(
                {
                    "AttributeDefinitions": _required(
                        attribute_definitions, "attribute_definitions"
                    ),
                    "TableName": table_name,
                    "KeySchema": _required(key_schema, "key_schema"),
                    "ProvisionedThroughput": provisioned_throughput,
                    "LocalSecondaryIndexes": local_secondary_indexes,
                    "GlobalSecondaryIndexes": global_secondary_indexes,
                    "BillingMode": billing_mode,
                    "StreamSpecification": stream_specification,
                    "SSESpecification": sse_specification,
                    "Tags": tags,
                    "TableClass": table_class,
                    "DeletionProtectionEnabled": deletion_protection_enabled,
                    "OnDemandThroughput": on_demand_throughput,
                    "WarmThroughput": warm_throughput,
                    "ResourcePolicy": resource_policy,
                    "GlobalTableSourceArn": global_table_source_arn,
                    "GlobalTableSettingsReplicationMode": global_table_settings_replication_mode,
                    "VectorIndexes": vector_indexes,
                }
            ),
        )

    def delete_item(
        self,
        table_name: str,
        key: Mapping[str, Any],
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        return_values: ReturnValues | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        return_item_collection_metrics: ReturnItemCollectionMetrics | None = None,
        condition_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        *,
        return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure | None = None,
    ) -> _Result:
        """Delete one item by key, optionally under a condition (``DeleteItem``)."""
        check_table_name(table_name)
        return self._send(
            "DeleteItem",
            self.connection.delete_item,
            _compact(
                {
                    "TableName": table_name,
                    "Key": _required(key, "key"),
                    "Expected": expected,
                    "ConditionalOperator": conditional_operator,
                    "ReturnValues": return_values,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ReturnItemCollectionMetrics": return_item_collection_metrics,
                    "ConditionExpression": condition_expression,
                    "ExpressionAttributeNames": expression_attribute_names,
                    "ExpressionAttributeValues": expression_attribute_values,
                    "ReturnValuesOnConditionCheckFailure": (
                        return_values_on_condition_check_failure
                    ),
                }
            ),
        )

    def delete_table(self, table_name: str) -> _Result:
        """Delete a table and every item in it (``DeleteTable``)."""
        check_table_name(table_name)
        return self._send("DeleteTable", self.connection.delete_table, {"TableName": table_name})

    def describe_table(self, table_name: str) -> _Result:
        """Describe a table: key schema, indexes, throughput, status (``DescribeTable``)."""
        check_table_name(table_name)
        return self._send(
            "DescribeTable", self.connection.describe_table, {"TableName": table_name}
        )

    def get_item(
        self,
        table_name: str,
        key: Mapping[str, Any],
        attributes_to_get: Sequence[str] | None = None,
        consistent_read: bool | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        projection_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
    ) -> _Result:
        """Read one item by key (``GetItem``); the response has no ``Item`` if none exists."""
        check_table_name(table_name)
        return self._send(
            "GetItem",
            self.connection.get_item,
            _compact(
                {
                    "TableName": table_name,
                    "Key": _required(key, "key"),
                    "AttributesToGet": attributes_to_get,
                    "ConsistentRead": consistent_read,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ProjectionExpression": projection_expression,
                    "ExpressionAttributeNames": expression_attribute_names,
                }
            ),
        )

    def list_tables(
        self,
        exclusive_start_table_name: str | None = None,
        limit: int | None = None,
    ) -> _Result:
        """One page of table names (``ListTables``)."""
        return self._send(
            "ListTables",
            self.connection.list_tables,
            _compact({"ExclusiveStartTableName": exclusive_start_table_name, "Limit": limit}),
        )

    def put_item(
        self,
        table_name: str,
        item: Mapping[str, Any],
        expected: Mapping[str, Any] | None = None,
        return_values: ReturnValues | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        return_item_collection_metrics: ReturnItemCollectionMetrics | None = None,
        conditional_operator: ConditionalOperator | None = None,
        condition_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        *,
        return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure | None = None,
    ) -> _Result:
        """Create or replace one item, optionally under a condition (``PutItem``)."""
        check_table_name(table_name)
        return self._send(
            "PutItem",
            self.connection.put_item,
            _compact(
                {
                    "TableName": table_name,
                    "Item": _required(item, "item"),
                    "Expected": expected,
                    "ReturnValues": return_values,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ReturnItemCollectionMetrics": return_item_collection_metrics,
                    "ConditionalOperator": conditional_operator,
                    "ConditionExpression": condition_expression,
                    "ExpressionAttributeNames": expression_attribute_names,
                    "ExpressionAttributeValues": expression_attribute_values,
                    "ReturnValuesOnConditionCheckFailure": (
                        return_values_on_condition_check_failure
                    ),
                }
            ),
        )

    def query(
        self,
        table_name: str,
        key_conditions: Mapping[str, Any] | None = None,
        index_name: str | None = None,
        select: Select | None = None,
        attributes_to_get: Sequence[str] | None = None,
        limit: int | None = None,
        consistent_read: bool | None = None,
        query_filter: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        scan_index_forward: bool | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        projection_expression: str | None = None,
        filter_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        *,
        key_condition_expression: str | None = None,
    ) -> _Result:
        """One page of the items matching key conditions (``Query``).

        Give boto 2's ``key_conditions`` or the modern ``key_condition_expression``.
        """
        check_table_name(table_name)
        if key_conditions is None and key_condition_expression is None:
            raise RequestValidationError("query needs key_conditions or key_condition_expression")
        return self._send(
            "Query",
            self.connection.query,
            _compact(
                {
                    "TableName": table_name,
                    "KeyConditions": key_conditions,
                    "IndexName": index_name,
                    "Select": select,
                    "AttributesToGet": attributes_to_get,
                    "Limit": limit,
                    "ConsistentRead": consistent_read,
                    "QueryFilter": query_filter,
                    "ConditionalOperator": conditional_operator,
                    "ScanIndexForward": scan_index_forward,
                    "ExclusiveStartKey": exclusive_start_key,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ProjectionExpression": projection_expression,
                    "FilterExpression": filter_expression,
                    "ExpressionAttributeNames": expression_attribute_names,
                    "ExpressionAttributeValues": expression_attribute_values,
                    "KeyConditionExpression": key_condition_expression,
                }
            ),
        )

    def scan(
        self,
        table_name: str,
        attributes_to_get: Sequence[str] | None = None,
        limit: int | None = None,
        select: Select | None = None,
        scan_filter: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        exclusive_start_key: Mapping[str, Any] | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        total_segments: int | None = None,
        segment: int | None = None,
        projection_expression: str | None = None,
        filter_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        *,
        index_name: str | None = None,
        consistent_read: bool | None = None,
    ) -> _Result:
        """One page of a table or index scan (``Scan``); segments for parallel scans."""
        check_table_name(table_name)
        check_segment_pair(segment, total_segments)
        segment, total_segments = check_segment(segment, total_segments)
        return self._send(
            "Scan",
            self.connection.scan,
            _compact(
                {
                    "TableName": table_name,
                    "AttributesToGet": attributes_to_get,
                    "Limit": limit,
                    "Select": select,
                    # An empty filter filters nothing (boto 2's Table passed one).
                    "ScanFilter": scan_filter or None,
                    "ConditionalOperator": conditional_operator,
                    "ExclusiveStartKey": exclusive_start_key,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "TotalSegments": total_segments,
                    "Segment": segment,
                    "ProjectionExpression": projection_expression,
                    "FilterExpression": filter_expression,
                    "ExpressionAttributeNames": expression_attribute_names,
                    "ExpressionAttributeValues": expression_attribute_values,
                    "IndexName": index_name,
                    "ConsistentRead": consistent_read,
                }
            ),
        )

    def update_item(
        self,
        table_name: str,
        key: Mapping[str, Any],
        attribute_updates: Mapping[str, Any] | None = None,
        expected: Mapping[str, Any] | None = None,
        conditional_operator: ConditionalOperator | None = None,
        return_values: ReturnValues | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        return_item_collection_metrics: ReturnItemCollectionMetrics | None = None,
        update_expression: str | None = None,
        condition_expression: str | None = None,
        expression_attribute_names: Mapping[str, str] | None = None,
        expression_attribute_values: Mapping[str, Any] | None = None,
        *,
        return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure | None = None,
    ) -> _Result:
        """Change attributes of one item, creating it if needed (``UpdateItem``)."""
        check_table_name(table_name)
        return self._send(
            "UpdateItem",
            self.connection.update_item,
            _compact(
                {
                    "TableName": table_name,
                    "Key": _required(key, "key"),
                    "AttributeUpdates": attribute_updates,
                    "Expected": expected,
                    "ConditionalOperator": conditional_operator,
                    "ReturnValues": return_values,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ReturnItemCollectionMetrics": return_item_collection_metrics,
                    "UpdateExpression": update_expression,
                    "ConditionExpression": condition_expression,
                    "ExpressionAttributeNames": expression_attribute_names,
                    "ExpressionAttributeValues": expression_attribute_values,
                    "ReturnValuesOnConditionCheckFailure": (
                        return_values_on_condition_check_failure
                    ),
                }
            ),
        )

    def update_table(
        self,
        table_name: str,
        provisioned_throughput: Mapping[str, Any] | None = None,
        global_secondary_index_updates: Sequence[Mapping[str, Any]] | None = None,
        attribute_definitions: Sequence[Mapping[str, Any]] | None = None,
        *,
        billing_mode: BillingMode | None = None,
        stream_specification: Mapping[str, Any] | None = None,
        sse_specification: Mapping[str, Any] | None = None,
        table_class: TableClass | None = None,
        deletion_protection_enabled: bool | None = None,
        replica_updates: Sequence[Mapping[str, Any]] | None = None,
        on_demand_throughput: Mapping[str, Any] | None = None,
        warm_throughput: Mapping[str, Any] | None = None,
        multi_region_consistency: str | None = None,
        global_table_witness_updates: Sequence[Mapping[str, Any]] | None = None,
        global_table_settings_replication_mode: str | None = None,
        disassociation_protection_enabled: bool | None = None,
        vector_index_updates: Sequence[Mapping[str, Any]] | None = None,
    ) -> _Result:
        """Change throughput, billing mode, global indexes or streams (``UpdateTable``).

        The keyword-only arguments are UpdateTable's newer fields (replicas of a global
        table, warm and on-demand throughput, ...), sent as given.
        """
        check_table_name(table_name)
        return self._send(
            "UpdateTable",
            self.connection.update_table,
            _compact(
                {
                    "TableName": table_name,
                    "AttributeDefinitions": attribute_definitions,
                    "ProvisionedThroughput": provisioned_throughput,
                    "GlobalSecondaryIndexUpdates": global_secondary_index_updates,
                    "BillingMode": billing_mode,
                    "StreamSpecification": stream_specification,
                    "SSESpecification": sse_specification,
                    "TableClass": table_class,
                    "DeletionProtectionEnabled": deletion_protection_enabled,
                    "ReplicaUpdates": replica_updates,
                    "OnDemandThroughput": on_demand_throughput,
                    "WarmThroughput": warm_throughput,
                    "MultiRegionConsistency": multi_region_consistency,
                    "GlobalTableWitnessUpdates": global_table_witness_updates,
                    "GlobalTableSettingsReplicationMode": global_table_settings_replication_mode,
                    "DisassociationProtectionEnabled": disassociation_protection_enabled,
                    "VectorIndexUpdates": vector_index_updates,
                }
            ),
        )

    # ------------------------------------------------------------------ added since boto 2

    def transact_write_items(
        self,
        transact_items: Sequence[Mapping[str, Any]],
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        return_item_collection_metrics: ReturnItemCollectionMetrics | None = None,
        client_request_token: str | None = None,
    ) -> _Result:
        """Up to 100 writes that all succeed or all fail (``TransactWriteItems``)."""
        return self._send(
            "TransactWriteItems",
            self.connection.transact_write_items,
            _compact(
                {
                    "TransactItems": _transact_items(transact_items, "transact_write_items"),
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "ReturnItemCollectionMetrics": return_item_collection_metrics,
                    "ClientRequestToken": client_request_token,
                }
            ),
        )

    def transact_get_items(
        self,
        transact_items: Sequence[Mapping[str, Any]],
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
    ) -> _Result:
        """Up to 100 reads from one consistent snapshot (``TransactGetItems``)."""
        return self._send(
            "TransactGetItems",
            self.connection.transact_get_items,
            _compact(
                {
                    "TransactItems": _transact_items(transact_items, "transact_get_items"),
                    "ReturnConsumedCapacity": return_consumed_capacity,
                }
            ),
        )

    def update_time_to_live(
        self, table_name: str, time_to_live_specification: Mapping[str, Any]
    ) -> _Result:
        """Turn time-to-live expiry on or off (``UpdateTimeToLive``)."""
        check_table_name(table_name)
        return self._send(
            "UpdateTimeToLive",
            self.connection.update_time_to_live,
            _compact(
                {
                    "TableName": table_name,
                    "TimeToLiveSpecification": mapping(
                        time_to_live_specification, "time_to_live_specification", none=False
                    ),
                }
            ),
        )

    def describe_time_to_live(self, table_name: str) -> _Result:
        """The time-to-live setting of a table (``DescribeTimeToLive``)."""
        check_table_name(table_name)
        return self._send(
            "DescribeTimeToLive", self.connection.describe_time_to_live, {"TableName": table_name}
        )

    def execute_statement(
        self,
        statement: str,
        parameters: Sequence[Mapping[str, Any]] | None = None,
        consistent_read: bool | None = None,
        next_token: str | None = None,
        return_consumed_capacity: ReturnConsumedCapacity | None = None,
        limit: int | None = None,
        *,
        return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure | None = None,
    ) -> _Result:
        """Run one PartiQL statement (``ExecuteStatement``)."""
        return self._send(
            "ExecuteStatement",
            self.connection.execute_statement,
            _compact(
                {
                    "Statement": _required(statement, "statement"),
                    "Parameters": parameters,
                    "ConsistentRead": consistent_read,
                    "NextToken": next_token,
                    "ReturnConsumedCapacity": return_consumed_capacity,
                    "Limit": limit,
                    "ReturnValuesOnConditionCheckFailure": (
                        return_values_on_condition_check_failure
                    ),
                }
            ),
        )


def _request_items(request_items: object) -> Mapping[str, Any]:
    return mapping(request_items, "request_items", none=False) or {}


def _transact_items(value: Any, method: str) -> Any:
    """``transact_items``, refused (as DynamoDB refuses it) unless it holds 1 to 100
    actions."""
    _required(value, "transact_items")
    if isinstance(value, (list, tuple)) and not 1 <= len(value) <= MAX_TRANSACTION_ACTIONS:
        bound = (
            f"less than or equal to {MAX_TRANSACTION_ACTIONS}"
            if value
            else "greater than or equal to 1"
        )
        raise RequestValidationError(
            "1 validation error detected: Value at 'transactItems' failed to satisfy "
            f"constraint: Member must have length {bound} ({method} got {len(value)} "
            "actions)"
        )
    return value


_DUPLICATES: Final = "Provided list of item keys contains duplicates"


def _identity(attribute_value: object) -> object:
    """A hashable stand-in for one wire attribute value, equal for values DynamoDB takes
    as the same key value (``{"N": "1"}`` and ``{"N": "1.0"}``); ``None`` for anything
    that is not an ``S``, ``N`` or ``B`` value (it cannot be a key: no claim is made)."""
    if type(attribute_value) is not dict and not isinstance(attribute_value, Mapping):
        return None
    if len(attribute_value) != 1:
        return None
    ((kind, value),) = attribute_value.items()
    if kind == "N" and isinstance(value, str):
        if len(value) <= _INT_DIGITS and value.isdigit() and value.isascii():
            # An int is equal to (and hashes as) the Decimal of the same number, and
            # is made without the Decimal context: the commonest number key.
            return ("N", int(value))
        try:
            number = Decimal(value)
        except ArithmeticError:
            return None
        return ("N", number) if number.is_finite() else None
    if kind in ("S", "B") and isinstance(value, (str, bytes)):
        return (kind, value)
    return None


#: The longest run of digits read as an int by ``_identity`` (DynamoDB's 38 digits;
#: int() refuses text over 4,300 digits).
_INT_DIGITS: Final = 38


def _key_identity(key: object) -> frozenset[tuple[str, object]] | None:
    """A hashable form of a key mapping (attribute name to wire value), or ``None`` when
    it is not one that could be a key."""
    if type(key) is not dict and not isinstance(key, Mapping):
        return None
    if not key:
        return None
    parts: list[tuple[str, object]] = []
    for name, value in key.items():
        if type(name) is not str and not isinstance(name, str):
            return None
        if type(value) is dict and len(value) == 1:
            # _identity's commonest cases inline (a key value is checked per key).
            payload = value.get("S")
            if type(payload) is str:
                parts.append((name, ("S", payload)))
                continue
            payload = value.get("N")
            if (
                type(payload) is str
                and len(payload) <= _INT_DIGITS
                and payload.isdigit()
                and payload.isascii()
            ):
                parts.append((name, ("N", int(payload))))
                continue
        identity = _identity(value)
        if identity is None:
            return None
        parts.append((name, identity))
    return frozenset(parts)


def _refuse_duplicate_keys(table_name: str, keys: Sequence[Any]) -> None:
    """Refuse a ``BatchGetItem`` table entry that names one key twice (the same key
    mapping, as DynamoDB compares key values), as DynamoDB does."""
    seen: dict[frozenset[tuple[str, object]], int] = {}
    for index, key in enumerate(keys):
        identity = _key_identity(key)
        if identity is None:
            continue
        if identity in seen:
            raise RequestValidationError(
                f"{_DUPLICATES}: keys {seen[identity]} and {index} of table "
                f"{table_name!r} are the same key"
            )
        seen[identity] = index


def _refuse_duplicate_writes(table_name: str, requests: Sequence[Any]) -> None:
    """Refuse a ``BatchWriteItem`` table entry that certainly writes one item twice, as
    DynamoDB does. Without the table's key schema only what is certain is refused: two
    deletes of the same key, two puts of the same item, and a put and a delete where the
    item holds every attribute of the delete's key with the same value (a delete's key is
    exactly the key attributes). Two puts of different items with one key are sent, and
    DynamoDB refuses them."""
    deletes: list[tuple[int, frozenset[tuple[str, object]]]] = []
    # The puts' items and their indexes, apart: a put is looked for among the earlier
    # ones with list.index (the comparisons in C: a batch of 25 puts makes 300).
    put_items: list[Mapping[str, Any]] = []
    put_indexes: list[int] = []
    for index, request in enumerate(requests):
        if not isinstance(request, Mapping):
            continue
        delete = request.get("DeleteRequest")
        put = request.get("PutRequest")
        if isinstance(delete, Mapping):
            key = _key_identity(delete.get("Key"))
            if key is None:
                continue
            for earlier, other in deletes:
                if other == key:
                    raise _duplicate_write(table_name, earlier, index)
            for earlier, item in zip(put_indexes, put_items, strict=True):
                if _holds(item, key):
                    raise _duplicate_write(table_name, earlier, index)
            deletes.append((index, key))
        elif isinstance(put, Mapping) and isinstance(put.get("Item"), Mapping):
            item = put["Item"]
            if item in put_items:
                raise _duplicate_write(table_name, put_indexes[put_items.index(item)], index)
            for earlier, key in deletes:
                if _holds(item, key):
                    raise _duplicate_write(table_name, earlier, index)
            put_items.append(item)
            put_indexes.append(index)


def _holds(item: Mapping[Any, Any], key: frozenset[tuple[str, object]]) -> bool:
    """Whether ``item`` holds every attribute of ``key`` (a :func:`_key_identity`) with
    the same value, as DynamoDB compares key values: only the key's attributes are
    looked at, so a batch of puts alone never weighs its items' attributes."""
    for name, identity in key:
        if name not in item or _identity(item[name]) != identity:
            return False
    return True


def _duplicate_write(table_name: str, earlier: int, index: int) -> RequestValidationError:
    return RequestValidationError(
        f"{_DUPLICATES}: requests {earlier} and {index} of table {table_name!r} write the "
        "same item (one BatchWriteItem request may write an item once)"
    )


def _listed(value: object, name: str) -> Sequence[Any]:
    if isinstance(value, (list, tuple)):
        return value
    raise refusal(name, "a mapping of table names to lists of requests", value, wire=True)


class DynamoDBConnection(_Layer1[Body]):
    """boto 2's ``boto.dynamodb2.layer1.DynamoDBConnection``, on top of :class:`Connection`.

    The constructor accepts boto 2's keywords. ``host``/``port``/``is_secure`` (or a
    ``region`` whose ``endpoint`` is not AWS's) choose a custom endpoint, such as DynamoDB
    Local. New code can pass ``endpoint_url=`` instead, or a ready ``connection=``.
    It may be shared between threads (see ``docs/reliability.md``).
    """

    connection: Connection

    @staticmethod
    def _connection_class() -> type[Connection]:
        return Connection

    def close(self) -> None:
        """Close pooled HTTP connections."""
        self.connection.close()


def _region_parts(region: Any) -> tuple[str | None, str | None]:
    """(region name, custom endpoint host) from a name or a RegionInfo-like object."""
    if region is None:
        return None, None
    if isinstance(region, str):
        return region, None
    if not (hasattr(region, "name") or hasattr(region, "endpoint")):
        raise refusal("region", "a region name or a RegionInfo", region)
    name = getattr(region, "name", None)
    endpoint = getattr(region, "endpoint", None)
    if name is not None and not isinstance(name, str):
        raise refusal("region.name", "a string", name)
    if endpoint is not None and not isinstance(endpoint, str):
        raise refusal("region.endpoint", "a string", endpoint)
    # AWS's own endpoint for the region adds nothing to the name; leaving it out keeps
    # AWS_ENDPOINT_URL_DYNAMODB (and FIPS / dual-stack settings) in charge.
    if endpoint is not None and name is not None and endpoint == f"dynamodb.{name}.amazonaws.com":
        endpoint = None
    return name, endpoint


#: The environment variables that name a proxy (botocore's; boto 2 read ``http_proxy``).
_PROXY_VARIABLES: Final = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")


def _configured_ca_file(settings: DynamoDBSettings) -> str | None:
    """``[Boto] ca_certificates_file`` (``"system"``: the default certificates), checked
    to exist (the error names the file)."""
    path = settings.boto_text("ca_certificates_file")
    if path is None or path == "system":
        return None
    expanded = os.path.expanduser(path)
    if not os.path.isfile(expanded):
        raise ParameterValidationError(
            f"[Boto] ca_certificates_file in {settings.boto_source('ca_certificates_file')}: "
            f"{path!r} does not exist"
        )
    return expanded


def _configured_region(settings: DynamoDBSettings) -> str | None:
    """The ``[DynamoDB] region`` of boto 2's config file, if set, after checking it is a
    region name (the error names the file)."""
    if settings.region is None:
        return None
    from botocore.exceptions import InvalidRegionError  # noqa: PLC0415 - start-up time
    from botocore.utils import validate_region_name  # noqa: PLC0415

    try:
        validate_region_name(settings.region)
    except InvalidRegionError:
        raise ParameterValidationError(
            f"[DynamoDB] region in {settings.region_source}: "
            f"{settings.region!r} is not a region name"
        ) from None
    return settings.region


class _SigningScope:
    """``DynamoDBConnection._auth_handler``: the region and service of the requests'
    signatures, as boto 2's ``HmacAuthV4Handler`` held them."""

    __slots__ = ("_layer1",)

    def __init__(self, layer1: _Layer1[Any]) -> None:
        self._layer1 = layer1

    @property
    def region_name(self) -> str:
        """The region requests are signed for; setting it signs the next ones for it."""
        return self._layer1.auth_region_name

    @region_name.setter
    def region_name(self, region: str) -> None:
        self._layer1.auth_region_name = region

    @property
    def service_name(self) -> str:
        """``"dynamodb"``."""
        return self._layer1.auth_service_name


def _endpoint_url(host: str, port: int | None, is_secure: bool) -> str:
    """The endpoint URL for boto 2's host/port/is_secure (a host may carry its own scheme
    and port; ``port`` then only fills a missing one). The scheme's default port is left
    out, as botocore leaves it out: moto's ``mock_aws`` matches URLs without it.

    >>> _endpoint_url("dynamodb.us-east-1.amazonaws.com", 443, True)
    'https://dynamodb.us-east-1.amazonaws.com'
    >>> _endpoint_url("localhost", 8000, False), _endpoint_url("http://localhost:80", None, True)
    ('http://localhost:8000', 'http://localhost')
    """
    from ._config import without_default_port  # noqa: PLC0415 - start-up time

    if "://" not in host:
        host = f"{'https' if is_secure else 'http'}://{host}"
    parts = urlsplit(host)
    if port is not None and parts.port is None:
        host = urlunsplit(parts._replace(netloc=f"{parts.netloc}:{port}"))
    return without_default_port(host)


def _proxies(
    proxy: str | None, port: int | None, user: str | None, password: str | None
) -> dict[str, str] | None:
    if not proxy:
        return None
    credentials = f"{user}:{password}@" if user and password else ""
    scheme, sep, address = proxy.partition("://")
    if not sep:
        scheme, address = "http", proxy
    url = f"{scheme}://{credentials}{address}" + (f":{port}" if port else "")
    return {"http": url, "https": url}
