"""Demo data for purchasing, the warehouse and quality: suppliers with lead times, a sister
company's stock to transfer (one transfer already shipped, for our warehouse to take in),
purchase orders at every stage (one waiting for approval, one the supplier has not
confirmed, one late, one in inspection, one failed, some received), customer-supplied
material, a stock count, and the exception slips all of that raises."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from orderflow.auth.roles import Role
from orderflow.catalog.models import Product, ProductKind
from orderflow.core import ports
from orderflow.core.events import Actor
from orderflow.exception_slips import service as slips
from orderflow.inventory import ledger
from orderflow.inventory.models import Warehouse
from orderflow.org.models import Company
from orderflow.procurement import service
from orderflow.procurement.models import Supplier, SupplierItem
from orderflow.procurement.schemas import OrderCreate, RequisitionCreate, RequisitionLineCreate
from orderflow.quality import service as quality
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder
from orderflow.warehouse import service as warehouse
from orderflow.warehouse import transfers
from orderflow.warehouse.models import TransferOrder
from orderflow.warehouse.schemas import CountCreate, CustomerSuppliedCreate, ProductQuantity

D = Decimal

MATERIALS = [
    ("BRK-C16", "小型断路器", "C16 / 1P 6kA", "只", ProductKind.COMPONENT, "18.50"),
    ("CU-2.5", "铜芯电线", "BVR 2.5mm²", "米", ProductKind.RAW, "2.80"),
    ("CS-NAMEPLATE", "客供铭牌", "不锈钢蚀刻 80×40", "块", ProductKind.CUSTOMER_SUPPLIED, "0"),
]

SUPPLIERS = [
    # code, name, contact, phone, e-mail, default lead days, [(product, days, price)]
    (
        "SUP-BG",
        "宝钢物流（上海）有限公司",
        "蔡经理",
        "021-56780001",
        "sales@bg-demo.example.com",
        7,
        [("ST-Q235", 7, "6.20")],
    ),
    (
        "SUP-ZT",
        "正泰电器股份有限公司",
        "林工",
        "0577-62870002",
        "order@zt-demo.example.com",
        5,
        [("BRK-C16", 5, "16.80"), ("PLC-S7", 12, "3450.00")],
    ),
    ("SUP-YD", "远东电缆有限公司", "周经理", "0510-87240003", "", 10, [("CU-2.5", 10, "2.45")]),
    ("SUP-SZ", "苏州精密紧固件厂", "吴厂长", "0512-66550004", "", 4, [("SP-KIT", 4, "520.00")]),
]


def load_supply_demo(rt: Runtime, p: dict[Role, Principal]) -> None:
    """Everything above, in a few seconds; call before the sweeper's rounds so the deadlines
    that have passed (an unconfirmed supplier, customer material not arrived) raise slips."""
    products, sister = _master_data(rt, p)
    orders = _sales_orders(rt, p)
    _purchases(rt, p, orders, sister)
    _warehouse(rt, p, orders)


def _master_data(rt: Runtime, p: dict[Role, Principal]) -> tuple[dict[str, int], dict[str, Any]]:
    now = rt.now()
    company = p[Role.PROCUREMENT].company_id
    with rt.db.transaction() as s:
        for code, name, spec, unit, kind, _ in MATERIALS:
            s.add(
                Product(
                    company_id=company,
                    code=code,
                    name=name,
                    model_spec=spec,
                    unit=unit,
                    kind=kind,
                    created_at=now,
                )
            )
        s.flush()
        products = dict(
            s.execute(select(Product.code, Product.id).where(Product.company_id == company)).all()
        )
        for code, name, contact, phone, email, days, items in SUPPLIERS:
            s.add(
                Supplier(
                    company_id=company,
                    code=code,
                    name=name,
                    contact_name=contact,
                    phone=phone,
                    email=email,
                    default_lead_time_days=days,
                    created_at=now,
                    items=[
                        SupplierItem(
                            product_id=products[product], lead_time_days=lead, unit_price=D(price)
                        )
                        for product, lead, price in items
                    ],
                )
            )
        # The Shenzhen company of the group holds steel and breakers of its own: the desk
        # offers them as transfers (调拨) before anything is bought (A5).
        group = s.scalar(select(Company.group_code).where(Company.id == company))
        sister = s.scalar(select(Company).where(Company.group_code == group, Company.id != company))
        assert sister is not None
        south = s.scalar(select(Warehouse).where(Warehouse.company_id == sister.id))
        assert south is not None
        for code, name, qty in (("ST-Q235", "冷轧钢板", 1200), ("BRK-C16", "小型断路器", 300)):
            twin = Product(
                company_id=sister.id,
                code=code,
                name=name,
                unit="kg" if code == "ST-Q235" else "只",
                kind=ProductKind.RAW,
                created_at=now,
            )
            s.add(twin)
            s.flush()
            ledger.receive(
                s,
                warehouse_id=south.id,
                product_id=twin.id,
                quantity=D(qty),
                reason="opening_balance",
                reference="DEMO",
                at=now,
            )
        ledger.locations_of(s, south.id)
        return products, {"company": sister.id, "code": sister.code}


def _sales_orders(rt: Runtime, p: dict[Role, Principal]) -> list[int]:
    with rt.db.reading() as s:
        return list(
            s.scalars(
                select(SalesOrder.id)
                .where(SalesOrder.state.in_(["confirmed", "partially_shipped"]))
                .order_by(SalesOrder.id)
            )
        )


def _order(rt: Runtime, buyer: Principal, **body: Any) -> int:
    return service.create_order(rt, buyer, OrderCreate.model_validate(body)).id


def _step(rt: Runtime, who: Principal, po: int, name: str, **fields: Any) -> Any:
    return service.order_step(rt, who, po, name, fields, expected_version=None)


def _place(rt: Runtime, p: dict[Role, Principal], po: int) -> None:
    _step(rt, p[Role.PROCUREMENT], po, "submit", no_transfer_reason="深圳公司库存已被其订单占用")
    _step(rt, p[Role.PROCUREMENT_MANAGER], po, "approve")


def _inspect(rt: Runtime, who: Principal, po: Any, **fields: Any) -> None:
    number = po.receipts[-1].lines[0].inspection_number
    insp = quality.list_inspections(rt, who, q=number)[0][0]
    quality.inspection_step(rt, who, insp.id, "record", fields, expected_version=None)


def _purchases(
    rt: Runtime, p: dict[Role, Principal], orders: list[int], sister: dict[str, Any]
) -> None:
    buyer = p[Role.PROCUREMENT]
    today = rt.today()
    weeks_ago = replace(rt, clock=lambda: rt.now() - timedelta(days=21))
    days_ago = replace(rt, clock=lambda: rt.now() - timedelta(days=8))
    order = orders[0] if orders else None

    # Planning's requisition for an order (through the port), still on the desk.
    with rt.db.transaction() as s:
        ports.request_purchases(
            s,
            rt,
            [
                ports.PurchaseNeed(
                    buyer.company_id,
                    _pid(rt, "ST-Q235", buyer.company_id),
                    D(360),
                    today + timedelta(days=12),
                    order,
                    "MRP 物料需求",
                ),
                ports.PurchaseNeed(
                    buyer.company_id,
                    _pid(rt, "BRK-C16", buyer.company_id),
                    D(48),
                    today + timedelta(days=12),
                    order,
                    "MRP 物料需求",
                ),
            ],
            Actor(p[Role.PLANNER].id, p[Role.PLANNER].display_name),
        )
    # A buyer's requisition by hand, checked against unit use × quantity (H2).
    service.create_requisition(
        rt,
        buyer,
        RequisitionCreate(
            needed_by=today + timedelta(days=15),
            sales_order_id=orders[1] if len(orders) > 1 else None,
            reason="控制柜配线",
            lines=[
                RequisitionLineCreate(
                    product_code="CU-2.5", unit_use=D(42), for_quantity=D(6), allowance=D("0.05")
                )
            ],
        ),
    )

    # Received three weeks ago, on time and passed: the on-time rate has history.
    done = _order(
        weeks_ago,
        buyer,
        supplier_code="SUP-ZT",
        due_date=(today - timedelta(days=14)).isoformat(),
        lines=[{"product_code": "BRK-C16", "quantity": "120"}],
    )
    _place(weeks_ago, p, done)
    received = _step(
        replace(rt, clock=lambda: rt.now() - timedelta(days=15)),
        p[Role.WAREHOUSE],
        done,
        "receive",
        delivery_note="ZT-88012",
    )
    _inspect(
        replace(rt, clock=lambda: rt.now() - timedelta(days=15)),
        p[Role.QUALITY],
        received,
        defective=0,
    )

    # Late and only partly there: arrived a week late, one lot failed (批量合格率 < 95 %).
    late = _order(
        weeks_ago,
        buyer,
        supplier_code="SUP-BG",
        due_date=(today - timedelta(days=9)).isoformat(),
        sales_order_id=order,
        lines=[
            {"product_code": "ST-Q235", "quantity": "800", "unit_use": "40", "for_quantity": "20"}
        ],
    )
    _place(weeks_ago, p, late)
    _step(
        weeks_ago,
        buyer,
        late,
        "confirm_date",
        promised_date=(today - timedelta(days=2)).isoformat(),
        note="钢厂排产推迟",
    )
    received = _step(
        replace(rt, clock=lambda: rt.now() - timedelta(hours=3)),
        p[Role.WAREHOUSE],
        late,
        "receive",
        delivery_note="BG-20261118",
        lines=[{"line_no": 1, "quantity": "500"}],
    )
    _inspect(
        replace(rt, clock=lambda: rt.now() - timedelta(hours=2)),
        p[Role.QUALITY],
        received,
        defective=4,
        findings=[
            {"defect": "dimension", "quantity": 3, "note": "厚度 1.38mm"},
            {"defect": "appearance", "quantity": 1, "note": "表面划伤"},
        ],
    )

    # Placed twelve days ago, due tomorrow, never confirmed: the sweeper makes it an
    # exception (H4: at the latest two working days before the planned date).
    earlier = replace(rt, clock=lambda: rt.now() - timedelta(days=12))
    silent = _order(
        earlier,
        buyer,
        supplier_code="SUP-YD",
        due_date=(today + timedelta(days=1)).isoformat(),
        lines=[{"product_code": "CU-2.5", "quantity": "2000"}],
    )
    _place(earlier, p, silent)

    # Shipped by the supplier and arrived this morning: waiting in QC for inspection.
    waiting = _order(
        days_ago,
        buyer,
        supplier_code="SUP-SZ",
        due_date=today.isoformat(),
        lines=[{"product_code": "SP-KIT", "quantity": "20"}],
    )
    _place(days_ago, p, waiting)
    _step(days_ago, buyer, waiting, "confirm_date", promised_date=today.isoformat())
    _step(
        rt, buyer, waiting, "confirm_shipment", carrier="德邦物流", tracking_number="DB8820261125"
    )
    _step(rt, p[Role.WAREHOUSE], waiting, "receive", delivery_note="SZ-0451")

    # Waiting for the manager's approval.
    pending = _order(
        rt,
        buyer,
        supplier_code="SUP-ZT",
        due_date=(today + timedelta(days=20)).isoformat(),
        lines=[{"product_code": "PLC-S7", "quantity": "6"}],
    )
    _step(rt, buyer, pending, "submit")

    # A transfer from the Shenzhen company, waiting for its warehouse to ship (A5).
    with rt.db.transaction() as s:
        ports.request_transfers(
            s,
            rt,
            [
                ports.TransferNeed(
                    sister["company"],
                    buyer.company_id,
                    _pid(rt, "BRK-C16", buyer.company_id),
                    D(60),
                    today + timedelta(days=5),
                    order,
                    "缺料调拨",
                )
            ],
            Actor(buyer.id, buyer.display_name),
        )
    # And one Shenzhen has shipped: our warehouse has it to take in (its task, A5).
    with rt.db.transaction() as s:
        (number,) = ports.request_transfers(
            s,
            rt,
            [
                ports.TransferNeed(
                    sister["company"],
                    buyer.company_id,
                    _pid(rt, "ST-Q235", buyer.company_id),
                    D(200),
                    today + timedelta(days=3),
                    order,
                    "钢板调拨",
                )
            ],
            Actor(buyer.id, buyer.display_name),
        )
        shipped = s.scalar(select(TransferOrder).where(TransferOrder.number == number))
        assert shipped is not None
        # The Shenzhen company has no users in the demo: its warehouse ships by name.
        transfers.TRANSFERS.step_in(
            s,
            shipped,
            "ship",
            actor=Actor(None, "深圳仓"),
            roles={Role.WAREHOUSE},
            now=rt.now(),
            policy=rt.policy,
            fields={"carrier": "顺丰物流"},
            runtime=rt,
        )


def _warehouse(rt: Runtime, p: dict[Role, Principal], orders: list[int]) -> None:
    clerk, today = p[Role.SALES_CLERK], rt.today()
    order = orders[0] if orders else None
    # The customer promised nameplates for yesterday: not here, so it becomes a slip.
    before = replace(rt, clock=lambda: rt.now() - timedelta(days=4))
    warehouse.create_customer_supplied(
        before,
        clerk,
        CustomerSuppliedCreate(
            sales_order_id=order,
            customer_code=None if order else "C001",
            expected_date=today - timedelta(days=1),
            lines=[ProductQuantity(product_code="CS-NAMEPLATE", quantity=D("12"))],
            note="客户确认随第二批图纸寄出",
        ),
    )
    signed = warehouse.create_customer_supplied(
        before,
        clerk,
        CustomerSuppliedCreate(
            customer_code="C002",
            expected_date=today,
            lines=[ProductQuantity(product_code="CS-NAMEPLATE", quantity=D("30"))],
        ),
    )
    warehouse.step(
        rt,
        p[Role.WAREHOUSE],
        "customer_supplied",
        signed.id,
        "sign_in",
        {"signed_by": "客户司机 张师傅", "lines": [{"line_no": 1, "counted": "28"}]},
        expected_version=None,
    )
    count = warehouse.create_count(
        rt, p[Role.WAREHOUSE], CountCreate(warehouse_code="SH02", reason="月度抽盘")
    )
    if count.lines:
        warehouse.step(
            rt,
            p[Role.WAREHOUSE],
            "counts",
            count.id,
            "record",
            {"lines": [{"line_no": ln.line_no, "counted": ln.book} for ln in count.lines]},
            expected_version=None,
        )
    # A final inspection with the customer's standards (J4), and a problem closed last week.
    if order:
        from orderflow.quality.schemas import InspectionCreate

        quality.create_inspection(
            rt,
            p[Role.QUALITY],
            InspectionCreate(
                stage="final", product_code="VF-55", quantity=D(3), sales_order_id=order
            ),
        )
    last_week = replace(rt, clock=lambda: rt.now() - timedelta(days=6))
    from orderflow.exception_slips.schemas import SlipCreate

    slip = slips.create_slip(
        last_week,
        p[Role.WAREHOUSE],
        SlipCreate(
            kind="data_error",
            description="SH01 库位 A 区盘点与账面差 2 台",
            source_number="SC-2026-000000",
        ),
    )
    slips.apply_step(
        last_week,
        p[Role.ORDER_MANAGER],
        slip.id,
        "decide",
        {"cause": "发货漏扫", "decision": "补录出库", "liability": "internal"},
        expected_version=None,
    )
    slips.apply_step(
        last_week,
        p[Role.ORDER_MANAGER],
        slip.id,
        "close",
        {"closure": "已补录，账实相符"},
        expected_version=None,
    )


def _pid(rt: Runtime, code: str, company_id: int) -> int:
    with rt.db.reading() as s:
        found = s.scalar(
            select(Product.id).where(Product.code == code, Product.company_id == company_id)
        )
    assert found is not None
    return found
