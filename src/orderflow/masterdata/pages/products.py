"""Product pages: list with search and filters, product page, create and edit with the
price list (报价表) as rows that can be added and removed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from orderflow.auth.roles import PERMISSIONS
from orderflow.catalog import service as products
from orderflow.catalog.models import ProductKind
from orderflow.catalog.schemas import ProductCreate, ProductRead, ProductUpdate
from orderflow.core.access import require
from orderflow.core.errors import validate
from orderflow.inventory.warehouses import list_stock
from orderflow.masterdata.forms import Errors, post_form, rows, text_values
from orderflow.runtime import Principal
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

router = APIRouter(include_in_schema=False)

FIELDS = ("name", "model_spec", "unit", "kind", "lead_time_days", "active")
PRICE_COLUMNS = ("price_list", "min_quantity", "unit_price", "currency")
#: A price row counts when one of these holds text (the currency is pre-set on every row).
PRICE_FILLED = ("price_list", "min_quantity", "unit_price")
EMPTY_PRICE = {"price_list": "", "min_quantity": "", "unit_price": "", "currency": "CNY"}


def _flag(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


@router.get("/products")
def products_page(
    request: Request, me: PagePrincipal, q: str = "", kind: str = "", active: str = ""
) -> Response:
    # An unknown kind simply matches nothing, as a filter should.
    items = products.list_products(
        runtime(request), me, q=q or None, kind=kind or None, active=_flag(active)
    )
    return render(
        request,
        "masterdata_products.html",
        products=items,
        q=q,
        kind=kind,
        active=active,
        kinds=list(ProductKind),
        may_edit=me.can(PERMISSIONS["products.write"]),
    )


def _form(
    request: Request,
    values: dict[str, Any],
    errors: Errors,
    *,
    product_id: int | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "masterdata_product_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        product_id=product_id,
        kinds=list(ProductKind),
    )


@router.get("/products/new")
def new_product_page(request: Request, me: PagePrincipal) -> Response:
    require(me, "products.write")
    values = {
        "unit": "pcs",
        "kind": ProductKind.FINISHED.value,
        "lead_time_days": "0",
        "active": "true",
        "prices": [dict(EMPTY_PRICE)],
    }
    return _form(request, values, {}, product_id=None)


@router.get("/products/new/price-row")
def new_price_row(request: Request, me: PagePrincipal, index: int = 0) -> Response:
    """One more empty price row for the form (HTMX)."""
    require(me, "products.write")
    return render(request, "masterdata_price_row.html", i=index, price=dict(EMPTY_PRICE), errors={})


@router.get("/products/{product_id}")
def product_page(request: Request, product_id: int, me: PagePrincipal) -> Response:
    rt = runtime(request)
    product = products.get_product(rt, me, product_id)
    return render(
        request,
        "masterdata_product.html",
        product=product,
        stock=list_stock(rt, me, product_code=product.code),
        may_edit=me.can(PERMISSIONS["products.write"]),
    )


def _values(product: ProductRead) -> dict[str, Any]:
    return {
        **product.model_dump(include={"code", *FIELDS}),
        "lead_time_days": str(product.lead_time_days),
        "active": "true" if product.active else "false",
        "prices": [
            {
                "price_list": p.price_list,
                "min_quantity": p.min_quantity,
                "unit_price": p.unit_price.amount,
                "currency": p.unit_price.currency,
            }
            for p in product.prices
        ],
    }


@router.get("/products/{product_id}/edit")
def edit_product_page(request: Request, product_id: int, me: PagePrincipal) -> Response:
    require(me, "products.write")
    product = products.get_product(runtime(request), me, product_id)
    return _form(request, _values(product), {}, product_id=product_id)


def _form_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = text_values(form)
    values["prices"] = rows(form, PRICE_COLUMNS, filled=PRICE_FILLED)
    return values


def _body(values: dict[str, Any]) -> dict[str, Any]:
    """The form as the API's product body. Inputs go as typed, so an emptied name or lead
    time is refused as the API refuses it; a blank price column takes the API's default."""
    body = {k: values.get(k, "") for k in FIELDS}
    body["prices"] = [{k: v for k, v in row.items() if v} for row in values["prices"]]
    return body


async def _save(request: Request, product_id: int | None) -> Response:
    rt = runtime(request)

    def save(me: Principal, form: FormData) -> ProductRead:
        body = _body(_form_values(form))
        if product_id is None:
            body["code"] = str(form.get("code") or "").strip()
            return products.create_product(rt, me, validate(ProductCreate, body))
        return products.update_product(rt, me, product_id, validate(ProductUpdate, body))

    return await post_form(
        request,
        permission="products.write",
        save=save,
        again=lambda me, form, errors, status: _form(
            request, _form_values(form), errors, product_id=product_id, status_code=status
        ),
        done=lambda saved: f"/products/{saved.id}",
    )


@router.post("/products/new")
async def create_product_page(request: Request) -> Response:
    return await _save(request, None)


@router.post("/products/{product_id}/edit")
async def update_product_page(request: Request, product_id: int) -> Response:
    return await _save(request, product_id)
