"""Inspection use cases: asked for by receipts, production or shipping (through the port) or
by hand; recorded at the quality station; counted for the KPIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from orderflow.api.schemas import EventRead
from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import FieldError, FieldErrors, ValidationFailed
from orderflow.core.events import Actor
from orderflow.core.kit import DocumentKind, actor_of, document_events, get_document, run_step
from orderflow.core.paging import after_cursor, page_of
from orderflow.parties.models import Customer
from orderflow.quality import effects
from orderflow.quality.flow import FAILED, PASSED, STAGES, make_lifecycle
from orderflow.quality.models import Inspection
from orderflow.quality.read import inspection_read, summary
from orderflow.quality.sampling import lot_units, plan_for
from orderflow.quality.schemas import (
    InspectionCreate,
    InspectionRead,
    InspectionSummary,
    QualityStats,
    StageStats,
)
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

LIFECYCLE = make_lifecycle()

INSPECTIONS: DocumentKind[Inspection] = DocumentKind(
    model=Inspection,
    lifecycle=LIFECYCLE,
    read_permission="inspections.read",
    effects={"record": effects.record, "reinspect": effects.reinspect, "cancel": effects.cancel},
)


def read_inspection(session: Session, insp: Inspection, principal: Principal) -> InspectionRead:
    return inspection_read(session, insp, principal, LIFECYCLE)


def open_inspection(
    session: Session, rt: Runtime, request: ports.InspectionRequest, actor: Actor
) -> Inspection:
    """A lot waiting for inspection, with its sampling plan (GB/T 2828.1 at the policy's AQL)
    and, for a final inspection, the customer's quality and shipping standards (J4)."""
    if request.stage not in STAGES:
        raise ValidationFailed.of(
            [FieldError("stage", f"One of {', '.join(STAGES)}", "unknown_stage")]
        )
    aql, level = rt.policy.quality.aql, rt.policy.quality.level_for(request.stage)
    plan = plan_for(lot_units(request.quantity), aql, level)
    quality_standard = shipping_standard = ""
    if request.sales_order_id is not None and request.stage == "final":
        row = session.execute(
            select(Customer.quality_standard, Customer.shipping_standard)
            .join(SalesOrder, SalesOrder.customer_id == Customer.id)
            .where(SalesOrder.id == request.sales_order_id)
        ).one_or_none()
        if row is not None:
            quality_standard, shipping_standard = row[0] or "", row[1] or ""
    supplier_id = None
    if request.source_document_type == "purchase_order":
        from orderflow.procurement.models import PurchaseOrder

        supplier_id = session.scalar(
            select(PurchaseOrder.supplier_id).where(PurchaseOrder.id == request.source_document_id)
        )
    insp = Inspection(
        company_id=request.company_id,
        stage=request.stage,
        product_id=request.product_id,
        lot_quantity=request.quantity,
        lot=request.lot,
        source_document_type=request.source_document_type or None,
        source_document_id=request.source_document_id or None,
        source_number=request.source_number,
        source_line=request.source_line,
        sales_order_id=request.sales_order_id,
        supplier_id=supplier_id,
        operation=request.operation,
        aql=aql,
        inspection_level=level,
        sample_size=plan.sample_size,
        accept_number=plan.accept,
        quality_standard=quality_standard,
        shipping_standard=shipping_standard,
    )
    INSPECTIONS.start(
        session,
        rt,
        insp,
        actor=actor,
        payload={
            "stage": request.stage,
            "lot": request.lot,
            "quantity": str(request.quantity),
            "sample_size": plan.sample_size,
            "accept": plan.accept,
        },
        signals={f"stage:{request.stage}"},
    )
    return insp


@ports.request_inspection.provide
def _request_inspection(
    session: Session, rt: Runtime, request: ports.InspectionRequest, actor: Actor
) -> str:
    return open_inspection(session, rt, request, actor).number


@dataclass(frozen=True)
class _MadeIn:
    """The production order and operation an in-process lot comes from."""

    mo_id: int
    number: str
    seq: int | None
    operation: str
    sales_order_id: int | None


def _made_in(
    session: Session, principal: Principal, data: InspectionCreate, problems: FieldErrors
) -> _MadeIn | None:
    if data.production_order is None:
        if data.operation_seq is not None:
            problems.add("production_order", "Name the production order", "missing")
        return None
    if data.stage != "in_process":
        problems.add(
            "production_order",
            "Only an in-process lot is inspected by production order here; a finished lot's "
            "final inspection opens when the order is completed",
            "invalid",
        )
        return None
    from orderflow.production.models import ProductionOperation, ProductionOrder

    mo = session.scalar(
        select(ProductionOrder).where(
            ProductionOrder.company_id == principal.company_id,
            ProductionOrder.number == data.production_order,
        )
    )
    if mo is None:
        problems.add("production_order", "No such production order", "unknown_order")
        return None
    name = ""
    if data.operation_seq is not None:
        op = session.scalar(
            select(ProductionOperation).where(
                ProductionOperation.production_order_id == mo.id,
                ProductionOperation.seq == data.operation_seq,
            )
        )
        if op is None:
            problems.add("operation_seq", "No such operation on this order", "unknown_operation")
            return None
        name = f"{op.seq} {op.name}"
    return _MadeIn(mo.id, mo.number, data.operation_seq, name, mo.sales_order_id)


def create_inspection(rt: Runtime, principal: Principal, data: InspectionCreate) -> InspectionRead:
    """An in-process or final inspection asked for at the quality station."""
    require(principal, "inspections.create")
    with rt.db.transaction() as session:
        problems = FieldErrors()
        query = select(Product).where(Product.company_id == principal.company_id)
        product = session.scalar(
            query.where(Product.id == data.product_id)
            if data.product_id is not None
            else query.where(Product.code == data.product_code)
        )
        if product is None:
            problems.add(
                "product_id" if data.product_id is not None else "product_code",
                "No such product",
                "unknown_product",
            )
        order_number = ""
        if data.sales_order_id is not None:
            order_number = (
                session.scalar(
                    select(SalesOrder.number).where(
                        SalesOrder.id == data.sales_order_id,
                        SalesOrder.company_id == principal.company_id,
                    )
                )
                or ""
            )
            if not order_number:
                problems.add("sales_order_id", "No such order", "unknown_order")
        made_in = _made_in(session, principal, data, problems)
        problems.raise_if_any()
        assert product is not None
        insp = open_inspection(
            session,
            rt,
            ports.InspectionRequest(
                company_id=principal.company_id,
                stage=data.stage,
                product_id=product.id,
                quantity=data.quantity,
                source_document_type="production_order"
                if made_in
                else ("sales_order" if data.sales_order_id else ""),
                source_document_id=made_in.mo_id if made_in else (data.sales_order_id or 0),
                source_number=made_in.number if made_in else order_number,
                source_line=made_in.seq if made_in else None,
                sales_order_id=made_in.sales_order_id if made_in else data.sales_order_id,
                lot=data.lot,
                operation=data.operation or (made_in.operation if made_in else ""),
            ),
            actor_of(principal),
        )
        return read_inspection(session, insp, principal)


def get_inspection(rt: Runtime, principal: Principal, insp_id: int) -> InspectionRead:
    return get_document(rt, principal, INSPECTIONS, insp_id, read_inspection)


def inspection_events(rt: Runtime, principal: Principal, insp_id: int) -> list[EventRead]:
    return document_events(rt, principal, INSPECTIONS, insp_id)


def inspection_step(
    rt: Runtime,
    principal: Principal,
    insp_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> InspectionRead:
    return run_step(
        rt,
        principal,
        INSPECTIONS,
        insp_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_inspection,
    )


def list_inspections(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    stage: str | None = None,
    q: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[InspectionSummary], str | None]:
    require(principal, "inspections.read")
    query = select(Inspection).where(INSPECTIONS.visible(principal))
    if state:
        query = query.where(Inspection.state == state)
    if stage:
        query = query.where(Inspection.stage == stage)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(
            or_(
                Inspection.number.ilike(like),
                Inspection.source_number.ilike(like),
                Inspection.lot.ilike(like),
            )
        )
    query = after_cursor(query, Inspection.id, cursor)
    limit = max(1, min(limit, 200))
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return [summary(i) for i in rows], nxt


def _rate(good: int, total: int) -> str | None:
    if not total:
        return None
    return str((Decimal(good) / total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def quality_stats(
    rt: Runtime, principal: Principal, *, since: date | None = None, until: date | None = None
) -> QualityStats:
    """Lots judged in the period per stage: passed and failed lots, and the pass rate of all
    units sampled (the batch pass rate of J2, averaged by weight)."""
    require(principal, "inspections.read")
    today = rt.today()
    until = until or today
    since = since or today.replace(day=1)
    if since > until:
        raise ValidationFailed.of([FieldError("since", "Must not be after until", "bad_period")])
    zone = rt.policy.zone
    start = datetime.combine(since, time(0), zone)
    end = datetime.combine(until + timedelta(days=1), time(0), zone)
    with rt.db.reading() as session:
        rows: Any = session.execute(
            select(
                Inspection.stage,
                Inspection.state,
                func.count(),
                func.coalesce(func.sum(Inspection.inspected), 0),
                func.coalesce(func.sum(Inspection.defective), 0),
            )
            .where(
                INSPECTIONS.visible(principal),
                Inspection.state.in_([PASSED, FAILED]),
                Inspection.inspected_at >= start,
                Inspection.inspected_at < end,
            )
            .group_by(Inspection.stage, Inspection.state)
        ).all()
    stages = []
    for stage in STAGES:
        mine = [r for r in rows if r[0] == stage]
        passed = sum(r[2] for r in mine if r[1] == PASSED)
        failed = sum(r[2] for r in mine if r[1] == FAILED)
        inspected = sum(int(r[3]) for r in mine)
        defective = sum(int(r[4]) for r in mine)
        stages.append(
            StageStats(
                stage=stage,
                lots=passed + failed,
                passed=passed,
                failed=failed,
                lot_pass_rate=_rate(passed, passed + failed),
                sample_pass_rate=_rate(inspected - defective, inspected),
            )
        )
    return QualityStats(since=since, until=until, stages=stages)
