"""unknown_email_lockouts: failed sign-ins on emails with no account, locked like accounts.

Before this, five wrong passwords locked a real account (429) while an unknown email kept
answering 401, which told an attacker which accounts exist.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'unknown_email_lockouts',
        sa.Column('email_hash', sa.String(length=64), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('email_hash', name=op.f('pk_unknown_email_lockouts')),
    )


def downgrade():
    op.drop_table('unknown_email_lockouts')
