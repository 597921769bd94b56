"""The public report as an anonymous visitor with JavaScript off: read, switch to Spanish, open a
release, download its CSV; and no serious or critical axe-core violation on the public pages."""

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from server.extensions import db
from server.models import Release
from server.services.reporting.disclosure import protect, protect_program_table, protect_table, table_rows
from server.services.reporting.involvements import ACTIONS, BASES
from server.services.reporting.releases import table_row
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PHONE, ROOT, pin_clock
from tests.factories import make_school, make_user

MONTHS = ["2026-09", "2026-10", "2026-11"]
ROWS = [("principal_meetings", "Meetings with the principal or designee"),
        ("introductions", "Introductions to students, staff and parents"),
        ("extracurricular_events", "Extracurricular events attended")]


def _counts() -> list[dict]:
    per_school = {"Northside High": [12, 3, 9], "Southside High": [10, 11, 0]}
    return [{"school": {"code": name[:3].upper(), "name": name},
             "rows": [{"category": key, "label": label, "months": dict(zip(MONTHS, values))}
                      for key, label in ROWS]} for name, values in per_school.items()]


INVOLVEMENTS = {"2026-09": {("crime", "investigation"): 6, ("crime", "arrest"): 2},
               "2026-10": {("discipline", "returned_to_staff"): 8},
               "2026-11": {("welfare_check", "referral_to_services"): 5, ("discipline", "returned_to_staff"): 5}}


def _involvements() -> dict:
    """Northside's involvement table and the program's, protected as releases.involvement_table does."""
    keys = table_rows(BASES, ACTIONS)
    school = [table_row(key) | {"months": {}} for key in keys]
    program = [table_row(key) | {"months": {}} for key in keys]
    for month, cells in INVOLVEMENTS.items():
        published = protect_table(cells, BASES, ACTIONS)
        totals = protect_program_table([(cells, published)], BASES, ACTIONS)
        for school_row, program_row, key in zip(school, program, keys):
            school_row["months"][month], program_row["months"][month] = published[key], totals[key]
    return {"schools": [{"school": {"code": "NOR", "name": "Northside High"}, "rows": school}], "program": program}


TRAINING = {"as_of": "2026-11-30", "school_year": "2026-2027", "officers": 12, "basic_course_percent": 58,
            "course_this_year_percent": "x"}


@pytest.fixture
def release_id(app, live_server) -> int:
    """One fall-quarter release, stored as the admin API stored it under method version 2 (training
    in a quarter, exact): the pages keep showing what each release holds. Method 3's rounded,
    school-year training is checked in tests/api/test_releases.py."""
    admin = make_user(app, "admin", name="Admin")
    make_school(app, "NOR", "Northside High", terms=(), closed_days=())
    schools, program = protect(_counts(), MONTHS)
    with app.app_context():
        release = Release(period_start=date(2026, 9, 1), period_end=date(2026, 11, 30), title="Fall 2026",
                          notes="The first quarter.", method_version="2",
                          released_at=datetime(2026, 11, 30, 15), released_by_id=admin.id,
                          figures={"months": MONTHS, "schools": schools, "program": program,
                                   "involvements": _involvements(), "training": TRAINING, "suppression": {}})
        db.session.add(release)
        db.session.commit()
        return release.id


def test_an_anonymous_reader_without_javascript(browser, live_server, release_id, frozen_now, tmp_path, shots):
    context = pin_clock(browser.new_context(java_script_enabled=False, viewport=PHONE, locale="en-US",
                                            accept_downloads=True), frozen_now)
    page = context.new_page()
    page.goto(f"{live_server}/public/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Latest release: Fall 2026").is_visible()
    program = page.get_by_role("table", name="Program-wide (all schools): counts by category and month")
    northside = page.get_by_role("table", name="Northside High: counts by category and month")
    assert program.get_by_role("cell", name="x", exact=True).count() == 3  # withheld beside Northside's "<5"
    assert northside.get_by_role("cell", name="<5", exact=True).count() == 3
    involved = page.get_by_role("table", name=re.compile("^Involvements by basis and action, program-wide"))
    assert involved.get_by_role("row", name=re.compile("^Crime: arrest")).get_by_role("cell").all_text_contents() \
        == ["x", "0", "0"]  # Northside's "<5" hides the program's cell
    assert page.get_by_role("img", name=re.compile("^Share of officers with each training")).is_visible()
    assert page.get_by_role("row", name=re.compile("^The 120-hour basic SRO course")).get_by_role("cell") \
        .all_text_contents() == ["58"]
    _save(shots(page, "public-en", full_page=True), "public-en.png")

    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Última publicación: Fall 2026").is_visible()
    _save(shots(page, "public-es", full_page=True), "public-es.png")

    page.get_by_role("link", name="Fall 2026").first.click()
    assert page.get_by_role("heading", name="Fall 2026", exact=True).is_visible()
    assert page.locator("html").get_attribute("lang") == "es"  # remembered in the lang cookie
    assert page.get_by_role("heading", name="Intervenciones: motivo y acción").is_visible()
    assert page.get_by_role("row", name=re.compile("^Delito: investigación")).count() == 2  # program and school
    shots(page, "release-es", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = tmp_path / "release.csv"
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0] == "area,school_code,school_name,category,label,2026-09,2026-10,2026-11"
    assert "school,NOR,Northside High,principal_meetings,Meetings with the principal or designee,12,<5,9" in lines
    context.close()


@pytest.mark.parametrize("path", ["/public/", "/public/method", "/public/releases/{id}", "/public/?lang=es",
                                  "/public/releases/{id}?lang=es", "/public/releases/999999", "/public/nothing-here"])
def test_the_public_pages_have_no_serious_accessibility_violations(page, live_server, release_id, path):
    page.goto(live_server + path.format(id=release_id))
    assert_accessible(page, path)


def _save(screenshot: Path, name: str) -> None:
    """A copy for docs/ (the README shows them)."""
    shutil.copy(screenshot, ROOT / "docs" / "screenshots" / name)
