"""Read models of the warehouse's documents."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.core.workflow import Lifecycle
from orderflow.inventory.models import Location, Warehouse
from orderflow.org.models import Company
from orderflow.parties.models import Customer
from orderflow.runtime import Principal
from orderflow.sales.models import SalesOrder
from orderflow.warehouse.models import CustomerSupplied, StockCount, TransferOrder
from orderflow.warehouse.schemas import (
    CountLineRead,
    CountRead,
    CountSummary,
    CustomerSuppliedLineRead,
    CustomerSuppliedRead,
    CustomerSuppliedSummary,
    TransferLineRead,
    TransferRead,
    TransferSummary,
)


def q(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def _codes(session: Session, model: type, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(model.id, model.code).where(model.id.in_(wanted))).all())  # type: ignore[attr-defined]


def _order_number(session: Session, order_id: int | None) -> str | None:
    if not order_id:
        return None
    return session.scalar(select(SalesOrder.number).where(SalesOrder.id == order_id))


def transfer_read(
    session: Session, tr: TransferOrder, principal: Principal, lifecycle: Lifecycle
) -> TransferRead:
    session.flush()
    companies = _codes(session, Company, [tr.company_id, tr.to_company_id])
    warehouses = _codes(session, Warehouse, [tr.from_warehouse_id, tr.to_warehouse_id])
    return TransferRead(
        id=tr.id,
        number=tr.number,
        state=tr.state,
        version=tr.version,
        from_company=companies.get(tr.company_id, ""),
        to_company=companies.get(tr.to_company_id, ""),
        from_warehouse=warehouses.get(tr.from_warehouse_id, ""),
        to_warehouse=warehouses.get(tr.to_warehouse_id, ""),
        sales_order_number=_order_number(session, tr.sales_order_id),
        needed_by=tr.needed_by,
        origin=tr.origin,
        carrier=tr.carrier,
        shipped_at=tr.shipped_at,
        received_at=tr.received_at,
        created_at=tr.created_at,
        lines=[
            TransferLineRead(
                line_no=ln.line_no,
                product_code=ln.product.code,
                product_name=ln.product.name,
                unit=ln.product.unit,
                quantity=q(ln.quantity) or "0",
            )
            for ln in tr.lines
        ],
        allowed_transitions=_side(tr, principal, lifecycle.allowed(tr, principal.roles)),
    )


def _side(tr: TransferOrder, principal: Principal, allowed: list[str]) -> list[str]:
    """Each company sees only its own side's steps."""
    supplying = {"ship", "refuse"}
    receiving = {"receive", "cancel"}
    mine = (supplying if principal.company_id == tr.company_id else set()) | (
        receiving if principal.company_id == tr.to_company_id else set()
    )
    return [name for name in allowed if name in mine]


def transfer_summaries(session: Session, rows: Iterable[TransferOrder]) -> list[TransferSummary]:
    rows = list(rows)
    companies = _codes(session, Company, [c for t in rows for c in (t.company_id, t.to_company_id)])
    return [
        TransferSummary(
            id=t.id,
            number=t.number,
            state=t.state,
            from_company=companies.get(t.company_id, ""),
            to_company=companies.get(t.to_company_id, ""),
            needed_by=t.needed_by,
            lines=len(t.lines),
            created_at=t.created_at,
        )
        for t in rows
    ]


def customer_supplied_read(
    session: Session, notice: CustomerSupplied, principal: Principal, lifecycle: Lifecycle
) -> CustomerSuppliedRead:
    session.flush()
    customer = session.get(Customer, notice.customer_id)
    warehouse = session.scalar(select(Warehouse.code).where(Warehouse.id == notice.warehouse_id))
    return CustomerSuppliedRead(
        id=notice.id,
        number=notice.number,
        state=notice.state,
        version=notice.version,
        customer_code=customer.code if customer else "",
        customer_name=customer.name if customer else "",
        sales_order_id=notice.sales_order_id,
        sales_order_number=_order_number(session, notice.sales_order_id),
        warehouse=warehouse or "",
        expected_date=notice.expected_date,
        new_expected_date=notice.new_expected_date,
        note=notice.note,
        signed_by=notice.signed_by,
        signed_at=notice.signed_at,
        exception_number=notice.exception_number,
        created_at=notice.created_at,
        lines=[
            CustomerSuppliedLineRead(
                line_no=ln.line_no,
                product_code=ln.product.code,
                product_name=ln.product.name,
                unit=ln.product.unit,
                promised=q(ln.promised_quantity) or "0",
                counted=q(ln.counted_quantity),
            )
            for ln in notice.lines
        ],
        allowed_transitions=lifecycle.allowed(notice, principal.roles),
    )


def customer_supplied_summaries(
    session: Session, rows: Iterable[CustomerSupplied]
) -> list[CustomerSuppliedSummary]:
    rows = list(rows)
    names = dict(
        session.execute(
            select(Customer.id, Customer.name).where(Customer.id.in_({r.customer_id for r in rows}))
        ).all()
    )
    return [
        CustomerSuppliedSummary(
            id=r.id,
            number=r.number,
            state=r.state,
            customer_name=names.get(r.customer_id, ""),
            expected_date=r.new_expected_date or r.expected_date,
            created_at=r.created_at,
        )
        for r in rows
    ]


def count_read(
    session: Session, count: StockCount, principal: Principal, lifecycle: Lifecycle
) -> CountRead:
    session.flush()
    locations = _codes(
        session, Location, [count.location_id, *(ln.location_id for ln in count.lines)]
    )
    warehouse = session.scalar(select(Warehouse.code).where(Warehouse.id == count.warehouse_id))
    return CountRead(
        id=count.id,
        number=count.number,
        state=count.state,
        version=count.version,
        warehouse=warehouse or "",
        location=locations.get(count.location_id or 0),
        reason=count.reason,
        counted_at=count.counted_at,
        posted_at=count.posted_at,
        created_at=count.created_at,
        lines=[
            CountLineRead(
                line_no=ln.line_no,
                location_code=locations.get(ln.location_id, ""),
                product_code=ln.product.code,
                product_name=ln.product.name,
                unit=ln.product.unit,
                book=q(ln.book_quantity) or "0",
                counted=q(ln.counted_quantity),
                difference=q(ln.difference),
                reason=ln.reason,
            )
            for ln in count.lines
        ],
        allowed_transitions=lifecycle.allowed(count, principal.roles),
    )


def count_summaries(session: Session, rows: Iterable[StockCount]) -> list[CountSummary]:
    rows = list(rows)
    warehouses = _codes(session, Warehouse, [r.warehouse_id for r in rows])
    locations = _codes(session, Location, [r.location_id for r in rows])
    return [
        CountSummary(
            id=r.id,
            number=r.number,
            state=r.state,
            warehouse=warehouses.get(r.warehouse_id, ""),
            location=locations.get(r.location_id or 0),
            created_at=r.created_at,
        )
        for r in rows
    ]
