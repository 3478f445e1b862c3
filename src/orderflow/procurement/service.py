"""Requisition and purchase-order use cases: each one transaction, called alike by the API,
the pages and the CLI (and, for requisitions, by planning through the port)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import EventRead
from orderflow.auth.roles import Role
from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import FieldErrors
from orderflow.core.events import Actor
from orderflow.core.idempotency import once
from orderflow.core.kit import DocumentKind, actor_of, document_events, get_document, run_step
from orderflow.core.paging import after_cursor, page_of
from orderflow.inventory.models import Warehouse
from orderflow.inventory.warehouses import company_warehouse
from orderflow.procurement import effects, receiving, requisition_effects
from orderflow.procurement.flow import (
    PR_OPEN,
    Basis,
    amount,
    basis_of,
    fmt,
    make_order_lifecycle,
    make_requisition_lifecycle,
    requirement,
)
from orderflow.procurement.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequisition,
    RequisitionLine,
    Supplier,
    SupplierItem,
)
from orderflow.procurement.read import (
    order_read,
    order_summaries,
    requisition_read,
    requisition_summaries,
)
from orderflow.procurement.schemas import (
    OrderCreate,
    OrderLineCreate,
    PurchaseOrderRead,
    PurchaseOrderSummary,
    RequisitionCreate,
    RequisitionRead,
    RequisitionSummary,
)
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

ZERO = Decimal(0)


def _buyer(doc: DocumentMixin, role: str) -> int | None:
    """Follow-up tasks of a purchase order are its buyer's."""
    return getattr(doc, "buyer_id", None) if role == Role.PROCUREMENT else None


REQUISITION_LIFECYCLE = make_requisition_lifecycle()
ORDER_LIFECYCLE = make_order_lifecycle(assignee_for=_buyer)

REQUISITIONS: DocumentKind[PurchaseRequisition] = DocumentKind(
    model=PurchaseRequisition,
    lifecycle=REQUISITION_LIFECYCLE,
    read_permission="purchasing.read",
    effects={
        "cover": requisition_effects.cover,
        "transfer": requisition_effects.transfer,
        "cancel": requisition_effects.cancel_requisition,
    },
    load_options=(selectinload(PurchaseRequisition.lines),),
)

ORDERS: DocumentKind[PurchaseOrder] = DocumentKind(
    model=PurchaseOrder,
    lifecycle=ORDER_LIFECYCLE,
    read_permission="purchasing.read",
    effects={
        "revise": effects.revise,
        "submit": effects.submit,
        "approve": effects.approve,
        "confirm_date": effects.confirm_date,
        "report_late": effects.report_late,
        "confirm_shipment": effects.confirm_shipment,
        "receive": receiving.receive,
        "inspected": receiving.inspected,
        "settle_rejects": receiving.settle_rejects,
        "agree_remainder": effects.agree_remainder,
        "request_reduction": effects.request_reduction,
        "consent_reduction": effects.consent_reduction,
        "refuse_reduction": effects.refuse_reduction,
        "cancel": effects.cancel_order,
    },
    load_options=(selectinload(PurchaseOrder.lines),),
)


def read_requisition(
    session: Session, req: PurchaseRequisition, principal: Principal
) -> RequisitionRead:
    return requisition_read(session, req, principal, REQUISITION_LIFECYCLE)


def read_order(session: Session, po: PurchaseOrder, principal: Principal) -> PurchaseOrderRead:
    return order_read(session, po, principal, ORDER_LIFECYCLE)


def _products(
    session: Session, company_id: int, items: Sequence[Any], prefix: str, problems: FieldErrors
) -> dict[int, Product]:
    """Each item's product (by id or code), active and of this company."""
    ids = {i.product_id for i in items if getattr(i, "product_id", None) is not None}
    codes = {i.product_code for i in items if getattr(i, "product_code", None)}
    if not ids and not codes:
        return {}
    found = session.scalars(
        select(Product).where(
            Product.company_id == company_id, or_(Product.id.in_(ids), Product.code.in_(codes))
        )
    ).all()
    by_id, by_code = {p.id: p for p in found}, {p.code: p for p in found}
    out = {}
    for i, item in enumerate(items):
        pid, code = getattr(item, "product_id", None), getattr(item, "product_code", None)
        if pid is None and not code:
            continue
        product = by_id.get(pid) if pid is not None else by_code.get(code or "")
        field = f"{prefix}[{i}].product_id" if pid is not None else f"{prefix}[{i}].product_code"
        if product is None:
            problems.add(field, "No such product", "unknown_product")
        elif not product.active:
            problems.add(field, f"{product.code} is discontinued", "inactive_product")
        else:
            out[i] = product
    return out


def _sales_order(
    session: Session, company_id: int, order_id: int | None, problems: FieldErrors
) -> int | None:
    if order_id is None:
        return None
    found = session.scalar(
        select(SalesOrder.id).where(SalesOrder.id == order_id, SalesOrder.company_id == company_id)
    )
    if found is None:
        problems.add("sales_order_id", "No such sales order", "unknown_order")
    return found


def _bom_use(
    session: Session, rt: Runtime, company_id: int, sales_order_id: int | None
) -> dict[int, ports.BomUse]:
    """The materials the sales order's BOMs use (H2), by product id; none without an order."""
    if sales_order_id is None:
        return {}
    return ports.bom_use(  # type: ignore[no-any-return]
        session, rt, company_id=company_id, sales_order_id=sales_order_id
    )


def _basis(item: Any, bom: ports.BomUse | None, default_allowance: Decimal) -> Basis:
    return basis_of(
        unit_use=item.unit_use,
        for_quantity=item.for_quantity,
        allowance=item.allowance,
        bom=bom,
        default_allowance=default_allowance,
    )


def _basis_columns(basis: Basis) -> dict[str, Any]:
    """A line's H2 columns (``models.PurchaseBasis``) from its basis."""
    return {
        "unit_use": basis.unit_use,
        "for_quantity": basis.for_quantity,
        "allowance": basis.allowance,
        "unit_use_source": basis.source,
        "bom_unit_use": basis.bom_unit_use,
    }


# --- requisitions -------------------------------------------------------------------------


def create_requisition(
    rt: Runtime,
    principal: Principal,
    data: RequisitionCreate,
    *,
    idempotency_key: str | None = None,
) -> RequisitionRead:
    """A requisition raised by hand (a buyer, materials control); H2's basis is kept on it."""
    require(principal, "requisitions.create")

    def make(session: Session) -> RequisitionRead:
        problems = FieldErrors()
        order_id = _sales_order(session, principal.company_id, data.sales_order_id, problems)
        products = _products(session, principal.company_id, data.lines, "lines", problems)
        if data.needed_by < rt.today():
            problems.add("needed_by", "The date is past", "past_date")
        lines = []
        allowance_default = rt.policy.procurement.default_allowance
        bom = _bom_use(session, rt, principal.company_id, order_id)
        for i, item in enumerate(data.lines):
            product = products.get(i)
            if product is None:
                continue
            known = _basis(item, bom.get(product.id), allowance_default)
            basis = None
            if known.unit_use is not None and known.for_quantity is not None:
                allowance = known.allowance if known.allowance is not None else allowance_default
                basis = requirement(known.unit_use, known.for_quantity, allowance)
            quantity = item.quantity if item.quantity is not None else basis
            if quantity is None:
                problems.add(
                    f"lines[{i}].quantity",
                    "Give quantity, or unit_use and for_quantity"
                    + (
                        f": the sales order's bills of material do not use {product.code}"
                        if order_id
                        else ""
                    ),
                    "missing_basis",
                )
                continue
            if basis is not None and quantity > basis:
                problems.add(
                    f"lines[{i}].quantity",
                    f"More than unit use × quantity × (1 + allowance) = {fmt(basis)} (H2)",
                    "over_requirement",
                )
            lines.append(
                RequisitionLine(
                    line_no=i + 1,
                    product_id=product.id,
                    product=product,
                    quantity=quantity,
                    **_basis_columns(known),
                    needed_by=item.needed_by or data.needed_by,
                    note=item.note,
                )
            )
        problems.raise_if_any()
        req = PurchaseRequisition(
            company_id=principal.company_id,
            sales_order_id=order_id,
            source="manual",
            reason=data.reason,
            needed_by=data.needed_by,
            requested_by_id=principal.id,
            lines=lines,
        )
        REQUISITIONS.start(
            session, rt, req, actor=actor_of(principal), payload={"lines": len(lines)}
        )
        return read_requisition(session, req, principal)

    return once(
        rt,
        principal,
        scope="requisitions.create",
        body=data,
        key=idempotency_key,
        create=make,
        model=RequisitionRead,
    )


def raise_requisitions(
    session: Session, rt: Runtime, needs: Sequence[ports.PurchaseNeed], actor: Actor
) -> list[PurchaseRequisition]:
    """Planning's purchase needs (E7 → H1) as requisitions, one per company and sales order."""
    problems = FieldErrors()
    groups: dict[tuple[int, int | None], list[tuple[int, ports.PurchaseNeed]]] = {}
    for i, need in enumerate(needs):
        if need.quantity <= 0:
            problems.add(f"needs[{i}].quantity", "Must be more than zero", "not_positive")
        groups.setdefault((need.company_id, need.sales_order_id), []).append((i, need))
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_({n.product_id for n in needs}))
        )
    }
    for i, need in enumerate(needs):
        product = products.get(need.product_id)
        if product is None or product.company_id != need.company_id:
            problems.add(
                f"needs[{i}].product_id", "Not a product of this company", "unknown_product"
            )
    problems.raise_if_any()
    made = []
    for (company_id, order_id), items in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
    ):
        req = PurchaseRequisition(
            company_id=company_id,
            sales_order_id=order_id,
            source="planning",
            reason="; ".join(dict.fromkeys(n.reason for _, n in items if n.reason)),
            needed_by=min(n.needed_by for _, n in items),
            requested_by_id=actor.id,
            lines=[
                RequisitionLine(
                    line_no=k + 1,
                    product_id=need.product_id,
                    quantity=need.quantity,
                    needed_by=need.needed_by,
                    note=need.reason[:300],
                )
                for k, (_, need) in enumerate(items)
            ],
        )
        REQUISITIONS.start(
            session, rt, req, actor=actor, payload={"lines": len(items), "source": "planning"}
        )
        made.append(req)
    return made


def get_requisition(rt: Runtime, principal: Principal, req_id: int) -> RequisitionRead:
    return get_document(rt, principal, REQUISITIONS, req_id, read_requisition)


def list_requisitions(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    sales_order_id: int | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[RequisitionSummary], str | None]:
    require(principal, "purchasing.read")
    query = select(PurchaseRequisition).where(REQUISITIONS.visible(principal))
    if state:
        query = query.where(PurchaseRequisition.state == state)
    if sales_order_id:
        query = query.where(PurchaseRequisition.sales_order_id == sales_order_id)
    query = after_cursor(query, PurchaseRequisition.id, cursor).options(
        selectinload(PurchaseRequisition.lines)
    )
    limit = max(1, min(limit, 200))
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return requisition_summaries(session, rows), nxt


def requisition_step(
    rt: Runtime,
    principal: Principal,
    req_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> RequisitionRead:
    return run_step(
        rt,
        principal,
        REQUISITIONS,
        req_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_requisition,
    )


def requisition_events(rt: Runtime, principal: Principal, req_id: int) -> list[EventRead]:
    return document_events(rt, principal, REQUISITIONS, req_id)


# --- purchase orders ------------------------------------------------------------------------


def create_order(
    rt: Runtime, principal: Principal, data: OrderCreate, *, idempotency_key: str | None = None
) -> PurchaseOrderRead:
    """A purchase order for one supplier and one sales order, from requisitions or by hand.
    Requisition lines count as ordered at once, so nobody buys them twice."""
    require(principal, "purchase_orders.create")

    def make(session: Session) -> PurchaseOrderRead:
        po = _new_order(session, rt, principal, data)
        return read_order(session, po, principal)

    return once(
        rt,
        principal,
        scope="purchase_orders.create",
        body=data,
        key=idempotency_key,
        create=make,
        model=PurchaseOrderRead,
    )


def _supplier(
    session: Session, company_id: int, data: OrderCreate, problems: FieldErrors
) -> Supplier | None:
    query = select(Supplier).where(Supplier.company_id == company_id)
    if data.supplier_id is not None:
        supplier, field = (
            session.scalar(query.where(Supplier.id == data.supplier_id)),
            "supplier_id",
        )
    else:
        supplier, field = (
            session.scalar(query.where(Supplier.code == data.supplier_code)),
            "supplier_code",
        )
    if supplier is None:
        problems.add(field, "No such supplier", "unknown_supplier")
    elif not supplier.active:
        problems.add(field, f"{supplier.code} is no longer active", "inactive_supplier")
        return None
    return supplier


def _warehouse(
    session: Session, company_id: int, code: str | None, problems: FieldErrors
) -> Warehouse | None:
    found = company_warehouse(session, company_id, code)
    if found is None:
        problems.add(
            "warehouse_code",
            "No such warehouse" if code else "The company has no warehouse",
            "unknown_warehouse",
        )
    return found


def _requisition_items(
    session: Session, company_id: int, data: OrderCreate, problems: FieldErrors
) -> list[tuple[str, int | None, OrderLineCreate, RequisitionLine | None]]:
    """Every line asked for: (field name, index in ``lines``, item, its requisition line)."""
    numbers = set(data.from_requisitions) | {
        item.requisition for item in data.lines if item.requisition
    }
    reqs = {
        r.number: r
        for r in session.scalars(
            select(PurchaseRequisition)
            .where(
                PurchaseRequisition.company_id == company_id,
                PurchaseRequisition.number.in_(numbers),
            )
            .options(selectinload(PurchaseRequisition.lines))
        )
    }
    out: list[tuple[str, int | None, OrderLineCreate, RequisitionLine | None]] = []
    for i, number in enumerate(data.from_requisitions):
        req = reqs.get(number)
        if req is None or req.state != PR_OPEN:
            problems.add(
                f"from_requisitions[{i}]", "No such open requisition", "unknown_requisition"
            )
            continue
        for open_line in req.lines:
            if open_line.open_quantity > 0:
                item = OrderLineCreate(requisition=number, requisition_line=open_line.line_no)
                out.append((f"from_requisitions[{i}]", None, item, open_line))
    for i, item in enumerate(data.lines):
        rl: RequisitionLine | None = None
        if item.requisition:
            req = reqs.get(item.requisition)
            rl = (
                next((ln for ln in req.lines if ln.line_no == item.requisition_line), None)
                if req
                else None
            )
            if req is None or req.state != PR_OPEN or rl is None:
                problems.add(
                    f"lines[{i}].requisition",
                    "No such open requisition line",
                    "unknown_requisition",
                )
                continue
        out.append((f"lines[{i}]", i, item, rl))
    return out


def _new_order(
    session: Session, rt: Runtime, principal: Principal, data: OrderCreate
) -> PurchaseOrder:
    problems = FieldErrors()
    company = principal.company_id
    supplier = _supplier(session, company, data, problems)
    warehouse = _warehouse(session, company, data.warehouse_code, problems)
    order_id = _sales_order(session, company, data.sales_order_id, problems)
    items = _requisition_items(session, company, data, problems)
    products = _products(
        session, company, [i if not i.requisition else None for i in data.lines], "lines", problems
    )
    prices = (
        {
            si.product_id: si
            for si in session.scalars(
                select(SupplierItem).where(SupplierItem.supplier_id == supplier.id)
            )
        }
        if supplier
        else {}
    )
    taken: dict[int, Decimal] = {}
    orders_of_reqs: set[int | None] = set()
    lines: list[PurchaseOrderLine] = []
    # Lines bought by hand for the order take their H2 basis from its BOMs when not typed
    # (lines from requisitions are bounded by the requisition: no explosion for them).
    for_order = order_id or next(
        (rl.requisition.sales_order_id for *_, rl in items if rl is not None), None
    )
    by_hand = any(rl is None for *_, rl in items)
    bom = _bom_use(session, rt, company, for_order) if by_hand else {}
    allowance_default = rt.policy.procurement.default_allowance
    for where, index, item, rl in items:
        if rl is not None:
            product_id = rl.product_id
            open_now = rl.open_quantity - taken.get(rl.id, ZERO)
            quantity = item.quantity if item.quantity is not None else open_now
            if quantity <= 0 or quantity > open_now:
                problems.add(
                    f"{where}.quantity" if where.startswith("lines") else where,
                    f"The requisition line needs {fmt(max(open_now, ZERO))}",
                    "over_requirement",
                )
                continue
            taken[rl.id] = taken.get(rl.id, ZERO) + quantity
            orders_of_reqs.add(rl.requisition.sales_order_id)
        else:
            product = products.get(index) if index is not None else None
            if product is None:
                continue
            product_id, quantity = product.id, item.quantity or ZERO
        known = _basis(item, bom.get(product_id) if rl is None else None, allowance_default)
        price = item.unit_price
        if price is None:
            listed = prices.get(product_id)
            price = listed.unit_price if listed is not None else None
        if price is None:
            problems.add(
                f"{where}.unit_price", "The supplier has no price for it: give one", "no_price"
            )
            continue
        lines.append(
            PurchaseOrderLine(
                line_no=len(lines) + 1,
                product_id=product_id,
                quantity=quantity,
                unit_price=price,
                amount=amount(quantity, price),
                requisition_line_id=rl.id if rl else None,
                **_basis_columns(known),
            )
        )
    if len(orders_of_reqs) > 1 or (orders_of_reqs and order_id and orders_of_reqs != {order_id}):
        problems.add(
            "sales_order_id",
            "One purchase order per sales order (按单采购): the requisitions are for different orders",
            "mixed_orders",
        )
    if not lines and not problems:
        problems.add("lines", "Nothing left to buy on these requisitions", "nothing_to_buy")
    problems.raise_if_any()
    assert supplier is not None and warehouse is not None
    order_id = order_id or next(iter(orders_of_reqs), None)
    needed = [rl.needed_by for *_, rl in items if rl is not None]
    due = data.due_date or (
        min(needed) if needed else rt.today() + timedelta(days=supplier.default_lead_time_days)
    )
    po = PurchaseOrder(
        company_id=company,
        supplier_id=supplier.id,
        supplier=supplier,
        sales_order_id=order_id,
        warehouse_id=warehouse.id,
        due_date=due,
        supplier_promised_date=data.supplier_promised_date,
        currency=rt.settings.default_currency,
        total_amount=sum((ln.amount for ln in lines), Decimal("0.00")),
        notes=data.notes,
        buyer_id=principal.id,
        lines=lines,
    )
    actor = actor_of(principal)
    ORDERS.start(
        session,
        rt,
        po,
        actor=actor,
        payload={"supplier": supplier.code, "total": str(po.total_amount)},
    )
    # The requisitions count these lines as ordered now, and say whether they are covered.
    covered = {rl.id: rl for *_, rl in items if rl is not None}
    for rl_id, qty in taken.items():
        covered[rl_id].ordered_quantity += qty
    for req in {rl.requisition for rl in covered.values()}:
        if requisition_effects.requisition_state(req) != req.state:
            REQUISITIONS.step(session, rt, req, "cover", principal=principal)
    return po


def get_order(rt: Runtime, principal: Principal, po_id: int) -> PurchaseOrderRead:
    return get_document(rt, principal, ORDERS, po_id, read_order)


def list_orders(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | Sequence[str] | None = None,
    supplier_id: int | None = None,
    sales_order_id: int | None = None,
    late: bool | None = None,
    q: str | None = None,
    due_before: date | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[PurchaseOrderSummary], str | None]:
    require(principal, "purchasing.read")
    query = select(PurchaseOrder).where(ORDERS.visible(principal))
    if isinstance(state, str):
        query = query.where(PurchaseOrder.state == state)
    elif state:
        query = query.where(PurchaseOrder.state.in_(list(state)))
    if supplier_id:
        query = query.where(PurchaseOrder.supplier_id == supplier_id)
    if sales_order_id:
        query = query.where(PurchaseOrder.sales_order_id == sales_order_id)
    if late is not None:
        query = query.where(PurchaseOrder.late == late)
    if q:
        like = f"%{q.strip()}%"
        query = query.join(Supplier, Supplier.id == PurchaseOrder.supplier_id).where(
            or_(
                PurchaseOrder.number.ilike(like),
                Supplier.name.ilike(like),
                Supplier.code.ilike(like),
            )
        )
    if due_before:
        query = query.where(PurchaseOrder.due_date <= due_before)
    query = after_cursor(query, PurchaseOrder.id, cursor)
    limit = max(1, min(limit, 200))
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return order_summaries(session, rows), nxt


def order_step(
    rt: Runtime,
    principal: Principal,
    po_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> PurchaseOrderRead:
    return run_step(
        rt,
        principal,
        ORDERS,
        po_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_order,
    )


def order_events(rt: Runtime, principal: Principal, po_id: int) -> list[EventRead]:
    return document_events(rt, principal, ORDERS, po_id)


def find_order_id(rt: Runtime, principal: Principal, number: str) -> int | None:
    with rt.db.reading() as session:
        return session.scalar(
            select(PurchaseOrder.id).where(
                PurchaseOrder.number == number, ORDERS.visible(principal)
            )
        )


def find_requisition_id(rt: Runtime, principal: Principal, number: str) -> int | None:
    with rt.db.reading() as session:
        return session.scalar(
            select(PurchaseRequisition.id).where(
                PurchaseRequisition.number == number, REQUISITIONS.visible(principal)
            )
        )
