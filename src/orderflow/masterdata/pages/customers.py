"""Customer pages: list, view, create, edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.access import require
from orderflow.core.errors import validate
from orderflow.masterdata.forms import Errors, post_form, text_values
from orderflow.parties import service as customers
from orderflow.parties.schemas import CustomerCreate, CustomerRead, CustomerUpdate
from orderflow.runtime import Principal
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

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

#: The API's nested field names as this form's inputs, so each error lands by its input.
INPUTS = {
    "contacts[0].name": "contact_name",
    "contacts[0].phone": "contact_phone",
    "contacts[0].email": "contact_email",
    "addresses[0].province": "province",
    "addresses[0].city": "city",
    "addresses[0].line": "address",
}


@router.get("/customers")
def customers_page(
    request: Request, me: PagePrincipal, q: str = "", cursor: str | None = None
) -> Response:
    items, nxt = customers.list_customers(runtime(request), me, q=q or None, cursor=cursor)
    return render(
        request,
        "masterdata_customers.html",
        customers=items,
        q=q,
        next_cursor=nxt,
        may_edit=me.can(PERMISSIONS["customers.write"]),
    )


def _form(
    request: Request,
    values: dict[str, Any],
    errors: Errors,
    *,
    customer_id: int | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "masterdata_customer_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        customer_id=customer_id,
    )


@router.get("/customers/new")
def new_customer_page(request: Request, me: PagePrincipal) -> Response:
    require(me, "customers.write")
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


def _values(customer: CustomerRead) -> dict[str, Any]:
    contact = next(iter(customer.contacts), None)
    address = next(
        (a for a in customer.addresses if a.is_default), next(iter(customer.addresses), None)
    )
    return {
        **customer.model_dump(include=set(SCALARS)),
        "credit_limit": customer.credit_limit.amount,
        "contact_name": contact.name if contact else "",
        "contact_phone": (contact.phone if contact else "") or "",
        "contact_email": (contact.email if contact else "") or "",
        "province": address.province if address else "",
        "city": address.city if address else "",
        "address": address.line if address else "",
    }


@router.get("/customers/{customer_id}")
def customer_page(request: Request, customer_id: int, me: PagePrincipal) -> Response:
    customer = customers.get_customer(runtime(request), me, customer_id)
    if not me.can(PERMISSIONS["customers.write"]):
        return render(request, "masterdata_customer.html", customer=customer)
    return _form(request, _values(customer), {}, customer_id=customer_id)


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
    rt = runtime(request)

    def save(me: Principal, form: FormData) -> CustomerRead:
        body = _body(text_values(form))
        if customer_id is None:
            return customers.create_customer(rt, me, validate(CustomerCreate, body))
        body.pop("code", None)
        return customers.update_customer(rt, me, customer_id, validate(CustomerUpdate, body))

    return await post_form(
        request,
        permission="customers.write",
        save=save,
        again=lambda me, form, errors, status: _form(
            request, text_values(form), errors, customer_id=customer_id, status_code=status
        ),
        done=lambda saved: f"/customers/{saved.id}",
        inputs=INPUTS,
    )


@router.post("/customers/new")
async def create_customer_page(request: Request) -> Response:
    return await _save(request, None)


@router.post("/customers/{customer_id}")
async def update_customer_page(request: Request, customer_id: int) -> Response:
    return await _save(request, customer_id)
