"""Benchmark data: one company, a clerk, a customer with ample credit, products with ample stock."""

from __future__ import annotations

from decimal import Decimal

from orderflow.auth.service import new_user, principal_of
from orderflow.catalog.models import PriceListEntry, Product
from orderflow.inventory import ledger
from orderflow.inventory.models import Warehouse
from orderflow.org.models import Company
from orderflow.parties.models import Address, Contact, Customer
from orderflow.runtime import Principal, Runtime

PASSWORD = "bench-password-123"


def seed(rt: Runtime, *, products: int = 50) -> tuple[Principal, int, list[str]]:
    now = rt.now()
    with rt.db.transaction() as s:
        company = Company(code="BENCH", name="Bench Co", currency="CNY")
        s.add(company)
        s.flush()
        clerk = new_user(
            company_id=company.id,
            username="sales_clerk",
            display_name="clerk",
            password=PASSWORD,
            roles=["sales_clerk"],
            now=now,
        )
        s.add(clerk)
        wh = Warehouse(company_id=company.id, code="W", name="W")
        s.add(wh)
        codes = [f"P{i:03d}" for i in range(products)]
        items = [
            Product(
                company_id=company.id,
                code=c,
                name=c,
                unit="pcs",
                created_at=now,
                prices=[
                    PriceListEntry(
                        price_list="STD", min_quantity=Decimal(0), unit_price=Decimal("100.00")
                    )
                ],
            )
            for c in codes
        ]
        s.add_all(items)
        s.flush()
        for p in items:
            ledger.receive(
                s,
                warehouse_id=wh.id,
                product_id=p.id,
                quantity=Decimal(10**9),
                reason="opening_balance",
                at=now,
            )
        customer = Customer(
            company_id=company.id,
            code="C",
            name="Customer",
            credit_limit=Decimal(10**15),
            is_new=False,
            created_at=now,
            active=True,
            contacts=[Contact(name="c", email="c@example.com", is_primary=True)],
            addresses=[Address(line="somewhere", is_default=True)],
        )
        s.add(customer)
        s.flush()
        return principal_of(clerk), customer.id, codes
