"""Signature Version 4 for DynamoDB's requests, with what never changes prepared once.

>>> from botocore.credentials import Credentials
>>> signer = RequestSigner("https://dynamodb.eu-west-1.amazonaws.com/", "eu-west-1")
>>> keys = Credentials("AKIDEXAMPLE", "secret")
>>> headers = signer.sign("DynamoDB_20120810.ListTables", b"{}", keys, timestamp="20150830T123600Z")
>>> headers["Authorization"].split(", ")[0]
'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/dynamodb/aws4_request'

Every DynamoDB call is the same HTTP request but for its target header and body: a POST
of JSON to one URL. botocore's :class:`~botocore.auth.SigV4Auth` signs any request, and
spends most of its time (about 150 µs a call, more than the rest of a ``GetItem``) in
general machinery: email-style header maps, URL parsing, deriving the signing key anew.
This signer follows the same algorithm for this one shape of request:

- the URL-dependent lines of the canonical request (host, path, query) are computed once,
  by botocore's own ``SigV4Auth`` methods;
- the derived signing key is kept until the date or the secret key changes;
- the signed headers are the ones botocore signs for this request (``content-type``,
  ``host``, ``x-amz-date``, ``x-amz-security-token`` when there is a token,
  ``x-amz-target``), so the ``Authorization`` header is the one botocore would write,
  byte for byte (``tests/unit/test_signing.py`` checks this against ``SigV4Auth``).
"""

from __future__ import annotations

import hmac
import time
from hashlib import sha256
from typing import Any, Final, NamedTuple, Protocol

__all__ = ["CONTENT_TYPE", "RequestSigner", "SigningCredentials"]

#: The content type of every DynamoDB request body.
CONTENT_TYPE: Final = "application/x-amz-json-1.0"

_ALGORITHM: Final = "AWS4-HMAC-SHA256"
_TIMESTAMP_FORMAT: Final = "%Y%m%dT%H%M%SZ"
_SIGNED_HEADERS: Final = "content-type;host;x-amz-date;x-amz-target"
_SIGNED_HEADERS_WITH_TOKEN: Final = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"


class SigningCredentials(Protocol):
    """What signing needs of credentials (botocore's frozen credentials have it)."""

    @property
    def access_key(self) -> str: ...

    @property
    def secret_key(self) -> str: ...

    @property
    def token(self) -> str | None: ...


class _SigningKey(NamedTuple):
    secret_key: str
    date: str
    key: bytes
    #: HMAC-SHA256 with ``key``, its two padded-key hashes computed once (RFC 2104):
    #: a signature then costs two hash copies instead of an HMAC set-up.
    inner: Any
    outer: Any

    def hexdigest(self, message: bytes) -> str:
        inner = self.inner.copy()
        inner.update(message)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return str(outer.hexdigest())


def _padded(key: bytes) -> tuple[Any, Any]:
    """The inner and outer hashes of HMAC-SHA256 with ``key``, fed with the padded key."""
    block = key.ljust(64, b"\0")  # a derived SigV4 key is 32 bytes: never hashed down
    inner = sha256(bytes(b ^ 0x36 for b in block))
    outer = sha256(bytes(b ^ 0x5C for b in block))
    return inner, outer


# Targets are a few dozen operation names: each is trimmed once.
_TRIMMED_TARGETS: dict[str, str] = {}


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), sha256).digest()


def _trim(value: str) -> str:
    """SigV4's Trimall: no surrounding whitespace, inner runs of it made one space."""
    return " ".join(value.split())


class RequestSigner:
    """Signs DynamoDB requests to one URL, in one region. Safe to share between threads.

    Args:
        url: the full request URL (``https://dynamodb.us-east-1.amazonaws.com/``).
        region_name: the region in the credential scope.
        service_name: the service in the credential scope.
    """

    def __init__(self, url: str, region_name: str, service_name: str = "dynamodb") -> None:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        self.region_name = region_name
        self.service_name = service_name
        # botocore's own SigV4Auth gives the URL-dependent parts of the canonical
        # request: its first three lines (method, path, query) and the host header.
        reference = SigV4Auth(Credentials("unused", "unused"), service_name, region_name)
        template = AWSRequest(method="POST", url=url, data=b"")
        method, path, query = reference.canonical_request(template).split("\n", 3)[:3]
        self._request_line = f"{method}\n{path}\n{query}\n"
        self._host_line = f"host:{_trim(reference.headers_to_sign(template)['host'])}\n"
        self._scope_suffix = f"/{region_name}/{service_name}/aws4_request"
        self._signing_key: _SigningKey | None = None
        # The X-Amz-Date of the current second (one tuple, replaced whole: threads see
        # an old or a new one, never half of one).
        self._timestamp: tuple[int, str] = (-1, "")

    def sign(
        self,
        target: str,
        body: bytes,
        credentials: SigningCredentials,
        *,
        timestamp: str | None = None,
    ) -> dict[str, str]:
        """The headers of a signed request: content type, target, date, token, signature.

        ``timestamp`` (``20150830T123600Z``) defaults to now, in UTC.
        """
        if timestamp is None:
            now = int(time.time())
            cached = self._timestamp
            if cached[0] == now:
                timestamp = cached[1]
            else:
                timestamp = time.strftime(_TIMESTAMP_FORMAT, time.gmtime(now))
                self._timestamp = (now, timestamp)
        date = timestamp[:8]
        token = credentials.token
        if token:
            signed_headers = _SIGNED_HEADERS_WITH_TOKEN
            token_line = f"x-amz-security-token:{_trim(token)}\n"
        else:
            signed_headers = _SIGNED_HEADERS
            token_line = ""
        trimmed = _TRIMMED_TARGETS.get(target)
        if trimmed is None:
            trimmed = _TRIMMED_TARGETS.setdefault(target, _trim(target))
        canonical_request = (
            f"{self._request_line}content-type:{CONTENT_TYPE}\n{self._host_line}"
            f"x-amz-date:{timestamp}\n{token_line}x-amz-target:{trimmed}\n\n"
            f"{signed_headers}\n{sha256(body).hexdigest()}"
        )
        scope = date + self._scope_suffix
        string_to_sign = (
            f"{_ALGORITHM}\n{timestamp}\n{scope}\n"
            f"{sha256(canonical_request.encode('utf-8')).hexdigest()}"
        )
        signature = self._key_for(credentials.secret_key, date).hexdigest(
            string_to_sign.encode("utf-8")
        )
        headers = {"Content-Type": CONTENT_TYPE, "X-Amz-Target": target, "X-Amz-Date": timestamp}
        if token:
            headers["X-Amz-Security-Token"] = token
        headers["Authorization"] = (
            f"{_ALGORITHM} Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed_headers}, Signature={signature}"
        )
        return headers

    def _key_for(self, secret_key: str, date: str) -> _SigningKey:
        """The derived signing key, kept until the date or the secret changes."""
        cached = self._signing_key
        if cached is not None and cached.date == date and cached.secret_key == secret_key:
            return cached
        key = _hmac(f"AWS4{secret_key}".encode(), date)
        key = _hmac(key, self.region_name)
        key = _hmac(key, self.service_name)
        key = _hmac(key, "aws4_request")
        # One tuple, replaced whole: threads see an old or a new key, never half of one.
        signing_key = _SigningKey(secret_key, date, key, *_padded(key))
        self._signing_key = signing_key
        return signing_key
