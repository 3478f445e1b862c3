"""stock-up notices say what and by when (lines, needed_by); design error notices with the
departments' confirmations (G4)

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-25 10:54:20.282124
"""

import sqlalchemy as sa
from alembic import op

import orderflow.db

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stock_up_notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needed_by", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("lines", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    # Notices issued before: needed by the order's requested date (their lines stay empty;
    # the order shows what they covered).
    op.execute(
        "UPDATE stock_up_notices SET needed_by = (SELECT requested_date FROM sales_orders "
        "WHERE sales_orders.id = stock_up_notices.order_id)"
    )

    op.create_table(
        "design_error_notices",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("drawing", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("correction", sa.Text(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("issued_by", sa.String(length=80), nullable=False),
        sa.Column("exception_number", sa.String(length=32), nullable=True),
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
            name=op.f("fk_design_error_notices_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.id"],
            name=op.f("fk_design_error_notices_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design_error_notices")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_design_error_notices_company_id_number")
        ),
    )
    with op.batch_alter_table("design_error_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_design_error_notices_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_design_error_notices_number"), ["number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_design_error_notices_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_design_error_notices_state"), ["state"], unique=False)

    op.create_table(
        "design_error_acks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["design_error_notices.id"],
            name=op.f("fk_design_error_acks_notice_id_design_error_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_design_error_acks_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_design_error_acks")),
        sa.UniqueConstraint(
            "notice_id", "department", name=op.f("uq_design_error_acks_notice_id_department")
        ),
    )
    with op.batch_alter_table("design_error_acks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_design_error_acks_notice_id"), ["notice_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("design_error_acks")
    op.drop_table("design_error_notices")
    with op.batch_alter_table("stock_up_notices", schema=None) as batch_op:
        batch_op.drop_column("lines")
        batch_op.drop_column("needed_by")
