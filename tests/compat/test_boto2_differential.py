"""A differential test: one legacy boto 2 program, run under boto 2.49 and under dynamodb2.

``boto2_scenario.py`` (plain boto 2 code) runs twice, each time in its own subprocess on a
fresh dynalite: under the real boto 2.49 and under dynamodb2 through the shim. Each run
writes what the caller observed at every step: values with their Python types, and for
errors which ``except`` clauses catch them, with ``status`` / ``error_code`` / ``reason`` and
the ``__type`` of ``body``. Every difference fails the test unless it is listed in
:data:`ALLOWED_DIFFERENCES` (or covered by one of the two narrow rules below), each with
its reason: only where boto 2 lost data, returned wrong results or sent a request
DynamoDB refuses.

The rules:

- :data:`ALLOWED_EXTRA_CATCHER_RULE`: boto 2.49 raised the generic ``JSONResponseError``
  for service errors its own ``boto.dynamodb2.exceptions`` has classes for (its fault table
  is keyed by the bare name but looked up with the full ``__type``); dynamodb2 raises that
  class, a ``JSONResponseError`` subclass. Every ``except`` clause that caught the boto 2
  error still catches it.
- :data:`ALLOWED_EXTRA_BUILTIN`: dynamodb2's refusals before sending are also ``ValueError``.
- :data:`ALLOWED_EXTRA_REFUSAL_CATCHERS`: they are also dynamodb2's client-side errors
  (``DynamoDBError``; ``QueryError`` for queries), as issue 11 asks.
- A client-side error's ``reason`` (its message) must be there in both; its wording may
  differ.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import pytest

from tests.compat.boto2_suite import Implementation, run_boto2_script
from tests.support.backends import running_dynalite, selected_backends

SCENARIO: Final = Path(__file__).resolve().parent / "boto2_scenario.py"

#: (step, aspect) -> why the difference is right. Aspects: ``outcome`` (a value against an
#: error), ``value``, ``caught_by``, ``builtins_caught_by``, ``status``, ``error_code``,
#: ``reason``, ``body_type``.
ALLOWED_DIFFERENCES: Final[dict[tuple[str, str], str]] = {
    ("get_item.present", "value"): (
        "boto 2 dropped empty values on write (Item._is_storable): 'empty_string', "
        "'empty_list' and the empty map were silently lost; dynamodb2 stores them, as "
        "DynamoDB allows empty non-key strings, lists and maps"
    ),
    ("lookup.present", "value"): "the same item as get_item.present (boto 2 lost its empty values)",
    ("scan.flagged__nnull_True", "outcome"): (
        "boto 2 sent NOT_NULL with the value as an argument (it special-cases only "
        "__null), a ScanFilter DynamoDB refuses ('Invalid number of argument(s) for the "
        "NOT_NULL ComparisonOperator'); dynamodb2 sends attribute_exists(flagged)"
    ),
    # dynalite's own deviations from DynamoDB, which only boto 2's legacy parameters meet:
    ("query_filter.or", "value"): (
        "dynalite evaluates the legacy QueryFilter with ConditionalOperator=OR as AND "
        "(db/index.js matchesFilter returns false at the first failed condition); "
        "dynamodb2 sends a FilterExpression 'a OR b', which dynalite evaluates right"
    ),
    ("item.save_after_concurrent_change", "outcome"): (
        "dynalite ignores Value in the legacy Expected {Exists: true, Value: v} that boto "
        "2's Item.save sends, so the stale save wins there; DynamoDB checks the value and "
        "refuses it, as dynalite does dynamodb2's ConditionExpression"
    ),
    ("item.partial_save_after_concurrent_change", "outcome"): (
        "as item.save_after_concurrent_change: dynalite ignores Value in legacy Expected"
    ),
    ("bad.float_value", "outcome"): (
        "boto 2 refused a float that is not an exact 38-digit decimal (1.1) with "
        "DynamoDBNumberError 'Inexact'; DynamoDB stores the number, and dynamodb2 sends a "
        "float as its shortest exact decimal ('1.1'), as DESIGN.md decides and "
        "docs/numbers.md documents: a boto 2 program only ever met the refusal"
    ),
    ("bad.duplicate_keys_in_one_batch", "outcome"): (
        "boto 2 sent two puts of one key in one BatchWriteItem, which DynamoDB refuses "
        "('Provided list of item keys contains duplicates'); dynamodb2 keeps the last write"
    ),
}

ALLOWED_EXTRA_CATCHER_RULE: Final = (
    "boto 2.49 raised a plain JSONResponseError for this error code although "
    "boto.dynamodb2.exceptions has its class; dynamodb2 raises that class"
)
ALLOWED_EXTRA_BUILTIN: Final = "ValueError"

#: dynamodb2's refusals before sending are also its own client-side errors, for new code:
#: a ``ParameterValidationError`` (so a ``DynamoDBError``), and for queries a
#: ``QueryError`` (issue 11: "QueryError raised where boto 2 got a server refusal follows
#: the same rule"). boto 2 code catching ``DynamoDBError``/``QueryError`` meets them only
#: where boto 2 met a ValidationException from DynamoDB.
REFUSAL_CLASSES: Final = frozenset(
    {"RequestValidationError", "QueryValidationError", "DynamoDBNumberError"}
)
ALLOWED_EXTRA_REFUSAL_CATCHERS: Final = frozenset(
    {"boto.dynamodb2.exceptions.DynamoDBError", "boto.dynamodb2.exceptions.QueryError"}
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        "dynalite" not in selected_backends(),
        reason="DYNAMODB2_TEST_BACKENDS leaves dynalite out",
    ),
]


@attrs.frozen
class Difference:
    """One way the two runs differ at one step."""

    step: str
    aspect: str
    boto2: Any
    dynamodb2: Any

    def __str__(self) -> str:
        return (
            f"  {self.step} [{self.aspect}]\n"
            f"    boto 2.49: {_short(self.boto2)}\n"
            f"    dynamodb2: {_short(self.dynamodb2)}"
        )


def _short(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + " ..."


def run_scenario(implementation: Implementation) -> dict[str, dict[str, Any]]:
    """The scenario's observations under ``implementation``, on a fresh dynalite, by step."""
    with running_dynalite() as url, tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "observations.json"
        run_boto2_script(implementation, SCENARIO, url, str(output))
        if not output.exists():
            raise RuntimeError(f"the scenario wrote nothing under {implementation}")
        steps: list[dict[str, Any]] = json.loads(output.read_text())
    return {entry["step"]: entry for entry in steps}


def compare(
    boto2: Mapping[str, dict[str, Any]], dynamodb2: Mapping[str, dict[str, Any]]
) -> list[Difference]:
    """Every difference a caller could observe, in the scenario's order."""
    legacy_names = {item["value"] for item in boto2["exception_classes"]["value"]["items"]}
    differences: list[Difference] = []
    for step, old in boto2.items():
        if step == "exception_classes":
            continue
        new = dynamodb2.get(step)
        if new is None:
            differences.append(Difference(step, "outcome", old, None))
        elif ("error" in old) != ("error" in new):
            differences.append(
                Difference(
                    step,
                    "outcome",
                    old.get("value", old.get("error")),
                    new.get("value", new.get("error")),
                )
            )
        elif "value" in old:
            if old["value"] != new["value"]:
                differences.append(Difference(step, "value", old["value"], new["value"]))
        else:
            differences.extend(_error_differences(step, old["error"], new["error"], legacy_names))
    return differences


def _error_differences(
    step: str, old: dict[str, Any], new: dict[str, Any], legacy_names: set[str]
) -> list[Difference]:
    found: list[Difference] = []
    # Only the names a boto 2 program can write in an except clause count.
    old_catchers = set(old["caught_by"])
    new_catchers = set(new["caught_by"]) & legacy_names
    extra = new_catchers - old_catchers
    code = new.get("error_code")
    extra.discard(f"boto.dynamodb2.exceptions.{code}")  # ALLOWED_EXTRA_CATCHER_RULE
    if new.get("class") in REFUSAL_CLASSES:
        extra -= ALLOWED_EXTRA_REFUSAL_CATCHERS
    if old_catchers - new_catchers or extra:
        found.append(Difference(step, "caught_by", sorted(old_catchers), sorted(new_catchers)))
    old_builtins = set(old["builtins_caught_by"])
    new_builtins = set(new["builtins_caught_by"])
    if old_builtins - new_builtins or new_builtins - old_builtins - {ALLOWED_EXTRA_BUILTIN}:
        found.append(
            Difference(
                step, "builtins_caught_by", old["builtins_caught_by"], new["builtins_caught_by"]
            )
        )
    for aspect in ("status", "error_code", "reason", "body_type"):
        if aspect == "reason" and old.get("status") is None:
            # A client-side error's reason is its message: present in both, worded apart.
            if bool(old.get(aspect)) != bool(new.get(aspect)):
                found.append(Difference(step, aspect, old.get(aspect), new.get(aspect)))
        elif old.get(aspect) != new.get(aspect):
            found.append(Difference(step, aspect, old.get(aspect), new.get(aspect)))
    return found


@pytest.fixture(scope="module")
def observations() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The scenario's observations under boto 2.49, then under dynamodb2."""
    return run_scenario("boto2"), run_scenario("dynamodb2")


def test_scenario_runs_every_step_under_both(
    observations: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
) -> None:
    boto2, dynamodb2 = observations
    assert len(boto2) >= 90
    assert list(boto2) == list(dynamodb2)
    bad_input = [step for step in boto2 if step.startswith("bad.")]
    assert len(bad_input) >= 10
    # The reference refuses each kind of bad input (boto 2 itself, or DynamoDB behind it).
    assert all("error" in boto2[step] for step in bad_input), [
        step for step in bad_input if "error" not in boto2[step]
    ]


def test_dynamodb2_matches_boto2_on_every_step_but_the_allowed_differences(
    observations: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
) -> None:
    boto2, dynamodb2 = observations
    differences = compare(boto2, dynamodb2)
    unexpected = [d for d in differences if (d.step, d.aspect) not in ALLOWED_DIFFERENCES]
    assert not unexpected, (
        f"{len(unexpected)} differences from boto 2.49 not in ALLOWED_DIFFERENCES:\n"
        + "\n".join(map(str, unexpected))
    )


def test_every_allowed_difference_still_differs(
    observations: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
) -> None:
    """An allowed difference that disappears must leave the list."""
    boto2, dynamodb2 = observations
    seen = {(d.step, d.aspect) for d in compare(boto2, dynamodb2)}
    assert not set(ALLOWED_DIFFERENCES) - seen, sorted(set(ALLOWED_DIFFERENCES) - seen)
