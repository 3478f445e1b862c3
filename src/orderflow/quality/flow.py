"""The inspection's lifecycle and the pure rules of judging a lot and routing what was found.

    pending ──record──▶ passed / failed ──reinspect (after rework)──▶ pending
       └──cancel──▶ cancelled

J2, as the rulebook has it (§订单处理业务流程和管理标准 二.5): an inspector's finding is
routed at once (the rulebook gives 20 minutes) by where it comes from —

* our own production, reworkable → the operator reworks it (and their leader is told);
* another company's work → the inspector's head, who coordinates within 30 minutes;
* purchased material → the buyer; but a batch pass rate under 95 % or a serious problem
  (wrong spec or model, missing parts, bad appearance, quantity not as the delivery note)
  goes straight to the quality and procurement heads;
* design, or what the inspector cannot judge → the head (30 minutes), then the general
  manager if the head cannot settle it.

Who gets each route and by when is in the policy's task rules for exception slips.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.workflow import DERIVED, Lifecycle, step
from orderflow.policy.loader import INSPECTION_STAGES

PENDING, PASSED, FAILED, CANCELLED = "pending", "passed", "failed", "cancelled"
STATES = (PENDING, PASSED, FAILED, CANCELLED)
#: Declared beside the policy, whose per-stage sampling levels are checked against them.
STAGES = INSPECTION_STAGES

CATEGORIES = ("internal", "other_company", "purchased", "design", "undetermined")
SEVERITIES = ("minor", "major", "critical")

#: The route each source of a finding takes (names the policy's task rules open on).
INTERNAL_REWORK = "internal_rework"
OTHER_COMPANY = "other_company"
PURCHASED_MATERIAL = "purchased_material"
BATCH_HEADS = "batch_heads"
DESIGN = "design"

INSPECTORS = frozenset({Role.QUALITY, Role.QUALITY_MANAGER, Role.ADMIN})


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Finding(_Fields):
    #: Where it comes from: internal, other_company, purchased, design, undetermined.
    category: Literal["internal", "other_company", "purchased", "design", "undetermined"] | None = (
        None
    )
    #: A defect kind of the policy (spec_mismatch, missing_parts, appearance…).
    defect: str = Field(min_length=1, max_length=40)
    severity: Literal["minor", "major", "critical"] = "major"
    quantity: int = Field(default=1, ge=1)
    note: str = Field(default="", max_length=1000)


class RecordFields(_Fields):
    #: Units actually inspected (default: the plan's sample).
    inspected: int | None = Field(default=None, ge=1)
    #: Defective units among them.
    defective: int = Field(ge=0)
    findings: list[Finding] = []
    #: After sorting a failed lot: how many of the lot are rejected (default: all of a
    #: failed lot, none of a passed one).
    rejected_quantity: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=4)
    #: A final inspection answers for each customer standard (J4).
    quality_standard_met: bool | None = None
    shipping_standard_met: bool | None = None
    note: str = Field(default="", max_length=4000)


class ReinspectFields(_Fields):
    #: The reworked lot (default: the lot as it was).
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    note: str = Field(default="", max_length=1000)


class CancelFields(_Fields):
    reason: str = Field(min_length=1, max_length=1000)


def make_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="inspection",
        states=STATES,
        initial=PENDING,
        transitions={
            "record": step("record", [PENDING], DERIVED, INSPECTORS, fields=RecordFields),
            "reinspect": step("reinspect", [FAILED], PENDING, INSPECTORS, fields=ReinspectFields),
            "cancel": step(
                "cancel",
                [PENDING],
                CANCELLED,
                {Role.QUALITY_MANAGER, Role.ADMIN},
                fields=CancelFields,
                needs_reason=True,
            ),
        },
    )


def pass_rate(inspected: int, defective: int) -> Decimal:
    """Share of good units in the sample, 4 decimals (0.9400 is 94 %)."""
    return (Decimal(inspected - defective) / inspected).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Verdict:
    passed: bool
    pass_rate: Decimal
    #: Why not, in words, when failed.
    because: tuple[str, ...] = ()


def judge(
    *,
    inspected: int,
    defective: int,
    accept_number: int,
    findings: Iterable[Finding],
    standards_met: Iterable[bool] = (),
) -> Verdict:
    """A lot passes when its sample has no more defectives than the plan accepts, nothing
    critical was found, and (final inspection) every customer standard is met."""
    because = []
    if defective > accept_number:
        because.append(f"{defective} defective, the plan accepts {accept_number}")
    if any(f.severity == "critical" for f in findings):
        because.append("a critical defect")
    if not all(standards_met):
        because.append("a customer standard is not met")
    return Verdict(not because, pass_rate(inspected, defective), tuple(because))


def route(
    findings: Iterable[Finding],
    *,
    stage: str,
    batch_pass_rate: Decimal,
    threshold: Decimal,
    serious_defects: Iterable[str],
) -> list[str]:
    """J2: where each finding goes, in the order the rulebook lists them (no duplicates)."""
    serious = set(serious_defects)
    default = "purchased" if stage == "incoming" else "internal"
    routes: list[str] = []
    for finding in findings:
        category = finding.category or default
        if category == "internal":
            target = INTERNAL_REWORK
        elif category == "other_company":
            target = OTHER_COMPANY
        elif category == "purchased":
            grave = (
                batch_pass_rate < threshold
                or finding.defect in serious
                or finding.severity == "critical"
            )
            target = BATCH_HEADS if grave else PURCHASED_MATERIAL
        else:  # design, undetermined
            target = DESIGN
        if target not in routes:
            routes.append(target)
    # Once a batch goes to the heads, the buyer's own route is the same matter.
    if BATCH_HEADS in routes and PURCHASED_MATERIAL in routes:
        routes.remove(PURCHASED_MATERIAL)
    return routes
