"""records: the involvement and training kinds (issue 13); a training record may have no school.

The kinds are written out here, not read from server/domain/record_kinds.py: a migration
records the schema as it was at this revision, and the module will change again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

KINDS_BEFORE = ('extracurricular_contact', 'introduction', 'principal_meeting', 'activity')
KINDS_AFTER = KINDS_BEFORE + ('involvement', 'training')


def _kind_check(kinds) -> str:
    return "kind IN ({})".format(", ".join(f"'{kind}'" for kind in kinds))


def upgrade():
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_records_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', _kind_check(KINDS_AFTER))
        batch_op.alter_column('school_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Records of the new kinds cannot be kept under the old constraint: the downgrade refuses to
    # run over them (the CHECK and NOT NULL fail) rather than deleting an officer's records.
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.alter_column('school_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(batch_op.f('ck_records_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', _kind_check(KINDS_BEFORE))
