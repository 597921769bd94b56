"""releases: the public report, frozen per period as published (docs/reports.md "Releases").

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'releases',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('changes', sa.Text(), nullable=True),
        sa.Column('supersedes_id', sa.Integer(), nullable=True),
        sa.Column('method_version', sa.String(length=20), nullable=False),
        sa.Column('released_at', sa.DateTime(), nullable=False),
        sa.Column('released_by_id', sa.Integer(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.CheckConstraint('period_start <= period_end', name=op.f('ck_releases_period_in_order')),
        sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_releases_released_by_id_users')),
        sa.ForeignKeyConstraint(['supersedes_id'], ['releases.id'], name=op.f('fk_releases_supersedes_id_releases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_releases')),
        sa.UniqueConstraint('supersedes_id', name=op.f('uq_releases_supersedes_id')),
    )


def downgrade():
    op.drop_table('releases')
