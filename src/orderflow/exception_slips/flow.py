"""The exception slip's lifecycle and its pure rules.

    open ──decide──▶ decided ──close──▶ closed
     │ ▲               │
     │ └───reopen──────┘
     ├──assign / escalate (stays open: a person owns it; the general manager is asked)
     └──cancel──▶ cancelled (raised in error)

A slip is *routed* when it is raised: its kind and routes are signals the policy's task
rules open on ("kind:supplier_late", "route:batch_heads"), so who must decide, and by
when, is configuration. Only those owners (or a head, or the general manager) may decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.workflow import Lifecycle, step
from orderflow.policy.loader import Policy

OPEN, DECIDED, CLOSED, CANCELLED = "open", "decided", "closed", "cancelled"
STATES = (OPEN, DECIDED, CLOSED, CANCELLED)

#: The route every slip takes whose kind and routes no task rule opens on.
DEFAULT_ROUTE = "default"

HEADS = frozenset(
    {
        Role.ORDER_MANAGER,
        Role.PRODUCTION_MANAGER,
        Role.TECHNICAL_MANAGER,
        Role.PROCUREMENT_MANAGER,
        Role.QUALITY_MANAGER,
        Role.FINANCE_MANAGER,
        Role.GENERAL_MANAGER,
        Role.GROUP_GENERAL_MANAGER,
        Role.ADMIN,
    }
)
#: Everyone who may own a slip; the effect narrows it to the slip's owners and the heads.
OWNERS = frozenset(
    HEADS
    | {
        Role.SALES_CLERK,
        Role.PLANNER,
        Role.PRODUCTION,
        Role.TECHNICAL,
        Role.MATERIALS_CONTROL,
        Role.PROCUREMENT,
        Role.WAREHOUSE,
        Role.QUALITY,
        Role.LOGISTICS,
        Role.AFTER_SALES,
        Role.FINANCE,
    }
)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DecideFields(_Fields):
    cause: str = Field(min_length=1, max_length=4000)
    decision: str = Field(min_length=1, max_length=4000)
    #: One of the policy's remedies for this kind (required where the policy lists some).
    remedy: str | None = Field(default=None, max_length=40)
    liability: str = Field(min_length=1, max_length=12)
    cost: Decimal = Field(default=Decimal(0), ge=0, max_digits=16, decimal_places=2)


class AssignFields(_Fields):
    owner: str = Field(min_length=1, max_length=60, description="The owner's username")


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=1000)


class CloseFields(_Fields):
    closure: str = Field(min_length=1, max_length=4000)


def _assignee(slip: Any, role: str) -> int | None:
    """The person the raising area named for this role's tasks, else the role's queue."""
    return (getattr(slip, "assignees", None) or {}).get(role)


def make_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="exception_slip",
        states=STATES,
        initial=OPEN,
        assignee_for=_assignee,
        transitions={
            "assign": step("assign", [OPEN], OPEN, HEADS, fields=AssignFields),
            "decide": step("decide", [OPEN], DECIDED, OWNERS, fields=DecideFields),
            "escalate": step(
                "escalate", [OPEN], OPEN, HEADS, fields=ReasonFields, needs_reason=True
            ),
            "close": step("close", [DECIDED], CLOSED, OWNERS, fields=CloseFields),
            "reopen": step(
                "reopen", [DECIDED], OPEN, HEADS, fields=ReasonFields, needs_reason=True
            ),
            "cancel": step(
                "cancel", [OPEN, DECIDED], CANCELLED, HEADS, fields=ReasonFields, needs_reason=True
            ),
        },
    )


# --- routing ------------------------------------------------------------------------------


def signals_for(kind: str, routes: Iterable[str]) -> set[str]:
    return {f"kind:{kind}", *(f"route:{r}" for r in routes)}


def owner_roles(policy: Policy, kind: str, routes: Iterable[str]) -> tuple[list[str], list[str]]:
    """The roles the policy gives this slip's tasks to, and the routes it takes (the
    default route when no rule opens on its kind or routes)."""
    routes = list(routes)
    rules = policy.rules_for("exception_slip")
    signals = signals_for(kind, routes)
    roles = [r.role for r in rules if signals & set(r.open_on)]
    if not roles:
        routes = [*routes, DEFAULT_ROUTE]
        signals = signals_for(kind, routes)
        roles = [r.role for r in rules if signals & set(r.open_on)]
    return list(dict.fromkeys(roles)), routes


def may_decide(roles: Iterable[str], owners: Iterable[str]) -> bool:
    """The slip's owners decide; a head or the general manager may step in."""
    mine = set(roles)
    return bool(mine & set(owners)) or bool(mine & HEADS)


def remedy_problem(policy: Policy, kind: str, remedy: str | None) -> str | None:
    choices = policy.exceptions.remedies.get(kind)
    if not choices:
        return None
    if remedy is None:
        return f"Choose a remedy: {', '.join(choices)}"
    if remedy not in choices:
        return f"{remedy!r} is not a remedy for {kind}; choose one of {', '.join(choices)}"
    return None


# --- counts for the KPIs (N2) ---------------------------------------------------------------


@dataclass
class KindCount:
    kind: str
    raised: int = 0
    open: int = 0
    decided: int = 0
    closed: int = 0
    cancelled: int = 0
    cost: Decimal = Decimal(0)
    by_liability: dict[str, int] = field(default_factory=dict)


def count_by_kind(rows: Iterable[tuple[str, str, str | None, Decimal]]) -> list[KindCount]:
    """(kind, state, liability, cost) rows → one count per kind, kinds in name order.
    Cancelled slips (raised in error) count as raised and cancelled, with no cost."""
    counts: dict[str, KindCount] = {}
    for kind, state, liability, cost in rows:
        c = counts.setdefault(kind, KindCount(kind))
        c.raised += 1
        setattr(c, state, getattr(c, state) + 1)
        if state == CANCELLED:
            continue
        c.cost += cost or Decimal(0)
        if liability:
            c.by_liability[liability] = c.by_liability.get(liability, 0) + 1
    return [counts[k] for k in sorted(counts)]


def count_by_class(policy: Policy, counts: Iterable[KindCount]) -> dict[str, int]:
    """Raised (not cancelled) slips per KPI class of the policy; kinds in no class → other."""
    class_of = {kind: name for name, kinds in policy.exceptions.classes.items() for kind in kinds}
    out = {name: 0 for name in policy.exceptions.classes}
    for c in counts:
        name = class_of.get(c.kind, "other")
        out[name] = out.get(name, 0) + c.raised - c.cancelled
    return out
