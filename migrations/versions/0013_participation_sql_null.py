"""A record without participation stores SQL NULL, not JSON null (issue 16).

Only semester reviews have a participation (services/sync/participation.py). The column used to
store every other record's None as the JSON document `null`, which a pull then decoded row by row
for nothing; the model now declares JSON(none_as_null=True) and push writes NULL. This turns the
JSON nulls already stored into NULL, so every record reads the same way (both read as None).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _is_json_null() -> str:
    """The condition `participation holds the JSON document null`, as each engine writes it."""
    if op.get_bind().dialect.name == 'postgresql':
        return "json_typeof(participation) = 'null'"
    return "participation = 'null'"  # SQLite keeps JSON as its text


def upgrade():
    op.execute(f"UPDATE records SET participation = NULL WHERE {_is_json_null()}")


def downgrade():
    op.execute("UPDATE records SET participation = 'null' WHERE participation IS NULL")
