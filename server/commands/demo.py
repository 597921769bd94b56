"""seed-demo: two schools, six demo accounts and a realistic school year of records."""

import click
from flask import current_app
from flask.cli import with_appcontext

from server.seed import demo


def _print_accounts(accounts, password: str) -> None:
    if not accounts:
        return
    click.echo("Demo accounts:")
    for account in accounts:
        click.echo(f"  {account.email:<22} {account.role:<10} {account.note}")
    click.echo(f"Password for every demo account: {password}")


@click.command("seed-demo")
@click.option("--password", default=demo.DEMO_PASSWORD, show_default=True,
              help="Password for the six demo accounts (used only when an account is created).")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already has users (make run uses this).")
@click.option("--force", is_flag=True,
              help="Seed even under SRO_ENV=production (the demo accounts' password is published).")
@with_appcontext
def seed_demo(password: str, if_empty: bool, force: bool) -> None:
    """Demo data: schools NHS and LMS with their 2026-2027-style calendars, the demo accounts and their
    records from term start to yesterday (in the summer break, the whole year that has just ended).
    Safe to run twice: the second run changes nothing."""
    if current_app.config["ENV_NAME"] == "production" and not force:
        raise click.ClickException(
            "Refusing to add demo accounts to a production server: their password is published, and "
            "admin@demo.test would be an administrator anyone can sign in as. Use --force on a throwaway "
            "copy only.")
    if if_empty and demo.database_has_users():
        click.echo("The database already has users: demo data not added.")
        _print_accounts(demo.existing_demo_accounts(), password)
        return
    try:
        outcome = demo.seed_demo(password)
    except demo.DemoError as error:
        raise click.ClickException(str(error)) from error
    if outcome.changed:
        click.echo(f"Demo data added: {len(outcome.created)} schools/calendar entries/accounts/links, "
                   f"{outcome.records} records, {outcome.decisions} principal decisions.")
    else:
        click.echo("Demo data already present: nothing changed.")
    _print_accounts(demo.existing_demo_accounts(), password)
