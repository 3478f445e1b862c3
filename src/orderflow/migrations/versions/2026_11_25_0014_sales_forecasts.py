"""monthly sales plan (E6): tentative lines entered by sales beside the firm orders

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 15:00:00
"""

import sqlalchemy as sa
from alembic import op

import orderflow.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sales_forecasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_sales_forecasts_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_sales_forecasts_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_sales_forecasts_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_sales_forecasts_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_forecasts")),
    )
    op.create_index("ix_sales_forecasts_company_month", "sales_forecasts", ["company_id", "month"])


def downgrade() -> None:
    op.drop_index("ix_sales_forecasts_company_month", table_name="sales_forecasts")
    op.drop_table("sales_forecasts")
