"""Loading what a planning run needs from the database: the group's items (BOMs,
routings), open demand, released production orders, stock, open supply and work centres.

Each company of a group keeps its own product master, so the same material has one id
per company. For netting across the group they are matched by product code: every code
gets one *canonical* id (the planning company's own product where it has one), and
results are mapped back to each company's own product ids when stored.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product, ProductKind
from orderflow.core import ports
from orderflow.core.calendar import BusinessCalendar, CalendarCoverageWarning
from orderflow.inventory.models import StockLevel, Warehouse
from orderflow.org.models import Company
from orderflow.planning.axis import minute_of, periods_from
from orderflow.planning.bom import Component, Demand, Item, Job, Source, Step
from orderflow.planning.engine import PlanInput, ReleasedJob, SolverOptions
from orderflow.planning.schedule import Operation, WorkCentreSpec
from orderflow.policy.loader import Policy
from orderflow.production.flow import CANCELLED, COMPLETED
from orderflow.production.models import (
    BomLine,
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
    RoutingStep,
    WorkCentre,
)
from orderflow.sales.flow import CONFIRMED, PARTIALLY_SHIPPED
from orderflow.sales.models import SalesOrder, SalesOrderLine

PRIORITY_RANK = {"urgent": 0, "special": 1, "normal": 2}
#: Days of calendar looked up in advance for a plan (beyond it: weekends only).
CALENDAR_DAYS = 800


def group_of(session: Session, company_id: int) -> tuple[str, list[int]]:
    """The group key and the companies planned together with ``company_id``."""
    code = session.scalar(select(Company.group_code).where(Company.id == company_id))
    if not code:
        return f"company:{company_id}", [company_id]
    ids = session.scalars(select(Company.id).where(Company.group_code == code).order_by(Company.id))
    return code, list(ids)


class Calendar:
    """The business calendar's working days for the plan's span, looked up once.

    Looking the days up in one go keeps the holiday library's "year not covered" warning
    in one place: it is caught here and reported with the plan (a plan reaching into a
    year the State Council has not published yet counts weekends only there).
    """

    def __init__(self, calendar: BusinessCalendar, start: date, days: int = CALENDAR_DAYS) -> None:
        self.start = start
        self.weekdays = calendar.weekdays
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always", CalendarCoverageWarning)
            self.open = [calendar.is_working_day(start + timedelta(days=i)) for i in range(days)]
        self.warnings = calendar.coverage_warnings(
            range(start.year, (start + timedelta(days=days)).year + 1)
        )

    def __call__(self, day: date) -> bool:
        i = (day - self.start).days
        if 0 <= i < len(self.open):
            return self.open[i]
        return day.weekday() in self.weekdays


@dataclass
class Products:
    """Canonical ids by code across the group, and back to each company's own id."""

    canonical: dict[int, int] = field(default_factory=dict)
    local: dict[tuple[int, int], int] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)
    units: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)

    def to_local(self, company_id: int, canonical_id: int) -> int | None:
        return self.local.get((company_id, canonical_id))


def load_products(
    session: Session, companies: Collection[int], prefer: int
) -> tuple[Products, list[Product]]:
    rows = session.scalars(select(Product).where(Product.company_id.in_(companies))).all()
    by_code: dict[str, list[Product]] = {}
    for p in rows:
        by_code.setdefault(p.code, []).append(p)
    out = Products()
    for code, same in by_code.items():
        chosen = next((p for p in same if p.company_id == prefer), min(same, key=lambda p: p.id))
        for p in same:
            out.canonical[p.id] = chosen.id
            out.local[(p.company_id, chosen.id)] = p.id
        out.codes[chosen.id] = code
        out.units[chosen.id] = chosen.unit
        out.names[chosen.id] = chosen.name
    return out, list(rows)


def load_items(
    session: Session,
    companies: Collection[int],
    products: Products,
    rows: Iterable[Product],
    policy: Policy,
) -> dict[int, Item]:
    """Engine items for every product of the group (canonical ids)."""
    whole = set(policy.planning.whole_units)
    components: dict[int, list[Component]] = {}
    for line in session.scalars(
        select(BomLine)
        .where(BomLine.company_id.in_(companies))
        .order_by(BomLine.product_id, BomLine.line_no)
    ):
        parent = products.canonical[line.product_id]
        if line.product_id != parent:
            continue  # the planning company's own structure wins for a shared code
        components.setdefault(parent, []).append(
            Component(products.canonical[line.component_id], line.quantity, line.overage)
        )
    steps: dict[int, list[Step]] = {}
    for step in session.scalars(
        select(RoutingStep)
        .where(RoutingStep.company_id.in_(companies))
        .order_by(RoutingStep.product_id, RoutingStep.seq)
    ):
        if products.canonical[step.product_id] != step.product_id:
            continue
        steps.setdefault(step.product_id, []).append(
            Step(step.seq, step.work_centre_id, step.setup_minutes, step.run_minutes)
        )
    items: dict[int, Item] = {}
    for p in rows:
        pid = products.canonical[p.id]
        if pid in items:
            continue
        own = steps.get(pid, [])
        source = (
            Source.CUSTOMER
            if p.kind == ProductKind.CUSTOMER_SUPPLIED
            else Source.MAKE
            if own
            else Source.BUY
        )
        items[pid] = Item(
            pid,
            p.code,
            source,
            lead_time_days=p.lead_time_days,
            components=tuple(components.get(pid, ())) if source is Source.MAKE else (),
            steps=tuple(own),
            integral=p.unit in whole,
        )
    return items


def load_centres(
    session: Session, companies: Collection[int], policy: Policy
) -> list[WorkCentreSpec]:
    default = periods_from(policy.calendar.work_periods)
    out = []
    for c in session.scalars(
        select(WorkCentre)
        .where(WorkCentre.company_id.in_(companies), WorkCentre.active)
        .order_by(WorkCentre.id)
    ):
        out.append(
            WorkCentreSpec(
                c.id,
                c.code,
                max(1, c.units),
                tuple(periods_from(c.shifts) if c.shifts else default),
                frozenset(date.fromisoformat(d) for d in c.closed_days or []),
            )
        )
    return out


def load_stock(
    session: Session, companies: Collection[int], products: Products
) -> dict[tuple[int, int], Decimal]:
    rows = session.execute(
        select(
            Warehouse.company_id,
            StockLevel.product_id,
            func.sum(StockLevel.on_hand - StockLevel.reserved),
        )
        .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
        .join(Product, Product.id == StockLevel.product_id)
        # A company's stock of its own products: what it can use, or give by transfer.
        .where(Warehouse.company_id.in_(companies), Product.company_id == Warehouse.company_id)
        .group_by(Warehouse.company_id, StockLevel.product_id)
    ).all()
    out: dict[tuple[int, int], Decimal] = {}
    for company, product, free in rows:
        if free and free > 0 and product in products.canonical:
            key = (company, products.canonical[product])
            out[key] = out.get(key, Decimal(0)) + Decimal(free)
    return out


def load_supply(
    session: Session, companies: Collection[int], products: Products
) -> list[ports.Supply]:
    """Open supply from whatever areas provide it (purchases, transfers, customers)."""
    found = ports.open_supply(
        session, company_ids=list(companies), product_ids=list(products.canonical)
    )
    return [
        ports.Supply(
            s.company_id,
            products.canonical.get(s.product_id, s.product_id),
            s.quantity,
            s.available_on,
            s.source,
            s.reference,
            s.sales_order_id,
        )
        for s in found
    ]


def open_demand(
    session: Session, companies: Collection[int], products: Products, released: set[int]
) -> list[Demand]:
    """Lines of confirmed orders not released to production yet: what is not reserved."""
    rows = session.execute(
        select(SalesOrder, SalesOrderLine)
        .join(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
        .where(
            SalesOrder.company_id.in_(companies),
            SalesOrder.state.in_([CONFIRMED, PARTIALLY_SHIPPED]),
        )
        .order_by(SalesOrder.id, SalesOrderLine.line_no)
    ).all()
    out = []
    for order, line in rows:
        if order.id in released:
            continue
        wanted = line.quantity - line.shipped_quantity - line.reserved_quantity
        if wanted <= 0:
            continue
        out.append(
            Demand(
                f"{order.number}/{line.line_no}",
                order.id,
                order.company_id,
                products.canonical[line.product_id],
                wanted,
                order.promised_date or order.requested_date,
                PRIORITY_RANK.get(order.priority, 2),
            )
        )
    return out


def released_jobs(
    session: Session, companies: Collection[int], products: Products, now_minute: int
) -> tuple[list[ReleasedJob], dict[str, int], set[int]]:
    """Open production orders as jobs with the work still to do; their keys → ids; and
    the sales orders they belong to."""
    orders = session.scalars(
        select(ProductionOrder).where(
            ProductionOrder.company_id.in_(companies),
            ProductionOrder.state.not_in([COMPLETED, CANCELLED]),
        )
    ).all()
    instructions = {
        pi.id: pi
        for pi in session.scalars(
            select(ProductionInstruction).where(
                ProductionInstruction.id.in_({mo.instruction_id for mo in orders})
            )
        )
    }
    ops: dict[int, list[ProductionOperation]] = {}
    for op in session.scalars(
        select(ProductionOperation)
        .where(ProductionOperation.production_order_id.in_([mo.id for mo in orders]))
        .order_by(ProductionOperation.seq)
    ):
        ops.setdefault(op.production_order_id, []).append(op)
    keys = {mo.id: mo.job_key for mo in orders}
    out = []
    for mo in orders:
        pi = instructions[mo.instruction_id]
        remaining = []
        # Materials issued to the floor (领料) are the order's: not needed again.
        started = mo.materials_issued_at is not None
        for op in ops.get(mo.id, []):
            done = op.good_quantity + op.scrap_quantity
            started = started or done > 0
            left = mo.quantity - done
            if left <= 0:
                continue
            if op.outsourced_days:
                remaining.append(Operation(op.seq, None, 0, op.outsourced_days))
                continue
            setup = op.setup_minutes if done == 0 else 0
            minutes = Decimal(setup) + op.run_minutes * left
            remaining.append(Operation(op.seq, op.work_centre_id, max(1, int(-(-minutes // 1)))))
        job = Job(
            mo.job_key,
            mo.sales_order_id,
            mo.company_id,
            products.canonical[mo.product_id],
            mo.quantity,
            pi.due_date,
            PRIORITY_RANK.get(mo.priority, 2),
            mo.level,
            keys.get(mo.parent_id) if mo.parent_id else None,
        )
        out.append(ReleasedJob(job, tuple(remaining), started=started, not_before=now_minute))
    return out, {mo.job_key: mo.id for mo in orders}, {mo.sales_order_id for mo in orders}


@dataclass
class Snapshot:
    data: PlanInput
    group_key: str
    companies: list[int]
    products: Products
    job_ids: dict[str, int]
    warnings: list[str]


def load(
    session: Session,
    *,
    company_id: int,
    policy: Policy,
    now: datetime,
) -> Snapshot:
    zone = policy.zone
    today = now.astimezone(zone).date()
    group_key, companies = group_of(session, company_id)
    products, rows = load_products(session, companies, company_id)
    items = load_items(session, companies, products, rows, policy)
    released, job_ids, released_orders = released_jobs(
        session, companies, products, minute_of(now, today, zone)
    )
    demands = open_demand(session, companies, products, released_orders)
    calendar = Calendar(policy.business_calendar, today)
    planning = policy.planning
    data = PlanInput(
        today=today,
        now=now,
        zone=zone,
        items=items,
        demands=demands,
        released=released,
        stock=load_stock(session, companies, products),
        supplies=load_supply(session, companies, products),
        work_centres=load_centres(session, companies, policy),
        is_working_day=calendar,
        periods=periods_from(policy.calendar.work_periods),
        buffer_days=policy.thresholds.production_buffer_days,
        transfer_days=planning.transfer_days,
        solver=SolverOptions(
            mode=planning.solver,
            max_operations=planning.solver_max_operations,
            time_limit_seconds=planning.solver_time_limit_seconds,
            workers=planning.solver_workers,
        ),
    )
    return Snapshot(data, group_key, companies, products, job_ids, calendar.warnings)
