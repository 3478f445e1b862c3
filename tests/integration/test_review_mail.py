"""Customer messages of review and quotes go out through a real SMTP server on loopback,
templated in the customer's language; the quote's zh-CN/English PDF rides along."""

from __future__ import annotations

import io
from datetime import timedelta
from email.header import decode_header, make_header

from pypdf import PdfReader

from orderflow.config import Settings
from orderflow.notify.service import dispatch_email
from orderflow.quotes import service as quotes
from orderflow.quotes.schemas import QuoteCreate
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data
from tests.integration.test_mail_dispatch import Inbox, smtp  # noqa: F401  (the fixture)


def test_the_rush_warning_and_the_quote_pdf_reach_the_customer(
    rt: Runtime,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, port = smtp
    world = make_world(rt)
    from sqlalchemy import update

    from orderflow.catalog.models import Product

    with rt.db.transaction() as s:  # P1 takes 15 working days to make
        s.execute(update(Product).where(Product.code == "P1").values(lead_time_days=15))
    clerk = world["sales_clerk"]
    order = create_order(
        rt,
        clerk,
        order_data(
            rt,
            world,
            requested_date=(rt.today() + timedelta(days=5)).isoformat(),
            lines=[{"product_code": "P1", "quantity": "500"}],
        ),
    )
    assert order.rush and order.review_state == "in_review"
    quote = quotes.create_quote(rt, clerk, QuoteCreate(order_id=order.id))
    for user, name in [
        ("order_manager", "price"),
        ("order_manager", "sign"),
        ("technical_manager", "sign"),
        ("sales_clerk", "send"),
    ]:
        quote = quotes.apply_step(rt, world[user], quote.id, name, {}, expected_version=None)
    assert quote.versions[0].lines[0]["reasons"] == ["rush"]
    settings = Settings(
        database_url=rt.db.url,
        secret_key="x" * 20,
        smtp_host="127.0.0.1",
        smtp_port=port,
        files_dir=rt.settings.files_path(),
    )
    assert dispatch_email(rt.db, settings, now=rt.now()).sent == 2
    rush, quoted = inbox.messages
    assert (
        str(make_header(decode_header(rush["Subject"])))
        == f"订单 {order.number}：赶货风险与费用提示"
    )
    assert "额外费用" in rush.get_payload(decode=True).decode()
    assert str(make_header(decode_header(quoted["Subject"]))) == f"报价单 {quote.number}"
    [pdf] = [part for part in quoted.walk() if part.get_content_type() == "application/pdf"]
    text = PdfReader(io.BytesIO(pdf.get_payload(decode=True))).pages[0].extract_text()
    assert "报价单 Quotation" in text and "赶货" in text and "Rush" in text
