"""The exception tree: every DynamoDB error code has its class, boto 2's names and
constructor keep working, and errors survive pickling."""

from __future__ import annotations

import importlib
import pickle
from typing import Any

import botocore.session
import pytest

from dynamodb2 import exceptions
from dynamodb2.exceptions import (
    RETRYABLE_ERROR_CODES,
    SERVICE_ERRORS,
    DynamoDBResponseError,
    JSONResponseError,
    error_class_for,
)
from dynamodb2.types import Dynamizer

NAMESPACE = "com.amazonaws.dynamodb.v20120810#"


def _model_error_codes() -> list[str]:
    model = botocore.session.get_session().get_service_model("dynamodb")
    # An error shape's code is its name unless the model says otherwise.
    codes = sorted(
        shape.metadata.get("error", {}).get("code", shape.name) for shape in model.error_shapes
    )
    assert len(codes) > 20, "botocore's DynamoDB model lists far more error shapes"
    return codes


MODEL_ERROR_CODES = _model_error_codes()


@pytest.mark.parametrize("code", MODEL_ERROR_CODES)
def test_every_error_code_in_botocores_model_has_its_own_class(code: str) -> None:
    cls = error_class_for(code)

    assert cls is not DynamoDBResponseError
    assert cls.__name__ == code
    assert cls.code_name == code
    assert getattr(exceptions, code) is cls
    assert code in exceptions.__all__
    assert error_class_for(NAMESPACE + code) is cls


def test_service_errors_table_maps_each_code_to_the_class_named_after_it() -> None:
    for code, cls in SERVICE_ERRORS.items():
        assert cls.__name__ == code
        assert cls.code_name == code


def test_unknown_or_missing_codes_give_the_base_class() -> None:
    assert error_class_for(None) is DynamoDBResponseError
    assert error_class_for("") is DynamoDBResponseError
    assert error_class_for("NoSuchThingException") is DynamoDBResponseError
    assert error_class_for(NAMESPACE + "NoSuchThingException") is DynamoDBResponseError


@pytest.mark.parametrize("code", sorted(RETRYABLE_ERROR_CODES))
def test_every_retryable_code_has_a_class(code: str) -> None:
    assert error_class_for(code).__name__ == code


@pytest.mark.parametrize(
    "code",
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"],
)
def test_throttling_codes_share_the_throttling_error_base(code: str) -> None:
    assert issubclass(error_class_for(code), exceptions.ThrottlingError)


BOTO2_SERVICE_NAMES = [
    "JSONResponseError",
    "BotoServerError",
    "DynamoDBResponseError",
    "ProvisionedThroughputExceededException",
    "LimitExceededException",
    "ConditionalCheckFailedException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "InternalServerError",
    "ValidationException",
    "ItemCollectionSizeLimitExceededException",
]
BOTO2_CLIENT_NAMES = [
    "BotoClientError",
    "DynamoDBError",
    "UnknownSchemaFieldError",
    "UnknownIndexFieldError",
    "UnknownFilterTypeError",
    "QueryError",
    "ItemNotFound",
    "DynamoDBNumberError",
]


@pytest.mark.parametrize("name", BOTO2_SERVICE_NAMES + BOTO2_CLIENT_NAMES)
def test_boto2_exception_names_are_importable(name: str) -> None:
    module = importlib.import_module("dynamodb2.exceptions")

    cls = getattr(module, name)

    assert isinstance(cls, type)
    assert issubclass(cls, Exception)
    assert name in module.__all__


@pytest.mark.parametrize("name", BOTO2_SERVICE_NAMES)
def test_boto2_service_errors_are_json_response_errors(name: str) -> None:
    assert issubclass(getattr(exceptions, name), JSONResponseError)
    assert issubclass(getattr(exceptions, name), exceptions.BotoServerError)


@pytest.mark.parametrize("name", BOTO2_CLIENT_NAMES)
def test_boto2_client_errors_are_not_server_errors(name: str) -> None:
    assert not issubclass(getattr(exceptions, name), JSONResponseError)


@pytest.mark.parametrize(
    "name",
    [
        "UnknownSchemaFieldError",
        "UnknownIndexFieldError",
        "UnknownFilterTypeError",
        "QueryError",
        "ItemNotFound",
    ],
)
def test_boto2_dynamodb_errors_are_dynamodb_errors_and_not_boto_client_errors(name: str) -> None:
    # As in boto 2: boto.dynamodb2.exceptions.DynamoDBError(Exception), apart from
    # boto.exception.BotoClientError, so an except clause for one never catches the other.
    cls = getattr(exceptions, name)

    assert issubclass(cls, exceptions.DynamoDBError)
    assert not issubclass(cls, exceptions.BotoClientError)


def test_a_number_dynamodb_cannot_store_is_boto2s_boto_client_error_with_its_reason() -> None:
    with pytest.raises(exceptions.BotoClientError) as raised:
        Dynamizer().encode(float("nan"))

    assert isinstance(raised.value, exceptions.DynamoDBNumberError)
    assert "NaN" in raised.value.reason


def test_legacy_server_names_are_aliases_of_the_one_base() -> None:
    assert JSONResponseError is DynamoDBResponseError
    assert exceptions.BotoServerError is DynamoDBResponseError


@pytest.mark.parametrize("code", sorted(SERVICE_ERRORS))
def test_except_json_response_error_catches_every_service_error(code: str) -> None:
    cls = SERVICE_ERRORS[code]
    with pytest.raises(JSONResponseError) as raised:
        raise cls(400, "Bad Request", {"__type": NAMESPACE + code, "message": "m"})
    assert type(raised.value) is cls


# --------------------------------------------------------------------------- boto 2's constructor


def test_boto2_constructor_strips_the_namespace_from_the_error_code() -> None:
    body = {"__type": NAMESPACE + "ValidationException", "message": "One or more values"}

    error = JSONResponseError(400, "Bad Request", body)

    assert error.status == 400
    assert error.reason == "Bad Request"
    assert error.body is body
    assert error.error_code == "ValidationException"
    assert error.code == "ValidationException"
    assert error.message == "One or more values"
    assert error.error_message == "One or more values"
    assert error.args[:3] == (400, "Bad Request", body)


def test_boto2_constructor_without_a_body() -> None:
    error = JSONResponseError(500, "Internal Server Error")

    assert error.body is None
    assert error.error_code is None
    assert error.message == ""
    assert error.operation is None
    assert error.request_id is None


def test_a_subclass_without_type_in_its_body_reports_its_own_code() -> None:
    error = exceptions.ConditionalCheckFailedException(400, "Bad Request", {"message": "no"})

    assert error.error_code == "ConditionalCheckFailedException"
    assert error.message == "no"


def test_str_names_code_status_operation_and_message() -> None:
    error = exceptions.ResourceNotFoundException(
        400,
        "Bad Request",
        {"__type": NAMESPACE + "ResourceNotFoundException", "message": "Table: users not found"},
        operation="GetItem",
    )

    text = str(error)

    assert "ResourceNotFoundException" in text
    assert "400" in text
    assert "GetItem" in text
    assert "Table: users not found" in text


@pytest.mark.parametrize(
    "body",
    [
        '{"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": "bad"}',
        b'{"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": "bad"}',
    ],
    ids=["str", "bytes"],
)
def test_a_json_text_body_is_read_like_a_decoded_one(body: str | bytes) -> None:
    error = exceptions.BotoServerError(400, "Bad Request", body)

    assert error.error_code == "ValidationException"
    assert error.message == "bad"
    assert error.body == {"__type": NAMESPACE + "ValidationException", "message": "bad"}


def test_a_plain_text_body_becomes_the_message_as_in_boto2() -> None:
    error = exceptions.BotoServerError(503, "Service Unavailable", "try again later")

    assert error.message == "try again later"
    assert error.error_message == "try again later"
    assert error.body is None
    assert error.status == 503
    assert pickle.loads(pickle.dumps(error)).message == "try again later"


# --------------------------------------------------------------------------- transactions


CANCELLED_BODY: dict[str, Any] = {
    "__type": NAMESPACE + "TransactionCanceledException",
    "message": "Transaction cancelled, please refer cancellation reasons for specific "
    "reasons [None, ConditionalCheckFailed, None]",
    "CancellationReasons": [
        {"Code": "None"},
        {
            "Code": "ConditionalCheckFailed",
            "Message": "The conditional request failed",
            "Item": {"id": {"S": "a"}},
        },
        {"Code": "None"},
    ],
}


def test_transaction_cancelled_lists_reasons_in_request_order() -> None:
    error = exceptions.TransactionCanceledException(400, "Bad Request", CANCELLED_BODY)

    assert [reason["Code"] for reason in error.cancellation_reasons] == [
        "None",
        "ConditionalCheckFailed",
        "None",
    ]
    assert error.failed_actions == [(1, CANCELLED_BODY["CancellationReasons"][1])]


def test_transaction_cancelled_without_reasons_has_empty_lists() -> None:
    error = exceptions.TransactionCanceledException(400, "Bad Request", {"message": "x"})

    assert error.cancellation_reasons == []
    assert error.failed_actions == []


def test_conditional_check_failed_exposes_the_returned_item() -> None:
    with_item = exceptions.ConditionalCheckFailedException(
        400, "Bad Request", {"message": "failed", "Item": {"id": {"S": "a"}}}
    )
    without = exceptions.ConditionalCheckFailedException(400, "Bad Request", {"message": "x"})

    assert with_item.item == {"id": {"S": "a"}}
    assert without.item is None


# --------------------------------------------------------------------------- pickling


def test_service_error_pickles_with_operation_and_request_id() -> None:
    error = exceptions.TransactionCanceledException(
        400, "Bad Request", CANCELLED_BODY, operation="TransactWriteItems", request_id="RID-9"
    )

    restored = pickle.loads(pickle.dumps(error))

    assert type(restored) is exceptions.TransactionCanceledException
    assert (restored.status, restored.reason, restored.body) == (400, "Bad Request", CANCELLED_BODY)
    assert restored.operation == "TransactWriteItems"
    assert restored.request_id == "RID-9"
    assert restored.error_code == "TransactionCanceledException"
    assert restored.failed_actions == error.failed_actions
    assert str(restored) == str(error)


@pytest.mark.parametrize(
    "error",
    [
        exceptions.ParameterValidationError("too deep", attribute="a.b[0]"),
        exceptions.DynamoDBNumberError("NaN", attribute="score"),
        exceptions.UnsupportedTypeError("no datetimes", attribute="when"),
    ],
)
def test_client_error_pickles_with_its_attribute_path(
    error: exceptions.ParameterValidationError | exceptions.UnsupportedTypeError,
) -> None:
    restored = pickle.loads(pickle.dumps(error))

    assert type(restored) is type(error)
    assert restored.attribute == error.attribute
    assert str(restored) == str(error)


def test_attribute_paths_join_names_and_indexes() -> None:
    error = exceptions.ParameterValidationError("bad", attribute="[2]")

    error.with_attribute("b").with_attribute("a")

    assert error.attribute == "a.b[2]"
    assert str(error) == "attribute 'a.b[2]': bad"


# --------------------------------------------------------------------------- Python's own bases


@pytest.mark.parametrize(
    ("cls", "base"),
    [
        (exceptions.ParameterValidationError, ValueError),
        (exceptions.DynamoDBNumberError, ValueError),
        (exceptions.UnsupportedTypeError, TypeError),
        (exceptions.UnknownFilterTypeError, ValueError),
        (exceptions.QueryError, ValueError),
        (exceptions.InsecureTransportWarning, UserWarning),
    ],
)
def test_client_errors_are_also_the_python_error_users_expect(
    cls: type[Exception], base: type[Exception]
) -> None:
    assert issubclass(cls, base)
