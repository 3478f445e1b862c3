"""What every master-data form does alike: check, save through one service, or show the
form again with each refusal next to its field, in the page's language.

A form posts plain inputs and the CSRF token. The caller's permission is checked before
anything is parsed (a role that may not write gets 403, never a validation hint). The
service validates exactly as the API does; a refusal that names fields (422, or 409 for a
code already used) shows the form again with what was typed and nothing saved. Any other
refusal (403, 404) is the usual error page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.access import require
from orderflow.core.errors import OrderFlowError, validate
from orderflow.runtime import Principal, Runtime
from orderflow.web.field_errors import Errors, form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime


def text_values(form: FormData, *, skip: tuple[str, ...] = ("csrf_token",)) -> dict[str, str]:
    """The form's single-valued inputs, trimmed (what is shown again on a refusal)."""
    return {k: str(v).strip() for k, v in form.items() if k not in skip and isinstance(v, str)}


def rows(
    form: FormData, columns: tuple[str, ...], *, filled: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """Repeated inputs (``price_list[]``, ``unit_price[]``…) as rows. A row counts when one
    of its ``filled`` columns (default: any) holds text, so an empty row is no row, even
    with a pre-set column such as the currency."""
    lists = [form.getlist(f"{name}[]") for name in columns]
    out = []
    for cells in zip(*lists, strict=False):
        row = dict(zip(columns, (str(c).strip() for c in cells), strict=True))
        if any(row[c] for c in filled or columns):
            out.append(row)
    return out


async def post_form(
    request: Request,
    *,
    permission: str,
    save: Callable[[Principal, FormData], Any],
    again: Callable[[Principal, FormData, Errors, int], Response],
    done: Callable[[Any], str],
    inputs: Mapping[str, str] | None = None,
) -> Response:
    """Check the caller, the CSRF token and the permission; save; redirect to ``done``.

    A refusal naming fields answers ``again`` with the messages by input and the refusal's
    status (422 or 409), after the service rolled everything back.
    """
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    require(me, permission)
    try:
        saved = await run_in_threadpool(save, me, form)
    except OrderFlowError as exc:
        if not exc.errors or exc.status not in (409, 422):
            raise
        errors = form_errors(request, exc, inputs)
        return await run_in_threadpool(again, me, form, errors, exc.status)
    return RedirectResponse(done(saved), status_code=303)


def list_with_create_form(
    router: APIRouter,
    path: str,
    *,
    template: str,
    items: tuple[str, Callable[[Runtime, Principal], Any]],
    permission: str,
    schema: type[BaseModel],
    create: Callable[[Runtime, Principal, Any], Any],
    done: Callable[[Any], str],
) -> None:
    """GET ``path``: the list (``items``: its name in the template, and how to read it) with
    a form to add one; POST ``path``: ``create`` from the form validated as ``schema``, then
    go to ``done(saved)``, or the list again with what was typed and each refusal."""
    name, listing = items

    def page(
        request: Request,
        me: Principal,
        values: dict[str, str] | None = None,
        errors: Errors | None = None,
        status_code: int = 200,
    ) -> Response:
        return render(
            request,
            template,
            status_code=status_code,
            values=values or {},
            errors=errors or {},
            may_edit=me.can(PERMISSIONS[permission]),
            **{name: listing(runtime(request), me)},
        )

    @router.get(path)
    def list_page(request: Request, me: PagePrincipal) -> Response:
        return page(request, me)

    @router.post(path)
    async def create_page(request: Request) -> Response:
        rt = runtime(request)
        return await post_form(
            request,
            permission=permission,
            save=lambda me, form: create(rt, me, validate(schema, text_values(form))),
            again=lambda me, form, errors, status: page(
                request, me, text_values(form), errors, status
            ),
            done=done,
        )
