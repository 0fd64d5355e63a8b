"""``Connection(session=boto3.Session(...))``: boto3 users hand over the session they hold.

The connection takes the boto3 session's profile, region, credentials (refreshed as
botocore refreshes them) and event handlers, through boto3's and botocore's public APIs
only; everything else resolves as for a botocore session of that profile.
"""

from __future__ import annotations

import datetime
import itertools
import zlib
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials
from moto import mock_aws

from dynamodb2.aio import AsyncConnection, AsyncTable
from dynamodb2.connection import Connection
from dynamodb2.exceptions import NoCredentialsError, ParameterValidationError
from dynamodb2.fields import HashKey
from dynamodb2.table import Table
from tests.support.fakes import ScriptedTransport, json_response

OK = json_response({"TableNames": []})


def credential_of(transport: ScriptedTransport) -> str:
    """The key id, region and service the last request was signed for."""
    authorization = transport.last.headers["Authorization"]
    scope = authorization.split("Credential=", 1)[1].split(",", 1)[0]
    key_id, _date, region, service, _terminator = scope.split("/")
    return f"{key_id}/{region}/{service}"


def test_a_boto3_session_gives_its_credentials_and_region() -> None:
    session = boto3.Session(
        aws_access_key_id="AKIDBOTO3SESSION",
        aws_secret_access_key="boto3-session-secret-key-0001",
        region_name="eu-west-1",
    )
    transport = ScriptedTransport(OK)

    connection = Connection(session=session, transport=transport)
    connection.list_tables({})

    assert connection.region_name == "eu-west-1"
    assert connection.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    assert credential_of(transport) == "AKIDBOTO3SESSION/eu-west-1/dynamodb"


def test_keywords_beat_the_boto3_sessions_region() -> None:
    session = boto3.Session(region_name="eu-west-1")

    connection = Connection(session=session, region_name="ap-south-1")

    assert connection.region_name == "ap-south-1"


def test_a_boto3_session_for_a_profile_gives_the_profiles_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[profile dev]\n"
        "region = ap-northeast-1\n"
        "endpoint_url = http://localhost:7003\n"
        "aws_access_key_id = AKIDDEVPROFILE\n"
        "aws_secret_access_key = dev-profile-secret-key-0001\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_DEFAULT_REGION")  # which would beat the profile's, as in boto3
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    transport = ScriptedTransport(OK)

    connection = Connection(session=boto3.Session(profile_name="dev"), transport=transport)
    connection.list_tables({})

    assert (connection.region_name, connection.endpoint_url) == (
        "ap-northeast-1",
        "http://localhost:7003",
    )
    assert credential_of(transport) == "AKIDDEVPROFILE/ap-northeast-1/dynamodb"


class _Rotating(CredentialProvider):
    """Credentials that expire within botocore's mandatory refresh window: every use
    refreshes them, with the next key id."""

    METHOD = "rotating-test-credentials"

    def __init__(self) -> None:
        super().__init__()
        self.numbers = itertools.count(1)

    def _metadata(self) -> dict[str, Any]:
        number = next(self.numbers)
        expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
        return {
            "access_key": f"AKIDROTATING{number:04d}",
            "secret_key": f"rotating-secret-key-{number:04d}-xxxxxxxx",
            "token": f"rotating-session-token-{number:04d}-xxxxxxxxxxxx",
            "expiry_time": expiry.isoformat(),
        }

    def load(self) -> RefreshableCredentials:
        return RefreshableCredentials.create_from_metadata(
            self._metadata(), refresh_using=self._metadata, method=self.METHOD
        )


def test_refreshable_credentials_of_a_boto3_session_are_refreshed() -> None:
    botocore_session = botocore.session.Session()
    botocore_session.register_component("credential_provider", CredentialResolver([_Rotating()]))
    session = boto3.Session(botocore_session=botocore_session, region_name="us-west-2")
    transport = ScriptedTransport(OK)
    connection = Connection(session=session, transport=transport)

    key_ids = []
    for _ in range(3):
        connection.list_tables({})
        key_ids.append(credential_of(transport).split("/")[0])
        assert transport.last.headers["X-Amz-Security-Token"].startswith(
            f"rotating-session-token-{key_ids[-1][-4:]}"
        )

    assert len(set(key_ids)) == 3
    assert all(key_id.startswith("AKIDROTATING") for key_id in key_ids)


def test_a_boto3_session_without_credentials_fails_on_the_first_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    connection = Connection(session=boto3.Session(), transport=ScriptedTransport(OK))

    with pytest.raises(NoCredentialsError):
        connection.list_tables({})


def test_a_handler_registered_on_the_boto3_sessions_events_answers_its_requests() -> None:
    # As for the session's clients: botocore's before-send event (moto's mock_aws and
    # botocore stubs answer there) reaches handlers registered on boto3_session.events.
    session = boto3.Session(region_name="us-east-1")
    body = b'{"TableNames":["answered"]}'

    def answer(request: AWSPreparedRequest, **_kwargs: Any) -> Any:
        headers = {"x-amz-crc32": str(zlib.crc32(body)), "content-length": str(len(body))}
        return AWSResponse(request.url, 200, headers, _Raw(body))  # type: ignore[arg-type]

    session.events.register("before-send.dynamodb.ListTables", answer)

    assert Connection(session=session).list_tables({}) == {"TableNames": ["answered"]}


class _Raw:
    reason = "OK"

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_kwargs: Any) -> Any:
        yield self.body


def test_what_is_not_a_session_is_still_refused() -> None:
    with pytest.raises(ParameterValidationError, match=r"boto3\.Session"):
        Connection(session=object())  # type: ignore[arg-type]


def test_a_table_on_a_boto3_session_is_the_table_its_clients_see() -> None:
    with mock_aws():
        session = boto3.Session(
            aws_access_key_id="AKIDMOTO",
            aws_secret_access_key="moto-secret-key-00000001",
            region_name="eu-central-1",
        )
        connection = Connection(session=session)
        users = Table.create(
            "boto3_users",
            schema=[HashKey("username")],
            billing_mode="PAY_PER_REQUEST",
            connection=connection,
        )
        users.put_item({"username": "ada"})

        client = session.client("dynamodb")
        assert client.list_tables()["TableNames"] == ["boto3_users"]
        assert client.get_item(TableName="boto3_users", Key={"username": {"S": "ada"}})["Item"]
        # Another region of the same account sees nothing.
        assert (
            boto3.Session(region_name="us-east-1").client("dynamodb").list_tables()["TableNames"]
            == []
        )


@pytest.mark.anyio
async def test_an_async_connection_takes_a_boto3_session() -> None:
    with mock_aws():
        session = boto3.Session(region_name="eu-central-1")
        async with AsyncConnection(session=session) as connection:
            assert connection.region_name == "eu-central-1"
            users = await AsyncTable.create(
                "boto3_async_users",
                schema=[HashKey("username")],
                billing_mode="PAY_PER_REQUEST",
                connection=connection,
            )
            await users.put_item({"username": "ada"})
            assert (await users.get_item(username="ada"))["username"] == "ada"
        assert session.client("dynamodb").list_tables()["TableNames"] == ["boto3_async_users"]
