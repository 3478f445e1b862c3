"""User pages (the administrator writes, the general manager reads): users with their
departments and roles, create, edit, deactivate and reactivate; departments."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from orderflow.auth import users as accounts
from orderflow.auth.roles import PERMISSIONS, Role
from orderflow.auth.users import DepartmentCreate, UserCreate, UserRead, list_departments
from orderflow.core.access import require
from orderflow.core.errors import validate
from orderflow.masterdata import service
from orderflow.masterdata.forms import Errors, list_with_create_form, post_form, text_values
from orderflow.masterdata.schemas import UserUpdate
from orderflow.runtime import Principal
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/users")
def users_page(request: Request, me: PagePrincipal) -> Response:
    rt = runtime(request)
    users = accounts.list_users(rt, me)
    return render(
        request,
        "masterdata_users.html",
        users=users,
        departments={d.code: d.name for d in list_departments(rt, me)},
        may_edit=me.can(PERMISSIONS["users.write"]),
    )


def _form(
    request: Request,
    me: Principal,
    values: dict[str, Any],
    errors: Errors,
    *,
    user: UserRead | None,
    status_code: int = 200,
) -> Response:
    """The create form (``user`` None) or the user's page: the edit form for those who
    may write, the plain record for those who may only read."""
    rt = runtime(request)
    return render(
        request,
        "masterdata_user.html" if user else "masterdata_user_form.html",
        status_code=status_code,
        user=user,
        values=values,
        errors=errors,
        roles=list(Role),
        departments=list_departments(rt, me),
        may_edit=me.can(PERMISSIONS["users.write"]),
        is_me=user is not None and user.id == me.id,
    )


def _values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = text_values(form)
    values["roles"] = [str(r) for r in form.getlist("roles")]
    return values


@router.get("/users/new")
def new_user_page(request: Request, me: PagePrincipal) -> Response:
    require(me, "users.write")
    values = {"locale": "zh-CN", "roles": []}
    return _form(request, me, values, {}, user=None)


@router.post("/users/new")
async def create_user_page(request: Request) -> Response:
    rt = runtime(request)

    def save(me: Principal, form: FormData) -> UserRead:
        values = _values(form)
        # Blank optional inputs are left out, as an API client would leave them out.
        body = {k: v for k, v in values.items() if v or k in ("username", "password", "roles")}
        return accounts.create_user(rt, me, validate(UserCreate, body))

    return await post_form(
        request,
        permission="users.write",
        save=save,
        again=lambda me, form, errors, status: _form(
            request, me, {**_values(form), "password": ""}, errors, user=None, status_code=status
        ),
        done=lambda saved: f"/users/{saved.id}",
    )


def _user_values(user: UserRead) -> dict[str, Any]:
    return {
        "display_name": user.display_name,
        "roles": list(user.roles),
        "department_code": user.department or "",
        "email": user.email or "",
        "locale": user.locale,
    }


@router.get("/users/{user_id}")
def user_page(request: Request, user_id: int, me: PagePrincipal) -> Response:
    user = service.get_user(runtime(request), me, user_id)
    return _form(request, me, _user_values(user), {}, user=user)


def _shown_again(request: Request, user_id: int) -> Any:
    """The user's page again, with what was typed and the refusal by its field."""

    def again(me: Principal, form: FormData, errors: Errors, status: int) -> Response:
        user = service.get_user(runtime(request), me, user_id)
        values = _values(form) if form.get("display_name") is not None else _user_values(user)
        return _form(request, me, values, errors, user=user, status_code=status)

    return again


@router.post("/users/{user_id}")
async def update_user_page(request: Request, user_id: int) -> Response:
    rt = runtime(request)

    def save(me: Principal, form: FormData) -> UserRead:
        values = _values(form)
        body = {**values, "email": values.get("email") or None}
        return service.update_user(rt, me, user_id, validate(UserUpdate, body))

    return await post_form(
        request,
        permission="users.write",
        save=save,
        again=_shown_again(request, user_id),
        done=lambda saved: f"/users/{saved.id}",
    )


@router.post("/users/{user_id}/deactivate")
async def deactivate_user_page(request: Request, user_id: int) -> Response:
    rt = runtime(request)
    return await post_form(
        request,
        permission="users.write",
        save=lambda me, form: accounts.deactivate_user(rt, me, user_id),
        again=_shown_again(request, user_id),
        done=lambda saved: f"/users/{saved.id}",
    )


@router.post("/users/{user_id}/reactivate")
async def reactivate_user_page(request: Request, user_id: int) -> Response:
    rt = runtime(request)
    return await post_form(
        request,
        permission="users.write",
        save=lambda me, form: service.reactivate_user(rt, me, user_id),
        again=_shown_again(request, user_id),
        done=lambda saved: f"/users/{saved.id}",
    )


list_with_create_form(
    router,
    "/departments",
    template="masterdata_departments.html",
    items=("departments", list_departments),
    permission="users.write",
    schema=DepartmentCreate,
    create=accounts.create_department,
    done=lambda saved: "/departments",
)
