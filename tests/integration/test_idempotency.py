"""Idempotency-Key: a retried create answers the first order; a reused key is refused."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data
from tests.integration.api_client import api_for
from tests.races import race


def body(rt: Runtime, customer_id: int, qty: str = "1") -> dict[str, Any]:
    return {
        "channel": "api",
        "customer_id": customer_id,
        "requested_date": (rt.today() + timedelta(days=7)).isoformat(),
        "lines": [{"product_code": "P1", "quantity": qty}],
    }


def orders(rt: Runtime) -> int:
    with rt.db.reading() as s:
        return s.scalar(select(func.count()).select_from(SalesOrder)) or 0


def test_a_retry_with_the_same_key_answers_the_first_order(rt: Runtime) -> None:
    world = make_world(rt)
    key = str(uuid.uuid4())
    with api_for(rt) as api:
        first = api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/orders",
            json=body(rt, world.customer_id),
            headers={"Idempotency-Key": key},
        )
        again = api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/orders",
            json=body(rt, world.customer_id),
            headers={"Idempotency-Key": key},
        )
        assert first.status_code == again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert orders(rt) == 1
        other = api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/orders",
            json=body(rt, world.customer_id, qty="3"),
            headers={"Idempotency-Key": key},
        )
        assert other.status_code == 409
        assert other.json()["type"].endswith("idempotency_key_reused")
        assert orders(rt) == 1


def test_keys_belong_to_their_user(rt: Runtime) -> None:
    world = make_world(rt)
    key = "shared-key"
    with api_for(rt) as api:
        a = api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/orders",
            json=body(rt, world.customer_id),
            headers={"Idempotency-Key": key},
        )
        b = api.as_(
            "order_manager",
            "POST",
            "/api/v1/orders",
            json=body(rt, world.customer_id),
            headers={"Idempotency-Key": key},
        )
        assert a.json()["id"] != b.json()["id"]
        assert orders(rt) == 2


def test_concurrent_retries_create_exactly_one_order(rt: Runtime) -> None:
    world = make_world(rt)
    data = order_data(rt, world)
    key = str(uuid.uuid4())
    outcome = race(6, lambda: create_order(rt, world["sales_clerk"], data, idempotency_key=key).id)
    assert len(set(outcome.won)) == 1
    assert orders(rt) == 1
