"""The stock-up notice's lifecycle and rules (B9).

    issued ──cancel (reason)──▶ cancelled

Issuing makes the order effective at once (the fact ``order_effective`` opens the planner's
production instruction task, as a verified deposit does). Cancelling takes that back only
if the notice was what made the order effective and production has not been released on
it yet; once a contract made the order effective too, the order stays effective.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.workflow import Lifecycle, step

ISSUED, CANCELLED = "issued", "cancelled"
STATES = (ISSUED, CANCELLED)

#: Marketing headquarters and the production division issue and cancel them (B9).
ISSUERS = PERMISSIONS["stock_up.issue"]


class CancelFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=2000)


@dataclass(frozen=True)
class CancelOutcome:
    """What cancelling a notice does to its order."""

    #: The order is no longer effective (its production instruction task closes).
    withdraw_effectiveness: bool
    #: The order stays effective, now on the strength of its contract.
    effective_by_contract: bool


def cancel_outcome(
    *, effective_by: str | None, made_effective_by_this: bool, contract_effective: bool
) -> CancelOutcome:
    """Only the notice that made the order effective can take that back, and not when a
    contract with a verified deposit stands behind the order as well."""
    ours = effective_by == "stock_up" and made_effective_by_this
    return CancelOutcome(
        withdraw_effectiveness=ours and not contract_effective,
        effective_by_contract=ours and contract_effective,
    )


def make_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="stock_up_notice",
        states=STATES,
        initial=ISSUED,
        transitions={
            "cancel": step(
                "cancel", [ISSUED], CANCELLED, ISSUERS, fields=CancelFields, needs_reason=True
            )
        },
    )
