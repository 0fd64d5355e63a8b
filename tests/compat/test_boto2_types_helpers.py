"""boto.dynamodb.types's helpers under the shim do what boto 2.49's did: the same script
(boto2_types_scenario.py) runs under the real boto 2.49 and under dynamodb2, each in its
own subprocess, and every result (value and type, or the exception's class) must match.

One case is left out on purpose: ``float_to_decimal`` of a float needing more than 38
digits (``0.1``). boto 2.49 raised ``decimal.Inexact`` for it until an earlier call had
grown the precision of its shared context, so its answer depended on what ran before;
dynamodb2 returns the float's exact value (its module docstring says so). The scenario's
floats are those boto 2 converted on a first call, and the test checks 0.1 here.
"""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Final

import pytest

from tests.compat.boto2_suite import Implementation, run_boto2_script

SCENARIO: Final = Path(__file__).resolve().parent / "boto2_types_scenario.py"

#: case -> why dynamodb2's answer differs: only where boto 2.49 failed on valid input.
ALLOWED_DIFFERENCES: Final = {
    "dynamize_value set[\"b'x'\"]": (
        "boto 2 called .encode() on each member of a binary set, which only its Binary "
        "has: a set of plain bytes raised AttributeError; dynamodb2 encodes it"
    ),
}


def observe(implementation: Implementation) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "observed.json"
        run_boto2_script(implementation, SCENARIO, str(output), timeout=120)
        observed: dict[str, str] = json.loads(output.read_text(encoding="utf-8"))
        return observed


@pytest.fixture(scope="module")
def under() -> dict[str, dict[str, str]]:
    return {implementation: observe(implementation) for implementation in ("boto2", "dynamodb2")}


def test_every_helper_answers_as_boto_2_did(under: dict[str, dict[str, str]]) -> None:
    boto2, dynamodb2 = under["boto2"], under["dynamodb2"]

    assert len(boto2) > 200  # the scenario ran through
    differences = {
        case: (boto2.get(case), dynamodb2.get(case))
        for case in sorted({*boto2, *dynamodb2})
        if boto2.get(case) != dynamodb2.get(case)
    }
    assert set(differences) == set(ALLOWED_DIFFERENCES), differences


def test_float_to_decimal_is_exact_where_boto_2_raised_on_a_first_call() -> None:
    from dynamodb2._legacy_types import DYNAMODB_CONTEXT, float_to_decimal

    assert float_to_decimal(0.1) == Decimal.from_float(0.1)  # every binary digit kept
    assert DYNAMODB_CONTEXT.prec == 38  # the shared context is left as it was
