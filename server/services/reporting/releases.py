"""Published releases: the public report frozen per period (docs/reports.md "Releases").

A release stores its figures as computed on the day: nothing recomputes them, so later edits,
voids or late syncs never change what was published. A correction is a new release that
supersedes the old one; the old one stays readable, marked with its successor.
"""

from sqlalchemy import select, true

from server import clock
from server.extensions import db
from server.models import Release, User
from server.domain.release_periods import months_between
from server.services.access.report_scope import ReportScope
from server.services.audit import audited, log_event
from server.database import write_transaction
from server.services.reporting import disclosure
from server.services.reporting.reports import public_counts

# Bump when what a figure counts or how it is suppressed changes; each release keeps its own.
METHOD_VERSION = "1"


class ReleaseRefused(Exception):
    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def figures(actor: User, values: dict) -> dict:
    """The de-identified figures of the period, with disclosure control applied."""
    months = months_between(values["period_start"], values["period_end"])
    counts = public_counts(ReportScope(actor, None, None), values["period_start"], values["period_end"], months)
    schools, program = disclosure.protect(counts, months)
    return {"months": months, "schools": schools, "program": program,
            "suppression": {"below": disclosure.SUPPRESS_BELOW, "primary": disclosure.PRIMARY,
                            "complementary": disclosure.COMPLEMENTARY}}


def _release(actor: User, values: dict, released_at) -> Release:
    """The release these values make, with the period's figures computed now (not yet stored)."""
    return Release(period_start=values["period_start"], period_end=values["period_end"],
                   title=values["title"], notes=values["notes"], changes=values["changes"],
                   supersedes_id=values["supersedes"], method_version=METHOD_VERSION,
                   released_at=released_at, released_by_id=actor.id, figures=figures(actor, values))


def _admin_view(release: Release, actor: User) -> dict:
    return {**as_dict(release), "released_by": {"id": actor.id, "name": actor.name}}


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
        session.add(release)
        session.flush()
        return release

    return _admin_view(audited("release.publish", "release", _details(values), work, refusals=ReleaseRefused,
                               actor=actor), actor)


def _details(values: dict) -> dict:
    return {"period_start": values["period_start"].isoformat(), "period_end": values["period_end"].isoformat(),
            "title": values["title"], "supersedes": values["supersedes"]}


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
