"""backup: a consistent copy of the SQLite database, taken while the app runs."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from server.config import operator_name
from server.services.admin.backup import BackupRefused, backup_sqlite


@click.command("backup", help="Write a consistent snapshot of the SQLite database to PATH (a new file).")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    try:
        size = backup_sqlite(path, actor=f"cli:{operator_name()}")
    except BackupRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(f"Backed up to {path} ({size:,} bytes). Restore: stop the app, copy it over the database file.")
