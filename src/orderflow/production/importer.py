"""Import production master data from Excel or CSV (A3): work centres, BOM lines, routing
steps. Rows go through the same schemas and checks as the API (a BOM that would contain
itself is refused), all rows or none, with Chinese column headings as aliases:

    work_centres: code, name, units, shifts ("08:30-12:00;13:30-17:30"), closed_days,
                  hourly_rate                    (编码, 名称, 台数, 班次, 停工日, 小时费率)
    boms:         product_code, component_code, quantity, overage, note
                  (父件编码, 子件编码, 单件用量, 抛数, 备注) — one row per component
    routings:     product_code, seq, name, work_centre_code, setup_minutes, run_minutes
                  (产品编码, 工序号, 工序名称, 工作中心, 准备时间, 单件工时)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product
from orderflow.core.errors import FieldError, ValidationFailed, validate
from orderflow.masterdata.importer import register_kind
from orderflow.production import masterdata
from orderflow.production.models import WorkCentre
from orderflow.production.schemas import (
    BomIn,
    RoutingIn,
    WorkCentreCreate,
    WorkCentreUpdate,
)
from orderflow.runtime import Principal, Runtime

ALIASES = {
    "units": ("台数", "设备数", "线数"),
    "shifts": ("班次", "工作时段"),
    "closed_days": ("停工日",),
    "hourly_rate": ("小时费率", "工时费率"),
    "product_code": ("父件编码", "成品编码"),
    "component_code": ("子件编码", "物料编码"),
    "quantity": ("单件用量", "用量"),
    "overage": ("抛数", "损耗率"),
    "note": ("备注",),
    "seq": ("工序号", "工序"),
    "operation": ("工序名称",),
    "work_centre_code": ("工作中心", "工作中心编码"),
    "setup_minutes": ("准备时间", "准备工时"),
    "run_minutes": ("单件工时", "标准工时"),
}


def _split(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace("；", ";").replace(",", ";").split(";")
        if part.strip()
    ]


def _centre(s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str) -> bool:
    body: dict[str, Any] = {
        k: row[k] for k in ("code", "name", "units", "hourly_rate") if row.get(k)
    }
    if row.get("shifts"):
        body["shifts"] = _split(row["shifts"])
    if row.get("closed_days"):
        body["closed_days"] = _split(row["closed_days"])
    existing = s.scalar(
        select(WorkCentre).where(
            WorkCentre.company_id == me.company_id, WorkCentre.code == body.get("code", "")
        )
    )
    if existing is None:
        masterdata.add_work_centre(s, rt, me, validate(WorkCentreCreate, body, prefix=prefix))
        return True
    body.pop("code")
    masterdata.change_work_centre(s, existing, validate(WorkCentreUpdate, body, prefix=prefix))
    return False


def _product(s: Session, me: Principal, row: dict[str, str], prefix: str) -> Product:
    code = row.get("product_code") or row.get("code", "")
    product = s.scalar(
        select(Product).where(Product.company_id == me.company_id, Product.code == code)
    )
    if product is None:
        raise ValidationFailed.of(
            [FieldError(prefix + "product_code", f"No product {code!r}", "unknown_product")]
        )
    return product


def _bom_line(s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str) -> bool:
    """One component of a product: added, or its quantity/overage changed; the product's
    other components stay as they are."""
    product = _product(s, me, row, prefix)
    current = masterdata.bom_read(s, product)
    lines: list[dict[str, object]] = [
        {
            "component_code": ln.component_code,
            "quantity": ln.quantity,
            "overage": ln.overage,
            "note": ln.note,
        }
        for ln in current.lines
    ]
    new: dict[str, object] = {
        "component_code": row.get("component_code", ""),
        "quantity": row.get("quantity", ""),
        "overage": row.get("overage") or "0",
        "note": row.get("note", ""),
    }
    at = next(
        (i for i, ln in enumerate(lines) if ln["component_code"] == new["component_code"]), None
    )
    if at is None:
        lines.append(new)
    else:
        lines[at] = new
    index = len(lines) - 1 if at is None else at
    try:
        data = validate(BomIn, {"lines": lines})
        masterdata.set_bom(s, me, product, data)
    except ValidationFailed as exc:
        raise ValidationFailed.of(
            [
                FieldError(prefix + e.field.replace(f"lines[{index}].", ""), e.message, e.code)
                for e in exc.errors
            ]
        ) from exc
    return at is None


def _routing_step(s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str) -> bool:
    product = _product(s, me, row, prefix)
    current = masterdata.routing_read(s, product)
    steps: list[dict[str, object]] = [
        {
            "seq": st.seq,
            "name": st.name,
            "work_centre_code": st.work_centre_code,
            "setup_minutes": st.setup_minutes,
            "run_minutes": st.run_minutes,
        }
        for st in current.steps
    ]
    new: dict[str, object] = {
        "seq": row.get("seq", ""),
        "name": row.get("operation") or row.get("name", ""),
        "work_centre_code": row.get("work_centre_code", ""),
        "setup_minutes": row.get("setup_minutes") or "0",
        "run_minutes": row.get("run_minutes") or "0",
    }
    at = next((i for i, st in enumerate(steps) if str(st["seq"]) == str(new["seq"])), None)
    if at is None:
        steps.append(new)
    else:
        steps[at] = new
    index = len(steps) - 1 if at is None else at
    try:
        masterdata.set_routing(s, me, product, validate(RoutingIn, {"steps": steps}))
    except ValidationFailed as exc:
        raise ValidationFailed.of(
            [
                FieldError(prefix + e.field.replace(f"steps[{index}].", ""), e.message, e.code)
                for e in exc.errors
            ]
        ) from exc
    return at is None


register_kind("work_centres", "production.masterdata", _centre, ALIASES)
register_kind("boms", "production.masterdata", _bom_line, ALIASES)
register_kind("routings", "production.masterdata", _routing_step, ALIASES)
