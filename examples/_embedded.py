"""Where the examples send their requests: a configured endpoint, real AWS, or moto in-process.

>>> with dynamodb_endpoint() as endpoint:  # doctest: +SKIP
...     conn = endpoint.layer1()
...     conn.list_tables()

The choice, made once when the block starts and printed so nobody is surprised:

1. ``AWS_ENDPOINT_URL_DYNAMODB`` (or ``AWS_ENDPOINT_URL``) is set: use that endpoint, e.g.
   a moto server, dynalite or DynamoDB Local. Dummy credentials are used if none are
   configured, since such servers accept any.
2. Else, AWS credentials are configured (environment, profile, SSO, credential process):
   use real AWS DynamoDB in the configured region.
3. Else: start moto's ``ThreadedMotoServer`` in this process on a free loopback port, use
   it with dummy credentials, and stop it when the block ends.

Instance and container roles are not probed when choosing: that would mean network
lookups just to run an example. Set an endpoint or credentials to leave moto out.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

import botocore.session

from dynamodb2.connection import DEFAULT_REGION, Connection
from dynamodb2.layer1 import DynamoDBConnection

__all__ = ["Endpoint", "configured_credentials", "configured_endpoint_url", "dynamodb_endpoint"]

#: Credentials for servers that accept any (moto, dynalite, DynamoDB Local).
DUMMY_CREDENTIALS: Final = ("dynamodb2-example", "dynamodb2-example-secret")
#: The region used with the embedded server.
EMBEDDED_REGION: Final = "us-east-1"
#: Credential providers that ask the network (instance metadata, container endpoint).
_NETWORK_PROVIDERS: Final = ("iam-role", "container-role")


@dataclass(frozen=True)
class Endpoint:
    """Where to connect, and with what: ready-made connections for the examples."""

    #: One line for people: what the examples talk to.
    description: str
    #: The endpoint URL, or ``None`` for AWS's regional endpoint.
    url: str | None
    #: The region, or ``None`` for the configured one (``us-east-1`` if none is).
    region_name: str | None
    #: Explicit (access key, secret key), or ``None`` for botocore's credential chain.
    credentials: tuple[str, str] | None
    #: True when this process runs the DynamoDB server (moto).
    embedded: bool

    def connect(self, **options: Any) -> Connection:
        """A JSON-level :class:`~dynamodb2.connection.Connection` to this endpoint."""
        access_key, secret_key = self.credentials or (None, None)
        return Connection(
            region_name=self.region_name,
            endpoint_url=self.url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            **options,
        )

    def layer1(self, **options: Any) -> DynamoDBConnection:
        """A boto 2-style :class:`~dynamodb2.layer1.DynamoDBConnection` to this endpoint."""
        return DynamoDBConnection(connection=self.connect(**options))


def configured_endpoint_url() -> str | None:
    """The DynamoDB endpoint set in the environment, as botocore would pick it."""
    return os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")


def configured_credentials() -> str | None:
    """Where configured AWS credentials come from (``"env"``, ``"sso"``...), or ``None``."""
    session = botocore.session.Session()
    resolver = session.get_component("credential_provider")
    for name in _NETWORK_PROVIDERS:
        resolver.remove(name)
    credentials = session.get_credentials()
    if credentials is None:
        return None
    method = getattr(credentials, "method", None)
    return method if isinstance(method, str) else "the credential chain"


@contextlib.contextmanager
def dynamodb_endpoint() -> Iterator[Endpoint]:
    """Choose where to send requests (see the module docstring), say so, and yield it."""
    url = configured_endpoint_url()
    credentials_from = configured_credentials()
    if url is not None:
        endpoint = Endpoint(
            description=f"the configured endpoint {url}"
            + ("" if credentials_from else " (with dummy credentials)"),
            url=url,
            region_name=None,
            credentials=None if credentials_from else DUMMY_CREDENTIALS,
            embedded=False,
        )
        print(f"Using {endpoint.description}")
        yield endpoint
        return
    if credentials_from is not None:
        region = botocore.session.Session().get_config_variable("region") or DEFAULT_REGION
        endpoint = Endpoint(
            description=f"AWS DynamoDB in {region} (credentials from {credentials_from})",
            url=None,
            region_name=region,
            credentials=None,
            embedded=False,
        )
        print(f"Using {endpoint.description}")
        yield endpoint
        return
    print(
        "No DynamoDB endpoint or AWS credentials configured: "
        "starting moto's DynamoDB server in this process"
    )
    # Imported only here: the other two paths work without moto installed.
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    # The server's HTTP layer (werkzeug) logs every request; the examples print their own.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = Endpoint(
            description=f"moto's DynamoDB server at http://{host}:{port} (embedded)",
            url=f"http://{host}:{port}",
            region_name=EMBEDDED_REGION,
            credentials=DUMMY_CREDENTIALS,
            embedded=True,
        )
        print(f"Using {endpoint.description}")
        yield endpoint
    finally:
        server.stop()
