"""Demo data as code: a group company, a user per role, customers, products, stock, and a
dozen orders in different states (some tasks overdue), so a newcomer can click through a
whole order at once. Kept current with every feature."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import text

from orderflow.auth.roles import Role
from orderflow.auth.service import new_user, principal_of
from orderflow.catalog.models import PriceListEntry, Product, ProductKind
from orderflow.core.sweeper import sweep
from orderflow.inventory import ledger
from orderflow.inventory.models import Warehouse
from orderflow.migrate import upgrade
from orderflow.models import metadata
from orderflow.org.models import Company, Department
from orderflow.parties.models import Address, Contact, Customer
from orderflow.planning.demo import load as planning_demo
from orderflow.procurement.demo import load_supply_demo
from orderflow.review.demo import load_review_demo
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import Channel, Priority
from orderflow.sales.schemas import LineCreate, OrderCreate
from orderflow.sales.service import apply_step, create_order

D = Decimal

DEPARTMENTS = [
    ("sales", "销售部"),
    ("order_mgmt", "合同订单管理部"),
    ("pmc", "PMC 计划部"),
    ("production", "生产部"),
    ("technical", "技术部"),
    ("materials", "物控部"),
    ("procurement", "采购部"),
    ("warehouse", "仓库"),
    ("quality", "品质部"),
    ("logistics", "储运部"),
    ("after_sales", "售后服务部"),
    ("finance", "财务部"),
    ("gm_office", "总经办"),
    ("it", "信息部"),
]

USERS: list[tuple[Role, str, str]] = [
    (Role.ADMIN, "系统管理员", "it"),
    (Role.SALES, "王销售", "sales"),
    (Role.SALES_CLERK, "李内勤", "sales"),
    (Role.ORDER_MANAGER, "赵订单", "order_mgmt"),
    (Role.PLANNER, "钱计划", "pmc"),
    (Role.PRODUCTION, "孙生产", "production"),
    (Role.PRODUCTION_MANAGER, "周厂长", "production"),
    (Role.TECHNICAL, "吴工程师", "technical"),
    (Role.TECHNICAL_MANAGER, "许技术主管", "technical"),
    (Role.MATERIALS_CONTROL, "郑物控", "materials"),
    (Role.PROCUREMENT, "冯采购", "procurement"),
    (Role.PROCUREMENT_MANAGER, "陈采购经理", "procurement"),
    (Role.WAREHOUSE, "褚仓管", "warehouse"),
    (Role.QUALITY, "卫质检", "quality"),
    (Role.QUALITY_MANAGER, "蒋品质经理", "quality"),
    (Role.LOGISTICS, "沈储运", "logistics"),
    (Role.AFTER_SALES, "韩售后", "after_sales"),
    (Role.FINANCE, "杨会计", "finance"),
    (Role.FINANCE_MANAGER, "朱财务经理", "finance"),
    (Role.GENERAL_MANAGER, "秦总经理", "gm_office"),
    (Role.GROUP_GENERAL_MANAGER, "尤集团总裁", "gm_office"),
]

PRODUCTS = [
    # code, name, model/spec, unit, kind, lead days, STD price, A-list price
    (
        "KG-200",
        "工业控制柜",
        "KG-200 / 800×600×2000mm",
        "台",
        ProductKind.FINISHED,
        20,
        "12800.00",
        "12000.00",
    ),
    ("VF-55", "变频器", "VF-55 / 55kW 380V", "台", ProductKind.FINISHED, 10, "8600.00", "8200.00"),
    (
        "M-7.5",
        "三相异步电机",
        "Y2-132M-4 / 7.5kW",
        "台",
        ProductKind.FINISHED,
        15,
        "2350.00",
        "2200.00",
    ),
    (
        "PLC-S7",
        "可编程控制器",
        "S7-1200 CPU1214C",
        "套",
        ProductKind.FINISHED,
        7,
        "3980.00",
        "3800.00",
    ),
    (
        "HMI-10",
        "触摸屏",
        "10.1 英寸 / 1024×600",
        "台",
        ProductKind.FINISHED,
        7,
        "2680.00",
        "2550.00",
    ),
    ("CB-16", "电缆桥架", "200×100mm / 2m", "根", ProductKind.FINISHED, 5, "156.00", "148.00"),
    ("SP-KIT", "备件包", "KG 系列通用", "套", ProductKind.COMPONENT, 3, "680.00", "650.00"),
    ("ST-Q235", "冷轧钢板", "Q235 / 1.5mm", "kg", ProductKind.RAW, 7, "6.80", "6.80"),
    (
        "OLD-100",
        "老款控制柜（停产）",
        "KG-100",
        "台",
        ProductKind.FINISHED,
        0,
        "9800.00",
        "9800.00",
    ),
]
STOCK = {
    "KG-200": (12, 3),
    "VF-55": (30, 5),
    "M-7.5": (60, 10),
    "PLC-S7": (25, 0),
    "HMI-10": (18, 4),
    "CB-16": (400, 100),
    "SP-KIT": (40, 0),
    "ST-Q235": (5000, 0),
    "OLD-100": (0, 0),
}

CUSTOMERS = [
    # code, name, class, price list, credit limit, terms, region, locale, new, contact, phone, email, address
    (
        "C001",
        "上海华东机电设备有限公司",
        "A",
        "A",
        "2000000",
        30,
        "华东",
        "zh-CN",
        False,
        "刘经理",
        "13812345678",
        "liu@huadong-demo.example.com",
        ("上海市", "上海市", "浦东新区张江路 88 号"),
    ),
    (
        "C002",
        "苏州精工自动化股份有限公司",
        "A",
        "A",
        "1500000",
        45,
        "华东",
        "zh-CN",
        False,
        "张工",
        "13900001111",
        "zhang@jinggong-demo.example.com",
        ("江苏省", "苏州市", "工业园区星湖街 328 号"),
    ),
    (
        "C003",
        "广州南方电气工程有限公司",
        "B",
        "STD",
        "800000",
        30,
        "华南",
        "zh-CN",
        False,
        "陈总",
        "13700002222",
        "chen@nanfang-demo.example.com",
        ("广东省", "广州市", "黄埔区科学大道 101 号"),
    ),
    (
        "C004",
        "成都西部能源科技有限公司",
        "B",
        "STD",
        "500000",
        60,
        "西南",
        "zh-CN",
        True,
        "何主任",
        "13600003333",
        "he@xibu-demo.example.com",
        ("四川省", "成都市", "高新区天府大道 999 号"),
    ),
    (
        "C005",
        "Nordic Automation AB",
        "A",
        "STD",
        "1000000",
        60,
        "Export",
        "en",
        False,
        "Erik Larsson",
        "+46 8 123 456",
        "erik@nordic-demo.example.com",
        ("", "Stockholm", "Kungsgatan 12, 111 43"),
    ),
    (
        "C006",
        "北京恒通工程有限公司",
        "C",
        "STD",
        "200000",
        30,
        "华北",
        "zh-CN",
        True,
        "孙经理",
        "13500004444",
        "sun@hengtong-demo.example.com",
        ("北京市", "北京市", "海淀区中关村大街 27 号"),
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    users: list[tuple[str, str]]
    customers: int
    products: int
    orders: int


def reset(rt: Runtime) -> None:
    """Drop every table and migrate from scratch: the demo always starts clean."""
    rt.db.dispose()
    with rt.db.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    rt.db.dispose()
    upgrade(rt.db.url)


def load_demo(rt: Runtime, *, password: str) -> DemoSummary:
    reset(rt)
    now = rt.now()
    with rt.db.transaction() as s:
        company = Company(
            code="HDJD", name="华东机电集团 · 上海制造公司", group_code="HDJD-GROUP", currency="CNY"
        )
        sister = Company(
            code="HNCP", name="华东机电集团 · 深圳产品公司", group_code="HDJD-GROUP", currency="CNY"
        )
        s.add_all([company, sister])
        s.flush()
        depts = {
            code: Department(company_id=company.id, code=code, name=name)
            for code, name in DEPARTMENTS
        }
        s.add_all(depts.values())
        s.flush()
        users = {
            role: new_user(
                company_id=company.id,
                username=role.value,
                display_name=name,
                password=password,
                roles=[role.value],
                department_id=depts[dept].id,
                now=now,
                email=f"{role.value}@orderflow-demo.example.com",
            )
            for role, name, dept in USERS
        }
        s.add_all(users.values())
        s.flush()
        products = {}
        for code, name, spec, unit, kind, lead, std, a_price in PRODUCTS:
            product = Product(
                company_id=company.id,
                code=code,
                name=name,
                model_spec=spec,
                unit=unit,
                kind=kind,
                active=code != "OLD-100",
                lead_time_days=lead,
                created_at=now,
                prices=[
                    PriceListEntry(
                        price_list="STD", min_quantity=D(0), unit_price=D(std), currency="CNY"
                    ),
                    PriceListEntry(
                        price_list="A", min_quantity=D(0), unit_price=D(a_price), currency="CNY"
                    ),
                ],
            )
            products[code] = product
        s.add_all(products.values())
        main = Warehouse(
            company_id=company.id, code="SH01", name="上海总仓", address="上海市嘉定区安亭镇"
        )
        second = Warehouse(
            company_id=company.id, code="SH02", name="上海二号仓", address="上海市松江区"
        )
        south = Warehouse(company_id=sister.id, code="SZ01", name="深圳仓", address="深圳市宝安区")
        s.add_all([main, second, south])
        s.flush()
        for code, (first, other) in STOCK.items():
            for wh, qty in ((main, first), (second, other), (south, first // 2)):
                if qty:
                    ledger.receive(
                        s,
                        warehouse_id=wh.id,
                        product_id=products[code].id,
                        quantity=D(qty),
                        reason="opening_balance",
                        reference="DEMO",
                        at=now,
                    )
        for (
            code,
            name,
            cls,
            plist,
            limit,
            terms,
            region,
            locale,
            is_new,
            contact,
            phone,
            email,
            addr,
        ) in CUSTOMERS:
            s.add(
                Customer(
                    company_id=company.id,
                    code=code,
                    name=name,
                    customer_class=cls,
                    price_list=plist,
                    credit_limit=D(limit),
                    payment_terms_days=terms,
                    region=region,
                    locale=locale,
                    is_new=is_new,
                    owner_id=users[Role.SALES].id,
                    created_at=now,
                    active=True,
                    quality_standard="GB/T 3797-2016" if cls == "A" else None,
                    shipping_standard="木箱包装，防潮" if cls == "A" else None,
                    contacts=[Contact(name=contact, phone=phone, email=email, is_primary=True)],
                    addresses=[
                        Address(
                            label="默认",
                            province=addr[0],
                            city=addr[1],
                            line=addr[2],
                            is_default=True,
                        ),
                        *(
                            [
                                Address(
                                    label="西藏项目现场",
                                    province="西藏自治区",
                                    city="那曲市",
                                    line="双湖县项目工地",
                                    deliverable=False,
                                )
                            ]
                            if code == "C004"
                            else []
                        ),
                    ],
                )
            )
        principals = {role: principal_of(user) for role, user in users.items()}
    orders = _demo_orders(rt, principals)
    orders += load_review_demo(rt, principals)
    load_supply_demo(rt, principals)
    planning_demo(rt, principals)
    # A worker catches up one escalation step per round; do three rounds so the demo opens
    # with urging notices already climbing the chain, as a real backlog would have.
    for _ in range(3):
        sweep(rt.db, rt.policy, now=rt.now())
    return DemoSummary(
        users=[(role.value, name) for role, name, _ in USERS],
        customers=len(CUSTOMERS),
        products=len(PRODUCTS),
        orders=orders,
    )


def _order(
    rt: Runtime,
    who: Principal,
    customer: str,
    lines: list[tuple[str, int]],
    *,
    days: int = 20,
    priority: str = "normal",
    channel: str = "phone",
    notes: str = "",
) -> int:
    data = OrderCreate(
        channel=Channel(channel),
        customer_code=customer,
        requested_date=rt.today() + timedelta(days=days),
        priority=Priority(priority),
        notes=notes,
        lines=[LineCreate(product_code=code, quantity=D(qty)) for code, qty in lines],
    )
    return create_order(rt, who, data).id


def _steps(rt: Runtime, p: dict[Role, Principal], order_id: int, upto: str) -> None:
    plan = [
        ("confirm", Role.SALES_CLERK, {}),
        ("ship", Role.LOGISTICS, {"carrier": "顺丰速运", "tracking_number": f"SF{order_id:010d}"}),
        ("deliver", Role.LOGISTICS, {"signed_by": "收货人"}),
        ("invoice", Role.FINANCE, {}),
        ("pay", Role.FINANCE, None),
    ]
    for name, role, fields in plan:
        if fields is None:
            from orderflow.sales.service import get_order

            fields = {
                "amount": get_order(rt, p[role], order_id).outstanding.amount,
                "method": "bank_transfer",
                "reference": f"BANK-{order_id:05d}",
            }
        apply_step(rt, p[role], order_id, name, fields, expected_version=None)
        if name == upto:
            return


def _demo_orders(rt: Runtime, p: dict[Role, Principal]) -> int:
    clerk = p[Role.SALES_CLERK]
    # Orders entered days ago, so some handling tasks are overdue today.
    past = replace(rt, clock=lambda: rt.now() - timedelta(days=6))
    recent = replace(rt, clock=lambda: rt.now() - timedelta(days=1))
    made = [
        _order(
            past,
            clerk,
            "C003",
            [("KG-200", 2), ("SP-KIT", 2)],
            priority="urgent",
            notes="现场停机，急需",
        ),
        _order(past, clerk, "C006", [("CB-16", 50)], channel="fax"),
        _order(
            rt, clerk, "C002", [("PLC-S7", 4), ("HMI-10", 4)], priority="special", channel="email"
        ),
    ]
    for customer, lines, upto, when in [
        ("C001", [("VF-55", 3), ("M-7.5", 6)], "confirm", past),
        ("C002", [("KG-200", 1)], "confirm", recent),
        ("C005", [("VF-55", 2), ("PLC-S7", 2)], "confirm", rt),
        ("C001", [("M-7.5", 10), ("CB-16", 40)], "ship", past),
        ("C003", [("HMI-10", 2)], "ship", recent),
        ("C002", [("VF-55", 1), ("SP-KIT", 1)], "invoice", past),
        ("C001", [("KG-200", 1), ("SP-KIT", 1)], "pay", past),
        ("C005", [("M-7.5", 4)], "pay", recent),
    ]:
        order_id = _order(
            when, clerk, customer, lines, channel="web" if customer == "C005" else "phone"
        )
        _steps(when, p, order_id, upto)
        made.append(order_id)
    cancelled = _order(recent, clerk, "C004", [("M-7.5", 2)], channel="visit")
    apply_step(
        recent,
        clerk,
        cancelled,
        "cancel",
        {"reason": "客户项目延期，取消订单"},
        expected_version=None,
    )
    made.append(cancelled)
    # A partial shipment: half of the first line now, the rest later.
    partial = _order(recent, clerk, "C001", [("VF-55", 4)], channel="exhibition")
    _steps(recent, p, partial, "confirm")
    apply_step(
        recent,
        p[Role.LOGISTICS],
        partial,
        "ship",
        {
            "carrier": "德邦物流",
            "tracking_number": "DB20261101",
            "lines": [{"line_no": 1, "quantity": "2"}],
        },
        expected_version=None,
    )
    made.append(partial)
    return len(made)
