"""User administration: list, create, deactivate (admin only); departments."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.auth.roles import ALL_ROLES
from orderflow.auth.service import new_user
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from orderflow.org.models import Department
from orderflow.runtime import Principal, Runtime


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=2, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=10, max_length=200)
    roles: list[str] = Field(min_length=1)
    department_code: str | None = None
    email: EmailStr | None = None
    locale: str = Field(default="zh-CN", pattern="^(zh-CN|en)$")

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, roles: list[str]) -> list[str]:
        unknown = sorted(set(roles) - ALL_ROLES)
        if unknown:
            raise ValueError(f"unknown roles {unknown}; known: {sorted(ALL_ROLES)}")
        return roles


class UserRead(BaseModel):
    id: int
    username: str
    display_name: str
    roles: list[str]
    department: str | None
    email: str | None
    locale: str
    is_active: bool


class DepartmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)


class DepartmentRead(BaseModel):
    id: int
    code: str
    name: str


def _read(s: Session, user: User) -> UserRead:
    dept = s.get(Department, user.department_id) if user.department_id else None
    return UserRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=user.roles,
        department=dept.code if dept else None,
        email=user.email,
        locale=user.locale,
        is_active=user.is_active,
    )


def list_users(rt: Runtime, principal: Principal) -> list[UserRead]:
    require(principal, "users.read")
    with rt.db.reading() as s:
        users = s.scalars(
            select(User).where(User.company_id == principal.company_id).order_by(User.username)
        )
        return [_read(s, u) for u in users]


def add_user(
    s: Session, rt: Runtime, principal: Principal, data: UserCreate, *, prefix: str = ""
) -> User:
    """Create within the caller's transaction (shared by the API and the importer)."""
    if s.scalar(select(User.id).where(User.username == data.username)):
        raise Conflict(
            f"Username {data.username} is taken",
            errors=[FieldError(prefix + "username", "Already used", "duplicate")],
        )
    dept_id = None
    if data.department_code:
        dept_id = s.scalar(
            select(Department.id).where(
                Department.company_id == principal.company_id,
                Department.code == data.department_code,
            )
        )
        if dept_id is None:
            raise ValidationFailed.of(
                [FieldError(prefix + "department_code", "No such department", "unknown_department")]
            )
    user = new_user(
        company_id=principal.company_id,
        username=data.username,
        display_name=data.display_name,
        password=data.password,
        roles=data.roles,
        now=rt.now(),
        department_id=dept_id,
        email=data.email,
        locale=data.locale,
    )
    s.add(user)
    s.flush()
    return user


def create_user(rt: Runtime, principal: Principal, data: UserCreate) -> UserRead:
    require(principal, "users.write")
    with rt.db.transaction() as s:
        return _read(s, add_user(s, rt, principal, data))


def deactivate_user(rt: Runtime, principal: Principal, user_id: int) -> UserRead:
    """Deactivated users can no longer log in; their tokens stop working at once."""
    require(principal, "users.write")
    with rt.db.transaction() as s:
        user = s.scalar(
            select(User).where(User.id == user_id, User.company_id == principal.company_id)
        )
        if user is None:
            raise NotFound(f"No user {user_id}")
        if user.id == principal.id:
            raise ValidationFailed.of(
                [FieldError("user_id", "You cannot deactivate yourself", "self")]
            )
        user.is_active = False
        return _read(s, user)


def list_departments(rt: Runtime, principal: Principal) -> list[DepartmentRead]:
    """The company's departments, for those who may see its users (API and pages alike)."""
    require(principal, "users.read")
    with rt.db.reading() as s:
        rows = s.scalars(
            select(Department)
            .where(Department.company_id == principal.company_id)
            .order_by(Department.code)
        )
        return [DepartmentRead(id=d.id, code=d.code, name=d.name) for d in rows]


def create_department(rt: Runtime, principal: Principal, data: DepartmentCreate) -> DepartmentRead:
    require(principal, "users.write")
    with rt.db.transaction() as s:
        if s.scalar(
            select(Department.id).where(
                Department.company_id == principal.company_id, Department.code == data.code
            )
        ):
            raise Conflict(
                f"Department {data.code} exists",
                errors=[FieldError("code", "Already used", "duplicate")],
            )
        d = Department(company_id=principal.company_id, code=data.code, name=data.name)
        s.add(d)
        s.flush()
        return DepartmentRead(id=d.id, code=d.code, name=d.name)
