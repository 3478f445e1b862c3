"""Lifecycles and pure rules of production (E1–E5, E9, E13, F1, F5).

Production instruction (生产指令单), one per sales order:

    issued ──break_down──▶ broken_down ──close──▶ completed
       │   (record_meeting, reprioritise)   (object, answer_objection, milestone_done,
       │                                     notify_packing, follow_up, check_readiness,
       │                                     record_meeting, reprioritise)
       └──────────────cancel──────────────────────▶ cancelled

Production order, one per thing to make (a line, or a sub-assembly of it):

    released ──report──▶ in_progress ──report──▶ in_progress ──complete──▶ completed
        └─────────cancel───────┴──▶ cancelled                    (inspected)

A completed line of a sales order waits in the QC area for its final inspection
(``quality.final_inspection_on_completion``); the inspection reports back with
``inspected``: what passed goes into storage and is reserved for the order, what failed is
set aside in REJ (a reworked lot inspected again comes out of REJ).

Outsourcing request (外协): requested ──approve / reject / withdraw──▶ approved / rejected /
withdrawn; only the group GM approves (E9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.errors import FieldError, TransitionNotAllowed, ValidationFailed
from orderflow.core.workflow import DERIVED, Lifecycle, step

ISSUED, BROKEN_DOWN, COMPLETED, CANCELLED = "issued", "broken_down", "completed", "cancelled"
INSTRUCTION_STATES = (ISSUED, BROKEN_DOWN, COMPLETED, CANCELLED)
RELEASED, IN_PROGRESS = "released", "in_progress"
ORDER_STATES = (RELEASED, IN_PROGRESS, COMPLETED, CANCELLED)
REQUESTED, APPROVED, REJECTED, WITHDRAWN = "requested", "approved", "rejected", "withdrawn"
OUTSOURCING_STATES = (REQUESTED, APPROVED, REJECTED, WITHDRAWN)

#: The breakdown's items (E2) in the order they happen.
MILESTONES = (
    "design",
    "subcontracting",
    "purchasing",
    "assembly_start",
    "assembly_finish",
    "packing",
)
Milestone = Literal[
    "design", "subcontracting", "purchasing", "assembly_start", "assembly_finish", "packing"
]
#: Departments that may object to a planned time (E4).
OBJECTORS = frozenset(
    {
        Role.TECHNICAL,
        Role.TECHNICAL_MANAGER,
        Role.PROCUREMENT,
        Role.PROCUREMENT_MANAGER,
        Role.PRODUCTION,
        Role.QUALITY,
        Role.QUALITY_MANAGER,
        Role.WAREHOUSE,
        Role.LOGISTICS,
        Role.MATERIALS_CONTROL,
    }
)
#: Who may mark each milestone done.
MILESTONE_ROLES: dict[str, frozenset[str]] = {
    "design": frozenset({Role.TECHNICAL, Role.TECHNICAL_MANAGER}),
    "subcontracting": frozenset({Role.PRODUCTION_MANAGER, Role.PRODUCTION}),
    "purchasing": frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER, Role.MATERIALS_CONTROL}),
    "assembly_start": frozenset({Role.PRODUCTION, Role.PRODUCTION_MANAGER}),
    "assembly_finish": frozenset({Role.PRODUCTION, Role.PRODUCTION_MANAGER}),
    "packing": frozenset({Role.WAREHOUSE, Role.LOGISTICS, Role.PRODUCTION_MANAGER}),
}


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MilestoneIn(_Fields):
    kind: Milestone
    due_at: datetime


class BreakDownFields(_Fields):
    #: The date production commits to, at least the buffer before the due date (E1);
    #: omitted: the latest date that keeps the buffer.
    confirmed_date: date | None = None
    #: Override the proposed due times of some items (the rest come from the plan).
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=len(MILESTONES))
    #: Leave out the design item (a regular product needs none).
    without: list[Milestone] = Field(default_factory=list)
    note: str = Field(default="", max_length=2000)


class MeetingFields(_Fields):
    held_on: date
    attendees: str = Field(min_length=1, max_length=400)
    decisions: str = Field(min_length=1, max_length=4000)


class ObjectFields(_Fields):
    milestone: Milestone
    proposed_at: datetime | None = None
    reason: str = Field(min_length=1, max_length=2000)


class AnswerFields(_Fields):
    objection_id: int
    accept: bool
    answer: str = Field(min_length=1, max_length=2000)
    #: When accepted: the item's new due time (default: the one proposed).
    new_due_at: datetime | None = None


class ReprioritiseFields(_Fields):
    priority: Literal["normal", "special", "urgent"]
    #: The new committed date; a later one goes back to sales and the customer (E5).
    confirmed_date: date | None = None
    reason: str = Field(min_length=1, max_length=2000)


class MilestoneDoneFields(_Fields):
    milestone: Milestone
    note: str = Field(default="", max_length=400)


class PackingFields(_Fields):
    note: str = Field(default="", max_length=400)


class FollowUpFields(_Fields):
    on_track: bool
    note: str = Field(default="", max_length=2000)


class ReadinessFields(_Fields):
    """F1: people, machines, materials, subcontracting, purchasing, design ready?"""

    people: bool
    machines: bool
    materials: bool
    subcontracting: bool
    purchasing: bool
    design: bool
    note: str = Field(default="", max_length=2000)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


class ReportFields(_Fields):
    seq: int = Field(ge=1)
    good: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    scrap: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=4)
    note: str = Field(default="", max_length=400)


class CompleteFields(_Fields):
    #: What goes into stock: must equal the good quantity reported at the last operation.
    output_quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    warehouse_code: str | None = Field(default=None, max_length=20)


class IssueMaterialsFields(_Fields):
    """领料: the warehouse the order's materials are taken from (default: the first)."""

    warehouse_code: str | None = Field(default=None, max_length=20)


class InspectedFields(_Fields):
    """Reported by the final inspection of the order's output (not a step taken by hand)."""

    accepted: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    rejected: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    inspection: str = Field(min_length=1, max_length=32)


class SettleRejectsFields(_Fields):
    """What happens to finished goods held in REJ after failing final inspection: scrapped
    (报废), or accepted as they are by the quality head's concession (让步接收). Reworked
    goods go back through inspection instead (``reinspect`` on the inspection)."""

    action: Literal["scrap", "concession"]
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    note: str = Field(default="", max_length=1000)


class OutsourcingDecision(_Fields):
    note: str = Field(default="", max_length=2000)


# --- pure rules ---------------------------------------------------------------------------


def latest_confirmable(due: date, buffer_days: int, is_working_day: Callable[[date], bool]) -> date:
    """E1: production confirms a date at least ``buffer_days`` working days before the due
    date (至少预留一天作为调整期)."""
    day, left = due, buffer_days
    while left > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def check_confirmed_date(confirmed: date, latest: date, today: date) -> None:
    if confirmed > latest:
        raise ValidationFailed.of(
            [
                FieldError(
                    "confirmed_date",
                    f"Keep the buffer: confirm {latest.isoformat()} or earlier",
                    "no_buffer",
                )
            ]
        )
    if confirmed < today:
        raise ValidationFailed.of(
            [FieldError("confirmed_date", "The date is in the past", "past_date")]
        )


@dataclass(frozen=True)
class PlanTimes:
    """What the latest plan says about an order, for proposing the breakdown."""

    start: datetime | None
    finish: datetime | None
    sub_finish: datetime | None
    materials_ready: datetime | None


def propose_milestones(
    times: PlanTimes,
    *,
    confirmed_end: datetime,
    needs_design: bool,
    has_subassemblies: bool,
    buys_material: bool,
    day_before: Callable[[datetime], datetime],
) -> dict[str, datetime]:
    """Due times for the breakdown's items (E2), from the plan where it has them and
    counted back from the committed date where it does not."""
    finish = times.finish or day_before(confirmed_end)
    start = times.start or day_before(finish)
    out: dict[str, datetime] = {}
    if needs_design:
        out["design"] = day_before(start)
    if has_subassemblies:
        out["subcontracting"] = times.sub_finish or start
    if buys_material:
        out["purchasing"] = times.materials_ready or day_before(start)
    out["assembly_start"] = start
    out["assembly_finish"] = finish
    out["packing"] = max(confirmed_end, finish)
    return out


def end_of_day(day: date, periods: Sequence[tuple[time, time]], zone: object) -> datetime:
    return datetime.combine(day, periods[-1][1], zone)  # type: ignore[arg-type]


@dataclass(frozen=True)
class OpState:
    seq: int
    good: Decimal
    scrap: Decimal


def check_report(ops: Sequence[OpState], quantity: Decimal, fields: ReportFields) -> None:
    """E13: an operation cannot pass on more than reached it — the operation before it
    passed on (the first: the order's quantity) — good and scrap together."""
    ordered = sorted(ops, key=lambda o: o.seq)
    index = next((i for i, o in enumerate(ordered) if o.seq == fields.seq), None)
    if index is None:
        raise ValidationFailed.of(
            [FieldError("seq", f"No operation {fields.seq} on this order", "unknown_operation")]
        )
    if fields.good == 0 and fields.scrap == 0:
        raise ValidationFailed.of([FieldError("good", "Report a quantity", "missing")])
    op = ordered[index]
    came_in = quantity if index == 0 else ordered[index - 1].good
    after = op.good + op.scrap + fields.good + fields.scrap
    if after > came_in:
        raise ValidationFailed.of(
            [
                FieldError(
                    "good",
                    f"Only {came_in.normalize():f} reached operation {op.seq}; "
                    f"{(op.good + op.scrap).normalize():f} already reported",
                    "more_than_received",
                )
            ]
        )


def check_completion(ops: Sequence[OpState], output: Decimal) -> None:
    """E13: at completion the output put into stock is what the last operation passed."""
    if not ops:
        return
    last = max(ops, key=lambda o: o.seq)
    if output != last.good:
        raise ValidationFailed.of(
            [
                FieldError(
                    "output_quantity",
                    f"The last operation ({last.seq}) reported {last.good.normalize():f} good; "
                    "output must match it",
                    "not_reconciled",
                )
            ]
        )


@dataclass(frozen=True)
class PutAway:
    """Where an inspected lot of finished goods goes: QC → MAIN and QC → REJ for the part
    still waiting, REJ → MAIN for a reworked part that passed when inspected again."""

    qc_to_main: Decimal
    qc_to_rej: Decimal
    rej_to_main: Decimal


def not_issued(doc: Any, fields: Any) -> None:
    """A production order's materials are issued once."""
    if getattr(doc, "materials_issued_at", None) is not None:
        raise TransitionNotAllowed(
            f"{doc.number}'s materials were issued already", transition="issue_materials"
        )


#: Who may accept failed finished goods as they are (让步接收): the quality head.
CONCEDERS = frozenset({Role.QUALITY_MANAGER, Role.ADMIN})


def has_rejects(doc: Any, fields: Any) -> None:
    """``settle_rejects`` needs finished goods held in REJ after a final inspection."""
    if not getattr(doc, "rejected_quantity", 0):
        raise TransitionNotAllowed(
            f"{doc.number} holds no rejected goods", transition="settle_rejects"
        )


def settle_quantity(held: Decimal, asked: Decimal | None) -> Decimal:
    """How much of what is held in REJ a settlement takes: all of it unless a quantity is
    named, and never more than is held."""
    quantity = held if asked is None else asked
    if quantity > held:
        raise ValidationFailed.of(
            [FieldError("quantity", f"{held.normalize():f} are held as rejected", "over_rejected")]
        )
    return quantity


def put_away(
    *, waiting: Decimal, held_rejected: Decimal, accepted: Decimal, rejected: Decimal
) -> PutAway:
    """The lot is what waits in QC first, then what is held in REJ (a reinspection after
    rework); more than both is refused. What is rejected again from REJ stays there."""
    if accepted + rejected > waiting + held_rejected:
        raise ValidationFailed.of(
            [
                FieldError(
                    "accepted",
                    f"Only {waiting.normalize():f} wait for inspection and "
                    f"{held_rejected.normalize():f} are held as rejected",
                    "over_inspected",
                )
            ]
        )
    from_qc = min(accepted + rejected, waiting)
    qc_to_main = min(accepted, from_qc)
    return PutAway(qc_to_main, from_qc - qc_to_main, accepted - qc_to_main)


# --- lifecycles ---------------------------------------------------------------------------

_PLANNING = {Role.PRODUCTION_MANAGER, Role.PLANNER, Role.ADMIN}
_COORDINATORS = {
    Role.PRODUCTION_MANAGER,
    Role.PLANNER,
    Role.ORDER_MANAGER,
    Role.TECHNICAL_MANAGER,
    Role.PROCUREMENT_MANAGER,
    Role.ADMIN,
}
_ANY_MILESTONE = set().union(*MILESTONE_ROLES.values()) | {Role.ADMIN}


def instruction_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="production_instruction",
        states=INSTRUCTION_STATES,
        initial=ISSUED,
        transitions={
            "break_down": step(
                "break_down",
                [ISSUED],
                BROKEN_DOWN,
                {Role.PRODUCTION_MANAGER, Role.ADMIN},
                fields=BreakDownFields,
            ),
            "record_meeting": step(
                "record_meeting",
                [ISSUED, BROKEN_DOWN],
                DERIVED,
                _COORDINATORS,
                fields=MeetingFields,
            ),
            "object": step(
                "object",
                [BROKEN_DOWN],
                BROKEN_DOWN,
                OBJECTORS | {Role.ADMIN},
                fields=ObjectFields,
                needs_reason=True,
            ),
            "answer_objection": step(
                "answer_objection", [BROKEN_DOWN], BROKEN_DOWN, _PLANNING, fields=AnswerFields
            ),
            "reprioritise": step(
                "reprioritise",
                [ISSUED, BROKEN_DOWN],
                DERIVED,
                {Role.PRODUCTION_MANAGER, Role.ORDER_MANAGER, Role.ADMIN},
                fields=ReprioritiseFields,
                needs_reason=True,
            ),
            "milestone_done": step(
                "milestone_done",
                [BROKEN_DOWN],
                BROKEN_DOWN,
                _ANY_MILESTONE,
                fields=MilestoneDoneFields,
            ),
            "notify_packing": step(
                "notify_packing",
                [BROKEN_DOWN],
                BROKEN_DOWN,
                {Role.PRODUCTION_MANAGER, Role.PRODUCTION, Role.ADMIN},
                fields=PackingFields,
            ),
            "follow_up": step(
                "follow_up",
                [BROKEN_DOWN],
                BROKEN_DOWN,
                {Role.ORDER_MANAGER, Role.SALES_CLERK, Role.ADMIN},
                fields=FollowUpFields,
            ),
            "check_readiness": step(
                "check_readiness",
                [BROKEN_DOWN],
                BROKEN_DOWN,
                {Role.PRODUCTION_MANAGER, Role.ADMIN},
                fields=ReadinessFields,
            ),
            "close": step("close", [BROKEN_DOWN], COMPLETED, {Role.PRODUCTION_MANAGER, Role.ADMIN}),
            "cancel": step(
                "cancel",
                [ISSUED, BROKEN_DOWN],
                CANCELLED,
                {Role.PRODUCTION_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN},
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )


def order_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="production_order",
        states=ORDER_STATES,
        initial=RELEASED,
        transitions={
            "report": step(
                "report",
                [RELEASED, IN_PROGRESS],
                IN_PROGRESS,
                {Role.PRODUCTION, Role.PRODUCTION_MANAGER, Role.ADMIN},
                fields=ReportFields,
            ),
            "complete": step(
                "complete",
                [IN_PROGRESS],
                COMPLETED,
                {Role.PRODUCTION_MANAGER, Role.WAREHOUSE, Role.ADMIN},
                fields=CompleteFields,
            ),
            "issue_materials": step(
                "issue_materials",
                [RELEASED, IN_PROGRESS],
                DERIVED,
                {Role.WAREHOUSE, Role.PRODUCTION_MANAGER, Role.ADMIN},
                fields=IssueMaterialsFields,
                guard=not_issued,
            ),
            "inspected": step(
                "inspected",
                [COMPLETED],
                COMPLETED,
                {Role.QUALITY, Role.QUALITY_MANAGER, Role.ADMIN},
                fields=InspectedFields,
            ),
            "settle_rejects": step(
                "settle_rejects",
                [COMPLETED],
                COMPLETED,
                {Role.QUALITY_MANAGER, Role.PRODUCTION_MANAGER, Role.ADMIN},
                fields=SettleRejectsFields,
                guard=has_rejects,
            ),
            "cancel": step(
                "cancel",
                [RELEASED, IN_PROGRESS],
                CANCELLED,
                {Role.PRODUCTION_MANAGER, Role.PLANNER, Role.ADMIN},
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )


def outsourcing_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="outsourcing_request",
        states=OUTSOURCING_STATES,
        initial=REQUESTED,
        transitions={
            "approve": step(
                "approve",
                [REQUESTED],
                APPROVED,
                {Role.GROUP_GENERAL_MANAGER},
                fields=OutsourcingDecision,
            ),
            "reject": step(
                "reject",
                [REQUESTED],
                REJECTED,
                {Role.GROUP_GENERAL_MANAGER},
                fields=ReasonFields,
                needs_reason=True,
            ),
            "withdraw": step(
                "withdraw",
                [REQUESTED],
                WITHDRAWN,
                {Role.PRODUCTION_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN},
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
