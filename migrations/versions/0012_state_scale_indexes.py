"""Reports at state scale (issue 16): indexes for 2,000 officers x a school year.

Measured with bench/scale_bench.py (1.6 million records on PostgreSQL; docs/reports.md
"Indexes" says which index serves which report):

- ix_records_owner_report: the report columns again, behind the officer. A supervisor's
  compliance report reads 20 officers' records kind by kind; ix_records_report leads with
  kind, so PostgreSQL scanned every officer's records of that kind to keep 20 officers' in
  2,000, or fetched all 16,000 rows of the 20 from the heap to keep one kind. Now each query
  reads its officers' rows of its kind from the index alone, and stays so as the years pile
  up (the training query has no lower date bound).
- ix_records_school_occurred also holds voided and duration_minutes: the monthly report's
  minutes per school is read from the index alone instead of the whole table.
- ix_records_late_entry: only late entries (a partial index, nearly empty): the monthly
  report's late-entry row no longer reads the whole table to find a few. Its condition is
  written as each engine writes `late_entry IS true`, so that both planners use it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

OWNER_REPORT = ['owner_id', 'kind', 'subtype', 'occurred_on', 'school_id', 'voided', 'quantity', 'confirmation_status']
SCHOOL_OCCURRED = ['school_id', 'occurred_on']
LATE_ENTRY = {'postgresql_where': sa.text('late_entry IS true'), 'sqlite_where': sa.text('late_entry IS 1')}


def upgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index('ix_records_owner_report', OWNER_REPORT, unique=False)
        batch_op.drop_index('ix_records_school_occurred')
        batch_op.create_index('ix_records_school_occurred', [*SCHOOL_OCCURRED, 'voided', 'duration_minutes'],
                              unique=False)
        batch_op.create_index('ix_records_late_entry', ['occurred_on'], unique=False, **LATE_ENTRY)


def downgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_late_entry')
        batch_op.drop_index('ix_records_school_occurred')
        batch_op.create_index('ix_records_school_occurred', SCHOOL_OCCURRED, unique=False)
        batch_op.drop_index('ix_records_owner_report')
