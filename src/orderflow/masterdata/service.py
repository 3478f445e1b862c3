"""Use cases the master-data pages need that the owning areas do not offer (yet).

Built on the areas' public functions where one exists; the rest reads or writes the
areas' tables directly, one transaction per use case, company-scoped like everything
else. Kept here so the inventory and auth internals stay free to change underneath:
    - ``get_warehouse``, ``recent_moves``: a warehouse by id, its stock ledger;
    - ``record_adjustment``: a stock adjustment made once per form, however often posted;
    - ``departments``, ``get_user``, ``update_user``, ``reactivate_user``.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.auth.roles import PERMISSIONS
from orderflow.auth.users import UserRead, list_users
from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors, NotFound
from orderflow.core.idempotency import once
from orderflow.inventory.models import StockMove
from orderflow.inventory.schemas import StockAdjustment, WarehouseRead
from orderflow.inventory.warehouses import adjust, list_warehouses
from orderflow.masterdata.schemas import StockMoveRead, UserUpdate
from orderflow.org.models import Department
from orderflow.runtime import Principal, Runtime


def get_warehouse(rt: Runtime, principal: Principal, warehouse_id: int) -> WarehouseRead:
    """One of the caller's company's warehouses (404 for any other)."""
    found = next((w for w in list_warehouses(rt, principal) if w.id == warehouse_id), None)
    if found is None:
        raise NotFound(f"No warehouse {warehouse_id}")
    return found


def recent_moves(
    rt: Runtime, principal: Principal, warehouse_id: int, *, limit: int = 20
) -> list[StockMoveRead]:
    """The warehouse's latest stock-ledger rows, newest first."""
    warehouse = get_warehouse(rt, principal, warehouse_id)
    with rt.db.reading() as s:
        found = s.execute(
            select(StockMove, Product.code, Product.name, User.display_name)
            .join(Product, Product.id == StockMove.product_id)
            .outerjoin(User, User.id == StockMove.actor_id)
            .where(StockMove.warehouse_id == warehouse.id)
            .order_by(StockMove.at.desc(), StockMove.id.desc())
            .limit(limit)
        ).all()
    return [
        StockMoveRead(
            at=move.at,
            product_code=code,
            product_name=name,
            quantity=f"{move.quantity.normalize():f}",
            reason=move.reason,
            reference=move.reference,
            actor=actor,
        )
        for move, code, name, actor in found
    ]


def record_adjustment(
    rt: Runtime, principal: Principal, data: StockAdjustment, *, idempotency_key: str
) -> None:
    """Adjust stock through ``inventory.warehouses.adjust``, once per key.

    A stock adjustment is not naturally idempotent: a double click on the form would count
    the same difference twice. The form carries a key; the first post adjusts and stores
    the key in the same transaction, a repeat finds the key and changes nothing.
    """
    require(principal, "warehouses.write")

    def create(s: Session) -> OnHand:
        return OnHand(on_hand=f"{adjust(s, rt, principal, data).normalize():f}")

    once(
        rt,
        principal,
        scope="stock.adjust",
        body=data,
        key=idempotency_key,
        create=create,
        model=OnHand,
    )


class OnHand(BaseModel):
    """What an adjustment leaves on hand (what a repeated post is answered)."""

    on_hand: str


def get_user(rt: Runtime, principal: Principal, user_id: int) -> UserRead:
    found = next((u for u in list_users(rt, principal) if u.id == user_id), None)
    if found is None:
        raise NotFound(f"No user {user_id}")
    return found


def _load(s: Session, principal: Principal, user_id: int) -> User:
    user = s.scalar(select(User).where(User.id == user_id, User.company_id == principal.company_id))
    if user is None:
        raise NotFound(f"No user {user_id}")
    return user


def _read(s: Session, user: User) -> UserRead:
    dept = s.get(Department, user.department_id) if user.department_id else None
    return UserRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=list(user.roles),
        department=dept.code if dept else None,
        email=user.email,
        locale=user.locale,
        is_active=user.is_active,
    )


def update_user(rt: Runtime, principal: Principal, user_id: int, data: UserUpdate) -> UserRead:
    """Change a user's name, roles, department, e-mail or language; takes effect on their
    next request (sessions and tokens read the user each time)."""
    require(principal, "users.write")
    changes = data.model_dump(exclude_unset=True)
    with rt.db.transaction() as s:
        user = _load(s, principal, user_id)
        problems = FieldErrors()
        roles = changes.get("roles")
        # An administrator may not drop their own administration: the last one would lock
        # everyone out of user administration.
        if user.id == principal.id and roles and not set(roles) & PERMISSIONS["users.write"]:
            problems.add("roles", "You cannot take away your own administration", "self")
        dept_id = user.department_id
        if "department_code" in changes:
            code = changes.pop("department_code")
            dept_id = None
            if code:
                dept_id = s.scalar(
                    select(Department.id).where(
                        Department.company_id == principal.company_id, Department.code == code
                    )
                )
                if dept_id is None:
                    problems.add("department_code", "No such department", "unknown_department")
        problems.raise_if_any()
        for name, value in changes.items():
            if value is not None or name == "email":
                setattr(user, name, value)
        user.department_id = dept_id
        s.flush()
        return _read(s, user)


def reactivate_user(rt: Runtime, principal: Principal, user_id: int) -> UserRead:
    """Undo a deactivation: the user may log in again."""
    require(principal, "users.write")
    with rt.db.transaction() as s:
        user = _load(s, principal, user_id)
        user.is_active = True
        return _read(s, user)
