"""boto 2.49's own unit tests (``tests/unit/dynamodb2`` of its sdist), run through the shim.

Every test passes under dynamodb2 except those named in :data:`LEGACY_PARAMETER_TESTS`:
tests asserting that boto 2's legacy request parameters reach ``DynamoDBConnection``
(``KeyConditions``, ``QueryFilter``, ``ScanFilter``, ``Expected``, ``AttributeUpdates``,
``AttributesToGet``, ``ConditionalOperator``) where dynamodb2 sends expressions; and those
in :data:`REFUSED_BEFORE_SENDING_TESTS`, whose request DynamoDB refuses. Each listed test
must fail, and its failure must say why, so the lists stay honest.

The same suite also runs against boto 2.49 itself (the reference), which must pass it all.
"""

from __future__ import annotations

from typing import Final

import pytest

from tests.compat.boto2_suite import SuiteRun, describe_failures, run_boto2_tests

UNIT_TESTS: Final = ("tests/unit/dynamodb2",)

#: boto's unit suite has 118 tests; fewer means the harness lost some.
EXPECTED_TEST_COUNT: Final = 118

#: Test -> (the legacy parameter it asserts, as its failure names it; what dynamodb2 sends).
LEGACY_PARAMETER_TESTS: Final[dict[str, tuple[str, str]]] = {
    # Item.save() / partial_save() hand Table._put_item / _update_item boto's legacy
    # ``expects`` (Expected) and attribute updates (AttributeUpdates).
    "test_table.py::ItemTestCase::test_save_with_changes": (
        "Exists",
        "Expected; dynamodb2 sends ConditionExpression",
    ),
    "test_table.py::ItemFromItemTestCase::test_save_with_changes": (
        "Exists",
        "Expected; dynamodb2 sends ConditionExpression",
    ),
    "test_table.py::ItemTestCase::test_partial_with_changes": (
        "Action",
        "AttributeUpdates and Expected; dynamodb2 sends UpdateExpression and ConditionExpression",
    ),
    "test_table.py::ItemFromItemTestCase::test_partial_with_changes": (
        "Action",
        "AttributeUpdates and Expected; dynamodb2 sends UpdateExpression and ConditionExpression",
    ),
    "test_table.py::TableTestCase::test_get_item": (
        "attributes_to_get",
        "AttributesToGet (get_item(attributes=[...])); dynamodb2 sends ProjectionExpression",
    ),
    "test_table.py::TableTestCase::test_put_item": (
        "expected",
        "Expected (Exists: False on every attribute); dynamodb2 sends ConditionExpression",
    ),
    "test_table.py::TableTestCase::test_delete_item_conditionally": (
        "expected",
        "Expected (delete_item(expected=...)); dynamodb2 sends ConditionExpression",
    ),
    "test_table.py::TableTestCase::test_private_query": (
        "key_conditions",
        "KeyConditions and QueryFilter; dynamodb2 sends KeyConditionExpression and "
        "FilterExpression",
    ),
    "test_table.py::TableTestCase::test_private_scan": (
        "scan_filter",
        "ScanFilter; dynamodb2 sends FilterExpression",
    ),
    "test_table.py::TableTestCase::test_private_batch_get_attributes": (
        "AttributesToGet",
        "AttributesToGet in BatchGetItem; dynamodb2 sends ProjectionExpression",
    ),
}


#: Test -> (words its failure must hold; why). Tests that make boto 2 send a request
#: DynamoDB refuses, which dynamodb2 refuses before sending (with the same
#: ValidationException, status 400, that DynamoDB answers).
REFUSED_BEFORE_SENDING_TESTS: Final[dict[str, tuple[str, str]]] = {
    "test_table.py::TableTestCase::test_create_full": (
        "its parts must be [HashKey(...)]",
        "creates a local and a global index whose key is a RangeKey alone; DynamoDB refuses "
        "an index key schema without a HASH element (ValidationException)",
    ),
}


@pytest.fixture(scope="module")
def under_dynamodb2() -> SuiteRun:
    """boto's unit suite, run once under dynamodb2 through the shim."""
    return run_boto2_tests("dynamodb2", UNIT_TESTS)


@pytest.fixture(scope="module")
def under_boto2() -> SuiteRun:
    """boto's unit suite, run once under boto 2.49 itself (the reference)."""
    return run_boto2_tests("boto2", UNIT_TESTS)


def test_boto2_unit_suite_is_collected_whole(
    under_dynamodb2: SuiteRun, under_boto2: SuiteRun
) -> None:
    assert len(under_boto2.outcomes) == EXPECTED_TEST_COUNT, under_boto2.output[-3000:]
    assert set(under_dynamodb2.outcomes) == set(under_boto2.outcomes)


def test_boto2_itself_passes_its_unit_suite_here(under_boto2: SuiteRun) -> None:
    """The reference: boto 2.49, importable on this Python through the harness only."""
    failures = under_boto2.failing()
    assert not failures, f"{under_boto2.summary()}\n{describe_failures(failures)}"


def test_dynamodb2_passes_boto2_unit_suite_but_the_legacy_parameter_tests(
    under_dynamodb2: SuiteRun,
) -> None:
    failures = under_dynamodb2.failing()
    listed = LEGACY_PARAMETER_TESTS.keys() | REFUSED_BEFORE_SENDING_TESTS.keys()
    unexpected = {test: result for test, result in failures.items() if test not in listed}
    assert not unexpected, (
        f"{under_dynamodb2.summary()}; failing and not legacy-parameter tests:\n"
        f"{describe_failures(unexpected)}"
    )


def test_every_listed_legacy_parameter_test_fails_on_its_legacy_parameter(
    under_dynamodb2: SuiteRun,
) -> None:
    """A listed test that passes, or fails for another reason, must leave the list."""
    wrong: list[str] = []
    listed = {**LEGACY_PARAMETER_TESTS, **REFUSED_BEFORE_SENDING_TESTS}
    for test, (parameter, reason) in sorted(listed.items()):
        result = under_dynamodb2.outcomes.get(test)
        if result is None:
            wrong.append(f"  {test}: not in boto's suite")
        elif result.outcome != "failed":
            wrong.append(f"  {test}: {result.outcome}, but listed as asserting {reason}")
        elif parameter not in result.message.split("\n--\n", 1)[0]:
            wrong.append(
                f"  {test}: fails without naming {parameter!r} ({reason}): {result.first_line}"
            )
    assert not wrong, "the lists of failing tests are out of date:\n" + "\n".join(wrong)


def test_legacy_parameter_tests_pass_under_boto2(under_boto2: SuiteRun) -> None:
    """Each listed test is a real boto test that boto 2.49 passes: only the wire differs."""
    assert set(LEGACY_PARAMETER_TESTS) | set(REFUSED_BEFORE_SENDING_TESTS) <= under_boto2.passing()
