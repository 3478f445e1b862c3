"""Load and validate the policy: shipped defaults, overridden key by key by a company file.

Validation happens once, at start, so a typo in a deadline stops the process with the
key's full path instead of surfacing weeks later when that deadline is first computed.
"""

from __future__ import annotations

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
    ValidationError,
    field_validator,
    model_validator,
)

from orderflow.core.calendar import BusinessCalendar
from orderflow.core.durations import WorkDuration, parse_duration
from orderflow.core.errors import field_path

PRIORITIES = ("normal", "special", "urgent")

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
    due: str | dict[str, str]
    chain: str | None = None

    @field_validator("due")
    @classmethod
    def _due(cls, value: str | dict[str, str]) -> str | dict[str, str]:
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
    #: D2: production is released only for an order whose cost budget the GM approved.
    release_needs_cost_budget: bool = True
    #: E11: an order with a tech pack is released only once it matches the approved sample.
    release_needs_checked_tech_pack: bool = True


class ReviewRouting(_Strict):
    regular: list[str]
    non_regular: list[str]
    project: list[str]


class ReviewPolicy(_Strict):
    routing: ReviewRouting


class Policy(_Strict):
    calendar: CalendarPolicy = CalendarPolicy()
    escalation: EscalationPolicy = EscalationPolicy()
    deadlines: dict[str, DurationText] = Field(default_factory=dict)
    thresholds: Thresholds = Thresholds()
    planning: PlanningPolicy = PlanningPolicy()
    review: ReviewPolicy
    tasks: list[TaskRule] = []

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @model_validator(mode="after")
    def _chains_exist(self) -> Policy:
        for i, rule in enumerate(self.tasks):
            if rule.chain is not None and rule.chain not in self.escalation.chains:
                raise ValueError(f"tasks[{i}].chain: no escalation chain named {rule.chain!r}")
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
