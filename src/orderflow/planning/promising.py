"""Promise dates against the current plan (ATP / CTP), and the ``promise_date`` port.

A promise reads only what it needs: the products of the question and their structure
(level by level), what the current plan left free of them (stock and open supply), and
the work centres' remaining capacity per day. Without a plan it promises against stock,
open supply and empty capacity. For a changed order its own plan is given back first
(its allocations and its load), so it is not counted against itself.

``limited_by`` is a code people can read and pages translate (``explain``):
``stock``, ``supply:<ref>``, ``transfer:<company>:<product>``, ``purchase:<product>:<days>``,
``capacity:<work centre>``, ``customer_material:<product>``, ``no_route:<product>``,
``beyond_horizon:<work centre>``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product, ProductKind
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors
from orderflow.i18n import t
from orderflow.inventory.models import StockLevel, Warehouse
from orderflow.org.models import Company
from orderflow.planning import snapshot
from orderflow.planning.axis import WorkAxis, minute_of, periods_from
from orderflow.planning.bom import Component, Item, Source, Step
from orderflow.planning.models import (
    MaterialRequirement,
    PlanLeftover,
    PlanLoad,
    PlannedOperation,
    PlanRun,
)
from orderflow.planning.promise import Capacity, LoadedPlan, Promise, promise
from orderflow.planning.schemas import PromiseIn, PromiseLineRead, PromiseRead
from orderflow.planning.service import current_run
from orderflow.production.models import BomLine, RoutingStep, WorkCentre
from orderflow.runtime import Principal, Runtime

ZERO = Decimal(0)


def _closure(
    session: Session, company_id: int, product_ids: Iterable[int], rt: Runtime
) -> dict[int, Item]:
    """Items for the products asked about and everything below them, one level a query."""
    whole = set(rt.policy.planning.whole_units)
    items: dict[int, Item] = {}
    todo = set(product_ids)
    while todo:
        products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(todo)))}
        lines: dict[int, list[Component]] = {}
        for line in session.scalars(
            select(BomLine).where(BomLine.product_id.in_(todo)).order_by(BomLine.line_no)
        ):
            lines.setdefault(line.product_id, []).append(
                Component(line.component_id, line.quantity, line.overage)
            )
        steps: dict[int, list[Step]] = {}
        for step in session.scalars(
            select(RoutingStep).where(RoutingStep.product_id.in_(todo)).order_by(RoutingStep.seq)
        ):
            steps.setdefault(step.product_id, []).append(
                Step(step.seq, step.work_centre_id, step.setup_minutes, step.run_minutes)
            )
        for pid, p in products.items():
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
                p.lead_time_days,
                tuple(lines.get(pid, ())) if source is Source.MAKE else (),
                tuple(own),
                p.unit in whole,
            )
        todo = {c.product_id for pid in products for c in items[pid].components} - set(items)
    return items


def _twins(
    session: Session, companies: Collection[int], items: dict[int, Item]
) -> dict[tuple[int, int], int]:
    """(other company, its product id) → our product id, for the same codes (transfers)."""
    codes = {item.code: pid for pid, item in items.items()}
    rows = session.execute(
        select(Product.company_id, Product.id, Product.code).where(
            Product.company_id.in_(companies), Product.code.in_(codes)
        )
    )
    return {(company, pid): codes[code] for company, pid, code in rows}


def _loaded(
    session: Session,
    rt: Runtime,
    company_id: int,
    items: dict[int, Item],
    exclude_order: int | None,
) -> tuple[LoadedPlan, list[int], PlanRun | None]:
    policy = rt.policy
    now = rt.now()
    today = now.astimezone(policy.zone).date()
    _, companies = snapshot.group_of(session, company_id)
    twins = _twins(session, companies, items)
    run = current_run(session, company_id)
    stock: dict[tuple[int, int], Decimal] = {}
    supplies: list[tuple[ports.Supply, Decimal]] = []
    if run is not None:
        for row in session.scalars(
            select(PlanLeftover).where(
                PlanLeftover.run_id == run.id, PlanLeftover.product_id.in_([p for _, p in twins])
            )
        ):
            pid = twins.get((row.company_id, row.product_id))
            if pid is None:
                continue
            if row.available_on is None:
                stock[(row.company_id, pid)] = stock.get((row.company_id, pid), ZERO) + row.quantity
            else:
                supplies.append(
                    (
                        ports.Supply(
                            row.company_id,
                            pid,
                            row.quantity,
                            row.available_on,
                            row.source,
                            row.reference,
                            row.sales_order_id,
                        ),
                        row.quantity,
                    )
                )
        if exclude_order is not None:
            _give_back(session, run, exclude_order, twins, stock, supplies)
    else:
        for company, product, free in session.execute(
            select(
                Warehouse.company_id,
                StockLevel.product_id,
                func.sum(StockLevel.on_hand - StockLevel.reserved),
            )
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
            .where(
                Warehouse.company_id.in_(companies),
                StockLevel.product_id.in_([p for _, p in twins]),
            )
            .group_by(Warehouse.company_id, StockLevel.product_id)
        ):
            pid = twins.get((company, product))
            if pid is not None and free and free > 0:
                stock[(company, pid)] = Decimal(free)
        for s in ports.open_supply(
            session, company_ids=companies, product_ids=[p for _, p in twins]
        ):
            pid = twins.get((s.company_id, s.product_id))
            if pid is not None:
                supplies.append(
                    (
                        ports.Supply(
                            s.company_id,
                            pid,
                            s.quantity,
                            s.available_on,
                            s.source,
                            s.reference,
                            s.sales_order_id,
                        ),
                        s.quantity,
                    )
                )
    calendar = snapshot.Calendar(policy.business_calendar, today, days=400)
    capacity = _capacity(session, rt, run, companies, today, calendar, exclude_order)
    return (
        LoadedPlan(
            today=today,
            items=items,
            stock=stock,
            supplies=supplies,
            capacity=capacity,
            is_working_day=calendar,
            transfer_days=policy.planning.transfer_days,
            buffer_days=policy.thresholds.production_buffer_days,
        ),
        companies,
        run,
    )


def _give_back(
    session: Session,
    run: PlanRun,
    order_id: int,
    twins: dict[tuple[int, int], int],
    stock: dict[tuple[int, int], Decimal],
    supplies: list[tuple[ports.Supply, Decimal]],
) -> None:
    """A changed order: what the plan allocated to it is free again for its new promise."""
    for req in session.scalars(
        select(MaterialRequirement).where(
            MaterialRequirement.run_id == run.id, MaterialRequirement.sales_order_id == order_id
        )
    ):
        pid = twins.get((req.company_id, req.product_id))
        if pid is None:
            continue
        for a in req.allocations:
            qty = Decimal(a["quantity"])
            if a["source"] in ("stock", "transfer") and a.get("company_id"):
                key = (int(a["company_id"]), pid)
                stock[key] = stock.get(key, ZERO) + qty
            elif a["source"] == "supply" and a.get("ready"):
                supply = ports.Supply(
                    req.company_id,
                    pid,
                    qty,
                    date.fromisoformat(a["ready"]),
                    "supply",
                    a.get("reference", ""),
                )
                supplies.append((supply, qty))


def _capacity(
    session: Session,
    rt: Runtime,
    run: PlanRun | None,
    companies: Collection[int],
    today: date,
    calendar: snapshot.Calendar,
    exclude_order: int | None,
) -> Capacity:
    default = periods_from(rt.policy.calendar.work_periods)
    centres = session.scalars(
        select(WorkCentre).where(WorkCentre.company_id.in_(companies), WorkCentre.active)
    ).all()
    periods = {c.id: periods_from(c.shifts) if c.shifts else default for c in centres}
    closed = {c.id: frozenset(date.fromisoformat(d) for d in c.closed_days or []) for c in centres}
    day_minutes = {wc: sum(b - a for a, b in p) for wc, p in periods.items()}
    units = {c.id: max(1, c.units) for c in centres}
    free: dict[int, list[int]] = {c.id: [] for c in centres}
    if run is not None:
        offset = (today - run.origin).days
        for wc, day, cap, load in session.execute(
            select(
                PlanLoad.work_centre_id,
                PlanLoad.day,
                PlanLoad.capacity_minutes,
                PlanLoad.load_minutes,
            )
            .where(PlanLoad.run_id == run.id, PlanLoad.day >= today)
            .order_by(PlanLoad.work_centre_id, PlanLoad.day)
        ):
            if wc not in free:
                continue
            index = (day - run.origin).days - offset
            row = free[wc]
            while len(row) < index:
                d = today + timedelta(days=len(row))
                row.append(
                    day_minutes[wc] * units[wc] if d not in closed[wc] and calendar(d) else 0
                )
            row.append(cap - load)
        if exclude_order is not None:
            _unload(session, rt, run, exclude_order, today, free, periods, closed, calendar)

    def is_open(wc: int, day: int) -> bool:
        d = today + timedelta(days=day)
        return d not in closed.get(wc, frozenset()) and calendar(d)

    return Capacity(today, day_minutes, units, free, is_open)


def _unload(
    session: Session,
    rt: Runtime,
    run: PlanRun,
    order_id: int,
    today: date,
    free: dict[int, list[int]],
    periods: dict[int, list[tuple[int, int]]],
    closed: dict[int, frozenset[date]],
    calendar: snapshot.Calendar,
) -> None:
    """Give a changed order's planned minutes back to the days they were planned on."""
    zone = rt.policy.zone
    for op in session.scalars(
        select(PlannedOperation).where(
            PlannedOperation.run_id == run.id, PlannedOperation.sales_order_id == order_id
        )
    ):
        wc = op.work_centre_id
        if wc is None or wc not in free:
            continue
        shut = closed[wc]

        def is_open(day: date, shut: frozenset[date] = shut) -> bool:
            return day not in shut and calendar(day)

        axis = WorkAxis(today, periods[wc], is_open)
        w = axis.to_work(minute_of(op.start, today, zone))
        end_w = axis.to_work(minute_of(op.finish, today, zone))
        while w < end_w:
            day = axis.day_of_work(w)
            take = min(end_w, (w // axis.day_minutes + 1) * axis.day_minutes) - w
            if day < len(free[wc]):
                free[wc][day] += take
            w += take


def explain(code: str, locale: str = "zh-CN") -> str:
    """The limiting reason for people, in their language."""
    kind, _, rest = code.partition(":")
    parts = rest.split(":") if rest else []
    key = f"planning.limit.{kind}"
    params: dict[str, str] = {}
    if kind in (
        "capacity",
        "beyond_horizon",
        "customer_material",
        "no_route",
        "material",
        "missing",
    ):
        params["what"] = parts[0] if parts else ""
    elif kind == "purchase":
        params = {"what": parts[0] if parts else "", "days": parts[1] if len(parts) > 1 else ""}
    elif kind == "transfer":
        params = {"company": parts[0] if parts else "", "what": parts[1] if len(parts) > 1 else ""}
    elif kind in ("supply", "waits"):
        params["what"] = rest
    text = t(key, locale, **params)
    return code if text == key else text


def _codes(
    promise_: Promise, items: dict[int, Item], companies: dict[int, str], centres: dict[int, str]
) -> list[str]:
    return [_code(line.limited_by, items, companies, centres) for line in promise_.lines]


def _code(
    raw: str, items: dict[int, Item], companies: dict[int, str], centres: dict[int, str]
) -> str:
    kind, _, rest = raw.partition(":")
    parts = rest.split(":") if rest else []

    def product(pid: str) -> str:
        item = items.get(int(pid)) if pid.isdigit() else None
        return item.code if item else pid

    if kind in ("purchase",):
        return f"purchase:{product(parts[0])}:{parts[1]}"
    if kind == "transfer":
        return f"transfer:{companies.get(int(parts[0]), parts[0])}:{product(parts[1])}"
    if kind in ("customer_material", "no_route"):
        return f"{kind}:{product(parts[0])}"
    if kind in ("capacity", "beyond_horizon"):
        return f"{kind}:{centres.get(int(parts[0]), parts[0])}"
    return raw


def promise_for(
    session: Session, rt: Runtime, query: ports.PromiseQuery
) -> tuple[Promise, list[str], PlanRun | None, dict[int, Item]]:
    items = _closure(session, query.company_id, [line.product_id for line in query.lines], rt)
    loaded, companies, run = _loaded(session, rt, query.company_id, items, query.sales_order_id)
    answer = promise(
        loaded,
        [(line.product_id, line.quantity) for line in query.lines],
        company_id=query.company_id,
        companies=companies,
        requested=query.requested_date,
    )
    names = dict(
        session.execute(select(Company.id, Company.code).where(Company.id.in_(companies))).all()
    )
    centres = dict(
        session.execute(
            select(WorkCentre.id, WorkCentre.code).where(WorkCentre.company_id.in_(companies))
        ).all()
    )
    return answer, _codes(answer, items, names, centres), run, items


@ports.promise_date.provide
def promise_date(session: Session, rt: Runtime, query: ports.PromiseQuery) -> ports.PromiseAnswer:
    """The port answer (review and change handling ask it): earliest date, why (in words),
    feasible.
    An order that cannot be promised at all (customer material without a date) answers
    the horizon's end and ``feasible=False``."""
    answer, codes, _, _ = promise_for(session, rt, query)
    worst = _worst(answer, codes)
    when = answer.date or (rt.today() + timedelta(days=365))
    # For people, in the company's default language (pages that want a caller's language
    # call ``promise_for`` and ``explain`` themselves).
    text = explain(worst, rt.settings.default_locale)
    return ports.PromiseAnswer(earliest_date=when, limited_by=text, feasible=answer.feasible)


def _worst(answer: Promise, codes: list[str]) -> str:
    if not codes:
        return "stock"
    undated = [c for c, line in zip(codes, answer.lines, strict=True) if line.ready is None]
    if undated:
        return undated[0]
    latest = max(range(len(codes)), key=lambda i: answer.lines[i].ready or date.min)
    return codes[latest]


def ask(rt: Runtime, me: Principal, data: PromiseIn) -> PromiseRead:
    """A promise asked from the pages, the API or the CLI, by product codes."""
    require(me, "planning.read")
    with rt.db.reading() as s:
        codes = {line.product_code for line in data.lines}
        found = dict(
            s.execute(
                select(Product.code, Product.id).where(
                    Product.company_id == me.company_id, Product.code.in_(codes)
                )
            ).all()
        )
        problems = FieldErrors()
        for i, line in enumerate(data.lines):
            if line.product_code not in found:
                problems.add(
                    f"lines[{i}].product_code", f"No product {line.product_code}", "unknown_product"
                )
        problems.raise_if_any()
        query = ports.PromiseQuery(
            company_id=me.company_id,
            lines=tuple(
                ports.PromiseLine(found[line.product_code], line.quantity) for line in data.lines
            ),
            requested_date=data.requested_date,
            sales_order_id=data.sales_order_id,
        )
        answer, line_codes, run, items = promise_for(s, rt, query)
    worst = _worst(answer, line_codes)
    return PromiseRead(
        earliest_date=answer.date,
        feasible=answer.feasible,
        limited_by=worst,
        explanation=explain(worst, me.locale),
        lines=[
            PromiseLineRead(
                product_code=items[line.product_id].code,
                quantity=f"{line.quantity.normalize():f}",
                ready=line.ready,
                limited_by=code,
                explanation=explain(code, me.locale),
            )
            for line, code in zip(answer.lines, line_codes, strict=True)
        ],
        run_id=run.id if run else None,
    )
