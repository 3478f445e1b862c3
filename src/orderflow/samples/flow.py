"""Lifecycles of samples (E10) and tech packs (E11), and the first-pass rate.

Sample request (打样单):

    requested ──start──▶ making ──submit──▶ submitted ──approve──▶ approved
                           ▲                    │
                           └──────reject────────┘  (the next round)

Tech pack (工艺单), checked against the approved sample:

    draft ──check──▶ checked            (fabric width, pattern, process all match)
      ▲        └───▶ mismatch ──confirm_change (sales and purchasing)──┘
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.workflow import DERIVED, Lifecycle, step

REQUESTED, MAKING, SUBMITTED, APPROVED, CANCELLED = (
    "requested",
    "making",
    "submitted",
    "approved",
    "cancelled",
)
SAMPLE_STATES = (REQUESTED, MAKING, SUBMITTED, APPROVED, CANCELLED)
DRAFT, CHECKED, MISMATCH = "draft", "checked", "mismatch"
PACK_STATES = (DRAFT, CHECKED, MISMATCH, CANCELLED)

_TECHNICAL = {Role.TECHNICAL, Role.TECHNICAL_MANAGER, Role.ADMIN}
_SALES = {Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}
CONFIRMERS = {
    "sales": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER}),
    "purchasing": frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER}),
}


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubmitFields(_Fields):
    note: str = Field(default="", max_length=2000)
    #: Reference standard minutes per operation (工时, §技术部 2.3.1).
    standard_minutes: str = Field(default="", max_length=4000)


class NoteFields(_Fields):
    note: str = Field(default="", max_length=2000)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


class CheckFields(_Fields):
    """§技术部 2.4.1: fabric width, pattern and process as in the sample?"""

    width_matches: bool
    pattern_matches: bool
    process_matches: bool
    note: str = Field(default="", max_length=2000)


class ConfirmChangeFields(_Fields):
    department: Literal["sales", "purchasing"] | None = None
    fabric_width: str | None = Field(default=None, max_length=60)
    pattern: str | None = Field(default=None, max_length=120)
    process: str | None = Field(default=None, max_length=4000)
    note: str = Field(default="", max_length=2000)


def mismatches(fields: CheckFields) -> list[str]:
    return [
        name
        for name, ok in (
            ("fabric_width", fields.width_matches),
            ("pattern", fields.pattern_matches),
            ("process", fields.process_matches),
        )
        if not ok
    ]


def first_pass_rate(approved_rounds: Iterable[int]) -> Decimal | None:
    """样品制作一次性通过率: the share of approved samples approved in their first round."""
    rounds = list(approved_rounds)
    if not rounds:
        return None
    first = sum(1 for r in rounds if r == 1)
    return (Decimal(first) / len(rounds)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def sample_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="sample_request",
        states=SAMPLE_STATES,
        initial=REQUESTED,
        transitions={
            "start": step("start", [REQUESTED], MAKING, _TECHNICAL),
            "submit": step("submit", [MAKING], SUBMITTED, _TECHNICAL, fields=SubmitFields),
            "approve": step("approve", [SUBMITTED], APPROVED, _SALES, fields=NoteFields),
            "reject": step(
                "reject", [SUBMITTED], MAKING, _SALES, fields=ReasonFields, needs_reason=True
            ),
            "cancel": step(
                "cancel",
                [REQUESTED, MAKING, SUBMITTED],
                CANCELLED,
                _SALES,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )


def pack_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="tech_pack",
        states=PACK_STATES,
        initial=DRAFT,
        transitions={
            "check": step("check", [DRAFT], DERIVED, _TECHNICAL, fields=CheckFields),
            "confirm_change": step(
                "confirm_change",
                [MISMATCH],
                DERIVED,
                set().union(*CONFIRMERS.values()) | {Role.ADMIN},
                fields=ConfirmChangeFields,
            ),
            "cancel": step(
                "cancel",
                [DRAFT, MISMATCH],
                CANCELLED,
                _TECHNICAL | _SALES,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
