"""What each purchase requisition step does beyond its state change: covered by orders
or by a sister company's stock (A5), or given up (H6)."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from sqlalchemy import select

from orderflow.core import ports
from orderflow.core.errors import FieldErrors, PermissionDenied
from orderflow.core.workflow import StepContext
from orderflow.org.models import Company
from orderflow.procurement.flow import (
    PR_CANCELLED,
    PR_OPEN,
    PR_ORDERED,
    ReasonFields,
    TransferFields,
    fmt,
)
from orderflow.procurement.models import PurchaseRequisition, RequisitionLine


def _req(ctx: StepContext) -> PurchaseRequisition:
    return cast(PurchaseRequisition, ctx.doc)


def requisition_state(req: PurchaseRequisition) -> str:
    if any(line.open_quantity > 0 for line in req.lines):
        return PR_OPEN
    covered = any(line.ordered_quantity + line.transferred_quantity > 0 for line in req.lines)
    return PR_ORDERED if covered else PR_CANCELLED


def cover(ctx: StepContext) -> None:
    ctx.next_state = requisition_state(_req(ctx))


def transfer(ctx: StepContext) -> None:
    """Cover lines from a sister company's stock (A5): transfer documents are raised there."""
    req, fields = _req(ctx), cast(TransferFields, ctx.fields)
    problems = FieldErrors()
    own_group = ctx.session.scalar(select(Company.group_code).where(Company.id == req.company_id))
    source = ctx.session.scalar(
        select(Company).where(Company.code == fields.from_company, Company.id != req.company_id)
    )
    if source is None or not own_group or source.group_code != own_group:
        problems.add("from_company", "Not a company of this group", "unknown_company")
    by_no = {line.line_no: line for line in req.lines}
    plan: list[tuple[RequisitionLine, Decimal]] = []
    for i, item in enumerate(fields.lines):
        line = by_no.get(item.line_no)
        if line is None:
            problems.add(f"lines[{i}].line_no", "No such line", "unknown_line")
        elif item.quantity > line.open_quantity:
            problems.add(
                f"lines[{i}].quantity",
                f"Only {fmt(line.open_quantity)} is still to be covered",
                "over_requirement",
            )
        else:
            plan.append((line, item.quantity))
    problems.raise_if_any()
    assert source is not None
    needs = [
        ports.TransferNeed(
            from_company_id=source.id,
            to_company_id=req.company_id,
            product_id=line.product_id,
            quantity=qty,
            needed_by=line.needed_by,
            sales_order_id=req.sales_order_id,
            reason=req.number,
        )
        for line, qty in plan
    ]
    numbers = ports.request_transfers(ctx.session, ctx.runtime, needs, ctx.actor)
    for line, qty in plan:
        line.transferred_quantity += qty
    ctx.payload.update(transfers=numbers, from_company=source.code)
    ctx.next_state = requisition_state(req)


def cancel_requisition(ctx: StepContext) -> None:
    """Give up what is not yet covered. What planning asked for is cut only by the
    planner (H6: 采购数量如有调整减少的需与计划下达部门沟通后方可)."""
    req = _req(ctx)
    if req.source == "planning" and not ctx.roles & {"planner", "admin"}:
        raise PermissionDenied(f"{req.number} came from planning: only the planner may cut it (H6)")
    for line in req.lines:
        line.quantity = line.ordered_quantity + line.transferred_quantity
    ctx.payload["reason"] = cast(ReasonFields, ctx.fields).reason
    ctx.next_state = requisition_state(req)
