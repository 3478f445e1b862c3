"""Customer use cases: list, read, create, update — each one transaction, company-scoped."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import Money
from orderflow.auth.models import User
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed
from orderflow.db import table_of
from orderflow.parties.models import Address, Contact, Customer
from orderflow.parties.schemas import (
    AddressRead,
    ContactRead,
    CustomerCreate,
    CustomerFields,
    CustomerRead,
    CustomerUpdate,
)
from orderflow.privacy import mask_email, mask_phone
from orderflow.runtime import Principal, Runtime


def customer_read(c: Customer, *, masked: bool = False) -> CustomerRead:
    """The customer as the API shows it; contact details masked for roles that may not edit (O1)."""
    return CustomerRead(
        id=c.id,
        code=c.code,
        name=c.name,
        customer_class=c.customer_class,
        is_dealer=c.is_dealer,
        is_new=c.is_new,
        credit_limit=Money.of(c.credit_limit),
        payment_terms_days=c.payment_terms_days,
        price_list=c.price_list,
        region=c.region,
        locale=c.locale,
        quality_standard=c.quality_standard,
        shipping_standard=c.shipping_standard,
        owner_id=c.owner_id,
        active=c.active,
        contacts=[
            ContactRead(
                id=k.id,
                name=k.name,
                phone=mask_phone(k.phone) if masked and k.phone else k.phone,
                email=mask_email(k.email) if masked and k.email else k.email,
                is_primary=k.is_primary,
            )
            for k in c.contacts
        ],
        addresses=[
            AddressRead(
                id=a.id,
                label=a.label,
                province=a.province,
                city=a.city,
                line=a.line,
                postcode=a.postcode,
                is_default=a.is_default,
                deliverable=a.deliverable,
            )
            for a in c.addresses
        ],
    )


def _masked(principal: Principal) -> bool:
    from orderflow.auth.roles import PERMISSIONS

    return not principal.can(PERMISSIONS["customers.write"])


def _query(principal: Principal) -> Any:
    return (
        select(Customer)
        .where(Customer.company_id == principal.company_id)
        .options(selectinload(Customer.contacts), selectinload(Customer.addresses))
    )


def list_customers(
    rt: Runtime,
    principal: Principal,
    *,
    q: str | None = None,
    region: str | None = None,
    active: bool | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[CustomerRead], str | None]:
    require(principal, "customers.read")
    query = _query(principal)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(or_(Customer.code.ilike(like), Customer.name.ilike(like)))
    if region:
        query = query.where(Customer.region == region)
    if active is not None:
        query = query.where(Customer.active == active)
    if cursor:
        try:
            query = query.where(Customer.code > base64.urlsafe_b64decode(cursor.encode()).decode())
        except ValueError as exc:
            raise ValidationFailed.of(
                [FieldError("cursor", "Not a cursor from this list", "bad_cursor")]
            ) from exc
    limit = max(1, min(limit, 200))
    with rt.db.reading() as s:
        rows = s.scalars(query.order_by(Customer.code).limit(limit + 1)).all()
        page = rows[:limit]
        nxt = (
            base64.urlsafe_b64encode(page[-1].code.encode()).decode() if len(rows) > limit else None
        )
        masked = _masked(principal)
        return [customer_read(c, masked=masked) for c in page], nxt


def get_customer(rt: Runtime, principal: Principal, customer_id: int) -> CustomerRead:
    require(principal, "customers.read")
    with rt.db.reading() as s:
        return customer_read(_load(s, principal, customer_id), masked=_masked(principal))


def _load(s: Session, principal: Principal, customer_id: int) -> Customer:
    customer = s.scalar(_query(principal).where(Customer.id == customer_id))
    if customer is None:
        raise NotFound(f"No customer {customer_id}")
    return customer


def _apply(s: Session, principal: Principal, customer: Customer, data: CustomerFields) -> None:
    """Copy the given fields onto ``customer``, checking what only the database can tell."""
    problems = FieldErrors()
    given = data.model_dump(
        exclude_unset=True, exclude={"contacts", "addresses", "owner_username", "code"}
    )
    columns = table_of(Customer).c
    for name, value in given.items():
        # An explicit null may clear what the table lets be empty, and nothing else.
        if value is None and not columns[name].nullable:
            problems.add(name, "May not be empty", "missing")
        else:
            setattr(customer, name, value)
    if data.owner_username is not None:
        owner = s.scalar(
            select(User.id).where(
                User.username == data.owner_username, User.company_id == principal.company_id
            )
        )
        if owner is None:
            problems.add("owner_username", "No such user in your company", "unknown_user")
        customer.owner_id = owner
    if data.contacts is not None:
        customer.contacts = [Contact(**c.model_dump()) for c in data.contacts]
    if data.addresses is not None:
        if sum(a.is_default for a in data.addresses) > 1:
            problems.add("addresses", "At most one default address", "two_defaults")
        customer.addresses = [Address(**a.model_dump()) for a in data.addresses]
    problems.raise_if_any()


def add_customer(s: Session, rt: Runtime, principal: Principal, data: CustomerCreate) -> Customer:
    """Create within the caller's transaction (shared by the API and the importer)."""
    if s.scalar(
        select(Customer.id).where(
            Customer.company_id == principal.company_id, Customer.code == data.code
        )
    ):
        raise Conflict(
            f"Customer code {data.code} is taken",
            errors=[FieldError("code", "Already used", "duplicate")],
        )
    customer = Customer(
        company_id=principal.company_id,
        code=data.code,
        name=data.name,
        created_at=rt.now(),
        credit_limit=data.credit_limit,
        customer_class="B",
        is_dealer=False,
        is_new=True,
        payment_terms_days=30,
        price_list="STD",
        locale="zh-CN",
        active=True,
    )
    _apply(s, principal, customer, data)
    s.add(customer)
    s.flush()
    return customer


def change_customer(
    s: Session, principal: Principal, customer: Customer, data: CustomerUpdate
) -> Customer:
    _apply(s, principal, customer, data)
    s.flush()
    return customer


def create_customer(rt: Runtime, principal: Principal, data: CustomerCreate) -> CustomerRead:
    require(principal, "customers.write")
    with rt.db.transaction() as s:
        return customer_read(add_customer(s, rt, principal, data))


def update_customer(
    rt: Runtime, principal: Principal, customer_id: int, data: CustomerUpdate
) -> CustomerRead:
    require(principal, "customers.write")
    with rt.db.transaction() as s:
        return customer_read(change_customer(s, principal, _load(s, principal, customer_id), data))
