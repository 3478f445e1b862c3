"""The warehouse desk: transfers between the group's companies (A5), customer-supplied
material signed in (I3, E12), counts and locations; and every port procurement, inventory
and quality answer, called through the port itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from orderflow.auth.service import issue_token
from orderflow.core import ports
from orderflow.core.clock import FrozenClock, as_utc
from orderflow.core.errors import ValidationFailed
from orderflow.core.events import SYSTEM
from orderflow.core.sweeper import sweep
from orderflow.core.tasks import DONE, OPEN
from orderflow.inventory import ledger
from orderflow.inventory.models import StockLevel
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_procurement_api import ok, raw_requisition, step, stock_of, tasks_of
from tests.supply_factories import add_customer_supplied, add_sister, add_suppliers

D = Decimal


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt)
    add_suppliers(rt, world)
    add_sister(rt, world, raw=40)
    add_customer_supplied(rt, world)
    return world


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def as_sister(api: Api, rt: Runtime, world: World, method: str, url: str, **kw: Any) -> Any:
    token = issue_token(rt, world["sister_warehouse"])
    headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}
    return api.client.request(method, url, headers=headers, **kw)


def test_group_stock_is_transferred_before_buying(
    rt: Runtime, world: World, api: Api, clock: FrozenClock
) -> None:
    req = raw_requisition(api, rt)
    req = ok(
        step(
            api,
            "procurement",
            "requisitions",
            req,
            "transfer",
            from_company="SIS",
            lines=[{"line_no": 1, "quantity": "40"}],
        )
    )
    assert (req["state"], req["lines"][0]["transferred"], req["lines"][0]["open"]) == (
        "open",
        "40",
        "65",
    )
    tr = ok(api.as_("procurement", "GET", "/api/v1/transfers?direction=in"))["items"][0]
    assert (tr["from_company"], tr["to_company"], tr["state"]) == ("SIS", "ACME", "requested")
    # The supplying company ships (its task); the receiving side may not.
    assert step(api, "warehouse", "transfers", tr | {"version": 1}, "ship").status_code == 403
    sister_view = as_sister(api, rt, world, "GET", f"/api/v1/transfers/{tr['id']}").json()
    assert sister_view["allowed_transitions"] == ["ship", "refuse"]
    assert (
        tasks_of(rt, "transfer_order", tr["id"])["ship_transfer"].company_id
        == world.extra["sister"]["company"]
    )
    shipped = as_sister(
        api,
        rt,
        world,
        "POST",
        f"/api/v1/transfers/{tr['id']}/transitions/ship",
        json={"carrier": "自有车辆"},
        headers={"If-Match": str(sister_view["version"])},
    )
    tr = ok(shipped)
    assert tr["state"] == "shipped"
    # Shipped, it is the receiving company's work: its warehouse takes it in within the
    # policy's working days, and it shows in that company's tasks, not the supplier's.
    receipt = tasks_of(rt, "transfer_order", tr["id"])["receive_transfer"]
    assert (receipt.company_id, receipt.role, receipt.state) == (
        world.company_id,
        "warehouse",
        OPEN,
    )
    assert as_utc(receipt.due_at) == rt.policy.business_calendar.due(
        rt.now(), rt.policy.deadline("transfer_receipt")
    )

    def task_kinds(answer: Any) -> set[str]:
        return {t["kind"] for t in ok(answer)["items"] if t["document_id"] == tr["id"]}

    assert task_kinds(api.as_("warehouse", "GET", "/api/v1/tasks")) == {"receive_transfer"}
    assert task_kinds(as_sister(api, rt, world, "GET", "/api/v1/tasks")) == set()
    # Left lying past its deadline, the receiving company's warehouse is urged.
    clock.now = as_utc(receipt.due_at) + timedelta(minutes=1)
    sweep(rt.db, rt.policy, now=rt.now())
    with rt.db.reading() as s:
        urged = s.scalars(
            select(Notification.company_id).where(
                Notification.kind == "urging", Notification.recipient_role == "warehouse"
            )
        ).all()
    assert urged == [world.company_id]
    tr = ok(api.as_("warehouse", "GET", f"/api/v1/transfers/{tr['id']}"))  # the urging's event
    tr = ok(step(api, "warehouse", "transfers", tr, "receive"))
    assert tr["state"] == "received"
    assert tasks_of(rt, "transfer_order", tr["id"])["receive_transfer"].state == DONE
    assert stock_of(api, "RAW")["available"] == "40"
    # A company outside the group sees nothing of it.
    token = issue_token(rt, world.other_company_user)
    assert (
        api.client.get(
            f"/api/v1/transfers/{tr['id']}", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 404
    )
    with rt.db.reading() as s:
        assert ledger.check(s) == []


def sister_raw(rt: Runtime, world: World) -> tuple[str, str]:
    """(on hand, reserved) of RAW at the sister company's warehouse."""
    sister = world.extra["sister"]
    with rt.db.reading() as s:
        level = s.scalars(
            select(StockLevel).where(
                StockLevel.warehouse_id == sister["warehouse"],
                StockLevel.product_id == sister["RAW"],
            )
        ).one()
        return f"{level.on_hand.normalize():f}", f"{level.reserved.normalize():f}"


def test_an_agreed_transfer_holds_its_goods_at_the_supplier_until_shipped(
    rt: Runtime, world: World, api: Api
) -> None:
    def ask(quantity: str) -> Any:
        return api.as_(
            "procurement",
            "POST",
            "/api/v1/transfers",
            json={
                "from_company": "SIS",
                "needed_by": (rt.today() + timedelta(days=5)).isoformat(),
                "lines": [{"product_code": "RAW", "quantity": quantity}],
            },
        )

    # More than the sister has free is refused on its line, and nothing is held.
    too_much = ask("41")
    assert too_much.status_code == 409
    assert [(e["field"], e["code"]) for e in too_much.json()["errors"]] == [
        ("lines[0].quantity", "insufficient_stock")
    ]
    assert sister_raw(rt, world) == ("40", "0")
    # Agreed, the goods are held at the sister's warehouse: not free for anyone else.
    first = ok(ask("30"), 201)
    assert sister_raw(rt, world) == ("40", "30")
    held = as_sister(api, rt, world, "GET", "/api/v1/stock/reservations?product_code=RAW").json()
    assert [(r["order_number"], r["quantity"]) for r in held["items"]] == [(first["number"], "30")]
    assert ask("11").status_code == 409
    second = ok(ask("10"), 201)
    assert sister_raw(rt, world) == ("40", "40")
    # Refused by the sister, its hold is given back.
    second = as_sister(api, rt, world, "GET", f"/api/v1/transfers/{second['id']}").json()
    refused = as_sister(
        api,
        rt,
        world,
        "POST",
        f"/api/v1/transfers/{second['id']}/transitions/refuse",
        json={"reason": "自用"},
        headers={"If-Match": str(second["version"])},
    )
    assert refused.status_code == 200, refused.text
    assert sister_raw(rt, world) == ("40", "30")
    # Shipped, the goods leave out of what was held for it.
    first = as_sister(api, rt, world, "GET", f"/api/v1/transfers/{first['id']}").json()
    shipped = as_sister(
        api,
        rt,
        world,
        "POST",
        f"/api/v1/transfers/{first['id']}/transitions/ship",
        json={"carrier": "自有车辆"},
        headers={"If-Match": str(first["version"])},
    )
    assert shipped.status_code == 200, shipped.text
    assert sister_raw(rt, world) == ("10", "0")
    with rt.db.reading() as s:
        assert ledger.check(s) == []


def test_a_refused_transfer_reopens_the_requisition(rt: Runtime, world: World, api: Api) -> None:
    req = raw_requisition(api, rt)
    req = ok(
        step(
            api,
            "procurement",
            "requisitions",
            req,
            "transfer",
            from_company="SIS",
            lines=[{"line_no": 1, "quantity": "40"}],
        )
    )
    tr = ok(api.as_("procurement", "GET", "/api/v1/transfers"))["items"][0]
    tr = as_sister(api, rt, world, "GET", f"/api/v1/transfers/{tr['id']}").json()
    refused = as_sister(
        api,
        rt,
        world,
        "POST",
        f"/api/v1/transfers/{tr['id']}/transitions/refuse",
        json={"reason": "自用"},
        headers={"If-Match": str(tr["version"])},
    )
    assert ok(refused)["state"] == "refused"
    req = ok(api.as_("procurement", "GET", f"/api/v1/requisitions/{req['id']}"))
    assert (req["lines"][0]["transferred"], req["lines"][0]["open"]) == ("0", "105")
    # Not a company of the group at all:
    other = step(
        api,
        "procurement",
        "requisitions",
        req,
        "transfer",
        from_company="OTHER",
        lines=[{"line_no": 1, "quantity": "1"}],
    )
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "from_company"


def test_customer_supplied_material_is_counted_signed_and_chased(
    rt: Runtime, world: World, api: Api, clock: FrozenClock
) -> None:
    due = (rt.today() + timedelta(days=3)).isoformat()
    wrong = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/customer-supplied",
        json={
            "customer_code": "C1",
            "expected_date": due,
            "lines": [{"product_code": "P1", "quantity": "5"}],
        },
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["code"] == "not_customer_supplied"
    notice = ok(
        api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/customer-supplied",
            json={
                "customer_code": "C1",
                "expected_date": due,
                "lines": [{"product_code": "CS-LABEL", "quantity": "500"}],
            },
        ),
        201,
    )
    late = ok(
        api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/customer-supplied",
            json={
                "customer_code": "C1",
                "expected_date": due,
                "lines": [{"product_code": "CS-LABEL", "quantity": "100"}],
            },
        ),
        201,
    )
    # E12: promised material is supply the schedule counts on.
    with rt.db.reading() as s:
        promised = ports.open_supply(
            s, company_ids=[world.company_id], product_ids=[world.products["CS-LABEL"]]
        )
    assert sorted((p.source, p.quantity) for p in promised) == [
        ("customer_supplied", D(100)),
        ("customer_supplied", D(500)),
    ]
    # I3: signed in only with the customer's list and sample; short counts raise a slip.
    no_list = step(
        api,
        "warehouse",
        "customer-supplied",
        notice,
        "sign_in",
        signed_by="客户司机",
        with_list_and_sample=False,
        lines=[{"line_no": 1, "counted": "480"}],
    )
    assert (
        no_list.status_code == 422
        and no_list.json()["errors"][0]["field"] == "with_list_and_sample"
    )
    notice = ok(
        step(
            api,
            "warehouse",
            "customer-supplied",
            notice,
            "sign_in",
            signed_by="客户司机",
            lines=[{"line_no": 1, "counted": "480"}],
        )
    )
    assert (notice["state"], notice["lines"][0]["counted"]) == ("short", "480")
    slip = ok(
        api.as_("order_manager", "GET", f"/api/v1/exceptions?source_number={notice['number']}")
    )["items"][0]
    assert (slip["kind"], slip["owner_roles"]) == ("customer_supplied_shortage", ["order_manager"])
    assert stock_of(api, "CS-LABEL")["available"] == "480"
    # E12: the other never came: the promised day passes and the slip is raised by itself.
    clock.now = clock.now + timedelta(days=4)
    sweep(rt.db, rt.policy, now=rt.now())
    late = ok(api.as_("warehouse", "GET", f"/api/v1/customer-supplied/{late['id']}"))
    assert late["exception_number"]
    slip = ok(api.as_("order_manager", "GET", "/api/v1/exceptions?kind=customer_supplied_late"))[
        "items"
    ][0]
    assert slip["number"] == late["exception_number"]


def test_a_count_posts_its_differences_with_reasons(rt: Runtime, world: World, api: Api) -> None:
    shelf = ok(
        api.as_(
            "warehouse",
            "POST",
            "/api/v1/warehouses/W1/locations",
            json={"code": "A-01", "name": "货架 A-01"},
        ),
        201,
    )
    assert shelf["kind"] == "storage"
    codes = [
        loc["code"]
        for loc in api.as_("warehouse", "GET", "/api/v1/warehouses/W1/locations").json()["items"]
    ]
    assert codes == ["A-01", "MAIN", "QC", "REJ"]
    moved = api.as_(
        "warehouse",
        "POST",
        "/api/v1/stock/relocations",
        json={
            "warehouse_code": "W1",
            "product_code": "P1",
            "quantity": "30",
            "from_location": "MAIN",
            "to_location": "A-01",
        },
    )
    assert {r["location_code"]: r["quantity"] for r in ok(moved, 201)["items"]} == {
        "A-01": "30",
        "MAIN": "70",
    }
    too_much = api.as_(
        "warehouse",
        "POST",
        "/api/v1/stock/relocations",
        json={
            "warehouse_code": "W1",
            "product_code": "P1",
            "quantity": "31",
            "from_location": "A-01",
            "to_location": "MAIN",
        },
    )
    assert too_much.status_code == 422

    count = ok(
        api.as_(
            "warehouse",
            "POST",
            "/api/v1/stock-counts",
            json={"warehouse_code": "W1", "location_code": "A-01", "reason": "月度盘点"},
        ),
        201,
    )
    assert [(ln["product_code"], ln["book"]) for ln in count["lines"]] == [("P1", "30")]
    unexplained = step(
        api, "warehouse", "stock-counts", count, "record", lines=[{"line_no": 1, "counted": "28"}]
    )
    assert (
        unexplained.status_code == 422
        and unexplained.json()["errors"][0]["field"] == "lines[0].reason"
    )
    count = ok(
        step(
            api,
            "warehouse",
            "stock-counts",
            count,
            "record",
            lines=[
                {"line_no": 1, "counted": "28", "reason": "破损 2"},
                {"location_code": "A-01", "product_code": "P2", "counted": "3", "reason": "错放"},
            ],
        )
    )
    assert [(ln["product_code"], ln["difference"]) for ln in count["lines"]] == [
        ("P1", "-2"),
        ("P2", "3"),
    ]
    count = ok(step(api, "warehouse", "stock-counts", count, "post"))
    assert count["state"] == "posted"
    assert stock_of(api, "P1")["on_hand"] == "98"
    moves = api.as_("warehouse", "GET", f"/api/v1/stock/moves?reference={count['number']}").json()[
        "items"
    ]
    assert sorted((m["product_code"], m["quantity"]) for m in moves) == [("P1", "-2"), ("P2", "3")]
    assert ok(api.as_("admin", "GET", "/api/v1/stock/ledger-check"))["ok"]
    from orderflow.sales.service import create_order
    from tests.factories import order_data

    order = create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    held = ok(api.as_("warehouse", "GET", "/api/v1/stock/reservations?product_code=P1"))["items"]
    assert [(r["order_number"], r["quantity"]) for r in held] == [(order.number, "2")]


def test_the_ports_answer_through_the_port(rt: Runtime, world: World, api: Api) -> None:
    need_by = rt.today() + timedelta(days=10)
    with rt.db.transaction() as s:
        numbers = ports.request_purchases(
            s,
            rt,
            [
                ports.PurchaseNeed(
                    world.company_id, world.products["RAW"], D(12), need_by, None, "E7 run 1"
                ),
                ports.PurchaseNeed(
                    world.company_id, world.products["P3"], D(4), need_by, None, "E7 run 1"
                ),
            ],
            SYSTEM,
        )
        transfers = ports.request_transfers(
            s,
            rt,
            [
                ports.TransferNeed(
                    world.extra["sister"]["company"],
                    world.company_id,
                    world.products["RAW"],
                    D(5),
                    need_by,
                    None,
                    "E7 run 1",
                )
            ],
            SYSTEM,
        )
    assert len(numbers) == 1 and numbers[0].startswith("PR-") and transfers[0].startswith("TR-")
    req = ok(api.as_("procurement", "GET", "/api/v1/requisitions"))["items"][0]
    assert (req["source"], req["lines"]) == ("planning", 2)
    # What planning asked for is cut only by the planner (H6).
    req = ok(api.as_("procurement", "GET", f"/api/v1/requisitions/{req['id']}"))
    assert (
        step(api, "procurement_manager", "requisitions", req, "cancel", reason="x").status_code
        == 403
    )
    with pytest.raises(ValidationFailed, match=r"needs\[0\]\.product_id"), rt.db.transaction() as s:
        ports.request_purchases(
            s,
            rt,
            [
                ports.PurchaseNeed(
                    world.company_id, world.extra["sister"]["RAW"], D(1), need_by, None
                )
            ],
            SYSTEM,
        )

    po = ok(
        api.as_(
            "procurement",
            "POST",
            "/api/v1/purchase-orders",
            json={
                "supplier_code": "S1",
                "lines": [{"requisition": req["number"], "requisition_line": 1, "quantity": "10"}],
            },
        ),
        201,
    )
    with rt.db.reading() as s:
        supply = ports.open_supply(
            s, company_ids=[world.company_id], product_ids=[world.products["RAW"]]
        )
    assert sorted((x.source, x.quantity, x.reference) for x in supply) == [
        ("purchase", D(10), po["number"]),
        ("requisition", D(2), req["number"]),
        ("transfer", D(5), transfers[0]),
    ]
    with rt.db.transaction() as s:
        insp = ports.request_inspection(
            s,
            rt,
            ports.InspectionRequest(
                world.company_id,
                "in_process",
                world.products["P1"],
                D(300),
                "production_order",
                7,
                "MO-7",
                operation="焊接",
            ),
            SYSTEM,
        )
        slip = ports.raise_exception(
            s,
            rt,
            ports.ExceptionReport(
                world.company_id, "tech_pack_mismatch", "门幅不符", "tech_pack", 3, "TP-3"
            ),
            SYSTEM,
        )
    read = ok(api.as_("quality", "GET", f"/api/v1/inspections?q={insp}"))["items"][0]
    read = ok(api.as_("quality", "GET", f"/api/v1/inspections/{read['id']}"))
    assert (read["sample_size"], read["accept_number"], read["operation"]) == (50, 3, "焊接")
    assert (
        ok(api.as_("order_manager", "GET", "/api/v1/exceptions?kind=tech_pack_mismatch"))["items"][
            0
        ]["number"]
        == slip
    )
