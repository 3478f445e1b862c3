"""Roles (A6) and what each may do. One table, read by the API, the pages and the CLI."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SALES = "sales"
    SALES_CLERK = "sales_clerk"  # 销售内勤
    ORDER_MANAGER = "order_manager"  # 合同订单管理部
    PLANNER = "planner"  # PMC
    PRODUCTION = "production"
    PRODUCTION_MANAGER = "production_manager"
    TECHNICAL = "technical"  # 技术/设计
    TECHNICAL_MANAGER = "technical_manager"  # 技术主管: signs quotes, design findings
    MATERIALS_CONTROL = "materials_control"  # 物控
    PROCUREMENT = "procurement"
    PROCUREMENT_MANAGER = "procurement_manager"
    WAREHOUSE = "warehouse"
    QUALITY = "quality"
    QUALITY_MANAGER = "quality_manager"
    LOGISTICS = "logistics"  # 储运
    AFTER_SALES = "after_sales"
    FINANCE = "finance"
    FINANCE_MANAGER = "finance_manager"
    GENERAL_MANAGER = "general_manager"  # 总经理
    GROUP_GENERAL_MANAGER = "group_general_manager"  # 集团总经理: outsourcing (E9)


ALL_ROLES = frozenset(Role)

#: Who may do what, by permission name. Lifecycle steps name their roles in each flow.py.
PERMISSIONS: dict[str, frozenset[str]] = {
    "orders.read": ALL_ROLES - {Role.PROCUREMENT, Role.QUALITY},
    "orders.create": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}),
    "customers.read": ALL_ROLES - {Role.PRODUCTION, Role.QUALITY},
    "customers.write": frozenset({Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}),
    "products.read": ALL_ROLES,
    "products.write": frozenset({Role.ORDER_MANAGER, Role.TECHNICAL, Role.ADMIN}),
    "warehouses.read": ALL_ROLES,
    "warehouses.write": frozenset({Role.WAREHOUSE, Role.ADMIN}),
    "users.read": frozenset({Role.ADMIN, Role.GENERAL_MANAGER}),
    "users.write": frozenset({Role.ADMIN}),
    "notifications.read_all": frozenset({Role.ADMIN, Role.ORDER_MANAGER, Role.GENERAL_MANAGER}),
    # Procurement, inventory, quality, exception slips (issue 5).
    "suppliers.read": ALL_ROLES - {Role.SALES, Role.AFTER_SALES},
    "suppliers.write": frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER, Role.ADMIN}),
    "purchasing.read": ALL_ROLES - {Role.SALES, Role.AFTER_SALES},
    "requisitions.create": frozenset(
        {
            Role.PLANNER,
            Role.MATERIALS_CONTROL,
            Role.PROCUREMENT,
            Role.PROCUREMENT_MANAGER,
            Role.ADMIN,
        }
    ),
    "purchase_orders.create": frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER, Role.ADMIN}),
    "transfers.read": ALL_ROLES - {Role.SALES, Role.AFTER_SALES},
    "transfers.create": frozenset(
        {
            Role.PLANNER,
            Role.MATERIALS_CONTROL,
            Role.PROCUREMENT,
            Role.PROCUREMENT_MANAGER,
            Role.WAREHOUSE,
            Role.ADMIN,
        }
    ),
    "customer_supplied.create": frozenset(
        {Role.SALES_CLERK, Role.ORDER_MANAGER, Role.PLANNER, Role.WAREHOUSE, Role.ADMIN}
    ),
    "stock_counts.create": frozenset({Role.WAREHOUSE, Role.ADMIN}),
    "locations.write": frozenset({Role.WAREHOUSE, Role.ADMIN}),
    "inspections.read": ALL_ROLES - {Role.SALES},
    "inspections.create": frozenset({Role.QUALITY, Role.QUALITY_MANAGER, Role.ADMIN}),
    "exceptions.read": ALL_ROLES,
    "exceptions.raise": ALL_ROLES,
}

#: Roles that see every order of their company; a salesperson sees the orders they own.
ORDER_SCOPE_OWN_ONLY = frozenset({Role.SALES})
