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
    # Review, quotes, contracts, changes (C, D, G)
    "reviews.read": ALL_ROLES - {Role.QUALITY, Role.WAREHOUSE, Role.LOGISTICS, Role.AFTER_SALES},
    "reviews.start": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}),
    "quotes.read": frozenset(
        {
            Role.SALES,
            Role.SALES_CLERK,
            Role.ORDER_MANAGER,
            Role.TECHNICAL,
            Role.TECHNICAL_MANAGER,
            Role.FINANCE,
            Role.FINANCE_MANAGER,
            Role.GENERAL_MANAGER,
            Role.ADMIN,
        }
    ),
    "quotes.create": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}),
    "contracts.read": ALL_ROLES - {Role.QUALITY, Role.AFTER_SALES},
    "contracts.create": frozenset({Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}),
    "changes.read": ALL_ROLES - {Role.WAREHOUSE, Role.LOGISTICS, Role.AFTER_SALES},
    "changes.create": frozenset(
        {Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.TECHNICAL, Role.ADMIN}
    ),
    # 设计差错通知 (G4): the design department reports; the departments it tells read it.
    "design_errors.read": ALL_ROLES
    - {
        Role.SALES,
        Role.WAREHOUSE,
        Role.LOGISTICS,
        Role.AFTER_SALES,
        Role.FINANCE,
        Role.FINANCE_MANAGER,
    },
    "design_errors.issue": frozenset({Role.TECHNICAL, Role.TECHNICAL_MANAGER, Role.ADMIN}),
    # 备货通知单 (B9): marketing headquarters and the production division.
    "stock_up.issue": frozenset(
        {Role.ORDER_MANAGER, Role.PRODUCTION_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN}
    ),
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
    #: Tentative lines of the monthly sales plan (E6).
    "planning.forecast": frozenset(
        {
            Role.SALES,
            Role.SALES_CLERK,
            Role.ORDER_MANAGER,
            Role.PLANNER,
            Role.GENERAL_MANAGER,
            Role.ADMIN,
        }
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

#: The departments a contract is filed to (备案, D3) or a design error is notified to (G4),
#: as the roles that work in each.
DEPARTMENT_ROLES: dict[str, frozenset[str]] = {
    "finance": frozenset({Role.FINANCE, Role.FINANCE_MANAGER}),
    "sales": frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER}),
    "production": frozenset({Role.PRODUCTION, Role.PRODUCTION_MANAGER, Role.PLANNER}),
    "procurement": frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER, Role.MATERIALS_CONTROL}),
    "logistics": frozenset({Role.LOGISTICS, Role.WAREHOUSE}),
    "quality": frozenset({Role.QUALITY, Role.QUALITY_MANAGER}),
    "technical": frozenset({Role.TECHNICAL, Role.TECHNICAL_MANAGER}),
    "management": frozenset({Role.GENERAL_MANAGER, Role.GROUP_GENERAL_MANAGER}),
}

#: Roles that see every order of their company; a salesperson sees the orders they own.
ORDER_SCOPE_OWN_ONLY = frozenset({Role.SALES})
