"""Demo data for review, quotes, contracts, stock-up notices, changes and design errors:
documents in several states, some tasks overdue, so `orderflow demo` shows the path from
entry to effective in use."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal as D

from orderflow.auth.roles import Role
from orderflow.changes import design_errors
from orderflow.changes import service as changes
from orderflow.changes.schemas import ChangeCreate, DesignErrorCreate
from orderflow.contracts import service as contracts
from orderflow.contracts.schemas import ContractCreate
from orderflow.quotes import service as quotes
from orderflow.quotes.schemas import QuoteCreate
from orderflow.review import service as reviews
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import Channel
from orderflow.sales.schemas import LineCreate, OrderCreate
from orderflow.sales.service import apply_step as order_step
from orderflow.sales.service import create_order
from orderflow.stockup import service as stock_ups
from orderflow.stockup.schemas import StockUpCreate

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _order(
    rt: Runtime, who: Principal, customer: str, lines: list[tuple[str, int]], **kw: object
) -> int:
    data = OrderCreate(
        channel=Channel.VISIT,
        customer_code=customer,
        requested_date=rt.today() + timedelta(days=int(kw.pop("days", 30))),  # type: ignore[call-overload]
        lines=[LineCreate(product_code=code, quantity=D(qty)) for code, qty in lines],
        **kw,  # type: ignore[arg-type]
    )
    return create_order(rt, who, data).id


def _customer_id(rt: Runtime, who: Principal, code: str) -> int:
    from sqlalchemy import select

    from orderflow.parties.models import Customer

    with rt.db.reading() as session:
        found = session.scalar(
            select(Customer.id).where(Customer.company_id == who.company_id, Customer.code == code)
        )
    assert found is not None
    return found


def _review_of(rt: Runtime, who: Principal, order_id: int) -> int:
    return reviews.list_reviews(rt, who, order_id=order_id)[0][0].id


def _sign_all(rt: Runtime, p: dict[Role, Principal], review_id: int) -> None:
    review = reviews.get_review(rt, p[Role.ORDER_MANAGER], review_id)
    for role in review.routing:
        reviews.apply_step(rt, p[Role(role)], review_id, "sign_off", {}, expected_version=None)


def load_review_demo(rt: Runtime, p: dict[Role, Principal]) -> int:
    """Returns how many orders it added."""
    clerk, manager = p[Role.SALES_CLERK], p[Role.ORDER_MANAGER]
    days_ago = lambda n: replace(rt, clock=lambda: rt.now() - timedelta(days=n))  # noqa: E731

    # 1. A custom control cabinet above the meeting threshold, three days in review:
    #    production objects to the date, the negotiation is under way (tasks overdue).
    big = _order(
        days_ago(3),
        clerk,
        "C001",
        [("KG-200", 45)],
        custom_design=True,
        days=25,
        technical_requirements="按客户图纸 KG-200 改型：柜体加深 200 mm，IP55",
        notes="华东机电二期项目",
    )
    rid = _review_of(rt, clerk, big)
    for role in (Role.SALES_CLERK, Role.MATERIALS_CONTROL):
        reviews.apply_step(days_ago(2), p[role], rid, "sign_off", {}, expected_version=None)
    reviews.apply_step(
        days_ago(2),
        p[Role.PRODUCTION],
        rid,
        "object",
        {
            "topic": "delivery_date",
            "reason": "装配线满负荷，需 45 天",
            "feasible_date": (rt.today() + timedelta(days=45)).isoformat(),
        },
        expected_version=None,
    )

    # 2. A project order: reviewed, approved, confirmed, quoted and contracted; the
    #    contract is filed and finance has the deposit to verify.
    project = _order(
        days_ago(6),
        clerk,
        "C002",
        [("VF-55", 6), ("PLC-S7", 6)],
        project_name="苏州园区污水泵站",
        days=40,
    )
    rid = _review_of(rt, clerk, project)
    _sign_all(days_ago(5), p, rid)
    reviews.apply_step(days_ago(5), manager, rid, "approve", {}, expected_version=None)
    order_step(days_ago(5), clerk, project, "confirm", {}, expected_version=None)
    quote = quotes.create_quote(days_ago(5), clerk, QuoteCreate(order_id=project))
    for who, name in [
        (manager, "price"),
        (manager, "sign"),
        (p[Role.TECHNICAL_MANAGER], "sign"),
        (clerk, "send"),
        (clerk, "accept"),
    ]:
        quotes.apply_step(days_ago(4), who, quote.id, name, {}, expected_version=None)
    contract = contracts.create_contract(days_ago(4), clerk, ContractCreate(order_id=project))
    contracts.apply_step(days_ago(4), clerk, contract.id, "send", {}, expected_version=None)
    contracts.upload_signature(
        days_ago(2),
        clerk,
        contract.id,
        filename="苏州精工-签字合同.png",
        data=PNG,
        signatory="张工",
        signed_on=None,
        expected_version=None,
    )
    contracts.apply_step(days_ago(2), manager, contract.id, "file", {}, expected_version=None)

    # 3. Signed, filed and the deposit verified: effective; production's instruction is due.
    effective = _order(days_ago(2), clerk, "C003", [("M-7.5", 8)], days=20)
    order_step(days_ago(2), clerk, effective, "confirm", {}, expected_version=None)
    contract = contracts.create_contract(days_ago(2), clerk, ContractCreate(order_id=effective))
    contracts.apply_step(days_ago(2), clerk, contract.id, "send", {}, expected_version=None)
    contracts.upload_signature(
        days_ago(1),
        clerk,
        contract.id,
        filename="南方电气-签字合同.png",
        data=PNG,
        signatory="陈总",
        signed_on=None,
        expected_version=None,
    )
    contracts.apply_step(days_ago(1), manager, contract.id, "file", {}, expected_version=None)
    contracts.apply_step(
        days_ago(1),
        p[Role.FINANCE],
        contract.id,
        "verify_deposit",
        {"amount": str(contract.deposit.amount), "reference": "ICBC-20261123-01"},
        expected_version=None,
    )

    # 4. A stock-up notice before the contract (B9).
    stocked = _order(rt, clerk, "C001", [("HMI-10", 6)], days=12)
    order_step(rt, clerk, stocked, "confirm", {}, expected_version=None)
    stock_ups.issue_stock_up(
        rt,
        manager,
        StockUpCreate(
            order_id=stocked,
            reason="意向明确、交期紧，先行备货",
            needed_by=rt.today() + timedelta(days=10),
        ),
    )

    # 4b. A design error found after release on the effective order (G4): production has
    #     confirmed, quality and supply have not (their tasks are overdue).
    notice = design_errors.issue_design_error(
        days_ago(1),
        p[Role.TECHNICAL],
        DesignErrorCreate(
            order_id=effective,
            drawing="M-7.5 安装底板图 A 版",
            description="底板安装孔距标注 180 mm，应为 190 mm",
            correction="已出 B 版图纸，孔距 190 mm；A 版作废",
        ),
    )
    design_errors.design_error_step(
        days_ago(1),
        p[Role.PRODUCTION_MANAGER],
        notice.id,
        "acknowledge",
        {"note": "已暂停底板下料，按 B 版重新排产"},
        expected_version=None,
    )

    # 4c. An enquiry from a trade-show visitor, no order yet: the quoter is to price it.
    quotes.create_quote(
        rt,
        clerk,
        QuoteCreate.model_validate(
            {
                "customer_id": _customer_id(rt, clerk, "C002"),
                "lines": [
                    {"product_code": "KG-200", "quantity": "10", "reasons": ["custom_design"]},
                    {"product_code": "VF-55", "quantity": "10"},
                ],
                "note": "展会询价：控制柜需加装散热风机",
            }
        ),
    )

    # 5. A change notice received this morning, not answered yet (30-minute task).
    changed = _order(days_ago(1), clerk, "C003", [("CB-16", 30)], days=15)
    order_step(days_ago(1), clerk, changed, "confirm", {}, expected_version=None)
    changes.create_change(
        replace(rt, clock=lambda: rt.now() - timedelta(hours=2)),
        clerk,
        ChangeCreate.model_validate(
            {
                "order_id": changed,
                "description": "客户要求数量增至 40 根",
                "patch": {"lines": [{"line_no": 1, "quantity": "40"}]},
            }
        ),
    )
    return 5
