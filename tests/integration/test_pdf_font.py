"""ORDERFLOW_PDF_FONT end to end: the quote a customer is sent and the contract PDF embed
the TrueType font it names (a CJK font built for the test)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from orderflow.contracts import service as contracts
from orderflow.contracts.schemas import ContractCreate
from orderflow.files import service as files
from orderflow.quotes import service as quotes
from orderflow.quotes.schemas import QuoteCreate
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data
from tests.fonts import write_ttf
from tests.unit.test_pdf import fonts_of


def test_the_configured_font_is_embedded_in_what_is_sent(rt: Runtime, tmp_path: Path) -> None:
    rt.settings.pdf_font = write_ttf(tmp_path / "company-cjk.ttf", "CompanyCJK")
    world = make_world(rt)
    clerk = world["sales_clerk"]
    quote = quotes.create_quote(
        rt,
        clerk,
        QuoteCreate.model_validate(
            {"customer_id": world.customer_id, "lines": [{"product_code": "P1", "quantity": "3"}]}
        ),
    )
    for who, step in [
        ("order_manager", "price"),
        ("order_manager", "sign"),
        ("technical_manager", "sign"),
        ("sales_clerk", "send"),
    ]:
        quote = quotes.apply_step(rt, world[who], quote.id, step, {}, expected_version=None)
    [sent] = [f for f in quote.files if f.purpose == "quote_pdf"]
    pdf = PdfReader(io.BytesIO(files.open_file(rt, clerk, sent.id).data))
    assert [n for n, inside in fonts_of(pdf).items() if inside]
    assert all("CompanyCJK" in n for n, inside in fonts_of(pdf).items() if inside)
    assert "报价单" in pdf.pages[0].extract_text()

    order = create_order(rt, clerk, order_data(rt, world, confirm=True))
    contract = contracts.create_contract(rt, clerk, ContractCreate(order_id=order.id))
    _, data = contracts.contract_pdf(rt, clerk, contract.id)
    assert any(
        "CompanyCJK" in n for n, inside in fonts_of(PdfReader(io.BytesIO(data))).items() if inside
    )
