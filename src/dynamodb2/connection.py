"""Connection: one DynamoDB call is JSON in, JSON out (sign, send, verify, retry, map errors).

>>> conn = Connection(region_name="us-east-1")          # doctest: +SKIP
>>> conn.list_tables({"Limit": 10})                     # doctest: +SKIP
{'TableNames': ['users']}

Built from botocore's public pieces only: :class:`botocore.session.Session` finds
credentials (environment, profiles, SSO, instance roles) and the configuration boto3
honours (region, ``AWS_ENDPOINT_URL_DYNAMODB``, ``AWS_CA_BUNDLE``, ``AWS_RETRY_MODE``,
``AWS_MAX_ATTEMPTS``, a ``botocore.config.Config``: see docs/configuration.md), resolved
without building a botocore client; :class:`~dynamodb2._signing.RequestSigner` signs
(SigV4, byte for byte as :class:`botocore.auth.SigV4Auth` would, at a tenth of the cost);
the session's event emitter carries the ``before-send`` event that ``moto.mock_aws``
answers; :class:`~dynamodb2.transport.HTTPTransport` sends (docs/transport.md).
botocore's response parser and parameter validator are not used: bodies are encoded and
decoded as plain JSON.

A connection may be shared between threads.
"""

from __future__ import annotations

import logging
import pickle
import random
import threading
import time
import typing
import uuid
import warnings
import weakref
import zlib
from collections.abc import Callable, Generator, Mapping
from typing import Any, Final, Generic, TypeVar
from urllib.parse import urlsplit

import attrs

from . import _json
from ._arguments import check_call, check_connection_arguments, refusal, text
from ._plans import Plan, Sleep, run
from ._ratelimit import AdaptiveRateLimiter
from ._redaction import REDACTED as _REDACTED
from ._redaction import Redactor, signature_of
from ._signing import CONTENT_TYPE as _CONTENT_TYPE
from ._signing import RequestSigner
from ._version import __version__
from ._wire import Body
from .exceptions import (
    RETRYABLE_ERROR_CODES,
    ChecksumMismatchError,
    DynamoDBResponseError,
    InsecureTransportWarning,
    NoCredentialsError,
    ParameterValidationError,
    ThrottlingError,
    TransportError,
    TruncatedResponseError,
    error_class_for,
)
from .retry import Pacing, RetryEvent, RetryPolicy
from .transport import (
    BotocoreTransport,
    EventEmitter,
    HttpRequest,
    HttpResponse,
    HTTPTransport,
    Transport,
)

if typing.TYPE_CHECKING:
    import botocore.config
    import botocore.session
    from botocore.credentials import Credentials

    from ._config import ClientSettings
    from ._sessions import Boto3Session

__all__ = ["DEFAULT_REGION", "IDEMPOTENCY_TOKENS", "Connection", "redact_headers"]

#: The region used when none is given or configured (boto 2's default).
DEFAULT_REGION: Final = "us-east-1"

logger = logging.getLogger("dynamodb2.connection")

_TARGET_PREFIX: Final = "DynamoDB_20120810"
_SERVICE: Final = "dynamodb"

#: Operations made idempotent by a client token, and the token's field (the members
#: botocore's service model marks ``idempotencyToken``).
IDEMPOTENCY_TOKENS: Final[Mapping[str, str]] = {
    "TransactWriteItems": "ClientRequestToken",
    "ExecuteTransaction": "ClientRequestToken",
    "ExportTableToPointInTime": "ClientToken",
    "ImportTable": "ClientToken",
    "StartBulkPutItems": "ClientToken",
}
_SECRET_HEADERS: Final = frozenset({"authorization", "x-amz-security-token"})

#: What a call yields (sync: send it; async: await it) for the response body.
_Result = TypeVar("_Result")
#: The transport a connection sends through.
_TransportT = TypeVar("_TransportT")


class _RateToken:
    """The effect a call's plan yields before a try under adaptive rate limiting: take a
    token from the limiter (waiting while the sending rate is spent)."""


_RATE_TOKEN: Final = _RateToken()


class _LookUpCredentials:
    """The effect a call's plan yields when its credentials are not at hand (the first
    call, or refreshable ones due for a refresh): find them, which may wait on a
    process, instance metadata or STS (an asynchronous connection does it in a thread,
    so that its event loop goes on meanwhile)."""


_LOOK_UP_CREDENTIALS: Final = _LookUpCredentials()


class _ConnectionBase(Generic[_Result, _TransportT]):
    """What :class:`Connection` and the asynchronous ``dynamodb2.aio.AsyncConnection``
    share: settings, credentials, signing, the retry decisions of a call (a plan, see
    :mod:`dynamodb2._plans`), decoding and error mapping. Subclasses only send and sleep.
    """

    #: What ``sleep`` defaults to.
    _default_sleep: Callable[[float], object] = staticmethod(time.sleep)

    def __init__(
        self,
        *,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        profile_name: str | None = None,
        session: botocore.session.Session | Boto3Session | None = None,
        config: botocore.config.Config | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_pool_connections: int | None = None,
        verify: bool | str | None = None,
        proxies: Mapping[str, str] | None = None,
        retry: RetryPolicy | None = None,
        validate_checksums: bool = True,
        log_bodies: bool = False,
        transport: _TransportT | None = None,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_retry: Callable[[RetryEvent], object] | None = None,
    ) -> None:
        check_connection_arguments(_ConnectionBase.__init__, locals())
        if (aws_access_key_id is None) != (aws_secret_access_key is None):
            raise ParameterValidationError(
                "give both aws_access_key_id and aws_secret_access_key, or neither"
            )
        if verify is False:
            warnings.warn(
                "TLS certificate verification is off for this DynamoDB connection: "
                "responses could come from anyone on the network path",
                InsecureTransportWarning,
                stacklevel=2,
            )
        # botocore is imported when the first connection is made, not with this module
        # (start-up time: docs/performance.md).
        import botocore
        from botocore.credentials import Credentials

        from ._config import resolve_settings
        from ._sessions import botocore_session_for, new_session

        # What a pickle rebuilds the connection from (see __reduce__): the arguments as
        # given, but a session (which cannot be pickled), the credentials (kept below)
        # and region and endpoint (taken as resolved).
        self._given: dict[str, Any] | None = (
            None
            if session is not None
            else {
                "profile_name": profile_name,
                "config": config,
                "connect_timeout": connect_timeout,
                "read_timeout": read_timeout,
                "max_pool_connections": max_pool_connections,
                "verify": verify,
                "proxies": proxies,
                "retry": retry,
                "transport": transport,
                "sleep": sleep,
                "clock": clock,
            }
        )
        # Without a session, one of its own, so the environment is read as it is now;
        # made cheaply (shared models and built-in handlers, see _sessions). A
        # boto3.Session stands for a botocore session of its profile, region,
        # credentials and event handlers.
        own_session = session is None
        if not own_session and profile_name is not None:
            raise ParameterValidationError(
                f"profile_name={profile_name!r} with session=: a session has its own "
                "profile; give one or the other"
            )
        session = new_session(profile_name) if session is None else botocore_session_for(session)
        self._session = session
        settings = resolve_settings(
            session,
            config,
            region_name=region_name,
            endpoint_url=endpoint_url,
            verify=verify,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_pool_connections=max_pool_connections,
            proxies=proxies,
            retry=retry,
        )
        if own_session:
            # Credentials that come from STS (a role to assume, web identity) are asked
            # for in the connection's region, as botocore asks in its client's.
            session.set_config_variable("region", settings.region_name)
        #: What this connection resolved from its arguments, ``config`` and the
        #: environment (region, endpoint, timeouts, pool size, proxies, retry policy).
        self.settings: ClientSettings = settings
        self.region_name: str = settings.region_name
        self.endpoint_url: str = settings.endpoint_url
        _warn_if_plain_http_to_aws(self.endpoint_url)
        # Requests go to the root path; botocore sends "/" for an empty path, and so do
        # we (moto matches on it).
        self._request_url = (
            self.endpoint_url if urlsplit(self.endpoint_url).path else self.endpoint_url + "/"
        )
        self._signer = RequestSigner(self._request_url, settings.signing_region, _SERVICE)
        # The session's emitter: botocore's handlers plus any registered on the session
        # (moto's mock_aws registers its "before-send" handler among botocore's).
        self.events: EventEmitter = session.get_component("event_emitter")
        self._explicit_credentials: Credentials | None = None
        if aws_access_key_id is not None and aws_secret_access_key is not None:
            self._explicit_credentials = Credentials(
                aws_access_key_id, aws_secret_access_key, aws_session_token
            )
        self._credentials: Any = self._explicit_credentials
        self._credentials_lock = threading.Lock()
        self._frozen: tuple[Any, Any] | None = None
        self._static_credentials: type[Credentials] = Credentials
        self._unsigned = settings.unsigned
        self.retry = settings.retry
        self._rate_limiter = AdaptiveRateLimiter() if settings.retry.rate_limited else None
        #: Called with a :class:`~dynamodb2.retry.RetryEvent` before each retry.
        self.on_retry = on_retry
        self.validate_checksums = validate_checksums
        self.log_bodies = log_bodies
        self._sleep = sleep if sleep is not None else self._default_sleep
        self._clock = clock
        self._random = random.Random()
        self._user_agent = f"dynamodb2/{__version__} botocore/{botocore.__version__}"
        if settings.user_agent_extra:
            self._user_agent = f"{self._user_agent} {settings.user_agent_extra}"
        if transport is None:
            transport = self._default_transport(self.events, settings)
        self._transport: _TransportT = transport
        #: How many throttling errors this connection has seen (boto 2 counted these).
        self.throttle_events = 0
        #: How many requests were sent again after a retryable failure.
        self.retries = 0
        # The counters are shared by every thread using the connection.
        self._counters_lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(region_name={self.region_name!r}, "
            f"endpoint_url={self.endpoint_url!r})"
        )

    @staticmethod
    def _default_transport(events: EventEmitter, settings: ClientSettings) -> _TransportT:
        raise NotImplementedError

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and copied) as boto 2's connections were: made again from what it was
        made with: its resolved region and endpoint, its signing region, its own keys if
        given (other credentials come from the chain where it is unpickled), its retry,
        timeout and checksum settings. What was changed on it afterwards (``retry``,
        handlers added to ``events``) is not kept. Connections unpickled from the same
        arguments in one process are one connection. A connection made with
        ``session=`` cannot be pickled: give ``profile_name=`` or the keys instead."""
        if self._given is None:
            raise TypeError(
                f"cannot pickle or copy a {type(self).__name__} made with session=: its "
                "botocore or boto3 session cannot be (make it with profile_name= or "
                "aws_access_key_id=/aws_secret_access_key= instead)"
            )
        arguments = dict(self._given)
        arguments.update(
            region_name=self.region_name,
            endpoint_url=self.endpoint_url,
            validate_checksums=self.validate_checksums,
            log_bodies=self.log_bodies,
            on_retry=self.on_retry,
        )
        credentials = self._explicit_credentials
        if credentials is not None:
            arguments.update(
                aws_access_key_id=credentials.access_key,
                aws_secret_access_key=credentials.secret_key,
                aws_session_token=credentials.token,
            )
        return (_rebuilt_connection, (type(self), arguments, self.signing_region))

    def __copy__(self) -> _ConnectionBase[_Result, _TransportT]:
        # A new connection, made as a pickle makes it again (never one already made).
        copied: _ConnectionBase[_Result, _TransportT] = _made_again(*self.__reduce__()[1])
        return copied

    def __deepcopy__(self, memo: dict[int, Any]) -> _ConnectionBase[_Result, _TransportT]:
        return self.__copy__()

    @property
    def signing_region(self) -> str:
        """The region in the credential scope of every request's signature: the region's
        own, or ``region_name`` for a custom ``endpoint_url``.

        It can be set (boto 2's ``auth_region_name``): a local DynamoDB keeps tables
        apart by the region requests are signed for, and AWS refuses a signature for
        the wrong region.
        """
        return self.settings.signing_region

    @signing_region.setter
    def signing_region(self, region: str) -> None:
        text(region, "signing_region", wire=False, none=False)
        if not region:
            raise refusal("signing_region", "a region name", region)
        # The signer, then the settings that describe it: one attribute each, replaced
        # whole (requests in flight in other threads keep the signer they started with).
        self._signer = RequestSigner(self._request_url, region, _SERVICE)
        self.settings = attrs.evolve(self.settings, signing_region=region)

    @property
    def pacing(self) -> Pacing:
        """How this connection waits between tries: its retry policy, sleep, clock and
        random numbers. Batches, batch reads and waiters of its tables wait the same way
        (so a test that gives the connection a fake sleep and clock fakes them all)."""
        return Pacing(self.retry, self._sleep, self._clock, self._random)

    def call(self, operation: str, body: Mapping[str, Any]) -> _Result:
        """Call any DynamoDB operation by name with a request body (see :meth:`Connection.call`)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ operations
    # One method per operation: each takes the request body and returns the response body,
    # both in the service's JSON shapes (see DynamoDB's API reference).

    def batch_get_item(self, body: Mapping[str, Any]) -> _Result:
        """``BatchGetItem``: read up to 100 items from one or more tables."""
        return self.call("BatchGetItem", body)

    def batch_write_item(self, body: Mapping[str, Any]) -> _Result:
        """``BatchWriteItem``: put or delete up to 25 items in one or more tables."""
        return self.call("BatchWriteItem", body)

    def create_table(self, body: Mapping[str, Any]) -> _Result:
        """``CreateTable``: create a table."""
        return self.call("CreateTable", body)

    def delete_item(self, body: Mapping[str, Any]) -> _Result:
        """``DeleteItem``: delete one item, optionally under a condition."""
        return self.call("DeleteItem", body)

    def delete_table(self, body: Mapping[str, Any]) -> _Result:
        """``DeleteTable``: delete a table and all its items."""
        return self.call("DeleteTable", body)

    def describe_table(self, body: Mapping[str, Any]) -> _Result:
        """``DescribeTable``: describe a table: schema, indexes, status, counts."""
        return self.call("DescribeTable", body)

    def get_item(self, body: Mapping[str, Any]) -> _Result:
        """``GetItem``: read one item by its primary key."""
        return self.call("GetItem", body)

    def list_tables(self, body: Mapping[str, Any]) -> _Result:
        """``ListTables``: list table names, a page at a time."""
        return self.call("ListTables", body)

    def put_item(self, body: Mapping[str, Any]) -> _Result:
        """``PutItem``: create or replace one item, optionally under a condition."""
        return self.call("PutItem", body)

    def query(self, body: Mapping[str, Any]) -> _Result:
        """``Query``: read the items of one partition key, in sort key order."""
        return self.call("Query", body)

    def scan(self, body: Mapping[str, Any]) -> _Result:
        """``Scan``: read every item of a table or index, a page at a time."""
        return self.call("Scan", body)

    def update_item(self, body: Mapping[str, Any]) -> _Result:
        """``UpdateItem``: change attributes of one item, optionally under a condition."""
        return self.call("UpdateItem", body)

    def update_table(self, body: Mapping[str, Any]) -> _Result:
        """``UpdateTable``: change throughput, billing mode, indexes or streams of a table."""
        return self.call("UpdateTable", body)

    def transact_write_items(self, body: Mapping[str, Any]) -> _Result:
        """``TransactWriteItems``: up to 100 writes that all succeed or all fail."""
        return self.call("TransactWriteItems", body)

    def transact_get_items(self, body: Mapping[str, Any]) -> _Result:
        """``TransactGetItems``: up to 100 reads from one consistent snapshot."""
        return self.call("TransactGetItems", body)

    def update_time_to_live(self, body: Mapping[str, Any]) -> _Result:
        """``UpdateTimeToLive``: turn time-to-live expiry on or off."""
        return self.call("UpdateTimeToLive", body)

    def describe_time_to_live(self, body: Mapping[str, Any]) -> _Result:
        """``DescribeTimeToLive``: the time-to-live setting of a table."""
        return self.call("DescribeTimeToLive", body)

    def execute_statement(self, body: Mapping[str, Any]) -> _Result:
        """``ExecuteStatement``: run one PartiQL statement."""
        return self.call("ExecuteStatement", body)

    def batch_execute_statement(self, body: Mapping[str, Any]) -> _Result:
        """``BatchExecuteStatement``: run up to 25 PartiQL statements."""
        return self.call("BatchExecuteStatement", body)

    def execute_transaction(self, body: Mapping[str, Any]) -> _Result:
        """``ExecuteTransaction``: run up to 100 PartiQL statements as a transaction."""
        return self.call("ExecuteTransaction", body)

    def tag_resource(self, body: Mapping[str, Any]) -> _Result:
        """``TagResource``: add tags to a table."""
        return self.call("TagResource", body)

    def untag_resource(self, body: Mapping[str, Any]) -> _Result:
        """``UntagResource``: remove tags from a table."""
        return self.call("UntagResource", body)

    def list_tags_of_resource(self, body: Mapping[str, Any]) -> _Result:
        """``ListTagsOfResource``: list the tags of a table."""
        return self.call("ListTagsOfResource", body)

    def describe_limits(self, body: Mapping[str, Any]) -> _Result:
        """``DescribeLimits``: the account's capacity limits in this region."""
        return self.call("DescribeLimits", body)

    def describe_endpoints(self, body: Mapping[str, Any]) -> _Result:
        """``DescribeEndpoints``: the regional endpoint for this account."""
        return self.call("DescribeEndpoints", body)

    # ------------------------------------------------------------------ the plan of a call

    def _call_plan(self, operation: str, body: Mapping[str, Any]) -> Plan[Body]:
        """One call, tries and waits included: yields each signed :class:`HttpRequest`
        (to be sent), a :class:`~dynamodb2._plans.Sleep` between tries, and
        :data:`_RATE_TOKEN` before a try when adaptive rate limiting is on."""
        if type(operation) is not str or type(body) is not dict:
            check_call(operation, body)
        token_field = IDEMPOTENCY_TOKENS.get(operation)
        if token_field is not None and not body.get(token_field):
            body = {**body, token_field: str(uuid.uuid4())}
        try:
            payload = _json.dumps(body)
        except (TypeError, ValueError) as error:  # what JSON cannot hold: nothing is sent
            raise ParameterValidationError(
                f"{operation}: the request body cannot be sent as JSON ({error})"
            ) from None
        if self.log_bodies:
            logger.debug("%s request body: %s", operation, payload.decode("utf-8", "replace"))
        policy = self.retry
        started = self._clock()
        attempt = 0
        budget: float | None = None
        while True:
            attempt += 1
            if policy.total_timeout is not None:
                budget = policy.time_left(self._clock() - started)
            try:
                return (yield from self._attempt_plan(operation, payload, budget))
            except (DynamoDBResponseError, TransportError) as error:
                wait = self._retry_wait(operation, error, attempt, started)
                if wait is None:
                    raise
                yield Sleep(wait)

    def _retry_wait(
        self,
        operation: str,
        error: DynamoDBResponseError | TransportError,
        attempt: int,
        started: float,
    ) -> float | None:
        """After a failed attempt: the wait before the next one, or ``None`` to give up."""
        if not _is_retryable(error):
            return None
        policy = self.retry
        throttled = isinstance(error, ThrottlingError)
        if throttled:
            with self._counters_lock:
                self.throttle_events += 1
        wait = policy.next_wait(attempt, self._clock() - started, self._random, throttled=throttled)
        if wait is None:
            logger.debug(
                "%s: giving up after %d attempts (%s)",
                operation,
                attempt,
                "attempts spent" if attempt >= policy.max_attempts else "time budget spent",
            )
            return None
        logger.debug(
            "%s: attempt %d failed (%s); retrying in %.3f s",
            operation,
            attempt,
            type(error).__name__,
            wait,
        )
        with self._counters_lock:
            self.retries += 1
        if self.on_retry is not None:
            self.on_retry(RetryEvent(operation, attempt, policy.max_attempts, error, wait))
        return wait

    def _attempt_plan(
        self, operation: str, payload: bytes, budget: float | None = None
    ) -> Generator[Any, Any, Body]:
        frozen = self._frozen
        if self._unsigned:
            credentials = None  # none looked up, none sent
        elif frozen is not None and frozen[0] is self._credentials:
            credentials = frozen[1]  # static keys, frozen already: the common case
        else:
            credentials = self._credentials_at_hand()
            if credentials is None:
                credentials = yield _LOOK_UP_CREDENTIALS
        request = self._sign(operation, payload, credentials, budget)
        # What a server or proxy may quote back: the secret key, the session token and
        # this request's signature (scrubbed from error bodies and logged bodies). Found
        # when needed: a successful response quotes nothing.
        secrets = _Secrets(credentials, request)
        limiter = self._rate_limiter
        if limiter is not None:
            yield _RATE_TOKEN
        started = time.perf_counter() if logger.isEnabledFor(logging.DEBUG) else 0.0
        try:
            response: HttpResponse = yield request
        except TransportError:
            if limiter is not None:
                limiter.after_response(throttled=False)
            raise
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s -> HTTP %d, %d bytes in %.1f ms; request headers %s",
                operation,
                response.status,
                len(response.body),
                (time.perf_counter() - started) * 1000,
                redact_headers(request.headers),
            )
            if self.log_bodies:
                logger.debug(
                    "%s response body: %s",
                    operation,
                    _scrubbed(response.body, secrets.values()).decode("utf-8", "replace"),
                )
        if limiter is None:
            return self._decode(operation, response, secrets)
        try:
            decoded = self._decode(operation, response, secrets)
        except DynamoDBResponseError as error:
            limiter.after_response(throttled=isinstance(error, ThrottlingError))
            raise
        except TransportError:
            limiter.after_response(throttled=False)
            raise
        limiter.after_response(throttled=False)
        return decoded

    def _sign(
        self, operation: str, payload: bytes, credentials: Any, budget: float | None = None
    ) -> HttpRequest:
        target = f"{_TARGET_PREFIX}.{operation}"
        if credentials is None:  # unsigned
            headers = {"Content-Type": _CONTENT_TYPE, "X-Amz-Target": target}
        else:
            headers = self._signer.sign(target, payload, credentials)
        headers["User-Agent"] = self._user_agent
        return HttpRequest(
            method="POST",
            url=self._request_url,
            headers=headers,
            body=payload,
            operation=operation,
            timeout=budget,
        )

    def _credentials_at_hand(self) -> Any:
        """The frozen credentials to sign with when finding them waits on nothing (static
        keys, or refreshable ones not due for a refresh); else ``None``."""
        credentials = self._credentials
        if credentials is None:
            return None
        if type(credentials) is self._static_credentials:
            return self._current_credentials()  # frozen once, then kept
        refresh_needed = getattr(credentials, "refresh_needed", None)
        if refresh_needed is not None and refresh_needed():
            return None
        return credentials.get_frozen_credentials()

    def _current_credentials(self) -> Any:
        credentials = self._credentials
        if credentials is None:
            with self._credentials_lock:
                if self._credentials is None:
                    self._credentials = self._session.get_credentials()
                credentials = self._credentials
        if credentials is None:
            raise NoCredentialsError(
                "no AWS credentials found: pass aws_access_key_id/aws_secret_access_key, "
                "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or configure a profile"
            )
        if type(credentials) is self._static_credentials:
            # Static keys never change: freeze them once.
            frozen = self._frozen
            if frozen is None or frozen[0] is not credentials:
                frozen = self._frozen = (credentials, credentials.get_frozen_credentials())
            return frozen[1]
        # Refreshable credentials (roles, SSO) renew themselves here.
        return credentials.get_frozen_credentials()

    def _decode(
        self,
        operation: str,
        response: HttpResponse,
        secrets: _Secrets | tuple[str | None, ...] = (),
    ) -> Body:
        """The JSON object of a 200 response, else the service error to raise (with
        ``secrets``, the signing credentials, scrubbed from it)."""
        body = response.body
        headers = response.headers
        declared_length = headers.get("content-length")
        if (
            declared_length is not None
            and declared_length.isascii()
            and declared_length.isdigit()
            and (len(declared_length.lstrip("0")) > 10 or int(declared_length) != len(body))
        ):
            raise TruncatedResponseError(
                f"{operation}: response body has {len(body)} bytes, "
                f"Content-Length says {declared_length}"
            )
        if self.validate_checksums:
            expected = headers.get("x-amz-crc32")
            if expected is not None:
                actual = zlib.crc32(body) & 0xFFFFFFFF
                if not (expected.isascii() and expected.isdigit() and len(expected) <= 10):
                    # Not quoted: a header value may echo the session token.
                    raise ChecksumMismatchError(
                        f"{operation}: x-amz-crc32 is not a CRC32 (length {len(expected)})"
                    )
                if int(expected) != actual:
                    raise ChecksumMismatchError(
                        f"{operation}: response CRC32 is {actual}, x-amz-crc32 says {expected}"
                    )
        status = response.status
        if status == 200:
            if not body:
                return {}
            try:
                decoded = _json.loads(body)
            except ValueError:
                raise TruncatedResponseError(
                    f"{operation}: response body is not valid JSON ({len(body)} bytes)"
                ) from None
            if not isinstance(decoded, dict):
                raise TruncatedResponseError(f"{operation}: response body is not a JSON object")
            return decoded
        if isinstance(secrets, _Secrets):
            secrets = secrets.values()
        raise _service_error(operation, response, secrets)


#: Connections made again from a pickle, by what they were made from: items pickled one
#: by one (a cache) share one connection when unpickled, as they did when pickled.
_REBUILT: weakref.WeakValueDictionary[bytes, _ConnectionBase[Any, Any]] = (
    weakref.WeakValueDictionary()
)


def _rebuilt_connection(
    kind: type[_ConnectionBase[Any, Any]], arguments: dict[str, Any], signing_region: str
) -> _ConnectionBase[Any, Any]:
    """A pickled connection, made again (see ``_ConnectionBase.__reduce__``), or the one
    already made again from the same pickle, if it would still pickle the same."""
    key = pickle.dumps((kind, arguments, signing_region))
    connection = _REBUILT.get(key)
    if connection is None or pickle.dumps(connection.__reduce__()[1]) != key:
        connection = _made_again(kind, arguments, signing_region)
        _REBUILT[key] = connection
    return connection


def _made_again(
    kind: type[_ConnectionBase[Any, Any]], arguments: dict[str, Any], signing_region: str
) -> _ConnectionBase[Any, Any]:
    """A new connection from what ``_ConnectionBase.__reduce__`` gives."""
    connection = kind(**arguments)
    if connection.signing_region != signing_region:
        connection.signing_region = signing_region
    return connection


class _Secrets:
    """The secrets of one signed request, found when first needed."""

    __slots__ = ("_credentials", "_request")

    def __init__(self, credentials: Any, request: HttpRequest) -> None:
        self._credentials = credentials
        self._request = request

    def values(self) -> tuple[str | None, ...]:
        """The secret key, the session token and the request's signature (none for an
        unsigned request)."""
        credentials = self._credentials
        if credentials is None:
            return ()
        return (
            credentials.secret_key,
            credentials.token,
            signature_of(self._request.headers.get("Authorization")),
        )


class Connection(_ConnectionBase[Body, Transport]):
    """A connection to DynamoDB: signs, sends and retries calls, returning decoded JSON.

    Every keyword is optional; with none, the region, credentials, endpoint and the
    settings boto3 honours (``AWS_CA_BUNDLE``, ``AWS_RETRY_MODE``, ``AWS_MAX_ATTEMPTS``,
    proxies, ...) come from the environment and AWS config files, as for boto3. An
    explicit keyword beats ``config``, which beats the environment and config files
    (docs/configuration.md has the whole table).

    Args:
        region_name: AWS region; defaults to ``config.region_name``, the configured
            one, else ``us-east-1``.
        endpoint_url: full URL of the endpoint (``http://localhost:8000``); defaults to
            ``AWS_ENDPOINT_URL_DYNAMODB``, ``AWS_ENDPOINT_URL``, the profile's
            ``endpoint_url``, then the region's (FIPS / dual-stack as configured). A
            default port (``:443`` for https, ``:80`` for http) is dropped.
        aws_access_key_id: explicit credentials (with ``aws_secret_access_key``);
            otherwise botocore's credential chain is used.
        aws_secret_access_key: the secret key of ``aws_access_key_id``.
        aws_session_token: the session token of temporary explicit credentials.
        profile_name: a named profile from ``~/.aws/config`` / ``~/.aws/credentials``.
        session: a botocore session to take configuration from (instead of a new one);
            its default client config applies, as for its clients. Or a
            ``boto3.Session``: its profile, region, credentials (refreshed as for its
            clients) and event handlers apply.
        config: a :class:`botocore.config.Config`, as for ``boto3.client(...)``:
            ``connect_timeout``, ``read_timeout``, ``max_pool_connections``, ``retries``,
            ``proxies``, ``proxies_config``, ``user_agent_extra``, ``tcp_keepalive``,
            ``region_name``, ``client_cert``, ``use_fips_endpoint``,
            ``use_dualstack_endpoint``.
        connect_timeout: seconds to open a connection (TCP, proxy tunnel and TLS
            handshake); 60 unless configured.
        read_timeout: seconds an attempt waits for its whole response once sent; 60
            unless configured.
        max_pool_connections: HTTP connections kept open per endpoint (10 unless
            configured); use at least the number of threads sharing this connection.
        verify: ``True``, ``False`` (warns), or a CA bundle path; defaults to
            ``AWS_CA_BUNDLE`` / the profile's ``ca_bundle``, else botocore's bundle.
        proxies: ``{"https": "http://proxy:3128"}``; defaults to ``config.proxies``,
            then ``HTTPS_PROXY`` etc. (minus ``NO_PROXY`` hosts).
        retry: the :class:`~dynamodb2.retry.RetryPolicy` for throttling, 5xx and broken
            connections; defaults to the one boto3's retry settings give, else
            :data:`~dynamodb2.retry.DEFAULT_RETRY_POLICY`.
        on_retry: called with a :class:`~dynamodb2.retry.RetryEvent` before each retry
            (to show or count retries as they happen).
        validate_checksums: verify the ``x-amz-crc32`` header of each response.
        log_bodies: log request and response bodies at DEBUG level (off by default:
            bodies hold your data).
        transport: replace the HTTP layer (see :mod:`dynamodb2.transport`).
        sleep: replaces ``time.sleep`` (for tests).
        clock: replaces ``time.monotonic`` (for tests).

    Raises :class:`~dynamodb2.exceptions.ParameterValidationError` for a setting that
    cannot work (an endpoint that is not a URL, a missing CA bundle, a retry mode
    botocore does not have, ...), before anything is sent.
    """

    _default_sleep = staticmethod(time.sleep)

    @staticmethod
    def _default_transport(events: EventEmitter, settings: ClientSettings) -> Transport:
        return _default_transport(events, settings)

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Close pooled HTTP connections. The connection reopens them if used again."""
        close = getattr(self._transport, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ calls

    def call(self, operation: str, body: Mapping[str, Any]) -> Body:
        """Call any DynamoDB operation by name with a request body; return the response body.

        >>> conn.call("DescribeTable", {"TableName": "users"})  # doctest: +SKIP
        {'Table': {'TableName': 'users', 'TableStatus': 'ACTIVE', ...}}

        Throttling, HTTP 5xx, broken connections, truncated bodies and checksum
        mismatches are retried according to :attr:`retry`; when attempts (or the time
        budget) run out, the last error is raised. Validation errors and failed
        conditions are raised at once.

        Operations DynamoDB makes idempotent by a client token (``TransactWriteItems``,
        ``ExecuteTransaction``, ...) get a fresh token when the body has none, as botocore
        gives them: every retry of the call sends the same token, so a transaction whose
        response was lost is not applied twice.
        """
        return run(self._call_plan(operation, body), self._perform)

    def _perform(self, effect: Any) -> Any:
        if type(effect) is HttpRequest:
            return self._transport(effect)
        if type(effect) is Sleep:
            return self._sleep(effect.seconds)
        if effect is _LOOK_UP_CREDENTIALS:
            return self._current_credentials()
        limiter = self._rate_limiter
        assert effect is _RATE_TOKEN
        assert limiter is not None
        return limiter.before_sending()


def _service_error(
    operation: str, response: HttpResponse, secrets: tuple[str | None, ...] = ()
) -> DynamoDBResponseError:
    # The class, the code and so the retry decision come from the body as it was sent:
    # scrubbing cannot cut into them. What is shown is scrubbed: a signature error quotes
    # the canonical request, session token included, and a proxy may echo the
    # Authorization header, in any escaping. Scrubbed before decoding (the bytes) and
    # after (every decoded string), so no escape hides a secret.
    sent_code = _error_code_sent(response)
    cls = error_class_for(sent_code)
    redactor = Redactor(secrets)
    raw = redactor.bytes(response.body)
    error_body: dict[str, Any] | None = None
    try:
        decoded = _json.loads(raw) if raw else None
    except ValueError:
        decoded = None
    if isinstance(decoded, dict):
        error_body = redactor.value(decoded)
    code = (error_body or {}).get("__type")
    if not isinstance(code, str) or not code:
        header_code = response.headers.get("x-amzn-errortype", "").split(":", 1)[0]
        code = redactor.text(header_code) or None
        text = redactor.text(raw.decode("utf-8", "replace")).strip()[:500]
        error_body = dict(error_body or {})
        if code:
            error_body["__type"] = code
        if text and "message" not in error_body and "Message" not in error_body:
            error_body["message"] = text
    if sent_code and cls.code_name is not None and error_body is not None:
        # A code DynamoDB documents is a public name, nothing to hide: shown as sent
        # (its namespace scrubbed like any other text).
        namespace, hash_sign, name = sent_code.rpartition("#")
        error_body["__type"] = redactor.text(namespace) + hash_sign + name
    if code is None and response.status >= 500:
        code = "InternalServerError" if response.status != 503 else "ServiceUnavailable"
        error_body = {**(error_body or {}), "__type": code}
        cls = error_class_for(code)
    request_id = response.headers.get("x-amzn-requestid")
    return cls(
        response.status,
        redactor.text(response.reason_phrase),
        error_body,
        operation=operation,
        request_id=redactor.text(request_id) if request_id is not None else None,
    )


def _error_code_sent(response: HttpResponse) -> str | None:
    """The error's ``__type`` as the server sent it (else its ``x-amzn-errortype``)."""
    try:
        decoded = _json.loads(response.body) if response.body else None
    except ValueError:
        decoded = None
    code = decoded.get("__type") if isinstance(decoded, dict) else None
    if isinstance(code, str) and code:
        return code
    return response.headers.get("x-amzn-errortype", "").split(":", 1)[0] or None


def _scrubbed(body: bytes, secrets: tuple[str | None, ...]) -> bytes:
    """``body`` with every secret in it, in any form it may be quoted in, and any
    signature replaced by ``<redacted>`` (see :mod:`dynamodb2._redaction`)."""
    return Redactor(secrets).bytes(body)


def _is_retryable(error: DynamoDBResponseError | TransportError) -> bool:
    if isinstance(error, TransportError):
        return error.retryable
    if error.status >= 500:
        return True
    return error.error_code in RETRYABLE_ERROR_CODES


#: Domains of AWS's own endpoints (China's included, and the dual-stack ``api.aws``).
_AWS_DOMAINS: Final = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def _transport_options(settings: ClientSettings) -> dict[str, Any]:
    """The keyword arguments of a transport for a connection's resolved settings."""
    return {
        "verify": settings.verify,
        "proxies": settings.proxies,
        "proxies_config": settings.proxies_config,
        "connect_timeout": settings.connect_timeout,
        "read_timeout": settings.read_timeout,
        "max_pool_connections": settings.max_pool_connections,
        "tcp_keepalive": settings.tcp_keepalive,
        "client_cert": settings.client_cert,
    }


def _default_transport(events: EventEmitter, settings: ClientSettings) -> Transport:
    """:class:`HTTPTransport`, or :class:`BotocoreTransport` for the proxy settings only
    botocore's HTTP session implements."""
    options = _transport_options(settings)
    reason = HTTPTransport.unsupported(
        settings.endpoint_url, settings.proxies, settings.proxies_config
    )
    if reason is not None:
        logger.debug("sending through botocore's HTTP session, for %s", reason)
        return BotocoreTransport(events, **options)
    return HTTPTransport(events, **options)


def _warn_if_plain_http_to_aws(url: str) -> None:
    """Warn when requests to AWS itself would travel unencrypted (a local server over
    ``http://`` is the common, harmless case, and says nothing)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "http" and host.endswith(_AWS_DOMAINS):
        warnings.warn(
            f"requests to {host} go over plain HTTP: the data and the session token can "
            "be read, and answers changed, by anyone on the network path; use https://",
            InsecureTransportWarning,
            stacklevel=3,
        )


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` safe to log: the signature and session token are hidden.

    >>> redact_headers({"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA...", "X-Amz-Date": "x"})
    {'Authorization': '<redacted>', 'X-Amz-Date': 'x'}
    """
    return {
        name: (_REDACTED if name.lower() in _SECRET_HEADERS else value)
        for name, value in headers.items()
    }
