"""boto 2's configuration file (``BOTO_CONFIG``, else ``BOTO_PATH``, else ``/etc/boto.cfg``
and ``~/.boto``), as a boto 2 program's deployment has it.

- ``[Credentials]``: botocore reads it itself (its ``boto-config`` credential provider),
  so a ``DynamoDBConnection`` (and a ``Connection``) signs with those keys when nothing
  earlier in the chain (arguments, environment, AWS profiles) has any. Keys boto 2 code
  sets at run time come at the same place, before the files' and ``AWS_CREDENTIAL_FILE``'s.
- ``[DynamoDB] region``: ``DynamoDBConnection`` takes it when no ``region=`` (or
  ``Config(region_name=...)``) is given, before botocore's ``AWS_DEFAULT_REGION`` and
  profile region, as boto 2 took it before its default; ``Connection`` (the modern API)
  keeps boto3's resolution and ignores the file.
- ``[DynamoDB] validate_checksums``: over the keyword, as boto 2's ``getbool`` had it.
- What boto 2 code sets at run time (``boto.config.set(...)`` under the shim) wins over
  the files, as in boto 2, whose ``boto.config`` held the files' values and its own.

Each test writes the files into a temporary ``HOME`` (no AWS variables, no AWS config).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import botocore.config
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.hooks import HierarchicalEmitter

from dynamodb2 import connect_to_region
from dynamodb2._boto_config import RUN_TIME
from dynamodb2.aio import AsyncDynamoDBConnection
from dynamodb2.connection import Connection
from dynamodb2.exceptions import InsecureTransportWarning, ParameterValidationError
from dynamodb2.layer1 import DynamoDBConnection
from dynamodb2.regioninfo import RegionInfo

BOTO_KEY = "AKIAFROMBOTOCONFIG01"


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty ``HOME``; no AWS credentials, region or boto config variable."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("BOTO_CONFIG", raising=False)
    monkeypatch.delenv("BOTO_PATH", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def no_system_config() -> None:
    # /etc/boto.cfg is read first (botocore takes the first file with credentials).
    if os.path.exists("/etc/boto.cfg"):
        pytest.skip("this machine has an /etc/boto.cfg")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def signed_request(conn: DynamoDBConnection) -> AWSPreparedRequest:
    """A request of ``conn`` as signed (answered in process, before it is sent)."""
    seen: list[AWSPreparedRequest] = []

    def answer(request: AWSPreparedRequest, **_kwargs: Any) -> AWSResponse:
        seen.append(request)
        raise _Answered

    events: HierarchicalEmitter = conn.connection.events  # type: ignore[assignment]
    events.register("before-send.dynamodb", answer)  # type: ignore[arg-type]
    with pytest.raises(_Answered):
        conn.list_tables()
    return seen[0]


def signed_access_key(conn: DynamoDBConnection) -> str:
    """The access key a request of ``conn`` is signed with."""
    authorization = signed_request(conn).headers["Authorization"]
    text = authorization.decode() if isinstance(authorization, bytes) else authorization
    return text.split("Credential=")[1].split("/")[0]


class _Answered(Exception):
    pass


# --------------------------------------------------------------------------- credentials


@pytest.mark.usefixtures("no_system_config")
def test_credentials_in_dot_boto_sign_requests(home: Path) -> None:
    write(
        home / ".boto",
        f"[Credentials]\naws_access_key_id = {BOTO_KEY}\naws_secret_access_key = s3cret\n",
    )

    conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False)

    assert signed_access_key(conn) == BOTO_KEY


def test_credentials_in_boto_config_sign_requests(home: Path, monkeypatch: Any) -> None:
    config = write(
        home / "elsewhere.cfg",
        f"[Credentials]\naws_access_key_id = {BOTO_KEY}\naws_secret_access_key = s3cret\n",
    )
    monkeypatch.setenv("BOTO_CONFIG", str(config))

    conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False)

    assert signed_access_key(conn) == BOTO_KEY


# --------------------------------------------------------------------------- region


@pytest.mark.usefixtures("no_system_config")
def test_the_dynamodb_region_of_dot_boto_is_the_default_region(home: Path) -> None:
    write(home / ".boto", "[DynamoDB]\nregion = eu-west-1\n")

    conn = DynamoDBConnection()

    assert conn.region.name == "eu-west-1"
    assert conn.host == "dynamodb.eu-west-1.amazonaws.com"
    assert conn.connection.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


@pytest.mark.usefixtures("no_system_config")
def test_the_boto_config_region_comes_before_aws_default_region(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(home / ".boto", "[DynamoDB]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")

    assert DynamoDBConnection().region.name == "eu-west-1"  # boto 2's order
    assert Connection().region_name == "us-west-2"  # boto3's order, the file unread


@pytest.mark.usefixtures("no_system_config")
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: DynamoDBConnection(region="ap-south-1"), "ap-south-1"),
        (lambda: DynamoDBConnection(region=RegionInfo(name="ap-south-1")), "ap-south-1"),
        (lambda: connect_to_region("ap-south-1"), "ap-south-1"),
        (
            lambda: DynamoDBConnection(config=botocore.config.Config(region_name="sa-east-1")),
            "sa-east-1",
        ),
    ],
    ids=["region-name", "region-info", "connect_to_region", "config-region_name"],
)
def test_a_region_given_comes_before_the_boto_config(
    home: Path, make: Callable[[], DynamoDBConnection], expected: str
) -> None:
    write(home / ".boto", "[DynamoDB]\nregion = eu-west-1\n")

    assert make().region.name == expected


@pytest.mark.usefixtures("no_system_config")
def test_without_any_region_it_is_us_east_1(home: Path) -> None:
    write(home / ".boto", "[Boto]\ndebug = 0\n")

    assert DynamoDBConnection().region.name == "us-east-1"


@pytest.mark.usefixtures("no_system_config")
def test_a_custom_host_is_signed_for_the_boto_config_region(home: Path) -> None:
    write(home / ".boto", "[DynamoDB]\nregion = eu-west-1\n")

    conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False)

    assert conn.connection.endpoint_url == "http://localhost:8000"
    assert conn.region.name == "eu-west-1"
    assert conn.connection.settings.signing_region == "eu-west-1"


def test_boto_config_names_the_only_file_read(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(home / ".boto", "[DynamoDB]\nregion = eu-west-1\n")
    monkeypatch.setenv(
        "BOTO_CONFIG", str(write(home / "only.cfg", "[DynamoDB]\nregion = eu-north-1\n"))
    )

    assert DynamoDBConnection().region.name == "eu-north-1"


def test_boto_path_lists_files_and_a_later_one_wins(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write(
        home / "first.cfg", "[DynamoDB]\nregion = eu-west-1\nvalidate_checksums = false\n"
    )
    second = write(home / "second.cfg", "[DynamoDB]\nregion = eu-west-3\n")
    monkeypatch.setenv("BOTO_PATH", os.pathsep.join([str(first), str(second), str(home / "none")]))

    conn = DynamoDBConnection()

    assert conn.region.name == "eu-west-3"
    assert conn.connection.validate_checksums is False


def test_the_asyncio_layer1_reads_the_boto_config_too(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "BOTO_CONFIG", str(write(home / "b.cfg", "[DynamoDB]\nregion = eu-west-2\n"))
    )

    assert AsyncDynamoDBConnection().region.name == "eu-west-2"


# --------------------------------------------------------------------------- checksums


@pytest.mark.parametrize(
    ("written", "given", "expected"),
    [
        ("false", True, False),
        ("False", True, False),
        ("0", True, False),  # boto 2's getbool: only "true" is true
        ("yes", True, False),
        ("TRUE", False, True),  # the file over the keyword, as in boto 2
        (None, False, False),
        (None, True, True),
    ],
)
def test_validate_checksums_of_the_boto_config_as_boto2_read_it(
    home: Path, monkeypatch: pytest.MonkeyPatch, written: str | None, given: bool, expected: bool
) -> None:
    text = "[DynamoDB]\n" + (f"validate_checksums = {written}\n" if written is not None else "")
    monkeypatch.setenv("BOTO_CONFIG", str(write(home / "b.cfg", text)))

    conn = DynamoDBConnection(validate_checksums=given)

    assert conn.connection.validate_checksums is expected


# --------------------------------------------------------------------------- bad files


def test_a_file_that_is_not_ini_is_refused_naming_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write(home / "broken.cfg", "region = eu-west-1\n")  # no section header
    monkeypatch.setenv("BOTO_CONFIG", str(broken))

    with pytest.raises(ParameterValidationError, match=r"broken\.cfg"):
        DynamoDBConnection()


def test_a_region_that_is_not_a_region_name_is_refused_naming_the_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(home / "typo.cfg", "[DynamoDB]\nregion = eu west 1\n")
    monkeypatch.setenv("BOTO_CONFIG", str(config))

    with pytest.raises(ParameterValidationError, match=r"\[DynamoDB\] region in .*typo.cfg"):
        DynamoDBConnection()


# --------------------------------------------------------------------------- [Boto]


def boto_section(home: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("BOTO_CONFIG", str(write(home / "b.cfg", "[Boto]\n" + text)))


LOCAL: dict[str, Any] = {"host": "localhost", "port": 8000, "is_secure": False}


def test_the_boto_proxy_settings_route_requests_when_none_is_given(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto_section(
        home,
        monkeypatch,
        "proxy = proxy.internal\nproxy_port = 3128\nproxy_user = me\nproxy_pass = s3cret\n",
    )

    conn = DynamoDBConnection(**LOCAL)

    assert (conn.proxy, conn.proxy_port, conn.proxy_user, conn.proxy_pass) == (
        "proxy.internal",
        3128,
        "me",
        "s3cret",
    )
    assert conn.connection.settings.proxies["http"] == "http://me:s3cret@proxy.internal:3128"


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "https_proxy"])
def test_a_proxy_in_the_environment_comes_before_the_boto_config(
    home: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    boto_section(home, monkeypatch, "proxy = proxy.internal\nproxy_port = 3128\n")
    monkeypatch.setenv(variable, "http://env-proxy.internal:8080")

    conn = DynamoDBConnection(**LOCAL)

    assert conn.proxy != "proxy.internal"


def test_a_proxy_given_comes_before_the_boto_config(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto_section(home, monkeypatch, "proxy = proxy.internal\nproxy_port = 3128\n")

    conn = DynamoDBConnection(proxy="given.internal", proxy_port=9000, **LOCAL)

    assert (conn.proxy, conn.proxy_port) == ("given.internal", 9000)


def test_is_secure_in_the_boto_config_overrides_the_keyword(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto_section(home, monkeypatch, "is_secure = no\n")

    conn = DynamoDBConnection(host="localhost", port=8000)

    assert conn.connection.endpoint_url == "http://localhost:8000"
    assert conn.protocol == "http"


def test_an_is_secure_that_is_not_a_boolean_is_refused_naming_the_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto_section(home, monkeypatch, "is_secure = maybe\n")

    with pytest.raises(ParameterValidationError, match=r"\[Boto\] is_secure in .*b\.cfg"):
        DynamoDBConnection(**LOCAL)


def test_certificate_checks_turned_off_in_the_boto_config_warn(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto_section(home, monkeypatch, "https_validate_certificates = False\n")

    with pytest.warns(InsecureTransportWarning):
        conn = DynamoDBConnection(host="dynamodb.internal")

    assert conn.https_validate_certificates is False
    assert conn.connection.settings.verify is False


def test_the_boto_ca_certificates_file_is_the_bundle(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = write(home / "ca.pem", "not read until the first request\n")
    boto_section(home, monkeypatch, f"ca_certificates_file = {bundle}\n")

    conn = DynamoDBConnection(host="dynamodb.internal")

    assert conn.connection.settings.verify == str(bundle)


@pytest.mark.parametrize(
    ("written", "refused"), [("system", False), ("/no/such/ca.pem", True)], ids=str
)
def test_a_system_or_missing_ca_certificates_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, written: str, refused: bool
) -> None:
    boto_section(home, monkeypatch, f"ca_certificates_file = {written}\n")

    if refused:
        with pytest.raises(ParameterValidationError, match=r"ca_certificates_file in .*b\.cfg"):
            DynamoDBConnection(host="dynamodb.internal")
    else:
        assert DynamoDBConnection(host="dynamodb.internal").connection.settings.verify is True


def test_the_boto_socket_timeout_is_both_timeouts_unless_a_config_is_given(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto_section(home, monkeypatch, "http_socket_timeout = 5\n")

    settings = DynamoDBConnection(**LOCAL).connection.settings
    configured = DynamoDBConnection(
        config=botocore.config.Config(read_timeout=9), **LOCAL
    ).connection.settings

    assert (settings.connect_timeout, settings.read_timeout) == (5, 5)
    assert configured.read_timeout == 9
    assert DynamoDBConnection(**LOCAL).http_connection_kwargs["timeout"] == 5


def test_the_boto_debug_level_is_kept(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    boto_section(home, monkeypatch, "debug = 2\n")

    assert DynamoDBConnection(**LOCAL).debug == 2


# ------------------------------------------------------------- set at run time (the shim)


@pytest.fixture
def boto_config() -> Iterator[Any]:
    """The shim's ``boto.config``, emptied of what the test sets."""
    from dynamodb2 import _legacy_boto

    yield _legacy_boto.config
    RUN_TIME.clear()


def test_settings_made_at_run_time_win_over_the_files(
    home: Path, monkeypatch: pytest.MonkeyPatch, boto_config: Any
) -> None:
    # A common start of a boto 2 program: tune boto before connecting.
    boto_section(home, monkeypatch, "http_socket_timeout = 5\n[DynamoDB]\nregion = us-west-2\n")
    boto_config.set("Boto", "http_socket_timeout", "3")
    boto_config.set("DynamoDB", "region", "eu-west-1")
    boto_config.set("DynamoDB", "validate_checksums", "false")

    conn = DynamoDBConnection(aws_access_key_id="a", aws_secret_access_key="b")

    assert conn.region.name == "eu-west-1"
    assert conn.http_connection_kwargs["timeout"] == 3
    assert conn.connection.validate_checksums is False
    assert boto_config.getint("Boto", "http_socket_timeout") == 3


def test_a_bad_setting_made_at_run_time_is_refused_naming_boto_config(
    home: Path, boto_config: Any
) -> None:
    boto_config.set("DynamoDB", "region", "eu west 1")

    with pytest.raises(ParameterValidationError, match=r"region in boto\.config \(set at run"):
        DynamoDBConnection()


# ------------------------------------- [Credentials] set at run time, AWS_CREDENTIAL_FILE

RUN_TIME_KEY = "AKIASETATRUNTIME0001"
FILE_KEY = "AKIAFROMCREDFILE0001"


def set_run_time_keys(boto_config: Any, key: str = RUN_TIME_KEY) -> None:
    # As public boto 2 programs did before connecting.
    boto_config.add_section("Credentials")
    boto_config.set("Credentials", "aws_access_key_id", key)
    boto_config.set("Credentials", "aws_secret_access_key", "run-time-secret")


@pytest.mark.usefixtures("no_system_config")
def test_credentials_set_at_run_time_sign_requests(home: Path, boto_config: Any) -> None:
    set_run_time_keys(boto_config)
    boto_config.set("Credentials", "aws_security_token", "run-time-token")

    conn = DynamoDBConnection(host="localhost", port=8000, is_secure=False)

    request = signed_request(conn)
    assert f"Credential={RUN_TIME_KEY}/" in str(request.headers["Authorization"])
    assert request.headers["X-Amz-Security-Token"] in ("run-time-token", b"run-time-token")
    assert conn.aws_access_key_id == RUN_TIME_KEY


def test_credentials_set_at_run_time_win_over_the_files(
    home: Path, monkeypatch: pytest.MonkeyPatch, boto_config: Any
) -> None:
    config = write(
        home / "boto.cfg",
        f"[Credentials]\naws_access_key_id = {BOTO_KEY}\naws_secret_access_key = s3cret\n",
    )
    monkeypatch.setenv("BOTO_CONFIG", str(config))
    set_run_time_keys(boto_config)

    assert signed_access_key(DynamoDBConnection(host="localhost", port=8000)) == RUN_TIME_KEY


@pytest.mark.usefixtures("no_system_config")
def test_the_asyncio_layer1_signs_with_credentials_set_at_run_time(
    home: Path, boto_config: Any
) -> None:
    set_run_time_keys(boto_config)

    conn = AsyncDynamoDBConnection(host="localhost", port=8000, is_secure=False)

    assert conn.aws_access_key_id == RUN_TIME_KEY


@pytest.mark.usefixtures("no_system_config")
def test_keys_in_the_environment_or_the_shared_file_come_before_run_time_ones(
    home: Path, monkeypatch: pytest.MonkeyPatch, boto_config: Any
) -> None:
    # boto 2's order: arguments, environment, shared credentials file, then boto.config.
    set_run_time_keys(boto_config)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    assert signed_access_key(DynamoDBConnection(host="localhost")) == "AKIAFROMENVIRONMENT1"

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    shared = write(
        home / "credentials",
        "[default]\naws_access_key_id = AKIAFROMSHAREDFILE01\naws_secret_access_key = x\n",
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(shared))
    assert signed_access_key(DynamoDBConnection(host="localhost")) == "AKIAFROMSHAREDFILE01"

    given = DynamoDBConnection(
        host="localhost", aws_access_key_id="AKIAGIVEN", aws_secret_access_key="y"
    )
    assert signed_access_key(given) == "AKIAGIVEN"


@pytest.mark.usefixtures("no_system_config")
def test_a_named_profile_is_used_instead_of_run_time_keys(
    home: Path, monkeypatch: pytest.MonkeyPatch, boto_config: Any
) -> None:
    shared = write(
        home / "credentials",
        "[work]\naws_access_key_id = AKIAFROMWORKPROFILE1\naws_secret_access_key = x\n",
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(shared))
    set_run_time_keys(boto_config)

    conn = DynamoDBConnection(host="localhost", profile_name="work")

    assert signed_access_key(conn) == "AKIAFROMWORKPROFILE1"


@pytest.mark.usefixtures("no_system_config")
def test_run_time_keys_come_before_the_aws_credential_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, boto_config: Any
) -> None:
    # The AWS Java tools' key file, which boto 2 read into [Credentials] (botocore reads
    # it too): keys set at run time override it, as they did in boto 2.
    path = write(home / "aws-credentials.txt", f"AWSAccessKeyId={FILE_KEY}\nAWSSecretKey=s\n")
    monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))

    assert signed_access_key(DynamoDBConnection(host="localhost")) == FILE_KEY

    set_run_time_keys(boto_config)
    assert signed_access_key(DynamoDBConnection(host="localhost")) == RUN_TIME_KEY
