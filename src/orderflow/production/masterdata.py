"""Production master data use cases (A3): work centres, bills of material, routings.

Each write validates everything first and names every failing field; a BOM that would
contain itself (directly or through its components) is refused, so the planning engine
never meets one. The ``add_*`` / ``set_*`` functions run in the caller's transaction (the
importer uses them row by row); the others open their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from orderflow.api.schemas import Money
from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, FieldErrors, NotFound
from orderflow.planning.axis import periods_from
from orderflow.planning.bom import BomCycle, Component, Item, Source, check_bom
from orderflow.production.models import BomLine, RoutingStep, WorkCentre
from orderflow.production.schemas import (
    BomIn,
    BomLineRead,
    BomRead,
    RoutingIn,
    RoutingRead,
    RoutingStepRead,
    WorkCentreCreate,
    WorkCentreFields,
    WorkCentreRead,
    WorkCentreUpdate,
)
from orderflow.runtime import Principal, Runtime


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def day_minutes(centre: WorkCentre, default_periods: Sequence[str]) -> int:
    return sum(b - a for a, b in periods_from(centre.shifts or list(default_periods)))


# --- work centres -----------------------------------------------------------------------


def centre_read(rt: Runtime, c: WorkCentre) -> WorkCentreRead:
    return WorkCentreRead(
        id=c.id,
        code=c.code,
        name=c.name,
        units=c.units,
        shifts=list(c.shifts or []),
        closed_days=[date.fromisoformat(d) for d in c.closed_days or []],
        hourly_rate=Money.of(c.hourly_rate),
        active=c.active,
        day_minutes=day_minutes(c, rt.policy.calendar.work_periods),
    )


def list_work_centres(rt: Runtime, me: Principal) -> list[WorkCentreRead]:
    require(me, "production.read")
    with rt.db.reading() as s:
        rows = s.scalars(
            select(WorkCentre)
            .where(WorkCentre.company_id == me.company_id)
            .order_by(WorkCentre.code)
        )
        return [centre_read(rt, c) for c in rows]


def _apply_centre(centre: WorkCentre, data: WorkCentreFields) -> None:
    for name, value in data.model_dump(exclude_unset=True, exclude={"code"}).items():
        if value is None:
            continue
        if name == "closed_days":
            value = sorted(d.isoformat() for d in value)
        setattr(centre, name, value)


def add_work_centre(s: Session, rt: Runtime, me: Principal, data: WorkCentreCreate) -> WorkCentre:
    if s.scalar(
        select(WorkCentre.id).where(
            WorkCentre.company_id == me.company_id, WorkCentre.code == data.code
        )
    ):
        raise Conflict(
            f"Work centre {data.code} exists",
            errors=[FieldError("code", "Already used", "duplicate")],
        )
    centre = WorkCentre(
        company_id=me.company_id,
        code=data.code,
        name=data.name,
        units=1,
        shifts=[],
        closed_days=[],
        hourly_rate=Decimal(0),
        active=True,
        created_at=rt.now(),
    )
    _apply_centre(centre, data)
    s.add(centre)
    s.flush()
    return centre


def change_work_centre(s: Session, centre: WorkCentre, data: WorkCentreUpdate) -> WorkCentre:
    _apply_centre(centre, data)
    s.flush()
    return centre


def create_work_centre(rt: Runtime, me: Principal, data: WorkCentreCreate) -> WorkCentreRead:
    require(me, "production.masterdata")
    with rt.db.transaction() as s:
        return centre_read(rt, add_work_centre(s, rt, me, data))


def update_work_centre(
    rt: Runtime, me: Principal, centre_id: int, data: WorkCentreUpdate
) -> WorkCentreRead:
    require(me, "production.masterdata")
    with rt.db.transaction() as s:
        centre = s.get(WorkCentre, centre_id)
        if centre is None or centre.company_id != me.company_id:
            raise NotFound(f"No work centre {centre_id}")
        return centre_read(rt, change_work_centre(s, centre, data))


# --- bills of material ------------------------------------------------------------------


def _product(s: Session, me: Principal, product_id: int) -> Product:
    product = s.get(Product, product_id)
    if product is None or product.company_id != me.company_id:
        raise NotFound(f"No product {product_id}")
    return product


def bom_read(s: Session, product: Product) -> BomRead:
    rows = s.execute(
        select(BomLine, Product)
        .join(Product, Product.id == BomLine.component_id)
        .where(BomLine.product_id == product.id)
        .order_by(BomLine.line_no)
    ).all()
    return BomRead(
        product_id=product.id,
        product_code=product.code,
        lines=[
            BomLineRead(
                line_no=line.line_no,
                component_id=c.id,
                component_code=c.code,
                component_name=c.name,
                unit=c.unit,
                quantity=_qty(line.quantity),
                overage=_qty(line.overage),
                note=line.note,
            )
            for line, c in rows
        ],
    )


def get_bom(rt: Runtime, me: Principal, product_id: int) -> BomRead:
    require(me, "production.read")
    with rt.db.reading() as s:
        return bom_read(s, _product(s, me, product_id))


def structure(s: Session, company_id: int) -> dict[int, Item]:
    """Every product's components, as engine items (for the cycle check)."""
    items: dict[int, list[Component]] = {}
    for line in s.scalars(select(BomLine).where(BomLine.company_id == company_id)):
        items.setdefault(line.product_id, []).append(
            Component(line.component_id, line.quantity, line.overage)
        )
    return {
        pid: Item(pid, str(pid), Source.MAKE, components=tuple(parts))
        for pid, parts in items.items()
    }


def set_bom(s: Session, me: Principal, product: Product, data: BomIn, *, prefix: str = "") -> None:
    """Replace the product's bill of material with ``data`` (checked whole first)."""
    problems = FieldErrors()
    codes = {line.component_code for line in data.lines}
    found = {
        p.code: p
        for p in s.scalars(
            select(Product).where(Product.company_id == me.company_id, Product.code.in_(codes))
        )
    }
    seen: set[int] = set()
    lines: list[BomLine] = []
    for i, line in enumerate(data.lines):
        component = found.get(line.component_code)
        field = f"{prefix}lines[{i}].component_code"
        if component is None:
            problems.add(field, f"No product {line.component_code}", "unknown_product")
            continue
        if component.id == product.id:
            problems.add(field, "A product cannot be its own component", "bom_cycle")
            continue
        if component.id in seen:
            problems.add(field, f"{component.code} is listed twice", "duplicate")
            continue
        seen.add(component.id)
        lines.append(
            BomLine(
                company_id=me.company_id,
                product_id=product.id,
                line_no=i + 1,
                component_id=component.id,
                quantity=line.quantity,
                overage=line.overage,
                note=line.note,
            )
        )
    if not problems:
        items = structure(s, me.company_id)
        items[product.id] = Item(
            product.id,
            product.code,
            Source.MAKE,
            components=tuple(Component(x.component_id, x.quantity, x.overage) for x in lines),
        )
        try:
            check_bom(items, product.id)
        except BomCycle:
            problems.add(
                f"{prefix}lines",
                f"{product.code} would contain itself through its components",
                "bom_cycle",
            )
    problems.raise_if_any()
    s.execute(delete(BomLine).where(BomLine.product_id == product.id))
    s.add_all(lines)
    s.flush()


def put_bom(rt: Runtime, me: Principal, product_id: int, data: BomIn) -> BomRead:
    require(me, "production.masterdata")
    with rt.db.transaction() as s:
        product = _product(s, me, product_id)
        set_bom(s, me, product, data)
        return bom_read(s, product)


# --- routings ---------------------------------------------------------------------------


def routing_read(s: Session, product: Product) -> RoutingRead:
    rows = s.execute(
        select(RoutingStep, WorkCentre.code)
        .join(WorkCentre, WorkCentre.id == RoutingStep.work_centre_id)
        .where(RoutingStep.product_id == product.id)
        .order_by(RoutingStep.seq)
    ).all()
    return RoutingRead(
        product_id=product.id,
        product_code=product.code,
        steps=[
            RoutingStepRead(
                seq=step.seq,
                name=step.name,
                work_centre_id=step.work_centre_id,
                work_centre_code=code,
                setup_minutes=step.setup_minutes,
                run_minutes=_qty(step.run_minutes),
            )
            for step, code in rows
        ],
    )


def get_routing(rt: Runtime, me: Principal, product_id: int) -> RoutingRead:
    require(me, "production.read")
    with rt.db.reading() as s:
        return routing_read(s, _product(s, me, product_id))


def set_routing(
    s: Session, me: Principal, product: Product, data: RoutingIn, *, prefix: str = ""
) -> None:
    problems = FieldErrors()
    centres = {
        c.code: c
        for c in s.scalars(select(WorkCentre).where(WorkCentre.company_id == me.company_id))
    }
    seqs: set[int] = set()
    steps = []
    for i, step in enumerate(data.steps):
        centre = centres.get(step.work_centre_code)
        if centre is None:
            problems.add(
                f"{prefix}steps[{i}].work_centre_code",
                f"No work centre {step.work_centre_code}",
                "unknown_work_centre",
            )
        elif not centre.active:
            problems.add(
                f"{prefix}steps[{i}].work_centre_code", f"{centre.code} is inactive", "inactive"
            )
        if step.seq in seqs:
            problems.add(
                f"{prefix}steps[{i}].seq", f"Operation {step.seq} is listed twice", "duplicate"
            )
        seqs.add(step.seq)
        if centre is not None:
            steps.append(
                RoutingStep(
                    company_id=me.company_id,
                    product_id=product.id,
                    seq=step.seq,
                    name=step.name,
                    work_centre_id=centre.id,
                    setup_minutes=step.setup_minutes,
                    run_minutes=step.run_minutes,
                )
            )
    problems.raise_if_any()
    s.execute(delete(RoutingStep).where(RoutingStep.product_id == product.id))
    s.add_all(steps)
    s.flush()


def put_routing(rt: Runtime, me: Principal, product_id: int, data: RoutingIn) -> RoutingRead:
    require(me, "production.masterdata")
    with rt.db.transaction() as s:
        product = _product(s, me, product_id)
        set_routing(s, me, product, data)
        return routing_read(s, product)
