"""A small plant on top of ``factories.make_world``: two work centres, a sub-assembly, bought
parts and a customer-supplied label; P1 is made from them, P2 is bought (traded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from orderflow.catalog.models import PriceListEntry, Product, ProductKind
from orderflow.inventory.ledger import receive
from orderflow.inventory.models import Warehouse
from orderflow.org.models import Company
from orderflow.production.models import BomLine, RoutingStep, WorkCentre
from orderflow.runtime import Runtime
from tests.factories import World


@dataclass
class Plant:
    centres: dict[str, int]
    products: dict[str, int]
    sister_company_id: int
    sister_warehouse_id: int


def make_plant(rt: Runtime, world: World, *, raw_stock: int = 40, sister_raw: int = 0) -> Plant:
    now = rt.now()
    with rt.db.transaction() as s:
        press = WorkCentre(
            company_id=world.company_id,
            code="PRESS",
            name="冲压线",
            units=1,
            shifts=[],
            closed_days=[],
            hourly_rate=Decimal("120.00"),
            active=True,
            created_at=now,
        )
        assembly = WorkCentre(
            company_id=world.company_id,
            code="ASSY",
            name="装配线",
            units=2,
            shifts=["08:00-12:00", "13:00-17:00", "18:00-22:00"],
            closed_days=[],
            hourly_rate=Decimal("80.00"),
            active=True,
            created_at=now,
        )
        s.add_all([press, assembly])
        extra = {}
        for code, kind, lead, unit, cost in [
            ("SUB", ProductKind.COMPONENT, 0, "pcs", None),
            ("PART", ProductKind.RAW, 5, "pcs", "12.50"),
            ("LABEL", ProductKind.CUSTOMER_SUPPLIED, 0, "pcs", None),
        ]:
            extra[code] = Product(
                company_id=world.company_id,
                code=code,
                name=f"Product {code}",
                model_spec="",
                unit=unit,
                kind=kind,
                active=True,
                lead_time_days=lead,
                created_at=now,
                prices=[
                    PriceListEntry(
                        price_list="COST", min_quantity=Decimal(0), unit_price=Decimal(cost)
                    )
                ]
                if cost
                else [],
            )
        s.add_all(extra.values())
        raw = s.get(Product, world.products["RAW"])
        assert raw is not None
        raw.lead_time_days = 7
        raw.unit = "kg"
        s.add(
            PriceListEntry(
                product_id=raw.id,
                price_list="COST",
                min_quantity=Decimal(0),
                unit_price=Decimal("3.20"),
            )
        )
        s.flush()
        products = {**world.products, **{k: p.id for k, p in extra.items()}}
        s.add_all(
            [
                # P1 = 2 kg RAW (+5 % 抛数) + 1 SUB + 1 LABEL (customer-supplied)
                BomLine(
                    company_id=world.company_id,
                    product_id=products["P1"],
                    line_no=1,
                    component_id=products["RAW"],
                    quantity=Decimal(2),
                    overage=Decimal("0.05"),
                ),
                BomLine(
                    company_id=world.company_id,
                    product_id=products["P1"],
                    line_no=2,
                    component_id=products["SUB"],
                    quantity=Decimal(1),
                    overage=Decimal(0),
                ),
                # SUB = 3 PART
                BomLine(
                    company_id=world.company_id,
                    product_id=products["SUB"],
                    line_no=1,
                    component_id=products["PART"],
                    quantity=Decimal(3),
                    overage=Decimal(0),
                ),
                RoutingStep(
                    company_id=world.company_id,
                    product_id=products["P1"],
                    seq=10,
                    name="冲压",
                    work_centre_id=press.id,
                    setup_minutes=30,
                    run_minutes=Decimal(20),
                ),
                RoutingStep(
                    company_id=world.company_id,
                    product_id=products["P1"],
                    seq=20,
                    name="装配",
                    work_centre_id=assembly.id,
                    setup_minutes=0,
                    run_minutes=Decimal(30),
                ),
                RoutingStep(
                    company_id=world.company_id,
                    product_id=products["SUB"],
                    seq=10,
                    name="预装",
                    work_centre_id=assembly.id,
                    setup_minutes=10,
                    run_minutes=Decimal(10),
                ),
            ]
        )
        s.flush()
        if raw_stock:
            receive(
                s,
                warehouse_id=world.warehouse_id,
                product_id=products["RAW"],
                quantity=Decimal(raw_stock),
                reason="opening_balance",
                at=now,
            )
        # A sister company of the same group, with its own product master and warehouse.
        sister = Company(code="ACME-SZ", name="ACME 深圳", group_code="G", currency="CNY")
        s.add(sister)
        s.flush()
        twin = Product(
            company_id=sister.id,
            code="RAW",
            name="Product RAW",
            model_spec="",
            unit="kg",
            kind=ProductKind.RAW,
            active=True,
            lead_time_days=7,
            created_at=now,
        )
        wh = Warehouse(company_id=sister.id, code="SZ1", name="深圳仓")
        s.add_all([twin, wh])
        s.flush()
        if sister_raw:
            receive(
                s,
                warehouse_id=wh.id,
                product_id=twin.id,
                quantity=Decimal(sister_raw),
                reason="opening_balance",
                at=now,
            )
        assert s.scalar(select(Company.group_code).where(Company.id == world.company_id)) == "G"
        return Plant({"PRESS": press.id, "ASSY": assembly.id}, products, sister.id, wh.id)


def ready_order(
    rt: Runtime,
    world: World,
    lines: list[tuple[str, int]],
    *,
    days: int = 30,
    priority: str = "normal",
) -> int:
    """An order that is confirmed (waiting for what stock cannot cover, after its review)
    and effective (a stock-up notice, B9): what production is released for."""
    from orderflow.core.errors import Conflict
    from orderflow.review import service as review
    from orderflow.sales.service import apply_step, create_order
    from orderflow.stockup.schemas import StockUpCreate
    from orderflow.stockup.service import issue_stock_up
    from tests.factories import order_data

    clerk = world["sales_clerk"]
    data = order_data(
        rt,
        world,
        priority=priority,
        requested_date=(rt.today() + timedelta(days=days)).isoformat(),
        lines=[{"product_code": code, "quantity": str(qty)} for code, qty in lines],
    )
    order = create_order(rt, clerk, data)
    try:
        apply_step(rt, clerk, order.id, "confirm", {"on_shortage": "wait"}, expected_version=None)
    except Conflict:  # waits for stock: its date is reviewed first (C2, review.regular_orders)
        opened = review.start_review(rt, clerk, order.id)
        for role in opened.routing:
            review.apply_step(rt, world[role], opened.id, "sign_off", {}, expected_version=None)
        review.apply_step(
            rt, world["order_manager"], opened.id, "approve", {}, expected_version=None
        )
        apply_step(rt, clerk, order.id, "confirm", {"on_shortage": "wait"}, expected_version=None)
    issue_stock_up(rt, world["order_manager"], StockUpCreate(order_id=order.id, reason="备货生产"))
    return order.id
