"""The quote as a PDF in Chinese and English (报价单 Quotation, D1)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from orderflow.files.pdf import Sheet
from orderflow.i18n import t
from orderflow.quotes.models import Quote, QuoteVersion


def both(key: str, **params: object) -> str:
    return f"{t(key, 'zh-CN', **params)} / {t(key, 'en', **params)}"


def quote_pdf(
    quote: Quote, version: QuoteVersion, *, company: str, customer: str, font: Path | None
) -> bytes:
    sheet = Sheet(font, title=f"报价单 Quotation {quote.number}", subtitle=company)
    sheet.fields(
        [
            (both("quotes.pdf.customer"), customer),
            (both("quotes.pdf.version"), str(version.version_no)),
            (both("quotes.pdf.valid_until"), version.valid_until.isoformat()),
            (both("quotes.pdf.currency"), quote.currency),
        ]
    )
    rows = [
        [
            str(ln["line_no"]),
            f"{ln['product_code']} {ln['product_name']}\n{ln['model_spec']}",
            f"{Decimal(ln['quantity']).normalize():f} {ln['unit']}",
            ln["list_price"],
            " ".join(
                t(f"reason.{r}", "zh-CN") + " / " + t(f"reason.{r}", "en") for r in ln["reasons"]
            )
            or "—",
            ln["unit_price"],
            ln["amount"],
        ]
        for ln in version.lines
    ]
    sheet.table(
        [
            "#",
            both("quotes.pdf.product"),
            both("quotes.pdf.quantity"),
            both("quotes.pdf.list_price"),
            both("quotes.pdf.surcharge"),
            both("quotes.pdf.unit_price"),
            both("quotes.pdf.amount"),
        ],
        rows,
        [8, 48, 18, 20, 36, 20, 24],
        numeric={2, 3, 5, 6},
    )
    sheet.total(f"{both('quotes.pdf.total')}: {version.total_amount} {quote.currency}")
    if version.notes:
        sheet.h(both("quotes.pdf.notes"))
        sheet.p(version.notes)
    sheet.h(both("quotes.pdf.signatures"))
    sheet.fields(
        [
            (both("quotes.pdf.quoter"), quote.quoter_signed_by or "—"),
            (both("quotes.pdf.technical_head"), quote.technical_signed_by or "—"),
        ]
    )
    sheet.p(both("quotes.pdf.footer"), small=True)
    return sheet.render()
