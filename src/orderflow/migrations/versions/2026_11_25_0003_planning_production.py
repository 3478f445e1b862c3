"""planning and production: work centres, BOMs, routings, production instructions and
orders, progress, outsourcing, cost budgets, samples, tech packs, plan runs and plans

Revision ID: 0003
Revises: 0004
Create Date: 2026-11-25 10:12:18.128637
"""

import sqlalchemy as sa
from alembic import op

import orderflow.db

revision = "0003"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_centres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("shifts", sa.JSON(), nullable=False),
        sa.Column("closed_days", sa.JSON(), nullable=False),
        sa.Column("hourly_rate", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_work_centres_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_centres")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_work_centres_company_id_code")),
    )
    with op.batch_alter_table("work_centres", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_work_centres_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "bom_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("overage", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_bom_lines_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["component_id"], ["products.id"], name=op.f("fk_bom_lines_component_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_bom_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bom_lines")),
        sa.UniqueConstraint(
            "product_id", "component_id", name=op.f("uq_bom_lines_product_id_component_id")
        ),
    )
    with op.batch_alter_table("bom_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bom_lines_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bom_lines_product_id"), ["product_id"], unique=False)

    op.create_table(
        "routing_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("work_centre_id", sa.Integer(), nullable=False),
        sa.Column("setup_minutes", sa.Integer(), nullable=False),
        sa.Column("run_minutes", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_routing_steps_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_routing_steps_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["work_centre_id"],
            ["work_centres.id"],
            name=op.f("fk_routing_steps_work_centre_id_work_centres"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_steps")),
        sa.UniqueConstraint("product_id", "seq", name=op.f("uq_routing_steps_product_id_seq")),
    )
    with op.batch_alter_table("routing_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_routing_steps_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_routing_steps_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "plan_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=40), nullable=False),
        sa.Column("companies", sa.JSON(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.Date(), nullable=False),
        sa.Column("planned_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("planned_by_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("solver_status", sa.String(length=120), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_plan_runs_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["planned_by_id"], ["users.id"], name=op.f("fk_plan_runs_planned_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_runs")),
    )
    with op.batch_alter_table("plan_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_runs_company_id"), ["company_id"], unique=False)
        batch_op.create_index("ix_plan_runs_group_current", ["group_key", "current"], unique=False)

    op.create_table(
        "plan_loads",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("work_centre_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("capacity_minutes", sa.Integer(), nullable=False),
        sa.Column("load_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_plan_loads_run_id_plan_runs")
        ),
        sa.ForeignKeyConstraint(
            ["work_centre_id"],
            ["work_centres.id"],
            name=op.f("fk_plan_loads_work_centre_id_work_centres"),
        ),
        sa.PrimaryKeyConstraint("run_id", "work_centre_id", "day", name=op.f("pk_plan_loads")),
    )
    op.create_table(
        "production_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("published_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_production_plans_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_production_plans_published_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_production_plans_run_id_plan_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_plans")),
    )
    with op.batch_alter_table("production_plans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_production_plans_company_kind", ["company_id", "kind", "period_start"], unique=False
        )

    op.create_table(
        "cost_budgets",
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_number", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("material_cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("labour_cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("total_cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("purchase_due_date", sa.Date(), nullable=False),
        sa.Column("production_due_date", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_cost_budgets_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_cost_budgets_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_cost_budgets_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_budgets")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_cost_budgets_company_id_number")),
    )
    with op.batch_alter_table("cost_budgets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cost_budgets_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cost_budgets_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cost_budgets_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cost_budgets_state"), ["state"], unique=False)

    op.create_table(
        "plan_leftovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("available_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_plan_leftovers_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_plan_leftovers_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_plan_leftovers_run_id_plan_runs")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_plan_leftovers_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_leftovers")),
    )
    with op.batch_alter_table("plan_leftovers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_leftovers_run_product", ["run_id", "product_id"], unique=False
        )

    op.create_table(
        "plan_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("req_key", sa.String(length=120), nullable=False),
        sa.Column("job_key", sa.String(length=120), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("need_date", sa.Date(), nullable=False),
        sa.Column("ready_date", sa.Date(), nullable=True),
        sa.Column("allocations", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_plan_requirements_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_plan_requirements_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_plan_requirements_run_id_plan_runs")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_plan_requirements_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_requirements")),
    )
    with op.batch_alter_table("plan_requirements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_requirements_run_order", ["run_id", "sales_order_id"], unique=False
        )

    op.create_table(
        "plan_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("from_company_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("released_as", sa.String(length=60), nullable=True),
        sa.Column("released_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_plan_suggestions_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["from_company_id"],
            ["companies.id"],
            name=op.f("fk_plan_suggestions_from_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_plan_suggestions_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_plan_suggestions_run_id_plan_runs")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_plan_suggestions_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_suggestions")),
    )
    with op.batch_alter_table("plan_suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_suggestions_run_id"), ["run_id"], unique=False)

    op.create_table(
        "production_instructions",
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_number", sa.String(length=32), nullable=False),
        sa.Column("complete_set", sa.Boolean(), nullable=False),
        sa.Column("non_regular", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("latest_date", sa.Date(), nullable=False),
        sa.Column("confirmed_date", sa.Date(), nullable=True),
        sa.Column("broken_down_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("planned_start", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("planned_finish", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("late_days", sa.Integer(), nullable=False),
        sa.Column("limited_by", sa.String(length=120), nullable=False),
        sa.Column("breakdown_due_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("packing_notice_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("follow_up_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("readiness_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_production_instructions_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"],
            ["users.id"],
            name=op.f("fk_production_instructions_released_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_production_instructions_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_instructions")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_production_instructions_company_id_number")
        ),
    )
    with op.batch_alter_table("production_instructions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_production_instructions_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_production_instructions_number"), ["number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_production_instructions_sales_order_id"),
            ["sales_order_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_production_instructions_state"), ["state"], unique=False
        )

    op.create_table(
        "sample_requests",
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("due_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("with_outsourcer", sa.Boolean(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("approved_round", sa.Integer(), nullable=True),
        sa.Column("standard_minutes", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_sample_requests_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sample_requests_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_sample_requests_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_sample_requests_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_sample_requests_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_requests")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_sample_requests_company_id_number")
        ),
    )
    with op.batch_alter_table("sample_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sample_requests_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sample_requests_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sample_requests_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sample_requests_state"), ["state"], unique=False)

    op.create_table(
        "coordination_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instruction_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("attendees", sa.String(length=400), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instruction_id"],
            ["production_instructions.id"],
            name=op.f("fk_coordination_meetings_instruction_id_production_instructions"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_coordination_meetings_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordination_meetings")),
    )
    with op.batch_alter_table("coordination_meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coordination_meetings_instruction_id"), ["instruction_id"], unique=False
        )

    op.create_table(
        "cost_budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("work_centre_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("unit_use", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("overage", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["cost_budgets.id"],
            name=op.f("fk_cost_budget_lines_budget_id_cost_budgets"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_cost_budget_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["work_centre_id"],
            ["work_centres.id"],
            name=op.f("fk_cost_budget_lines_work_centre_id_work_centres"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_budget_lines")),
    )
    with op.batch_alter_table("cost_budget_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cost_budget_lines_budget_id"), ["budget_id"], unique=False
        )

    op.create_table(
        "cost_budget_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_by_name", sa.String(length=120), nullable=False),
        sa.Column("signed_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["cost_budgets.id"],
            name=op.f("fk_cost_budget_signatures_budget_id_cost_budgets"),
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["users.id"],
            name=op.f("fk_cost_budget_signatures_signed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_budget_signatures")),
        sa.UniqueConstraint(
            "budget_id", "department", name=op.f("uq_cost_budget_signatures_budget_id_department")
        ),
    )
    with op.batch_alter_table("cost_budget_signatures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cost_budget_signatures_budget_id"), ["budget_id"], unique=False
        )

    op.create_table(
        "plan_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instruction_id", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(length=30), nullable=False),
        sa.Column("proposed_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("raised_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_plan_objections_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["instruction_id"],
            ["production_instructions.id"],
            name=op.f("fk_plan_objections_instruction_id_production_instructions"),
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"], ["users.id"], name=op.f("fk_plan_objections_raised_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_objections")),
    )
    with op.batch_alter_table("plan_objections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_objections_instruction_id"), ["instruction_id"], unique=False
        )

    op.create_table(
        "production_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instruction_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("due_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_production_milestones_done_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["instruction_id"],
            ["production_instructions.id"],
            name=op.f("fk_production_milestones_instruction_id_production_instructions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_milestones")),
        sa.UniqueConstraint(
            "instruction_id", "kind", name=op.f("uq_production_milestones_instruction_id_kind")
        ),
    )
    with op.batch_alter_table("production_milestones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_production_milestones_instruction_id"), ["instruction_id"], unique=False
        )

    op.create_table(
        "production_orders",
        sa.Column("instruction_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_line_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("job_key", sa.String(length=120), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("planned_start", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("planned_finish", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("late_days", sa.Integer(), nullable=False),
        sa.Column("limited_by", sa.String(length=120), nullable=False),
        sa.Column("output_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("output_warehouse_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_production_orders_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["instruction_id"],
            ["production_instructions.id"],
            name=op.f("fk_production_orders_instruction_id_production_instructions"),
        ),
        sa.ForeignKeyConstraint(
            ["output_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_production_orders_output_warehouse_id_warehouses"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["production_orders.id"],
            name=op.f("fk_production_orders_parent_id_production_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_production_orders_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_production_orders_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_line_id"],
            ["sales_order_lines.id"],
            name=op.f("fk_production_orders_sales_order_line_id_sales_order_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_orders")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_production_orders_company_id_number")
        ),
    )
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_production_orders_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_production_orders_instruction_id"), ["instruction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_production_orders_job_key"), ["job_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_production_orders_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_production_orders_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_production_orders_state"), ["state"], unique=False)

    op.create_table(
        "sample_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("verdict", sa.String(length=10), nullable=True),
        sa.Column("verdict_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["sample_requests.id"],
            name=op.f("fk_sample_rounds_request_id_sample_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_rounds")),
        sa.UniqueConstraint(
            "request_id", "number", name=op.f("uq_sample_rounds_request_id_number")
        ),
    )
    with op.batch_alter_table("sample_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sample_rounds_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "tech_packs",
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_number", sa.String(length=32), nullable=False),
        sa.Column("sample_request_id", sa.Integer(), nullable=False),
        sa.Column("fabric_width", sa.String(length=60), nullable=False),
        sa.Column("pattern", sa.String(length=120), nullable=False),
        sa.Column("process", sa.Text(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("exception_number", sa.String(length=40), nullable=True),
        sa.Column("mismatch", sa.Text(), nullable=False),
        sa.Column("sales_confirmed_by", sa.String(length=120), nullable=True),
        sa.Column("purchasing_confirmed_by", sa.String(length=120), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_tech_packs_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_tech_packs_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_tech_packs_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["sample_request_id"],
            ["sample_requests.id"],
            name=op.f("fk_tech_packs_sample_request_id_sample_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tech_packs")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_tech_packs_company_id_number")),
    )
    with op.batch_alter_table("tech_packs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tech_packs_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tech_packs_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tech_packs_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tech_packs_state"), ["state"], unique=False)

    op.create_table(
        "plan_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.String(length=120), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("production_order_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_key", sa.String(length=120), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("start", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finish", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("target", sa.Date(), nullable=False),
        sa.Column("late_days", sa.Integer(), nullable=False),
        sa.Column("limited_by", sa.String(length=120), nullable=False),
        sa.Column("material_ready", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_plan_jobs_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_plan_jobs_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["production_order_id"],
            ["production_orders.id"],
            name=op.f("fk_plan_jobs_production_order_id_production_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_plan_jobs_run_id_plan_runs")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_plan_jobs_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_jobs")),
    )
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_plan_jobs_run_key", ["run_id", "job_key"], unique=False)
        batch_op.create_index("ix_plan_jobs_run_order", ["run_id", "sales_order_id"], unique=False)

    op.create_table(
        "plan_operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("job_key", sa.String(length=120), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=False),
        sa.Column("production_order_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("work_centre_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("start", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finish", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["production_order_id"],
            ["production_orders.id"],
            name=op.f("fk_plan_operations_production_order_id_production_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["plan_runs.id"], name=op.f("fk_plan_operations_run_id_plan_runs")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_plan_operations_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["work_centre_id"],
            ["work_centres.id"],
            name=op.f("fk_plan_operations_work_centre_id_work_centres"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_operations")),
    )
    with op.batch_alter_table("plan_operations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_plan_operations_run_centre", ["run_id", "work_centre_id"], unique=False
        )

    op.create_table(
        "production_operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_order_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("work_centre_id", sa.Integer(), nullable=False),
        sa.Column("setup_minutes", sa.Integer(), nullable=False),
        sa.Column("run_minutes", sa.Numeric(precision=12, scale=4), nullable=False),
        sa.Column("outsourced_days", sa.Integer(), nullable=False),
        sa.Column("planned_start", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("planned_finish", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("planned_unit", sa.Integer(), nullable=True),
        sa.Column("good_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("scrap_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["production_order_id"],
            ["production_orders.id"],
            name=op.f("fk_production_operations_production_order_id_production_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["work_centre_id"],
            ["work_centres.id"],
            name=op.f("fk_production_operations_work_centre_id_work_centres"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_operations")),
        sa.UniqueConstraint(
            "production_order_id",
            "seq",
            name=op.f("uq_production_operations_production_order_id_seq"),
        ),
    )
    with op.batch_alter_table("production_operations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_production_operations_production_order_id"),
            ["production_order_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_production_operations_work_centre_id"), ["work_centre_id"], unique=False
        )

    op.create_table(
        "production_plan_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("production_order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["production_plans.id"],
            name=op.f("fk_production_plan_lines_plan_id_production_plans"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_production_plan_lines_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["production_order_id"],
            ["production_orders.id"],
            name=op.f("fk_production_plan_lines_production_order_id_production_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_plan_lines")),
    )
    with op.batch_alter_table("production_plan_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_production_plan_lines_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "outsourcing_requests",
        sa.Column("production_order_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_outsourcing_requests_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["production_operations.id"],
            name=op.f("fk_outsourcing_requests_operation_id_production_operations"),
        ),
        sa.ForeignKeyConstraint(
            ["production_order_id"],
            ["production_orders.id"],
            name=op.f("fk_outsourcing_requests_production_order_id_production_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_outsourcing_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outsourcing_requests")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_outsourcing_requests_company_id_number")
        ),
    )
    with op.batch_alter_table("outsourcing_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outsourcing_requests_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outsourcing_requests_number"), ["number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outsourcing_requests_production_order_id"),
            ["production_order_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_outsourcing_requests_state"), ["state"], unique=False)

    op.create_table(
        "progress_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_order_id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("good", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("scrap", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["production_operations.id"],
            name=op.f("fk_progress_reports_operation_id_production_operations"),
        ),
        sa.ForeignKeyConstraint(
            ["production_order_id"],
            ["production_orders.id"],
            name=op.f("fk_progress_reports_production_order_id_production_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name=op.f("fk_progress_reports_reported_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_reports")),
    )
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_progress_reports_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_progress_reports_production_order_id"),
            ["production_order_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_progress_reports_reported_at"), ["reported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_reports_reported_at"))
        batch_op.drop_index(batch_op.f("ix_progress_reports_production_order_id"))
        batch_op.drop_index(batch_op.f("ix_progress_reports_operation_id"))

    op.drop_table("progress_reports")
    with op.batch_alter_table("outsourcing_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outsourcing_requests_state"))
        batch_op.drop_index(batch_op.f("ix_outsourcing_requests_production_order_id"))
        batch_op.drop_index(batch_op.f("ix_outsourcing_requests_number"))
        batch_op.drop_index(batch_op.f("ix_outsourcing_requests_company_id"))

    op.drop_table("outsourcing_requests")
    with op.batch_alter_table("production_plan_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_production_plan_lines_plan_id"))

    op.drop_table("production_plan_lines")
    with op.batch_alter_table("production_operations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_production_operations_work_centre_id"))
        batch_op.drop_index(batch_op.f("ix_production_operations_production_order_id"))

    op.drop_table("production_operations")
    with op.batch_alter_table("plan_operations", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_operations_run_centre")

    op.drop_table("plan_operations")
    with op.batch_alter_table("plan_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_jobs_run_order")
        batch_op.drop_index("ix_plan_jobs_run_key")

    op.drop_table("plan_jobs")
    with op.batch_alter_table("tech_packs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tech_packs_state"))
        batch_op.drop_index(batch_op.f("ix_tech_packs_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_tech_packs_number"))
        batch_op.drop_index(batch_op.f("ix_tech_packs_company_id"))

    op.drop_table("tech_packs")
    with op.batch_alter_table("sample_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sample_rounds_request_id"))

    op.drop_table("sample_rounds")
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_production_orders_state"))
        batch_op.drop_index(batch_op.f("ix_production_orders_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_production_orders_number"))
        batch_op.drop_index(batch_op.f("ix_production_orders_job_key"))
        batch_op.drop_index(batch_op.f("ix_production_orders_instruction_id"))
        batch_op.drop_index(batch_op.f("ix_production_orders_company_id"))

    op.drop_table("production_orders")
    with op.batch_alter_table("production_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_production_milestones_instruction_id"))

    op.drop_table("production_milestones")
    with op.batch_alter_table("plan_objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_objections_instruction_id"))

    op.drop_table("plan_objections")
    with op.batch_alter_table("cost_budget_signatures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_budget_signatures_budget_id"))

    op.drop_table("cost_budget_signatures")
    with op.batch_alter_table("cost_budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_budget_lines_budget_id"))

    op.drop_table("cost_budget_lines")
    with op.batch_alter_table("coordination_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coordination_meetings_instruction_id"))

    op.drop_table("coordination_meetings")
    with op.batch_alter_table("sample_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sample_requests_state"))
        batch_op.drop_index(batch_op.f("ix_sample_requests_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_sample_requests_number"))
        batch_op.drop_index(batch_op.f("ix_sample_requests_company_id"))

    op.drop_table("sample_requests")
    with op.batch_alter_table("production_instructions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_production_instructions_state"))
        batch_op.drop_index(batch_op.f("ix_production_instructions_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_production_instructions_number"))
        batch_op.drop_index(batch_op.f("ix_production_instructions_company_id"))

    op.drop_table("production_instructions")
    with op.batch_alter_table("plan_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_suggestions_run_id"))

    op.drop_table("plan_suggestions")
    with op.batch_alter_table("plan_requirements", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_requirements_run_order")

    op.drop_table("plan_requirements")
    with op.batch_alter_table("plan_leftovers", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_leftovers_run_product")

    op.drop_table("plan_leftovers")
    with op.batch_alter_table("cost_budgets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_budgets_state"))
        batch_op.drop_index(batch_op.f("ix_cost_budgets_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_cost_budgets_number"))
        batch_op.drop_index(batch_op.f("ix_cost_budgets_company_id"))

    op.drop_table("cost_budgets")
    with op.batch_alter_table("production_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_production_plans_company_kind")

    op.drop_table("production_plans")
    op.drop_table("plan_loads")
    with op.batch_alter_table("plan_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_runs_group_current")
        batch_op.drop_index(batch_op.f("ix_plan_runs_company_id"))

    op.drop_table("plan_runs")
    with op.batch_alter_table("routing_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_steps_product_id"))
        batch_op.drop_index(batch_op.f("ix_routing_steps_company_id"))

    op.drop_table("routing_steps")
    with op.batch_alter_table("bom_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bom_lines_product_id"))
        batch_op.drop_index(batch_op.f("ix_bom_lines_company_id"))

    op.drop_table("bom_lines")
    with op.batch_alter_table("work_centres", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_centres_company_id"))

    op.drop_table("work_centres")
