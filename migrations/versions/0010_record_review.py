"""records: supervisor review state, late entries and month sign-offs (issue 14)

- records.review_status / review_comment / reviewed_by_id / reviewed_at: a supervisor's decision
  on the record (submitted, approved, needs_correction); every record starts `submitted`.
- records.late_entry: first saved more than LATE_ENTRY_DAYS after the event (docs/reports.md).
  Existing records are judged here with the default of 7 days.
- month_signoffs: a supervisor's frozen figures for one officer-month; a re-sign-off after
  amendments is a new row with the next sequence number, the older one kept.
- records.amended_signoff_id: the sign-off in force when the officer last changed or voided the
  record ("amended after sign-off").
- month_signoff_amendments: every sign-off a record amended (a record moved from one signed-off
  month to another amends both), so each sign-off counts and lists its own.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

LATE_AFTER = timedelta(days=7)  # the setting's default when this revision was written


def upgrade():
    op.create_table('month_signoffs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.CheckConstraint('sequence >= 1', name=op.f('ck_month_signoffs_sequence_positive')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_month_signoffs_officer_id_users')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_month_signoffs_signed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_signoffs')),
    sa.UniqueConstraint('officer_id', 'month', 'sequence', name=op.f('uq_month_signoffs_officer_id')),
    )
    op.create_table('month_signoff_amendments',
    sa.Column('signoff_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['signoff_id'], ['month_signoffs.id'],
                            name=op.f('fk_month_signoff_amendments_signoff_id_month_signoffs')),
    sa.PrimaryKeyConstraint('signoff_id', 'record_id', name=op.f('pk_month_signoff_amendments')),
    )
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_status', sa.String(length=20), server_default='submitted',
                                      nullable=False))
        batch_op.add_column(sa.Column('review_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('late_entry', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('amended_signoff_id', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'review_known', "review_status IN ('submitted', 'approved', 'needs_correction')")
        batch_op.create_foreign_key(batch_op.f('fk_records_reviewed_by_id_users'), 'users',
                                    ['reviewed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_records_amended_signoff_id_month_signoffs'), 'month_signoffs',
                                    ['amended_signoff_id'], ['id'])
        batch_op.create_index('ix_records_owner_review', ['owner_id', 'review_status'], unique=False)
    _judge_late_entries()


def _judge_late_entries():
    """Existing records: late when first saved (created_at) more than 7 days after the event.

    One set-based UPDATE in the database, never the records streamed through Python: at state
    scale the table holds tens of millions of rows. The date arithmetic is each engine's own:
    PostgreSQL subtracts the two timestamps to an interval (exact to the microsecond, as the
    service's `created_at - occurred_at > timedelta(days=7)`); SQLite has no interval type, so the
    difference of the two julianday numbers is taken in whole milliseconds (julianday keeps
    milliseconds; rounding absorbs its floating-point error, so exactly 7 days is not late).
    """
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        late = "created_at - occurred_at > make_interval(days => :days)"
    else:
        late = "round((julianday(created_at) - julianday(occurred_at)) * 86400000) > :days * 86400000"
    connection.execute(sa.text(f"UPDATE records SET late_entry = true WHERE {late}"),
                       {"days": LATE_AFTER.days})


def downgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_owner_review')
        batch_op.drop_constraint(batch_op.f('fk_records_amended_signoff_id_month_signoffs'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_records_reviewed_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_records_review_known'), type_='check')
        batch_op.drop_column('amended_signoff_id')
        batch_op.drop_column('late_entry')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review_comment')
        batch_op.drop_column('review_status')
    op.drop_table('month_signoff_amendments')
    op.drop_table('month_signoffs')
