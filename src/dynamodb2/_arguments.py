"""Checks of the arguments public methods take: a wrong type is refused before anything is
sent, by an error naming the argument and what it got.

>>> flag("yes", "consistent"), whole_number(10.0, "limit")
(True, 10)
>>> whole_number("10", "limit")
Traceback (most recent call last):
...
dynamodb2.exceptions.RequestValidationError: limit takes a whole number or None, not str '10'

An argument that would go on the wire, where DynamoDB would refuse it, raises
:class:`~dynamodb2.exceptions.RequestValidationError` (also a ``ValidationException``,
as boto 2 code caught DynamoDB's refusal); one used on this side only raises
:class:`~dynamodb2.exceptions.ParameterValidationError`. Both are ``ValueError``\\ s.

What boto 2 accepted stays accepted. boto 2 sent many arguments to DynamoDB as they
were, so what DynamoDB's JSON reads is read the same way here: a flag also takes
``None``, an integer, or one of the strings DynamoDB reads as a boolean (``"true"``,
``"yes"``, ``"1"``, ``"false"``, ``"no"``, ``"0"``, any case); a limit or segment also
takes a finite float or decimal, rounded down as DynamoDB rounds it.

A refusal of an argument that is or may hold a credential (:data:`SECRET_ARGUMENTS`:
the secret key, a session token, a proxy's password, a URL that may carry one) names
the type it got, never the value, which would otherwise land in logs and tracebacks:

>>> str(refusal("aws_secret_access_key", "a string or None", b"wJalrXUtnFEMI/K7MDENG"))
'aws_secret_access_key takes a string or None, not bytes (value not shown)'

Each check is a few type tests, cheap enough for every call.
"""

from __future__ import annotations

import functools
import inspect
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from .exceptions import ParameterValidationError, RequestValidationError

__all__ = [
    "SECRET_ARGUMENTS",
    "callable_or_none",
    "check_call",
    "check_connection_arguments",
    "check_layer1",
    "check_segment_pair",
    "check_table",
    "describe",
    "flag",
    "instance_of",
    "mapping",
    "names",
    "port_number",
    "refusal",
    "seconds",
    "sequence_of",
    "text",
    "truth",
    "whole_number",
]

_TRUE_STRINGS: Final = frozenset({"true", "yes", "1"})
_FALSE_STRINGS: Final = frozenset({"false", "no", "0"})


#: Arguments whose values are credentials or may hold one (a URL's user info): refusals
#: of them show the type of what was given, not its value. The access key id is not a
#: secret, but a key pair given in the wrong order puts the secret key there.
SECRET_ARGUMENTS: Final = frozenset(
    {
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "security_token",
        "proxy_pass",
        "proxy",
        "proxies",
        "endpoint_url",
    }
)


def describe(value: object, *, secret: bool = False) -> str:
    """What a value is, for messages: ``"str '10'"``, ``"list [1, 2]"``; with ``secret``,
    its type only: ``"bytes (value not shown)"``."""
    if secret:
        return f"{type(value).__name__} (value not shown)"
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{type(value).__name__} {shown}"


def refusal(
    name: str, wanted: str, value: object, *, wire: bool = False, secret: bool = False
) -> ParameterValidationError:
    """The error refusing ``value`` for the argument ``name``, which takes ``wanted``.

    ``wire`` says the argument goes to DynamoDB, which would refuse it too. The value is
    not shown for a :data:`SECRET_ARGUMENTS` name, nor when ``secret`` is true.
    """
    error = RequestValidationError if wire else ParameterValidationError
    shown = describe(value, secret=secret or name in SECRET_ARGUMENTS)
    return error(f"{name} takes {wanted}, not {shown}")


def flag(value: object, name: str) -> bool:
    """A flag as boto 2 took it: ``True``/``False``, ``None`` (false), an integer (its
    truth), or a string DynamoDB reads as a boolean."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    if isinstance(value, int):
        return bool(value)
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in _TRUE_STRINGS:
            return True
        if lowered in _FALSE_STRINGS:
            return False
    raise refusal(name, "True or False", value, wire=True)


def truth(value: object, name: str) -> bool:
    """A flag boto 2 only tested for truth (``reverse``, ``overwrite``, ``loaded``): a
    bool, ``None``, a number or a string, taken as Python takes its truth (so a string
    such as ``"no"`` is true, as it was in boto 2). Anything else is refused."""
    if isinstance(value, (bool, int, float, Decimal, str)) or value is None:
        return bool(value)
    raise refusal(name, "True or False", value)


def whole_number(
    value: object, name: str, *, minimum: int | None = None, wire: bool = True, none: bool = True
) -> int | None:
    """A whole number (or ``None`` when ``none``). For a ``wire`` argument, a finite float
    or decimal is rounded down, as DynamoDB rounds its integer fields (and boto 2 sent
    them as they were). ``minimum`` refuses smaller numbers."""
    if value is None and none:
        return None
    if type(value) is int:
        number = value
    elif wire and isinstance(value, (float, Decimal)) and _finite(value):
        number = math.floor(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = int(value)
    else:
        raise refusal(
            name, "a whole number or None" if none else "a whole number", value, wire=wire
        )
    if minimum is not None and number < minimum:
        error = RequestValidationError if wire else ParameterValidationError
        raise error(f"{name} must be at least {minimum}, not {value!r}")
    return number


def _finite(value: float | Decimal) -> bool:
    # math.isfinite raises on a signalling NaN decimal; Decimal.is_finite does not.
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def check_segment_pair(segment: object, total_segments: object) -> None:
    """Refuse a parallel scan's ``segment`` without ``total_segments``, or the reverse:
    DynamoDB refuses a Scan that has one of them and not the other.

    >>> check_segment_pair(1, None)
    Traceback (most recent call last):
    ...
    dynamodb2.exceptions.RequestValidationError: give both segment and total_segments, or neither
    """
    if (segment is None) != (total_segments is None):
        raise RequestValidationError("give both segment and total_segments, or neither")


def seconds(value: object, name: str) -> float:
    """A duration: a finite number of seconds, not negative."""
    if (
        isinstance(value, (int, float, Decimal))
        and not isinstance(value, bool)
        and _finite(value)
        and value >= 0
    ):
        return float(value)
    raise refusal(name, "a number of seconds (0 or more)", value)


def text(value: object, name: str, *, wire: bool = True, none: bool = True) -> str | None:
    """A string (or ``None`` when ``none``)."""
    if type(value) is str or (value is None and none) or isinstance(value, str):
        return value
    raise refusal(name, "a string or None" if none else "a string", value, wire=wire)


def mapping(
    value: object, name: str, *, wire: bool = True, none: bool = True
) -> Mapping[str, Any] | None:
    """A mapping with string keys (or ``None`` when ``none``)."""
    if value is None and none:
        return None
    if type(value) is dict or isinstance(value, Mapping):
        for key in value:
            if type(key) is not str and not isinstance(key, str):
                raise refusal(name, "a mapping of names (strings)", value, wire=wire)
        return value
    raise refusal(name, "a mapping or None" if none else "a mapping", value, wire=wire)


def sequence_of(
    value: object,
    name: str,
    accepts: Callable[[Any], bool],
    wanted: str,
    *,
    wire: bool = True,
    none: bool = True,
) -> list[Any] | None:
    """A list of elements that ``accepts``: any sequence or iterable but a string, bytes
    or mapping (each is one thing, not a list of them)."""
    if value is None and none:
        return None
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise refusal(name, wanted, value, wire=wire)
    elements = list(value)
    for element in elements:
        if not accepts(element):
            error = RequestValidationError if wire else ParameterValidationError
            shown = describe(element, secret=name in SECRET_ARGUMENTS)
            raise error(f"{name} takes {wanted}; it holds {shown}")
    return elements


def names(value: object, name: str) -> Sequence[str] | None:
    """Attribute names: a list of strings (one string is taken as one name), or ``None``."""
    if value is None or type(value) is str:
        return value
    if type(value) is list or type(value) is tuple:
        for element in value:
            if type(element) is not str:
                break
        else:
            return value
    return sequence_of(
        value, name, lambda element: isinstance(element, str), "a list of attribute names"
    )


def instance_of(
    value: object, name: str, kind: type | tuple[type, ...], wanted: str, *, none: bool = True
) -> Any:
    """``value``, if it is a ``kind`` (or ``None`` when ``none``)."""
    if (value is None and none) or isinstance(value, kind):
        return value
    raise refusal(name, wanted, value)


def callable_or_none(value: object, name: str, *, none: bool = True) -> Any:
    """``value``, if it can be called (or is ``None`` when ``none``)."""
    if (value is None and none) or callable(value):
        return value
    raise refusal(name, "a function" + (" or None" if none else ""), value)


# --------------------------------------------------------------------------- connections


def _optional_text(value: object, name: str) -> None:
    text(value, name, wire=False)


def _optional_seconds(value: object, name: str) -> None:
    if value is not None:
        seconds(value, name)


def _optional_pool_size(value: object, name: str) -> None:
    whole_number(value, name, minimum=1, wire=False)


def _verify(value: object, name: str) -> None:
    if value is None or isinstance(value, (bool, str)):
        return
    raise refusal(name, "True, False or the path of a CA bundle", value)


def _proxies(value: object, name: str) -> None:
    if value is None:
        return
    checked = mapping(value, name, wire=False)
    assert checked is not None
    for scheme, url in checked.items():
        if not isinstance(url, str):
            raise ParameterValidationError(
                f"{name} maps schemes to proxy URLs; {scheme!r} maps to "
                f"{describe(url, secret=True)}"
            )


def _flag(value: object, name: str) -> None:
    flag(value, name)


def is_boto3_session(value: object) -> bool:
    """Whether ``value`` is a ``boto3.Session`` (boto3 is not imported for the check: a
    program holding one has imported it)."""
    boto3_session = sys.modules.get("boto3.session")
    return boto3_session is not None and isinstance(value, boto3_session.Session)


def _session(value: object, name: str) -> None:
    if value is None or is_boto3_session(value):
        return
    if not callable(getattr(value, "get_config_variable", None)):
        raise refusal(name, "a botocore.session.Session, a boto3.Session, or None", value)


def _callable(value: object, name: str) -> None:
    callable_or_none(value, name)


def _retry(value: object, name: str) -> None:
    from .retry import RetryPolicy  # noqa: PLC0415 - retry is imported by what imports this

    instance_of(value, name, RetryPolicy, "a RetryPolicy or None")


def _config(value: object, name: str) -> None:
    if value is not None:
        # botocore is imported when the first connection is made (start-up time).
        from botocore.config import Config  # noqa: PLC0415

        instance_of(value, name, Config, "a botocore.config.Config or None")


def _port(value: object, name: str) -> None:
    # boto 2 took a port as text too ("8000", split from "localhost:8000"): so does
    # DynamoDBConnection, which turns it into a number (see port_number).
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            raise refusal(name, "a whole number, its digits as text, or None", value)
        return
    whole_number(value, name, minimum=0, wire=False)


def port_number(value: int | str | None) -> int | None:
    """A port checked by :func:`check_connection_arguments`, as a number.

    >>> port_number("8000"), port_number(8000), port_number(None)
    (8000, 8000, None)
    """
    return int(value) if isinstance(value, str) else value


def _debug(value: object, name: str) -> None:
    if not (value is None or isinstance(value, int)):
        raise refusal(name, "a debug level (0, 1 or 2)", value)


#: ``Connection``'s arguments, and how each is checked (an argument not listed is not).
_CONNECTION_CHECKS: Final[dict[str, Callable[[object, str], None]]] = {
    "region_name": _optional_text,
    "endpoint_url": _optional_text,
    "aws_access_key_id": _optional_text,
    "aws_secret_access_key": _optional_text,
    "aws_session_token": _optional_text,
    "profile_name": _optional_text,
    "session": _session,
    "connect_timeout": _optional_seconds,
    "read_timeout": _optional_seconds,
    "total_timeout": _optional_seconds,
    "max_pool_connections": _optional_pool_size,
    "verify": _verify,
    "proxies": _proxies,
    "retry": _retry,
    "validate_checksums": _flag,
    "log_bodies": _flag,
    "transport": _callable,
    "sleep": _callable,
    "clock": _callable,
    "on_retry": _callable,
    "config": _config,
    # DynamoDBConnection's (boto 2's) own
    "is_secure": _flag,
    "port": _port,
    "proxy": _optional_text,
    "proxy_port": _port,
    "proxy_user": _optional_text,
    "proxy_pass": _optional_text,
    "host": _optional_text,
    "debug": _debug,
    "path": _optional_text,
    "security_token": _optional_text,
    "validate_certs": _flag,
    "provider": _optional_text,
    # connection= is checked by the layer1 class itself: sync or asyncio, each its own.
}


def check_connection_arguments(
    constructor: Callable[..., Any], arguments: Mapping[str, Any]
) -> None:
    """Refuse a ``Connection`` or ``DynamoDBConnection`` argument of the wrong type
    (``arguments`` by name, such as the constructor's ``locals()``; names not known here
    are left alone). ``None`` is taken where it is the ``constructor``'s default."""
    defaults = _defaults(constructor)
    for name, value in arguments.items():
        check = _CONNECTION_CHECKS.get(name)
        if check is None:
            continue
        if value is None and defaults.get(name, None) is not None:
            raise ParameterValidationError(
                f"{name} cannot be None (leave it out for its default, {defaults[name]!r})"
            )
        check(value, name)


@functools.cache
def _defaults(function: Callable[..., Any]) -> dict[str, Any]:
    return {
        name: parameter.default
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.default is not parameter.empty
    }


#: The layer1 ``DynamoDBConnection``'s operation methods (a ``Table`` sends through them).
_LAYER1_METHODS: Final = (
    "batch_get_item",
    "batch_write_item",
    "create_table",
    "delete_item",
    "delete_table",
    "describe_table",
    "get_item",
    "list_tables",
    "put_item",
    "query",
    "scan",
    "update_item",
    "update_table",
    "transact_write_items",
    "transact_get_items",
    "update_time_to_live",
    "describe_time_to_live",
    "execute_statement",
)


def check_layer1(connection: object, name: str = "connection") -> None:
    """Refuse a table's connection that has none of the layer1 ``DynamoDBConnection``'s
    methods (a string, a number, a dict...). As in boto 2, any object that has some is
    taken: a hand-written fake with only ``get_item`` serves ``get_item``, and a method
    it lacks fails when it is first needed."""
    for method in _LAYER1_METHODS:
        if callable(getattr(connection, method, None)):
            return
    raise refusal(
        name,
        "a DynamoDBConnection, a Connection, or an object with DynamoDBConnection's "
        "methods (get_item(), put_item(), query(), ...; this one has none of them)",
        connection,
    )


def check_table(table: object, name: str = "table") -> None:
    """Refuse what is not a ``Table`` (anything with a ``table_name`` and a
    ``key_schema``, as a ``Table`` subclass or stand-in has)."""
    if not isinstance(getattr(table, "table_name", None), str) or not hasattr(table, "key_schema"):
        raise refusal(name, "a Table", table)


def check_call(operation: object, body: object) -> None:
    """Refuse a ``Connection.call`` whose operation is not a name or whose body is not a
    mapping."""
    text(operation, "operation", wire=False, none=False)
    mapping(body, "body", wire=False, none=False)
