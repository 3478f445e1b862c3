"""Load and validate the policy: shipped defaults, overridden key by key by a company file.

Validation happens once, at start, so a typo in a deadline stops the process with the
key's full path instead of surfacing weeks later when that deadline is first computed.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, time
from decimal import Decimal
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from orderflow.core.calendar import BusinessCalendar
from orderflow.core.durations import WorkDuration, parse_duration
from orderflow.core.errors import field_path
from orderflow.quality.sampling import LEVELS

PRIORITIES = ("normal", "special", "urgent")
_WORKING_DAYS = re.compile(r"\d+wd")
_COMPANY_COLUMN = re.compile(r"(?:[a-z][a-z0-9]*_)*company_id")

#: Due-time resolvers a task rule may name ("due = '@name'"): each is provided by the
#: lifecycle of the rule's document type and reads a time that document carries.
RESOLVERS = frozenset(
    {
        "@payment_terms",
        # planning and production (issue 4)
        "@breakdown_due",
        "@packing_notice",
        "@follow_up",
        "@readiness_check",
        "@planned_finish",
        "@sample_due",
        "@milestone_design",
        "@milestone_subcontracting",
        "@milestone_purchasing",
        "@milestone_assembly_start",
        "@milestone_assembly_finish",
        "@milestone_packing",
    }
)


class PolicyError(ValueError):
    """The policy file is wrong; the message names the key."""


def _duration(value: str) -> str:
    parse_duration(value)  # raises ValueError naming the text
    return value


#: A duration string checked where it stands, so an error names its exact key.
DurationText = Annotated[str, AfterValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PublishedYear(_Strict):
    holidays: list[date] = []
    workdays: list[date] = []


class CalendarPolicy(_Strict):
    timezone: str = "Asia/Shanghai"
    work_periods: list[str] = ["08:30-12:00", "13:30-17:30"]
    weekdays: list[int] = [1, 2, 3, 4, 5]
    published: dict[int, PublishedYear] = {}
    extra_holidays: list[date] = []
    extra_workdays: list[date] = []

    @field_validator("work_periods")
    @classmethod
    def _periods(cls, periods: list[str]) -> list[str]:
        parsed = [_parse_period(p) for p in periods]
        if not parsed:
            raise ValueError("at least one working period is needed")
        for (_, end), (start, _) in zip(parsed, parsed[1:], strict=False):
            if start < end:
                raise ValueError("working periods must be in order and not overlap")
        return periods

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, days: list[int]) -> list[int]:
        if not days or any(d < 1 or d > 7 for d in days):
            raise ValueError("weekdays are ISO numbers 1 (Monday) to 7 (Sunday)")
        return days

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {zone!r}") from exc
        return zone


def _parse_period(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a period like '08:30-12:00'") from exc
    if end <= start:
        raise ValueError(f"{text!r} ends before it starts")
    return start, end


class EscalationPolicy(_Strict):
    interval: DurationText = "2h"
    chains: dict[str, list[str]] = {}


class TaskRule(_Strict):
    kind: str
    document: str
    role: str
    open_on: list[str]
    close_on: list[str] = []
    #: Count ``due`` back from this date of the document ("due_date") instead of forward
    #: from the step: "5wd" is the close of the fifth working day before it, "0wd" the close
    #: of that day (or of the last working day before it). Never earlier than the step.
    anchor: str | None = None
    due: str | dict[str, str]
    chain: str | None = None
    #: The document's column naming the company whose task it is (whose people see it in
    #: "my tasks"). Most documents have one company; a transfer between the group's
    #: companies (调拨) belongs to the supplier, yet its receipt is the receiver's work:
    #: ``company = "to_company_id"``.
    company: str = "company_id"

    @field_validator("company")
    @classmethod
    def _company(cls, value: str) -> str:
        if not _COMPANY_COLUMN.fullmatch(value):
            raise ValueError(
                f"company names a company column of the document ('company_id', "
                f"'to_company_id'…), not {value!r}"
            )
        return value

    @field_validator("due")
    @classmethod
    def _due(cls, value: str | dict[str, str], info: ValidationInfo) -> str | dict[str, str]:
        if info.data.get("anchor"):
            if not (isinstance(value, str) and _WORKING_DAYS.fullmatch(value)):
                raise ValueError(
                    f"with an anchor, due is whole working days before it ('5wd', '0wd'), not {value!r}"
                )
            return value
        if isinstance(value, dict):
            missing = [p for p in PRIORITIES if p not in value]
            if missing:
                raise ValueError(f"a due table needs every priority; missing {missing}")
            for text in value.values():
                _duration(text)
        elif not value.startswith("@"):
            _duration(value)
        elif value not in RESOLVERS:
            raise ValueError(
                f"unknown due resolver {value!r}; known: {', '.join(sorted(RESOLVERS))}"
            )
        return value


class Thresholds(_Strict):
    review_meeting_amount: Decimal = Decimal("500000")
    batch_pass_rate: Decimal = Decimal("0.95")
    plan_achievement_daily: Decimal = Decimal("0.98")
    plan_achievement_weekly: Decimal = Decimal("0.95")
    plan_achievement_monthly: Decimal = Decimal("0.85")
    production_buffer_days: int = 1
    new_customer_credit_factor: Decimal = Decimal("0.5")


class PlanningPolicy(_Strict):
    """How plans are made (E6–E8): the solver, transfers, units, what release needs."""

    #: "auto": CP-SAT for plans up to ``solver_max_operations``, the heuristic above;
    #: "cp_sat" or "heuristic": always that one.
    solver: Literal["auto", "cp_sat", "heuristic"] = "auto"
    solver_max_operations: int = Field(default=600, ge=0, le=20_000)
    solver_time_limit_seconds: float = Field(default=5.0, gt=0, le=300)
    solver_workers: int = Field(default=2, ge=1, le=64)
    #: Calendar days a transfer between the group's companies takes (调拨).
    transfer_days: int = Field(default=2, ge=0, le=60)
    #: Units counted in whole pieces: requirements are rounded up to integers.
    whole_units: list[str] = [
        "pcs",
        "台",
        "套",
        "件",
        "个",
        "只",
        "把",
        "根",
        "支",
        "箱",
        "set",
        "unit",
    ]
    #: D4, B9: production is released only for an effective order (signed and deposit
    #: verified, or a stock-up notice).
    release_needs_effective_order: bool = True
    #: D2: production is released only for an order whose cost budget the GM approved.
    release_needs_cost_budget: bool = True
    #: E11: an order with a tech pack is released only once it matches the approved sample.
    release_needs_checked_tech_pack: bool = True


class NumberingPolicy(_Strict):
    #: Prefixes whose numbers never skip (a failed request gives its number back), at the
    #: cost of creators of that kind queueing on the counter until they commit. Invoices
    #: and payment receipts by default, as auditors expect; other documents take their
    #: number in a short transaction of its own and may skip one after a failure.
    gapless: list[str] = ["INV", "PAY"]


class ReviewRouting(_Strict):
    regular: list[str]
    non_regular: list[str]
    project: list[str]
    #: A change that moves the delivery date: the date is reviewed again (G2).
    date_change: list[str] = ["production", "materials_control"]


REVIEW_TOPICS = ("delivery_date", "price", "production_cycle", "risk", "compliance")


class ReviewPolicy(_Strict):
    routing: ReviewRouting
    #: automatic | when_short | always (see default.toml)
    regular_orders: Literal["automatic", "when_short", "always"] = "when_short"
    topics: list[Literal[REVIEW_TOPICS]] = list(REVIEW_TOPICS)  # type: ignore[valid-type]


class ClassificationPolicy(_Strict):
    export_regions: list[str] = ["Export"]
    quality_requirements_make_non_regular: bool = True


SURCHARGE_REASONS = (
    "custom_design",
    "discontinued_product",
    "quality_beyond_standard",
    "tight_date_with_penalty",
    "rush",
)


class QuotePolicy(_Strict):
    validity_days: int = Field(default=30, ge=1, le=365)
    surcharges: dict[Literal[SURCHARGE_REASONS], Decimal] = {}  # type: ignore[valid-type]

    @field_validator("surcharges")
    @classmethod
    def _shares(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for reason, share in value.items():
            if share < 0 or share > 5:
                raise ValueError(f"{reason}: a surcharge is a share of the list price, 0 to 5")
        return value


class ContractPolicy(_Strict):
    deposit_share: Decimal = Field(default=Decimal("0.30"), ge=0, le=1)
    file_to: list[str] = ["finance", "sales", "production", "procurement", "logistics"]
    structural_change_needs_supplementary: bool = True


class ChangesPolicy(_Strict):
    #: Departments (keys of ``auth.roles.DEPARTMENT_ROLES``) told of a design error (G4).
    design_error_notify: list[str] = Field(
        default=["production", "quality", "procurement"], min_length=1
    )

    @field_validator("design_error_notify")
    @classmethod
    def _departments(cls, value: list[str]) -> list[str]:
        from orderflow.auth.roles import DEPARTMENT_ROLES

        unknown = [d for d in value if d not in DEPARTMENT_ROLES]
        if unknown:
            raise ValueError(f"unknown departments {unknown}; known: {sorted(DEPARTMENT_ROLES)}")
        return value


class AssignmentRule(_Strict):
    #: Globs on product codes ("KG-*"); empty: any product.
    products: list[str] = []
    #: Customer regions; empty: any region.
    regions: list[str] = []
    #: Usernames of the people who may get the order.
    handlers: list[str] = Field(min_length=1)


class AssignmentPolicy(_Strict):
    role: str = "sales_clerk"
    reassign_clerk_orders: bool = False
    rules: list[AssignmentRule] = []


#: Acceptance quality limits with a GB/T 2828.1 plan in ``quality.sampling``.
SUPPORTED_AQL = ("0.65", "1.0", "1.5", "2.5", "4.0", "6.5")
INSPECTION_STAGES = ("incoming", "in_process", "final")


class ExceptionsPolicy(_Strict):
    """Exception slips (异常单, J3): liabilities, remedies per kind, who is told, KPI classes."""

    liabilities: list[str] = ["supplier", "internal", "customer"]
    #: kind → the remedies to choose from when deciding; a kind not listed takes free text.
    remedies: dict[str, list[str]] = {}
    #: kind → roles told (in the app) when a slip of that kind is raised, besides its owners.
    inform: dict[str, list[str]] = {}
    #: KPI class → the kinds counted in it (N2: quality and quantity exception counts).
    classes: dict[str, list[str]] = {}


class QualityPolicy(_Strict):
    """Inspections (J1, J2): the sampling level and what makes a finding serious."""

    #: Acceptance quality limit of the sampling plan (GB/T 2828.1, normal inspection).
    aql: str = "2.5"
    #: Inspection level (GB/T 2828.1 Table 1): general I, II, III or special S-1…S-4.
    level: str = "II"
    #: A stage's own level, e.g. ``final = "III"`` for a stricter final inspection.
    stage_levels: dict[str, str] = {}
    #: Defect kinds an inspector records.
    defect_kinds: list[str] = []
    #: Defects that go straight to the quality and procurement heads, whatever the pass rate.
    serious_defects: list[str] = []
    #: J2 route → roles told (in the app) besides those whose task it is.
    inform: dict[str, list[str]] = {}
    #: J1/I2: a finished order line goes into the QC area and waits for its final
    #: inspection before it is stock for the order; off, it goes straight into storage and
    #: is reserved at completion (a company without a quality station).
    final_inspection_on_completion: StrictBool = True

    @field_validator("aql")
    @classmethod
    def _aql(cls, value: str) -> str:
        if value not in SUPPORTED_AQL:
            raise ValueError(
                f"aql {value!r} has no sampling plan; use one of {list(SUPPORTED_AQL)}"
            )
        return value

    @field_validator("level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value not in LEVELS:
            raise ValueError(f"no inspection level {value!r}; use one of {list(LEVELS)}")
        return value

    @field_validator("stage_levels")
    @classmethod
    def _stage_levels(cls, value: dict[str, str]) -> dict[str, str]:
        for stage, level in value.items():
            if stage not in INSPECTION_STAGES:
                raise ValueError(f"no inspection stage {stage!r}; use {list(INSPECTION_STAGES)}")
            if level not in LEVELS:
                raise ValueError(f"{stage}: no inspection level {level!r}; use {list(LEVELS)}")
        return value

    def level_for(self, stage: str) -> str:
        return self.stage_levels.get(stage, self.level)

    @model_validator(mode="after")
    def _serious_are_kinds(self) -> QualityPolicy:
        unknown = set(self.serious_defects) - set(self.defect_kinds)
        if unknown:
            raise ValueError(f"serious_defects not in defect_kinds: {sorted(unknown)}")
        return self


class ProcurementPolicy(_Strict):
    """Purchasing (H1–H7, A5)."""

    #: Overage allowance (抛数) on a purchase line entered by hand when none is given.
    default_allowance: Decimal = Decimal("0")
    #: Refuse to submit a purchase while a group company holds the material free, unless
    #: the buyer says why a transfer will not do (A5: transfer before buying).
    transfer_first: bool = True


class Policy(_Strict):
    calendar: CalendarPolicy = CalendarPolicy()
    escalation: EscalationPolicy = EscalationPolicy()
    deadlines: dict[str, DurationText] = Field(default_factory=dict)
    thresholds: Thresholds = Thresholds()
    planning: PlanningPolicy = PlanningPolicy()
    numbering: NumberingPolicy = NumberingPolicy()
    review: ReviewPolicy
    classification: ClassificationPolicy = ClassificationPolicy()
    quotes: QuotePolicy = QuotePolicy()
    contracts: ContractPolicy = ContractPolicy()
    changes: ChangesPolicy = ChangesPolicy()
    assignment: AssignmentPolicy = AssignmentPolicy()
    tasks: list[TaskRule] = []
    exceptions: ExceptionsPolicy = ExceptionsPolicy()
    quality: QualityPolicy = QualityPolicy()
    procurement: ProcurementPolicy = ProcurementPolicy()

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @model_validator(mode="before")
    @classmethod
    def _named_deadlines(cls, raw: Any) -> Any:
        """A task's ``due = "deadlines.X"`` takes the duration of ``[deadlines] X``, so a
        company that changes a deadline changes every task counted by it."""
        if not isinstance(raw, dict):
            return raw
        deadlines = raw.get("deadlines") or {}
        tasks = []
        for i, rule in enumerate(raw.get("tasks") or []):
            due = rule.get("due") if isinstance(rule, dict) else None
            if isinstance(due, str) and due.startswith("deadlines."):
                name = due.removeprefix("deadlines.")
                if name not in deadlines:
                    raise ValueError(f"tasks[{i}].due: no deadline named {name!r} in [deadlines]")
                rule = {**rule, "due": deadlines[name]}
            tasks.append(rule)
        return {**raw, "tasks": tasks} if "tasks" in raw else raw

    @model_validator(mode="after")
    def _chains_exist(self) -> Policy:
        for i, rule in enumerate(self.tasks):
            if rule.chain is not None and rule.chain not in self.escalation.chains:
                raise ValueError(f"tasks[{i}].chain: no escalation chain named {rule.chain!r}")
        return self

    @model_validator(mode="after")
    def _every_reviewer_gets_a_task(self) -> Policy:
        opened = {s for r in self.rules_for("order_review") for s in r.open_on}
        for name, roles in self.review.routing.model_dump().items():
            for role in roles:
                if f"review:{role}" not in opened:
                    raise ValueError(
                        f"review.routing.{name}: no [[tasks]] rule for order_review opens "
                        f"'review:{role}'; reviewers would get no task"
                    )
        return self

    @model_validator(mode="after")
    def _every_notified_department_gets_a_task(self) -> Policy:
        opened = {s for r in self.rules_for("design_error_notice") for s in r.open_on}
        for department in self.changes.design_error_notify:
            if f"notify:{department}" not in opened:
                raise ValueError(
                    "changes.design_error_notify: no [[tasks]] rule for design_error_notice "
                    f"opens 'notify:{department}'; that department would get no task"
                )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.calendar.timezone)

    def deadline(self, name: str) -> WorkDuration:
        return parse_duration(self.deadlines[name])

    def rules_for(self, document: str) -> list[TaskRule]:
        return [rule for rule in self.tasks if rule.document == document]

    @cached_property
    def business_calendar(self) -> BusinessCalendar:
        cal = self.calendar
        holidays = list(cal.extra_holidays)
        workdays = list(cal.extra_workdays)
        for year in cal.published.values():
            holidays += year.holidays
            workdays += year.workdays
        return BusinessCalendar(
            timezone=cal.timezone,
            work_periods=[_parse_period(p) for p in cal.work_periods],
            weekdays=[d - 1 for d in cal.weekdays],
            extra_holidays=holidays,
            extra_workdays=workdays,
            published_years=list(cal.published),
        )


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else (lists included) is replaced whole."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_policy(path: Path | str | None = None) -> Policy:
    """The shipped defaults, with the file at ``path`` (if any) laid over them."""
    raw = tomllib.loads(resources.files("orderflow.policy").joinpath("default.toml").read_text())
    if path is not None:
        path = Path(path)
        try:
            override = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise PolicyError(f"policy file {path} does not exist") from exc
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"policy file {path} is not valid TOML: {exc}") from exc
        raw = _merge(raw, override)
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = field_path(first["loc"]) or "policy"
        message = first["msg"].removeprefix("Value error, ")
        raise PolicyError(f"policy key {where}: {message}") from exc
