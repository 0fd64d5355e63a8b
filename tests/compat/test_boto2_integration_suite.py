"""boto 2.49's own integration tests (``tests/integration/dynamodb2``) on dynalite.

They run twice, each time on a fresh dynalite: under boto 2.49 itself (the reference) and
under dynamodb2 through the shim. dynamodb2 must pass every test boto 2.49 passes there.
(``test_cert_verification.py`` connects to every AWS region over TLS and is left out.)
The tests' own waits for tables (``time.sleep(60)`` and longer) are cut to a few
milliseconds: dynalite creates and updates tables at once.
"""

from __future__ import annotations

from typing import Final

import pytest

from tests.compat.boto2_suite import Implementation, SuiteRun, describe_failures, run_boto2_tests
from tests.support.backends import running_dynalite, selected_backends

INTEGRATION_TESTS: Final = (
    "tests/integration/dynamodb2/test_highlevel.py",
    "tests/integration/dynamodb2/test_layer1.py",
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        "dynalite" not in selected_backends(),
        reason="DYNAMODB2_TEST_BACKENDS leaves dynalite out",
    ),
]


def _run_on_fresh_dynalite(implementation: Implementation) -> SuiteRun:
    with running_dynalite() as url:
        return run_boto2_tests(implementation, INTEGRATION_TESTS, dynalite_url=url)


@pytest.fixture(scope="module")
def under_boto2() -> SuiteRun:
    """boto's integration suite under boto 2.49 itself, on its own dynalite."""
    return _run_on_fresh_dynalite("boto2")


@pytest.fixture(scope="module")
def under_dynamodb2() -> SuiteRun:
    """boto's integration suite under dynamodb2 through the shim, on its own dynalite."""
    return _run_on_fresh_dynalite("dynamodb2")


def test_boto2_integration_suite_runs_under_both(
    under_boto2: SuiteRun, under_dynamodb2: SuiteRun
) -> None:
    assert len(under_boto2.outcomes) >= 12, under_boto2.output[-3000:]
    assert set(under_dynamodb2.outcomes) == set(under_boto2.outcomes)
    # The reference itself must work here, or the comparison means nothing.
    assert under_boto2.count("passed") >= len(under_boto2.outcomes) // 2, (
        f"{under_boto2.summary()}\n{describe_failures(under_boto2.failing())}"
    )


def test_dynamodb2_passes_every_integration_test_boto2_passes_on_dynalite(
    under_boto2: SuiteRun, under_dynamodb2: SuiteRun
) -> None:
    regressions = {
        test: result
        for test, result in under_dynamodb2.failing().items()
        if test in under_boto2.passing()
    }
    assert not regressions, (
        f"{under_boto2.summary()}\n{under_dynamodb2.summary()}\n"
        f"passed under boto 2.49, not under dynamodb2:\n{describe_failures(regressions)}"
    )
    assert under_dynamodb2.count("passed") >= under_boto2.count("passed")
