"""The API fuzzed from its own OpenAPI schema (schemathesis): whatever a client sends, the
answer is never a server error.

Every operation gets generated requests — valid and invalid bodies, queries, headers, path
ids of any size — as an administrator, on SQLite and PostgreSQL. A 5xx is a bug: bad input
is a 4xx. What it found is pinned by the tests after it: numbers past 64 bits and text with
a NUL byte (the drivers refuse them), an explicit null for a required customer field, the
year 0 in a month.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from orderflow.app import create_app
from orderflow.core.calendar import CalendarCoverageWarning
from orderflow.runtime import Runtime
from tests.factories import PASSWORD, make_world

EXAMPLES = 12  # per operation: ~160 operations, so about 2,000 requests per database


@pytest.fixture
def api_app(rt: Runtime) -> Iterator[object]:
    make_world(rt)
    app = create_app(rt, migrate=False, worker=False)
    with TestClient(app) as client:
        token = client.post(
            "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD}
        ).json()["access_token"]
        app.state.fuzz_token = token
        yield app


def test_no_request_is_a_server_error(api_app: object) -> None:
    token = api_app.state.fuzz_token  # type: ignore[attr-defined]
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api_app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def fuzz(case: schemathesis.Case) -> None:
            with warnings.catch_warnings():
                # A date in a year without holiday data (year 1, year 9999) is counted on
                # weekends only, with this warning: expected here, not a failure.
                warnings.simplefilter("ignore", CalendarCoverageWarning)
                response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} "
                    f"{str(case.body)[:200]} → {response.status_code}"
                )

        fuzz()
    assert failures == []


def test_values_no_database_can_hold_are_bad_input(api_app: object, rt: Runtime) -> None:
    token = api_app.state.fuzz_token  # type: ignore[attr-defined]
    with TestClient(api_app) as client:  # type: ignore[arg-type]
        client.headers["Authorization"] = f"Bearer {token}"
        huge = client.get("/api/v1/orders", params={"customer_id": 2**63})
        assert huge.status_code == 422
        assert [e["code"] for e in huge.json()["errors"]] == ["out_of_range"]
        nul = client.get("/api/v1/orders", params={"state": "\x00"})
        # PostgreSQL cannot store a NUL; SQLite can, and finds no such order.
        assert nul.status_code == (422 if rt.db.dialect == "postgresql" else 200)
        customers = client.get("/api/v1/customers").json()["items"]
        cleared = client.patch(f"/api/v1/customers/{customers[0]['id']}", json={"is_dealer": None})
        assert cleared.status_code == 422
        assert [e["field"] for e in cleared.json()["errors"]] == ["is_dealer"]
        year_zero = client.post(
            "/api/v1/planning/sales-plan/forecasts",
            json={"month": "0000-01", "product_code": "P1", "quantity": "1"},
        )
        assert year_zero.status_code == 422
        assert [e["field"] for e in year_zero.json()["errors"]] == ["month"]
