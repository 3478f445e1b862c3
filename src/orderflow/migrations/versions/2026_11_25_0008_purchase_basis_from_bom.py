"""purchase lines say where their unit use came from (the sales order's BOM or the user)
and keep the BOM's figure (H2)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 13:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("purchase_requisition_lines", "purchase_order_lines")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("unit_use_source", sa.String(length=8), nullable=True))
            batch_op.add_column(
                sa.Column("bom_unit_use", sa.Numeric(precision=18, scale=4), nullable=True)
            )
        # Before this, a unit use could only have been typed by the user.
        op.execute(f"UPDATE {table} SET unit_use_source = 'entered' WHERE unit_use IS NOT NULL")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("bom_unit_use")
            batch_op.drop_column("unit_use_source")
