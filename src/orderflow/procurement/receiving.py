"""Goods received against a purchase order (H5), their incoming inspection's verdict
(I2) and what is done with the rejects: the receiving side of a purchase order."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from orderflow.core import ports
from orderflow.core.errors import (
    Conflict,
    FieldError,
    FieldErrors,
    PermissionDenied,
    ValidationFailed,
)
from orderflow.core.workflow import StepContext
from orderflow.inventory import ledger
from orderflow.procurement.effects import derive, line_of, local_today, new_number, po_of
from orderflow.procurement.flow import (
    CONCEDERS,
    InspectedFields,
    ReceiveFields,
    SettleRejectsFields,
    fmt,
    over_delivery,
)
from orderflow.procurement.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrderLine,
)


def receive(ctx: StepContext) -> None:
    """H5: goods arrive against the order into the QC area; more than is owed is refused;
    each lot waits for its incoming inspection before it can be used (I2)."""
    po, fields = po_of(ctx), cast(ReceiveFields, ctx.fields)
    problems = FieldErrors()
    plan: list[tuple[PurchaseOrderLine, Decimal]] = []
    if fields.lines is None:
        plan = [(line, line.outstanding) for line in po.lines if line.outstanding > 0]
        if not plan:
            problems.add("lines", "Nothing is outstanding on this order", "nothing_to_receive")
    else:
        by_no = {line.line_no: line for line in po.lines}
        for i, item in enumerate(fields.lines):
            line = by_no.get(item.line_no)
            if line is None:
                problems.add(f"lines[{i}].line_no", "No such line on this order", "unknown_line")
            elif over_delivery(line.outstanding, item.quantity):
                problems.add(
                    f"lines[{i}].quantity",
                    f"Only {fmt(line.outstanding)} is outstanding: over-delivery is refused (H5)",
                    "over_delivery",
                )
            else:
                plan.append((line, item.quantity))
    problems.raise_if_any()
    receipt = GoodsReceipt(
        company_id=po.company_id,
        number=new_number(ctx, "GR"),
        order_id=po.id,
        warehouse_id=po.warehouse_id,
        delivery_note=fields.delivery_note,
        received_at=ctx.now,
        received_by_id=ctx.actor.id,
        note=fields.note,
    )
    ctx.session.add(receipt)
    today = local_today(ctx)
    inspections = []
    for line, qty in plan:
        ledger.receive(
            ctx.session,
            warehouse_id=po.warehouse_id,
            product_id=line.product_id,
            quantity=qty,
            reason="receipt",
            reference=receipt.number,
            location="QC",
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        line.received_quantity += qty
        if line.outstanding <= 0 and line.completed_on is None:
            line.completed_on = today
        number = ports.request_inspection(
            ctx.session,
            ctx.runtime,
            ports.InspectionRequest(
                company_id=po.company_id,
                stage="incoming",
                product_id=line.product_id,
                quantity=qty,
                source_document_type=po.document_type,
                source_document_id=po.id,
                source_number=po.number,
                sales_order_id=po.sales_order_id,
                source_line=line.line_no,
                lot=receipt.number,
            ),
            ctx.actor,
        )
        inspections.append(number)
        receipt.lines.append(
            GoodsReceiptLine(
                order_line_id=line.id,
                product_id=line.product_id,
                quantity=qty,
                inspection_number=number,
            )
        )
    if any(line.outstanding > 0 for line in po.lines):
        ctx.signals.add("shortage")
    ctx.payload.update(
        receipt=receipt.number,
        delivery_note=fields.delivery_note,
        lines={str(line.line_no): str(qty) for line, qty in plan},
        inspections=inspections,
    )
    derive(ctx, po)


def inspected(ctx: StepContext) -> None:
    """An incoming inspection's result: what passed goes to storage (usable at last), what
    failed to the rejects area until the buyer settles it."""
    po, fields = po_of(ctx), cast(InspectedFields, ctx.fields)
    line = line_of(po, fields.line_no)
    if fields.accepted + fields.rejected > line.awaiting_inspection:
        raise ValidationFailed.of(
            [
                FieldError(
                    "accepted",
                    f"Only {fmt(line.awaiting_inspection)} of line {line.line_no} await inspection",
                    "over_inspected",
                )
            ]
        )
    locations = ledger.locations_of(ctx.session, po.warehouse_id)
    for qty, to, reason in (
        (fields.accepted, "MAIN", "inspection_accepted"),
        (fields.rejected, "REJ", "inspection_rejected"),
    ):
        if qty > 0:
            moved = ledger.relocate(
                ctx.session,
                warehouse_id=po.warehouse_id,
                product_id=line.product_id,
                quantity=qty,
                from_location_id=locations["QC"].id,
                to_location_id=locations[to].id,
                reason=reason,
                reference=fields.inspection,
                at=ctx.now,
                actor_id=ctx.actor.id,
            )
            if moved is None:
                raise Conflict(f"The QC area does not hold {fmt(qty)} of line {line.line_no}")
    line.accepted_quantity += fields.accepted
    line.rejected_quantity += fields.rejected
    if fields.rejected > 0:
        ctx.signals.add("rejected")
    ctx.payload.update(
        line_no=line.line_no,
        accepted=str(fields.accepted),
        rejected=str(fields.rejected),
        inspection=fields.inspection,
    )
    derive(ctx, po)


def settle_rejects(ctx: StepContext) -> None:
    """Failed goods go back to the supplier, who owes them again (不合格品退货补发), or are
    accepted as they are by a head's concession (降价让步接收)."""
    po, fields = po_of(ctx), cast(SettleRejectsFields, ctx.fields)
    line = line_of(po, fields.line_no)
    qty = fields.quantity if fields.quantity is not None else line.rejected_quantity
    if qty <= 0 or qty > line.rejected_quantity:
        raise ValidationFailed.of(
            [
                FieldError(
                    "quantity",
                    f"{fmt(line.rejected_quantity)} of line {line.line_no} are held as rejected",
                    "over_rejected",
                )
            ]
        )
    locations = ledger.locations_of(ctx.session, po.warehouse_id)
    if fields.action == "concession":
        if not ctx.roles & CONCEDERS:
            raise PermissionDenied("Accepting failed goods by concession is a head's decision")
        moved = ledger.relocate(
            ctx.session,
            warehouse_id=po.warehouse_id,
            product_id=line.product_id,
            quantity=qty,
            from_location_id=locations["REJ"].id,
            to_location_id=locations["MAIN"].id,
            reason="concession",
            reference=po.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        line.accepted_quantity += qty
    else:
        moved = ledger.issue(
            ctx.session,
            warehouse_id=po.warehouse_id,
            product_id=line.product_id,
            quantity=qty,
            location_id=locations["REJ"].id,
            reason="return_to_supplier",
            reference=po.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        line.returned_quantity += qty
        line.completed_on = None  # the supplier owes them again
        ctx.signals.add("shortage")
    if moved is None:
        raise Conflict(f"The rejects area does not hold {fmt(qty)} of line {line.line_no}")
    line.rejected_quantity -= qty
    if all(ln.rejected_quantity == 0 for ln in po.lines):
        ctx.signals.add("rejects_settled")
    ctx.payload.update(line_no=line.line_no, action=fields.action, quantity=str(qty))
    derive(ctx, po)
