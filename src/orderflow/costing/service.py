"""Cost budget use cases (D2): draw one up from an order's BOMs and routings, sign it in
each department, have the GM approve it. Production is released only for an order whose
budget is approved (when the policy says so)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import Money
from orderflow.catalog.models import PriceListEntry, list_price
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from orderflow.core.idempotency import once
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.workflow import Lifecycle, StepContext
from orderflow.costing.flow import (
    AWAITING,
    CANCELLED,
    DEPARTMENTS,
    DRAFT,
    ReviseFields,
    SignFields,
    cost_lines,
    department_of,
    make_lifecycle,
    money,
)
from orderflow.costing.models import CostBudget, CostBudgetLine, CostBudgetSignature
from orderflow.costing.schemas import (
    BudgetCreate,
    BudgetLineRead,
    BudgetRead,
    BudgetSummary,
    SignatureRead,
)
from orderflow.planning.snapshot import load_items, load_products
from orderflow.policy.loader import Policy
from orderflow.production.effects import WorkingTime
from orderflow.production.flow import latest_confirmable
from orderflow.production.models import WorkCentre
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _fill(s: Session, policy: Policy, budget: CostBudget, order: SalesOrder) -> None:
    """(Re)compute the budget's lines and totals from the current BOMs and routings."""
    products, rows = load_products(s, [order.company_id], order.company_id)
    items = load_items(s, [order.company_id], products, rows, policy)
    prices: dict[int, list[PriceListEntry]] = {}
    for entry in s.scalars(
        select(PriceListEntry).where(PriceListEntry.product_id.in_(list(items)))
    ):
        prices.setdefault(entry.product_id, []).append(entry)
    centres = s.scalars(select(WorkCentre).where(WorkCentre.company_id == order.company_id)).all()

    def unit_cost(product_id: int, quantity: Decimal) -> Decimal:
        return list_price(prices.get(product_id, []), "COST", quantity) or Decimal(0)

    lines = cost_lines(
        [(line.product_id, line.quantity) for line in order.lines],
        items,
        unit_cost,
        {c.id: c.hourly_rate for c in centres},
        {c.id: c.code for c in centres},
    )
    budget.lines = [
        CostBudgetLine(
            kind=c.kind,
            product_id=c.product_id,
            work_centre_id=c.work_centre_id,
            description=c.description[:200],
            unit_use=c.unit_use,
            overage=c.overage,
            quantity=c.quantity,
            unit_cost=c.unit_cost,
            amount=c.amount,
        )
        for c in lines
    ]
    budget.material_cost = money(sum((c.amount for c in lines if c.kind == "material"), Decimal(0)))
    budget.labour_cost = money(sum((c.amount for c in lines if c.kind == "labour"), Decimal(0)))
    budget.total_cost = budget.material_cost + budget.labour_cost
    budget.revenue = order.total_amount


def _defaults(rt: Runtime, order: SalesOrder, labour_minutes: Decimal) -> tuple[date, date]:
    """Production due: the order's date less the buffer (E1). Purchasing due: the working
    day before production must start, counting the budget's labour as working days."""
    due = order.promised_date or order.requested_date
    wt = WorkingTime(rt.policy, rt.today())
    production = latest_confirmable(due, rt.policy.thresholds.production_buffer_days, wt.days)
    days = int(labour_minutes / max(1, wt.day_minutes)) + 1
    purchase = latest_confirmable(production, days, wt.days)
    return max(purchase, rt.today()), production


def sign(ctx: StepContext) -> None:
    budget, fields = cast(CostBudget, ctx.doc), cast(SignFields, ctx.fields)
    department = department_of(ctx.roles, fields.department)
    if department is None:
        raise PermissionDenied("Your role does not sign cost budgets for that department")
    if any(sig.department == department for sig in budget.signatures):
        raise Conflict(f"{department} has already signed {budget.number}")
    budget.signatures.append(
        CostBudgetSignature(
            department=department,
            signed_by_id=ctx.actor.id,
            signed_by_name=ctx.actor.name,
            signed_at=ctx.now,
            note=fields.note,
        )
    )
    ctx.signals.add(f"signed:{department}")
    ctx.payload["department"] = department
    signed = {sig.department for sig in budget.signatures}
    ctx.next_state = AWAITING if signed >= set(DEPARTMENTS) else DRAFT


def revise(ctx: StepContext) -> None:
    budget, fields = cast(CostBudget, ctx.doc), cast(ReviseFields, ctx.fields)
    order = ctx.session.get(SalesOrder, budget.sales_order_id)
    assert order is not None
    _fill(ctx.session, ctx.policy, budget, order)
    budget.signatures.clear()
    if fields.purchase_due_date:
        budget.purchase_due_date = fields.purchase_due_date
    if fields.production_due_date:
        budget.production_due_date = fields.production_due_date


LIFECYCLE: Lifecycle = make_lifecycle()
BUDGETS: DocumentKind[CostBudget] = DocumentKind(
    model=CostBudget,
    lifecycle=LIFECYCLE,
    read_permission="costing.read",
    effects={"sign": sign, "revise": revise},
    load_options=(selectinload(CostBudget.lines), selectinload(CostBudget.signatures)),
)


def read_budget(s: Session, budget: CostBudget, me: Principal) -> BudgetRead:
    s.flush()
    cur = budget.currency
    signed = {sig.department for sig in budget.signatures}
    return BudgetRead(
        id=budget.id,
        number=budget.number,
        state=budget.state,
        version=budget.version,
        sales_order_id=budget.sales_order_id,
        sales_order_number=budget.sales_order_number,
        material_cost=Money.of(budget.material_cost, cur),
        labour_cost=Money.of(budget.labour_cost, cur),
        total_cost=Money.of(budget.total_cost, cur),
        revenue=Money.of(budget.revenue, cur),
        margin=Money.of(budget.revenue - budget.total_cost, cur),
        purchase_due_date=budget.purchase_due_date,
        production_due_date=budget.production_due_date,
        lines=[
            BudgetLineRead(
                kind=ln.kind,
                description=ln.description,
                unit_use=_qty(ln.unit_use),
                overage=_qty(ln.overage),
                quantity=_qty(ln.quantity),
                unit_cost=_qty(ln.unit_cost),
                amount=Money.of(ln.amount, cur),
            )
            for ln in budget.lines
        ],
        signatures=[
            SignatureRead(
                department=sig.department,
                signed_by=sig.signed_by_name,
                signed_at=sig.signed_at,
                note=sig.note,
            )
            for sig in budget.signatures
        ],
        missing_signatures=[d for d in DEPARTMENTS if d not in signed],
        allowed_transitions=LIFECYCLE.allowed(budget, me.roles),
    )


def create_budget(
    rt: Runtime, me: Principal, data: BudgetCreate, *, idempotency_key: str | None = None
) -> BudgetRead:
    """Draw up the cost budget of an order; signing tasks go to sales, purchasing and planning."""
    require(me, "costing.create")
    from orderflow.sales.service import ORDERS

    def create(s: Session) -> BudgetRead:
        order = ORDERS.load(s, me, data.sales_order_id)
        if s.scalar(
            select(CostBudget.number).where(
                CostBudget.sales_order_id == order.id, CostBudget.state != CANCELLED
            )
        ):
            raise Conflict(f"{order.number} already has a cost budget")
        budget = CostBudget(
            company_id=order.company_id,
            number="",
            sales_order_id=order.id,
            sales_order_number=order.number,
            currency=order.currency,
            created_by_id=me.id,
        )
        _fill(s, rt.policy, budget, order)
        labour = sum((ln.quantity for ln in budget.lines if ln.kind == "labour"), Decimal(0))
        purchase, production = _defaults(rt, order, labour)
        budget.purchase_due_date = data.purchase_due_date or purchase
        budget.production_due_date = data.production_due_date or production
        if budget.purchase_due_date > budget.production_due_date:
            raise ValidationFailed.of(
                [
                    FieldError(
                        "purchase_due_date",
                        "Materials must be due before production",
                        "after_production",
                    )
                ]
            )
        BUDGETS.start(
            s,
            rt,
            budget,
            actor=actor_of(me),
            payload={"sales_order": order.number, "total": str(budget.total_cost)},
        )
        return read_budget(s, budget, me)

    return once(
        rt,
        me,
        scope="costing.create",
        body=data,
        key=idempotency_key,
        create=create,
        model=BudgetRead,
    )


def get_budget(rt: Runtime, me: Principal, budget_id: int) -> BudgetRead:
    return get_document(rt, me, BUDGETS, budget_id, read_budget)


def step_budget(
    rt: Runtime,
    me: Principal,
    budget_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> BudgetRead:
    return run_step(
        rt,
        me,
        BUDGETS,
        budget_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_budget,
    )


def list_budgets(
    rt: Runtime, me: Principal, *, sales_order_id: int | None = None, state: str | None = None
) -> list[BudgetSummary]:
    require(me, "costing.read")
    query = select(CostBudget).where(CostBudget.company_id == me.company_id)
    if sales_order_id:
        query = query.where(CostBudget.sales_order_id == sales_order_id)
    if state:
        query = query.where(CostBudget.state == state)
    with rt.db.reading() as s:
        return [
            BudgetSummary(
                id=b.id,
                number=b.number,
                state=b.state,
                sales_order_number=b.sales_order_number,
                total_cost=Money.of(b.total_cost, b.currency),
                revenue=Money.of(b.revenue, b.currency),
            )
            for b in s.scalars(query.order_by(CostBudget.id.desc()).limit(200))
        ]
