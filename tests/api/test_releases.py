"""Published releases (docs/reports.md "Releases"): admin publish and preview, immutability,
corrections, audit, and the public, cacheable, cookie-free reading side."""

from datetime import date

import pytest
from sqlalchemy import select

from babel.messages.mofile import read_mo

from server import create_app
from server.extensions import db
from server.i18n import TRANSLATIONS_DIR
from server.models import AuditEvent
from server.public_http import PUBLIC_LIMIT
from server.services.reporting.releases import ACTION_LABELS, BASIS_LABELS
from server.services.reporting.reports import PUBLIC_ROWS
from tests.factories import assign_officer, make_user, post_json
from tests.report_support import push, record, training

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
    assert cell(release["figures"], "NHS") == 6 and release["method_version"] == "3"
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


def test_publishing_what_was_previewed_is_refused_when_the_figures_changed_since(world):
    officer = world.client(world.officer_a)
    meetings(officer, world.school_a, 6)
    admin = world.client(world.admin)
    digest = post_json(admin.client, "/api/admin/releases/preview", OCTOBER, admin.token).get_json()["figures_digest"]
    meetings(officer, world.school_a, 1)
    stale = publish(world, {**OCTOBER, "figures_digest": digest})
    assert stale.status_code == 409 and list(stale.get_json()["error"]["fields"]) == ["figures_digest"]
    fresh = post_json(admin.client, "/api/admin/releases/preview", OCTOBER, admin.token).get_json()
    published = publish(world, {**OCTOBER, "figures_digest": fresh["figures_digest"]})
    assert published.status_code == 201 and published.get_json()["figures"] == fresh["figures"]
    assert cell(published.get_json()["figures"], "NHS") == 7


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


# --- involvements and training (method version 2) -------------------------------------------

def involvements(client, school_id: int, basis: str, action: str, count: int, day: date = date(2026, 10, 7)):
    reason = {"exception_reason": "A weapon was found."} if basis == "discipline" and action == "arrest" else {}
    push(client, [record("involvement", school_id, day, requested_by="teacher", basis=basis, action=action,
                         students_involved=1, **reason) for _ in range(count)])


def row(rows: list[dict], category: str, month: str = "2026-10"):
    return next(item["months"][month] for item in rows if item["category"] == category)


def test_involvements_by_basis_and_action_with_every_total_protected(app, world):
    officer_a, officer_b = world.client(world.officer_a), world.client(world.officer_b)
    involvements(officer_a, world.school_a, "crime", "investigation", 6)
    involvements(officer_a, world.school_a, "crime", "arrest", 2)
    involvements(officer_a, world.school_a, "discipline", "returned_to_staff", 5)
    involvements(officer_b, world.school_b, "discipline", "returned_to_staff", 7)
    figures = publish(world).get_json()["figures"]
    assert not any(line["category"].startswith("involvement.") for line in figures["program"])  # not twice
    table = figures["involvements"]
    nhs = next(entry["rows"] for entry in table["schools"] if entry["school"]["code"] == "NHS")
    assert row(nhs, "involvement.crime.investigation") == 6 and row(nhs, "involvement.crime.arrest") == "<5"
    assert row(nhs, "involvement.crime") == "x"  # 8 = 6 + "<5": it would give the 2 away
    assert row(nhs, "involvement.all.arrest") == "x" and row(nhs, "involvement.all") == "x"
    assert row(nhs, "involvement.discipline") == 5 and row(nhs, "involvement.all.returned_to_staff") == 5
    assert row(nhs, "involvement.other.advice_only") == 0
    program = table["program"]
    assert row(program, "involvement.discipline.returned_to_staff") == 12  # both schools published
    assert row(program, "involvement.crime.investigation") == 6
    assert row(program, "involvement.crime.arrest") == "x" and row(program, "involvement.all") == "x"
    labels = {line["category"]: line["label"] for line in program}
    assert labels["involvement.discipline.returned_to_staff"] == "Discipline: returned to school staff"
    assert labels["involvement.all"] == "All bases: all actions"


YEAR = {"period_start": "2026-07-01", "period_end": "2027-06-30", "title": "2026-2027", "notes": ""}


def officers_trained(world, school_id: int, count: int, basic_course: int, starts_on=date(2026, 8, 1)) -> None:
    """`count` more officers assigned to the school; the first `basic_course` of them log the basic
    course (which is also their SRO course of the year)."""
    for n in range(count):
        officer = make_user(world.app, "officer")
        assign_officer(world.app, officer, school_id, starts_on)
        if n < basic_course:
            course = training(date(2026, 9, 15), course="Basic SRO", provider="state_academy", hours=120,
                              basic_course=True)  # at the academy, not a school
            push(world.client(officer.id), [course])


def test_training_is_published_only_for_an_ended_school_year(world):
    # A month, a quarter, or a school year not over yet: officer groups that differ by one officer
    # from release to release, so none of them publishes training.
    for period in (OCTOBER, {**OCTOBER, "period_start": "2026-10-01", "period_end": "2026-12-31"}, YEAR):
        assert publish(world, period).get_json()["figures"]["training"] is None


@pytest.mark.frozen_now("2027-07-15T10:00:00-05:00")
def test_a_school_years_training_is_rounded_and_every_later_release_repeats_it(world):
    officers_trained(world, world.school_a, 10, basic_course=7)  # with the world's 2: 7 of 12
    first = publish(world, YEAR).get_json()
    assert first["figures"]["training"] == {
        "as_of": "2027-06-30", "school_year": "2026-2027", "officers": 10, "basic_course_percent": 60,
        "course_this_year_percent": 60, "rounding": {"officers": 5, "percent": 10}}
    for period in (OCTOBER, {**OCTOBER, "period_start": "2027-04-01", "period_end": "2027-06-30"}):
        assert publish(world, period).get_json()["figures"]["training"] is None
    # One more officer, with the course: 8 of 13 is 60 %, 7 of 13 would be 50 %. Published anew, the
    # share would tell which; every later release of the year, a correction too, repeats the first.
    officers_trained(world, world.school_b, 1, basic_course=1, starts_on=date(2027, 3, 1))
    correction = publish(world, {**YEAR, "supersedes": first["id"], "changes": "A late course."}).get_json()
    another = publish(world, {**YEAR, "title": "2026-2027 again"}).get_json()
    assert correction["figures"]["training"] == another["figures"]["training"] == first["figures"]["training"]


@pytest.mark.frozen_now("2027-07-15T10:00:00-05:00")
def test_a_small_group_publishes_no_share(world):
    officers_trained(world, world.school_a, 4, basic_course=2)  # 6 officers, 2 with the course
    training = publish(world, YEAR).get_json()["figures"]["training"]
    assert (training["officers"], training["basic_course_percent"], training["course_this_year_percent"]) == (
        5, "x", "x")


def test_the_csv_and_the_pages_hold_the_involvements_and_training(app, world):
    involvements(world.client(world.officer_a), world.school_a, "crime", "investigation", 6)
    release = publish(world).get_json()
    client = app.test_client()
    lines = client.get(f"/api/public/releases/{release['id']}.csv").get_data(as_text=True).splitlines()
    assert "school,NHS,NHS High School,involvement.crime.investigation,Crime: investigation,6" in lines
    assert "program,,,involvement.all,All bases: all actions,6" in lines
    assert not [line for line in lines if ",training." in line]  # a month publishes no training
    spanish = client.get(f"/public/releases/{release['id']}?lang=es").get_data(as_text=True)
    assert "Delito: investigación" in spanish
    assert "La formación solo se publica en la versión de un curso escolar completo ya terminado." in spanish
    assert "Delito: detención" not in spanish  # a row that is 0 in every month is left off the page
    index = client.get("/public/?lang=en").get_data(as_text=True)
    assert "Involvements by basis and action, program-wide" in index and "Crime: investigation" in index


def test_every_published_label_has_its_spanish():
    with open(TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.mo", "rb") as compiled:
        catalog = read_mo(compiled)
    labels = [label for key, label, *_ in PUBLIC_ROWS if not key.startswith("involvement.")]
    labels += [*BASIS_LABELS.values(), *ACTION_LABELS.values(), "All bases", "all actions"]
    assert [label for label in labels if not (label in catalog and catalog[label].string)] == []


# --- errors: a page on the public site, the JSON envelope on the API -------------------------------

def test_a_missing_public_page_is_a_page_in_the_readers_language(client):
    for path in ("/public/releases/99", "/public/no-such-page"):
        english = client.get(path, headers={"Accept-Language": "en"})
        assert english.status_code == 404 and english.mimetype == "text/html"
        body = english.get_data(as_text=True)
        assert "<h1>Page not found</h1>" in body and 'href="/public/method"' in body  # the site's layout
        # never kept by a shared cache (the PWA's catch-all route answers the second with no-cache)
        assert english.headers["Cache-Control"] in ("no-store", "no-cache") and "Set-Cookie" not in english.headers
        assert "default-src" in english.headers["Content-Security-Policy"]
    spanish = client.get("/public/releases/99", headers={"Accept-Language": "es"})
    assert spanish.status_code == 404 and "<h1>Página no encontrada</h1>" in spanish.get_data(as_text=True)
    data = client.get("/api/public/releases/99")
    assert data.status_code == 404 and data.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/no-such-route").get_json()["error"]["code"] == "not_found"


def test_too_many_requests_is_a_page_on_the_site_and_json_on_the_api(database_url):
    limited = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True})
    allowed = int(PUBLIC_LIMIT.split()[0])
    client = limited.test_client()
    for path in ("/public/method", "/api/public/releases"):
        answers = [client.get(path, environ_base={"REMOTE_ADDR": "10.0.9.1"}).status_code for _ in range(allowed)]
        assert set(answers) == {200}
    page = client.get("/public/method", headers={"Accept-Language": "es"}, environ_base={"REMOTE_ADDR": "10.0.9.1"})
    assert page.status_code == 429 and page.mimetype == "text/html" and page.headers["Cache-Control"] == "no-store"
    assert "<h1>Demasiadas solicitudes</h1>" in page.get_data(as_text=True)
    data = client.get("/api/public/releases", environ_base={"REMOTE_ADDR": "10.0.9.1"})
    assert data.status_code == 429 and data.get_json()["error"]["code"] == "too_many_requests"
    other = client.get("/public/method", environ_base={"REMOTE_ADDR": "10.0.9.2"})
    assert other.status_code == 200


@pytest.mark.frozen_now("2027-07-15T10:00:00-05:00")
def test_a_school_years_csv_and_pages_hold_its_rounded_training(app, world):
    officers_trained(world, world.school_a, 10, basic_course=7)
    release = publish(world, YEAR).get_json()
    client = app.test_client()
    lines = client.get(f"/api/public/releases/{release['id']}.csv").get_data(as_text=True).splitlines()
    assert ("program,,,training.basic_course_percent,"
            "Percent of officers with the 120-hour basic SRO course (to the nearest 10)" + "," * 12 + "60") in lines
    english = client.get(f"/public/releases/{release['id']}?lang=en").get_data(as_text=True)
    assert "to the nearest 5: 10." in english and "to the nearest 10 %" in english
    spanish = client.get(f"/public/releases/{release['id']}?lang=es").get_data(as_text=True)
    assert "Formación de los agentes" in spanish and "redondeado a 5: 10." in spanish
    method = client.get("/public/method?lang=es").get_data(as_text=True)
    assert "nunca pueden compararse para mostrar la formación de un agente" in method
