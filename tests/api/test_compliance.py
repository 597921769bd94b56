"""GET /api/reports/compliance on a hand-built 2025-2026 calendar: each rule, and who may see what."""

import math
from datetime import date

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from server.services.reporting.calendar import SchoolCalendar, Term
from tests.report_support import AS_OF_YEAR_END, CLOSED, FALL, SPRING, YEAR, add_calendar, push, record
from tests.factories import assign_officer, email_of, make_principal_for, make_school, make_user, supervise
from tests.sync_support import signed_in


class District:
    """Not the shared `world`: two schools on the hand-built 2025-2026 calendar, officer A at school A all year,
    officer C moving from A to B in January, officer D at both at once; a principal of A, a supervisor of
    officer A, an admin."""

    def __init__(self, app):
        self.app = app
        self.school_a, self.school_b = (make_school(app, code, terms=(), closed_days=()).id for code in ("NHS", "SHS"))
        for school in (self.school_a, self.school_b):
            add_calendar(app, school)
        self.officer_a = make_user(app, "officer").id      # school A all year
        self.officer_c = make_user(app, "officer").id      # school A in the fall, school B from January
        self.officer_d = make_user(app, "officer").id      # schools A and B at the same time
        assign_officer(app, self.officer_a, self.school_a, date(2025, 8, 1))
        assign_officer(app, self.officer_c, self.school_a, date(2025, 8, 1), date(2025, 12, 31))
        assign_officer(app, self.officer_c, self.school_b, date(2026, 1, 1))
        assign_officer(app, self.officer_d, self.school_a, date(2025, 8, 1))
        assign_officer(app, self.officer_d, self.school_b, date(2025, 8, 1))
        self.principal_a = make_user(app, "principal").id
        make_principal_for(app, self.school_a, self.principal_a)
        self.supervisor = make_user(app, "supervisor").id
        supervise(app, self.supervisor, self.officer_a)
        self.admin = make_user(app, "admin").id

    def client(self, user_id):
        return signed_in(self.app, email_of(self.app, user_id))


@pytest.fixture
def district(app) -> District:
    return District(app)


def get_compliance(client, **params):
    return client.client.get("/api/reports/compliance", query_string={"school_year": YEAR, **params})


def unit_of(body, officer_id, school_id):
    [unit] = [u for u in body["units"] if u["officer"]["id"] == officer_id and u["school"]["id"] == school_id]
    return unit


def week(unit, monday: date) -> dict:
    [found] = [w for w in unit["weekly_meetings"]["weeks"] if w["week_of"] == monday.isoformat()]
    return found


@pytest.fixture
def officer_a_year(district):
    """Officer A's year at school A, meetings decided by the principal."""
    officer = district.client(district.officer_a)
    meetings = {
        "confirmed": record("principal_meeting", district.school_a, date(2025, 8, 19)),
        "pending": record("principal_meeting", district.school_a, date(2025, 8, 27)),
        "disputed": record("principal_meeting", district.school_a, date(2025, 9, 3)),  # Labor Day week
        "second_disputed": record("principal_meeting", district.school_a, date(2025, 9, 8)),
        "second_confirmed": record("principal_meeting", district.school_a, date(2025, 9, 11)),
        "voided": record("principal_meeting", district.school_a, date(2025, 9, 16)),
    }
    push(officer, list(meetings.values()))
    principal = district.client(district.principal_a)
    for name in ("confirmed", "second_confirmed"):
        assert principal.confirm(meetings[name]["id"]).status_code == 200
    for name in ("disputed", "second_disputed"):
        assert principal.confirm(meetings[name]["id"], "disputed", comment="I was away").status_code == 200
    void = dict(meetings["voided"], mutation_id=__import__("uuid").uuid4().hex, base_version=1, voided=True,
                void_reason="Entered twice")
    push(officer, [void])
    review = record("activity", district.school_a, date(2025, 12, 29), activity_type="semester_review", count=1,
                    review_outcome="Agreement still fits", agreement_changes=False)
    push(officer, [
        record("introduction", district.school_a, date(2025, 8, 20), audience="new_students"),
        record("introduction", district.school_a, date(2025, 9, 16), audience="faculty"),  # school day 21
        record("activity", district.school_a, date(2025, 10, 6), activity_type="faculty_meeting", count=2),
        record("activity", district.school_a, date(2026, 2, 2), activity_type="faculty_meeting", count=3),
        review,
        record("extracurricular_contact", district.school_a, date(2025, 9, 12), students_contacted=40),
        record("extracurricular_contact", district.school_a, date(2025, 9, 19), students_contacted=35),
    ])
    voided_faculty = record("activity", district.school_a, date(2026, 3, 2), activity_type="faculty_meeting", count=5)
    push(officer, [voided_faculty])
    push(officer, [dict(voided_faculty, mutation_id=__import__("uuid").uuid4().hex, base_version=1, voided=True,
                        void_reason="Wrong school")])
    for party in (principal, district.client(district.supervisor)):  # KY 8 counts once both confirmed
        assert party.participate(review["id"]).status_code == 200
    return officer


def test_weekly_grid_takes_the_best_meeting_of_each_school_week(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    unit = unit_of(body, district.officer_a, district.school_a)
    assert week(unit, date(2025, 8, 18))["status"] == "confirmed"
    assert week(unit, date(2025, 8, 25))["status"] == "pending"
    labor_day = week(unit, date(2025, 9, 1))
    assert labor_day["status"] == "disputed" and labor_day["school_days"] == 4
    best = week(unit, date(2025, 9, 8))
    assert best["status"] == "confirmed" and best["meetings"] == 2
    assert week(unit, date(2025, 9, 15))["status"] == "missing"  # its only meeting was voided
    assert week(unit, date(2025, 9, 15))["text"] == "No meeting recorded this week."
    mondays = [w["week_of"] for w in unit["weekly_meetings"]["weeks"]]
    assert "2025-11-24" not in mondays and "2025-12-22" not in mondays  # holiday week, winter break
    summary = unit["weekly_meetings"]["summary"]
    assert (summary["confirmed"], summary["pending"], summary["disputed"]) == (2, 1, 1)
    assert summary["missing"] == len(mondays) - 4 and summary["upcoming"] == 0
    assert unit["weekly_meetings"]["status"] == "not_met"
    assert "2 of" in unit["weekly_meetings"]["text"]


def test_weeks_after_as_of_are_upcoming_not_missing(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of="2025-09-10").get_json()
    unit = unit_of(body, district.officer_a, district.school_a)
    assert week(unit, date(2025, 9, 8))["status"] == "confirmed"  # current week, already met
    assert week(unit, date(2025, 9, 15))["status"] == "upcoming"
    assert unit["weekly_meetings"]["summary"]["missing"] == 0


def test_introductions_within_the_first_twenty_school_days(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    intro = unit_of(body, district.officer_a, district.school_a)["introductions"]
    assert intro["window"] == {"from": "2025-08-18", "to": "2025-09-15", "school_days": 20}
    audiences = {item["audience"]: item for item in intro["audiences"]}
    assert audiences["new_students"]["status"] == "met"
    assert "school day 3" in audiences["new_students"]["text"]
    assert audiences["faculty"]["status"] == "late"
    assert intro["status"] == "not_met"


def test_faculty_meetings_sum_counts_and_ignore_voided(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    faculty = unit_of(body, district.officer_a, district.school_a)["faculty_meetings"]
    assert (faculty["count"], faculty["target"], faculty["status"]) == (5, 6, "not_met")
    assert faculty["text"] == "5 of 6 faculty meetings."
    mid_year = get_compliance(district.client(district.admin), as_of="2026-01-15").get_json()
    assert unit_of(mid_year, district.officer_a, district.school_a)["faculty_meetings"]["status"] == "in_progress"


def test_semester_review_each_term_a_break_counts_for_the_term_before(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    reviews = unit_of(body, district.officer_a, district.school_a)["semester_reviews"]
    terms = {item["term"]: item for item in reviews["terms"]}
    assert terms["Fall"]["status"] == "met"  # reviewed 29 December, in the winter break
    assert terms["Spring"]["status"] == "missing"
    assert reviews["status"] == "not_met" and "Spring" in reviews["text"]


def test_extracurricular_contacts_per_month(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    contacts = unit_of(body, district.officer_a, district.school_a)["extracurricular"]
    months = {item["month"]: item for item in contacts["months"]}
    assert list(months)[0] == "2025-08" and list(months)[-1] == "2026-05"  # months with school days
    assert months["2025-09"]["status"] == "recorded"
    assert (months["2025-09"]["events"], months["2025-09"]["students"]) == (2, 75)
    assert months["2025-10"]["status"] == "none"
    assert (contacts["events"], contacts["students"]) == (2, 75)


def test_mid_year_reassignment_splits_the_year(district):
    push(district.client(district.officer_c), [
        record("activity", district.school_a, date(2025, 10, 1), activity_type="faculty_meeting", count=3),
        record("activity", district.school_a, date(2025, 12, 10), activity_type="semester_review", count=1,
               review_outcome="Reviewed the agreement", agreement_changes=True),
        record("introduction", district.school_b, date(2026, 1, 8), audience="new_students"),
        record("introduction", district.school_b, date(2026, 1, 9), audience="faculty"),
    ])
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat(),
                          officer_id=district.officer_c).get_json()
    at_a = unit_of(body, district.officer_c, district.school_a)
    at_b = unit_of(body, district.officer_c, district.school_b)
    assert week(at_a, date(2026, 1, 5))["status"] == "not_assigned"
    assert week(at_b, date(2025, 12, 15))["status"] == "not_assigned"
    assert week(at_b, date(2026, 1, 5))["status"] == "missing"

    calendar = SchoolCalendar(district.school_a, YEAR, [Term(*FALL), Term(*SPRING)], frozenset(d for d, _ in CLOSED))
    fall_days = sum(1 for day in calendar.school_days() if day <= date(2025, 12, 31))
    expected = math.ceil(6 * fall_days / len(calendar.school_days()))
    assert at_a["faculty_meetings"]["target"] == expected
    assert at_a["faculty_meetings"]["status"] == ("met" if 3 >= expected else "not_met")
    assert "prorated" in at_a["faculty_meetings"]["text"]

    terms_a = {item["term"]: item["status"] for item in at_a["semester_reviews"]["terms"]}
    assert terms_a == {"Fall": "pending", "Spring": "not_applicable"}  # recorded; nobody has confirmed it yet
    assert at_a["semester_reviews"]["status"] == "pending"
    assert "waiting for the supervisor and the principal" in at_a["semester_reviews"]["text"]
    terms_b = {item["term"]: item["status"] for item in at_b["semester_reviews"]["terms"]}
    assert terms_b == {"Fall": "not_applicable", "Spring": "missing"}

    assert at_b["introductions"]["window"]["from"] == "2026-01-06"  # a mid-year arrival's own first 20 days
    assert at_b["introductions"]["status"] == "met"
    assert at_a["multiple_schools"]["status"] == "single"
    assert "reassigned" in at_a["multiple_schools"]["text"]


def test_two_schools_at_once_is_flagged_not_forbidden(district):
    body = get_compliance(district.client(district.admin), officer_id=district.officer_d).get_json()
    assert len(body["units"]) == 2
    for unit in body["units"]:
        assert unit["multiple_schools"]["status"] == "flagged"
        assert "KY 9" in unit["multiple_schools"]["text"]
        assert unit["multiple_schools"]["schools"] == ["NHS", "SHS"]


def test_a_school_without_a_calendar_says_so(app, district):
    school = make_school(app, "NOCAL", terms=(), closed_days=()).id
    assign_officer(app, district.officer_a, school, date(2025, 8, 1))
    body = get_compliance(district.client(district.admin), school_id=school).get_json()
    [unit] = body["units"]
    assert unit["calendar"]["status"] == "no_calendar"
    assert unit["weekly_meetings"]["status"] == "no_calendar" and unit["weekly_meetings"]["weeks"] == []
    assert "administrator" in unit["calendar"]["text"]


def test_the_answer_is_exactly_the_documented_schema(district, officer_a_year):
    from server.schemas.reports import ComplianceSchema

    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    assert ComplianceSchema().dump(body) == body  # every key documented, nothing undocumented, same values


def test_every_item_has_a_status_word_and_a_sentence(district, officer_a_year):
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()

    def walk(node):
        if isinstance(node, dict):
            if "status" in node:
                assert isinstance(node["status"], str) and node["status"]
                assert isinstance(node.get("text"), str) and node["text"], node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body["units"])


# --- who may see what ----------------------------------------------------------------------

def pairs(body):
    return {(u["officer"]["id"], u["school"]["id"]) for u in body["units"]}


def test_admin_sees_every_assignment(district):
    body = get_compliance(district.client(district.admin)).get_json()
    assert pairs(body) == {(district.officer_a, district.school_a), (district.officer_c, district.school_a),
                           (district.officer_c, district.school_b), (district.officer_d, district.school_a),
                           (district.officer_d, district.school_b)}


def test_officer_sees_only_their_own(district):
    officer = district.client(district.officer_c)
    assert pairs(get_compliance(officer).get_json()) == {(district.officer_c, district.school_a),
                                                         (district.officer_c, district.school_b)}
    denied = get_compliance(officer, officer_id=district.officer_a)
    assert denied.status_code == 403
    assert "officer_id" in denied.get_json()["error"]["fields"]


def test_supervisor_sees_only_officers_they_supervise(district):
    supervisor = district.client(district.supervisor)
    assert pairs(get_compliance(supervisor).get_json()) == {(district.officer_a, district.school_a)}
    assert get_compliance(supervisor, officer_id=district.officer_d).status_code == 403


def test_principal_sees_own_school_only(district, officer_a_year):
    principal = district.client(district.principal_a)
    body = get_compliance(principal, as_of=AS_OF_YEAR_END.isoformat()).get_json()
    assert pairs(body) == {(district.officer_a, district.school_a), (district.officer_c, district.school_a),
                           (district.officer_d, district.school_a)}
    # Aggregates count every kind at the principal's school, not just the meetings they read.
    assert unit_of(body, district.officer_a, district.school_a)["faculty_meetings"]["count"] == 5
    denied = get_compliance(principal, school_id=district.school_b)
    assert denied.status_code == 403 and "school_id" in denied.get_json()["error"]["fields"]


@pytest.mark.parametrize("officer", ["officer_a", "officer_c"])  # at the principal's school, then moved away
def test_principal_may_not_narrow_to_one_officer(app, district, officer):
    denied = get_compliance(district.client(district.principal_a), officer_id=getattr(district, officer))
    assert denied.status_code == 403
    assert denied.get_json()["error"]["fields"] == {
        "officer_id": ["Principals see school totals only: officer_id is not allowed."]}
    with app.app_context():
        outcome = db.session.scalar(select(AuditEvent.outcome).where(AuditEvent.action == "report.compliance"))
    assert outcome == "denied"


def test_signed_out_is_401(client):
    assert client.get("/api/reports/compliance", query_string={"school_year": YEAR}).status_code == 401


@pytest.mark.parametrize("params", [{}, {"school_year": "2025"}, {"school_year": "2025-2027"},
                                    {"school_year": "2025/2026"}])
def test_a_bad_school_year_is_a_422_naming_it(district, params):
    response = district.client(district.admin).client.get("/api/reports/compliance", query_string=params)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "school_year" in error["fields"] and "school_year" in error["message"]


def test_bad_filters_are_422_naming_the_field(district):
    admin = district.client(district.admin)
    for name, value in (("officer_id", "x"), ("school_id", "0"), ("as_of", "yesterday")):
        response = get_compliance(admin, **{name: value})
        assert response.status_code == 422 and name in response.get_json()["error"]["fields"], name


def test_the_report_and_a_refusal_are_audited(app, district):
    get_compliance(district.client(district.supervisor))
    get_compliance(district.client(district.supervisor), officer_id=district.officer_d)
    with app.app_context():
        events = db.session.execute(select(AuditEvent.action, AuditEvent.outcome, AuditEvent.actor_id,
                                           AuditEvent.details).where(AuditEvent.action == "report.compliance")
                                    .order_by(AuditEvent.id)).all()
    assert [(e.outcome, e.actor_id) for e in events] == [("success", district.supervisor),
                                                         ("denied", district.supervisor)]
    assert events[0].details["filters"]["school_year"] == YEAR
