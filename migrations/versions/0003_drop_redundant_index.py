"""Drop ix_records_kind_subtype_occurred: ix_records_report starts with the same columns.

Every index costs each sync write; this one answered nothing the covering
report index does not.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_kind_subtype_occurred')


def downgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index('ix_records_kind_subtype_occurred', ['kind', 'subtype', 'occurred_on'], unique=False)
