"""Monthly activity report and public report: contents, CSV, "<5" suppression, scoping, audit."""

import csv
import io
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from server.services.reporting.disclosure import primary as suppress
from tests.report_support import push, record

YEAR = "2026-2027"
MONTHS = ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
          "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]


@pytest.fixture
def world(world):
    """The shared `world` with a school year of records: officer A's at school A (one voided),
    officer B's at school B."""
    officer = world.client(world.officer_a)
    voided = record("activity", world.school_a, date(2026, 9, 9), activity_type="classroom_presentation", count=10)
    push(officer, [
        *(record("activity", world.school_a, date(2026, 9, day), activity_type="classroom_presentation", count=2,
                 topic="SECRET-TOPIC") for day in (1, 2, 3)),
        record("activity", world.school_a, date(2026, 10, 5), activity_type="counseling_student", count=1),
        record("activity", world.school_a, date(2026, 10, 6), activity_type="safety_audit", count=5),
        record("activity", world.school_a, date(2026, 10, 7), activity_type="arrest", count=4),
        record("extracurricular_contact", world.school_a, date(2026, 9, 11), students_contacted=40,
               event_name="SECRET-EVENT", location="SECRET-PLACE", notes="SECRET-NOTE"),
        record("extracurricular_contact", world.school_a, date(2026, 9, 18), students_contacted=40),
        record("introduction", world.school_a, date(2026, 8, 20), audience="new_students", people_count=300),
        record("principal_meeting", world.school_a, date(2026, 10, 14), attendee_name="SECRET-NAME"),
        voided,
    ])
    push(officer, [dict(voided, mutation_id=str(uuid.uuid4()), base_version=1, voided=True, void_reason="Typo")])
    push(world.client(world.officer_b), [
        record("activity", world.school_b, date(2026, 9, 4), activity_type="classroom_presentation", count=7),
    ])
    return world


def get(client, path, **params):
    return client.client.get(path, query_string={"school_year": YEAR, **params})


def rows_by_category(body):
    return {row["category"]: row for row in body["rows"]}


def test_suppression_rule():
    assert [suppress(n) for n in (0, 1, 2, 3, 4, 5, 6, 100)] == [0, "<5", "<5", "<5", "<5", 5, 6, 100]


def test_monthly_report_rows_are_kinds_and_categories_columns_are_months(world):
    body = get(world.client(world.admin), "/api/reports/monthly", officer_id=world.officer_a).get_json()
    assert body["months"] == MONTHS
    rows = rows_by_category(body)
    presentations = rows["activity.classroom_presentation"]
    assert presentations["months"]["2026-09"] == 6 and presentations["total"] == 6  # the voided 10 never counts
    assert presentations["measure"] == "quantity"
    assert rows["activity"]["total"] == 6 + 1 + 5 + 4
    assert rows["extracurricular_contact"]["months"]["2026-09"] == 2
    assert rows["extracurricular_contact.athletic"]["months"]["2026-09"] == 2
    assert rows["extracurricular_contact.students"]["months"]["2026-09"] == 80
    assert rows["introduction.new_students"]["months"]["2026-08"] == 1
    assert rows["introduction.people"]["total"] == 300
    assert rows["principal_meeting"]["months"]["2026-10"] == 1
    assert body["filters"] == {"officer_id": world.officer_a, "school_id": None}


def test_monthly_report_for_all_and_for_one_school(world):
    admin = world.client(world.admin)
    everything = rows_by_category(get(admin, "/api/reports/monthly").get_json())
    assert everything["activity.classroom_presentation"]["months"]["2026-09"] == 13
    school_b = rows_by_category(get(admin, "/api/reports/monthly", school_id=world.school_b).get_json())
    assert school_b["activity.classroom_presentation"]["total"] == 7
    assert school_b["principal_meeting"]["total"] == 0


def test_monthly_csv_headers_and_contents(world):
    response = get(world.client(world.admin), "/api/reports/monthly.csv", officer_id=world.officer_a)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="sro-monthly-2026-2027-')
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == ["category", "label", "measure", *MONTHS, "total"]
    by_category = {row[0]: row for row in table[1:]}
    presentations = by_category["activity.classroom_presentation"]
    assert presentations[1] == "Activities: classroom presentation"
    assert presentations[3 + MONTHS.index("2026-09")] == "6" and presentations[-1] == "6"
    # The same filter: the minutes rows are one per school in the report.
    same = get(world.client(world.admin), "/api/reports/monthly", officer_id=world.officer_a).get_json()
    assert [row[0] for row in table[1:]] == [row["category"] for row in same["rows"]]


def test_public_report_suppresses_one_to_four(world):
    body = get(world.client(world.admin), "/api/reports/public").get_json()
    schools = {entry["school"]["code"]: {row["category"]: row["months"] for row in entry["rows"]}
               for entry in body["schools"]}
    nhs = schools["NHS"]
    assert nhs["activity.classroom_presentation"]["2026-09"] == 6
    assert nhs["activity.counseling_student"]["2026-10"] == "<5"
    assert nhs["activity.arrest"]["2026-10"] == "<5"
    assert nhs["activity.safety_audit"]["2026-10"] == 5
    assert nhs["extracurricular_events"]["2026-09"] == "<5"
    assert nhs["principal_meetings"]["2026-10"] == "<5"
    assert nhs["activity.search"]["2026-10"] == 0
    assert schools["SHS"]["activity.classroom_presentation"]["2026-09"] == 7
    every_value = [v for months in nhs.values() for v in months.values()]
    assert not any(isinstance(v, int) and 0 < v < 5 for v in every_value)


def test_public_csv_has_no_names_notes_or_free_text(world):
    response = get(world.client(world.admin), "/api/reports/public.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "SECRET" not in text and "Test officer" not in text and "Test principal" not in text
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["school_code", "school_name", "category", "label", *MONTHS]
    row = next(r for r in table if r[0] == "NHS" and r[2] == "activity.counseling_student")
    assert row[4 + MONTHS.index("2026-10")] == "<5"
    assert {r[0] for r in table[1:]} == {"NHS", "SHS"}
    for cells in table[1:]:
        for value in cells[4:]:
            assert value == "<5" or (value.isdigit() and (int(value) == 0 or int(value) >= 5)), cells
    json_text = get(world.client(world.admin), "/api/reports/public").get_data(as_text=True)
    assert "SECRET" not in json_text


def test_a_school_name_starting_with_a_tab_and_a_formula_is_defused_in_the_csv(world):
    admin = world.client(world.admin)
    name = '\t=HYPERLINK("https://evil.example","Open")'
    renamed = admin.client.patch(f"/api/admin/schools/{world.school_b}", json={"name": name},
                                 headers={"X-CSRF-Token": admin.token})
    assert renamed.status_code == 200, renamed.get_json()
    table = list(csv.reader(io.StringIO(get(admin, "/api/reports/public.csv").get_data(as_text=True), newline="")))
    assert {row[1] for row in table if row[0] == "SHS"} == {"'" + name}


# --- who may see what -----------------------------------------------------------------------

def presentations_total(client, **params):
    response = get(client, "/api/reports/monthly", **params)
    assert response.status_code == 200, response.get_json()
    return rows_by_category(response.get_json())["activity.classroom_presentation"]["total"]


def test_officer_reports_cover_their_own_records_only(world):
    officer = world.client(world.officer_b)
    assert presentations_total(officer) == 7
    assert get(officer, "/api/reports/monthly", officer_id=world.officer_a).status_code == 403
    public = get(officer, "/api/reports/public").get_json()
    assert [entry["school"]["code"] for entry in public["schools"]] == ["SHS"]


def test_principal_gets_aggregate_counts_for_their_own_school_only(world):
    principal = world.client(world.principal_a)
    assert presentations_total(principal) == 6  # counts of every kind at NHS, none from SHS
    for path in ("/api/reports/monthly", "/api/reports/monthly.csv", "/api/reports/public",
                 "/api/reports/public.csv"):
        denied = get(principal, path, school_id=world.school_b)
        assert denied.status_code == 403, path
        assert denied.get_json()["error"]["fields"] == {"school_id": ["You may report on your own school only."]}


@pytest.mark.parametrize("path", ["/api/reports/monthly", "/api/reports/monthly.csv", "/api/reports/public",
                                  "/api/reports/public.csv"])
def test_principal_gets_school_totals_never_one_officers_counts(app, world, path):
    principal = world.client(world.principal_a)
    for officer in (world.officer_a, world.officer_b):  # at their school, and at another one
        denied = get(principal, path, officer_id=officer)
        assert denied.status_code == 403, path
        assert denied.get_json()["error"]["fields"] == {
            "officer_id": ["Principals see school totals only: officer_id is not allowed."]}
    assert get(principal, path, school_id=world.school_a).status_code == 200
    with app.app_context():
        outcomes = db.session.scalars(select(AuditEvent.outcome).where(AuditEvent.action.like("report.%"))
                                      .order_by(AuditEvent.id)).all()
    assert outcomes == ["denied", "denied", "success"]


def test_supervisor_reports_cover_officers_they_supervise(world):
    supervisor = world.client(world.supervisor)
    assert presentations_total(supervisor) == 6
    assert get(supervisor, "/api/reports/monthly.csv", officer_id=world.officer_b).status_code == 403
    public = get(supervisor, "/api/reports/public").get_json()
    assert [entry["school"]["code"] for entry in public["schools"]] == ["NHS"]


def test_admin_reports_cover_everyone(world):
    assert presentations_total(world.client(world.admin)) == 13


@pytest.mark.parametrize("path", ["/api/reports/monthly", "/api/reports/monthly.csv", "/api/reports/public",
                                  "/api/reports/public.csv"])
def test_reports_need_sign_in_and_a_valid_school_year(client, world, path):
    assert client.get(path, query_string={"school_year": YEAR}).status_code == 401
    response = world.client(world.admin).client.get(path, query_string={"school_year": "2026-27"})
    assert response.status_code == 422
    assert "school_year" in response.get_json()["error"]["fields"]


def test_every_export_is_audited_with_who_what_and_when(app, world):
    supervisor = world.client(world.supervisor)
    get(supervisor, "/api/reports/monthly.csv", officer_id=world.officer_a)
    get(supervisor, "/api/reports/public.csv")
    get(supervisor, "/api/reports/public")
    with app.app_context():
        events = db.session.execute(
            select(AuditEvent).where(AuditEvent.action.like("report.%")).order_by(AuditEvent.id)).scalars().all()
        seen = [(e.action, e.details["format"], e.actor_id, e.outcome) for e in events]
        assert all(e.at is not None for e in events)
        assert events[0].details["filters"] == {"school_year": YEAR, "officer_id": world.officer_a}
    assert seen == [("report.monthly", "csv", world.supervisor, "success"),
                    ("report.public", "csv", world.supervisor, "success"),
                    ("report.public", "json", world.supervisor, "success")]
