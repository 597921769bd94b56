"""users, schools and assign: administration from the command line, each action audited."""

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from server.config import operator_name
from server.extensions import db
from server.models import ROLES, OfficerAssignment, School, User
from server.services.admin import by_name as admin
from server.domain.passwords import MIN_LENGTH


def _actor() -> str:
    return f"cli:{operator_name()}"


def _run(work, done: str) -> None:
    try:
        work()
    except admin.AdminError as refusal:
        raise click.ClickException(str(refusal)) from refusal
    click.echo(done)


def _password_option(help_text: str):
    return click.option(
        "--password", prompt=True, hide_input=True, confirmation_prompt=True,
        help=f"{help_text} At least {MIN_LENGTH} characters, not a common password. Prompted for when omitted.",
    )


DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value) -> date | None:
    return value.date() if value is not None else None


# --- users --------------------------------------------------------------------------

@click.group("users", help="Create users, set passwords, deactivate accounts.")
def users() -> None:
    pass


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Display name, e.g. 'Officer Jordan Ellis'.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@_password_option("Initial password.")
@with_appcontext
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create an active user."""
    _run(lambda: admin.create_user(email, name, role, password, actor=_actor()),
         f"Created {role} {User.normalise_email(email)}.")


@users.command("set-password")
@click.option("--email", required=True)
@_password_option("New password.")
@with_appcontext
def users_set_password(email: str, password: str) -> None:
    """Set a new password; ends the user's open sessions and clears a lockout."""
    _run(lambda: admin.set_password(email, password, actor=_actor()),
         f"Password changed for {User.normalise_email(email)}; their open sessions have ended.")


@users.command("deactivate")
@click.option("--email", required=True)
@with_appcontext
def users_deactivate(email: str) -> None:
    """Stop a user from signing in (records are kept); ends their open sessions."""
    _run(lambda: admin.deactivate_user(email, actor=_actor()), f"Deactivated {User.normalise_email(email)}.")


@users.command("reset-second-factor")
@click.option("--email", required=True)
@with_appcontext
def users_reset_second_factor(email: str) -> None:
    """Remove a user's authenticator app and recovery codes (a lost phone); ends their sessions."""
    _run(lambda: admin.reset_second_factor(email, actor=_actor()),
         f"Authenticator app removed for {User.normalise_email(email)}; they sign in with their password and "
         "set up a new one.")


@users.command("list")
@with_appcontext
def users_list() -> None:
    """Every user with role and status."""
    for user in db.session.scalars(select(User).order_by(User.role, User.email)):
        status = "active" if user.active else "deactivated"
        click.echo(f"{user.id:>4}  {user.role:<10}  {status:<11}  {user.email:<32}  {user.name}")


# --- schools ------------------------------------------------------------------------

@click.group("schools", help="Create schools and their term calendars.")
def schools() -> None:
    pass


@schools.command("create")
@click.option("--name", required=True)
@click.option("--code", required=True, help="Short unique code, e.g. NHS.")
@click.option("--timezone", default="America/Chicago", show_default=True, help="IANA time zone.")
@with_appcontext
def schools_create(name: str, code: str, timezone: str) -> None:
    """Create a school."""
    _run(lambda: admin.create_school(name, code, timezone, actor=_actor()), f"Created school {code} ({name}).")


@schools.command("add-term")
@click.option("--school", "code", required=True, help="School code.")
@click.option("--year", "school_year", required=True, help="School year, e.g. 2026-2027.")
@click.option("--name", required=True, help="e.g. 'Fall semester'.")
@click.option("--start", required=True, type=DATE, help="First day, YYYY-MM-DD.")
@click.option("--end", required=True, type=DATE, help="Last day, YYYY-MM-DD.")
@with_appcontext
def schools_add_term(code: str, school_year: str, name: str, start, end) -> None:
    """Add a term (semester): the weeks "in term" that weekly meetings are measured on."""
    _run(lambda: admin.add_term(code, school_year, name, _day(start), _day(end), actor=_actor()),
         f"Added {name} {school_year} to {code}: {_day(start)} to {_day(end)}.")


@schools.command("add-closed-day")
@click.option("--school", "code", required=True, help="School code.")
@click.option("--day", required=True, type=DATE, help="YYYY-MM-DD.")
@click.option("--description", default="", help="e.g. 'Labor Day'.")
@with_appcontext
def schools_add_closed_day(code: str, day, description: str) -> None:
    """Add a non-school day (holiday, in-service day) inside a term."""
    _run(lambda: admin.add_closed_day(code, _day(day), description, actor=_actor()),
         f"{_day(day)} is now a non-school day at {code}.")


@schools.command("list")
@with_appcontext
def schools_list() -> None:
    """Every school with its terms and officers."""
    for school in db.session.scalars(select(School).order_by(School.code)):
        click.echo(f"{school.code:<8}  {school.name}  ({school.timezone})")
        for term in school.terms:
            click.echo(f"          {term.school_year} {term.name}: {term.starts_on} to {term.ends_on}")
        for assignment in db.session.scalars(select(OfficerAssignment).where(OfficerAssignment.school_id == school.id)):
            until = assignment.ends_on or "open"
            click.echo(f"          officer {assignment.officer.email}: {assignment.starts_on} to {until}")


# --- assign -------------------------------------------------------------------------

@click.command("assign")
@click.option("--officer", help="Officer's email: assign to --school from --from (until --until).")
@click.option("--principal", help="Principal's or designee's email: acts for --school.")
@click.option("--supervisor", help="Supervisor's email: supervises --officer.")
@click.option("--school", "code", help="School code.")
@click.option("--from", "starts", type=DATE, help="First day of the assignment, YYYY-MM-DD.")
@click.option("--until", "ends", type=DATE, help="Last day (omit for open-ended).")
@with_appcontext
def assign(officer, principal, supervisor, code, starts, ends) -> None:
    """Link people to schools and officers.

    \b
      assign --officer EMAIL --school CODE --from DATE [--until DATE]
      assign --principal EMAIL --school CODE
      assign --supervisor EMAIL --officer EMAIL
    """
    if supervisor:
        if not officer or principal or code:
            raise click.UsageError("Use: assign --supervisor EMAIL --officer EMAIL")
        _run(lambda: admin.assign_supervisor(supervisor, officer, actor=_actor()),
             f"{supervisor} now supervises {officer}.")
    elif principal:
        if not code or officer:
            raise click.UsageError("Use: assign --principal EMAIL --school CODE")
        _run(lambda: admin.assign_principal(principal, code, actor=_actor()), f"{principal} now acts for {code}.")
    elif officer:
        if not code or starts is None:
            raise click.UsageError("Use: assign --officer EMAIL --school CODE --from DATE [--until DATE]")
        _run(lambda: admin.assign_officer(officer, code, _day(starts), _day(ends), actor=_actor()),
             f"{officer} is assigned to {code} from {_day(starts)}" + (f" until {_day(ends)}." if ends else "."))
    else:
        raise click.UsageError("Give --officer, --principal or --supervisor.")
