"""Issue 13 on the phone: every kind in GET /api/forms is offered, and the new kinds' fields work
(a decimal number, a checkbox, fields required only when others hold given values, a record with
no school), offline first, then synced and counted by the reports. Phone size, real Chromium."""

from playwright.sync_api import Page, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import (
    E2E_NOW,
    PASSWORD,
    api_session,
    owned_by,
    pin_clock,
    pull_everything,
)
from tests.e2e.phone import (
    SYNC_TIMEOUT_MS,
    expect_pending,
    open_app,
    save,
    sign_in,
    start,
    wait_until_offline_ready,
)

SCHOOL_YEAR = "2026-2027"
KIND_LABELS = ["Extracurricular contact", "Introduction", "Principal meeting", "Other activity", "Involvement", "Training"]


def refused(page: Page, field: str, message: str) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Check 1 field below.")).to_be_visible()
    expect(page.locator(f"#f-{field}-error")).to_have_text(message)
    expect(page.locator(f"#f-{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#f-{field}")).to_be_focused()


def test_new_kinds_offline_validated_synced_and_reported(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    page.reload()

    # One "+" per kind the server describes, in its order, each a big enough target.
    actions = page.get_by_role("navigation", name="New record").get_by_role("link")
    expect(actions).to_have_text([f"+{label}" for label in KIND_LABELS])
    # Found and measured in one evaluation: the home screen may redraw in place between two steps,
    # and a link measured after it was replaced would read as 0 x 0.
    boxes = page.evaluate("""() => [...document.querySelectorAll('nav[aria-label="New record"] a')]
        .map((link) => link.getBoundingClientRect().toJSON())""")
    assert len(boxes) == len(KIND_LABELS)
    for box in boxes:
        assert box["height"] >= 44 and box["width"] >= 44
        assert box["x"] >= 0 and box["right"] <= 360
    assert_accessible(page, "officer home (six kinds)")
    shots(page, "home-six-kinds")

    # An imminent threat needs its channel: the field appears with the basis, and is checked.
    start(page, "Involvement")
    expect(page.get_by_label("Threat channel")).to_be_hidden()
    page.get_by_label("Requested by", exact=True).select_option("teacher")
    page.get_by_label("Basis", exact=True).select_option("imminent_threat")
    page.get_by_label("Action taken", exact=True).select_option("investigation")
    expect(page.get_by_label("Threat channel", exact=True)).to_be_visible()
    expect(page.get_by_label("Why police action on a school matter")).to_be_hidden()
    refused(page, "threat_channel", "Required when basis is Imminent threat.")
    assert_accessible(page, "involvement form with errors")
    shots(page, "involvement-threat-channel-required")
    page.get_by_label("Threat channel", exact=True).select_option("social_media")
    page.get_by_role("button", name="One more: Students involved").click()
    save(page)

    # A police action on a discipline request needs the officer's reason.
    start(page, "Involvement")
    page.get_by_label("Requested by", exact=True).select_option("principal")
    page.get_by_label("Basis", exact=True).select_option("discipline")
    page.get_by_label("Action taken", exact=True).select_option("arrest")
    expect(page.get_by_label("Threat channel")).to_be_hidden()
    reason = page.get_by_label("Why police action on a school matter", exact=True)
    expect(reason).to_be_visible()
    refused(page, "exception_reason",
            "Required when basis is Discipline or Classroom disorder and action taken is Investigation, Arrest, "
            "Citation or Transport.")
    shots(page, "involvement-reason-required")
    reason.fill("Weapon found during a discipline search.")
    save(page)

    # Training: hours are a decimal above 0, and a course may belong to no school.
    start(page, "Training")
    school = page.get_by_label("School (optional)", exact=True)
    expect(school).to_have_value("")
    expect(school.locator("option:checked")).to_have_text("No school")
    expect(page.get_by_label("Hours", exact=True)).to_have_attribute("inputmode", "decimal")
    page.get_by_label("Course", exact=True).fill("Crisis intervention for school officers")
    page.get_by_label("Provider", exact=True).select_option("state_academy")
    page.get_by_label("De-escalation", exact=True).check()
    page.get_by_label("Hours", exact=True).fill("0")
    refused(page, "hours", "Must be more than 0 and at most 1000.")
    page.get_by_label("Hours", exact=True).fill("7.5")
    page.get_by_label("The 120-hour basic SRO course", exact=True).check()
    assert_accessible(page, "training form")
    shots(page, "training-form", full_page=True)
    save(page)

    expect_pending(page, 3)
    summaries = page.locator(".rec-summary")
    expect(summaries.filter(has_text="Crisis intervention for school officers · State academy")).to_have_count(1)
    expect(summaries.filter(has_text="Imminent threat · Students involved: 1")).to_have_count(1)
    assert_accessible(page, "officer home (new kinds saved offline)")
    shots(page, "new-kinds-saved-offline")

    page.locator(".rec a", has_text="Crisis intervention").click()
    expect(page.get_by_role("heading", name="Training")).to_be_visible()
    assert_accessible(page, "training record")
    shots(page, "training-record")
    page.get_by_role("link", name="Back").click()

    page.context.set_offline(False)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    shots(page, "new-kinds-synced")

    mine = owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)
    assert sorted(change["kind"] for change in mine) == ["involvement", "involvement", "training"]
    threat = next(change for change in mine
                  if change["kind"] == "involvement" and change["data"]["basis"] == "imminent_threat")
    assert threat["data"]["threat_channel"] == "social_media"
    assert threat["data"]["exception_reason"] is None
    training = next(change for change in mine if change["kind"] == "training")
    assert training["data"]["school_id"] is None
    assert training["data"]["hours"] == 7.5
    assert training["data"]["basic_course"] is True
    assert training["data"]["topics"] == ["de_escalation"]

    supervisor = api_session(live_server, world.supervisor.email)
    involvements = supervisor.get(f"{live_server}/api/reports/involvements",
                                  params={"school_year": SCHOOL_YEAR}, timeout=10).json()
    [school] = [one for one in involvements["schools"] if one["school"]["id"] == world.school_id]
    assert school["total"] == 2
    assert {(cell["basis"], cell["action"]): cell["total"] for cell in school["by_basis_action"]} == {
        ("imminent_threat", "investigation"): 1, ("discipline", "arrest"): 1}
    assert [one["reason"] for one in involvements["exceptions"]] == ["Weapon found during a discipline search."]

    compliance = supervisor.get(f"{live_server}/api/reports/compliance",
                                params={"school_year": SCHOOL_YEAR}, timeout=10).json()
    [entry] = [one for one in compliance["training"] if one["officer"]["id"] == world.officer.id]
    assert entry["yearly_course"]["hours"] == 7.5
    assert entry["yearly_course"]["courses"] == 1
    assert entry["basic_course"]["status"] == "met"

    # The supervisor's review screens read the new kinds from the description too.
    review = pin_clock(page.context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US",
                                                       timezone_id="America/Chicago"), E2E_NOW)
    desk = review.new_page()
    errors: list[str] = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.goto(f"{live_server}/review/")
    desk.get_by_label("Email").fill(world.supervisor.email)
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    expect(desk.get_by_role("heading", name="Program compliance")).to_be_visible()
    desk.goto(f"{live_server}/review/#log")
    rows = desk.locator("table.records tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Crisis intervention for school officers · State academy")).to_have_count(1)
    expect(rows.filter(has_text="Imminent threat · Students involved: 1")).to_have_count(1)
    desk.screenshot(path=str(shots.folder / f"{shots.prefix}-review-log.png"))
    desk.goto(f"{live_server}/review/#monthly")
    captions = desk.locator("figure.chart-figure figcaption")
    expect(captions.filter(has_text="Involvements (all bases)")).to_have_count(1)
    expect(captions.filter(has_text="Training courses (all providers)")).to_have_count(1)
    desk.screenshot(path=str(shots.folder / f"{shots.prefix}-review-monthly.png"), full_page=True)
    assert not errors, errors
    review.close()
