"""The fast path for Decimals (no as_tuple()) accepts and refuses exactly what the full
check does: same wire text, same errors, for numbers around every limit."""

from __future__ import annotations

import re
from decimal import Decimal

import hypothesis.strategies as st
import pytest
from hypothesis import example, given

from dynamodb2.exceptions import DynamoDBNumberError
from dynamodb2.types import Dynamizer, _check_decimal

dynamizer = Dynamizer()

# Texts of 30 to 45 characters: around the fast path's 38-character bound.
digit_texts = st.builds(
    lambda sign, whole, fraction: f"{sign}{whole}{'.' + fraction if fraction else ''}",
    st.sampled_from(["", "-"]),
    st.text("0123456789", min_size=1, max_size=40),
    st.text("0123456789", max_size=12),
)
decimals = (
    st.decimals(allow_nan=True, allow_infinity=True)
    | digit_texts.map(Decimal)
    | st.builds(
        lambda m, e: Decimal(f"{m}E{e}"), st.integers(-(10**40), 10**40), st.integers(-140, 140)
    )
)


@given(decimals)
@example(Decimal("9" * 38))
@example(Decimal("9" * 39))
@example(Decimal("-" + "9" * 38))
@example(Decimal("0.0000001"))
@example(Decimal("1" + "0" * 40))
@example(Decimal("sNaN"))
def test_decimal_fast_path_agrees_with_the_full_check(number: Decimal) -> None:
    try:
        expected = {"N": _check_decimal(number, number)}
    except DynamoDBNumberError as error:
        with pytest.raises(DynamoDBNumberError, match=re.escape(str(error))):
            dynamizer.encode(number)
        return

    assert dynamizer.encode(number) == expected
    assert dynamizer.encode({number}) == {"NS": [expected["N"]]}
    assert dynamizer.encode_item({"n": number}) == {"n": expected}
