"""Test data for procurement, inventory and quality: suppliers with lead times, a sister
company of the group with stock, a customer-supplied material."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from orderflow.auth.models import User
from orderflow.auth.roles import Role
from orderflow.auth.service import principal_of
from orderflow.catalog.models import Product, ProductKind
from orderflow.inventory import ledger
from orderflow.inventory.models import Warehouse
from orderflow.org.models import Company
from orderflow.procurement.models import Supplier, SupplierItem
from orderflow.runtime import Runtime
from tests.factories import _PASSWORD_HASH, World


def add_suppliers(rt: Runtime, world: World) -> dict[str, int]:
    """S1 (RAW in 5 days at 1.20, P3 in 10 days) and S2 (RAW in 3 days, e-mail on file)."""
    now = rt.now()
    with rt.db.transaction() as s:
        s1 = Supplier(
            company_id=world.company_id,
            code="S1",
            name="华东钢材",
            default_lead_time_days=7,
            created_at=now,
            items=[
                SupplierItem(
                    product_id=world.products["RAW"], lead_time_days=5, unit_price=Decimal("1.20")
                ),
                SupplierItem(
                    product_id=world.products["P3"], lead_time_days=10, unit_price=Decimal("50")
                ),
            ],
        )
        s2 = Supplier(
            company_id=world.company_id,
            code="S2",
            name="苏州五金",
            email="sales@s2.example.com",
            default_lead_time_days=3,
            created_at=now,
            items=[
                SupplierItem(
                    product_id=world.products["RAW"], lead_time_days=3, unit_price=Decimal("1.30")
                )
            ],
        )
        s.add_all([s1, s2])
        s.flush()
        ids = {"S1": s1.id, "S2": s2.id}
    world.extra["suppliers"] = ids
    return ids


def add_sister(rt: Runtime, world: World, *, raw: int = 40) -> dict[str, int]:
    """Company SIS in ACME's group, with warehouse SW1 holding ``raw`` of RAW, and a
    warehouse user ``sister_warehouse``."""
    now = rt.now()
    with rt.db.transaction() as s:
        group = s.scalar(select(Company.group_code).where(Company.id == world.company_id))
        sister = Company(code="SIS", name="姊妹公司", group_code=group, currency="CNY")
        s.add(sister)
        s.flush()
        raw_product = Product(
            company_id=sister.id,
            code="RAW",
            name="Product RAW",
            unit="pcs",
            kind=ProductKind.RAW,
            created_at=now,
        )
        wh = Warehouse(company_id=sister.id, code="SW1", name="姊妹仓")
        user = User(
            company_id=sister.id,
            username="sister_warehouse",
            display_name="sister_warehouse",
            password_hash=_PASSWORD_HASH,
            roles=[Role.WAREHOUSE.value],
            locale="zh-CN",
            is_active=True,
            created_at=now,
        )
        s.add_all([raw_product, wh, user])
        s.flush()
        if raw:
            ledger.receive(
                s,
                warehouse_id=wh.id,
                product_id=raw_product.id,
                quantity=Decimal(raw),
                reason="opening_balance",
                at=now,
            )
        ids = {"company": sister.id, "warehouse": wh.id, "RAW": raw_product.id}
        world.users["sister_warehouse"] = principal_of(user)
    world.extra["sister"] = ids
    return ids


def add_customer_supplied(rt: Runtime, world: World) -> int:
    with rt.db.transaction() as s:
        product = Product(
            company_id=world.company_id,
            code="CS-LABEL",
            name="客供标签",
            unit="pcs",
            kind=ProductKind.CUSTOMER_SUPPLIED,
            created_at=rt.now(),
        )
        s.add(product)
        s.flush()
        world.products["CS-LABEL"] = product.id
        return product.id
