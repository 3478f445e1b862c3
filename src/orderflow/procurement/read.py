"""Read models of requisitions and purchase orders: what the API answers and pages show."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import Money
from orderflow.auth.models import User
from orderflow.core.workflow import Lifecycle
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.inventory.group import group_free
from orderflow.inventory.models import Warehouse
from orderflow.procurement.effects import lead_times
from orderflow.procurement.flow import DRAFT, PENDING_APPROVAL
from orderflow.procurement.models import (
    GoodsReceipt,
    PurchaseBasis,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
)
from orderflow.procurement.schemas import (
    GroupStockRead,
    OrderLineRead,
    PurchaseOrderRead,
    PurchaseOrderSummary,
    ReceiptLineRead,
    ReceiptRead,
    RequisitionLineRead,
    RequisitionRead,
    RequisitionSummary,
)
from orderflow.runtime import Principal
from orderflow.sales.models import SalesOrder


def qty(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = f"{Decimal(value).normalize():f}"
    return text


def q(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def basis_read(line: PurchaseBasis) -> dict[str, Any]:
    """A line's H2 basis as both read models show it: the figures, whence the unit use
    came, and the BOM's when a typed one differs from it."""
    return {
        "unit_use": qty(line.unit_use),
        "for_quantity": qty(line.for_quantity),
        "allowance": qty(line.allowance),
        "unit_use_source": line.unit_use_source,
        "bom_unit_use": qty(line.bom_unit_use),
        "differs_from_bom": line.differs_from_bom,
    }


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all()
    )


def _order_numbers(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(
        session.execute(
            select(SalesOrder.id, SalesOrder.number).where(SalesOrder.id.in_(wanted))
        ).all()
    )


def _group(
    session: Session, company_id: int, product_ids: set[int]
) -> dict[int, list[GroupStockRead]]:
    return {
        pid: [GroupStockRead(company_code=g.company_code, free=q(g.free)) for g in rows]
        for pid, rows in group_free(session, company_id=company_id, product_ids=product_ids).items()
    }


# --- requisitions -------------------------------------------------------------------------


def requisition_read(
    session: Session, req: PurchaseRequisition, principal: Principal, lifecycle: Lifecycle
) -> RequisitionRead:
    session.flush()
    free = (
        _group(session, req.company_id, {ln.product_id for ln in req.lines})
        if req.state == "open"
        else {}
    )
    orders = session.scalars(
        select(PurchaseOrder.number)
        .join(PurchaseOrderLine, PurchaseOrderLine.order_id == PurchaseOrder.id)
        .where(PurchaseOrderLine.requisition_line_id.in_([ln.id for ln in req.lines]))
        .distinct()
        .order_by(PurchaseOrder.number)
    ).all()
    return RequisitionRead(
        id=req.id,
        number=req.number,
        state=req.state,
        version=req.version,
        source=req.source,
        sales_order_id=req.sales_order_id,
        sales_order_number=_order_numbers(session, {req.sales_order_id}).get(
            req.sales_order_id or 0
        ),
        needed_by=req.needed_by,
        reason=req.reason,
        requested_by=_names(session, {req.requested_by_id}).get(req.requested_by_id or 0),
        created_at=req.created_at,
        lines=[
            RequisitionLineRead(
                line_no=ln.line_no,
                product_id=ln.product_id,
                product_code=ln.product.code,
                product_name=ln.product.name,
                unit=ln.product.unit,
                quantity=q(ln.quantity),
                **basis_read(ln),
                needed_by=ln.needed_by,
                transferred=q(ln.transferred_quantity),
                ordered=q(ln.ordered_quantity),
                open=q(ln.open_quantity),
                note=ln.note,
                group_free=free.get(ln.product_id, []) if ln.open_quantity > 0 else [],
            )
            for ln in req.lines
        ],
        purchase_orders=list(orders),
        allowed_transitions=[
            name for name in lifecycle.allowed(req, principal.roles) if name != "cover"
        ],
    )


def requisition_summaries(
    session: Session, reqs: Sequence[PurchaseRequisition]
) -> list[RequisitionSummary]:
    numbers = _order_numbers(session, {r.sales_order_id for r in reqs})
    return [
        RequisitionSummary(
            id=r.id,
            number=r.number,
            state=r.state,
            version=r.version,
            source=r.source,
            sales_order_number=numbers.get(r.sales_order_id or 0),
            needed_by=r.needed_by,
            lines=len(r.lines),
            open_lines=sum(1 for ln in r.lines if ln.open_quantity > 0),
            created_at=r.created_at,
        )
        for r in reqs
    ]


# --- purchase orders ----------------------------------------------------------------------


def order_read(
    session: Session,
    po: PurchaseOrder,
    principal: Principal,
    lifecycle: Lifecycle,
) -> PurchaseOrderRead:
    session.flush()
    cur = po.currency
    lead = lead_times(session, po)
    unplaced = po.state in (DRAFT, PENDING_APPROVAL)
    free = _group(session, po.company_id, {ln.product_id for ln in po.lines}) if unplaced else {}
    req_refs = {
        rl.id: (number, rl.line_no)
        for rl, number in session.execute(
            select(RequisitionLine, PurchaseRequisition.number)
            .join(PurchaseRequisition, PurchaseRequisition.id == RequisitionLine.requisition_id)
            .where(
                RequisitionLine.id.in_(
                    [ln.requisition_line_id for ln in po.lines if ln.requisition_line_id]
                )
            )
        ).all()
    }
    receipts = session.scalars(
        select(GoodsReceipt)
        .where(GoodsReceipt.order_id == po.id)
        .options(selectinload(GoodsReceipt.lines))
        .order_by(GoodsReceipt.id)
    ).all()
    line_no = {ln.id: ln.line_no for ln in po.lines}
    names = _names(session, {po.buyer_id, po.approved_by_id, *(r.received_by_id for r in receipts)})
    slip_id = (
        session.scalar(
            select(ExceptionSlip.id).where(
                ExceptionSlip.company_id == po.company_id,
                ExceptionSlip.number == po.exception_number,
            )
        )
        if po.exception_number
        else None
    )
    warehouse = session.scalar(select(Warehouse.code).where(Warehouse.id == po.warehouse_id))
    return PurchaseOrderRead(
        id=po.id,
        number=po.number,
        state=po.state,
        version=po.version,
        supplier_id=po.supplier_id,
        supplier_code=po.supplier.code,
        supplier_name=po.supplier.name,
        sales_order_id=po.sales_order_id,
        sales_order_number=_order_numbers(session, {po.sales_order_id}).get(po.sales_order_id or 0),
        warehouse_code=warehouse or "",
        due_date=po.due_date,
        supplier_promised_date=po.supplier_promised_date,
        expected_date=po.expected_date,
        late=po.late,
        exception_number=po.exception_number,
        exception_id=slip_id,
        carrier=po.carrier,
        tracking_number=po.tracking_number,
        shipped_on=po.shipped_on,
        total=Money.of(po.total_amount, cur),
        notes=po.notes,
        no_transfer_reason=po.no_transfer_reason,
        buyer=names.get(po.buyer_id or 0),
        approved_by=names.get(po.approved_by_id or 0),
        approved_at=po.approved_at,
        pending_reduction=po.pending_reduction,
        lines=[
            OrderLineRead(
                line_no=ln.line_no,
                product_id=ln.product_id,
                product_code=ln.product.code,
                product_name=ln.product.name,
                model_spec=ln.product.model_spec,
                unit=ln.product.unit,
                quantity=q(ln.quantity),
                unit_price=Money(amount=q(ln.unit_price), currency=cur),
                amount=Money.of(ln.amount, cur),
                requisition=req_refs.get(ln.requisition_line_id or 0, (None, None))[0],
                requisition_line=req_refs.get(ln.requisition_line_id or 0, (None, None))[1],
                **basis_read(ln),
                received=q(ln.received_quantity),
                accepted=q(ln.accepted_quantity),
                rejected=q(ln.rejected_quantity),
                returned=q(ln.returned_quantity),
                cancelled=q(ln.cancelled_quantity),
                outstanding=q(ln.outstanding),
                awaiting_inspection=q(ln.awaiting_inspection),
                completed_on=ln.completed_on,
                lead_time_days=lead[ln.product_id],
                group_free=free.get(ln.product_id, []),
            )
            for ln in po.lines
        ],
        receipts=[
            ReceiptRead(
                number=r.number,
                delivery_note=r.delivery_note,
                received_at=r.received_at,
                received_by=names.get(r.received_by_id or 0),
                lines=[
                    ReceiptLineRead(
                        line_no=line_no.get(rl.order_line_id, 0),
                        quantity=q(rl.quantity),
                        inspection_number=rl.inspection_number,
                    )
                    for rl in r.lines
                ],
            )
            for r in receipts
        ],
        created_at=po.created_at,
        allowed_transitions=[
            name
            for name in lifecycle.allowed(po, principal.roles)
            if name != "inspected"  # reported by the inspection, never taken by hand
        ],
    )


def order_summaries(
    session: Session, orders: Sequence[PurchaseOrder]
) -> list[PurchaseOrderSummary]:
    numbers = _order_numbers(session, {o.sales_order_id for o in orders})
    return [
        PurchaseOrderSummary(
            id=o.id,
            number=o.number,
            state=o.state,
            version=o.version,
            supplier_name=o.supplier.name,
            sales_order_number=numbers.get(o.sales_order_id or 0),
            due_date=o.due_date,
            expected_date=o.expected_date,
            late=o.late,
            total=Money.of(o.total_amount, o.currency),
            created_at=o.created_at,
        )
        for o in orders
    ]
