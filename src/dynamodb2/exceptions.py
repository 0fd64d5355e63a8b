"""Every exception this library raises, in one tree.

::

    Exception
    ├── DynamoDBResponseError            the service answered with an error
    │   │                                (also importable as JSONResponseError, BotoServerError)
    │   ├── ThrottlingError              retried automatically before it reaches you
    │   │   ├── ProvisionedThroughputExceededException
    │   │   ├── ThrottlingException
    │   │   └── RequestLimitExceeded
    │   ├── ConditionalCheckFailedException
    │   ├── TransactionCanceledException (.cancellation_reasons)
    │   ├── ValidationException, ResourceNotFoundException, ...
    │   └── ... one class per error code in DynamoDB's service model
    └── DynamoDBError                    a problem found on this side of the wire
        ├── ParameterValidationError     bad input, refused before anything is sent (ValueError)
        │   ├── RequestValidationError   ... that DynamoDB would refuse: also a
        │   │   │                        ValidationException (status 400), as boto 2 raised
        │   │   └── QueryValidationError also a QueryError
        │   ├── DynamoDBNumberError      NaN, Infinity, out of range, too many digits
        │   │                            (also boto 2's BotoClientError, with .reason)
        │   └── InvalidCursorError       a pagination cursor that is garbled or was altered
        ├── UnsupportedTypeError         a Python value DynamoDB cannot store (TypeError)
        ├── NoCredentialsError           nothing to sign the request with
        ├── BatchWriteError              writes that could not be sent (.unsent_requests)
        ├── BatchGetError                keys that could not be read (.unprocessed_keys)
        ├── WaitTimeoutError             a table did not reach a state in time (TimeoutError)
        ├── MalformedResponseError       a response held a value DynamoDB never sends
        │                                (.attribute, .operation; a ValueError)
        ├── TransportError               the request or response did not make it intact
        │   ├── ConnectionFailedError
        │   ├── ReadTimeoutError
        │   ├── TruncatedResponseError
        │   └── ChecksumMismatchError
        └── UnknownSchemaFieldError, UnknownIndexFieldError, UnknownFilterTypeError,
            QueryError, ItemNotFound     boto 2's client-side errors, unchanged

Service errors are chosen by the ``__type`` of the error body (the part after ``#``);
:data:`SERVICE_ERRORS` maps each code to its class.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Final

__all__ = [
    "RETRYABLE_ERROR_CODES",
    "SERVICE_ERRORS",
    "AccessDeniedException",
    "BackupInUseException",
    "BackupNotFoundException",
    "BatchGetError",
    "BatchWriteError",
    "BotoClientError",
    "BotoServerError",
    "ChecksumMismatchError",
    "ConditionalCheckFailedException",
    "ConnectionFailedError",
    "ContinuousBackupsUnavailableException",
    "DuplicateItemException",
    "DynamoDBError",
    "DynamoDBNumberError",
    "DynamoDBResponseError",
    "ExportConflictException",
    "ExportNotFoundException",
    "GlobalTableAlreadyExistsException",
    "GlobalTableNotFoundException",
    "IdempotentParameterMismatchException",
    "ImportConflictException",
    "ImportNotFoundException",
    "IncompleteSignatureException",
    "IndexNotFoundException",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidCursorError",
    "InvalidExportTimeException",
    "InvalidRestoreTimeException",
    "InvalidSignatureException",
    "ItemCollectionSizeLimitExceededException",
    "ItemNotFound",
    "JSONResponseError",
    "LimitExceededException",
    "MalformedResponseError",
    "MissingAuthenticationTokenException",
    "NoCredentialsError",
    "ParameterValidationError",
    "PointInTimeRecoveryUnavailableException",
    "PolicyNotFoundException",
    "ProvisionedThroughputExceededException",
    "QueryError",
    "QueryValidationError",
    "ReadTimeoutError",
    "ReplicaAlreadyExistsException",
    "ReplicaNotFoundException",
    "ReplicatedWriteConflictException",
    "RequestLimitExceeded",
    "RequestValidationError",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "SerializationException",
    "ServiceUnavailable",
    "TableAlreadyExistsException",
    "TableInUseException",
    "TableNotFoundException",
    "ThrottlingError",
    "ThrottlingException",
    "TransactionCanceledException",
    "TransactionConflictException",
    "TransactionInProgressException",
    "TransportError",
    "TruncatedResponseError",
    "UnknownFilterTypeError",
    "UnknownIndexFieldError",
    "UnknownOperationException",
    "UnknownSchemaFieldError",
    "UnrecognizedClientException",
    "UnsupportedTypeError",
    "ValidationException",
    "WaitTimeoutError",
    "error_class_for",
]


# --------------------------------------------------------------------------- service side


class DynamoDBResponseError(Exception):
    """The service answered with an error.

    The constructor keeps boto 2's ``JSONResponseError(status, reason, body)`` signature,
    so legacy code that raises or inspects these keeps working.

    Attributes:
        status: the HTTP status code (``400``).
        reason: the HTTP reason phrase (``"Bad Request"``).
        body: the decoded JSON error body, or ``None``.
        error_code: the code from ``__type`` without its namespace
            (``"ConditionalCheckFailedException"``).
        message: the service's human-readable message.
        operation: the DynamoDB operation that failed (``"PutItem"``), when known.
        request_id: the ``x-amzn-RequestId`` of the failed request, when known.
    """

    #: The error code this class stands for; ``None`` on the base class.
    code_name: ClassVar[str | None] = None

    def __init__(
        self,
        status: int,
        reason: str,
        body: dict[str, Any] | str | bytes | None = None,
        *args: object,
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(status, reason, body, *args)
        message = ""
        if isinstance(body, (str, bytes)):
            # boto 2's BotoServerError took the raw text: a JSON object is read as one,
            # anything else becomes the message (and the body None), as boto 2 did.
            body, message = _parse_text_body(body)
        self.status = status
        self.reason = reason
        self.body: dict[str, Any] | None = body
        self.operation = operation
        self.request_id = request_id
        error_code: str | None = None
        if body:
            raw_type = body.get("__type")
            if isinstance(raw_type, str):
                error_code = raw_type.rsplit("#", 1)[-1]
            raw_message = body.get("message", body.get("Message"))
            if isinstance(raw_message, str):
                message = raw_message
        self.error_code = error_code or self.code_name
        self.message = message

    # boto 2 exposed the same facts under these names as well.
    @property
    def error_message(self) -> str:
        """boto 2's name for :attr:`message`."""
        return self.message

    @property
    def code(self) -> str | None:
        """boto 2's name for :attr:`error_code`."""
        return self.error_code

    def __str__(self) -> str:
        where = f" on {self.operation}" if self.operation else ""
        code = self.error_code or type(self).__name__
        text = f"{code} (HTTP {self.status} {self.reason}){where}"
        return f"{text}: {self.message}" if self.message else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status!r}, {self.reason!r}, {self.body!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the keyword-only facts when an error crosses a process boundary; an error
        # built from plain text has no body, only its message.
        body: dict[str, Any] | str | None = self.body
        if body is None and self.message:
            body = self.message
        return (
            _rebuild_response_error,
            (type(self), self.status, self.reason, body, self.operation, self.request_id),
        )


def _parse_text_body(raw: str | bytes) -> tuple[dict[str, Any] | None, str]:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        decoded = json.loads(text)
    except ValueError:
        decoded = None
    if isinstance(decoded, dict):
        return decoded, ""
    return None, text


def _rebuild_response_error(
    cls: type[DynamoDBResponseError],
    status: int,
    reason: str,
    body: dict[str, Any] | str | None,
    operation: str | None,
    request_id: str | None,
) -> DynamoDBResponseError:
    return cls(status, reason, body, operation=operation, request_id=request_id)


# Legacy names: boto 2 raised every DynamoDB service error as a JSONResponseError, a
# subclass of BotoServerError. Here both names are the one base class.
JSONResponseError = DynamoDBResponseError  # aliased for backwards compatibility
BotoServerError = DynamoDBResponseError  # aliased for backwards compatibility


class ThrottlingError(DynamoDBResponseError):
    """The request was throttled. The connection retries these with backoff first."""


class ProvisionedThroughputExceededException(ThrottlingError):
    """The table or index has no provisioned capacity left for this request."""

    code_name = "ProvisionedThroughputExceededException"


class ThrottlingException(ThrottlingError):
    """The request rate is too high (control-plane operations, on-demand limits)."""

    code_name = "ThrottlingException"


class RequestLimitExceeded(ThrottlingError):
    """The account's throughput limit was exceeded."""

    code_name = "RequestLimitExceeded"


class ConditionalCheckFailedException(DynamoDBResponseError):
    """A condition on a write was not met; nothing was written.

    :attr:`item` holds the stored item (wire form) when the request asked for it with
    ``ReturnValuesOnConditionCheckFailure=ALL_OLD``.
    """

    code_name = "ConditionalCheckFailedException"

    @property
    def item(self) -> dict[str, Any] | None:
        """The stored item the condition was checked against, in wire form, if returned."""
        found = (self.body or {}).get("Item")
        return found if isinstance(found, dict) else None


class TransactionCanceledException(DynamoDBResponseError):
    """A transaction was cancelled; :attr:`cancellation_reasons` says why, per action.

    Each reason is a dict with ``Code`` (``"None"`` for actions that were fine,
    ``"ConditionalCheckFailed"``, ``"TransactionConflict"``, ...) and, where the service
    gave one, ``Message`` and ``Item``. The list is in the order the actions were sent.
    """

    code_name = "TransactionCanceledException"

    #: What each action of the transaction was, in request order, when the transaction
    #: was sent by :mod:`dynamodb2.transactions`: ``{"index": 0, "operation": "Put",
    #: "table": "users", "key": {...}}``. ``None`` for a transaction sent another way.
    actions: list[dict[str, Any]] | None = None

    @property
    def cancellation_reasons(self) -> list[dict[str, Any]]:
        """The per-action reasons, in request order (empty if the service gave none)."""
        reasons = (self.body or {}).get("CancellationReasons")
        return list(reasons) if isinstance(reasons, list) else []

    @property
    def failed_actions(self) -> list[tuple[int, dict[str, Any]]]:
        """``(index, reason)`` for each action whose reason code is not ``"None"``."""
        return [
            (index, reason)
            for index, reason in enumerate(self.cancellation_reasons)
            if reason.get("Code") not in (None, "None")
        ]

    def __str__(self) -> str:
        text = super().__str__()
        failures = []
        for index, reason in self.failed_actions:
            action = self.actions[index] if self.actions and index < len(self.actions) else None
            where = f"action {index}"
            if action is not None:
                where += f" ({action['operation']} on {action['table']!r})"
            failure = f"{where}: {reason.get('Code')}"
            if reason.get("Message"):
                failure += f" ({reason['Message']})"
            failures.append(failure)
        return f"{text} [failed: {'; '.join(failures)}]" if failures else text

    def __reduce__(self) -> tuple[Any, ...]:
        rebuild, arguments = super().__reduce__()[:2]
        return (rebuild, arguments, {"actions": self.actions})


# One class per error code. Written out (rather than generated in a loop) so that type
# checkers and IDEs see every name.
class BackupInUseException(DynamoDBResponseError):
    """A backup is already being created or restored for this table."""

    code_name = "BackupInUseException"


class BackupNotFoundException(DynamoDBResponseError):
    """The named backup does not exist."""

    code_name = "BackupNotFoundException"


class ContinuousBackupsUnavailableException(DynamoDBResponseError):
    """Continuous backups are not enabled on this table."""

    code_name = "ContinuousBackupsUnavailableException"


class DuplicateItemException(DynamoDBResponseError):
    """A PartiQL INSERT hit an item that already exists."""

    code_name = "DuplicateItemException"


class ExportConflictException(DynamoDBResponseError):
    """An export with the same client token but other parameters is running."""

    code_name = "ExportConflictException"


class ExportNotFoundException(DynamoDBResponseError):
    """The named export does not exist."""

    code_name = "ExportNotFoundException"


class GlobalTableAlreadyExistsException(DynamoDBResponseError):
    """A global table with this name already exists."""

    code_name = "GlobalTableAlreadyExistsException"


class GlobalTableNotFoundException(DynamoDBResponseError):
    """The named global table does not exist."""

    code_name = "GlobalTableNotFoundException"


class IdempotentParameterMismatchException(DynamoDBResponseError):
    """A client request token was reused with different parameters."""

    code_name = "IdempotentParameterMismatchException"


class ImportConflictException(DynamoDBResponseError):
    """An import conflicts with a table or import in progress."""

    code_name = "ImportConflictException"


class ImportNotFoundException(DynamoDBResponseError):
    """The named import does not exist."""

    code_name = "ImportNotFoundException"


class IndexNotFoundException(DynamoDBResponseError):
    """The named secondary index does not exist."""

    code_name = "IndexNotFoundException"


class InternalServerError(DynamoDBResponseError):
    """The service failed internally; retried automatically before it reaches you."""

    code_name = "InternalServerError"


class InvalidExportTimeException(DynamoDBResponseError):
    """The export time is outside the point-in-time recovery window."""

    code_name = "InvalidExportTimeException"


class InvalidRestoreTimeException(DynamoDBResponseError):
    """The restore time is outside the point-in-time recovery window."""

    code_name = "InvalidRestoreTimeException"


class ItemCollectionSizeLimitExceededException(DynamoDBResponseError):
    """An item collection of a table with local indexes exceeded 10 GB."""

    code_name = "ItemCollectionSizeLimitExceededException"


class LimitExceededException(DynamoDBResponseError):
    """Too many control-plane operations at once, or an account limit was reached."""

    code_name = "LimitExceededException"


class PointInTimeRecoveryUnavailableException(DynamoDBResponseError):
    """Point-in-time recovery is not enabled on this table."""

    code_name = "PointInTimeRecoveryUnavailableException"


class PolicyNotFoundException(DynamoDBResponseError):
    """The resource has no such resource policy."""

    code_name = "PolicyNotFoundException"


class ReplicaAlreadyExistsException(DynamoDBResponseError):
    """The replica already exists in this global table."""

    code_name = "ReplicaAlreadyExistsException"


class ReplicaNotFoundException(DynamoDBResponseError):
    """The replica does not exist in this global table."""

    code_name = "ReplicaNotFoundException"


class ReplicatedWriteConflictException(DynamoDBResponseError):
    """A write conflicted with a replicated write in a multi-region table."""

    code_name = "ReplicatedWriteConflictException"


class ResourceInUseException(DynamoDBResponseError):
    """The table or index is being created, updated or deleted, or already exists."""

    code_name = "ResourceInUseException"


class ResourceNotFoundException(DynamoDBResponseError):
    """The table or index does not exist, or is not ``ACTIVE`` yet."""

    code_name = "ResourceNotFoundException"


class TableAlreadyExistsException(DynamoDBResponseError):
    """A table with this name already exists."""

    code_name = "TableAlreadyExistsException"


class TableInUseException(DynamoDBResponseError):
    """The target table of a restore is in use."""

    code_name = "TableInUseException"


class TableNotFoundException(DynamoDBResponseError):
    """The source table of a backup or restore does not exist."""

    code_name = "TableNotFoundException"


class TransactionConflictException(DynamoDBResponseError):
    """The item is being changed by another transaction."""

    code_name = "TransactionConflictException"


class TransactionInProgressException(DynamoDBResponseError):
    """A transaction with this client request token is still in progress."""

    code_name = "TransactionInProgressException"


# Common AWS JSON-protocol errors: not listed in the DynamoDB model, but DynamoDB (and the
# local implementations) answer with them.
class ValidationException(DynamoDBResponseError):
    """The request was malformed or broke one of DynamoDB's rules."""

    code_name = "ValidationException"


class AccessDeniedException(DynamoDBResponseError):
    """The credentials are not allowed to perform this operation."""

    code_name = "AccessDeniedException"


class UnrecognizedClientException(DynamoDBResponseError):
    """The access key or security token is not valid."""

    code_name = "UnrecognizedClientException"


class IncompleteSignatureException(DynamoDBResponseError):
    """The request signature is not complete."""

    code_name = "IncompleteSignatureException"


class InvalidSignatureException(DynamoDBResponseError):
    """The request signature does not match the credentials."""

    code_name = "InvalidSignatureException"


class MissingAuthenticationTokenException(DynamoDBResponseError):
    """The request was not signed."""

    code_name = "MissingAuthenticationTokenException"


class SerializationException(DynamoDBResponseError):
    """The request body could not be parsed."""

    code_name = "SerializationException"


class UnknownOperationException(DynamoDBResponseError):
    """The endpoint does not implement this operation (seen from local implementations)."""

    code_name = "UnknownOperationException"


class ServiceUnavailable(DynamoDBResponseError):
    """The service is temporarily unavailable; retried automatically first."""

    code_name = "ServiceUnavailable"


#: The ``__type`` DynamoDB answers a malformed request with.
_VALIDATION_TYPE: Final = "com.amazon.coral.validate#ValidationException"


def _collect_service_errors() -> dict[str, type[DynamoDBResponseError]]:
    found: dict[str, type[DynamoDBResponseError]] = {}
    pending: list[type[DynamoDBResponseError]] = [DynamoDBResponseError]
    while pending:
        cls = pending.pop()
        if cls.code_name is not None:
            found[cls.code_name] = cls
        pending.extend(cls.__subclasses__())
    return found


#: Error code (``__type`` after ``#``) to exception class.
SERVICE_ERRORS: dict[str, type[DynamoDBResponseError]] = _collect_service_errors()

#: Codes the connection retries with backoff (besides any HTTP 5xx).
RETRYABLE_ERROR_CODES: frozenset[str] = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        # As botocore retries them for DynamoDB: a transaction with the same client token
        # still running, a conflicting write from another region, and too many
        # control-plane operations at once.
        "TransactionInProgressException",
        "ReplicatedWriteConflictException",
        "LimitExceededException",
    }
)


def error_class_for(error_code: str | None) -> type[DynamoDBResponseError]:
    """The exception class for a service error code, or the base class if unknown.

    >>> error_class_for("ConditionalCheckFailedException").__name__
    'ConditionalCheckFailedException'
    >>> error_class_for("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException").__name__
    'ResourceNotFoundException'
    """
    if not error_code:
        return DynamoDBResponseError
    return SERVICE_ERRORS.get(error_code.rsplit("#", 1)[-1], DynamoDBResponseError)


# --------------------------------------------------------------------------- client side


class DynamoDBError(Exception):
    """A problem found on this side of the wire (bad input, lost connection, ...)."""


class BotoClientError(Exception):
    """boto 2's ``boto.exception.BotoClientError``: what boto itself refused.

    As in boto 2, it is raised for numbers DynamoDB cannot store
    (:class:`DynamoDBNumberError`) and nothing else here; boto 2's ``DynamoDB`` client
    errors (``ItemNotFound``, ``QueryError``...) are not ``BotoClientError`` instances; its
    ``reason`` is the message.
    """

    def __init__(self, reason: str, *args: object) -> None:
        super().__init__(reason, *args)
        self.reason = reason


class ParameterValidationError(DynamoDBError, ValueError):
    """Input that DynamoDB would refuse; raised before anything is sent.

    ``attribute`` names the attribute (or parameter) at fault when one is known.
    """

    def __init__(self, message: str, *, attribute: str | None = None) -> None:
        super().__init__(message)
        self.problem = message
        self.attribute = attribute

    def __str__(self) -> str:
        if self.attribute is None:
            return self.problem
        return f"attribute {self.attribute!r}: {self.problem}"

    def with_attribute(self, name: str) -> ParameterValidationError:
        """Prefix the attribute path with ``name`` (used while unwinding nested values)."""
        self.attribute = _join_path(name, self.attribute)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_client_error, (type(self), self.problem, self.attribute))


class RequestValidationError(ParameterValidationError, ValidationException):
    """A request DynamoDB itself would refuse, refused here before anything is sent.

    It is both kinds of error at once, so every ``except`` clause that caught DynamoDB's
    own refusal still catches it: a :class:`ParameterValidationError` (a ``ValueError``)
    for new code, and a :class:`ValidationException` for code written for boto 2, which
    sent the request and caught DynamoDB's answer (``except JSONResponseError``,
    ``except BotoServerError``). As DynamoDB's answer would, it has ``status`` 400,
    ``reason`` ``"Bad Request"``, ``error_code`` ``"ValidationException"``, and a
    ``body`` whose ``message`` says what is wrong.

    >>> error = RequestValidationError("key attributes cannot be empty", attribute="id")
    >>> isinstance(error, ValidationException), isinstance(error, ValueError)
    (True, True)
    >>> error.status, error.error_code, error.body["message"]
    (400, 'ValidationException', "attribute 'id': key attributes cannot be empty")
    """

    def __init__(self, message: str, *, attribute: str | None = None) -> None:
        ParameterValidationError.__init__(self, message, attribute=attribute)
        self.status = 400
        self.reason = "Bad Request"
        self.operation = None
        self.request_id = None
        self.error_code = "ValidationException"

    @property
    def message(self) -> str:
        """The refusal in words (DynamoDB's ``message``)."""
        return str(self)

    @message.setter
    def message(self, value: str) -> None:
        # The text follows the problem and attribute; DynamoDBResponseError sets it.
        del value

    @property
    def body(self) -> dict[str, Any]:
        """The error body DynamoDB would have answered with."""
        return {"__type": _VALIDATION_TYPE, "message": str(self)}

    @body.setter
    def body(self, value: object) -> None:
        del value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class DynamoDBNumberError(ParameterValidationError, BotoClientError):
    """A number DynamoDB cannot store: NaN, Infinity, more than 38 significant digits,
    or a magnitude outside 1E-130 .. 9.99...E+125.

    Also boto 2's ``BotoClientError`` (``except BotoClientError`` caught it there), with
    its ``reason``.
    """

    def __init__(self, message: str, *, attribute: str | None = None) -> None:
        ParameterValidationError.__init__(self, message, attribute=attribute)

    @property
    def reason(self) -> str:
        """boto 2's name for the message."""
        return str(self)

    @reason.setter
    def reason(self, value: str) -> None:
        del value  # the text follows the problem and attribute


class InvalidCursorError(ParameterValidationError):
    """A pagination cursor (see :mod:`dynamodb2.cursors`) that cannot be decoded: not one
    this library made, cut short, garbled, or changed after it was made."""


class UnsupportedTypeError(DynamoDBError, TypeError):
    """A Python value of a type DynamoDB cannot store, or a set of mixed element types."""

    def __init__(self, message: str, *, attribute: str | None = None) -> None:
        super().__init__(message)
        self.problem = message
        self.attribute = attribute

    def __str__(self) -> str:
        if self.attribute is None:
            return self.problem
        return f"attribute {self.attribute!r}: {self.problem}"

    def with_attribute(self, name: str) -> UnsupportedTypeError:
        """Prefix the attribute path with ``name`` (used while unwinding nested values)."""
        self.attribute = _join_path(name, self.attribute)
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_client_error, (type(self), self.problem, self.attribute))


def _join_path(name: str, rest: str | None) -> str:
    if rest is None:
        return name
    if rest.startswith("["):
        return f"{name}{rest}"
    return f"{name}.{rest}"


def _rebuild_client_error(
    cls: type[ParameterValidationError] | type[UnsupportedTypeError],
    problem: str,
    attribute: str | None,
) -> DynamoDBError:
    return cls(problem, attribute=attribute)


class MalformedResponseError(DynamoDBError, ValueError):
    """A response held a value DynamoDB never sends: ``{"N": "not-a-number"}``, an
    unknown type tag, a ``B`` that is not base64, an ``L`` that is not a list, ...

    Raised where the value is decoded (items decode when first read), naming the
    attribute's path (:attr:`attribute`, such as ``"doc.list[3]"``) and, where known, the
    operation that returned it (:attr:`operation`); :attr:`problem` says what is wrong.
    A page's own fields are checked as they are read (``"Items": null``, a
    ``"LastEvaluatedKey"`` that is not a key, a ``"Count"`` that is not a count...):
    :attr:`field` names the one at fault.
    The error the decoder met is chained as ``__cause__``. Not retried: sending the
    request again would read the same stored value.

    A response whose own shape is wrong (a ``Count`` that is not a number, a
    ``KeySchema`` that is not a list, fewer ``Responses`` than items asked for) names the
    response field instead (:attr:`field`, such as ``"Table.KeySchema[0].KeyType"``):

    >>> str(MalformedResponseError("is a string, not a number", field="Count", operation="Query"))
    "malformed field 'Count' in the response to Query: is a string, not a number"
    """

    def __init__(
        self,
        problem: str,
        *,
        attribute: str | None = None,
        operation: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.attribute = attribute
        self.operation = operation
        #: The response field at fault when it is not an item's (``"Items"``,
        #: ``"LastEvaluatedKey"``, ``"Count"``...), else ``None``.
        self.field = field

    def __str__(self) -> str:
        where = f" in the response to {self.operation}" if self.operation else " in a response"
        if self.field is not None:
            what = f"field {self.field!r}"
            if self.attribute is not None:
                what = f"attribute {self.attribute!r} of {what}"
        elif self.attribute is not None:
            what = f"attribute {self.attribute!r}"
        else:
            what = "item"
        return f"malformed {what}{where}: {self.problem}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_malformed, (self.problem, self.attribute, self.operation, self.field))


def _rebuild_malformed(
    problem: str, attribute: str | None, operation: str | None, field: str | None = None
) -> MalformedResponseError:
    return MalformedResponseError(problem, attribute=attribute, operation=operation, field=field)


class TransportError(DynamoDBError):
    """The request or its response did not make it across intact.

    Retried with backoff by the connection (unless :attr:`retryable` is false, as for a
    failed TLS handshake); raised when attempts run out.
    """

    #: Whether sending the same request again may succeed.
    retryable: bool = True


class ConnectionFailedError(TransportError):
    """No connection to the endpoint could be made, or it broke while in use."""


class ReadTimeoutError(TransportError):
    """The endpoint did not answer within the read timeout."""


class TruncatedResponseError(TransportError):
    """The response body was shorter than its ``Content-Length`` or not valid JSON."""


class ChecksumMismatchError(TransportError):
    """The response body does not match its ``x-amz-crc32`` checksum."""


class NoCredentialsError(DynamoDBError):
    """No AWS credentials were given or found in the environment, profile or instance role."""


class InsecureTransportWarning(UserWarning):
    """TLS certificate verification was turned off for a connection."""


class BatchWriteError(DynamoDBError):
    """A batch could not write everything. Nothing is lost: :attr:`unsent_requests` holds
    every write that did not reach the table, in wire form
    (``{"PutRequest": {"Item": ...}}`` / ``{"DeleteRequest": {"Key": ...}}``), ready to
    send again. The cause (a throttling or connection error, say) is chained as
    ``__cause__``. If the ``with`` block had raised before the final flush failed, that
    exception is :attr:`block_exception`.
    """

    def __init__(self, message: str, unsent_requests: list[dict[str, Any]]) -> None:
        # Not super(): joined with a service error class (see caused_by), the next
        # __init__ would be the service error's.
        Exception.__init__(self, message)
        self.unsent_requests = unsent_requests
        self.block_exception: BaseException | None = None

    @classmethod
    def caused_by(
        cls, cause: BaseException, message: str, unsent_requests: list[dict[str, Any]]
    ) -> BatchWriteError:
        """The error for writes ``cause`` left unsent.

        When DynamoDB's answer was the cause, the error is also an instance of that
        answer's class, with its ``status``, ``error_code``, ``message`` and ``body``:
        code written for boto 2, where the service error itself propagated out of the
        batch, catches it where it did (``except JSONResponseError``).

        >>> cause = ResourceNotFoundException(400, "Bad Request", {"message": "no table"})
        >>> error = BatchWriteError.caused_by(cause, "1 write not written", [{}])
        >>> isinstance(error, ResourceNotFoundException), error.message, str(error)
        (True, 'no table', '1 write not written')
        """
        service_class = _service_class_of(cause)
        if service_class is None:
            return cls(message, unsent_requests)
        assert isinstance(cause, DynamoDBResponseError)
        combined = _batch_write_error_class(service_class)
        error = combined(message, unsent_requests)
        for name in ("status", "reason", "operation", "request_id", "error_code"):
            setattr(error, name, getattr(cause, name, None))
        error.__dict__.update(body=cause.body, message=cause.message)
        return error

    def __reduce__(self) -> tuple[Any, ...]:
        service_class = _service_class_of(self)
        state = {
            name: getattr(self, name)
            for name in ("status", "reason", "body", "message", "operation", "request_id")
            if hasattr(self, name)
        }
        if hasattr(self, "error_code"):
            state["error_code"] = self.error_code
        state["block_exception"] = self.block_exception
        return (
            _rebuild_batch_write_error,
            (service_class, str(self), self.unsent_requests, state),
        )


def _service_class_of(error: BaseException) -> type[DynamoDBResponseError] | None:
    """The service error class ``error`` is (``ValidationException`` for a refusal made
    before sending), or ``None`` if it is not one."""
    for klass in type(error).__mro__:
        if (
            issubclass(klass, DynamoDBResponseError)
            and not issubclass(klass, DynamoDBError)
            and klass.code_name is not None
        ):
            return klass
    return DynamoDBResponseError if isinstance(error, DynamoDBResponseError) else None


_BATCH_WRITE_ERROR_CLASSES: dict[type[DynamoDBResponseError], type[BatchWriteError]] = {}


def _batch_write_error_class(service_class: type[DynamoDBResponseError]) -> type[BatchWriteError]:
    """``BatchWriteError`` joined with a service error class (made once per class)."""
    combined = _BATCH_WRITE_ERROR_CLASSES.get(service_class)
    if combined is None:

        def __str__(self: BaseException) -> str:  # noqa: N807 - the batch's own message
            return str(self.args[0]) if self.args else ""

        combined = type(
            "BatchWriteError",
            (BatchWriteError, service_class),
            {
                "__str__": __str__,
                "__repr__": lambda self: f"BatchWriteError({str(self)!r})",
                "__module__": __name__,
                "__doc__": f"A BatchWriteError caused by a {service_class.__name__}.",
            },
        )
        _BATCH_WRITE_ERROR_CLASSES[service_class] = combined
    return combined


def _rebuild_batch_write_error(
    service_class: type[DynamoDBResponseError] | None,
    message: str,
    unsent_requests: list[dict[str, Any]],
    state: dict[str, Any],
) -> BatchWriteError:
    klass = BatchWriteError if service_class is None else _batch_write_error_class(service_class)
    error = klass(message, unsent_requests)
    for name, value in state.items():
        setattr(error, name, value)
    return error


class BatchGetError(DynamoDBError):
    """A batch read gave up with keys still unread; :attr:`unprocessed_keys` lists them
    (in Python form, as given). Items already read were returned before this was raised.
    """

    def __init__(self, message: str, unprocessed_keys: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.unprocessed_keys = unprocessed_keys


class WaitTimeoutError(DynamoDBError, TimeoutError):
    """A table did not reach the awaited state in time.

    :attr:`table_name` names the table, :attr:`state` is what was seen last
    (``"CREATING"``, ``"ACTIVE; index 'by_email' CREATING"``, ``"not found"``) and
    :attr:`waited` the seconds spent waiting.
    """

    def __init__(self, message: str, *, table_name: str, state: str, waited: float) -> None:
        super().__init__(message)
        self.table_name = table_name
        self.state = state
        self.waited = waited

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_wait_timeout,
            (str(self), self.table_name, self.state, self.waited),
        )


def _rebuild_wait_timeout(
    message: str, table_name: str, state: str, waited: float
) -> WaitTimeoutError:
    return WaitTimeoutError(message, table_name=table_name, state=state, waited=waited)


# boto 2's client-side errors, with their old names and meanings.
class UnknownSchemaFieldError(DynamoDBError):
    """A key schema element of a kind this library does not know."""


class UnknownIndexFieldError(DynamoDBError):
    """An index projection of a kind this library does not know."""


class UnknownFilterTypeError(DynamoDBError, ValueError):
    """A ``field__operator`` filter keyword with an operator that does not exist."""


class QueryError(DynamoDBError, ValueError):
    """A query that cannot be sent as asked (no usable key condition, for instance)."""


class QueryValidationError(QueryError, RequestValidationError):
    """A query DynamoDB would refuse (no condition on the partition key, a condition on
    an attribute that is not a key, ...), refused before sending: a :class:`QueryError`
    and a :class:`RequestValidationError`, so ``except QueryError`` and boto 2's
    ``except ValidationException`` / ``except JSONResponseError`` both catch it."""


class ItemNotFound(DynamoDBError):
    """``Table.get_item`` found no item with the given key."""
