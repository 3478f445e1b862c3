"""Master data pages: customers (list, view, create, edit), products, stock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.auth.roles import PERMISSIONS
from orderflow.catalog.service import list_products
from orderflow.core.errors import ValidationFailed, validate
from orderflow.inventory.warehouses import list_stock
from orderflow.parties import service as customers
from orderflow.parties.schemas import CustomerCreate, CustomerUpdate
from orderflow.runtime import Principal
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)

SCALARS = (
    "code",
    "name",
    "customer_class",
    "credit_limit",
    "payment_terms_days",
    "price_list",
    "region",
    "locale",
    "quality_standard",
    "shipping_standard",
)


@router.get("/customers")
def customers_page(
    request: Request, me: PagePrincipal, q: str = "", cursor: str | None = None
) -> Response:
    items, nxt = customers.list_customers(runtime(request), me, q=q or None, cursor=cursor)
    return render(
        request,
        "customers.html",
        customers=items,
        q=q,
        next_cursor=nxt,
        may_edit=me.can(PERMISSIONS["customers.write"]),
    )


def _form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    customer_id: int | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "customer_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        customer_id=customer_id,
    )


@router.get("/customers/new")
def new_customer_page(request: Request, me: PagePrincipal) -> Response:
    return _form(
        request,
        {
            "credit_limit": "0",
            "payment_terms_days": "30",
            "price_list": "STD",
            "locale": "zh-CN",
            "customer_class": "B",
        },
        {},
        customer_id=None,
    )


@router.get("/customers/{customer_id}")
def customer_page(request: Request, customer_id: int, me: PagePrincipal) -> Response:
    customer = customers.get_customer(runtime(request), me, customer_id)
    if not me.can(PERMISSIONS["customers.write"]):
        return render(request, "customer.html", customer=customer)
    contact = next(iter(customer.contacts), None)
    address = next(
        (a for a in customer.addresses if a.is_default), next(iter(customer.addresses), None)
    )
    values = {
        **customer.model_dump(include=set(SCALARS)),
        "credit_limit": customer.credit_limit.amount,
        "contact_name": contact.name if contact else "",
        "contact_phone": (contact.phone if contact else "") or "",
        "contact_email": (contact.email if contact else "") or "",
        "province": address.province if address else "",
        "city": address.city if address else "",
        "address": address.line if address else "",
    }
    return _form(request, values, {}, customer_id=customer_id)


#: The API's nested field names as this form's inputs, so each error lands by its input.
_FORM_FIELDS = {
    "contacts[0].name": "contact_name",
    "contacts[0].phone": "contact_phone",
    "contacts[0].email": "contact_email",
    "addresses[0].province": "province",
    "addresses[0].city": "city",
    "addresses[0].line": "address",
}


def _body(values: dict[str, str]) -> dict[str, Any]:
    """The form as the API's customer body (one primary contact, one default address)."""
    body: dict[str, Any] = {k: values[k] for k in SCALARS if values.get(k)}
    if values.get("contact_name"):
        body["contacts"] = [
            {
                "name": values["contact_name"],
                "phone": values.get("contact_phone") or None,
                "email": values.get("contact_email") or None,
                "is_primary": True,
            }
        ]
    if values.get("address"):
        body["addresses"] = [
            {
                "province": values.get("province", ""),
                "city": values.get("city", ""),
                "line": values["address"],
                "is_default": True,
            }
        ]
    return body


async def _save(request: Request, customer_id: int | None) -> Response:
    me: Principal = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = {k: str(v).strip() for k, v in form.items() if k != "csrf_token"}
    rt = runtime(request)
    try:
        if customer_id is None:
            saved = await run_in_threadpool(
                customers.create_customer, rt, me, validate(CustomerCreate, _body(values))
            )
        else:
            body = {k: v for k, v in _body(values).items() if k != "code"}
            saved = await run_in_threadpool(
                customers.update_customer, rt, me, customer_id, validate(CustomerUpdate, body)
            )
    except ValidationFailed as exc:
        errors = {_FORM_FIELDS.get(e.field, e.field): e.message for e in exc.errors}
        return _form(request, values, errors, customer_id=customer_id, status_code=422)
    return RedirectResponse(f"/customers/{saved.id}", status_code=303)


@router.post("/customers/new")
async def create_customer_page(request: Request) -> Response:
    return await _save(request, None)


@router.post("/customers/{customer_id}")
async def update_customer_page(request: Request, customer_id: int) -> Response:
    return await _save(request, customer_id)


@router.get("/products")
def products_page(request: Request, me: PagePrincipal, q: str = "") -> Response:
    return render(
        request, "products.html", products=list_products(runtime(request), me, q=q or None), q=q
    )


@router.get("/stock")
def stock_page(request: Request, me: PagePrincipal, product_code: str = "") -> Response:
    rows = list_stock(runtime(request), me, product_code=product_code or None)
    return render(request, "stock.html", rows=rows, product_code=product_code)
