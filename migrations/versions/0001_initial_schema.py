"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23

Schools and term calendars, users and roles, assignments, synced records with
their append-only revisions, applied mutations, the single-row change counter
(seeded with 0) and the audit trail.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('change_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_change_counter_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_counter'))
    )
    op.create_table('schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools')),
    sa.UniqueConstraint('code', name=op.f('uq_schools_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('officer', 'principal', 'supervisor', 'admin')", name=op.f('ck_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('applied_mutations',
    sa.Column('mutation_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=100), nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_applied_mutations_user_id_users')),
    sa.PrimaryKeyConstraint('mutation_id', name=op.f('pk_applied_mutations'))
    )
    with op.batch_alter_table('applied_mutations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applied_mutations_user_id'), ['user_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('non_school_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_non_school_days_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_non_school_days')),
    sa.UniqueConstraint('school_id', 'day', name=op.f('uq_non_school_days_school_id'))
    )
    with op.batch_alter_table('non_school_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_non_school_days_school_id'), ['school_id'], unique=False)

    op.create_table('officer_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_officer_assignments_dates_ordered')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_officer_assignments_officer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_officer_assignments_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_assignments'))
    )
    with op.batch_alter_table('officer_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officer_assignments_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_officer_assignments_school_id'), ['school_id'], unique=False)

    op.create_table('principal_schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principal_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['principal_id'], ['users.id'], name=op.f('fk_principal_schools_principal_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_principal_schools_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_principal_schools')),
    sa.UniqueConstraint('principal_id', 'school_id', name=op.f('uq_principal_schools_principal_id'))
    )
    with op.batch_alter_table('principal_schools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_principal_schools_principal_id'), ['principal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_principal_schools_school_id'), ['school_id'], unique=False)

    op.create_table('record_revisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=100), nullable=True),
    sa.Column('mutation_id', sa.Uuid(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('accepted', 'rejected_conflict')", name=op.f('ck_record_revisions_outcome_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_record_revisions_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_revisions'))
    )
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_record_revisions_record', ['record_id', 'id'], unique=False)

    op.create_table('records',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('utc_offset_minutes', sa.Integer(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('subtype', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('voided', sa.Boolean(), nullable=False),
    sa.Column('void_reason', sa.String(length=500), nullable=True),
    sa.Column('confirmation_status', sa.String(length=10), nullable=True),
    sa.Column('confirmation_comment', sa.Text(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_version', sa.Integer(), nullable=True),
    sa.Column('last_device_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('change_seq', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("confirmation_status IS NULL OR confirmation_status IN ('pending', 'confirmed', 'disputed')", name=op.f('ck_records_confirmation_known')),
    sa.CheckConstraint("kind IN ('extracurricular_contact', 'introduction', 'principal_meeting', 'activity')", name=op.f('ck_records_kind_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_records_version_positive')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_records_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_records_owner_id_users')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_records_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_records'))
    )
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_records_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('ix_records_kind_subtype_occurred', ['kind', 'subtype', 'occurred_on'], unique=False)
        batch_op.create_index('ix_records_owner_occurred', ['owner_id', 'occurred_on'], unique=False)
        batch_op.create_index('ix_records_school_occurred', ['school_id', 'occurred_on'], unique=False)

    op.create_table('school_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_school_terms_term_dates_ordered')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_terms_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_terms')),
    sa.UniqueConstraint('school_id', 'school_year', 'name', name=op.f('uq_school_terms_school_id'))
    )
    with op.batch_alter_table('school_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_terms_school_id'), ['school_id'], unique=False)

    op.create_table('supervisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_supervisions_officer_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supervisor_id'], ['users.id'], name=op.f('fk_supervisions_supervisor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisions')),
    sa.UniqueConstraint('supervisor_id', 'officer_id', name=op.f('uq_supervisions_supervisor_id'))
    )
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisions_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisions_supervisor_id'), ['supervisor_id'], unique=False)

    change_counter = sa.table('change_counter', sa.column('id', sa.Integer), sa.column('value', sa.BigInteger))
    op.bulk_insert(change_counter, [{'id': 1, 'value': 0}])


def downgrade():
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisions_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_supervisions_officer_id'))

    op.drop_table('supervisions')
    with op.batch_alter_table('school_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_terms_school_id'))

    op.drop_table('school_terms')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index('ix_records_school_occurred')
        batch_op.drop_index('ix_records_owner_occurred')
        batch_op.drop_index('ix_records_kind_subtype_occurred')
        batch_op.drop_index(batch_op.f('ix_records_change_seq'))

    op.drop_table('records')
    with op.batch_alter_table('record_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_record_revisions_record')

    op.drop_table('record_revisions')
    with op.batch_alter_table('principal_schools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_principal_schools_school_id'))
        batch_op.drop_index(batch_op.f('ix_principal_schools_principal_id'))

    op.drop_table('principal_schools')
    with op.batch_alter_table('officer_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officer_assignments_school_id'))
        batch_op.drop_index(batch_op.f('ix_officer_assignments_officer_id'))

    op.drop_table('officer_assignments')
    with op.batch_alter_table('non_school_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_non_school_days_school_id'))

    op.drop_table('non_school_days')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    with op.batch_alter_table('applied_mutations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applied_mutations_user_id'))

    op.drop_table('applied_mutations')
    op.drop_table('users')
    op.drop_table('schools')
    op.drop_table('change_counter')
