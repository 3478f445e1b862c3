"""Import master data from CSV or Excel: customers, products, stock counts, users.

All or nothing: every bad row is reported as ``row N, column: message`` and nothing is
saved. Rows are validated by the same schemas and services the API uses, so an import
cannot let in what the API would refuse. Chinese column headings are accepted as aliases.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.auth.users import UserCreate, add_user
from orderflow.catalog.models import Product
from orderflow.catalog.schemas import ProductCreate, ProductUpdate
from orderflow.catalog.service import add_product, change_product
from orderflow.core.access import require
from orderflow.core.errors import FieldError, OrderFlowError, ValidationFailed, validate
from orderflow.inventory.models import StockLevel, Warehouse
from orderflow.inventory.schemas import StockAdjustment
from orderflow.inventory.warehouses import adjust
from orderflow.parties.models import Customer
from orderflow.parties.schemas import CustomerCreate, CustomerUpdate
from orderflow.parties.service import add_customer, change_customer
from orderflow.runtime import Principal, Runtime

#: Column name → the aliases a spreadsheet may use for it.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("客户编码", "产品编码", "编码"),
    "name": ("客户名称", "产品名称", "名称"),
    "customer_class": ("class", "客户等级", "等级"),
    "credit_limit": ("信用额度",),
    "payment_terms_days": ("payment_terms", "付款期", "账期"),
    "price_list": ("价目表",),
    "region": ("区域",),
    "locale": ("语言",),
    "is_new": ("新客户",),
    "contact_name": ("联系人",),
    "contact_phone": ("电话", "手机"),
    "contact_email": ("邮箱",),
    "province": ("省", "省份"),
    "city": ("市", "城市"),
    "address": ("地址", "收货地址"),
    "model_spec": ("规格型号", "规格"),
    "unit": ("单位",),
    "kind": ("类别", "类型"),
    "lead_time_days": ("交期天数", "标准交期"),
    "price": ("单价", "价格"),
    "active": ("启用",),
    "warehouse_code": ("仓库编码", "仓库"),
    "product_code": ("产品",),
    "on_hand": ("库存数量", "数量"),
    "username": ("用户名",),
    "display_name": ("姓名",),
    "password": ("密码",),
    "roles": ("角色",),
    "department_code": ("部门", "部门编码"),
    "email": ("电子邮箱",),
}
_CANONICAL = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as the user sees it, {column: text}) for every non-empty data row."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        assert sheet is not None
        rows: Iterator[list[Any]] = ([c for c in row] for row in sheet.iter_rows(values_only=True))
    elif path.suffix.lower() == ".csv":
        handle = path.open(encoding="utf-8-sig", newline="")
        rows = iter(list(csv.reader(handle)))
        handle.close()
    else:
        raise ValidationFailed.of(
            [FieldError("file", f"{path.name}: use a .csv or .xlsx file", "bad_file")]
        )
    header = [_CANONICAL.get(str(h or "").strip(), str(h or "").strip()) for h in next(rows, [])]
    for number, row in enumerate(rows, start=2):
        values = {h: _text(v) for h, v in zip(header, row, strict=False) if h}
        if any(values.values()):
            yield number, values


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _flag(text: str) -> bool | None:
    lowered = text.lower()
    if not lowered:
        return None
    if lowered in ("1", "true", "yes", "y", "是", "启用"):
        return True
    if lowered in ("0", "false", "no", "n", "否", "停用"):
        return False
    raise ValueError(f"{text!r} is not yes/no")


def _set(out: dict[str, Any], key: str, value: Any) -> None:
    if value not in ("", None):
        out[key] = value


def customer_body(row: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in (
        "code",
        "name",
        "customer_class",
        "credit_limit",
        "payment_terms_days",
        "price_list",
        "region",
        "locale",
    ):
        _set(body, key, row.get(key, ""))
    _set(body, "is_new", _flag(row.get("is_new", "")))
    if row.get("contact_name"):
        body["contacts"] = [
            {
                "name": row["contact_name"],
                "phone": row.get("contact_phone") or None,
                "email": row.get("contact_email") or None,
                "is_primary": True,
            }
        ]
    if row.get("address"):
        body["addresses"] = [
            {
                "province": row.get("province", ""),
                "city": row.get("city", ""),
                "line": row["address"],
                "is_default": True,
            }
        ]
    return body


def product_body(row: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in ("code", "name", "model_spec", "unit", "kind", "lead_time_days"):
        _set(body, key, row.get(key, ""))
    _set(body, "active", _flag(row.get("active", "")))
    if row.get("price"):
        body["prices"] = [
            {"price_list": row.get("price_list") or "STD", "unit_price": row["price"]}
        ]
    return body


def user_body(row: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in ("username", "display_name", "password", "department_code", "email"):
        _set(body, key, row.get(key, ""))
    roles = [r.strip() for r in row.get("roles", "").replace("，", ",").split(",") if r.strip()]
    body["roles"] = roles
    return body


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


def _upsert_customer(
    s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str
) -> bool:
    body = customer_body(row)
    existing = s.scalar(
        select(Customer).where(
            Customer.company_id == me.company_id, Customer.code == body.get("code", "")
        )
    )
    if existing is None:
        add_customer(s, rt, me, validate(CustomerCreate, body, prefix=prefix))
        return True
    body.pop("code")
    change_customer(s, me, existing, validate(CustomerUpdate, body, prefix=prefix))
    return False


def _upsert_product(
    s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str
) -> bool:
    body = product_body(row)
    existing = s.scalar(
        select(Product).where(
            Product.company_id == me.company_id, Product.code == body.get("code", "")
        )
    )
    if existing is None:
        add_product(s, rt, me, validate(ProductCreate, body, prefix=prefix))
        return True
    body.pop("code")
    change_product(s, existing, validate(ProductUpdate, body, prefix=prefix))
    return False


def _count_stock(s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str) -> bool:
    """A stock count: on-hand becomes the counted figure, the difference goes to the ledger."""
    # "产品编码" is the product's code heading in every sheet, so it arrives as "code".
    row = {**row, "product_code": row.get("product_code") or row.get("code", "")}
    try:
        counted = Decimal(row.get("on_hand", ""))
    except InvalidOperation as exc:
        raise ValidationFailed.of(
            [FieldError(prefix + "on_hand", "Not a number", "bad_number")]
        ) from exc
    current = s.scalar(
        select(StockLevel.on_hand)
        .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
        .join(Product, Product.id == StockLevel.product_id)
        .where(
            Warehouse.company_id == me.company_id,
            Warehouse.code == row.get("warehouse_code"),
            Product.code == row.get("product_code"),
        )
    )
    difference = counted - (current or Decimal(0))
    if difference:
        data = validate(
            StockAdjustment,
            {
                "warehouse_code": row.get("warehouse_code", ""),
                "product_code": row.get("product_code", ""),
                "quantity": str(difference),
                "reason": "stock_count",
                "reference": "import",
            },
            prefix=prefix,
        )
        adjust(s, rt, me, data, prefix=prefix)
    return current is None


def _add_user(s: Session, rt: Runtime, me: Principal, row: dict[str, str], prefix: str) -> bool:
    add_user(s, rt, me, validate(UserCreate, user_body(row), prefix=prefix), prefix=prefix)
    return True


KINDS: dict[str, tuple[str, Callable[[Session, Runtime, Principal, dict[str, str], str], bool]]] = {
    "customers": ("customers.write", _upsert_customer),
    "products": ("products.write", _upsert_product),
    "stock": ("warehouses.write", _count_stock),
    "users": ("users.write", _add_user),
}


Handler = Callable[[Session, Runtime, Principal, dict[str, str], str], bool]


def register_kind(
    kind: str, permission: str, handle: Handler, aliases: dict[str, tuple[str, ...]] | None = None
) -> None:
    """Let another area import its master data the same way (all rows or none, Chinese
    headings as aliases): ``handle`` saves one row and answers whether it created it."""
    KINDS[kind] = (permission, handle)
    for name, names in (aliases or {}).items():
        ALIASES[name] = (*ALIASES.get(name, ()), *names)
        for alias in names:
            _CANONICAL.setdefault(alias, name)


def import_file(
    rt: Runtime,
    me: Principal,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every row of ``path`` in one transaction, or nothing if any row is bad."""
    permission, handle = KINDS[kind]
    require(me, permission)
    rows = list(read_rows(path))
    report = ImportReport()
    problems: list[FieldError] = []

    class _Rollback(Exception):
        pass

    try:
        with rt.db.transaction() as s:
            for number, row in rows:
                prefix = f"row {number}, "
                try:
                    with s.begin_nested():
                        created = handle(s, rt, me, row, prefix)
                except ValueError as exc:  # a yes/no or number the row could not parse
                    problems.append(FieldError(prefix.rstrip(", "), str(exc), "invalid"))
                except OrderFlowError as exc:
                    problems.extend(
                        exc.errors or [FieldError(prefix.rstrip(", "), exc.detail, exc.code)]
                    )
                else:
                    report.created += created
                    report.updated += not created
                if progress:
                    progress(1)
            if problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if problems:
        raise ValidationFailed(
            f"{len(problems)} problem(s) in {path.name}; nothing was imported", errors=problems
        )
    return report
