"""boto.dynamodb.types's helpers on many values, as plain boto 2 code: run under boto 2.49
and under dynamodb2's shim by tests/compat/test_boto2_types_helpers.py, which compares
the two outputs. Writes ``{case: repr of the result, or the exception's class}``."""

import json
import sys
from decimal import Decimal

from boto.dynamodb import types

VALUES = [
    None,
    True,
    False,
    0,
    7,
    -3,
    1.5,
    Decimal("1.50"),
    "",
    "text",
    b"",
    b"\x00\xff",
    types.Binary(b"ab"),
    set(),
    {1, 2},
    {"a", "b"},
    {b"x"},
    {1, "a"},
    frozenset({3}),
    [1, "a"],
    {"k": 1},
    object(),
    int,
    str,
    float,
]
# Floats boto 2 converted on a first call (see the test's docstring for the others).
FLOATS = [0.5, 2.0, -3.25, 1e20, 0.1875, 123456.75]
TEXTS = ["3", "-12", "1.5", "0.25", "1e5"]


def attempt(function, *args):
    try:
        result = function(*args)
    except Exception as error:  # the class is what the caller meets
        return f"raises {type(error).__name__}"
    if isinstance(result, (set, frozenset)):
        return f"{type(result).__name__}{sorted(map(repr, result))}"
    if isinstance(result, dict):
        return repr(
            {
                key: sorted(value) if isinstance(value, list) else value
                for key, value in sorted(result.items())
            }
        )
    shown = repr(result)
    if " at 0x" in shown or (isinstance(result, str) and result.startswith("{")):
        return f"{type(result).__name__} (printed as a {type(result).__name__})"
    return f"{type(result).__name__} {shown}"


def name(value):
    """A label the same in every process (sets print in hash order, objects by address)."""
    if type(value) is object:
        return "object()"
    if isinstance(value, (set, frozenset)):
        return f"{type(value).__name__}{sorted(map(repr, value))}"
    return repr(value)


observed = {}
for value in VALUES:
    label = name(value)
    observed[f"is_num {label}"] = attempt(types.is_num, value)
    observed[f"is_num no-bool {label}"] = attempt(types.is_num, value, False)
    observed[f"is_str {label}"] = attempt(types.is_str, value)
    observed[f"is_binary {label}"] = attempt(types.is_binary, value)
    observed[f"get_dynamodb_type {label}"] = attempt(types.get_dynamodb_type, value)
    observed[f"get_dynamodb_type no-bool {label}"] = attempt(types.get_dynamodb_type, value, False)
    observed[f"dynamize_value {label}"] = attempt(types.dynamize_value, value)
    observed[f"serialize_num {label}"] = attempt(types.serialize_num, value)
for value in FLOATS:
    observed[f"float_to_decimal {value!r}"] = attempt(types.float_to_decimal, value)
for text in TEXTS:
    observed[f"convert_num {text}"] = attempt(types.convert_num, text)
observed["convert_binary"] = attempt(types.convert_binary, "AAH/")
for attr in (
    {"S": "x"},
    {"N": "2"},
    {"N": "2.5"},
    {"SS": ["a"]},
    {"NS": ["1", "2.5"]},
    {"B": "YWI="},
    {"BS": ["YWI="]},
    {"BOOL": True},
    {"a": 1, "b": 2},
    {},
):
    observed[f"item_object_hook {attr!r}"] = attempt(types.item_object_hook, attr)
lossy = types.LossyFloatDynamizer()
for value in (1.5, 3, True, {1, 2.5}, Decimal("2.25"), "s"):
    observed[f"LossyFloatDynamizer.encode {value!r}"] = attempt(lossy.encode, value)
for attr in ({"N": "1.5"}, {"N": "3"}, {"NS": ["1", "2.5"]}, {"S": "s"}, {"BOOL": True}):
    observed[f"LossyFloatDynamizer.decode {attr!r}"] = attempt(lossy.decode, attr)
context = types.DYNAMODB_CONTEXT
observed["DYNAMODB_CONTEXT"] = repr((context.prec, context.Emin, context.Emax))

with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(observed, out, indent=1, sort_keys=True)
