"""Principals in the same PWA at phone size: confirm or dispute the meetings officers record,
offline too, and the officer's phone shows the decision after its next sync (issue 5).

Each test saves screenshots of the principal's screens to test-results/screenshots/.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from playwright.sync_api import Page, Route, expect

from server import create_app
from server.extensions import db
from tests import factories
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PASSWORD, api_session, pin_clock, pull_everything, push
from tests.sync_support import CENTRAL, mutation
from tests.e2e.phone import SYNC_TIMEOUT_MS, expect_pending, open_app, save, sign_in, start, wait_until_offline_ready

# Tuesday of Thanksgiving week, for server and phones: the weeks up to 16 November have ended, and a
# meeting recorded "now" falls in the week of 23 November, which has not.
pytestmark = pytest.mark.frozen_now("2026-11-24T10:00:00-06:00")


@dataclass
class School:
    id: int
    name: str
    officer: factories.UserInfo
    principal: factories.UserInfo
    other_principal: factories.UserInfo


@pytest.fixture
def school(database_url, live_server) -> School:
    """A school with the 2026-2027 term calendar, its officer (since 1 Sept 2026) and principal,
    and a principal of another school."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    built = factories.make_beat(app, password=PASSWORD, officer_since=date(2026, 9, 1), supervisor=False,
                                other_school=True)
    with app.app_context():
        db.engine.dispose()
    return School(built.school.id, built.school.name, built.officer, built.principal, built.other_principal)


def principal_lands(page: Page):
    return page.get_by_role("heading", name=re.compile(r"^(\d+|No) meetings? to confirm$"))


def principal_phone(new_context, base_url: str, school: School, *, offline_ready: bool = False) -> Page:
    """A second phone: the school's principal, signed in (and ready to work offline when asked)."""
    principal = new_context().new_page()
    open_app(principal, base_url)
    sign_in(principal, school.principal.email, principal_lands(principal))
    if offline_ready:
        wait_until_offline_ready(principal)
    return principal


def record_meeting(page: Page, summary: str, when: str | None = None) -> None:
    start(page, "Principal meeting")
    page.get_by_label("Met with (name)", exact=True).fill("Dr. Maria Alvarez")
    page.get_by_label("Their role", exact=True).select_option("principal")
    page.get_by_label("Safety concerns", exact=True).check()
    page.get_by_label("Upcoming events", exact=True).check()
    page.get_by_label("Summary (optional)", exact=True).fill(summary)
    if when:
        page.get_by_label("When", exact=True).fill(when)
    save(page)


def expect_decisions_pending(page: Page, count: int, timeout: int = 5_000) -> None:
    text = "All decisions sent" if count == 0 else f"{count} decision{'s' if count > 1 else ''} waiting to send"
    expect(page.locator("#pending-count")).to_have_text(text, timeout=timeout)


def meeting_card(page: Page, summary: str):
    return page.locator("li.meeting", has_text=summary).first


def meetings_of(base_url: str, email: str) -> dict[str, dict]:
    return {change["data"]["summary"]: change for change in pull_everything(base_url, email)}


def officer_records_meetings_and_syncs(page: Page, base_url: str, school: School, *summaries: tuple[str, str]) -> None:
    open_app(page, base_url)
    sign_in(page, school.officer.email)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    for summary, when in summaries:
        record_meeting(page, summary, when)
    expect_pending(page, len(summaries))
    page.context.set_offline(False)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)


def test_officer_records_offline_principal_confirms_and_disputes_officer_sees_it(
        page: Page, new_context, live_server, school, shots):
    officer = page
    officer_records_meetings_and_syncs(officer, live_server, school,
                                       ("Lunch duty rota and the winter dance", "2026-11-16T08:00"),
                                       ("Parking lot traffic at pickup", "2026-11-18T08:30"),
                                       ("Bus loop camera and the assembly", None))

    principal = principal_phone(new_context, live_server, school)
    expect(principal.get_by_role("heading", name="3 meetings to confirm")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect(principal.get_by_text("Officer Dana Reyes").first).to_be_visible()
    expect(principal.get_by_text("Safety concerns, Upcoming events").first).to_be_visible()
    missing = principal.locator("details.missing")
    expect(missing).to_contain_text("11 weeks in term with no meeting at all", timeout=SYNC_TIMEOUT_MS)
    assert_accessible(principal, "principal home")
    shots(principal, "principal-home")
    missing.locator("summary").click()
    expect(missing.locator(".chips li").first).to_have_text("Week of Aug 31")
    expect(missing.locator(".chips li")).to_have_count(11)  # 31 Aug to 9 Nov; 16 and 23 Nov have meetings
    shots(principal, "principal-home-full", full_page=True)

    # Confirm the whole week of 16 November at once; the week of the 23rd stays to decide.
    week = principal.locator("section.week", has_text="Parking lot traffic")
    week.get_by_role("button", name="Confirm all 2 of this week").click()
    expect(principal.get_by_role("status")).to_contain_text("2 meetings confirmed")
    expect(principal.get_by_role("heading", name="1 meeting to confirm")).to_be_visible()
    expect_decisions_pending(principal, 0, timeout=SYNC_TIMEOUT_MS)
    expect(meeting_card(principal, "Parking lot traffic").locator(".badge")).to_have_text("Confirmed")

    # Dispute the other: a dispute needs a comment, said beside the field.
    meeting_card(principal, "Bus loop camera").get_by_role("link", name="Dispute…").click()
    expect(principal.get_by_label("Comment", exact=True)).to_be_focused()
    principal.get_by_role("button", name="Dispute").click()
    expect(principal.locator("#comment-error")).to_have_text("Say what is wrong with this record: a dispute needs a comment.")
    expect(principal.get_by_label("Comment", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(principal, "principal dispute form")
    shots(principal, "dispute-needs-a-comment")
    principal.get_by_label("Comment", exact=True).fill("We met on Tuesday, not Monday, and the camera was not discussed.")
    principal.get_by_role("button", name="Dispute").click()
    expect(principal.get_by_role("heading", name="No meetings to confirm")).to_be_visible()
    expect_decisions_pending(principal, 0, timeout=SYNC_TIMEOUT_MS)
    expect(meeting_card(principal, "Bus loop camera").locator(".badge")).to_have_text("Disputed")
    expect(principal.locator("#toast")).to_be_hidden(timeout=6_000)
    shots(principal, "principal-all-decided")

    meeting_card(principal, "Bus loop camera").locator("a").first.click()
    history = principal.locator("#history")
    expect(history.locator("li")).to_have_count(2)
    expect(history.locator("li").nth(0)).to_contain_text("Recorded · version 1")
    expect(history.locator("li").nth(0)).to_contain_text("Officer Dana Reyes")
    expect(history.locator("li").nth(1)).to_contain_text("Disputed · version 1")
    expect(history.locator("li").nth(1)).to_contain_text("Dr. Maria Alvarez")
    expect(history.locator("li").nth(1)).to_contain_text("camera was not discussed")
    assert_accessible(principal, "principal meeting record")
    shots(principal, "meeting-history", full_page=True)

    # The officer's phone, after its next sync.
    officer.get_by_role("button", name="Sync now").click()
    expect(officer.locator(".rec .badge", has_text="Confirmed by principal")).to_have_count(2, timeout=SYNC_TIMEOUT_MS)
    recent = officer.get_by_role("list", name="Recent records")
    expect(recent.locator(".rec .badge", has_text="Disputed by principal")).to_have_count(1)
    # Issue 17: the dispute also needs the officer's attention, with the principal's comment.
    expect(officer.get_by_role("list", name="Records that need attention")).to_contain_text("camera was not discussed")
    recent.locator(".rec", has_text="Met Dr. Maria Alvarez").filter(has=officer.locator(".badge", has_text="Disputed")).click()
    expect(officer.get_by_role("heading", name="Principal: Disputed")).to_be_visible()
    expect(officer.get_by_text("camera was not discussed")).to_be_visible()
    expect(officer.get_by_text("Dr. Maria Alvarez,")).to_be_visible()
    shots(officer, "officer-sees-the-dispute")

    seen = meetings_of(live_server, school.officer.email)
    assert seen["Parking lot traffic at pickup"]["confirmation"]["status"] == "confirmed"
    assert seen["Bus loop camera and the assembly"]["confirmation"]["comment"].startswith("We met on Tuesday")
    # Another school's principal sees none of them.
    assert pull_everything(live_server, school.other_principal.email) == []


def test_an_offline_decision_is_queued_and_applied_once_when_the_first_answer_is_dropped(
        page: Page, new_context, live_server, school, shots):
    officer_records_meetings_and_syncs(page, live_server, school, ("Weekly check-in", None))

    principal = principal_phone(new_context, live_server, school, offline_ready=True)
    expect(principal.get_by_role("heading", name="1 meeting to confirm")).to_be_visible(timeout=SYNC_TIMEOUT_MS)

    principal.context.set_offline(True)
    principal.reload()
    expect(principal.get_by_role("heading", name="1 meeting to confirm")).to_be_visible()
    meeting_card(principal, "Weekly check-in").get_by_role("button", name="Confirm").click()
    expect(principal.get_by_role("status")).to_contain_text("it will be sent when online")
    expect_decisions_pending(principal, 1)
    expect(meeting_card(principal, "Weekly check-in").locator(".badge")).to_have_text("Confirmed · waiting to send")
    expect(principal.locator("#sync-status")).to_have_text("Offline: decisions are saved on this phone.")
    expect(principal.locator("#toast")).to_be_hidden(timeout=6_000)
    shots(principal, "decision-waiting-offline")
    principal.reload()  # still queued after the app restarts
    expect_decisions_pending(principal, 1)

    sent: list[dict] = []

    def drop_first_answer(route: Route) -> None:
        sent.append(json.loads(route.request.post_data))
        if len(sent) == 1:
            route.fetch()  # the server records the decision...
            route.abort("connectionreset")  # ...and the phone never hears back
        else:
            route.continue_()

    principal.route("**/api/meetings/*/confirmation", drop_first_answer)
    principal.context.set_offline(False)
    expect_decisions_pending(principal, 0, timeout=SYNC_TIMEOUT_MS)
    expect(meeting_card(principal, "Weekly check-in").locator(".badge")).to_have_text("Confirmed")
    shots(principal, "decision-sent-after-retry")

    assert len(sent) >= 2
    assert sent[0]["mutation_id"] == sent[1]["mutation_id"]
    assert sent[0]["base_version"] == 1
    [meeting] = pull_everything(live_server, school.officer.email)
    history = api_session(live_server, school.principal.email).get(
        f"{live_server}/api/records/{meeting['id']}/history", timeout=10).json()
    assert [revision["action"] for revision in history["revisions"]] == ["create", "confirm"]  # applied once


def test_a_stale_decision_comes_back_to_review_with_what_the_officer_changed(
        page: Page, new_context, live_server, school, shots):
    officer_records_meetings_and_syncs(page, live_server, school, ("Fire drill timing", None))

    principal = principal_phone(new_context, live_server, school)
    expect(principal.get_by_role("heading", name="1 meeting to confirm")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    principal.context.set_offline(True)
    meeting_card(principal, "Fire drill timing").get_by_role("button", name="Confirm").click()
    expect_decisions_pending(principal, 1)

    # Meanwhile the officer corrects the meeting from another device.
    [meeting] = pull_everything(live_server, school.officer.email)
    [answer] = push(live_server, school.officer.email, device_id="tablet", mutations=[{
        "mutation_id": str(uuid.uuid4()), "id": meeting["id"], "kind": meeting["kind"], "base_version": 1,
        "data": {**meeting["data"], "summary": "Fire drill timing and the lockdown drill"},
        "voided": False, "void_reason": None}])
    assert answer["status"] == "applied"

    principal.context.set_offline(False)
    expect(principal.locator("#attention-count")).to_have_text("1 needs attention", timeout=SYNC_TIMEOUT_MS)
    expect(principal.get_by_role("heading", name="1 meeting to confirm")).to_be_visible()
    card = principal.locator("#attention li.meeting")
    expect(card.locator(".badge")).to_have_text("Changed by the officer: review again")
    expect(principal.locator("#toast")).to_be_hidden(timeout=6_000)
    shots(principal, "review-again-home")
    card.locator("a").first.click()
    review = principal.locator("#review-again")
    expect(review).to_contain_text("You confirmed this meeting as it read then")
    expect(review).to_contain_text("the officer changed it since")
    expect(review).to_contain_text("Summary: Fire drill timing → Fire drill timing and the lockdown drill")
    shots(principal, "review-again-meeting")
    principal.get_by_role("button", name="Confirm").click()
    expect_decisions_pending(principal, 0, timeout=SYNC_TIMEOUT_MS)
    expect(principal.locator("#attention-count")).to_have_count(0)
    expect(meeting_card(principal, "lockdown drill").locator(".badge")).to_have_text("Confirmed")

    [meeting] = pull_everything(live_server, school.officer.email)
    assert (meeting["version"], meeting["confirmation"]["status"], meeting["confirmation"]["version"]) == (2, "confirmed", 2)


def test_an_expired_session_keeps_queued_decisions_and_sends_them_after_signing_in(
        page: Page, new_context, live_server, school, shots):
    officer_records_meetings_and_syncs(page, live_server, school, ("Hallway supervision", None))

    principal = principal_phone(new_context, live_server, school, offline_ready=True)
    expect(principal.get_by_role("heading", name="1 meeting to confirm")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    principal.context.set_offline(True)
    meeting_card(principal, "Hallway supervision").get_by_role("button", name="Confirm").click()
    expect_decisions_pending(principal, 1)
    principal.context.clear_cookies()  # the session ends while the phone is offline
    principal.reload()
    principal.context.set_offline(False)

    # The 401 ends the session on the phone too: the decision stays, counted on the sign-in screen.
    expect(principal.get_by_text("Your session has ended")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect(principal.locator("#waiting")).to_have_text("1 decision waits for Dr. Maria Alvarez to sign in again.")
    [meeting] = pull_everything(live_server, school.officer.email)
    assert meeting["confirmation"]["status"] == "pending"
    expect(principal.locator("#toast")).to_be_hidden(timeout=6_000)
    shots(principal, "session-ended-decision-kept")

    sign_in(principal, school.principal.email, principal_lands(principal))
    expect_decisions_pending(principal, 0, timeout=SYNC_TIMEOUT_MS)
    [meeting] = pull_everything(live_server, school.officer.email)
    assert (meeting["confirmation"]["status"], meeting["confirmation"]["by_name"]) == ("confirmed", "Dr. Maria Alvarez")


def test_a_principal_on_a_desktop_confirms_from_the_same_app(browser, live_server, school, shots, frozen_now):
    mutations = [mutation(kind="principal_meeting", school_id=school.id, when=when, summary=summary)
                 for summary, when in (("Attendance review", datetime(2026, 11, 9, 8, 0, tzinfo=CENTRAL)),
                                       ("Winter dance plan", datetime(2026, 11, 17, 8, 0, tzinfo=CENTRAL)))]
    pushed = push(live_server, school.officer.email, mutations, device_id="phone")
    assert [result["status"] for result in pushed] == ["applied", "applied"]

    context = pin_clock(browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US",
                                            timezone_id="America/Chicago"), frozen_now)
    desktop = context.new_page()
    open_app(desktop, live_server)
    sign_in(desktop, school.principal.email, principal_lands(desktop))
    expect(desktop.get_by_role("heading", name="2 meetings to confirm")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect(desktop.locator("details.missing")).to_contain_text("10 weeks in term with no meeting at all",
                                                               timeout=SYNC_TIMEOUT_MS)
    headings = desktop.locator("section.week h3")
    expect(headings).to_have_text(["Week of Mon, Nov 16", "Week of Mon, Nov 9"])  # newest first
    meeting_card(desktop, "Winter dance plan").get_by_role("button", name="Confirm").click()
    expect_decisions_pending(desktop, 0, timeout=SYNC_TIMEOUT_MS)
    expect(desktop.get_by_role("heading", name="1 meeting to confirm")).to_be_visible()
    expect(desktop.locator("section.week h3").first).to_have_text("Week of Mon, Nov 9")  # what is left to decide first
    expect(desktop.locator("#toast")).to_be_hidden(timeout=6_000)
    assert_accessible(desktop, "principal home (desktop)")
    shots(desktop, "principal-desktop")
    context.close()


def test_supervisors_are_sent_to_the_review_pages(page: Page, live_server, school, database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    supervisor = factories.make_user(app, "supervisor", password=PASSWORD)
    with app.app_context():
        db.engine.dispose()
    open_app(page, live_server)
    sign_in(page, supervisor.email, page.get_by_role("alert"))
    expect(page.get_by_role("alert")).to_contain_text("Supervisors and admins: open /review/")
