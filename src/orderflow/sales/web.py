"""Order pages: list, entry form, detail with the allowed steps and the timeline."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from orderflow.catalog.models import SELLABLE_KINDS, Product
from orderflow.core.access import require
from orderflow.core.errors import OrderFlowError, ValidationFailed, validate
from orderflow.parties.models import Customer
from orderflow.runtime import Principal, Runtime
from orderflow.sales import service
from orderflow.sales.flow import PAYMENT_METHODS, SHORTAGE_OPTIONS, STATES
from orderflow.sales.models import Channel, Priority
from orderflow.sales.schemas import OrderCreate
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import form_fields, step_from_form
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, runtime

router = APIRouter(include_in_schema=False)

LINE_FIELDS = ("product_id", "quantity", "unit_price")


@router.get("/orders")
def orders_page(
    request: Request,
    me: PagePrincipal,
    q: str = "",
    state: str = "",
    priority: str = "",
    overdue: bool = False,
    cursor: str | None = None,
) -> Response:
    items, nxt = service.list_orders(
        runtime(request),
        me,
        q=q or None,
        state=state or None,
        priority=priority or None,
        overdue=overdue,
        cursor=cursor,
    )
    return render(
        request,
        "orders.html",
        orders=items,
        next_cursor=nxt,
        q=q,
        state=state,
        priority=priority,
        overdue=overdue,
        states=STATES,
        priorities=list(Priority),
    )


def _choices(rt: Runtime, me: Principal) -> dict[str, Any]:
    """What the entry form offers: the company's active customers and saleable products,
    to those who may enter orders (the list of customers is not for every role)."""
    require(me, "orders.create")
    with rt.db.reading() as s:
        customers = s.execute(
            select(Customer.id, Customer.code, Customer.name)
            .where(Customer.company_id == me.company_id, Customer.active)
            .order_by(Customer.code)
        ).all()
        products = s.execute(
            select(Product.id, Product.code, Product.name, Product.model_spec, Product.unit)
            .where(
                Product.company_id == me.company_id,
                Product.active,
                Product.kind.in_(SELLABLE_KINDS),
            )
            .order_by(Product.code)
        ).all()
    return {
        "customers": customers,
        "products": products,
        "channels": list(Channel),
        "priorities": list(Priority),
    }


def _form_page(
    request: Request,
    me: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "order_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        today=rt.today().isoformat(),
        **_choices(rt, me),
    )


@router.get("/orders/new")
def new_order_page(request: Request, me: PagePrincipal) -> Response:
    values = {
        "channel": "phone",
        "priority": "normal",
        "idempotency_key": str(uuid.uuid4()),
        "lines": [{"product_id": "", "quantity": "1", "unit_price": ""}],
    }
    return _form_page(request, me, values, {})


@router.get("/orders/new/line")
def new_line_fragment(request: Request, me: PagePrincipal, index: int = 0) -> Response:
    """One more empty line row for the entry form (HTMX)."""
    return render(
        request,
        "order_line.html",
        i=index,
        line={"quantity": "1"},
        errors={},
        products=_choices(runtime(request), me)["products"],
    )


def _form_values(form: Any) -> dict[str, Any]:
    values = {
        k: (form.get(k) or "").strip()
        for k in (
            "channel",
            "customer_id",
            "contact_name",
            "contact_phone",
            "contact_email",
            "delivery_address",
            "requested_date",
            "priority",
            "payment_terms_days",
            "notes",
            "technical_requirements",
            "quality_requirements",
            "project_name",
            "custom_design",
            "late_penalty",
            "idempotency_key",
        )
    }
    columns = [form.getlist(f"{name}[]") for name in LINE_FIELDS]
    values["lines"] = [
        dict(zip(LINE_FIELDS, (c.strip() for c in row), strict=True))
        for row in zip(*columns, strict=False)
    ]
    return values


def _order_body(values: dict[str, Any]) -> dict[str, Any]:
    """The form's text as the API's OrderCreate: empty optional fields are omitted."""
    body = {k: v for k, v in values.items() if v and k not in ("lines", "idempotency_key")}
    body["lines"] = [
        {k: v for k, v in line.items() if v}
        for line in values["lines"]
        if any(line.values()) and (line.get("product_id") or line.get("unit_price"))
    ]
    return body


@router.post("/orders/new")
async def create_order_page(request: Request) -> Response:
    me = await run_in_threadpool(_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = _form_values(form)
    try:
        data = validate(OrderCreate, _order_body(values))
        order = await run_in_threadpool(
            service.create_order,
            runtime(request),
            me,
            data,
            idempotency_key=values["idempotency_key"] or None,
        )
    except ValidationFailed as exc:
        errors = form_errors(request, exc)
        return await run_in_threadpool(_form_page, request, me, values, errors, 422)
    return RedirectResponse(f"/orders/{order.id}", status_code=303)


def _principal(request: Request) -> Principal:
    from orderflow.web.session import page_principal

    return page_principal(request)


def _detail(
    request: Request,
    me: Principal,
    order_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    order = service.get_order(rt, me, order_id)
    events = service.order_events(rt, me, order_id)
    tasks = list_tasks(
        rt, me, mine=False, state="open", document_type="sales_order", document_id=order_id
    )
    from orderflow.review.web import order_links

    return render(
        request,
        "order.html",
        status_code=status_code,
        order=order,
        events=events,
        tasks=tasks,
        links=order_links(rt, me, order_id),
        error=error,
        failed_step=step,
        payment_methods=PAYMENT_METHODS,
        shortage_options=SHORTAGE_OPTIONS,
    )


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int, me: PagePrincipal) -> Response:
    return _detail(request, me, order_id)


def _step_fields(name: str, form: Any) -> dict[str, Any]:
    """A step form's inputs as the step's fields (blank inputs mean "use the default")."""
    fields = form_fields(form, skip=("substitutes",))
    if name == "confirm" and (form.get("substitutes") or "").strip():
        pairs = (
            item.split("=", 1)
            for item in form["substitutes"].replace("，", ",").split(",")
            if "=" in item
        )
        fields["substitutes"] = {no.strip(): code.strip() for no, code in pairs}
    if name == "ship":
        quantities = {k: fields.pop(k) for k in list(fields) if k.startswith("line_")}
        if quantities:
            fields["lines"] = [
                {"line_no": int(k.removeprefix("line_")), "quantity": v}
                for k, v in quantities.items()
            ]
    return fields


@router.post("/orders/{order_id}/steps/{name}")
async def step_page(request: Request, order_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.apply_step(
            rt, me, order_id, name, fields, expected_version=version
        ),
        fields=partial(_step_fields, name),
        # Show the order again with the refusal next to the step that was tried.
        show_refusal=lambda me, exc: _detail(
            request, me, order_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/orders/{order_id}",
    )
