"""A credential argument of the wrong type is refused by its type alone, never its value.

A secret key read from a file opened ``"rb"`` is ``bytes``; a token may arrive in a list
or a dict by mistake; a proxy URL carries its password. The refusal (a
``ParameterValidationError``) must still say which argument and what type it got, but
nothing of the value: the message lands in tracebacks, logs and error reports. Checked
for every connection class (sync, asyncio, and boto 2's layer1 of each) and every
argument that is or may hold a credential.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pytest

from dynamodb2._arguments import SECRET_ARGUMENTS
from dynamodb2.aio import AsyncConnection, AsyncDynamoDBConnection
from dynamodb2.connection import Connection
from dynamodb2.exceptions import ParameterValidationError
from dynamodb2.layer1 import DynamoDBConnection
from tests.support.backends import REGION, shared_botocore_session
from tests.unit.test_secrets import reachable_text

SECRET: Final = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
PASSWORD: Final = "pr0xy-passw0rd-never-printed"


def _modern(cls: type[Any]) -> Callable[..., object]:
    def make(**arguments: Any) -> object:
        return cls(region_name=REGION, session=shared_botocore_session(), **arguments)

    return make


def _layer1(cls: type[Any]) -> Callable[..., object]:
    def make(**arguments: Any) -> object:
        return cls(region="us-east-1", **arguments)

    return make


CONNECTIONS: Final = {
    "Connection": _modern(Connection),
    "AsyncConnection": _modern(AsyncConnection),
    "DynamoDBConnection": _layer1(DynamoDBConnection),
    "AsyncDynamoDBConnection": _layer1(AsyncDynamoDBConnection),
}

#: Wrong types a secret may come in, each holding the whole secret.
WRAPPINGS: Final[dict[str, Callable[[str], object]]] = {
    "bytes": lambda secret: secret.encode(),
    "bytearray": lambda secret: bytearray(secret.encode()),
    "list": lambda secret: [secret],
    "tuple": lambda secret: (secret,),
    "dict": lambda secret: {"key": secret},
}

#: Each credential argument, the classes that take it, and what it needs beside it.
ARGUMENTS: Final[dict[str, tuple[tuple[str, ...], dict[str, Any]]]] = {
    "aws_secret_access_key": (tuple(CONNECTIONS), {"aws_access_key_id": "AKIDEXAMPLE"}),
    "aws_access_key_id": (tuple(CONNECTIONS), {"aws_secret_access_key": "s"}),
    "aws_session_token": (
        ("Connection", "AsyncConnection"),
        {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "s"},
    ),
    "security_token": (
        ("DynamoDBConnection", "AsyncDynamoDBConnection"),
        {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "s"},
    ),
    "proxy_pass": (
        ("DynamoDBConnection", "AsyncDynamoDBConnection"),
        {"proxy": "proxy.example", "proxy_user": "ann"},
    ),
}

CASES: Final = [
    pytest.param(cls, argument, wrapping, id=f"{cls}-{argument}-{wrapping}")
    for argument, (classes, _) in ARGUMENTS.items()
    for cls in classes
    for wrapping in WRAPPINGS
]


@pytest.mark.parametrize(("cls", "argument", "wrapping"), CASES)
def test_a_credential_of_the_wrong_type_is_refused_by_its_type_alone(
    cls: str, argument: str, wrapping: str
) -> None:
    value = WRAPPINGS[wrapping](SECRET)
    with pytest.raises(ParameterValidationError) as raised:
        CONNECTIONS[cls](**ARGUMENTS[argument][1], **{argument: value})

    message = str(raised.value)
    assert message.startswith(f"{argument} takes a string or None, not {type(value).__name__}")
    assert "value not shown" in message
    text = reachable_text(raised.value)
    for start in range(len(SECRET) - 8):
        assert SECRET[start : start + 8] not in text


PROXY_URL: Final = f"http://ann:{PASSWORD}@proxy.example:3128"


@pytest.mark.parametrize("cls", ["Connection", "AsyncConnection"])
@pytest.mark.parametrize(
    "proxies",
    [
        pytest.param({"https": PROXY_URL.encode()}, id="bytes-url"),
        pytest.param({1: PROXY_URL}, id="key-not-a-string"),
        pytest.param([PROXY_URL], id="a-list"),
        pytest.param(PROXY_URL, id="a-string"),
    ],
)
def test_proxies_of_the_wrong_shape_are_refused_without_their_passwords(
    cls: str, proxies: object
) -> None:
    with pytest.raises(ParameterValidationError, match="proxies") as raised:
        CONNECTIONS[cls](proxies=proxies)

    assert PASSWORD not in reachable_text(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        f"http://ann:{PASSWORD}@dynamodb.example:port",
        f"ftp://ann:{PASSWORD}@dynamodb.example",
        f"http://ann:{PASSWORD}@dynamodb.example:8000".encode(),
    ],
)
def test_a_malformed_endpoint_url_is_quoted_without_its_password(url: object) -> None:
    with pytest.raises(ParameterValidationError, match="endpoint") as raised:
        CONNECTIONS["Connection"](endpoint_url=url)

    assert PASSWORD not in reachable_text(raised.value)
    if isinstance(url, str):
        assert "ann:***@dynamodb.example" in str(raised.value)


def test_every_credential_argument_of_the_connections_is_listed_as_secret() -> None:
    assert set(ARGUMENTS) <= SECRET_ARGUMENTS
    assert {"proxies", "proxy", "endpoint_url"} <= SECRET_ARGUMENTS


def test_other_arguments_still_show_what_they_got() -> None:
    with pytest.raises(ParameterValidationError, match=r"region_name takes .* not bytes b'eu'"):
        Connection(region_name=b"eu", session=shared_botocore_session())  # type: ignore[arg-type]
