"""The contract as a PDF in Chinese and English (购销合同 Sales Contract, D3)."""

from __future__ import annotations

from pathlib import Path

from orderflow.contracts.models import Contract
from orderflow.files.pdf import Sheet


def contract_pdf(
    contract: Contract,
    *,
    company: str,
    customer: str,
    lines: list[tuple[str, str, str, str, str]],
    font: Path | None,
) -> bytes:
    kind = (
        "补充协议 Supplementary Agreement"
        if contract.kind == "supplementary"
        else "购销合同 Sales Contract"
    )
    sheet = Sheet(font, title=f"{kind} {contract.number}", subtitle=company)
    sheet.fields(
        [
            ("卖方 / Seller", company),
            ("买方 / Buyer", customer),
            ("订单 / Order", contract.order_number),
            ("合同金额 / Contract price", f"{contract.amount} {contract.currency}"),
            ("预付款 / Deposit", f"{contract.deposit_amount} {contract.currency}"),
        ]
    )
    sheet.table(
        ["#", "产品 / Product", "数量 / Quantity", "单价 / Unit price", "金额 / Amount"],
        lines,
        [8, 78, 26, 28, 34],
        numeric={2, 3, 4},
    )
    for i, clause in enumerate(contract.terms.values(), start=1):
        sheet.h(f"{i}. {clause['title_zh']} / {clause['title_en']}")
        sheet.p(clause["zh"])
        sheet.p(clause["en"], small=True)
    sheet.h("签章 / Signatures")
    sheet.fields(
        [
            ("卖方（盖章）/ Seller (seal)", company),
            ("买方（盖章）/ Buyer (seal)", contract.customer_signatory or ""),
            ("签订日期 / Signed on", contract.signed_on.isoformat() if contract.signed_on else ""),
        ]
    )
    return sheet.render()
