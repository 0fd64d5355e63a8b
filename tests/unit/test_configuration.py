"""botocore's configuration, the boto3 way: the same settings give the same behaviour as a
boto3 client, shown side by side against local servers (tests/support/http_servers.py).

Covered: ``AWS_MAX_ATTEMPTS``, ``AWS_RETRY_MODE`` and ``Config(retries=...)`` (attempts
counted at the server for both libraries), ``AWS_CA_BUNDLE`` and the profile's
``ca_bundle`` (the TLS outcome), ``Config(retries={"mode": "adaptive"},
max_pool_connections=32, read_timeout=2)``, the session's default client config,
endpoints (configured, regional, FIPS, dual-stack) and the refusals of settings that
cannot work.
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import botocore.session
import pytest
import trustme
from botocore.config import Config

from dynamodb2 import exceptions
from dynamodb2._ratelimit import AdaptiveRateLimiter
from dynamodb2.connection import Connection
from dynamodb2.exceptions import ConnectionFailedError, ParameterValidationError
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.retry import DEFAULT_RETRY_POLICY, RetryPolicy
from tests.support.backends import free_port
from tests.support.http_servers import Action, CannedServer, ForwardProxy, Request, error, ok

TABLES = {"TableNames": ["users"]}


def boto3_client(url: str | None = None, **options: Any) -> Any:
    """A boto3 DynamoDB client made as a user would (environment read when made)."""
    return boto3.session.Session().client("dynamodb", endpoint_url=url, **options)


def boto3_calls(url: str, **options: Any) -> None:
    client = boto3_client(url, **options)
    try:
        client.list_tables()
    finally:
        client.close()


def ours_calls(url: str, **options: Any) -> None:
    with Connection(endpoint_url=url, **options) as conn:
        conn.list_tables({})


def attempts(call: Callable[[], None], server: CannedServer) -> int:
    """How many requests ``call`` sent before it raised."""
    before = len(server.requests)
    with pytest.raises((exceptions.DynamoDBResponseError, botocore.exceptions.ClientError)):
        call()
    return len(server.requests) - before


@pytest.fixture
def failing() -> Iterator[CannedServer]:
    """A server that answers every request with HTTP 500 (retried by both libraries)."""
    with CannedServer(lambda _r: error("InternalServerError", 500, "boom")) as server:
        yield server


# --------------------------------------------------------------------------- attempts


def test_aws_max_attempts_1_means_one_attempt_as_for_boto3(
    monkeypatch: pytest.MonkeyPatch, failing: CannedServer
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")

    ours = attempts(lambda: ours_calls(failing.url), failing)
    theirs = attempts(lambda: boto3_calls(failing.url), failing)

    assert ours == theirs == 1


@pytest.mark.parametrize(
    ("environment", "config", "expected"),
    [
        pytest.param({"AWS_MAX_ATTEMPTS": "3"}, None, 3, id="AWS_MAX_ATTEMPTS=3"),
        pytest.param({"AWS_RETRY_MODE": "standard"}, None, 4, id="standard-default"),
        pytest.param({"AWS_RETRY_MODE": "adaptive"}, None, 4, id="adaptive-default"),
        pytest.param(
            {"AWS_RETRY_MODE": "legacy", "AWS_MAX_ATTEMPTS": "2"}, None, 2, id="legacy-env-2"
        ),
        # Config's max_attempts counts retries: one more attempt in all.
        pytest.param({}, Config(retries={"max_attempts": 2}), 3, id="config-max-attempts-2"),
        pytest.param(
            {}, Config(retries={"total_max_attempts": 2}), 2, id="config-total-max-attempts-2"
        ),
        pytest.param(
            {}, Config(retries={"mode": "legacy", "max_attempts": 1}), 2, id="config-legacy-1"
        ),
        pytest.param(
            {"AWS_MAX_ATTEMPTS": "5"},
            Config(retries={"max_attempts": 0}),
            1,
            id="config-beats-environment",
        ),
    ],
)
def test_retry_settings_give_the_attempts_boto3_makes(
    monkeypatch: pytest.MonkeyPatch,
    failing: CannedServer,
    environment: dict[str, str],
    config: Config | None,
    expected: int,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    options = {} if config is None else {"config": config}

    ours = attempts(lambda: ours_calls(failing.url, **options), failing)
    theirs = attempts(lambda: boto3_calls(failing.url, **options), failing)

    assert ours == theirs == expected


def test_max_attempts_in_the_profile_applies_as_for_boto3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, failing: CannedServer
) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nmax_attempts = 2\nretry_mode = standard\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    ours = attempts(lambda: ours_calls(failing.url), failing)
    theirs = attempts(lambda: boto3_calls(failing.url), failing)

    assert ours == theirs == 2


def test_without_retry_settings_the_package_keeps_its_own_policy() -> None:
    conn = Connection(endpoint_url="http://127.0.0.1:9")

    assert conn.retry == DEFAULT_RETRY_POLICY
    assert conn.retry.max_attempts == 10


def test_legacy_mode_gives_botocores_ten_attempts_for_dynamodb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")

    policy = Connection(endpoint_url="http://127.0.0.1:9").retry

    assert (policy.max_attempts, policy.base_delay, policy.mode) == (10, 0.05, "legacy")


def test_standard_mode_waits_longer_after_throttling_than_after_server_errors() -> None:
    policy = RetryPolicy.for_mode("standard")

    assert policy.delay_cap(1) == 0.025
    assert policy.delay_cap(1, throttled=True) == 1.0
    assert policy.delay_cap(20, throttled=True) == 20.0


def test_an_explicit_retry_policy_beats_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    policy = RetryPolicy(max_attempts=7)

    conn = Connection(
        endpoint_url="http://127.0.0.1:9", retry=policy, config=Config(retries={"mode": "legacy"})
    )

    assert conn.retry is policy


def test_layer1_honours_aws_max_attempts_unless_a_subclass_sets_number_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")

    class Patient(DynamoDBConnection):
        NumberRetries = 20

    plain = DynamoDBConnection(host="127.0.0.1", port=9, is_secure=False)
    patient = Patient(host="127.0.0.1", port=9, is_secure=False)

    assert plain.connection.retry.max_attempts == 2
    assert patient.connection.retry.max_attempts == 20


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def bundle(authority: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "company-ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def tls_server(authority: trustme.CA) -> Iterator[CannedServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with CannedServer(lambda _r: ok(TABLES), tls=context) as server:
        yield server


def test_aws_ca_bundle_is_trusted_as_boto3_trusts_it(
    monkeypatch: pytest.MonkeyPatch, tls_server: CannedServer, bundle: str
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", bundle)

    with Connection(endpoint_url=tls_server.url) as conn:
        assert conn.list_tables({}) == TABLES
    client = boto3_client(tls_server.url)
    assert client.list_tables()["TableNames"] == ["users"]
    client.close()


def test_ca_bundle_in_the_profile_is_trusted_as_boto3_trusts_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tls_server: CannedServer, bundle: str
) -> None:
    config = tmp_path / "config"
    config.write_text(
        f"[profile corp]\nca_bundle = {bundle}\n"
        "aws_access_key_id = AKIDCORP\naws_secret_access_key = corp-secret\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    with Connection(endpoint_url=tls_server.url, profile_name="corp") as conn:
        assert conn.list_tables({}) == TABLES
    client = boto3.session.Session(profile_name="corp").client(
        "dynamodb", endpoint_url=tls_server.url
    )
    assert client.list_tables()["TableNames"] == ["users"]
    client.close()


def test_without_the_bundle_both_refuse_the_server(tls_server: CannedServer) -> None:
    # conftest removes AWS_CA_BUNDLE: botocore's default bundle does not know the test CA.
    with (
        Connection(endpoint_url=tls_server.url) as conn,
        pytest.raises(ConnectionFailedError, match="not trusted"),
    ):
        conn.list_tables({})
    client = boto3_client(tls_server.url, config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(botocore.exceptions.SSLError):
        client.list_tables()
    client.close()


def test_an_explicit_verify_beats_aws_ca_bundle(
    monkeypatch: pytest.MonkeyPatch, tls_server: CannedServer, bundle: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("AWS_CA_BUNDLE", str(other))

    with Connection(endpoint_url=tls_server.url, verify=bundle) as conn:
        assert conn.list_tables({}) == TABLES


def test_requests_ca_bundle_is_trusted_as_boto3_trusts_it(
    monkeypatch: pytest.MonkeyPatch, tls_server: CannedServer, bundle: str, tmp_path: Path
) -> None:
    # The variable of corporate TLS-intercepting set-ups, which botocore reads after
    # AWS_CA_BUNDLE and the profile's ca_bundle.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)

    with Connection(endpoint_url=tls_server.url) as conn:
        assert conn.list_tables({}) == TABLES
    client = boto3_client(tls_server.url)
    assert client.list_tables()["TableNames"] == ["users"]
    client.close()

    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("AWS_CA_BUNDLE", str(other))
    with (
        Connection(endpoint_url=tls_server.url, retry=RetryPolicy(max_attempts=1)) as conn,
        pytest.raises(ConnectionFailedError, match="not trusted"),
    ):
        conn.list_tables({})


@pytest.mark.parametrize("variable", ["AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE"])
def test_an_empty_ca_bundle_is_refused_as_boto3_refuses_it(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, " ")

    with pytest.raises(ParameterValidationError, match=f"CA bundle ' ' .*{variable}.* is empty"):
        Connection(endpoint_url="https://127.0.0.1:9")
    with pytest.raises(botocore.exceptions.InvalidConfigError):
        boto3_client("https://127.0.0.1:9")


def test_a_ca_bundle_that_does_not_exist_is_refused_before_sending(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tmp_path / "missing.pem"))

    with pytest.raises(ParameterValidationError, match="AWS_CA_BUNDLE"):
        Connection(endpoint_url="https://127.0.0.1:9")


# --------------------------------------------------------------------------- Config


def test_adaptive_mode_with_a_pool_of_32_and_read_timeout_2_as_for_boto3(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = Config(retries={"mode": "adaptive"}, max_pool_connections=32, read_timeout=2)
    first_seen: set[int] = set()
    lock = threading.Lock()

    def answer(request: Request) -> bytes | Action:
        # The first request from each client stalls past the read timeout; retried,
        # it is answered. Every other request is answered at once, a little slowly.
        agent = request.headers.get("user-agent", "")
        key = 1 if agent.startswith("dynamodb2/") else 2
        with lock:
            first = key not in first_seen
            first_seen.add(key)
        if first:
            return Action(send=ok(TABLES), delay=2.5)
        return Action(send=ok(TABLES), delay=0.002)

    with CannedServer(answer) as server:
        conn = Connection(endpoint_url=server.url, config=config)
        client = boto3_client(server.url, config=config)
        # One request timed out, its retry answered: the same for both.
        assert conn.list_tables({}) == TABLES
        assert client.list_tables()["TableNames"] == ["users"]
        assert len(server.requests) == 4
        assert conn.retries == 1

        problems: list[BaseException] = []

        def hammer(call: Callable[[], object]) -> None:
            try:
                for _ in range(10):
                    call()
            except BaseException as failure:
                problems.append(failure)

        for call in (lambda: conn.list_tables({}), client.list_tables):
            workers = [threading.Thread(target=hammer, args=(call,)) for _ in range(16)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        conn.close()
        client.close()

    assert problems == []
    assert conn.settings.max_pool_connections == 32
    assert conn.settings.read_timeout == 2.0
    assert conn.retry.rate_limited
    assert conn.retry.mode == "adaptive"
    assert not [r for r in caplog.records if "pool is full" in r.getMessage()]


def test_with_16_threads_a_pool_of_10_warns_like_boto3(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    def answer(_request: Request) -> Action:
        return Action(send=ok(TABLES), delay=0.005)

    with CannedServer(answer) as server:
        conn = Connection(endpoint_url=server.url)
        client = boto3_client(server.url)
        for call in (lambda: conn.list_tables({}), client.list_tables):
            barrier = threading.Barrier(16)

            def work(
                call: Callable[[], object] = call, barrier: threading.Barrier = barrier
            ) -> None:
                barrier.wait()
                for _ in range(5):
                    call()

            workers = [threading.Thread(target=work) for _ in range(16)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        conn.close()
        client.close()

    loggers = {r.name for r in caplog.records if "pool is full" in r.getMessage()}
    assert loggers == {"dynamodb2.transport", "urllib3.connectionpool"}


def test_the_sessions_default_client_config_applies_under_an_explicit_one() -> None:
    session = botocore.session.Session()
    session.set_default_client_config(
        Config(read_timeout=7, max_pool_connections=20, user_agent_extra="app/1")
    )

    conn = Connection(
        endpoint_url="http://127.0.0.1:9", session=session, config=Config(read_timeout=3)
    )

    assert conn.settings.read_timeout == 3.0
    assert conn.settings.max_pool_connections == 20
    assert conn.settings.user_agent_extra == "app/1"


def test_explicit_keywords_beat_config() -> None:
    conn = Connection(
        endpoint_url="http://127.0.0.1:9",
        region_name="eu-west-1",
        read_timeout=4,
        connect_timeout=5,
        max_pool_connections=6,
        config=Config(
            region_name="ap-south-1", read_timeout=1, connect_timeout=1, max_pool_connections=1
        ),
    )

    settings = conn.settings
    assert (settings.region_name, settings.read_timeout, settings.connect_timeout) == (
        "eu-west-1",
        4.0,
        5.0,
    )
    assert settings.max_pool_connections == 6


def test_config_region_name_chooses_the_region() -> None:
    conn = Connection(config=Config(region_name="eu-north-1"))

    assert conn.region_name == "eu-north-1"
    assert conn.endpoint_url == "https://dynamodb.eu-north-1.amazonaws.com"


def test_user_agent_extra_is_sent() -> None:
    with CannedServer(lambda _r: ok(TABLES)) as server:
        with Connection(
            endpoint_url=server.url, config=Config(user_agent_extra="my-app/2.0")
        ) as conn:
            conn.list_tables({})
        agent = server.requests[0].headers["user-agent"]

    assert agent.startswith("dynamodb2/")
    assert agent.endswith(" my-app/2.0")


def test_config_proxies_are_used() -> None:
    with (
        CannedServer(lambda _r: ok(TABLES)) as server,
        ForwardProxy() as proxy,
        Connection(endpoint_url=server.url, config=Config(proxies={"http": proxy.url()})) as conn,
    ):
        conn.list_tables({})

    assert proxy.seen[0][:2] == ("POST", f"{server.url}/")


def test_a_proxy_password_is_used_but_not_shown_in_the_settings() -> None:
    url = "http://me:pr0xy-s3cret@proxy.internal:3128"
    conn = Connection(region_name="us-east-1", proxies={"https": url})

    assert conn.settings.proxies == {"https": url}
    assert "pr0xy-s3cret" not in repr(conn.settings)
    assert "http://me:***@proxy.internal:3128" in repr(conn.settings)


def test_tcp_keepalive_from_config_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Connection(config=Config(tcp_keepalive=True)).settings.tcp_keepalive
    assert not Connection().settings.tcp_keepalive
    monkeypatch.setenv("BOTOCORE_TCP_KEEPALIVE", "true")
    assert Connection().settings.tcp_keepalive


# --------------------------------------------------------------------------- endpoints


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param({"AWS_DEFAULT_REGION": "eu-west-1"}, id="regional"),
        pytest.param({"AWS_USE_FIPS_ENDPOINT": "true"}, id="fips"),
        pytest.param({"AWS_USE_DUALSTACK_ENDPOINT": "true"}, id="dual-stack"),
        pytest.param(
            {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
            id="fips-dual-stack",
        ),
        pytest.param({"AWS_DEFAULT_REGION": "cn-north-1"}, id="china"),
        pytest.param({"AWS_DEFAULT_REGION": "us-gov-west-1"}, id="govcloud"),
        pytest.param({"AWS_DEFAULT_REGION": "fips-us-east-1"}, id="fips-pseudo-region"),
        pytest.param({"AWS_DEFAULT_REGION": "us-west-2-fips"}, id="pseudo-region-fips"),
        pytest.param({"AWS_DEFAULT_REGION": "us-gov-east-1-fips"}, id="govcloud-pseudo-region"),
        pytest.param({"AWS_ENDPOINT_URL": "http://localhost:1111"}, id="AWS_ENDPOINT_URL"),
        pytest.param(
            {
                "AWS_ENDPOINT_URL": "http://localhost:1111",
                "AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:2222",
            },
            id="AWS_ENDPOINT_URL_DYNAMODB",
        ),
        pytest.param(
            {
                "AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:2222",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            },
            id="ignored",
        ),
    ],
)
def test_the_endpoint_is_the_one_boto3_resolves(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    ours = Connection()
    client = boto3_client()
    theirs = boto3_sent_to(client), client.meta.region_name
    client.close()

    # The region is what requests are signed for (a FIPS pseudo-region's real region).
    assert (ours.endpoint_url, ours.settings.signing_region) == theirs


class _Sent(Exception):
    pass


def boto3_sent_to(client: Any) -> str:
    """The endpoint a request of ``client`` goes to (``meta.endpoint_url`` is botocore's
    older resolver's answer, which differs for some FIPS endpoints)."""
    seen: list[str] = []

    def stop(request: Any, **_kwargs: Any) -> None:
        seen.append(request.url)
        raise _Sent

    client.meta.events.register("before-send", stop)
    with pytest.raises(_Sent):
        client.list_tables()
    return seen[0].removesuffix("/")


@pytest.mark.parametrize(
    "profile",
    [
        "[default]\nendpoint_url = http://localhost:3333\n",
        "[default]\nservices = local\n[services local]\ndynamodb =\n"
        "  endpoint_url = http://localhost:4444\n",
    ],
    ids=["profile-endpoint_url", "services-section"],
)
def test_the_profiles_endpoint_is_the_one_boto3_resolves(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, profile: str
) -> None:
    config = tmp_path / "config"
    config.write_text(profile)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    client = boto3_client()
    theirs = client.meta.endpoint_url
    client.close()

    assert Connection().endpoint_url == theirs
    assert theirs.startswith("http://localhost:")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "https://dynamodb.us-east-1.amazonaws.com:443",
            "https://dynamodb.us-east-1.amazonaws.com",
        ),
        (
            "https://dynamodb.us-east-1.amazonaws.com:443/",
            "https://dynamodb.us-east-1.amazonaws.com/",
        ),
        ("http://localhost:80", "http://localhost"),
        ("http://localhost:443", "http://localhost:443"),
        ("https://localhost:8443", "https://localhost:8443"),
    ],
)
def test_default_ports_are_dropped_from_endpoint_urls(given: str, expected: str) -> None:
    assert Connection(endpoint_url=given).endpoint_url == expected


def test_no_botocore_client_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a botocore client was built")

    monkeypatch.setattr(botocore.session.Session, "create_client", refuse)

    assert Connection().endpoint_url == "https://dynamodb.us-east-1.amazonaws.com"
    assert DynamoDBConnection(region="eu-west-1").host == "dynamodb.eu-west-1.amazonaws.com"


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("environment", "options", "message"),
    [
        ({"AWS_RETRY_MODE": "sometimes"}, {}, "retry mode"),
        ({"AWS_MAX_ATTEMPTS": "many"}, {}, "AWS_MAX_ATTEMPTS"),
        ({"AWS_MAX_ATTEMPTS": "0"}, {}, "at least 1"),
        ({}, {"config": Config(read_timeout=-1)}, "read_timeout"),
        ({}, {"config": Config(connect_timeout=0)}, "connect_timeout"),
        ({}, {"read_timeout": "60"}, "read_timeout"),
        ({}, {"max_pool_connections": 0}, "max_pool_connections"),
        ({}, {"config": Config(user_agent_extra="a\r\nX-Injected: 1")}, "line breaks"),
        ({}, {"config": Config(proxies={"https": "ftp://proxy"})}, "proxy"),
        ({}, {"config": {"read_timeout": 2}}, "botocore.config.Config"),
        ({}, {"endpoint_url": "http://localhost:port"}, "port"),
    ],
)
def test_settings_that_cannot_work_are_refused_before_sending(
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    options: dict[str, Any],
    message: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ParameterValidationError, match=message):
        Connection(**options)


# --------------------------------------------------------------------------- policy


def test_next_wait_gives_up_when_attempts_or_budget_run_out() -> None:
    policy = RetryPolicy(max_attempts=3, base_delay=1.0, max_delay=1.0, total_timeout=10)

    class Half(random.Random):
        def random(self) -> float:
            return 0.5

    assert policy.next_wait(1, elapsed=0.0, rng=Half()) == 0.5
    assert policy.next_wait(3, elapsed=0.0, rng=Half()) is None  # attempts spent
    assert policy.next_wait(1, elapsed=9.6, rng=Half()) is None  # the wait would end past it
    assert policy.time_left(4.0) == 6.0
    assert RetryPolicy().time_left(4.0) is None


def test_an_unknown_mode_is_refused_by_the_policy() -> None:
    with pytest.raises(ValueError, match="retry mode"):
        RetryPolicy.for_mode("eventually")


def test_adaptive_rate_limiting_paces_sends_once_throttled() -> None:
    limiter = AdaptiveRateLimiter()
    started = time.monotonic()
    for _ in range(50):
        limiter.before_sending()
        limiter.after_response(throttled=False)
    assert time.monotonic() - started < 0.5  # free until throttled

    limiter.after_response(throttled=True)
    started = time.monotonic()
    for _ in range(2):
        limiter.before_sending()
    # The token bucket now refills at a token or two a second at most.
    assert time.monotonic() - started >= 0.4


# --------------------------------------------------------------------------- credentials


class _StsCalled(Exception):
    pass


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"region_name": "ap-south-1"}, id="region_name"),
        pytest.param({"config": Config(region_name="ap-south-1")}, id="Config"),
    ],
)
def test_a_role_is_assumed_through_sts_in_the_connections_region_as_boto3_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, options: dict[str, Any]
) -> None:
    # botocore asks STS in the region of the client being made (VPCs that reach only
    # the regional STS endpoint depend on it), not in the environment's.
    config = tmp_path / "config"
    config.write_text(
        "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    asked: list[str] = []

    def sts(request: Any, **_kwargs: Any) -> None:
        asked.append(request.url)
        raise _StsCalled

    conn = Connection(**options)
    events: Any = conn.events  # the STS client is made on the connection's session
    events.register("before-send.sts", sts)
    with pytest.raises(_StsCalled):
        conn.list_tables({})

    assert asked == ["https://sts.ap-south-1.amazonaws.com/"]


def test_unsigned_requests_carry_no_credentials_as_for_boto3(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Config(signature_version=UNSIGNED): for an endpoint that must not see the keys.
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token-not-to-send")
    unsigned = Config(signature_version=botocore.UNSIGNED)
    with CannedServer(lambda _r: ok(TABLES)) as server:
        with Connection(endpoint_url=server.url, config=unsigned) as conn:
            assert conn.list_tables({}) == TABLES
        client = boto3_client(server.url, config=unsigned)
        client.list_tables()
        client.close()
        ours, theirs = server.requests

    for request in (ours, theirs):
        assert "authorization" not in request.headers
        assert "x-amz-security-token" not in request.headers
        assert request.headers["x-amz-target"] == "DynamoDB_20120810.ListTables"


def test_a_signature_version_dynamodb_does_not_take_is_refused() -> None:
    with pytest.raises(ParameterValidationError, match=r"signature_version='s3'.*UNSIGNED"):
        Connection(config=Config(signature_version="s3"))
    assert not Connection(config=Config(signature_version="v4")).settings.unsigned


@pytest.mark.parametrize(
    ("where", "value"),
    [("environment", "my-app#1"), ("profile", "my-app#1"), ("Config", "my app")],
)
def test_the_app_id_is_in_the_user_agent_as_boto3_puts_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str, value: str
) -> None:
    options: dict[str, Any] = {}
    if where == "environment":
        monkeypatch.setenv("AWS_SDK_UA_APP_ID", value)
    elif where == "profile":
        config = tmp_path / "config"
        config.write_text(f"[default]\nsdk_ua_app_id = {value}\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    else:
        options["config"] = Config(user_agent_appid=value, user_agent_extra="extra/1")  # type: ignore[call-arg]
    with CannedServer(lambda _r: ok(TABLES)) as server:
        ours_calls(server.url, **options)
        boto3_calls(server.url, **options)
        ours, theirs = (request.headers["user-agent"] for request in server.requests)

    expected = "app/" + value.replace(" ", "-")
    assert expected in theirs.split()
    assert expected in ours.split()
    if where == "Config":
        assert ours.endswith(f" {expected} extra/1")


def test_a_profile_naming_a_services_section_that_does_not_exist_is_refused_as_by_boto3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nservices = typo\nendpoint_url = http://127.0.0.1:9\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    with pytest.raises(ParameterValidationError, match="'typo' services configuration"):
        Connection()
    with pytest.raises(botocore.exceptions.InvalidConfigError):
        boto3_client()


def test_a_session_and_a_profile_name_together_are_refused() -> None:
    with pytest.raises(ParameterValidationError, match="profile_name='prod' with session="):
        Connection(session=boto3.session.Session(region_name="eu-west-1"), profile_name="prod")


def test_a_proxy_that_cannot_be_reached_is_named_in_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # boto3 raises ProxyConnectionError naming the proxy; the error here names it beside
    # the endpoint (without the proxy's password), so the right host gets debugged.
    port = free_port()
    proxies = {"http": f"http://me:pr0xy-s3cret@127.0.0.1:{port}"}
    with (
        Connection(
            endpoint_url="http://127.0.0.1:8000",
            config=Config(proxies=proxies),
            retry=RetryPolicy(max_attempts=1),
        ) as conn,
        pytest.raises(ConnectionFailedError) as failed,
    ):
        conn.list_tables({})

    message = str(failed.value)
    assert f"through proxy http://127.0.0.1:{port} failed" in message
    assert "pr0xy-s3cret" not in message
