"""semester review confirmations by supervisor and principal; principal semester feedback (issue 14)

- records.participation: a semester review's (an `activity` of type semester_review) decision by
  each party, {"principal": {...}, "supervisor": {...}}; null on every other record. No kind is
  added, so the kind CHECK is unchanged.
- principal_feedback: a principal's semester feedback on an officer serving their school
  (KY 25, 26), one row per principal, officer, school, school year and term (an officer shared
  by two of a principal's schools is due one answer at each).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participation', sa.JSON(), nullable=True))
    op.create_table('principal_feedback',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('principal_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('relationships', sa.Integer(), nullable=False),
    sa.Column('responsiveness', sa.Integer(), nullable=False),
    sa.Column('stayed_out_of_discipline', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('relationships BETWEEN 1 AND 5', name=op.f('ck_principal_feedback_relationships_range')),
    sa.CheckConstraint('responsiveness BETWEEN 1 AND 5', name=op.f('ck_principal_feedback_responsiveness_range')),
    sa.CheckConstraint("stayed_out_of_discipline IN ('yes', 'mostly', 'no')",
                       name=op.f('ck_principal_feedback_discipline_known')),
    sa.ForeignKeyConstraint(['principal_id'], ['users.id'], name=op.f('fk_principal_feedback_principal_id_users')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_principal_feedback_officer_id_users')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_principal_feedback_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_principal_feedback')),
    sa.UniqueConstraint('principal_id', 'officer_id', 'school_id', 'school_year', 'term',
                        name=op.f('uq_principal_feedback_principal_id')),
    )
    op.create_index('ix_principal_feedback_officer_year', 'principal_feedback', ['officer_id', 'school_year'],
                    unique=False)


def downgrade():
    op.drop_index('ix_principal_feedback_officer_year', table_name='principal_feedback')
    op.drop_table('principal_feedback')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('participation')
