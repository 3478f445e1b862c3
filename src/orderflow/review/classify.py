"""Classifying an order (C1) and deciding whether it must be reviewed (C2, C5, C7).

Pure rules over plain facts, so the intake path pays nothing for a database and the rules
are tested in microseconds.

- Non-regular (非常规): custom design, a discontinued product, quality beyond the standard,
  a tight date with a late penalty (§订单处理业务流程和管理标准).
- Special (特殊): an export customer, or an urgent date with a late penalty
  (§订单管理制度流程 一).
- Project (工程项目/成套): routed to finance, production and technical.
- Rush (赶货, §业务流程 1.1.3): the requested date is shorter than the normal cycle: the
  customer is warned of risk and extra cost, and the order is reviewed.
- Above the meeting threshold (C5): a review meeting record before approval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from orderflow.core.calendar import BusinessCalendar
from orderflow.policy.loader import ClassificationPolicy, ReviewRouting

REGULAR, NON_REGULAR = "regular", "non_regular"
GENERAL, SPECIAL = "general", "special"
REGULARITIES = (REGULAR, NON_REGULAR)
CATEGORIES = (GENERAL, SPECIAL)

NON_REGULAR_REASONS = (
    "custom_design",
    "discontinued_product",
    "quality_beyond_standard",
    "tight_date_with_penalty",
)
SPECIAL_REASONS = ("export", "urgent_with_penalty")

# Review states kept on the sales order (the gate on confirmation reads them).
NOT_REQUIRED, IF_SHORT, REQUIRED = "not_required", "if_short", "required"
IN_REVIEW, PASSED, DECLINED = "in_review", "passed", "declined"
REVIEW_STATES = (NOT_REQUIRED, IF_SHORT, REQUIRED, IN_REVIEW, PASSED, DECLINED)


@dataclass(frozen=True)
class LineFacts:
    product_code: str
    quantity: Decimal
    lead_time_days: int
    active: bool = True
    #: Free stock when it was looked up; None: not known, the lead time counts.
    available: Decimal | None = None

    @property
    def covered(self) -> bool:
        return self.available is not None and self.available >= self.quantity


@dataclass(frozen=True)
class OrderFacts:
    lines: tuple[LineFacts, ...]
    today: date
    requested_date: date
    priority: str
    total: Decimal
    custom_design: bool = False
    late_penalty: bool = False
    quality_requirements: str = ""
    project_name: str = ""
    customer_region: str | None = None


@dataclass(frozen=True)
class Classification:
    regularity: str
    category: str
    project: bool
    rush: bool
    meeting: bool
    reasons: tuple[str, ...]


def add_working_days(calendar: BusinessCalendar, day: date, days: int) -> date:
    while days > 0:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day


def ready_date(lines: Iterable[LineFacts], today: date, calendar: BusinessCalendar) -> date:
    """The earliest date from stock and the products' standard lead times (working days):
    a line in stock is ready today; one that is not takes its lead time."""
    days = max((ln.lead_time_days for ln in lines if not ln.covered), default=0)
    return add_working_days(calendar, today, days)


def limiting_line(lines: Sequence[LineFacts]) -> LineFacts | None:
    short = [ln for ln in lines if not ln.covered and ln.lead_time_days > 0]
    return max(short, key=lambda ln: ln.lead_time_days) if short else None


def classify(
    facts: OrderFacts,
    *,
    rules: ClassificationPolicy,
    meeting_amount: Decimal,
    calendar: BusinessCalendar,
) -> Classification:
    reasons: list[str] = []
    tight = facts.requested_date < ready_date(facts.lines, facts.today, calendar)
    if facts.custom_design:
        reasons.append("custom_design")
    if any(not ln.active for ln in facts.lines):
        reasons.append("discontinued_product")
    if rules.quality_requirements_make_non_regular and facts.quality_requirements.strip():
        reasons.append("quality_beyond_standard")
    if tight and facts.late_penalty:
        reasons.append("tight_date_with_penalty")
    if facts.customer_region and facts.customer_region in rules.export_regions:
        reasons.append("export")
    if facts.late_penalty and (facts.priority == "urgent" or tight):
        reasons.append("urgent_with_penalty")
    project = bool(facts.project_name.strip())
    if project:
        reasons.append("project")
    if tight:
        reasons.append("rush")
    meeting = facts.total > meeting_amount
    if meeting:
        reasons.append("over_meeting_threshold")
    return Classification(
        regularity=NON_REGULAR if set(reasons) & set(NON_REGULAR_REASONS) else REGULAR,
        category=SPECIAL if set(reasons) & set(SPECIAL_REASONS) else GENERAL,
        project=project,
        rush=tight,
        meeting=meeting,
        reasons=tuple(reasons),
    )


def review_state_for(
    *, regularity: str, project: bool, rush: bool, meeting: bool, regular_orders: str
) -> str:
    """Whether the order must pass a review before it is confirmed.

    Non-regular, project, rush and above-threshold orders always; a regular order as the
    policy says: ``always``, ``when_short`` (only if it is to wait for stock: checked when
    it is confirmed) or ``automatic`` (the entry checks stand for the review).
    """
    if regularity == NON_REGULAR or project or rush or meeting or regular_orders == "always":
        return REQUIRED
    return IF_SHORT if regular_orders == "when_short" else NOT_REQUIRED


def routing_for(*, regularity: str, project: bool, routing: ReviewRouting) -> list[str]:
    """The departments that review: the regularity's list, plus the project list for a
    project order, each department once, in the policy's order."""
    roles = list(routing.non_regular if regularity == NON_REGULAR else routing.regular)
    if project:
        roles += routing.project
    return list(dict.fromkeys(roles))
