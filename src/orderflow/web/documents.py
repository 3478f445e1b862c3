"""What every document page does alike: show the document with its timeline and open
tasks, take a step from a form and come back.

A step form posts its inputs, the CSRF token and the version the page showed. The page
applies the step through the area's service; a refusal shows the document again with the
message beside the step that was tried (a 404 stays a plain 404, so nothing leaks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from orderflow.core.errors import OrderFlowError
from orderflow.core.kit import DocumentKind, document_events
from orderflow.runtime import Principal
from orderflow.tasks.service import list_tasks
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

FORM_CONTROL_FIELDS = ("csrf_token", "version")


def form_fields(form: FormData, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A step form's filled-in inputs; blank inputs mean "use the default" and are left out."""
    return {
        key: value.strip()
        for key, value in form.items()
        if key not in FORM_CONTROL_FIELDS + skip and isinstance(value, str) and value.strip()
    }


_PATH = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def nested_form_fields(form: FormData, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Like ``form_fields``, with inputs named by field path (``lines[0].quantity``, the
    names errors use) gathered into lists and objects; a list item left blank is dropped."""
    out: dict[str, Any] = {}
    for name, value in form_fields(form, skip=skip).items():
        parts = [key if key else int(index) for key, index in _PATH.findall(name)]
        node: Any = out
        for part, nxt in zip(parts, parts[1:], strict=False):
            child: Any = [] if isinstance(nxt, int) else {}
            if isinstance(part, int):
                while len(node) <= part:
                    node.append(None)
                node[part] = node[part] if node[part] is not None else child
                node = node[part]
            else:
                node = node.setdefault(part, child)
        last = parts[-1]
        if isinstance(last, int):
            while len(node) <= last:
                node.append(None)
        node[last] = value
    return _drop_gaps(out)


def _drop_gaps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_gaps(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_drop_gaps(v) for v in value if v is not None]
    return value


#: Where each document type's page is ("/orders/{id}"), for links from tasks, messages and
#: other documents. An area registers its own with its page router.
DOCUMENT_PAGES: dict[str, str] = {
    "sales_order": "/orders/{id}",
    "order_review": "/reviews/{id}",
    "quote": "/quotes/{id}",
    "contract": "/contracts/{id}",
    "change_notice": "/changes/{id}",
}


def document_url(document_type: str | None, document_id: int | None) -> str | None:
    pattern = DOCUMENT_PAGES.get(document_type or "")
    return pattern.format(id=document_id) if pattern and document_id else None


def document_page(
    request: Request,
    me: Principal,
    template: str,
    kind: DocumentKind[Any],
    doc_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """One document's page: ``context`` (the document, loaded for ``me`` by the area's
    service, and whatever else the area shows), its timeline, its open tasks, and a
    refused step's ``error`` beside the form of ``step``."""
    rt = runtime(request)
    return render(
        request,
        template,
        status_code=status_code,
        events=document_events(rt, me, kind, doc_id),
        tasks=list_tasks(
            rt,
            me,
            mine=False,
            state="open",
            document_type=kind.document_type,
            document_id=doc_id,
        ),
        error=error,
        failed_step=step,
        **context,
    )


def form_version(form: FormData) -> int | None:
    try:
        return int(str(form.get("version") or ""))
    except ValueError:
        return None


async def step_from_form(
    request: Request,
    *,
    apply: Callable[[Principal, Mapping[str, Any], int | None], object],
    fields: Callable[[FormData], Mapping[str, Any]] = form_fields,
    show_refusal: Callable[[Principal, OrderFlowError], Response],
    done: str,
) -> Response:
    """Check the caller and the CSRF token, apply the step, then redirect to ``done``;
    a refused step answers ``show_refusal`` with the refusal's status."""
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        await run_in_threadpool(apply, me, fields(form), form_version(form))
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(show_refusal, me, exc)
    return RedirectResponse(done, status_code=303)


FieldsReader = Callable[[FormData], Mapping[str, Any]]
"""Turns a step form into the step's fields (checkboxes, lists, names of their own)."""


def document_routes(
    router: APIRouter,
    path: str,
    *,
    show: Callable[..., Response],
    apply: Callable[..., object],
    fields: FieldsReader = form_fields,
    fields_for: Mapping[str, FieldsReader] | None = None,
) -> None:
    """``GET {path}/{id}`` (the document's page) and ``POST {path}/{id}/steps/{name}`` (a
    step from one of its forms) on ``router``, for a document type whose page is
    ``show(request, me, id, error=…, step=…, status_code=…)`` and whose steps are
    ``apply(rt, me, id, name, fields, expected_version=…)``. ``fields_for`` names the
    steps whose forms are read otherwise than by ``fields``."""
    readers = dict(fields_for or {})

    def page(request: Request, doc_id: int, me: PagePrincipal) -> Response:
        return show(request, me, doc_id)

    async def take_step(request: Request, doc_id: int, name: str) -> Response:
        rt = runtime(request)
        return await step_from_form(
            request,
            apply=lambda me, values, version: apply(
                rt, me, doc_id, name, values, expected_version=version
            ),
            fields=readers.get(name, fields),
            show_refusal=lambda me, exc: show(
                request, me, doc_id, error=exc, step=name, status_code=exc.status
            ),
            done=f"{path}/{doc_id}",
        )

    router.add_api_route(f"{path}/{{doc_id}}", page, methods=["GET"])
    router.add_api_route(f"{path}/{{doc_id}}/steps/{{name}}", take_step, methods=["POST"])
