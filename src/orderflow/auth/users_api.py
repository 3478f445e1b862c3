"""/api/v1/users and /api/v1/departments."""

from __future__ import annotations

from fastapi import APIRouter, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.auth import users as service
from orderflow.auth.users import DepartmentCreate, DepartmentRead, UserCreate, UserRead

router = APIRouter(tags=["users"])


@router.get("/users", response_model=Page[UserRead])
def list_users(rt: RuntimeDep, me: PrincipalDep) -> Page[UserRead]:
    return Page(items=service.list_users(rt, me), next=None)


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
def create_user(body: UserCreate, rt: RuntimeDep, me: PrincipalDep) -> UserRead:
    return service.create_user(rt, me, body)


@router.post("/users/{user_id}/deactivate", response_model=UserRead)
def deactivate_user(user_id: int, rt: RuntimeDep, me: PrincipalDep) -> UserRead:
    return service.deactivate_user(rt, me, user_id)


@router.get("/departments", response_model=Page[DepartmentRead])
def list_departments(rt: RuntimeDep, me: PrincipalDep) -> Page[DepartmentRead]:
    return Page(items=service.list_departments(rt, me), next=None)


@router.post("/departments", response_model=DepartmentRead, status_code=status.HTTP_201_CREATED)
def create_department(body: DepartmentCreate, rt: RuntimeDep, me: PrincipalDep) -> DepartmentRead:
    return service.create_department(rt, me, body)
