"""Demo data for planning and production: a plant (work centres on one and two shifts),
BOMs with overage and routings with standard times, orders short of stock, cost budgets
in every state, production released and broken down, a plan with late orders, progress
on the shop floor, samples and a tech pack that does not match, an outsourcing request
for the group GM, published plans, and a finished order whose goods wait in QC for their
final inspection. Some tasks are already overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from orderflow.auth.roles import Role
from orderflow.catalog.models import PriceListEntry, Product, ProductKind
from orderflow.core.errors import Conflict
from orderflow.costing import service as costing
from orderflow.costing.schemas import BudgetCreate
from orderflow.inventory.ledger import receive
from orderflow.inventory.models import Warehouse
from orderflow.planning import achievement
from orderflow.planning.service import release_suggestions, run_planning
from orderflow.procurement.schemas import RequisitionCreate, RequisitionLineCreate
from orderflow.procurement.service import create_requisition
from orderflow.production import service as production
from orderflow.production.models import BomLine, RoutingStep, WorkCentre
from orderflow.production.schemas import OutsourcingCreate, ReleaseIn
from orderflow.review import service as reviews
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import Channel, Priority
from orderflow.sales.schemas import LineCreate, OrderCreate
from orderflow.sales.service import apply_step, create_order
from orderflow.samples import service as samples
from orderflow.samples.schemas import SampleCreate, TechPackCreate
from orderflow.stockup.schemas import StockUpCreate
from orderflow.stockup.service import issue_stock_up

D = Decimal

CENTRES = [
    # code, name, units, shifts (empty: company hours), hourly rate
    ("PRESS", "钣金冲压线", 2, ["08:00-12:00", "13:00-17:00", "18:00-22:00"], "150"),
    ("WELD", "焊接工段", 1, [], "120"),
    ("PAINT", "喷塑线", 1, [], "110"),
    ("ASSY", "总装线", 3, [], "90"),
    ("TEST", "调试台", 2, [], "100"),
    ("PACK", "包装组", 1, [], "60"),
]
MATERIALS = [
    # code, name, spec, unit, kind, lead days, cost, stock in SH01, stock at the sister
    (
        "CAB-BODY",
        "控制柜柜体",
        "800×600×2000mm 焊接喷塑",
        "台",
        ProductKind.COMPONENT,
        0,
        None,
        0,
        0,
    ),
    ("MCB-63", "微型断路器", "C63 / 3P", "只", ProductKind.RAW, 10, "86.00", 40, 120),
    ("PM-55", "功率模块", "IGBT 55kW", "只", ProductKind.RAW, 15, "1650.00", 6, 0),
    ("HS-55", "散热器", "铝型材 55kW", "只", ProductKind.RAW, 5, "210.00", 10, 0),
    ("NAMEPLATE", "客供铭牌", "客户 LOGO", "块", ProductKind.CUSTOMER_SUPPLIED, 0, None, 0, 0),
]
BOMS = {
    # product: [(component, unit use, overage 抛数)]
    "KG-200": [
        ("CAB-BODY", "1", "0"),
        ("PLC-S7", "1", "0"),
        ("HMI-10", "1", "0"),
        ("MCB-63", "6", "0.05"),
    ],
    "CAB-BODY": [("ST-Q235", "48", "0.08")],
    "VF-55": [("PM-55", "1", "0"), ("HS-55", "1", "0.02")],
}
ROUTINGS = {
    # product: [(seq, name, centre, setup minutes, minutes per unit)]
    "CAB-BODY": [
        (10, "下料冲压", "PRESS", 20, "25"),
        (20, "焊接", "WELD", 0, "40"),
        (30, "喷塑", "PAINT", 30, "20"),
    ],
    "KG-200": [
        (10, "总装接线", "ASSY", 60, "90"),
        (20, "通电调试", "TEST", 30, "45"),
        (30, "包装", "PACK", 10, "15"),
    ],
    "VF-55": [(10, "装配", "ASSY", 20, "40"), (20, "老化测试", "TEST", 10, "30")],
}


def _plant(rt: Runtime, company_id: int) -> None:
    now = rt.now()
    with rt.db.transaction() as s:
        centres = {}
        for code, name, units, shifts, rate in CENTRES:
            centres[code] = WorkCentre(
                company_id=company_id,
                code=code,
                name=name,
                units=units,
                shifts=shifts,
                closed_days=[],
                hourly_rate=D(rate),
                active=True,
                created_at=now,
            )
        s.add_all(centres.values())
        products = {
            p.code: p for p in s.scalars(select(Product).where(Product.company_id == company_id))
        }
        main = s.scalar(
            select(Warehouse).where(Warehouse.company_id == company_id, Warehouse.code == "SH01")
        )
        sister = s.scalar(select(Warehouse).where(Warehouse.code == "SZ01"))
        assert main is not None and sister is not None
        for code, name, spec, unit, kind, lead, cost, here, there in MATERIALS:
            product = Product(
                company_id=company_id,
                code=code,
                name=name,
                model_spec=spec,
                unit=unit,
                kind=kind,
                active=True,
                lead_time_days=lead,
                created_at=now,
                prices=[PriceListEntry(price_list="COST", min_quantity=D(0), unit_price=D(cost))]
                if cost
                else [],
            )
            s.add(product)
            s.flush()
            products[code] = product
            if here:
                receive(
                    s,
                    warehouse_id=main.id,
                    product_id=product.id,
                    quantity=D(here),
                    reason="opening_balance",
                    at=now,
                    reference="DEMO",
                )
            if there:
                twin = Product(
                    company_id=sister.company_id,
                    code=code,
                    name=name,
                    model_spec=spec,
                    unit=unit,
                    kind=kind,
                    active=True,
                    lead_time_days=lead,
                    created_at=now,
                )
                s.add(twin)
                s.flush()
                receive(
                    s,
                    warehouse_id=sister.id,
                    product_id=twin.id,
                    quantity=D(there),
                    reason="opening_balance",
                    at=now,
                    reference="DEMO",
                )
        for code, cost in (("ST-Q235", "6.20"), ("PLC-S7", "3100.00"), ("HMI-10", "1900.00")):
            s.add(
                PriceListEntry(
                    product_id=products[code].id,
                    price_list="COST",
                    min_quantity=D(0),
                    unit_price=D(cost),
                )
            )
        s.flush()
        for parent, parts in BOMS.items():
            for n, (code, use, overage) in enumerate(parts, start=1):
                s.add(
                    BomLine(
                        company_id=company_id,
                        product_id=products[parent].id,
                        line_no=n,
                        component_id=products[code].id,
                        quantity=D(use),
                        overage=D(overage),
                    )
                )
        for made, steps in ROUTINGS.items():
            for seq, name, centre, setup, run in steps:
                s.add(
                    RoutingStep(
                        company_id=company_id,
                        product_id=products[made].id,
                        seq=seq,
                        name=name,
                        work_centre_id=centres[centre].id,
                        setup_minutes=setup,
                        run_minutes=D(run),
                    )
                )


def _order(
    rt: Runtime,
    p: dict[Role, Principal],
    customer: str,
    lines: list[tuple[str, int]],
    days: int,
    priority: str = "normal",
) -> dict[str, Any]:
    """An order short of stock: reviewed (its date, C2), confirmed to wait for production,
    and made effective by a stock-up notice (B9)."""
    clerk = p[Role.SALES_CLERK]
    made = create_order(
        rt,
        clerk,
        OrderCreate(
            channel=Channel.PHONE,
            customer_code=customer,
            requested_date=rt.today() + timedelta(days=days),
            priority=Priority(priority),
            lines=[LineCreate(product_code=code, quantity=D(qty)) for code, qty in lines],
        ),
    )
    try:
        apply_step(rt, clerk, made.id, "confirm", {"on_shortage": "wait"}, expected_version=None)
    except Conflict:  # it waits for stock, or is a rush: the date is reviewed first
        with rt.db.reading() as s:
            opened = [r.id for r in reviews.reviews_of_order(s, made.id) if r.state == "open"]
        if opened:
            review = reviews.get_review(rt, clerk, opened[-1])
        else:
            review = reviews.start_review(rt, clerk, made.id)
        for role in review.routing:
            reviews.apply_step(rt, p[Role(role)], review.id, "sign_off", {}, expected_version=None)
        reviews.apply_step(
            rt, p[Role.ORDER_MANAGER], review.id, "approve", {}, expected_version=None
        )
        apply_step(rt, clerk, made.id, "confirm", {"on_shortage": "wait"}, expected_version=None)
    issue_stock_up(
        rt, p[Role.ORDER_MANAGER], StockUpCreate(order_id=made.id, reason="客户急需，先行备货")
    )
    return {"id": made.id, "number": made.number}


def _budget(rt: Runtime, p: dict[Role, Principal], order_id: int, upto: str) -> None:
    budget = costing.create_budget(rt, p[Role.SALES_CLERK], BudgetCreate(sales_order_id=order_id))
    signers = [Role.SALES_CLERK, Role.PROCUREMENT, Role.PLANNER]
    for role in signers[: 3 if upto in ("awaiting", "approved") else 1]:
        costing.step_budget(rt, p[role], budget.id, "sign", {}, expected_version=None)
    if upto == "approved":
        costing.step_budget(
            rt, p[Role.GENERAL_MANAGER], budget.id, "approve", {}, expected_version=None
        )


def load(rt: Runtime, p: dict[Role, Principal]) -> None:
    """Called once by ``orderflow demo`` after the orders are in."""
    clerk, planner, manager = p[Role.SALES_CLERK], p[Role.PLANNER], p[Role.PRODUCTION_MANAGER]
    _plant(rt, clerk.company_id)
    # A short solver time keeps the demo quick; the plans are small.
    rt = replace(
        rt,
        policy=rt.policy.model_copy(
            update={
                "planning": rt.policy.planning.model_copy(update={"solver_time_limit_seconds": 1.0})
            }
        ),
    )
    earlier = replace(rt, clock=lambda: rt.now() - timedelta(days=3))

    # Cabinets due in 11 days keep the assembly line busy; drives wait for power modules
    # (15 days to buy): both come out late, one for capacity and one for material.
    cabinets = _order(earlier, p, "C001", [("KG-200", 30)], days=14)
    drives = _order(earlier, p, "C002", [("VF-55", 40)], days=16, priority="special")
    rush = _order(rt, p, "C003", [("KG-200", 6), ("VF-55", 4)], days=7, priority="urgent")
    waiting = _order(rt, p, "C005", [("KG-200", 4)], days=35)
    budgeted = _order(rt, p, "C002", [("VF-55", 8)], days=40)
    for order in (cabinets, drives, rush):
        _budget(earlier, p, order["id"], "approved")
    _budget(rt, p, waiting["id"], "awaiting")  # the GM's task
    _budget(rt, p, budgeted["id"], "draft")

    # Released three days ago: the cabinets are broken down; the drives' breakdown (4 h) is
    # overdue and escalating. The rush order is a complete set, non-regular: meeting first.
    pi_cab = production.release(
        earlier, planner, ReleaseIn(sales_order_id=cabinets["id"], complete_set=True)
    )
    production.release(earlier, planner, ReleaseIn(sales_order_id=drives["id"]))
    pi_rush = production.release(
        rt, planner, ReleaseIn(sales_order_id=rush["id"], complete_set=True, non_regular=True)
    )
    run_planning(rt, planner)
    production.step_instruction(rt, manager, pi_cab.id, "break_down", {}, expected_version=None)
    production.step_instruction(
        rt,
        manager,
        pi_rush.id,
        "record_meeting",
        {
            "held_on": rt.today().isoformat(),
            "attendees": "技术部、总装车间、采购部、品质部",
            "decisions": "柜体先行下料；铭牌待客户提供",
        },
        expected_version=None,
    )
    production.step_instruction(
        rt,
        p[Role.PROCUREMENT],
        pi_cab.id,
        "object",
        {"milestone": "purchasing", "reason": "断路器供应商本周满产，需延后两天"},
        expected_version=None,
    )

    # The shop floor has started on the cabinets' bodies.
    body = next(
        o for o in production.get_instruction(rt, manager, pi_cab.id).orders if o.level == 1
    )
    production.report_progress(rt, p[Role.PRODUCTION], body.id, {"seq": 10, "good": body.quantity})
    welded = str(int(D(body.quantity)) // 2)
    production.report_progress(
        rt, p[Role.PRODUCTION], body.id, {"seq": 20, "good": welded, "note": "二号焊机调试"}
    )
    # The paint line is the bottleneck: ask the group GM to have the bodies painted outside.
    production.request_outsourcing(
        rt,
        manager,
        OutsourcingCreate(
            production_order_id=body.id,
            seq=30,
            supplier="深圳兄弟喷涂厂",
            days=3,
            cost=D("2400"),
            reason="喷塑线满负荷，影响交期",
        ),
    )

    # Samples: one approved in the first round, one in its second round; a tech pack that
    # does not match the approved sample (no quality area here: sales and purchasing told).
    first = samples.create_sample(
        rt,
        clerk,
        SampleCreate(
            title="KG-200 出口版柜门样",
            due_at=rt.now() + timedelta(days=3),
            sales_order_id=waiting["id"],
        ),
    )
    technical = p[Role.TECHNICAL]
    for who, name, fields in (
        (technical, "start", {}),
        (technical, "submit", {"standard_minutes": "下料 25；焊接 40；喷塑 20"}),
        (clerk, "approve", {}),
    ):
        samples.step_sample(rt, who, first.id, name, fields, expected_version=None)
    second = samples.create_sample(
        rt, clerk, SampleCreate(title="VF-55 面板丝印样", due_at=rt.now() + timedelta(days=2))
    )
    for who, name, fields in (
        (technical, "start", {}),
        (technical, "submit", {}),
        (clerk, "reject", {"reason": "丝印颜色偏差"}),
    ):
        samples.step_sample(rt, who, second.id, name, fields, expected_version=None)
    pack = samples.create_pack(
        rt,
        technical,
        TechPackCreate(
            sales_order_id=waiting["id"],
            sample_request_id=first.id,
            fabric_width="1.5mm 冷轧板",
            pattern="RAL7035",
        ),
    )
    samples.step_pack(
        rt,
        technical,
        pack.id,
        "check",
        {
            "width_matches": True,
            "pattern_matches": False,
            "process_matches": True,
            "note": "仓库板材为 RAL7032",
        },
        expected_version=None,
    )

    # Procurement takes the suggestions: transfers from the sister company first, then a
    # requisition per order on the purchasing desk; the plan then counts them as supply.
    release_suggestions(rt, p[Role.MATERIALS_CONTROL])
    run_planning(rt, planner)
    achievement.publish(rt, planner, ["monthly", "weekly", "daily"])
    # A buyer raises the export cabinets' sheet steel by hand, naming only the material:
    # unit use and order quantity come from the order's BOM and bound the quantity (H2).
    create_requisition(
        rt,
        p[Role.PROCUREMENT],
        RequisitionCreate(
            sales_order_id=waiting["id"],
            needed_by=rt.today() + timedelta(days=20),
            reason="出口版柜体板材",
            lines=[RequisitionLineCreate(product_code="ST-Q235")],
        ),
    )
    _finished_waiting_for_inspection(earlier, rt, p)


def _finished_waiting_for_inspection(
    earlier: Runtime, rt: Runtime, p: dict[Role, Principal]
) -> None:
    """A small order of drives made and completed today: the goods wait in the QC area for
    their final inspection against the customer's standards, the quality station's task,
    and are not the order's stock until it passes them (J1, J4, I2)."""
    order = _order(earlier, p, "C001", [("VF-55", 5)], days=12)
    _budget(earlier, p, order["id"], "approved")
    pi = production.release(earlier, p[Role.PLANNER], ReleaseIn(sales_order_id=order["id"]))
    mo = pi.orders[0]  # VF-55 is assembled from bought parts: one production order
    # 领料: the warehouse issues the bought parts to the order before work starts.
    production.step_order(
        rt, p[Role.WAREHOUSE], mo.id, "issue_materials", {}, expected_version=None
    )
    for seq in (10, 20):
        production.report_progress(rt, p[Role.PRODUCTION], mo.id, {"seq": seq, "good": mo.quantity})
    production.step_order(
        rt,
        p[Role.PRODUCTION_MANAGER],
        mo.id,
        "complete",
        {"output_quantity": mo.quantity},
        expected_version=None,
    )
