"""What cancelling a stock-up notice does to its order (B9), as a pure rule."""

from __future__ import annotations

import pytest

from orderflow.stockup.flow import CancelOutcome, cancel_outcome


@pytest.mark.parametrize(
    ("effective_by", "ours", "contract", "expected"),
    [
        ("stock_up", True, False, CancelOutcome(True, False)),  # the notice alone: taken back
        ("stock_up", True, True, CancelOutcome(False, True)),  # the contract stands behind it
        ("stock_up", False, False, CancelOutcome(False, False)),  # another notice did it
        ("contract", False, True, CancelOutcome(False, False)),  # effective by contract
        (None, False, False, CancelOutcome(False, False)),  # not effective at all
    ],
)
def test_only_the_notice_that_made_the_order_effective_takes_it_back(
    effective_by: str | None, ours: bool, contract: bool, expected: CancelOutcome
) -> None:
    assert (
        cancel_outcome(
            effective_by=effective_by, made_effective_by_this=ours, contract_effective=contract
        )
        == expected
    )
