"""Money on screen: cents in, dollars out, the sign in front of the dollar sign."""

from __future__ import annotations

import pytest

from app.ui.formatting import fmt_money


@pytest.mark.parametrize(
    ("cents", "shown"),
    [(None, ""), (0, "$0.00"), (5, "$0.05"), (123456789, "$1,234,567.89"), (-316900, "-$3,169.00")],
)
def test_fmt_money(cents: int | None, shown: str) -> None:
    assert fmt_money(cents) == shown
