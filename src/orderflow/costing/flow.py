"""The cost budget's lifecycle and its arithmetic (D2, §业务流程 1.1.1, 1.2.1).

    draft ──sign (sales, purchasing, planning)──▶ awaiting_approval ──approve──▶ approved
      ▲                                                │
      └────────────revise──────── rejected ◀──reject──┘        (cancel from any open state)

Material: for every bought component, parent quantity × unit use × (1 + overage), at its
cost (the "COST" price list, else the standard list). Labour: every routing operation's
setup + run minutes × quantity, at its work centre's hourly rate. Both through every
level of the bill of material.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.workflow import DERIVED, Lifecycle, step
from orderflow.planning.bom import Item, Source, component_quantity

DRAFT, AWAITING, APPROVED, REJECTED, CANCELLED = (
    "draft",
    "awaiting_approval",
    "approved",
    "rejected",
    "cancelled",
)
STATES = (DRAFT, AWAITING, APPROVED, REJECTED, CANCELLED)
DEPARTMENTS = ("sales", "purchasing", "planning")
#: Which roles sign for which department.
SIGNERS: dict[str, frozenset[str]] = {
    "sales": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER}),
    "purchasing": frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER}),
    "planning": frozenset({Role.PLANNER}),
}
CENT = Decimal("0.01")


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignFields(_Fields):
    #: Which department this signature is for (default: the signer's own).
    department: Literal["sales", "purchasing", "planning"] | None = None
    note: str = Field(default="", max_length=400)


class ApproveFields(_Fields):
    note: str = Field(default="", max_length=400)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


class ReviseFields(_Fields):
    purchase_due_date: date | None = None
    production_due_date: date | None = None


def department_of(roles: frozenset[str], asked: str | None) -> str | None:
    """The department a signer signs for: the one asked, if their role allows it."""
    if asked is not None:
        return asked if roles & (SIGNERS[asked] | {Role.ADMIN}) else None
    return next((d for d in DEPARTMENTS if roles & SIGNERS[d]), None)


@dataclass(frozen=True)
class CostLine:
    kind: str  # material | labour
    product_id: int | None
    work_centre_id: int | None
    description: str
    unit_use: Decimal
    overage: Decimal
    quantity: Decimal
    unit_cost: Decimal
    amount: Decimal


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def cost_lines(
    lines: list[tuple[int, Decimal]],
    items: Mapping[int, Item],
    unit_cost: Callable[[int, Decimal], Decimal],
    hourly_rate: Mapping[int, Decimal],
    centre_code: Mapping[int, str],
) -> list[CostLine]:
    """Material and labour lines for order lines (product, quantity), through every level."""
    out: list[CostLine] = []

    def walk(product_id: int, quantity: Decimal, path: str) -> None:
        item = items[product_id]
        if item.source is not Source.MAKE:
            cost = unit_cost(product_id, quantity)
            out.append(
                CostLine(
                    "material",
                    product_id,
                    None,
                    f"{path}{item.code}",
                    Decimal(1),
                    Decimal(0),
                    quantity,
                    cost,
                    money(quantity * cost),
                )
            )
            return
        for op in item.steps:
            if op.work_centre_id is None:
                continue
            minutes = Decimal(op.minutes(quantity))
            rate = hourly_rate.get(op.work_centre_id, Decimal(0))
            out.append(
                CostLine(
                    "labour",
                    None,
                    op.work_centre_id,
                    f"{path}{item.code} {op.seq} @ {centre_code.get(op.work_centre_id, '')}",
                    op.run_minutes,
                    Decimal(0),
                    minutes,
                    rate,
                    money(minutes / 60 * rate),
                )
            )
        for component in item.components:
            child = items[component.product_id]
            need = component_quantity(quantity, component, child)
            if child.source is Source.MAKE:
                walk(child.product_id, need, f"{path}{item.code} → ")
            else:
                cost = unit_cost(child.product_id, need)
                out.append(
                    CostLine(
                        "material",
                        child.product_id,
                        None,
                        f"{path}{item.code} → {child.code}",
                        component.quantity,
                        component.overage,
                        need,
                        cost,
                        money(need * cost),
                    )
                )

    for product_id, quantity in lines:
        walk(product_id, quantity, "")
    return out


_SALES = {Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}
_SIGNERS = set().union(*SIGNERS.values()) | {Role.ADMIN}


def make_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="cost_budget",
        states=STATES,
        initial=DRAFT,
        transitions={
            "sign": step("sign", [DRAFT], DERIVED, _SIGNERS, fields=SignFields),
            "approve": step(
                "approve", [AWAITING], APPROVED, {Role.GENERAL_MANAGER}, fields=ApproveFields
            ),
            "reject": step(
                "reject",
                [AWAITING],
                REJECTED,
                {Role.GENERAL_MANAGER},
                fields=ReasonFields,
                needs_reason=True,
            ),
            "revise": step("revise", [DRAFT, REJECTED], DRAFT, _SALES, fields=ReviseFields),
            "cancel": step(
                "cancel",
                [DRAFT, AWAITING, REJECTED],
                CANCELLED,
                _SALES | {Role.GENERAL_MANAGER},
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
