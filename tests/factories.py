"""Small, explicit test data: one company, a user per role, a customer, products with stock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from orderflow.auth.models import User
from orderflow.auth.roles import Role
from orderflow.auth.service import hash_password, principal_of
from orderflow.catalog.models import PriceListEntry, Product, ProductKind
from orderflow.inventory import ledger
from orderflow.inventory.models import Warehouse
from orderflow.org.models import Company
from orderflow.parties.models import Address, Contact, Customer
from orderflow.runtime import Principal, Runtime
from orderflow.sales.schemas import OrderCreate

PASSWORD = "correct horse battery"
# Argon2 is slow on purpose; hash once for the whole run instead of per user per test.
_PASSWORD_HASH = hash_password(PASSWORD)


def _user(company_id: int, username: str, roles: list[str], now: Any) -> User:
    return User(
        company_id=company_id,
        username=username,
        display_name=username,
        password_hash=_PASSWORD_HASH,
        roles=roles,
        locale="zh-CN",
        is_active=True,
        created_at=now,
    )


@dataclass
class World:
    company_id: int
    users: dict[str, Principal]
    customer_id: int
    products: dict[str, int]
    warehouse_id: int
    other_company_user: Principal
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, role: str) -> Principal:
        return self.users[role]


def make_world(
    rt: Runtime,
    *,
    stock: dict[str, int] | None = None,
    credit_limit: str = "1000000",
    customer_is_new: bool = False,
) -> World:
    """Company ACME with every role, customer C1, products P1/P2 (and a discontinued OLD)."""
    stock = {"P1": 100, "P2": 50} if stock is None else stock
    now = rt.now()
    with rt.db.transaction() as s:
        acme = Company(code="ACME", name="ACME 制造", group_code="G", currency="CNY")
        other = Company(code="OTHER", name="Other Co", group_code=None, currency="CNY")
        s.add_all([acme, other])
        s.flush()
        users = [_user(acme.id, r.value, [r.value], now) for r in Role]
        stranger = _user(other.id, "stranger", [Role.SALES_CLERK.value, Role.FINANCE.value], now)
        s.add_all([*users, stranger])
        s.flush()
        products = {}
        for code, price, kind, active in [
            ("P1", "100.00", ProductKind.FINISHED, True),
            ("P2", "250.50", ProductKind.FINISHED, True),
            ("P3", "80.00", ProductKind.FINISHED, True),
            ("OLD", "10.00", ProductKind.FINISHED, False),
            ("RAW", "1.00", ProductKind.RAW, True),
        ]:
            products[code] = Product(
                company_id=acme.id,
                code=code,
                name=f"Product {code}",
                model_spec=f"{code}-spec",
                unit="pcs",
                kind=kind,
                active=active,
                created_at=now,
                prices=[
                    PriceListEntry(
                        price_list="STD",
                        min_quantity=Decimal(0),
                        unit_price=Decimal(price),
                        currency="CNY",
                    )
                ],
            )
        s.add_all(products.values())
        wh = Warehouse(company_id=acme.id, code="W1", name="Main")
        s.add(wh)
        s.flush()
        for code, qty in stock.items():
            if qty:
                ledger.receive(
                    s,
                    warehouse_id=wh.id,
                    product_id=products[code].id,
                    quantity=Decimal(qty),
                    reason="opening_balance",
                    at=now,
                )
        customer = Customer(
            company_id=acme.id,
            code="C1",
            name="华东客户",
            credit_limit=Decimal(credit_limit),
            payment_terms_days=30,
            is_new=customer_is_new,
            created_at=now,
            active=True,
            contacts=[
                Contact(
                    name="刘经理", phone="13812345678", email="liu@example.com", is_primary=True
                )
            ],
            addresses=[
                Address(
                    label="HQ",
                    province="上海市",
                    city="上海市",
                    line="张江路 88 号",
                    is_default=True,
                ),
                Address(
                    label="Remote", province="西藏", city="那曲", line="工地", deliverable=False
                ),
            ],
        )
        s.add(customer)
        s.flush()
        return World(
            company_id=acme.id,
            users={u.username: principal_of(u) for u in users},
            customer_id=customer.id,
            products={k: p.id for k, p in products.items()},
            warehouse_id=wh.id,
            other_company_user=principal_of(stranger),
            extra={"remote_address_id": customer.addresses[1].id},
        )


def order_data(rt: Runtime, world: World, **overrides: Any) -> OrderCreate:
    body: dict[str, Any] = {
        "channel": "phone",
        "customer_id": world.customer_id,
        "requested_date": (rt.today() + timedelta(days=14)).isoformat(),
        "lines": [{"product_code": "P1", "quantity": "2"}, {"product_code": "P2", "quantity": "1"}],
    }
    body.update(overrides)
    return OrderCreate.model_validate(body)
