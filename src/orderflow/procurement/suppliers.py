"""Suppliers, their lead-time table (采购周期表, A4) and their on-time rate (H7)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed
from orderflow.procurement.flow import PLACED, RECEIVED, DeliveryFact, OnTime, on_time_rates
from orderflow.procurement.models import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierItem
from orderflow.procurement.read import q
from orderflow.procurement.schemas import (
    OnTimeRead,
    PerformanceRead,
    SupplierCreate,
    SupplierItemIn,
    SupplierItemRead,
    SupplierRead,
    SupplierUpdate,
)
from orderflow.runtime import Principal, Runtime


def _items(
    session: Session, company_id: int, items: Sequence[SupplierItemIn], problems: FieldErrors
) -> list[SupplierItem]:
    ids = {i.product_id for i in items if i.product_id is not None}
    codes = {i.product_code for i in items if i.product_id is None}
    found = session.scalars(
        select(Product).where(
            Product.company_id == company_id, or_(Product.id.in_(ids), Product.code.in_(codes))
        )
    ).all()
    by_id, by_code = {p.id: p for p in found}, {p.code: p for p in found}
    out: list[SupplierItem] = []
    seen: set[int] = set()
    for i, item in enumerate(items):
        product = (
            by_id.get(item.product_id)
            if item.product_id is not None
            else by_code.get(item.product_code or "")
        )
        if product is None:
            problems.add(f"items[{i}].product_code", "No such product", "unknown_product")
            continue
        if product.id in seen:
            problems.add(f"items[{i}].product_code", f"{product.code} is listed twice", "duplicate")
            continue
        seen.add(product.id)
        out.append(
            SupplierItem(
                product_id=product.id,
                product=product,
                lead_time_days=item.lead_time_days,
                unit_price=item.unit_price,
                min_quantity=item.min_quantity,
            )
        )
    return out


def _read(session: Session, supplier: Supplier, rate: OnTime) -> SupplierRead:
    return SupplierRead(
        id=supplier.id,
        code=supplier.code,
        name=supplier.name,
        contact_name=supplier.contact_name,
        phone=supplier.phone,
        email=supplier.email,
        address=supplier.address,
        default_lead_time_days=supplier.default_lead_time_days,
        active=supplier.active,
        notes=supplier.notes,
        items=[
            SupplierItemRead(
                product_id=item.product_id,
                product_code=item.product.code,
                product_name=item.product.name,
                unit=item.product.unit,
                lead_time_days=item.lead_time_days,
                unit_price=q(item.unit_price) if item.unit_price is not None else None,
                min_quantity=q(item.min_quantity),
            )
            for item in supplier.items
        ],
        on_time_rate=str(rate.rate) if rate.rate is not None else None,
        on_time=rate.on_time,
        late=rate.late,
    )


def _load(session: Session, principal: Principal, supplier_id: int) -> Supplier:
    supplier = session.scalar(
        select(Supplier)
        .where(Supplier.id == supplier_id, Supplier.company_id == principal.company_id)
        .options(selectinload(Supplier.items))
    )
    if supplier is None:
        raise NotFound(f"No supplier {supplier_id}")
    return supplier


def create_supplier(rt: Runtime, principal: Principal, data: SupplierCreate) -> SupplierRead:
    require(principal, "suppliers.write")
    with rt.db.transaction() as session:
        problems = FieldErrors()
        if session.scalar(
            select(Supplier.id).where(
                Supplier.company_id == principal.company_id, Supplier.code == data.code
            )
        ):
            raise Conflict(
                f"Supplier {data.code} exists",
                errors=[FieldError("code", "Already used", "duplicate")],
            )
        items = _items(session, principal.company_id, data.items, problems)
        problems.raise_if_any()
        supplier = Supplier(
            company_id=principal.company_id,
            created_at=rt.now(),
            items=items,
            **data.model_dump(exclude={"items"}),
        )
        session.add(supplier)
        session.flush()
        return _read(session, supplier, OnTime(0, 0))


def update_supplier(
    rt: Runtime, principal: Principal, supplier_id: int, data: SupplierUpdate
) -> SupplierRead:
    """Change a supplier; ``items`` given replaces the whole lead-time table."""
    require(principal, "suppliers.write")
    with rt.db.transaction() as session:
        supplier = _load(session, principal, supplier_id)
        changes = data.model_dump(exclude_unset=True, exclude={"items"})
        for name, value in changes.items():
            if value is None:
                raise ValidationFailed.of([FieldError(name, "May not be empty", "missing")])
            setattr(supplier, name, value)
        if data.items is not None:
            problems = FieldErrors()
            items = _items(session, principal.company_id, data.items, problems)
            problems.raise_if_any()
            supplier.items[:] = []
            session.flush()
            supplier.items.extend(items)
        session.flush()
        rates = _rates(
            session, principal.company_id, rt.today(), "supplier", supplier_ids=[supplier.id]
        )
        return _read(session, supplier, rates.get(supplier.id, OnTime(0, 0)))


def get_supplier(rt: Runtime, principal: Principal, supplier_id: int) -> SupplierRead:
    require(principal, "suppliers.read")
    with rt.db.reading() as session:
        supplier = _load(session, principal, supplier_id)
        rates = _rates(
            session, principal.company_id, rt.today(), "supplier", supplier_ids=[supplier.id]
        )
        return _read(session, supplier, rates.get(supplier.id, OnTime(0, 0)))


def list_suppliers(
    rt: Runtime, principal: Principal, *, q_text: str | None = None, active: bool | None = None
) -> list[SupplierRead]:
    require(principal, "suppliers.read")
    query = (
        select(Supplier)
        .where(Supplier.company_id == principal.company_id)
        .options(selectinload(Supplier.items))
        .order_by(Supplier.code)
    )
    if q_text:
        like = f"%{q_text.strip()}%"
        query = query.where(or_(Supplier.code.ilike(like), Supplier.name.ilike(like)))
    if active is not None:
        query = query.where(Supplier.active == active)
    with rt.db.reading() as session:
        suppliers = session.scalars(query).all()
        rates = _rates(session, principal.company_id, rt.today(), "supplier")
        return [_read(session, s, rates.get(s.id, OnTime(0, 0))) for s in suppliers]


# --- on-time rate (H7) ------------------------------------------------------------------------


def _rates(
    session: Session,
    company_id: int,
    today: date,
    by: Literal["supplier", "product"],
    *,
    since: date | None = None,
    until: date | None = None,
    supplier_ids: Sequence[int] | None = None,
) -> dict[object, OnTime]:
    since = since or today - timedelta(days=365)
    until = until or today
    query = (
        select(
            PurchaseOrder.supplier_id,
            PurchaseOrderLine.product_id,
            PurchaseOrder.due_date,
            PurchaseOrderLine.completed_on,
        )
        .join(PurchaseOrderLine, PurchaseOrderLine.order_id == PurchaseOrder.id)
        .where(
            PurchaseOrder.company_id == company_id,
            PurchaseOrder.state.in_([*PLACED, RECEIVED]),
            PurchaseOrder.due_date >= since,
            PurchaseOrder.due_date <= until,
            PurchaseOrderLine.quantity > PurchaseOrderLine.cancelled_quantity,
        )
    )
    if supplier_ids is not None:
        query = query.where(PurchaseOrder.supplier_id.in_(list(supplier_ids)))
    facts = [
        DeliveryFact(
            key=row.supplier_id if by == "supplier" else row.product_id,
            due_date=row.due_date,
            completed_on=row.completed_on,
        )
        for row in session.execute(query)
    ]
    return on_time_rates(facts, today)


def performance(
    rt: Runtime,
    principal: Principal,
    *,
    since: date | None = None,
    until: date | None = None,
    by: Literal["supplier", "product"] = "supplier",
) -> PerformanceRead:
    """On-time rate (供应商交期达成率) of lines due in the period: complete by their due date,
    against complete late or still open past it (H7; N2 supplier and material rates)."""
    require(principal, "purchasing.read")
    today = rt.today()
    until = until or today
    since = since or until - timedelta(days=90)
    if since > until:
        raise ValidationFailed.of([FieldError("since", "Must not be after until", "bad_period")])
    with rt.db.reading() as session:
        rates = _rates(session, principal.company_id, today, by, since=since, until=until)
        model = Supplier if by == "supplier" else Product
        names = {
            row.id: (row.code, row.name)
            for row in session.execute(
                select(model.id, model.code, model.name).where(model.id.in_(list(rates)))
            )
        }
    items = [
        OnTimeRead(
            key_id=key,  # type: ignore[arg-type]
            code=names.get(key, ("", ""))[0],
            name=names.get(key, ("", ""))[1],
            on_time=rate.on_time,
            late=rate.late,
            rate=str(rate.rate) if rate.rate is not None else None,
        )
        for key, rate in rates.items()
    ]
    items.sort(key=lambda r: (r.rate is None, r.rate or "", r.code))
    return PerformanceRead(since=since, until=until, by=by, items=items)
