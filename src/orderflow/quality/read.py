"""Read models of inspections: what the API answers and the quality station shows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.core.workflow import Lifecycle
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.procurement.models import Supplier
from orderflow.quality.models import Inspection
from orderflow.quality.schemas import InspectionRead, InspectionSummary
from orderflow.runtime import Principal
from orderflow.sales.models import SalesOrder


def _q(value: object) -> str | None:
    if value is None:
        return None
    from decimal import Decimal

    return f"{Decimal(value).normalize():f}"  # type: ignore[arg-type]


def inspection_read(
    session: Session, insp: Inspection, principal: Principal, lifecycle: Lifecycle
) -> InspectionRead:
    session.flush()
    inspector = (
        session.scalar(select(User.display_name).where(User.id == insp.inspector_id))
        if insp.inspector_id
        else None
    )
    order_number = (
        session.scalar(select(SalesOrder.number).where(SalesOrder.id == insp.sales_order_id))
        if insp.sales_order_id
        else None
    )
    supplier = (
        session.scalar(select(Supplier.name).where(Supplier.id == insp.supplier_id))
        if insp.supplier_id
        else None
    )
    slip_id = (
        session.scalar(
            select(ExceptionSlip.id).where(
                ExceptionSlip.company_id == insp.company_id,
                ExceptionSlip.number == insp.exception_number,
            )
        )
        if insp.exception_number
        else None
    )
    return InspectionRead(
        id=insp.id,
        number=insp.number,
        state=insp.state,
        version=insp.version,
        stage=insp.stage,
        product_id=insp.product_id,
        product_code=insp.product.code,
        product_name=insp.product.name,
        unit=insp.product.unit,
        lot_quantity=_q(insp.lot_quantity) or "0",
        lot=insp.lot,
        source_document_type=insp.source_document_type,
        source_document_id=insp.source_document_id,
        source_number=insp.source_number,
        source_line=insp.source_line,
        sales_order_id=insp.sales_order_id,
        sales_order_number=order_number,
        supplier_name=supplier,
        operation=insp.operation,
        aql=insp.aql,
        inspection_level=insp.inspection_level,
        sample_size=insp.sample_size,
        accept_number=insp.accept_number,
        quality_standard=insp.quality_standard,
        shipping_standard=insp.shipping_standard,
        inspected=insp.inspected,
        defective=insp.defective,
        pass_rate=_q(insp.pass_rate),
        accepted_quantity=_q(insp.accepted_quantity),
        rejected_quantity=_q(insp.rejected_quantity),
        findings=insp.findings,
        routes=insp.routes,
        standards_met=insp.standards_met,
        note=insp.note,
        inspector=inspector,
        inspected_at=insp.inspected_at,
        exception_number=insp.exception_number,
        exception_id=slip_id,
        created_at=insp.created_at,
        allowed_transitions=lifecycle.allowed(insp, principal.roles),
    )


def summary(insp: Inspection) -> InspectionSummary:
    return InspectionSummary(
        id=insp.id,
        number=insp.number,
        state=insp.state,
        stage=insp.stage,
        product_code=insp.product.code,
        product_name=insp.product.name,
        lot_quantity=_q(insp.lot_quantity) or "0",
        lot=insp.lot,
        source_number=insp.source_number,
        pass_rate=_q(insp.pass_rate),
        exception_number=insp.exception_number,
        created_at=insp.created_at,
    )
