"""My program on the officer's phone (issue 14): the officer's own standing online, then offline
from the copy kept with how fresh it is, a meeting saved offline counted at once; the home
screen's reminder when a school week has no meeting by Thursday; and the principal's semester
feedback, given in the principal's app, read by the supervisor and (without a name) by the officer.

Screenshots land in test-results/screenshots/ (my-program-*.png); people look at them.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.test_review_screens import open_review
from tests.e2e.conftest import PHONE, api_session, pull_everything
from tests.e2e.phone import (
    SYNC_TIMEOUT_MS, expect_pending, open_app, record_meeting, sign_in, wait_until_offline_ready,
)

THURSDAY = "2026-12-03T10:00:00-06:00"  # the week of the e2e default (E2E_NOW, a Monday)


def open_program(page: Page) -> None:
    page.get_by_role("link", name="My program").click()
    expect(page.get_by_role("heading", name="My program")).to_be_visible()


def test_my_program_online_then_offline_with_how_fresh_it_is(page: Page, live_server, beat, shots):
    open_app(page, live_server)
    sign_in(page, beat.officer.email)
    wait_until_offline_ready(page)
    open_program(page)
    expect(page.locator("#program-as-of")).to_have_text("Up to date, as of 10:00 AM this morning.")
    meeting = page.locator("section.program-card", has_text="This week's principal meeting")
    expect(meeting).to_contain_text("not over yet")
    expect(page.get_by_role("list", name="School weeks in term").locator("li").first).to_contain_text("Week of")
    expect(page.locator("section.program-card", has_text="Faculty meetings")).to_contain_text("0 of 6 faculty meetings")
    expect(page.locator("section.program-card", has_text="Semester review")).to_contain_text("Fall semester")
    expect(page.locator("section.program-card", has_text="Training")).to_contain_text("No basic SRO course")
    expect(page.locator("#corrections-count")).to_have_text("None.")
    assert_accessible(page, "my program (online)")
    shots(page, "online")
    shots(page, "online-full", full_page=True)

    page.context.set_offline(True)
    page.get_by_role("link", name="Back").click()
    record_meeting(page)
    expect_pending(page, 1)
    open_program(page)
    expect(page.locator("#program-as-of")).to_contain_text("Offline: showing your program as of 10:00 AM this morning.")
    expect(meeting).to_contain_text("Recorded, waiting to sync.")
    expect(meeting.locator("h4 .badge")).to_have_text("Waiting to sync")
    assert_accessible(page, "my program (offline)")
    shots(page, "offline")

    page.context.set_offline(False)
    page.get_by_role("link", name="Back").click()
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    open_program(page)
    expect(meeting).to_contain_text("Met; waiting for the principal to confirm.")

    # The supervisor sends the meeting back (the record review, POST /api/records/<id>/review): once
    # the phone has pulled it, My program counts it from the phone's own copy.
    [sent] = pull_everything(live_server, beat.officer.email)
    answer = api_session(live_server, beat.supervisor.email).post(
        f"{live_server}/api/records/{sent['id']}/review", timeout=10,
        json={"decision": "needs_correction", "comment": "Say who you met.", "base_version": sent["version"]})
    assert answer.status_code == 200, answer.text
    page.get_by_role("link", name="Back").click()
    page.get_by_role("button", name="Sync now").click()
    expect(page.locator("#attention")).to_contain_text("Say who you met.", timeout=SYNC_TIMEOUT_MS)
    open_program(page)
    expect(page.locator("#corrections-count")).to_have_text("1 record sent back by your supervisor.")
    expect(page.locator("#program-as-of")).to_contain_text("Up to date")

    # The connection drops while the screen is open: the next sync fails and the screen, redrawn
    # from the copy kept, no longer claims to be up to date.
    page.context.set_offline(True)
    page.clock.fast_forward("01:05")  # the app's minute sync comes round
    expect(page.locator("#program-as-of")).to_contain_text("Offline: showing your program as of")


@pytest.mark.frozen_now(THURSDAY)
def test_a_thursday_without_a_meeting_shows_a_dismissible_reminder(page: Page, live_server, beat, shots):
    open_app(page, live_server)
    sign_in(page, beat.officer.email)
    reminder = page.locator("#meeting-reminder")
    expect(reminder).to_contain_text("No principal meeting this week yet")
    expect(reminder).to_contain_text("Northside High")
    assert_accessible(page, "home with the meeting reminder")
    shots(page, "reminder")
    reminder.get_by_role("button", name="Not this week").click()
    expect(reminder).to_have_count(0)
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_role("link", name="My program")).to_be_visible()
    expect(page.locator("#meeting-reminder")).to_have_count(0)  # dismissed for the week, on this phone


@pytest.mark.frozen_now(THURSDAY)
def test_a_meeting_recorded_this_week_means_no_reminder(page: Page, live_server, beat):
    open_app(page, live_server)
    sign_in(page, beat.officer.email)
    expect(page.locator("#meeting-reminder")).to_be_visible()
    record_meeting(page)
    expect(page.get_by_role("link", name="My program")).to_be_visible()
    expect(page.locator("#meeting-reminder")).to_have_count(0)


def test_principal_gives_feedback_supervisor_sees_it_officer_sees_the_ratings(
        page: Page, browser, new_context, live_server, beat, shots):
    principal = new_context().new_page()
    open_app(principal, live_server)
    sign_in(principal, beat.principal.email, principal.get_by_role("link", name="Semester feedback"))
    principal.get_by_role("link", name="Semester feedback").click()
    form = principal.locator("form.feedback", has_text="Officer Dana Reyes")
    notice = principal.locator("#feedback-notice")
    expect(notice).to_contain_text("The officer will see your ratings and comment.")
    expect(notice).to_contain_text("your school has one principal, so they will know the feedback is yours")
    assert_accessible(principal, "principal: semester feedback")
    shots(principal, "feedback-form", full_page=True)
    form.get_by_role("button", name="Send feedback").click()
    expect(form.locator(".error").first).to_contain_text("Choose")
    form.get_by_label("4", exact=True).first.check()
    form.locator("fieldset", has_text="Responsiveness").get_by_label("5", exact=True).check()
    form.get_by_label("Mostly", exact=True).check()
    form.get_by_label("Comment (optional)").fill("Students trust him; he leaves discipline to us.")
    form.get_by_role("button", name="Send feedback").click()
    expect(principal.locator("#toast")).to_contain_text("Feedback sent for Officer Dana Reyes.")
    expect(form.locator(".sent")).to_contain_text("Sent this semester")

    supervisor = open_review(browser, live_server, beat.supervisor, PHONE)  # at E2E_NOW, like the server
    feedback = supervisor.locator("section.rule", has_text="Principal's feedback")
    expect(feedback).to_contain_text("Builds relationships: 4 of 5")
    expect(feedback).to_contain_text("Dr. Maria Alvarez")
    feedback.scroll_into_view_if_needed()
    assert_accessible(supervisor, "supervisor: principal's feedback")
    shots(supervisor, "supervisor-feedback")

    open_app(page, live_server)
    sign_in(page, beat.officer.email)
    open_program(page)
    seen = page.locator("section.program-card", has_text="Principal's feedback")
    expect(seen).to_contain_text("Builds relationships: 4 of 5 · Responsive: 5 of 5 · Stayed out of discipline: Mostly")
    expect(seen).to_contain_text("Students trust him")
    expect(seen).not_to_contain_text("Alvarez")
    seen.scroll_into_view_if_needed()
    shots(page, "officer-feedback")
    expect(seen).to_contain_text("Fall semester")
