"""Issue 13: the involvement and training kinds, the new activity types, the involvements report
and training compliance (docs/program.md "Records", docs/reports.md "Involvements", "Training")."""

import uuid
from datetime import date

import pytest

from tests.api.test_compliance import District, get_compliance
from tests.report_support import AS_OF_YEAR_END, YEAR, at, push, record, training
from tests.sync_support import mutation


@pytest.fixture
def district(app) -> District:
    return District(app)


def involvement(school_id, day, **fields):
    data = {"requested_by": "teacher", "basis": "crime", "action": "investigation", "students_involved": 1, **fields}
    return record("involvement", school_id, day, **data)


# --- pushing and pulling --------------------------------------------------------------------

def test_each_new_kind_is_pushed_and_pulled(world):
    officer = world.client(world.officer_a)
    mutations = [
        mutation(kind="involvement", school_id=world.school_a, basis="imminent_threat", threat_channel="social_media",
                 action="referral_to_services", students_involved=2),
        mutation(kind="training", school_id=world.school_a, hours=7.5, basic_course=True,
                 topics=["de_escalation", "implicit_bias"]),
        mutation(kind="activity", school_id=world.school_a, activity_type="community_presentation", count=1,
                 people_reached=80, subject="internet_safety"),
        mutation(kind="activity", school_id=world.school_a, activity_type="threat_assessment", count=1),
    ]
    results = officer.push_ok(mutations)
    assert [result["status"] for result in results] == ["applied"] * 4, results
    changes, _ = officer.pull_all()
    by_id = {change["id"]: change for change in changes}
    pulled = by_id[mutations[0]["id"]]
    assert (pulled["kind"], pulled["data"]["basis"], pulled["data"]["threat_channel"]) == (
        "involvement", "imminent_threat", "social_media")
    assert pulled["data"]["students_involved"] == 2
    course = by_id[mutations[1]["id"]]["data"]
    assert (course["hours"], course["basic_course"], course["topics"]) == (7.5, True, ["de_escalation", "implicit_bias"])
    presentation = by_id[mutations[2]["id"]]["data"]
    assert (presentation["people_reached"], presentation["subject"]) == (80, "internet_safety")


@pytest.mark.parametrize("fields, named, message", [
    ({"basis": "imminent_threat", "action": "investigation"}, "threat_channel", "Required when basis is imminent_threat."),
    ({"basis": "discipline", "action": "arrest"}, "exception_reason", "Required when basis is discipline"),
    ({"basis": "classroom_disorder", "action": "transport", "exception_reason": ""}, "exception_reason",
     "Required when basis is discipline"),
])
def test_conditional_requirements_reject_the_push_naming_the_field(world, fields, named, message):
    officer = world.client(world.officer_a)
    [result] = officer.push_ok([mutation(kind="involvement", school_id=world.school_a, **fields)])
    assert result["status"] == "rejected"
    assert list(result["errors"]) == [named]
    assert result["errors"][named][0].startswith(message)


def test_a_discipline_request_returned_to_staff_or_explained_is_applied(world):
    officer = world.client(world.officer_a)
    results = officer.push_ok([
        mutation(kind="involvement", school_id=world.school_a, basis="discipline", action="returned_to_staff"),
        mutation(kind="involvement", school_id=world.school_a, basis="discipline", action="arrest",
                 exception_reason="Student brought a loaded gun."),
    ])
    assert [result["status"] for result in results] == ["applied", "applied"], results


def test_training_hours_must_be_above_zero_and_at_most_1000(world):
    officer = world.client(world.officer_a)
    results = officer.push_ok([mutation(kind="training", school_id=world.school_a, hours=0),
                               mutation(kind="training", school_id=world.school_a, hours=1000.5),
                               mutation(kind="training", school_id=world.school_a, hours=1000)])
    assert [result["status"] for result in results] == ["rejected", "rejected", "applied"]
    assert "hours" in str(results[0]["errors"])


def test_training_without_a_school_is_applied_and_invisible_to_principals(world):
    officer = world.client(world.officer_a)
    course = mutation(kind="training")
    course["data"]["school_id"] = None
    [result] = officer.push_ok([course])
    assert result["status"] == "applied", result
    pulled, _ = officer.pull_all()
    assert [change["data"]["school_id"] for change in pulled if change["id"] == course["id"]] == [None]
    # Edited later, still with no school: no assignment binds it.
    edit = dict(course, mutation_id=str(uuid.uuid4()), base_version=1, data={**course["data"], "hours": 9})
    [edited] = officer.push_ok([edit])
    assert edited["status"] == "applied", edited
    # A training record with a school is checked as usual.
    [elsewhere] = officer.push_ok([mutation(kind="training", school_id=world.school_b)])
    assert elsewhere["status"] == "rejected" and "school_id" in str(elsewhere["errors"])
    # Principals never see training: not in their pull, not in the log browser.
    with_school = mutation(kind="training", school_id=world.school_a)
    assert officer.push_ok([with_school])[0]["status"] == "applied"
    principal = world.client(world.principal_a)
    pulled, _ = principal.pull_all()
    assert not [change for change in pulled if change["kind"] == "training"]
    browsed = principal.client.get("/api/records", query_string={"kind": "training"})
    assert browsed.status_code == 200 and browsed.get_json()["total"] == 0
    # The officer, the supervisor and the admin do, school or not.
    for reader in (world.officer_a, world.supervisor, world.admin):
        body = world.client(reader).client.get("/api/records", query_string={"kind": "training"}).get_json()
        assert body["total"] == 2, reader
        assert sorted(str(item["school"]) for item in body["items"])[0] == "None"


def test_principal_report_counts_leave_training_out(world):
    officer = world.client(world.officer_a)
    officer.push_ok([mutation(kind="training", school_id=world.school_a, when=at(date(2026, 10, 5)))])
    rows = {row["category"]: row["total"] for row in world.client(world.principal_a).client.get(
        "/api/reports/monthly", query_string={"school_year": "2026-2027"}).get_json()["rows"]}
    assert rows["training"] == 0
    rows = {row["category"]: row["total"] for row in world.client(world.admin).client.get(
        "/api/reports/monthly", query_string={"school_year": "2026-2027"}).get_json()["rows"]}
    assert rows["training"] == 1
    public = world.client(world.admin).client.get("/api/reports/public", query_string={"school_year": "2026-2027"})
    assert public.status_code == 200


def test_forms_describe_the_conditional_requirements_and_new_field_types(world):
    response = world.client(world.officer_a).client.get("/api/forms")
    kinds = {kind["kind"]: kind for kind in response.get_json()["kinds"]}
    fields = {field["name"]: field for field in kinds["involvement"]["fields"]}
    assert fields["threat_channel"]["required_when"] == {"basis": ["imminent_threat"]}
    assert fields["exception_reason"]["required_when"] == {
        "basis": ["discipline", "classroom_disorder"], "action": ["investigation", "arrest", "citation", "transport"]}
    assert fields["threat_channel"]["required"] is False
    training_fields = {field["name"]: field for field in kinds["training"]["fields"]}
    assert training_fields["school_id"]["required"] is False
    assert (training_fields["hours"]["type"], training_fields["hours"]["min_exclusive"],
            training_fields["hours"]["max"]) == ("number", True, 1000)
    assert training_fields["basic_course"]["type"] == "boolean"
    activity = {field["name"]: field for field in kinds["activity"]["fields"]}
    assert {"people_reached", "subject"} <= set(activity)
    assert "conflict_mediation" in [choice["value"] for choice in activity["activity_type"]["choices"]]


# --- the involvements report --------------------------------------------------------------------

@pytest.fixture
def involvements_year(district):
    officer = district.client(district.officer_a)
    push(officer, [
        involvement(district.school_a, date(2025, 9, 8), basis="discipline", action="returned_to_staff"),
        involvement(district.school_a, date(2025, 9, 9), basis="discipline", action="returned_to_staff"),
        involvement(district.school_a, date(2025, 10, 1), basis="discipline", action="returned_to_staff"),
        involvement(district.school_a, date(2025, 10, 2), basis="discipline", action="arrest",
                    exception_reason="A weapon was found in the bag."),
        involvement(district.school_a, date(2025, 10, 6), basis="imminent_threat", threat_channel="written",
                    action="investigation"),
        involvement(district.school_a, date(2025, 10, 8), basis="imminent_threat", threat_channel="verbal",
                    action="referral_to_services"),
        involvement(district.school_a, date(2025, 11, 3), basis="crime", action="citation"),
    ])
    voided = involvement(district.school_a, date(2025, 11, 4), basis="discipline", action="returned_to_staff")
    push(officer, [voided])
    push(officer, [dict(voided, mutation_id=str(uuid.uuid4()), base_version=1, voided=True, void_reason="Twice")])
    return officer


def get_involvements(client, **params):
    return client.client.get("/api/reports/involvements", query_string={"school_year": YEAR, **params})


def test_involvements_report_counts_shares_threats_and_exceptions(district, involvements_year):
    response = get_involvements(district.client(district.supervisor))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    [school] = body["schools"]
    assert school["school"]["id"] == district.school_a
    cells = {(cell["basis"], cell["action"]): cell for cell in school["by_basis_action"]}
    assert cells[("discipline", "returned_to_staff")]["total"] == 3  # the voided one does not count
    assert cells[("discipline", "returned_to_staff")]["months"]["2025-09"] == 2
    assert cells[("discipline", "returned_to_staff")]["months"]["2025-10"] == 1
    assert cells[("discipline", "arrest")]["total"] == 1
    assert school["total"] == 7
    assert school["discipline"] == {"requests": 4, "returned_to_staff": 3, "share": 0.75}
    assert body["discipline"] == {"requests": 4, "returned_to_staff": 3, "share": 0.75}
    assert school["threat_weeks"] == [{"week": "2025-10-06", "threats": 2}]
    [exception] = body["exceptions"]
    assert {key: exception[key] for key in ("date", "basis", "action", "reason")} == {
        "date": "2025-10-02", "basis": "discipline", "action": "arrest", "reason": "A weapon was found in the bag."}
    assert exception["officer"]["id"] == district.officer_a
    assert exception["school"]["id"] == district.school_a


def test_principals_get_their_school_totals_without_exceptions(district, involvements_year):
    body = get_involvements(district.client(district.principal_a)).get_json()
    assert body["exceptions"] is None
    [school] = body["schools"]
    assert school["total"] == 7
    assert "A weapon" not in str(body) and "officer" not in str(body["schools"])
    refused = get_involvements(district.client(district.principal_a), officer_id=district.officer_a)
    assert refused.status_code == 403
    assert list(refused.get_json()["error"]["fields"]) == ["officer_id"]


def test_officers_outside_the_supervision_are_not_counted(district, involvements_year):
    other = district.client(district.officer_d)
    push(other, [involvement(district.school_a, date(2025, 9, 10), basis="discipline", action="returned_to_staff")])
    body = get_involvements(district.client(district.supervisor)).get_json()
    assert body["schools"][0]["discipline"]["requests"] == 4
    assert get_involvements(district.client(district.admin)).get_json()["discipline"]["requests"] == 5


# --- training compliance -----------------------------------------------------------------------

def test_training_compliance_per_officer(district):
    officer_a = district.client(district.officer_a)
    push(officer_a, [
        training(date(2019, 6, 3), basic_course=True, hours=120, topics=["youth_development", "school_policies"]),
        training(date(2025, 10, 15), hours=7.5, topics=["de_escalation", "implicit_bias", "relationship_building"]),
        training(date(2026, 2, 10), school_id=district.school_a, hours=4, topics=["restorative_justice"]),
    ])
    officer_c = district.client(district.officer_c)
    push(officer_c, [training(date(2024, 3, 1), hours=16, topics=["youth_development"])])
    body = get_compliance(district.client(district.admin), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    by_officer = {entry["officer"]["id"]: entry for entry in body["training"]}
    a = by_officer[district.officer_a]
    assert (a["basic_course"]["status"], a["basic_course"]["completed_on"]) == ("met", "2019-06-03")
    assert (a["yearly_course"]["status"], a["yearly_course"]["courses"], a["yearly_course"]["hours"]) == ("met", 2, 11.5)
    assert a["topics"]["status"] == "met"
    assert {item["status"] for item in a["topics"]["topics"]} == {"covered"}
    c = by_officer[district.officer_c]
    assert c["basic_course"] == {"status": "missing", "text": c["basic_course"]["text"], "completed_on": None}
    assert (c["yearly_course"]["status"], c["yearly_course"]["courses"]) == ("not_met", 0)
    gaps = [item["topic"] for item in c["topics"]["topics"] if item["status"] == "gap"]
    assert gaps == ["relationship_building", "de_escalation", "school_policies", "implicit_bias",
                    "restorative_justice"]
    assert c["topics"]["status"] == "not_met" and "de-escalation" in c["topics"]["text"]
    # Before the year is over, no course yet is in progress, not a failure.
    early = get_compliance(district.client(district.admin), as_of="2025-09-01").get_json()
    assert {e["officer"]["id"]: e for e in early["training"]}[district.officer_c]["yearly_course"]["status"] == \
        "in_progress"
    # Supervisors see their officers' training; principals none.
    supervised = get_compliance(district.client(district.supervisor), as_of=AS_OF_YEAR_END.isoformat()).get_json()
    assert [entry["officer"]["id"] for entry in supervised["training"]] == [district.officer_a]
    assert get_compliance(district.client(district.principal_a)).get_json()["training"] == []


# --- the monthly report: meeting topics, minutes per school, training ------------------------------

def get_monthly(client, path="/api/reports/monthly", **params):
    return client.client.get(path, query_string={"school_year": YEAR, **params})


def test_monthly_report_counts_meeting_topics_and_each_schools_minutes(district):
    shared = district.client(district.officer_d)  # at schools A and B at once
    push(shared, [
        record("principal_meeting", district.school_a, date(2025, 9, 9), topics=["safety_concerns", "training"],
               duration_minutes=30),
        record("principal_meeting", district.school_a, date(2025, 9, 16), topics=["safety_concerns"],
               duration_minutes=20),
        record("principal_meeting", district.school_b, date(2025, 10, 7), topics=["other"], duration_minutes=10),
        record("activity", district.school_b, date(2025, 10, 8), activity_type="counseling_student", count=1,
               duration_minutes=50),
        record("activity", district.school_b, date(2025, 10, 9), activity_type="safety_audit", count=1,
               duration_minutes=None),
    ])
    body = get_monthly(district.client(district.admin), officer_id=district.officer_d).get_json()
    rows = {row["category"]: row for row in body["rows"]}
    assert rows["principal_meeting.topic.safety_concerns"]["months"]["2025-09"] == 2
    assert rows["principal_meeting.topic.training"]["total"] == 1
    assert rows["principal_meeting.topic.other"]["months"]["2025-10"] == 1
    assert rows["principal_meeting.topic.upcoming_events"]["total"] == 0
    categories = [row["category"] for row in body["rows"]]
    # The topics follow the meetings; the minutes are one row per school, by name.
    assert categories.index("principal_meeting.topic.safety_concerns") == categories.index("principal_meeting") + 1
    assert [category for category in categories if category.startswith("minutes.")] == ["minutes.NHS", "minutes.SHS"]
    assert rows["minutes.NHS"]["months"]["2025-09"] == 50 and rows["minutes.NHS"]["measure"] == "minutes"
    assert rows["minutes.SHS"]["total"] == 60
    assert body["time_by_school"] == [
        {"category": "minutes.NHS", "label": rows["minutes.NHS"]["label"], "minutes": 50, "share": 0.455},
        {"category": "minutes.SHS", "label": rows["minutes.SHS"]["label"], "minutes": 60, "share": 0.545}]
    csv_text = get_monthly(district.client(district.admin), "/api/reports/monthly.csv",
                           officer_id=district.officer_d).get_data(as_text=True)
    assert "principal_meeting.topic.safety_concerns" in csv_text and "minutes.SHS" in csv_text
    # A principal sees their school's minutes and topics only.
    principal = get_monthly(district.client(district.principal_a)).get_json()
    assert [row["category"] for row in principal["rows"] if row["measure"] == "minutes"] == ["minutes.NHS"]
    assert principal["time_by_school"][0]["share"] == 1.0


def test_monthly_report_carries_training_compliance_but_never_to_principals(district):
    push(district.client(district.officer_a), [
        training(date(2019, 6, 3), basic_course=True, hours=120, topics=["youth_development"])])
    body = get_monthly(district.client(district.supervisor)).get_json()
    [entry] = body["training"]
    assert entry["officer"]["id"] == district.officer_a
    assert (entry["basic_course"]["status"], entry["basic_course"]["completed_on"]) == ("met", "2019-06-03")
    assert entry["topics"]["status"] == "not_met"
    assert get_monthly(district.client(district.principal_a)).get_json()["training"] == []


# --- the log browser's filters by basis and provider ----------------------------------------------

def test_log_browser_filters_by_involvement_basis_and_training_provider(district):
    officer = district.client(district.officer_a)
    push(officer, [
        involvement(district.school_a, date(2025, 9, 8), basis="discipline", action="returned_to_staff"),
        involvement(district.school_a, date(2025, 9, 9), basis="crime", action="investigation"),
        training(date(2025, 9, 10), provider="nasro"),
        training(date(2025, 9, 11), provider="doj"),
        # The same word as a subtype of another kind never matches the filter.
        record("activity", district.school_a, date(2025, 9, 12), activity_type="other", count=1),
    ])
    admin = district.client(district.admin).client
    by_basis = admin.get("/api/records", query_string={"basis": "discipline"}).get_json()
    assert [(item["kind"], item["subtype"]) for item in by_basis["items"]] == [("involvement", "discipline")]
    by_provider = admin.get("/api/records", query_string={"provider": "doj"}).get_json()
    assert [(item["kind"], item["subtype"]) for item in by_provider["items"]] == [("training", "doj")]
    refused = admin.get("/api/records", query_string={"basis": "nasro"})
    assert refused.status_code == 422
    assert list(refused.get_json()["error"]["fields"]) == ["basis"]
    refused = admin.get("/api/records", query_string={"provider": "crime"})
    assert refused.status_code == 422 and list(refused.get_json()["error"]["fields"]) == ["provider"]


# --- the demo's involvements and training ------------------------------------------------------

@pytest.mark.frozen_now("2026-11-30T10:00:00-06:00")
def test_the_demo_has_a_term_of_involvements_one_exception_and_a_training_gap(app, runner):
    from server.seed.demo import DEMO_PASSWORD, EXCEPTION_REASON
    from tests.sync_support import signed_in

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    supervisor = signed_in(app, "supervisor@demo.test", DEMO_PASSWORD).client
    body = supervisor.get("/api/reports/involvements", query_string={"school_year": "2026-2027"}).get_json()
    schools = {school["school"]["code"]: school for school in body["schools"]}
    assert set(schools) == {"NHS", "LMS"}
    for school in schools.values():
        assert school["total"] >= 15
        assert school["discipline"]["share"] >= 0.6  # most discipline requests go back to school staff
        assert 1 <= sum(week["threats"] for week in school["threat_weeks"]) <= 3
    [exception] = body["exceptions"]
    assert (exception["school"]["code"], exception["basis"], exception["reason"]) == ("NHS", "discipline",
                                                                                       EXCEPTION_REASON)
    compliance = supervisor.get("/api/reports/compliance", query_string={"school_year": "2026-2027"}).get_json()
    training = {entry["officer"]["name"]: entry for entry in compliance["training"]}
    assert {entry["basic_course"]["status"] for entry in training.values()} == {"met"}
    assert {entry["yearly_course"]["status"] for entry in training.values()} == {"met"}
    gaps = {name: [topic["topic"] for topic in entry["topics"]["topics"] if topic["status"] == "gap"]
            for name, entry in training.items()}
    assert gaps == {"Officer Jordan Ellis": [], "Officer Priya Natarajan": ["restorative_justice"]}
    # A second run adds nothing, involvements and training included.
    assert "nothing changed" in runner.invoke(args=["seed-demo"]).output
