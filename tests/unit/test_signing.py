"""RequestSigner signs exactly as botocore's SigV4Auth does, for every request we send.

Each request is signed first by botocore (``SigV4Auth.add_auth``, its public entry point),
then by ours with the timestamp botocore chose: the ``Authorization`` headers must be
equal, byte for byte.
"""

from __future__ import annotations

import string

import hypothesis.strategies as st
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given, settings

from dynamodb2._signing import CONTENT_TYPE, RequestSigner

_KEY_TEXT = string.ascii_letters + string.digits + "+/="


def botocore_signed(
    url: str, region: str, credentials: Credentials, target: str, body: bytes
) -> AWSRequest:
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": target, "User-Agent": "ua"},
    )
    SigV4Auth(credentials, "dynamodb", region).add_auth(request)
    return request


urls = st.sampled_from(
    [
        "https://dynamodb.us-east-1.amazonaws.com/",
        "https://dynamodb.eu-central-1.amazonaws.com:443/",
        "http://localhost:8000/",
        "http://127.0.0.1:4566/",
        "http://LocalHost:8000/",
        "https://dynamodb-fips.us-gov-west-1.amazonaws.com/",
        "http://[::1]:8000/",
        "https://vpce-1a2b.dynamodb.us-east-1.vpce.amazonaws.com/some/base/path",
        "https://proxy.example.com/dynamo db/",
        "http://localhost:8000/?b=2&a=1",
    ]
)
credentials = st.builds(
    Credentials,
    st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=24),
    st.text(_KEY_TEXT, min_size=1, max_size=48),
    st.none() | st.text(_KEY_TEXT + " ", min_size=1, max_size=80).filter(str.strip),
)


@settings(max_examples=200, deadline=None)
@given(
    url=urls,
    region=st.sampled_from(["us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1"]),
    keys=credentials,
    operation=st.sampled_from(["GetItem", "Query", "BatchWriteItem", "TransactWriteItems"]),
    body=st.binary(max_size=300) | st.text().map(str.encode),
)
def test_signature_matches_botocore_sigv4auth(
    url: str, region: str, keys: Credentials, operation: str, body: bytes
) -> None:
    target = f"DynamoDB_20120810.{operation}"
    reference = botocore_signed(url, region, keys, target, body)

    ours = RequestSigner(url, region).sign(
        target, body, keys, timestamp=reference.headers["X-Amz-Date"]
    )

    assert ours["Authorization"] == reference.headers["Authorization"]
    assert ours["X-Amz-Date"] == reference.headers["X-Amz-Date"]
    assert ours.get("X-Amz-Security-Token") == reference.headers.get("X-Amz-Security-Token")


def test_signing_key_is_derived_again_when_the_secret_key_changes() -> None:
    # Refreshable credentials (roles, SSO) rotate their keys under a long-lived connection.
    url = "https://dynamodb.us-east-1.amazonaws.com/"
    signer = RequestSigner(url, "us-east-1")
    stamp = "20240229T235959Z"
    old, new = Credentials("AKID", "old-secret"), Credentials("AKID", "new-secret")

    signer.sign("DynamoDB_20120810.GetItem", b"{}", old, timestamp=stamp)
    rotated = signer.sign("DynamoDB_20120810.GetItem", b"{}", new, timestamp=stamp)

    assert rotated == RequestSigner(url, "us-east-1").sign(
        "DynamoDB_20120810.GetItem", b"{}", new, timestamp=stamp
    )


def test_signing_key_is_derived_again_at_midnight_utc() -> None:
    url = "https://dynamodb.us-east-1.amazonaws.com/"
    signer = RequestSigner(url, "us-east-1")
    keys = Credentials("AKID", "secret")
    before, after = "20240229T235959Z", "20240301T000000Z"

    signer.sign("DynamoDB_20120810.GetItem", b"{}", keys, timestamp=before)
    next_day = signer.sign("DynamoDB_20120810.GetItem", b"{}", keys, timestamp=after)

    assert "/20240301/" in next_day["Authorization"]
    assert next_day == RequestSigner(url, "us-east-1").sign(
        "DynamoDB_20120810.GetItem", b"{}", keys, timestamp=after
    )
