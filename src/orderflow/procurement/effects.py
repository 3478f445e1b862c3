"""What each purchase-order step does beyond its state change: revision, submission and
approval, the supplier's dates, reductions and cancellation, and the helpers the other
effect modules share. Receiving and inspection are in ``receiving``, requisitions in
``requisition_effects``.

Effects run inside ``apply_transition`` after every generic check passed, in the step's
transaction; one that finds the step impossible raises, and the whole step rolls back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.core import ports
from orderflow.core.errors import (
    Conflict,
    FieldError,
    FieldErrors,
    ValidationFailed,
)
from orderflow.core.numbering import next_number
from orderflow.core.workflow import StepContext
from orderflow.exception_slips.flow import CANCELLED as SLIP_CANCELLED
from orderflow.exception_slips.flow import CLOSED as SLIP_CLOSED
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.exception_slips.service import raise_slip
from orderflow.i18n import t
from orderflow.inventory.group import group_free
from orderflow.procurement.flow import (
    PR_OPEN,
    PR_ORDERED,
    UNPLACED,
    CancelFields,
    ConfirmDateFields,
    ConfirmShipmentFields,
    LineCheck,
    LineFacts,
    ReportLateFields,
    RequestReductionFields,
    ReviseFields,
    SubmitFields,
    amount,
    derive_state,
    fmt,
    reduction_problems,
    requirement,
    submit_problems,
)
from orderflow.procurement.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    SupplierItem,
)
from orderflow.procurement.requisition_effects import requisition_state

ZERO = Decimal(0)


def new_number(ctx: StepContext, prefix: str) -> str:
    year = ctx.now.astimezone(ctx.policy.zone).year
    return next_number(ctx.session, company_id=ctx.doc.company_id, prefix=prefix, year=year)


def local_today(ctx: StepContext) -> date:
    return ctx.now.astimezone(ctx.policy.zone).date()


def lead_times(session: Session, po: PurchaseOrder) -> dict[int, int]:
    """Days from order to arrival per product: the supplier's table (A4), else its default."""
    table = dict(
        session.execute(
            select(SupplierItem.product_id, SupplierItem.lead_time_days).where(
                SupplierItem.supplier_id == po.supplier_id,
                SupplierItem.product_id.in_([ln.product_id for ln in po.lines]),
            )
        ).all()
    )
    return {
        ln.product_id: table.get(ln.product_id, po.supplier.default_lead_time_days)
        for ln in po.lines
    }


# --- purchase orders ------------------------------------------------------------------------


def po_of(ctx: StepContext) -> PurchaseOrder:
    return cast(PurchaseOrder, ctx.doc)


def derive(ctx: StepContext, po: PurchaseOrder) -> None:
    ctx.next_state = derive_state(
        po.state,
        (
            LineFacts(
                line.quantity,
                line.cancelled_quantity,
                line.received_quantity,
                line.accepted_quantity,
                line.rejected_quantity,
                line.returned_quantity,
            )
            for line in po.lines
        ),
    )


def line_of(po: PurchaseOrder, line_no: int, field: str = "line_no") -> PurchaseOrderLine:
    for line in po.lines:
        if line.line_no == line_no:
            return line
    raise ValidationFailed.of([FieldError(field, "No such line on this order", "unknown_line")])


def _requisition_lines(ctx: StepContext, po: PurchaseOrder) -> dict[int, RequisitionLine]:
    ids = {line.requisition_line_id for line in po.lines if line.requisition_line_id}
    if not ids:
        return {}
    return {
        rl.id: rl
        for rl in ctx.session.scalars(select(RequisitionLine).where(RequisitionLine.id.in_(ids)))
    }


def _recover(ctx: StepContext, requisition_lines: Iterable[RequisitionLine]) -> None:
    """Requisitions whose coverage changed re-derive their state, as the same person."""
    from orderflow.procurement.service import REQUISITIONS  # the kinds live with the service

    for req_id in sorted({rl.requisition_id for rl in requisition_lines}):
        req = ctx.session.get(PurchaseRequisition, req_id)
        moved = req is not None and requisition_state(req) != req.state
        if req is not None and moved and req.state in (PR_OPEN, PR_ORDERED):
            REQUISITIONS.step_in(
                ctx.session,
                req,
                "cover",
                actor=ctx.actor,
                roles=ctx.roles,
                now=ctx.now,
                policy=ctx.policy,
                runtime=ctx.runtime,
            )


def revise(ctx: StepContext) -> None:
    po, fields = po_of(ctx), cast(ReviseFields, ctx.fields)
    covering = _requisition_lines(ctx, po)
    problems = FieldErrors()
    touched: list[RequisitionLine] = []
    for i, item in enumerate(fields.lines):
        line = next((ln for ln in po.lines if ln.line_no == item.line_no), None)
        if line is None:
            problems.add(f"lines[{i}].line_no", "No such line on this order", "unknown_line")
            continue
        if item.quantity is not None and item.quantity != line.quantity:
            rl = covering.get(line.requisition_line_id or 0)
            if rl is not None:
                delta = item.quantity - line.quantity
                if delta > rl.open_quantity:
                    problems.add(
                        f"lines[{i}].quantity",
                        f"The requisition needs only {fmt(line.quantity + rl.open_quantity)}",
                        "over_requirement",
                    )
                    continue
                rl.ordered_quantity += delta
                touched.append(rl)
            line.quantity = item.quantity
        if item.unit_price is not None:
            line.unit_price = item.unit_price
        line.amount = amount(line.quantity, line.unit_price)
    problems.raise_if_any()
    if fields.due_date is not None:
        po.due_date = fields.due_date
    if fields.notes is not None:
        po.notes = fields.notes
    po.total_amount = sum((line.amount for line in po.lines), Decimal("0.00"))
    _recover(ctx, touched)


def submit(ctx: StepContext) -> None:
    """H2 and A5 before the manager sees it: every line within what is needed (unit use ×
    quantity, or the requisition's need), and no buying what a sister company holds free."""
    po, fields = po_of(ctx), cast(SubmitFields, ctx.fields)
    if not po.supplier.active:
        raise ValidationFailed.of(
            [FieldError("supplier", f"{po.supplier.code} is no longer active", "inactive_supplier")]
        )
    covering = _requisition_lines(ctx, po)
    free = group_free(
        ctx.session, company_id=po.company_id, product_ids={ln.product_id for ln in po.lines}
    )
    allowance_default = ctx.policy.procurement.default_allowance
    lead = lead_times(ctx.session, po)
    today = local_today(ctx)
    checks = []
    for i, line in enumerate(po.lines):
        rl = covering.get(line.requisition_line_id or 0)
        limit: Decimal | None = None
        missing = False
        if rl is not None:
            # The requisition already counts this line as ordered.
            limit = rl.quantity - rl.transferred_quantity - (rl.ordered_quantity - line.quantity)
        elif line.unit_use is not None and line.for_quantity is not None:
            limit = requirement(
                line.unit_use,
                line.for_quantity,
                line.allowance if line.allowance is not None else allowance_default,
            )
        elif po.sales_order_id is not None:
            missing = True
        checks.append(
            LineCheck(
                index=i,
                quantity=line.quantity,
                limit=limit,
                missing_basis=missing,
                group_free=sum((g.free for g in free.get(line.product_id, [])), ZERO),
                lead_time_days=lead[line.product_id],
                earliest=today + timedelta(days=lead[line.product_id]),
            )
        )
    problems = submit_problems(
        checks,
        due_date=po.due_date,
        today=today,
        transfer_first=ctx.policy.procurement.transfer_first,
        no_transfer_reason=fields.no_transfer_reason,
        supplier_promised_date=po.supplier_promised_date,
    )
    if problems:
        raise ValidationFailed.of(problems)
    po.no_transfer_reason = fields.no_transfer_reason
    ctx.payload["total"] = str(po.total_amount)


def approve(ctx: StepContext) -> None:
    po = po_of(ctx)
    po.approved_by_id, po.approved_at = ctx.actor.id, ctx.now
    ctx.payload["total"] = str(po.total_amount)
    if po.supplier.email:
        from orderflow.notify.service import queue_email

        order_ref = ""
        if po.sales_order_id:
            from orderflow.sales.models import SalesOrder

            order_ref = (
                ctx.session.scalar(
                    select(SalesOrder.number).where(SalesOrder.id == po.sales_order_id)
                )
                or ""
            )
        queue_email(
            ctx.session,
            doc=po,
            kind="purchase_order",
            to=po.supplier.email,
            locale="zh-CN",
            at=ctx.now,
            due_date=po.due_date.isoformat(),
            lines="; ".join(f"{ln.product.code} × {fmt(ln.quantity)}" for ln in po.lines),
            order=order_ref or "-",
        )


def _late(ctx: StepContext, po: PurchaseOrder, expected: date | None, reason: str) -> None:
    """H4: a late supplier is an exception slip at once, owned by the procurement head;
    a second report while one is open only records the new date."""
    po.late = True
    if expected is not None:
        po.expected_date = expected
    ctx.signals.add("supplier_late")
    if po.exception_number:
        state = ctx.session.scalar(
            select(ExceptionSlip.state).where(
                ExceptionSlip.company_id == po.company_id,
                ExceptionSlip.number == po.exception_number,
            )
        )
        if state not in (SLIP_CLOSED, SLIP_CANCELLED, None):
            ctx.payload["exception"] = po.exception_number
            return
    slip = raise_slip(
        ctx.session,
        policy=ctx.policy,
        now=ctx.now,
        report=late_report(po, reason),
        actor=ctx.actor,
    )
    po.exception_number = slip.number
    ctx.payload["exception"] = slip.number


def late_report(po: PurchaseOrder, reason: str) -> ports.ExceptionReport:
    return ports.ExceptionReport(
        company_id=po.company_id,
        kind="supplier_late",
        description=f"{po.supplier.name}: {reason}",
        source_document_type=po.document_type,
        source_document_id=po.id,
        source_number=po.number,
        sales_order_id=po.sales_order_id,
        supplier_id=po.supplier_id,
        details={
            "due_date": po.due_date.isoformat(),
            "expected_date": po.expected_date.isoformat() if po.expected_date else None,
            "supplier": po.supplier.code,
        },
    )


def confirm_date(ctx: StepContext) -> None:
    po, fields = po_of(ctx), cast(ConfirmDateFields, ctx.fields)
    po.supplier_promised_date = fields.promised_date
    ctx.payload["promised_date"] = fields.promised_date.isoformat()
    if fields.promised_date > po.due_date:
        _late(
            ctx,
            po,
            fields.promised_date,
            t(
                "exc.text.supplier_confirms_late",
                "zh-CN",
                promised=fields.promised_date.isoformat(),
                planned=po.due_date.isoformat(),
            )
            + (f"（{fields.note}）" if fields.note else ""),
        )


def report_late(ctx: StepContext) -> None:
    po, fields = po_of(ctx), cast(ReportLateFields, ctx.fields)
    _late(ctx, po, fields.expected_date, fields.reason)
    ctx.next_state = po.state


def confirm_shipment(ctx: StepContext) -> None:
    po, fields = po_of(ctx), cast(ConfirmShipmentFields, ctx.fields)
    po.carrier, po.tracking_number = fields.carrier, fields.tracking_number
    po.shipped_on = fields.shipped_on or local_today(ctx)
    if fields.expected_date is not None:
        po.expected_date = fields.expected_date
    ctx.payload.update(carrier=fields.carrier, tracking_number=fields.tracking_number)


def agree_remainder(ctx: StepContext) -> None:
    po = po_of(ctx)
    po.expected_date = ctx.fields.expected_date
    ctx.payload["expected_date"] = po.expected_date.isoformat()


def request_reduction(ctx: StepContext) -> None:
    """H6: a smaller quantity waits for the planner's consent before it is applied."""
    po, fields = po_of(ctx), cast(RequestReductionFields, ctx.fields)
    if po.pending_reduction:
        raise Conflict(f"{po.number} already has a reduction waiting for the planner")
    current = {
        line.line_no: (line.wanted, line.received_quantity - line.returned_quantity)
        for line in po.lines
    }
    problems = reduction_problems(current, fields.lines)
    if problems:
        raise ValidationFailed.of(problems)
    po.pending_reduction = {
        "lines": {str(item.line_no): str(item.quantity) for item in fields.lines},
        "reason": fields.reason,
        "by": ctx.actor.name,
    }
    ctx.payload["lines"] = po.pending_reduction["lines"]
    ctx.next_state = po.state


def _pending(po: PurchaseOrder) -> dict[int, Decimal]:
    if not po.pending_reduction:
        raise Conflict(f"{po.number} has no reduction waiting for consent")
    return {int(k): Decimal(v) for k, v in po.pending_reduction["lines"].items()}


def consent_reduction(ctx: StepContext) -> None:
    po = po_of(ctx)
    asked = _pending(po)
    covering = _requisition_lines(ctx, po)
    for line in po.lines:
        if line.line_no not in asked:
            continue
        cut = line.wanted - asked[line.line_no]
        if cut <= 0:
            continue  # the line moved on since the request (more arrived): nothing to cut
        line.cancelled_quantity += cut
        rl = covering.get(line.requisition_line_id or 0)
        if rl is not None:  # planning needs that much less: the requisition shrinks too
            rl.quantity -= cut
            rl.ordered_quantity -= cut
    ctx.payload["lines"] = po.pending_reduction["lines"] if po.pending_reduction else {}
    po.pending_reduction = None
    derive(ctx, po)


def refuse_reduction(ctx: StepContext) -> None:
    po = po_of(ctx)
    _pending(po)
    po.pending_reduction = None
    ctx.next_state = po.state


def cancel_order(ctx: StepContext) -> None:
    """Before the supplier has it, quantities go back to their requisitions. After, the
    rest is cancelled only to be bought elsewhere (a new requisition); a plain cut is a
    reduction and needs the planner (H6)."""
    po, fields = po_of(ctx), cast(CancelFields, ctx.fields)
    covering = _requisition_lines(ctx, po)
    po.pending_reduction = None
    if po.state in UNPLACED:
        for line in po.lines:
            rl = covering.get(line.requisition_line_id or 0)
            if rl is not None:
                rl.ordered_quantity -= line.wanted
            line.cancelled_quantity = line.quantity
        _recover(ctx, covering.values())
        derive(ctx, po)
        return
    rests = [(line, line.outstanding) for line in po.lines if line.outstanding > 0]
    if rests and not fields.rebuy:
        raise ValidationFailed.of(
            [
                FieldError(
                    "rebuy",
                    "Goods placed with the supplier are cut only with the planner's consent (H6): "
                    "request a reduction, or cancel to buy the rest elsewhere (rebuy)",
                    "needs_planner",
                )
            ]
        )
    if rests:
        ctx.payload["rebuy"] = _rebuy(ctx, po, rests, fields.reason)
    for line, rest in rests:
        line.cancelled_quantity += rest
    derive(ctx, po)


def _rebuy(
    ctx: StepContext, po: PurchaseOrder, rests: list[tuple[PurchaseOrderLine, Decimal]], reason: str
) -> str:
    """The cancelled rest goes back on the desk as a new requisition (H4 cancel and rebuy)."""
    from orderflow.procurement.service import REQUISITIONS

    needed_by = po.expected_date or po.due_date
    req = PurchaseRequisition(
        company_id=po.company_id,
        sales_order_id=po.sales_order_id,
        source="rebuy",
        reason=f"{po.number}: {reason}",
        needed_by=needed_by,
        requested_by_id=ctx.actor.id,
        lines=[
            RequisitionLine(
                line_no=i + 1,
                product_id=line.product_id,
                quantity=rest,
                needed_by=needed_by,
                note=f"{po.number} #{line.line_no}",
            )
            for i, (line, rest) in enumerate(rests)
        ],
    )
    REQUISITIONS.start(
        ctx.session, ctx.runtime, req, actor=ctx.actor, payload={"rebuy_of": po.number}
    )
    return req.number
