"""Secrets out of text: every form in which a server or proxy may quote a credential.

A server that refuses a signature may quote the canonical request it computed (the
session token among its headers), a proxy may echo the ``Authorization`` header, and
either may quote what it echoes in whatever form it had it in: as is, JSON-escaped (once
or more: ``\\/``, ``\\u002f``, ``\\\\\\/``), URL-encoded (once or more: ``%2F``,
``%252F``), as HTML character references (``&#47;``, ``&#x2f;``, ``&sol;``), form-decoded
(``+`` read as a space), wrapped over lines, or base64-encoded inside a longer value (the
``X-Amz-Security-Token`` or ``Authorization`` header line, standard or URL-safe alphabet,
at any offset).

A :class:`Redactor` reads the text with one level of escapes undone at a time,
remembering where each character came from; at each level it looks for any run of
:data:`MIN_LEAK` or more characters of each secret or of the base64 fragments that
encode it (a space, ``-`` and ``_`` read as ``+``, ``+`` and ``/``, for form decoding
and URL-safe base64), so a quote cut short is caught as well; and it replaces the
original characters each match came from. Escapes mixed within one secret are found as
well as uniform ones, and a short error body costs a dictionary lookup per character,
not a pattern per secret. Error bodies are scrubbed before they are decoded (the bytes:
for the log and for bodies that are not JSON) and after (every string of the decoded
JSON, keys included).

Secrets shorter than :data:`MIN_SECRET_LENGTH` (16 characters) are not looked for: no
real credential is that short, and the throwaway ones local servers accept (``"x"``)
occur in ordinary text. Signatures are replaced whatever the secrets.

>>> redact = Redactor(["wJalr/XUtn+FEMI="])
>>> redact.text('token "wJalr\\\\/XUtn%2BFEMI%3D" refused')
'token "<redacted>" refused'
>>> redact.text("Authorization: ... Signature=" + "ab" * 32)
'Authorization: ... Signature=<redacted>'
"""

from __future__ import annotations

import base64
import bisect
import functools
import re
from collections.abc import Iterable
from typing import Any, Final

import attrs

__all__ = ["MIN_LEAK", "MIN_SECRET_LENGTH", "REDACTED", "Redactor", "signature_of"]

#: What a secret is replaced with.
REDACTED: Final = "<redacted>"

#: Secrets shorter than this are not looked for: no real credential is that short (AWS
#: secret keys have 40 characters, session tokens hundreds, signatures 64), while the
#: throwaway ones local servers accept ("x", "test", "fake") occur in ordinary text and
#: replacing them would mangle it ("ConditionalCheckFailedE<redacted>ception"). It is
#: also the shortest run of a longer secret that counts as a leak (:data:`MIN_LEAK`).
MIN_SECRET_LENGTH: Final = 16
#: The shortest base64 fragment of a secret looked for.
_MIN_ENCODED_LENGTH: Final = 8

#: A SigV4 signature wherever it appears after ``Signature=`` (the ``Authorization``
#: header) or ``X-Amz-Signature=`` (a presigned URL), known to this connection or not.
#: (Or a part of one, 8 hex digits or more: what is left of a signature a line break cut.)
_ANY_SIGNATURE: Final = re.compile(r"((?:X-Amz-)?Signature=)[0-9a-fA-F]{8,}")
_SIGNATURE_IN_HEADER: Final = re.compile(r"Signature=([0-9a-fA-F]+)")

#: One escaped character (or a line break, which reads as nothing, as it wraps a long
#: value): JSON escapes with any number of backslashes (JSON inside JSON), %XX with any
#: number of %25 levels, and HTML character references.
_ESCAPE: Final = re.compile(
    r"\\+(?:[uU]([0-9a-fA-F]{4})|(/))"
    r"|%(?:25)*([0-9a-fA-F]{2})"
    r"|&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));"
    r"|&(sol|plus|equals|amp);"
    r"|(\r?\n|(?:\\+r)?\\+n)"
)
_NAMED: Final = {"sol": "/", "plus": "+", "equals": "=", "amp": "&"}


def _unescaped(match: re.Match[str]) -> str:
    unicode, solidus, percent, hex_ref, decimal_ref, named, _line_break = match.groups()
    if unicode is not None:
        return chr(int(unicode, 16))
    if solidus is not None:
        return "/"
    if percent is not None:
        return chr(int(percent, 16))
    if hex_ref is not None or decimal_ref is not None:
        code = int(hex_ref, 16) if hex_ref is not None else int(decimal_ref)
        return chr(code) if code <= 0x10FFFF else match.group()
    if named is not None:
        return _NAMED[named]
    return ""


def _base64_fragments(secret: str) -> set[str]:
    """The base64 text that encodes ``secret`` wherever it sits in a longer value.

    Base64 turns 3 bytes into 4 characters, so which characters depend on the secret
    alone differs with its offset modulo 3 in the encoded value: for each offset, the
    run of characters wholly inside the secret's bits (standard and URL-safe alphabets).
    """
    raw = secret.encode("utf-8")
    fragments: set[str] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw + b"\0\0").decode("ascii")
        first = -(-8 * offset // 6)  # the first character past the prefix's bits
        last = 8 * (offset + len(raw)) // 6  # one past the last within the secret's bits
        fragment = encoded[first:last]
        if len(fragment) >= _MIN_ENCODED_LENGTH:
            fragments.add(fragment)
            fragments.add(fragment.replace("+", "-").replace("/", "_"))
    return fragments


class Redactor:
    """Replaces the given secrets (those of :data:`MIN_SECRET_LENGTH` characters or
    more), in any form they may be quoted in, and any SigV4 signature with
    ``<redacted>``: in text, in bytes and in decoded JSON values.

    A quote cut short (a message truncated by the server) is caught too: any run of
    :data:`MIN_LEAK` or more characters of a secret (or of its base64) is replaced.
    Cheap to make (nothing is compiled per secret): make one per request.
    """

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self._secrets = [
            _forms_of(secret)
            for secret in secrets
            if secret is not None and len(secret) >= MIN_SECRET_LENGTH
        ]

    def text(self, text: str) -> str:
        """``text`` with every secret and signature replaced."""
        if self._secrets:
            text = self._replace_quoted(text)
        return _ANY_SIGNATURE.sub(rf"\1{REDACTED}", text)

    def bytes(self, data: bytes) -> bytes:
        """``data`` (UTF-8, or any bytes) with every secret and signature replaced; bytes
        that are not UTF-8 are kept as they were."""
        text = data.decode("utf-8", "surrogateescape")
        return self.text(text).encode("utf-8", "surrogateescape")

    def value(self, value: Any) -> Any:
        """A decoded JSON value with every string in it (keys too) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(key): self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value

    def _replace_quoted(self, text: str) -> str:
        # Undo one level of escaping at a time (HTML inside HTML, JSON inside JSON, ...),
        # looking for the secrets in the text at each level and mapping what is found
        # back to the original characters.
        spans = self._runs(_fold(text))
        levels: list[_Unescaped] = []
        current = text
        for _level in range(_MAX_LEVELS):
            unescaped = _Unescaped.of(current)
            if unescaped is None:
                break
            levels.append(unescaped)
            current = unescaped.plain
            for found in self._runs(_fold(current)):
                for level in reversed(levels):
                    found = (level.original(found[0]), level.original(found[1]))  # noqa: PLW2901
                spans.append(found)
        if not spans:
            return text
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out: list[str] = []
        previous_end = 0
        for start, end in merged:
            first = start
            while first < end and text[first] in "\r\n":  # a line break before the secret
                first += 1
            out.append(text[previous_end:first])
            out.append(REDACTED)
            previous_end = end
        out.append(text[previous_end:])
        return "".join(out)

    def _runs(self, haystack: str) -> list[tuple[int, int]]:
        """Spans of ``haystack`` that are runs of at least :data:`MIN_LEAK` characters
        of a secret's form (the whole form, where it is shorter)."""
        spans: list[tuple[int, int]] = []
        for secret in self._secrets:
            for form in secret.short:
                found = haystack.find(form)
                while found != -1:
                    spans.append((found, found + len(form)))
                    found = haystack.find(form, found + len(form))
        if len(haystack) < _SCAN_BELOW:
            # Short text (an error body): look each of its windows up.
            position, last = 0, len(haystack) - _WINDOW
            while position <= last:
                window = haystack[position : position + _WINDOW]
                for secret in self._secrets:
                    where = secret.windows.get(window)
                    if where is not None:
                        form, offset = where
                        right = _common_prefix(haystack, position + _WINDOW, form, offset + _WINDOW)
                        spans.append((position, position + _WINDOW + right))
                        position += _WINDOW + right - 1
                        break
                position += 1
            return spans
        # Long text (a logged page of items): search for every _STEP-th window of each
        # form; any run of MIN_LEAK characters holds one whole. Widen each hit.
        for secret in self._secrets:
            for form, offset in secret.sampled:
                window = form[offset : offset + _WINDOW]
                found = haystack.find(window)
                while found != -1:
                    if not any(start <= found and found + _WINDOW <= end for start, end in spans):
                        left = _common_suffix(haystack, found, form, offset)
                        right = _common_prefix(haystack, found + _WINDOW, form, offset + _WINDOW)
                        spans.append((found - left, found + _WINDOW + right))
                    found = haystack.find(window, found + 1)
        return spans


@attrs.frozen
class _SecretForms:
    """The forms of one secret to look for, folded (see :func:`_fold`)."""

    #: Forms no longer than MIN_LEAK, looked for whole.
    short: tuple[str, ...]
    #: Every window of _WINDOW characters of the longer forms: its form and offset.
    windows: dict[str, tuple[str, int]]
    #: Every _STEP-th window (and the last) of the longer forms: form and offset.
    sampled: tuple[tuple[str, int], ...]


@functools.lru_cache(maxsize=32)
def _forms_of(secret: str) -> _SecretForms:
    """The forms of ``secret``: itself and the base64 fragments that encode it."""
    forms = {_fold(secret)} | {_fold(fragment) for fragment in _base64_fragments(secret)}
    short = tuple(form for form in forms if len(form) <= MIN_LEAK)
    windows: dict[str, tuple[str, int]] = {}
    sampled: list[tuple[str, int]] = []
    for form in sorted(forms - set(short), key=len, reverse=True):
        last = len(form) - _WINDOW
        for offset in range(last + 1):
            windows.setdefault(form[offset : offset + _WINDOW], (form, offset))
        sampled += [(form, offset) for offset in [*range(0, last, _STEP), last]]
    return _SecretForms(short, windows, tuple(sampled))


@attrs.frozen
class _Unescaped:
    """A text with one level of escapes undone, and the way back to its positions."""

    plain: str
    #: Where each escape starts in ``plain``, ...
    starts: list[int]
    #: ... and how much shorter ``plain`` is than the text up to that escape's end.
    shrink: list[int]

    @classmethod
    def of(cls, text: str) -> _Unescaped | None:
        """``text`` with its escapes undone, or ``None`` if it has none."""
        starts: list[int] = []
        shrink: list[int] = []
        pieces: list[str] = []
        previous_end = 0
        plain_length = 0
        total_shrink = 0
        for match in _ESCAPE.finditer(text):
            start, end = match.span()
            pieces.append(text[previous_end:start])
            plain_length += start - previous_end
            char = _unescaped(match)
            pieces.append(char)
            starts.append(plain_length)
            plain_length += len(char)
            total_shrink += (end - start) - len(char)
            shrink.append(total_shrink)
            previous_end = end
        if not starts:
            return None
        pieces.append(text[previous_end:])
        return cls("".join(pieces), starts, shrink)

    def original(self, position: int) -> int:
        """Where the boundary before ``plain[position]`` is in the escaped text."""
        before = bisect.bisect_left(self.starts, position)
        return position + (self.shrink[before - 1] if before else 0)


def _fold(text: str) -> str:
    """Characters that quoting may swap, made one: a space (form decoding) and "-"
    (URL-safe base64) read as "+", "_" as "/". The same length as ``text``."""
    return text.translate(_FOLD)


_FOLD: Final = str.maketrans({" ": "+", "-": "+", "_": "/"})
_WINDOW: Final = 12
_STEP: Final = 5
#: Levels of escaping undone, at most (JSON in JSON in JSON, say).
_MAX_LEVELS: Final = 4
#: Texts shorter than this are scanned window by window; longer ones searched.
_SCAN_BELOW: Final = 4096
#: The shortest run of a secret's characters that is always replaced.
MIN_LEAK: Final = _WINDOW + _STEP - 1


def _common_prefix(a: str, a_start: int, b: str, b_start: int) -> int:
    """How many characters match from ``a[a_start]`` and ``b[b_start]`` on."""
    low, high = 0, min(len(a) - a_start, len(b) - b_start)
    while low < high:
        middle = (low + high + 1) // 2
        if a[a_start : a_start + middle] == b[b_start : b_start + middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, a_end: int, b: str, b_end: int) -> int:
    """How many characters match going back from just before ``a_end`` and ``b_end``."""
    low, high = 0, min(a_end, b_end)
    while low < high:
        middle = (low + high + 1) // 2
        if a[a_end - middle : a_end] == b[b_end - middle : b_end]:
            low = middle
        else:
            high = middle - 1
    return low


def signature_of(authorization: str | None) -> str | None:
    """The ``Signature=`` value of an ``Authorization`` header, if it has one.

    >>> signature_of("AWS4-HMAC-SHA256 Credential=AKID/..., Signature=0a1b")
    '0a1b'
    """
    if not authorization:
        return None
    found = _SIGNATURE_IN_HEADER.search(authorization)
    return found.group(1) if found else None
