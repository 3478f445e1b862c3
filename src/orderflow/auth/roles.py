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
    # Planning and production (issue 4): everyone may see plans and progress (N1).
    "production.read": ALL_ROLES,
    "production.masterdata": frozenset(
        {Role.TECHNICAL, Role.TECHNICAL_MANAGER, Role.PLANNER, Role.PRODUCTION_MANAGER, Role.ADMIN}
    ),
    "production.release": frozenset(
        {Role.PLANNER, Role.PRODUCTION_MANAGER, Role.ORDER_MANAGER, Role.ADMIN}
    ),
    "production.outsource": frozenset({Role.PRODUCTION_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}),
    "planning.read": ALL_ROLES,
    "planning.run": frozenset(
        {Role.PLANNER, Role.PRODUCTION_MANAGER, Role.MATERIALS_CONTROL, Role.ADMIN}
    ),
    "planning.release_suggestions": frozenset(
        {Role.PLANNER, Role.MATERIALS_CONTROL, Role.PROCUREMENT_MANAGER, Role.ADMIN}
    ),
    "costing.read": frozenset(
        {
            Role.SALES,
            Role.SALES_CLERK,
            Role.ORDER_MANAGER,
            Role.PLANNER,
            Role.PROCUREMENT,
            Role.PROCUREMENT_MANAGER,
            Role.FINANCE,
            Role.FINANCE_MANAGER,
            Role.GENERAL_MANAGER,
            Role.ADMIN,
        }
    ),
    "costing.create": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}),
    "samples.read": ALL_ROLES - {Role.FINANCE, Role.FINANCE_MANAGER},
    "samples.create": frozenset(
        {
            Role.SALES,
            Role.SALES_CLERK,
            Role.ORDER_MANAGER,
            Role.TECHNICAL,
            Role.TECHNICAL_MANAGER,
            Role.ADMIN,
        }
    ),
}

#: Roles that see every order of their company; a salesperson sees the orders they own.
ORDER_SCOPE_OWN_ONLY = frozenset({Role.SALES})
