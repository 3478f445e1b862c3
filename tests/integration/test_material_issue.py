"""领料: a production order's own materials leave the warehouse through the stock ledger
(its bill of materials × the order quantity × (1 + overage), less what its sub-orders
make), all of them or none, once; planning then counts them as the order's."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from orderflow.inventory.ledger import check, receive
from orderflow.production.models import BomLine
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_planning_api import approved_budget, confirmed_order, step
from tests.production_factories import Plant, make_plant

MO_URL = "/api/v1/production-orders"


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt, stock={"P2": 50})


@pytest.fixture
def plant(rt: Runtime, world: World) -> Plant:
    plant = make_plant(rt, world)  # P1 = 2 kg RAW (+5 %) + SUB; 40 kg of RAW in stock
    with rt.db.transaction() as s:  # … and a customer-supplied label, none in stock yet
        s.add(
            BomLine(
                company_id=world.company_id,
                product_id=world.products["P1"],
                line_no=3,
                component_id=plant.products["LABEL"],
                quantity=Decimal(1),
            )
        )
    return plant


@pytest.fixture
def api(rt: Runtime, world: World, plant: Plant) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def ok(answer: Any) -> Any:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def on_hand(api: Api, code: str) -> str:
    rows = ok(api.as_("warehouse", "GET", f"/api/v1/stock?product_code={code}"))["items"]
    return f"{sum((Decimal(r['on_hand']) for r in rows), Decimal(0)).normalize():f}"


def test_materials_are_issued_to_the_order_all_or_none_and_once(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    order = confirmed_order(rt, world, api)  # 5 × P1
    approved_budget(api, order)
    pi = ok(
        api.as_(
            "planner",
            "POST",
            "/api/v1/production-instructions",
            json={"sales_order_id": order["id"]},
        )
    )
    top = ok(api.as_("warehouse", "GET", f"{MO_URL}/{pi['orders'][0]['id']}"))
    assert top["level"] == 0 and "issue_materials" in top["allowed_transitions"]

    # No LABEL in stock: refused on that material, and no RAW leaves either.
    short = step(api, "warehouse", MO_URL, top, "issue_materials")
    assert short.status_code == 409
    assert [(e["field"], e["code"]) for e in short.json()["errors"]] == [
        ("materials.LABEL", "insufficient_stock")
    ]
    assert on_hand(api, "RAW") == "40"

    with rt.db.transaction() as s:
        receive(
            s,
            warehouse_id=world.warehouse_id,
            product_id=plant.products["LABEL"],
            quantity=Decimal(8),
            reason="customer_supplied",
            at=rt.now(),
        )
    top = ok(step(api, "warehouse", MO_URL, top, "issue_materials"))
    # 5 × 2 kg × 1.05 of RAW, 5 LABEL; the SUB is made by the sub-order, not issued.
    assert (on_hand(api, "RAW"), on_hand(api, "LABEL")) == ("29.5", "3")
    assert top["materials_issued_at"] and top["state"] == "released"
    events = ok(api.as_("warehouse", "GET", f"{MO_URL}/{top['id']}/events"))
    assert events[-1]["payload"]["materials"] == {"LABEL": "5", "RAW": "10.5"}
    # Once: a second issue is refused and moves nothing.
    again = step(api, "warehouse", MO_URL, top, "issue_materials")
    assert again.status_code == 409
    assert on_hand(api, "RAW") == "29.5"
    # Not the shop floor's to take; the sub-order's own PART is short.
    sub = ok(api.as_("production", "GET", f"{MO_URL}/{pi['orders'][1]['id']}"))
    assert step(api, "production", MO_URL, sub, "issue_materials").status_code == 403
    parts = step(api, "warehouse", MO_URL, sub, "issue_materials")
    assert parts.status_code == 409 and parts.json()["errors"][0]["field"] == "materials.PART"
    with rt.db.reading() as s:
        assert check(s) == []
