"""Published releases: the public report frozen per period (docs/reports.md "Releases").

A release stores its figures as computed on the day: nothing recomputes them, so later edits,
voids or late syncs never change what was published. A correction is a new release that
supersedes the old one; the old one stays readable, marked with its successor.
"""

import hashlib
import json

from sqlalchemy import select, true

from server import clock
from server.extensions import db
from server.models import Release, User
from server.domain.release_periods import is_school_year, months_between
from server.services.access.report_scope import ReportScope
from server.services.audit import audited, log_event
from server.database import write_transaction
from server.errors import Refused
from server.domain.calendar import school_year_of
from server.domain.record_kinds import kind_named
from server.services.reporting import disclosure, involvements
from server.services.reporting.compliance import load_units, training_compliance
from server.services.reporting.reports import csv_text, in_sentence, public_counts, schools_by_name

# Bump when what a figure counts or how it is suppressed changes; each release keeps its own.
# 2: the involvement table (basis x action with its totals) replaces the involvement rows of the
# activity table, training compliance as shares of officers, and a sum with any hidden part is
# always withheld (version 1 showed a sum of 1 to 4 as "<5").
# 3: training only in releases of an ended school year, once per year (later releases of the year
# repeat the first one's), officers rounded to 5 and shares to 10 %: version 2's exact count and
# share per month or quarter let two releases be differenced down to one officer.
METHOD_VERSION = "3"

_INVOLVEMENT = kind_named(involvements.KIND)
BASIS_LABELS = {option.value: option.label for option in _INVOLVEMENT.field("basis").choices}
ACTION_LABELS = {option.value: in_sentence(option.label) for option in _INVOLVEMENT.field("action").choices}


class ReleaseRefused(Refused):
    """A publication refused: 409 (figures changed since the preview, superseded already) or 422."""


def figures(actor: User, values: dict) -> dict:
    """The de-identified figures of the period, with disclosure control applied."""
    starts, ends = values["period_start"], values["period_end"]
    months = months_between(starts, ends)
    scope = ReportScope(actor, None, None)
    counts = [{**entry, "rows": [row for row in entry["rows"] if not _involvement_row(row)]}
              for entry in public_counts(scope, starts, ends, months)]
    schools, program = disclosure.protect(counts, months)
    return {"months": months, "schools": schools, "program": program,
            "involvements": involvement_table(scope, starts, ends, months),
            "training": training_shares(scope, starts, ends),
            "suppression": {"below": disclosure.SUPPRESS_BELOW, "primary": disclosure.PRIMARY,
                            "complementary": disclosure.COMPLEMENTARY}}


def _involvement_row(row: dict) -> bool:
    # Involvements by basis are the involvement table's basis totals: published there, under its
    # rule, and not a second time beside it.
    return row["category"].startswith(involvements.KIND + ".")


def table_row(key: tuple[str | None, str | None]) -> dict:
    basis, action = key
    category = ".".join(["involvement", basis or "all", *([action] if action else [])])
    return {"category": category, "basis": basis, "action": action,
            "label": f"{BASIS_LABELS.get(basis, 'All bases')}: {ACTION_LABELS.get(action, 'all actions')}"}


def involvement_table(scope: ReportScope, starts, ends, months: list[str]) -> dict:
    """Involvements by basis x action per school with involvements and program-wide, per month,
    every total included, protected by disclosure.protect_table."""
    bases, actions = involvements.BASES, involvements.ACTIONS
    found = involvements.counts_by_school_month(scope, starts, ends)
    keys = disclosure.table_rows(bases, actions)
    schools = schools_by_name(school for school in found if school is not None)
    rows_of = {school.id: [table_row(key) | {"months": {}} for key in keys] for school in schools}
    program = [table_row(key) | {"months": {}} for key in keys]
    for month in months:
        per_school = []
        for school in schools:
            cells = found[school.id].get(month, {})
            published = disclosure.protect_table(cells, bases, actions)
            per_school.append((cells, published))
            for row, key in zip(rows_of[school.id], keys):
                row["months"][month] = published[key]
        totals = disclosure.protect_program_table(per_school, bases, actions)
        for row, key in zip(program, keys):
            row["months"][month] = totals[key]
    return {"schools": [{"school": {"code": school.code, "name": school.name}, "rows": rows_of[school.id]}
                        for school in schools],
            "program": program}


def training_shares(scope: ReportScope, starts, ends) -> dict | None:
    """Training compliance of the officers assigned during the school year, as rounded shares
    measured on its last day, in a release of a whole school year that has ended; None in any
    other release (disclosure.training_of_release: once per school year)."""
    school_year = school_year_of(starts)

    def measure() -> dict:
        officers = training_compliance(scope, load_units(scope, starts, ends), school_year, ends)
        met = {"basic_course_percent": "basic_course", "course_this_year_percent": "yearly_course"}
        counts = {rule: sum(1 for officer in officers if officer[measure_name]["status"] == "met")
                  for rule, measure_name in met.items()}
        return {"as_of": ends.isoformat(), "school_year": school_year,
                **disclosure.training_figures(len(officers), counts)}

    ended = is_school_year(starts, ends) and ends < clock.today()
    return disclosure.training_of_release(ended, _first_training(starts, ends) if ended else None, measure)


def _first_training(starts, ends) -> dict | None:
    """The training figures of the first release (of this method) of the school year, if any: every
    later one, a correction too, publishes the same, so no two releases can be differenced."""
    earlier = db.session.scalars(select(Release.figures).where(
        Release.period_start == starts, Release.period_end == ends, Release.method_version == METHOD_VERSION)
        .order_by(Release.released_at, Release.id))
    return next((figures["training"] for figures in earlier if figures.get("training")), None)


def _release(actor: User, values: dict, released_at) -> Release:
    """The release these values make, with the period's figures computed now (not yet stored)."""
    return Release(period_start=values["period_start"], period_end=values["period_end"],
                   title=values["title"], notes=values["notes"], changes=values["changes"],
                   supersedes_id=values["supersedes"], method_version=METHOD_VERSION,
                   released_at=released_at, released_by_id=actor.id, figures=figures(actor, values))


def figures_digest(figures: dict) -> str:
    """A fingerprint of the figures: the preview shows it, publishing can require it unchanged."""
    return hashlib.sha256(json.dumps(figures, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _admin_view(release: Release, actor: User) -> dict:
    return {**as_dict(release), "released_by": {"id": actor.id, "name": actor.name},
            "figures_digest": figures_digest(release.figures)}


def preview(actor: User, values: dict) -> dict:
    """Exactly what publish() would store, stored nowhere (the read is audited)."""
    result = _admin_view(_release(actor, values, released_at=None), actor)
    with write_transaction():
        log_event("release.preview", "success", actor=actor, target="release:preview", details=_details(values))
    return result


def publish(actor: User, values: dict) -> dict:
    """Freeze the period's figures as a new release (a correction when `supersedes` is set)."""
    release = _release(actor, values, released_at=clock.utcnow())

    def work(session):
        _check_supersedes(session, values)
        _check_previewed(release, values)
        session.add(release)
        session.flush()
        return release

    return _admin_view(audited("release.publish", "release", _details(values), work, refusals=ReleaseRefused,
                               actor=actor), actor)


def _details(values: dict) -> dict:
    return {"period_start": values["period_start"].isoformat(), "period_end": values["period_end"].isoformat(),
            "title": values["title"], "supersedes": values["supersedes"]}


def _check_previewed(release: Release, values: dict) -> None:
    # The admin confirms what the preview showed: records synced or edited since then would
    # publish other figures than the ones confirmed.
    if values.get("figures_digest") and values["figures_digest"] != figures_digest(release.figures):
        raise ReleaseRefused(409, "The figures changed since the preview (records were added or changed): "
                                  "preview again, then publish.", "figures_digest")


def _check_supersedes(session, values: dict) -> None:
    if values["supersedes"] is None:
        return
    old = session.get(Release, values["supersedes"], with_for_update=True)
    if old is None:
        raise ReleaseRefused(422, "No release has this id.", "supersedes")
    if (old.period_start, old.period_end) != (values["period_start"], values["period_end"]):
        raise ReleaseRefused(422, "A correction covers the same period as the release it supersedes.",
                             "period_start")
    if session.scalar(select(Release.id).where(Release.supersedes_id == old.id)) is not None:
        raise ReleaseRefused(409, "This release has already been superseded: correct the newer one.", "supersedes")


# --- reading ------------------------------------------------------------------------------------

def _successors() -> dict[int, int]:
    return dict(db.session.execute(
        select(Release.supersedes_id, Release.id).where(Release.supersedes_id.is_not(None))).all())


def as_dict(release: Release, superseded_by: int | None = None, with_figures: bool = True) -> dict:
    result = {"id": release.id, "title": release.title, "notes": release.notes,
              "period_start": release.period_start, "period_end": release.period_end,
              "released_at": release.released_at, "method_version": release.method_version,
              "supersedes": release.supersedes_id, "superseded_by": superseded_by, "changes": release.changes}
    if with_figures:
        result["figures"] = release.figures
    return result


def list_releases() -> list[dict]:
    """Every release, newest first, without figures (the archive)."""
    successors = _successors()
    rows = db.session.scalars(select(Release).order_by(Release.released_at.desc(), Release.id.desc()))
    return [as_dict(release, successors.get(release.id), with_figures=False) for release in rows]


def get_release(release_id: int) -> dict | None:
    release = db.session.get(Release, release_id)
    if release is None:
        return None
    return as_dict(release, _successors().get(release_id))


def latest_by_school() -> tuple[dict | None, list[tuple[dict, dict]]]:
    """The newest current (not superseded) release, and for each school the newest current
    release that holds it: (release, that school's entry), schools by name."""
    current = _current_releases()
    latest = current[0] if current else None
    by_school: dict[str, tuple[dict, dict]] = {}
    for release in current:
        for entry in release["figures"]["schools"]:
            by_school.setdefault(entry["school"]["code"], (release, entry))
    return latest, sorted(by_school.values(), key=lambda pair: pair[1]["school"]["name"])


def _current_releases() -> list[dict]:
    """Current releases, the latest period first (then the latest published)."""
    superseded = set(_successors())
    rows = db.session.scalars(select(Release).where(Release.id.not_in(superseded) if superseded else true())
                              .order_by(Release.period_end.desc(), Release.released_at.desc(), Release.id.desc()))
    return [as_dict(release) for release in rows]


# --- CSV ---------------------------------------------------------------------------------------

TRAINING_LINES = (("officers", "Officers assigned during the period"),
                  ("basic_course_percent", "Percent of officers with the 120-hour basic SRO course"),
                  ("course_this_year_percent", "Percent of officers with an SRO course this school year"))


def _training_lines(training: dict) -> tuple[tuple[str, str], ...]:
    """Method 3: school-year releases only, rounded as `rounding` says (disclosure.training_figures);
    the labels say so."""
    rounding = training.get("rounding")
    if not rounding:
        return TRAINING_LINES
    officers, percent = rounding["officers"], rounding["percent"]
    return (("officers", f"Officers assigned during the school year (to the nearest {officers})"),
            ("basic_course_percent",
             f"Percent of officers with the 120-hour basic SRO course (to the nearest {percent})"),
            ("course_this_year_percent",
             f"Percent of officers with an SRO course this school year (to the nearest {percent})"))


def _table_lines(months: list[str], schools: list[dict], program: list[dict]) -> list[list]:
    lines = [["school", entry["school"]["code"], entry["school"]["name"], row["category"], row["label"],
              *(row["months"][month] for month in months)]
             for entry in schools for row in entry["rows"]]
    return lines + [["program", "", "", row["category"], row["label"], *(row["months"][month] for month in months)]
                    for row in program]


def release_csv_text(figures: dict) -> str:
    """A release's figures as CSV: the activity table, then the involvement table (method 2), then
    training when the release has it (method 3: school-years only): a training figure is measured
    on the period's last day, so it sits in the last month's column."""
    months = figures["months"]
    lines = _table_lines(months, figures["schools"], figures["program"])
    if "involvements" in figures:
        lines += _table_lines(months, figures["involvements"]["schools"], figures["involvements"]["program"])
    training = figures.get("training")
    if training:
        lines += [["program", "", "", f"training.{key}", label, *([""] * (len(months) - 1)), training[key]]
                  for key, label in _training_lines(training)]
    return csv_text(["area", "school_code", "school_name", "category", "label", *months], lines)
