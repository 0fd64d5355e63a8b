"""Secrets quoted back in any form never leak: escaped, encoded, echoed, in any error body.

A server refusing a signature quotes the canonical request (the session token among its
headers); a proxy may echo the ``Authorization`` header. Either may quote what it echoes
JSON-escaped, URL-encoded, as HTML references, form-decoded, base64-encoded inside a
header line, or several of these at once. Whatever the quoting, the secret key, the
session token and the request's signature must not be recoverable from the raised
exception (its str, repr, args, body, pickled bytes, chained errors), from any log record
(bodies logged), or from the line the CLI prints.

The leak check does not reuse the library's redaction: it undoes every quoting with the
standard library's own decoders (json, urllib.parse, html, base64 at every alignment) and
looks for any 24-character run of the secret in what comes out.
"""

from __future__ import annotations

import base64
import html
import http.server
import json
import logging
import pickle
import re
import threading
import urllib.parse
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any, Final

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dynamodb2._redaction import Redactor
from dynamodb2.cli._app import cli, describe_error
from dynamodb2.connection import Connection
from dynamodb2.exceptions import DynamoDBResponseError, InvalidSignatureException
from dynamodb2.retry import RetryPolicy
from dynamodb2.transport import HttpRequest, HttpResponse
from tests.support.backends import REGION, shared_botocore_session
from tests.unit.test_secrets import reachable_text

ACCESS_KEY: Final = "AKIDQUOTEDTEST0001"
#: Real STS tokens and secret keys are base64 text: letters, digits, "+", "/" and "=".
STS_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
#: How STS session tokens begin (the base64 of their binary header), and none.
TOKEN_PREFIXES: Final = ("FwoGZXIvYXdzE", "IQoJb3JpZ2luX2VjE", "AQoDYXdzE", "")
#: A leak is any run of this many characters of a secret, recovered by any decoding.
LEAK_WINDOW: Final = 24
NO_RETRY: Final = RetryPolicy(max_attempts=1)
TWO_ATTEMPTS: Final = RetryPolicy(max_attempts=2, base_delay=0.0, max_delay=0.0)


# --------------------------------------------------------------------------- the oracle

_JSON_ESCAPE = re.compile(r"\\+(?:u([0-9a-fA-F]{4})|(/))")


def _json_unescaped(text: str) -> str:
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "/", text)


def _base64_views(text: str) -> list[str]:
    """Every run of base64 text, decoded at each alignment and in both alphabets."""
    views = []
    for run in re.findall(r"[A-Za-z0-9+/=_-]{12,}", text.replace("\n", "").replace("\r", "")):
        for start in range(4):
            chunk = run[start:].rstrip("=")
            chunk = chunk[: len(chunk) - len(chunk) % 4]
            for alphabet in (b"+/", b"-_"):
                try:
                    decoded = base64.b64decode(chunk.encode(), altchars=alphabet, validate=False)
                except ValueError:
                    continue
                views.append(decoded.decode("latin-1"))
    return views


def decoded_views(text: str) -> list[str]:
    """``text`` with each level of quoting undone in turn (JSON, then URL, then HTML
    escapes, up to four levels deep), each also form-decoded back and base64-decoded."""
    views = [text]
    for _level in range(4):
        unquoted = html.unescape(urllib.parse.unquote(_json_unescaped(views[-1])))
        unquoted = unquoted.replace("\r", "").replace("\n", "")
        if unquoted == views[-1]:
            break
        views.append(unquoted)
    views += [view.replace(" ", "+") for view in views]
    views += [decoded for view in views for decoded in _base64_views(view)]
    return views


def leaked(secret: str, text: str) -> bool:
    windows = [
        secret[start : start + LEAK_WINDOW]
        for start in range(0, max(1, len(secret) - LEAK_WINDOW + 1), LEAK_WINDOW // 3)
    ]
    return any(window in view for view in decoded_views(text) for window in windows)


def test_the_oracle_finds_a_secret_in_every_quoting_style() -> None:
    # The leak check must be able to fail: unscrubbed, each style is found.
    secret = "IQoJb3JpZ2luX2VjE/abc+def/ghi+jkl/mno+pqr/stu=="
    for name in STYLES:
        for kind in ("token", "header"):
            assert leaked(secret, quote(secret, kind, [name], prefix=2)), name


# --------------------------------------------------------------------------- quoting styles


def _json_u(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if i % 2 else f"\\u{ord(c):04X}" for i, c in enumerate(text))


def _base64_lines(text: str) -> str:
    return base64.encodebytes(text.encode()).decode("ascii")


#: How a server or proxy may quote what it echoes (each takes the text it echoes).
STYLES: Final[dict[str, Callable[[str], str]]] = {
    "raw": lambda text: text,
    "json-solidus": lambda text: text.replace("/", "\\/"),
    "json-unicode": _json_u,
    "json-unicode-some": lambda text: "".join(
        f"\\u{ord(c):04x}" if c in "+/=" or i % 5 == 0 else c for i, c in enumerate(text)
    ),
    "url": lambda text: urllib.parse.quote(text, safe=""),
    "url-lower": lambda text: re.sub(
        r"%[0-9A-F]{2}", lambda match: match.group().lower(), urllib.parse.quote(text, safe="")
    ),
    "url-twice": lambda text: urllib.parse.quote(urllib.parse.quote(text, safe=""), safe=""),
    "url-plus": urllib.parse.quote_plus,
    "url-path": urllib.parse.quote,  # "/" kept
    "form-decoded": lambda text: text.replace("+", " "),
    "html-decimal": lambda text: "".join(f"&#{ord(c)};" if not c.isalnum() else c for c in text),
    "html-hex": lambda text: "".join(f"&#x{ord(c):x};" for c in text),
    "html-escape": html.escape,
    "base64": lambda text: base64.b64encode(text.encode()).decode("ascii"),
    "base64-urlsafe": lambda text: base64.urlsafe_b64encode(text.encode()).decode("ascii"),
    "base64-unpadded": lambda text: base64.b64encode(text.encode()).decode("ascii").rstrip("="),
    "base64-lines": _base64_lines,
    "wrapped": lambda text: "\n".join(text[i : i + 64] for i in range(0, len(text), 64)),
}


def quote(secret: str, kind: str, styles: list[str], *, prefix: int) -> str:
    """``secret`` as a server would echo it: alone (``kind="token"``) or inside its header
    line (``"header"``), with ``prefix`` characters before it, through ``styles``."""
    text = secret
    if kind == "header":
        text = "X-Amz-Security-Token: " + secret
    text = "p" * prefix + text
    for name in styles:
        text = STYLES[name](text)
    return text


# --------------------------------------------------------------------------- error bodies


def _crc(body: bytes) -> dict[str, str]:
    return {"x-amz-crc32": str(zlib.crc32(body) & 0xFFFFFFFF)}


def error_response(placement: str, quoted: str, status: int) -> HttpResponse:
    """An error response carrying ``quoted`` where ``placement`` says."""
    kind = "x#InvalidSignatureException"
    headers: dict[str, str] = {}
    if placement == "json-message":
        body = json.dumps({"__type": kind, "message": f"x-amz-security-token:{quoted}"})
    elif placement == "json-message-solidus":  # a server escaping "/" as "\/"
        body = json.dumps({"__type": kind, "message": f"token {quoted}"}).replace("/", "\\/")
    elif placement == "json-message-ascii":  # every character escaped
        body = f'{{"__type":"{kind}","Message":"{_json_u(f"echo: {quoted}")}"}}'
    elif placement == "json-nested":
        body = json.dumps(
            {"__type": kind, "message": "denied", "echo": {quoted: [quoted, {"h": quoted}]}}
        )
    elif placement == "text":
        body = f"<html><body>Bad request: {quoted}</body></html>"
    elif placement == "header-type":
        headers["x-amzn-errortype"] = "InvalidSignatureException:http://internal"
        body = f"signature refused for {quoted}"
    else:  # pragma: no cover - the strategies draw only the placements above
        raise AssertionError(placement)
    raw = body.encode()
    return HttpResponse(status, {**headers, **_crc(raw)}, raw, reason=f"Refused {quoted[:40]}")


PLACEMENTS: Final = (
    "json-message",
    "json-message-solidus",
    "json-message-ascii",
    "json-nested",
    "text",
    "header-type",
)


@st.composite
def session_tokens(draw: st.DrawFn) -> str:
    """STS-like session tokens: a known prefix, base64 text of realistic length, padding."""
    prefix = draw(st.sampled_from(TOKEN_PREFIXES))
    body = draw(st.text(alphabet=STS_ALPHABET, min_size=24, max_size=1200))
    return prefix + body + "=" * draw(st.integers(0, 2))


secret_keys = st.text(alphabet=STS_ALPHABET, min_size=40, max_size=40)


def connection_with(
    secret_key: str, token: str, answer: Callable[[HttpRequest], HttpResponse], **options: Any
) -> Connection:
    return Connection(
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=secret_key,
        aws_session_token=token,
        session=shared_botocore_session(),
        transport=answer,
        log_bodies=True,
        sleep=lambda _seconds: None,
        **options,
    )


class LogCapture(logging.Handler):
    """Every record of every logger, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def all_logs() -> Iterator[LogCapture]:
    capture = LogCapture()
    root = logging.getLogger()
    level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(level)


def everything_shown(error: BaseException, logs: list[str]) -> dict[str, str]:
    """What a user, a log or another process may see of a failed call."""
    assert isinstance(error, DynamoDBResponseError)
    return {
        "str": str(error),
        "repr": repr(error),
        "args": repr(error.args),
        "body": repr(error.body),
        "message": error.message,
        "reachable": reachable_text(error),
        "pickle": pickle.dumps(error).decode("latin-1"),
        "unpickled": repr(vars(pickle.loads(pickle.dumps(error)))),
        "cli": describe_error(error),
        "logs": "\n".join(logs),
    }


#: The combinations the property below tried: (secret, framing, placement, styles, status).
#: tests/conftest.py prints their count at the end of the run.
TRIED: Counter[tuple[str, str, str, tuple[str, ...], int]] = Counter()


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    token=session_tokens(),
    secret_key=secret_keys,
    which=st.sampled_from(["token", "secret key", "signature", "authorization"]),
    kind=st.sampled_from(["token", "header"]),
    styles=st.lists(st.sampled_from(sorted(STYLES)), min_size=1, max_size=2),
    placement=st.sampled_from(PLACEMENTS),
    status=st.sampled_from([400, 403, 500]),
    prefix=st.integers(0, 5),
)
def test_no_secret_quoted_in_any_style_is_recoverable_from_errors_logs_or_the_cli(
    all_logs: LogCapture,
    token: str,
    secret_key: str,
    which: str,
    kind: str,
    styles: list[str],
    placement: str,
    status: int,
    prefix: int,
) -> None:
    all_logs.lines.clear()
    signatures: list[str] = []

    def answer(request: HttpRequest) -> HttpResponse:
        authorization = request.headers["Authorization"]
        signatures.append(authorization.rsplit("Signature=", 1)[1])
        echoed = {
            "token": token,
            "secret key": secret_key,
            "signature": signatures[-1],
            "authorization": authorization,
        }[which]
        return error_response(placement, quote(echoed, kind, styles, prefix=prefix), status)

    connection = connection_with(secret_key, token, answer, retry=TWO_ATTEMPTS)
    with pytest.raises(DynamoDBResponseError) as raised:
        connection.list_tables({})

    TRIED[(which, kind, placement, tuple(styles), status)] += 1
    shown = everything_shown(raised.value, all_logs.lines)
    assert "<redacted>" in shown["str"] + shown["body"] + shown["logs"]
    for where, text in shown.items():
        for name, secret in (("token", token), ("secret key", secret_key)):
            assert not leaked(secret, text), f"{name} leaked into {where}"
        for signature in signatures:
            assert not leaked(signature, text), f"signature leaked into {where}"
            assert not re.search(r"Signature=(?!<redacted>)", text), where


# --------------------------------------------------------------------------- the case


def test_a_token_quoted_json_escaped_does_not_leak(all_logs: LogCapture) -> None:
    # Issue 14's reproduction: the token's "/" quoted as "\/" got past the raw replace.
    token = "IQoJb3JpZ2luX2VjEHsaCXVzLWVhc3QtMSJHMEUCIQD/xyz+abc/def=="
    escaped = token.replace("/", "\\/")
    body = (
        '{"__type": "x#InvalidSignatureException", "message": "x-amz-security-token:'
        + escaped
        + '"}'
    ).encode()
    connection = connection_with(
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        token,
        lambda _request: HttpResponse(400, _crc(body), body),
        retry=NO_RETRY,
    )

    with pytest.raises(InvalidSignatureException) as raised:
        connection.list_tables({})

    shown = everything_shown(raised.value, all_logs.lines)
    assert str(raised.value).endswith("x-amz-security-token:<redacted>")
    assert "x-amz-security-token:<redacted>" in shown["logs"]
    for where, text in shown.items():
        assert "xyz+abc" not in text, where
        assert not leaked(token, text), where


def test_an_echoed_authorization_header_shows_no_signature(all_logs: LogCapture) -> None:
    def echo(request: HttpRequest) -> HttpResponse:
        body = json.dumps(
            {
                "__type": "x#IncompleteSignatureException",
                "message": request.headers["Authorization"],
            }
        ).encode()
        return HttpResponse(400, _crc(body), body)

    connection = connection_with("wJalrXUtnFEMI/K7MDENG", "token-token-token", echo)

    with pytest.raises(DynamoDBResponseError) as raised:
        connection.list_tables({})

    assert "Signature=<redacted>" in str(raised.value)
    assert "Credential=AKIDQUOTEDTEST0001/" in str(raised.value)  # the key id is not secret
    for text in everything_shown(raised.value, all_logs.lines).values():
        assert not re.search(r"Signature=(?!<redacted>)", text)


def test_an_authorization_header_wrapped_inside_json_shows_no_part_of_the_signature(
    all_logs: LogCapture,
) -> None:
    # Found by the property above: the header wrapped at 64 columns, quoted in a JSON
    # string, splits the signature with a "\n" escape; the part before it was left.
    def echo(request: HttpRequest) -> HttpResponse:
        header = "pppp" + request.headers["Authorization"]
        wrapped = "\n".join(header[i : i + 64] for i in range(0, len(header), 64))
        body = json.dumps({"__type": "x#InvalidSignatureException", "message": wrapped})
        return HttpResponse(400, _crc(body.encode()), body.encode())

    connection = connection_with("0" * 40, "FwoGZXIvYXdzE" + "0" * 24, echo, retry=NO_RETRY)

    with pytest.raises(DynamoDBResponseError) as raised:
        connection.list_tables({})

    for where, text in everything_shown(raised.value, all_logs.lines).items():
        assert not re.search(r"Signature=(?!<redacted>)", text), where


# --------------------------------------------------------------------------- the CLI


class _EchoToken(http.server.BaseHTTPRequestHandler):
    """Refuses every request, quoting its session token with "/" escaped as "\\/" and
    URL-encoded, and its Authorization header URL-encoded."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        token = self.headers.get("X-Amz-Security-Token", "")
        quoted = (
            token.replace("/", "\\/"),
            urllib.parse.quote(token, safe=""),
            urllib.parse.quote(self.headers["Authorization"]),
        )
        message = "x-amz-security-token:{} ({}), {}".format(*quoted)
        body = ('{"__type":"x#InvalidSignatureException","message":"' + message + '"}').encode()
        self.send_response(400)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def test_the_cli_error_line_shows_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "FwoGZXIvYXdzEBcaDH/abc+def/ghi+jkl/mno+pqr/stu+vwx/yz=="
    monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoToken)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = CliRunner().invoke(cli, ["--endpoint-url", url, "tables"])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

    assert result.exit_code == 1
    assert "x-amz-security-token:<redacted>" in result.output
    assert not leaked(token, result.output)
    assert not re.search(r"Signature(=|%3D)(?!<redacted>)", result.output)


# --------------------------------------------------------------------------- the redactor


def test_redaction_leaves_text_without_secrets_alone() -> None:
    redactor = Redactor(["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, ""])
    text = 'Item {"a": "b\\/c", "n": "%2F &#47; QUJD"} \u00e9 \\ud800'

    assert redactor.text(text) == text
    assert redactor.bytes(text.encode() + b"\xff") == text.encode() + b"\xff"


def test_a_secret_too_short_to_be_a_credential_is_left_alone() -> None:
    # "abc" is no real credential, and scrubbing it would mangle ordinary text; a secret
    # of 16 characters is replaced in its quoted forms as well.
    redactor = Redactor(["abc", "abcdefghij/klmno"])

    assert redactor.text("abc YWJj %61bc") == "abc YWJj %61bc"
    assert redactor.text("abcdefghij%2Fklmno") == "<redacted>"
