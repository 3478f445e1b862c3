"""The review's lifecycle and its pure rules (C2-C5).

open ──sign_off / object (each department)──▶ open
 │  └─object on the date / production cycle──▶ negotiating ──request_extension──▶ (same)
 │                       customer_accepts ◀──┘        │
 │  (back to open, the objection settled)     customer_refuses
 │                                                     ▼
 ├──request_decline──────────────────────────▶ decline_requested ──approve_decline (GM)──▶ declined
 │                                                     └──resume_negotiation──▶ negotiating
 ├──approve (every department agrees; meeting held if above the threshold)──▶ passed
 └──withdraw──▶ withdrawn
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orderflow.auth.roles import Role
from orderflow.core.errors import FieldError, PermissionDenied, ValidationFailed
from orderflow.core.workflow import DERIVED, Lifecycle, step

OPEN, NEGOTIATING, DECLINE_REQUESTED = "open", "negotiating", "decline_requested"
PASSED, DECLINED, WITHDRAWN = "passed", "declined", "withdrawn"
STATES = (OPEN, NEGOTIATING, DECLINE_REQUESTED, PASSED, DECLINED, WITHDRAWN)

PENDING, APPROVED, OBJECTED = "pending", "approved", "objected"
Topic = Literal["delivery_date", "price", "production_cycle", "risk", "compliance"]
#: Objections a new date can settle: they send the review to negotiation with the customer.
DATE_TOPICS = frozenset({"delivery_date", "production_cycle"})

#: Every role a routing may name; the effect checks the caller is routed on this review.
REVIEWER_ROLES = frozenset(
    {
        Role.SALES_CLERK,
        Role.PRODUCTION,
        Role.PRODUCTION_MANAGER,
        Role.MATERIALS_CONTROL,
        Role.TECHNICAL,
        Role.TECHNICAL_MANAGER,
        Role.FINANCE,
        Role.FINANCE_MANAGER,
        Role.PLANNER,
        Role.ADMIN,
    }
)
_SELLERS = frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN})
_MANAGERS = frozenset({Role.ORDER_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})
_GM = frozenset({Role.GENERAL_MANAGER, Role.ADMIN})


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignOffFields(_Fields):
    #: The department signing, when the caller holds more than one routed role.
    role: str | None = None
    #: Topics checked and found in order; omitted: all of them.
    checked: list[Topic] | None = None
    comment: str = Field(default="", max_length=2000)


class ObjectFields(_Fields):
    role: str | None = None
    topic: Topic
    reason: str = Field(min_length=1, max_length=2000)
    #: For the date or the production cycle: the date this department can meet.
    feasible_date: date | None = None


class ExtensionFields(_Fields):
    proposed_date: date
    message: str = Field(default="", max_length=2000)


class AcceptFields(_Fields):
    agreed_date: date
    note: str = Field(default="", max_length=2000)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


class MeetingFields(_Fields):
    attendees: list[str] = Field(min_length=2, max_length=40)
    minutes: str = Field(min_length=1, max_length=8000)
    decisions: str = Field(min_length=1, max_length=4000)
    held_on: date | None = None

    @field_validator("attendees")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        cleaned = [n.strip() for n in names if n.strip()]
        if len(cleaned) < 2:
            raise ValueError("a meeting has at least two attendees")
        return cleaned


class ApproveFields(_Fields):
    comment: str = Field(default="", max_length=2000)


# --- pure rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpinionFacts:
    role: str
    state: str
    topic: str | None = None
    feasible_date: date | None = None
    resolved: bool = False


def pick_role(routed: Iterable[str], caller_roles: Iterable[str], asked: str | None) -> str:
    """The department the caller signs for: the one asked, or their only routed role."""
    mine = [r for r in routed if r in set(caller_roles)]
    if asked is not None:
        if asked not in mine:
            raise ValidationFailed.of(
                [
                    FieldError(
                        "role", f"You do not review for {asked!r} on this review", "not_routed"
                    )
                ]
            )
        return asked
    if not mine:
        raise PermissionDenied("None of your departments is asked to review this order")
    if len(mine) > 1:
        raise ValidationFailed.of(
            [FieldError("role", f"Say which department you sign for: {mine}", "ambiguous_role")]
        )
    return mine[0]


def all_agreed(opinions: Sequence[OpinionFacts]) -> bool:
    """Every department approved, or objected only on a date the customer then accepted."""
    return bool(opinions) and all(
        o.state == APPROVED or (o.state == OBJECTED and o.resolved) for o in opinions
    )


def approval_blockers(
    opinions: Sequence[OpinionFacts], *, meeting_needed: bool, meeting_held: bool
) -> list[str]:
    """Why the review cannot be approved yet (empty: it can)."""
    out = [
        f"{o.role}: {'no answer yet' if o.state == PENDING else 'objects on ' + str(o.topic)}"
        for o in opinions
        if not (o.state == APPROVED or (o.state == OBJECTED and o.resolved))
    ]
    if meeting_needed and not meeting_held:
        out.append("the review meeting (technical briefing) is not recorded yet")
    return out


def latest_feasible(opinions: Sequence[OpinionFacts]) -> date | None:
    """The latest date any unresolved date objection says is feasible."""
    dates = [
        o.feasible_date
        for o in opinions
        if o.state == OBJECTED and not o.resolved and o.topic in DATE_TOPICS and o.feasible_date
    ]
    return max(dates) if dates else None


def open_date_objections(opinions: Sequence[OpinionFacts]) -> bool:
    return any(o.state == OBJECTED and not o.resolved and o.topic in DATE_TOPICS for o in opinions)


def make_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="order_review",
        states=STATES,
        initial=OPEN,
        transitions={
            # Departments go on answering while the date is negotiated with the customer.
            "sign_off": step(
                "sign_off", [OPEN, NEGOTIATING], DERIVED, REVIEWER_ROLES, fields=SignOffFields
            ),
            "object": step(
                "object",
                [OPEN, NEGOTIATING],
                DERIVED,
                REVIEWER_ROLES,
                fields=ObjectFields,
                needs_reason=True,
            ),
            "record_meeting": step(
                "record_meeting",
                [OPEN, NEGOTIATING],
                DERIVED,
                _MANAGERS | {Role.SALES_CLERK, Role.PLANNER},
                fields=MeetingFields,
            ),
            "request_extension": step(
                "request_extension", [NEGOTIATING], NEGOTIATING, _SELLERS, fields=ExtensionFields
            ),
            "customer_accepts": step(
                "customer_accepts", [NEGOTIATING], DERIVED, _SELLERS, fields=AcceptFields
            ),
            "customer_refuses": step(
                "customer_refuses",
                [NEGOTIATING],
                DECLINE_REQUESTED,
                _SELLERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
            "request_decline": step(
                "request_decline",
                [OPEN, NEGOTIATING],
                DECLINE_REQUESTED,
                _SELLERS | _MANAGERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
            "approve_decline": step(
                "approve_decline",
                [DECLINE_REQUESTED],
                DECLINED,
                _GM,
                fields=ReasonFields,
                needs_reason=True,
            ),
            "resume_negotiation": step(
                "resume_negotiation",
                [DECLINE_REQUESTED],
                NEGOTIATING,
                _GM,
                fields=ReasonFields,
                needs_reason=True,
            ),
            "approve": step("approve", [OPEN], PASSED, _MANAGERS, fields=ApproveFields),
            "withdraw": step(
                "withdraw",
                [OPEN, NEGOTIATING, DECLINE_REQUESTED],
                WITHDRAWN,
                _MANAGERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
