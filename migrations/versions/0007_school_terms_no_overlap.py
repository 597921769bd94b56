"""school_terms: the database refuses overlapping terms of one school and school year.

The admin service already refuses them (server/domain/calendar.py), but the command line did
not until issue 12, and two admins adding terms at once could both pass the service's check.
A trigger is the check the database can hold on both engines: an exclusion constraint would
need btree_gist, an extension an application role may not be allowed to create. The trigger's
message, school_terms_overlap, is what the service maps back to its usual 409.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Another term of the same school and school year sharing at least one day (ends included).
OVERLAP = """
    SELECT 1 FROM school_terms AS other
    WHERE other.school_id = NEW.school_id AND other.school_year = NEW.school_year
      AND other.starts_on <= NEW.ends_on AND NEW.starts_on <= other.ends_on
"""

SQLITE_UPGRADE = [
    # SQLite writes one transaction at a time, so the check cannot race.
    f"""CREATE TRIGGER school_terms_no_overlap_insert BEFORE INSERT ON school_terms
        WHEN EXISTS ({OVERLAP})
        BEGIN SELECT RAISE(ABORT, 'school_terms_overlap'); END""",
    f"""CREATE TRIGGER school_terms_no_overlap_update
        BEFORE UPDATE OF school_id, school_year, starts_on, ends_on ON school_terms
        WHEN EXISTS ({OVERLAP} AND other.id != NEW.id)
        BEGIN SELECT RAISE(ABORT, 'school_terms_overlap'); END""",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER school_terms_no_overlap_update",
    "DROP TRIGGER school_terms_no_overlap_insert",
]

POSTGRESQL_UPGRADE = [
    f"""CREATE FUNCTION school_terms_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Under READ COMMITTED two writers would each miss the other's new term: locking the
        -- school row makes the term writes of one school take turns.
        PERFORM 1 FROM schools WHERE id = NEW.school_id FOR UPDATE;
        IF EXISTS ({OVERLAP} AND other.id <> NEW.id) THEN
            RAISE EXCEPTION 'school_terms_overlap' USING ERRCODE = 'exclusion_violation';
        END IF;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER school_terms_no_overlap
        BEFORE INSERT OR UPDATE OF school_id, school_year, starts_on, ends_on ON school_terms
        FOR EACH ROW EXECUTE FUNCTION school_terms_no_overlap()""",
]
POSTGRESQL_DOWNGRADE = [
    "DROP TRIGGER school_terms_no_overlap ON school_terms",
    "DROP FUNCTION school_terms_no_overlap()",
]


def _run(statements: dict) -> None:
    for statement in statements[op.get_bind().dialect.name]:
        op.execute(statement)


def upgrade():
    _run({"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRESQL_UPGRADE})


def downgrade():
    _run({"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRESQL_DOWNGRADE})
