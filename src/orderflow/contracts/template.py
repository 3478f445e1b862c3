"""The company's contract template (合同模板): the clauses the rulebooks list (D3), in
Chinese and English, filled from the order. A contract keeps its clauses as agreed, so a
later change of this template never rewrites a signed contract."""

from __future__ import annotations

from collections.abc import Mapping

#: clause → (title zh, title en, text zh, text en). Placeholders come from ``fill``.
CLAUSES: dict[str, tuple[str, str, str, str]] = {
    "subject": (
        "合同标的",
        "Subject",
        "买方向卖方订购订单 {order} 所列产品，合同总价 {amount} {currency}（含税）。",
        "The buyer orders the products listed in order {order}; contract price {amount} {currency} (tax included).",
    ),
    "delivery": (
        "交货期与交货地点",
        "Delivery",
        "交货日期：{delivery_date}；交货地点：{address}。",
        "Delivery date: {delivery_date}; place of delivery: {address}.",
    ),
    "key_vendors": (
        "主要元器件厂家",
        "Vendors of key components",
        "主要元器件按技术协议约定的厂家及型号采购，变更须经买方书面同意。",
        "Key components are bought from the makers and models in the technical agreement; any change needs the buyer's written consent.",
    ),
    "technical_plan": (
        "技术方案",
        "Technical plan",
        "{technical}",
        "{technical}",
    ),
    "quality": (
        "质量（计量）标准",
        "Quality and metrology standard",
        "按 {quality} 执行；买方另有要求的，以技术协议为准。",
        "Per {quality}; the technical agreement governs any further requirement of the buyer.",
    ),
    "site_installation": (
        "现场工勘、安装基础与调试",
        "Site survey, foundation, installation",
        "卖方派员现场工勘；安装基础由买方按卖方图纸完成；卖方负责指导安装与调试。",
        "The seller surveys the site; the buyer builds the foundation to the seller's drawings; the seller guides installation and commissioning.",
    ),
    "packing_transport": (
        "包装运输、卸车验货",
        "Packing, transport, unloading and inspection",
        "按 {packing} 包装，卖方负责运输至交货地点；买方卸车并于到货后 3 日内验货。",
        "Packed per {packing}; the seller transports to the place of delivery; the buyer unloads and inspects within 3 days of arrival.",
    ),
    "payment": (
        "付款方式",
        "Payment",
        "合同签订后买方支付预付款 {deposit} {currency}，合同自预付款到账并经卖方财务核实之日起生效；余款于交货后 {terms} 日内付清。",
        "The buyer pays a deposit of {deposit} {currency} on signing; the contract takes effect when the seller's finance department has verified the deposit; the balance is due within {terms} days of delivery.",
    ),
    "penalties": (
        "违约责任",
        "Penalties",
        "卖方逾期交货的，每逾期一日按未交货部分货款的 0.5‰ 支付违约金，累计不超过合同总价的 5%；买方逾期付款的，按同一标准支付违约金。",
        "For late delivery the seller pays 0.05% of the undelivered value per day, at most 5% of the contract price; the buyer pays the same for late payment.",
    ),
    "disputes": (
        "争议解决",
        "Disputes",
        "双方协商解决；协商不成的，提交卖方所在地人民法院诉讼解决。",
        "The parties settle disputes by negotiation, failing which at the people's court where the seller is located.",
    ),
}


#: A supplementary agreement (补充协议) for a structural change (G2: 必要时补签相关合同增加
#: 合同价): what it supplements and why, the new delivery and technical plan, the added
#: price and its deposit; the main contract's other clauses stand.
SUPPLEMENTARY: dict[str, tuple[str, str, str, str]] = {
    "subject": (
        "补充协议标的",
        "Subject of the supplement",
        "本协议为双方所签合同 {parent}（订单 {order}）的补充协议，依据合同订单更改通知单 {change} 签订：{change_description}。合同价款增加 {amount} {currency}（含税）。",
        "This agreement supplements contract {parent} (order {order}) signed by the parties, following change notice {change}: {change_description}. The contract price increases by {amount} {currency} (tax included).",
    ),
    "delivery": CLAUSES["delivery"],
    "technical_plan": CLAUSES["technical_plan"],
    "payment": (
        "付款方式",
        "Payment",
        "本协议签订后买方支付增加价款的预付款 {deposit} {currency}，余款按原合同约定支付。",
        "On signing this agreement the buyer pays a deposit of {deposit} {currency} on the added price; the balance is paid as the original contract says.",
    ),
    "other_terms": (
        "其他",
        "Other terms",
        "原合同其他条款不变；与本协议不一致的，以本协议为准。",
        "All other terms of the original contract stand; where they differ from this agreement, this agreement prevails.",
    ),
}


def fill(values: Mapping[str, object], kind: str = "main") -> dict[str, dict[str, str]]:
    """The template's clauses with the order's values: {clause: {zh, en, title_zh, title_en}};
    ``kind`` "supplementary" takes the supplementary agreement's clauses."""
    clauses = SUPPLEMENTARY if kind == "supplementary" else CLAUSES
    out = {}
    for key, (title_zh, title_en, zh, en) in clauses.items():
        out[key] = {
            "title_zh": title_zh,
            "title_en": title_en,
            "zh": zh.format(**values),
            "en": en.format(**values),
        }
    return out
