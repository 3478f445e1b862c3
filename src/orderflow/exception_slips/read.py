"""Read models of exception slips: what the API answers and the pages show."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.api.schemas import Money
from orderflow.auth.models import User
from orderflow.core.workflow import Lifecycle
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.exception_slips.schemas import SlipRead, SlipSummary
from orderflow.procurement.models import Supplier
from orderflow.runtime import Principal
from orderflow.sales.models import SalesOrder


def slip_read(
    session: Session, slip: ExceptionSlip, principal: Principal, lifecycle: Lifecycle
) -> SlipRead:
    session.flush()
    users = dict(
        session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({i for i in (slip.owner_id, slip.raised_by_id) if i})
            )
        ).all()
    )
    order_number = (
        session.scalar(select(SalesOrder.number).where(SalesOrder.id == slip.sales_order_id))
        if slip.sales_order_id
        else None
    )
    supplier_name = (
        session.scalar(select(Supplier.name).where(Supplier.id == slip.supplier_id))
        if slip.supplier_id
        else None
    )
    return SlipRead(
        id=slip.id,
        number=slip.number,
        state=slip.state,
        version=slip.version,
        kind=slip.kind,
        description=slip.description,
        source_document_type=slip.source_document_type,
        source_document_id=slip.source_document_id,
        source_number=slip.source_number,
        sales_order_id=slip.sales_order_id,
        sales_order_number=order_number,
        supplier_id=slip.supplier_id,
        supplier_name=supplier_name,
        routes=slip.routes,
        owner_roles=slip.owner_roles,
        owner_id=slip.owner_id,
        owner_name=users.get(slip.owner_id) if slip.owner_id else None,
        raised_by=users.get(slip.raised_by_id) if slip.raised_by_id else None,
        cause=slip.cause,
        decision=slip.decision,
        remedy=slip.remedy,
        liability=slip.liability,
        cost=Money.of(slip.cost, slip.currency),
        closure=slip.closure,
        details=slip.details,
        created_at=slip.created_at,
        decided_at=slip.decided_at,
        closed_at=slip.closed_at,
        allowed_transitions=lifecycle.allowed(slip, principal.roles),
    )


def summary(slip: ExceptionSlip) -> SlipSummary:
    return SlipSummary(
        id=slip.id,
        number=slip.number,
        state=slip.state,
        version=slip.version,
        kind=slip.kind,
        description=slip.description,
        source_number=slip.source_number,
        owner_roles=slip.owner_roles,
        liability=slip.liability,
        created_at=slip.created_at,
    )
