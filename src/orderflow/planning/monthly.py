"""Monthly sales and procurement plans (E6, §计划 4.3).

The **sales plan** of a month is firm and tentative: firm is what the company's orders
(confirmed or further, not cancelled) are due to deliver in the month — the promised date
where there is one, else the requested date; tentative is what sales expects beyond them,
entered as forecast lines. The **procurement plan** of a month is what the current plan
suggests buying or transferring, by material, with its need dates in the month, and how
much of it procurement has taken up already. Production plans (monthly, weekly, daily,
rolling 3-day) and their achievement are ``planning.achievement``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from orderflow.api.schemas import Money
from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import FieldError, FieldErrors, ValidationFailed
from orderflow.parties.models import Customer
from orderflow.planning.models import PlanSuggestion, SalesForecast
from orderflow.planning.read import current_run
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CANCELLED, DRAFT
from orderflow.sales.models import SalesOrder, SalesOrderLine

# Years 1000–2999: any real plan, and no year 0 or 10000 for date() to trip on.
_MONTH = re.compile(r"^([12]\d{3})-(0[1-9]|1[0-2])$")


def parse_month(value: str | None, today: date, field: str = "month") -> date:
    """``YYYY-MM`` as the month's first day (default: this month); a bad one names ``field``."""
    if not value:
        return today.replace(day=1)
    found = _MONTH.match(value.strip())
    if found is None:
        raise ValidationFailed.of([FieldError(field, "A month as YYYY-MM", "bad_period")])
    return date(int(found.group(1)), int(found.group(2)), 1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


class ForecastCreate(BaseModel):
    month: str = Field(pattern=_MONTH.pattern, description="YYYY-MM")
    product_code: str = Field(min_length=1, max_length=40)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    customer_code: str | None = Field(default=None, max_length=40)
    note: str = Field(default="", max_length=300)


class ForecastRead(BaseModel):
    id: int
    month: date
    product_code: str
    customer_code: str | None
    quantity: str
    note: str


class SalesPlanLine(BaseModel):
    product_code: str
    product_name: str
    unit: str
    firm_quantity: str
    firm_amount: Money
    tentative_quantity: str
    total_quantity: str


class SalesPlanRead(BaseModel):
    month: date
    lines: list[SalesPlanLine]
    firm_amount: Money
    forecasts: list[ForecastRead]


class ProcurementPlanLine(BaseModel):
    product_code: str
    product_name: str
    unit: str
    kind: str  # purchase | transfer
    quantity: str
    first_needed: date
    released_quantity: str


class ProcurementPlanRead(BaseModel):
    month: date
    run_id: int | None
    lines: list[ProcurementPlanLine]


def sales_plan(rt: Runtime, me: Principal, month: date) -> SalesPlanRead:
    require(me, "planning.read")
    end = _next_month(month)
    due = func.coalesce(SalesOrder.promised_date, SalesOrder.requested_date)
    currency = rt.settings.default_currency
    with rt.db.reading() as s:
        firm = s.execute(
            select(
                Product,
                func.sum(SalesOrderLine.quantity),
                func.sum(SalesOrderLine.amount),
            )
            .join(SalesOrderLine, SalesOrderLine.product_id == Product.id)
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .where(
                SalesOrder.company_id == me.company_id,
                SalesOrder.state.not_in([DRAFT, CANCELLED]),
                due >= month,
                due < end,
            )
            .group_by(Product.id)
        ).all()
        forecasts = s.execute(
            select(SalesForecast, Product, Customer.code)
            .join(Product, Product.id == SalesForecast.product_id)
            .outerjoin(Customer, Customer.id == SalesForecast.customer_id)
            .where(SalesForecast.company_id == me.company_id, SalesForecast.month == month)
            .order_by(SalesForecast.id)
        ).all()
    products: dict[int, Product] = {}
    firm_qty: dict[int, Decimal] = defaultdict(Decimal)
    firm_amount: dict[int, Decimal] = defaultdict(Decimal)
    tentative: dict[int, Decimal] = defaultdict(Decimal)
    for product, quantity, amount in firm:
        products[product.id] = product
        firm_qty[product.id] += Decimal(quantity or 0)
        firm_amount[product.id] += Decimal(amount or 0)
    for forecast, product, _ in forecasts:
        products[product.id] = product
        tentative[product.id] += forecast.quantity
    lines = [
        SalesPlanLine(
            product_code=p.code,
            product_name=p.name,
            unit=p.unit,
            firm_quantity=_qty(firm_qty[pid]),
            firm_amount=Money.of(firm_amount[pid], currency),
            tentative_quantity=_qty(tentative[pid]),
            total_quantity=_qty(firm_qty[pid] + tentative[pid]),
        )
        for pid, p in sorted(products.items(), key=lambda kv: kv[1].code)
    ]
    return SalesPlanRead(
        month=month,
        lines=lines,
        firm_amount=Money.of(sum(firm_amount.values(), Decimal(0)), currency),
        forecasts=[
            ForecastRead(
                id=f.id,
                month=f.month,
                product_code=p.code,
                customer_code=customer,
                quantity=_qty(f.quantity),
                note=f.note,
            )
            for f, p, customer in forecasts
        ],
    )


def add_forecast(rt: Runtime, me: Principal, data: ForecastCreate) -> ForecastRead:
    """A tentative line of the month's sales plan; every failing field named, nothing saved."""
    require(me, "planning.forecast")
    month = parse_month(data.month, rt.today())
    problems = FieldErrors()
    if month < rt.today().replace(day=1):
        problems.add("month", "The month is past", "past_date")
    with rt.db.transaction() as s:
        product = s.scalar(
            select(Product).where(
                Product.company_id == me.company_id, Product.code == data.product_code
            )
        )
        if product is None or not product.active:
            problems.add("product_code", "No such product for sale", "unknown_product")
        customer_id = None
        if data.customer_code:
            customer_id = s.scalar(
                select(Customer.id).where(
                    Customer.company_id == me.company_id, Customer.code == data.customer_code
                )
            )
            if customer_id is None:
                problems.add("customer_code", "No such customer", "unknown_customer")
        problems.raise_if_any()
        assert product is not None
        forecast = SalesForecast(
            company_id=me.company_id,
            month=month,
            product_id=product.id,
            customer_id=customer_id,
            quantity=data.quantity,
            note=data.note,
            created_by_id=me.id,
            created_at=rt.now(),
        )
        s.add(forecast)
        s.flush()
        return ForecastRead(
            id=forecast.id,
            month=month,
            product_code=product.code,
            customer_code=data.customer_code or None,
            quantity=_qty(data.quantity),
            note=data.note,
        )


def procurement_plan(rt: Runtime, me: Principal, month: date) -> ProcurementPlanRead:
    """The current plan's suggested purchases and transfers for the company, needed in the
    month, by material and kind; ``released_quantity`` is what procurement took up."""
    require(me, "planning.read")
    end = _next_month(month)
    with rt.db.reading() as s:
        run = current_run(s, me.company_id)
        if run is None:
            return ProcurementPlanRead(month=month, run_id=None, lines=[])
        rows = s.execute(
            select(PlanSuggestion, Product)
            .join(Product, Product.id == PlanSuggestion.product_id)
            .where(
                PlanSuggestion.run_id == run.id,
                PlanSuggestion.company_id == me.company_id,
                PlanSuggestion.needed_by >= month,
                PlanSuggestion.needed_by < end,
            )
            .order_by(Product.code, PlanSuggestion.kind, PlanSuggestion.needed_by)
        ).all()
        run_id = run.id
    grouped: dict[tuple[int, str], ProcurementPlanLine] = {}
    for suggestion, product in rows:
        key = (product.id, suggestion.kind)
        line = grouped.get(key)
        released = suggestion.quantity if suggestion.released_as else Decimal(0)
        if line is None:
            grouped[key] = ProcurementPlanLine(
                product_code=product.code,
                product_name=product.name,
                unit=product.unit,
                kind=suggestion.kind,
                quantity=_qty(suggestion.quantity),
                first_needed=suggestion.needed_by,
                released_quantity=_qty(released),
            )
        else:
            line.quantity = _qty(Decimal(line.quantity) + suggestion.quantity)
            line.released_quantity = _qty(Decimal(line.released_quantity) + released)
    return ProcurementPlanRead(month=month, run_id=run_id, lines=list(grouped.values()))
