"""Published releases (docs/reports.md "Releases"): admin publish and preview, immutability,
corrections, audit, and the public, cacheable, cookie-free reading side."""

from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.factories import post_json
from tests.report_support import push, record

pytestmark = pytest.mark.frozen_now("2026-11-30T10:00:00-06:00")
OCTOBER = {"period_start": "2026-10-01", "period_end": "2026-10-31", "title": "October 2026", "notes": "First."}


def meetings(client, school_id: int, count: int, day: date = date(2026, 10, 7)) -> list[dict]:
    mutations = [record("principal_meeting", school_id, day) for _ in range(count)]
    push(client, mutations)
    return mutations


def publish(world, body: dict = OCTOBER):
    admin = world.client(world.admin)
    return post_json(admin.client, "/api/admin/releases", body, admin.token)


def cell(figures: dict, school_code: str | None, category: str = "principal_meetings", month: str = "2026-10"):
    rows = (figures["program"] if school_code is None else
            next(entry["rows"] for entry in figures["schools"] if entry["school"]["code"] == school_code))
    return next(row["months"][month] for row in rows if row["category"] == category)


def test_a_release_freezes_its_figures_whatever_happens_to_the_records(app, world):
    officer = world.client(world.officer_a)
    first = meetings(officer, world.school_a, 6)
    response = publish(world)
    assert response.status_code == 201, response.get_json()
    release = response.get_json()
    assert cell(release["figures"], "NHS") == 6 and release["method_version"] == "1"
    push(officer, [record("principal_meeting", world.school_a, date(2026, 10, 8)) for _ in range(3)])
    voided = {**first[0], "mutation_id": first[1]["mutation_id"][:-4] + "beef", "base_version": 1,
              "voided": True, "void_reason": "entered twice"}
    officer.push_ok([voided])
    public = app.test_client().get(f"/api/public/releases/{release['id']}").get_json()
    assert public["figures"] == release["figures"]
    preview = world.client(world.admin)
    fresh = post_json(preview.client, "/api/admin/releases/preview", OCTOBER, preview.token).get_json()
    assert cell(fresh["figures"], "NHS") == 8 and fresh["id"] is None


def test_preview_is_what_publishing_stores_and_stores_nothing(app, world):
    meetings(world.client(world.officer_a), world.school_a, 2)
    admin = world.client(world.admin)
    preview = post_json(admin.client, "/api/admin/releases/preview", OCTOBER, admin.token)
    assert preview.status_code == 200
    assert app.test_client().get("/api/public/releases").get_json() == {"releases": []}
    published = publish(world).get_json()
    assert published["figures"] == preview.get_json()["figures"]
    assert cell(published["figures"], "NHS") == "<5"
    assert cell(published["figures"], None) == "x" or cell(published["figures"], None) == "<5"


def test_a_correction_supersedes_and_the_old_release_stays_readable(app, world):
    meetings(world.client(world.officer_a), world.school_a, 5)
    old = publish(world).get_json()
    without_changes = publish(world, {**OCTOBER, "supersedes": old["id"]})
    assert without_changes.status_code == 422 and "changes" in without_changes.get_json()["error"]["fields"]
    correction = publish(world, {**OCTOBER, "title": "October 2026 (corrected)", "supersedes": old["id"],
                                 "changes": "Late meetings added."})
    assert correction.status_code == 201, correction.get_json()
    new = correction.get_json()
    assert new["supersedes"] == old["id"] and new["changes"] == "Late meetings added."
    client = app.test_client()
    assert client.get(f"/api/public/releases/{old['id']}").get_json()["superseded_by"] == new["id"]
    again = publish(world, {**OCTOBER, "supersedes": old["id"], "changes": "Again."})
    assert again.status_code == 409 and list(again.get_json()["error"]["fields"]) == ["supersedes"]
    other_period = publish(world, {**OCTOBER, "period_end": "2026-12-31", "supersedes": new["id"],
                                   "changes": "Wider."})
    assert other_period.status_code == 422 and list(other_period.get_json()["error"]["fields"]) == ["period_start"]
    page = client.get(f"/public/releases/{old['id']}").get_data(as_text=True)
    assert f"/public/releases/{new['id']}" in page


def test_every_release_and_refusal_is_audited(app, world):
    published = publish(world).get_json()
    publish(world, {**OCTOBER, "supersedes": published["id"] + 100, "changes": "No such release."})
    with app.app_context():
        events = db.session.execute(select(AuditEvent.action, AuditEvent.outcome, AuditEvent.actor_id)
                                    .where(AuditEvent.action == "release.publish").order_by(AuditEvent.id)).all()
    assert events == [("release.publish", "success", world.admin), ("release.publish", "failure", world.admin)]


@pytest.mark.parametrize("change, field", [
    ({"period_start": "2026-10-02"}, "period_start"),
    ({"period_end": "2026-10-30"}, "period_end"),
    ({"period_start": "2026-11-01"}, "period_end"),
    ({"period_start": "2026-06-01"}, "period_end"),
    ({"period_start": "not a date"}, "period_start"),
    ({"title": ""}, "title"),
    ({"changes": "Nothing to correct."}, "changes"),
])
def test_a_bad_body_is_a_422_naming_the_field(world, change, field):
    response = publish(world, {**OCTOBER, **change})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["error"]["fields"]) == [field]


@pytest.mark.parametrize("body", [OCTOBER, {**OCTOBER, "period_start": "2026-07-01", "period_end": "2027-06-30"},
                                  {**OCTOBER, "period_end": "2026-12-31"}])
def test_a_month_a_quarter_and_a_school_year_can_be_released(world, body):
    assert publish(world, body).status_code == 201


PUBLIC_URLS = ["/public/", "/public/method", "/public/releases/{id}", "/api/public/releases",
               "/api/public/releases/{id}", "/api/public/releases/{id}.csv"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_responses_are_cacheable_and_never_set_a_session_cookie(world, url):
    release = publish(world).get_json()
    reader = world.client(world.officer_a)  # a signed-in reader's session is neither read nor refreshed
    for client in (world.app.test_client(), reader.client):
        response = client.get(url.format(id=release["id"]))
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"].startswith("public, max-age=")
        etag = response.headers["ETag"]
        again = client.get(url.format(id=release["id"]), headers={"If-None-Match": etag})
        assert again.status_code == 304 and "Set-Cookie" not in again.headers


def test_the_language_switch_is_remembered_in_its_own_cookie(client):
    switched = client.get("/public/?lang=es")
    assert 'lang="es"' in switched.get_data(as_text=True)
    assert switched.headers["Set-Cookie"].startswith("lang=es") and "private" in switched.headers["Cache-Control"]
    assert 'lang="es"' in client.get("/public/method").get_data(as_text=True)
    fresh = client.application.test_client()
    spanish_browser = fresh.get("/public/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert 'lang="es"' in spanish_browser.get_data(as_text=True)
    assert "Accept-Language" in spanish_browser.headers["Vary"] and "Cookie" in spanish_browser.headers["Vary"]


def test_the_csv_is_formula_safe_and_holds_schools_and_the_program(app, world):
    meetings(world.client(world.officer_a), world.school_a, 7)
    release = publish(world).get_json()
    lines = app.test_client().get(f"/api/public/releases/{release['id']}.csv").get_data(as_text=True).splitlines()
    assert lines[0] == "area,school_code,school_name,category,label,2026-10"
    assert any(line.startswith("school,NHS,") and "principal_meetings" in line and line.endswith(",7")
               for line in lines)
    assert any(line.startswith("program,,,principal_meetings,") for line in lines)


def test_an_unknown_release_is_a_404(client):
    assert client.get("/api/public/releases/99").status_code == 404
    assert client.get("/public/releases/99").status_code == 404
