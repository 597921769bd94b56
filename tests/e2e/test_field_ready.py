"""Issue 17 "Field-ready": what an officer does at 360x740 at a dance, a game, a meeting.

Each test saves screenshots of the screens it passes to test-results/screenshots/.
"""

import json

from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.conftest import PASSWORD, api_session, pull_everything
from tests.e2e.phone import (
    SYNC_TIMEOUT_MS,
    expect_pending,
    open_app,
    record_activity,
    record_contact,
    record_meeting,
    save,
    sign_in,
    start,
    wait_until_offline_ready,
)


def fill_dance(page: Page) -> None:
    start(page, "Extracurricular contact")
    page.get_by_label("Event name", exact=True).fill("Homecoming dance")
    page.get_by_label("Event type", exact=True).select_option("dance")
    page.get_by_label("Students contacted (approximate)", exact=True).fill("220")


def test_a_half_filled_form_is_kept_as_a_draft_and_resumed(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    fill_dance(page)
    shots(page, "half-filled")

    page.reload()  # the phone restarts the app mid-form
    expect(page.locator("#draft-note")).to_be_visible()
    expect(page.get_by_label("Event name", exact=True)).to_have_value("Homecoming dance")
    expect(page.get_by_label("Event type", exact=True)).to_have_value("dance")
    expect(page.get_by_label("Students contacted (approximate)", exact=True)).to_have_value("220")

    page.go_back()  # Back to home: the draft is listed
    drafts = page.get_by_role("list", name="Drafts")
    expect(drafts).to_contain_text("Homecoming dance · Dance · 220")
    shots(page, "drafts-on-home")

    drafts.get_by_role("link").click()
    expect(page.get_by_label("Event name", exact=True)).to_have_value("Homecoming dance")
    page.get_by_label("Location (optional)", exact=True).fill("Gym")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("status")).to_contain_text("Kept as a draft")
    expect(drafts).to_have_count(1)

    page.get_by_role("button", name="Discard draft").click()
    expect(drafts).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("Draft discarded")
    shots(page, "discard-with-undo")
    page.get_by_role("status").get_by_role("button", name="Undo").click()
    expect(drafts).to_contain_text("Homecoming dance")

    drafts.get_by_role("link").click()
    expect(page.get_by_label("Location (optional)", exact=True)).to_have_value("Gym")
    save(page)
    expect(page.get_by_role("list", name="Drafts")).to_have_count(0)
    expect(page.locator(".rec", has_text="Homecoming dance")).to_have_count(1)

    # Drafts leave the phone with the user's data when they sign out.
    fill_dance(page)
    page.get_by_role("link", name="Cancel").click()
    expect(drafts).to_have_count(1)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, world.officer.email)
    expect(page.get_by_role("list", name="Drafts")).to_have_count(0)


def test_a_date_the_server_would_refuse_is_refused_on_the_phone(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    start(page, "Other activity")
    page.get_by_label("Activity type", exact=True).select_option("classroom_presentation")
    page.get_by_label("When", exact=True).fill("2027-03-01T09:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-occurred_at-error")).to_have_text("Must not be more than a day in the future.")
    shots(page, "future-date-refused")
    page.get_by_label("When", exact=True).fill("1999-12-31T09:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-occurred_at-error")).to_have_text("Must be in the year 2000 or later.")
    page.get_by_label("When", exact=True).fill("2025-12-01T09:00")
    save(page)
    # A date outside the current year shows its year.
    expect(page.locator(".rec .rec-meta").first).to_contain_text("2025")
    shots(page, "year-shown")


def test_a_disputed_meeting_reaches_the_officer(page: Page, app, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    record_meeting(page, "Dr. Maria Alvarez")
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    principal = factories.make_principal_for(
        app, world.school_id, factories.make_user(app, "principal", name="Dr. Maria Alvarez", password=PASSWORD))
    meeting = next(c for c in pull_everything(live_server, principal.email) if c["kind"] == "principal_meeting")
    session = api_session(live_server, principal.email)
    answer = session.post(f"{live_server}/api/meetings/{meeting['id']}/confirmation",
                          json={"decision": "disputed", "comment": "We did not meet that week."}, timeout=10)
    assert answer.status_code == 200, answer.text

    page.get_by_role("button", name="Sync now").click()
    notice = page.locator("#dispute-notice")
    expect(notice).to_have_text("A principal disputed a meeting: see why", timeout=SYNC_TIMEOUT_MS)
    attention = page.get_by_role("list", name="Records that need attention")
    expect(attention).to_contain_text("Dr. Maria Alvarez: “We did not meet that week.”")
    shots(page, "dispute-notice")
    notice.click()
    expect(page.locator("#dispute-notice")).to_have_count(0)
    expect(attention).to_contain_text("Disputed by principal")


def test_the_officer_searches_and_filters_records_by_week(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    record_contact(page, "Homecoming dance", when="2026-10-16T19:00")
    record_contact(page, "Varsity football", when="2026-11-20T19:00")
    record_activity(page)
    page.goto(live_server + "/#/all")
    expect(page.get_by_role("heading", name="All records (3)")).to_be_visible()
    expect(page.locator(".week-title")).to_have_count(3)
    expect(page.locator(".week-title").first).to_contain_text("Week of Mon, Nov 30")
    page.get_by_label("Search records").fill("homecoming")
    expect(page.locator("#all-records .rec")).to_have_count(1)
    expect(page.locator("#records-shown")).to_have_text("1 of 3 records")
    shots(page, "search")
    page.get_by_label("Search records").fill("")
    page.get_by_label("Kind").select_option("extracurricular_contact")
    expect(page.locator("#all-records .rec")).to_have_count(2)
    page.get_by_label("Month").select_option("2026-11")
    expect(page.locator("#all-records .rec")).to_have_count(1)
    expect(page.locator("#all-records")).to_contain_text("Varsity football")
    shots(page, "filtered")


def test_a_new_meeting_starts_with_who_the_officer_met_last_time(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    record_meeting(page, "Dr. Alvarez")
    start(page, "Principal meeting")
    expect(page.get_by_label("Met with (name)", exact=True)).to_have_value("Dr. Alvarez")
    expect(page.get_by_label("Their role", exact=True)).to_have_value("principal")
    shots(page, "prefilled-meeting")


def test_the_waiting_count_counts_records_and_sign_out_names_refused_ones(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    for name in ("Game one", "Game two", "Game three", "Game four"):
        record_contact(page, name)
    page.locator(".rec", has_text="Game one").get_by_role("link").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Location (optional)", exact=True).fill("Stadium")
    save(page)
    page.locator(".rec", has_text="Game two").get_by_role("link").click()
    page.get_by_role("link", name="Void…").click()
    page.get_by_label("Reason").fill("Recorded twice")
    page.get_by_role("button", name="Void record").click()
    expect(page.get_by_role("status")).to_contain_text("Marked void on this phone")
    expect_pending(page, 4)
    shots(page, "four-records-waiting")

    # The server refuses one (here: the school is not the officer's any more).
    page.route("**/api/sync/push", lambda route: refuse_first(route))
    page.context.set_offline(False)
    expect(page.locator("#attention-count")).to_have_text("1 needs attention", timeout=SYNC_TIMEOUT_MS * 2)
    page.get_by_role("button", name="Sign out").click()
    warning = page.locator("#signout-warning")
    expect(warning).to_contain_text("1 record was refused by the server and needs fixing.")
    expect(warning).not_to_contain_text("have not reached the server")
    shots(page, "signout-names-refused")


def refuse_first(route):
    body = json.loads(route.request.post_data)
    response = route.fetch()
    results = response.json()["results"]
    first = body["mutations"][0]["mutation_id"]
    for result in results:
        if result["mutation_id"] == first:
            result.update({"status": "rejected", "errors": {"location": ["Not allowed."]}})
    route.fulfill(response=response, json={"results": results})


def test_a_focused_field_is_never_under_the_save_bar(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    start(page, "Extracurricular contact")
    bar = page.locator(".record-form .form-actions").bounding_box()
    for label in ("Event name", "Location (optional)", "Adults contacted"):
        field = page.get_by_label(label, exact=True)
        if not field.count():
            continue
        page.evaluate("window.scrollTo(0, 0)")
        field.focus()
        box = field.bounding_box()
        bar = page.locator(".record-form .form-actions").bounding_box()
        assert box["y"] + box["height"] <= bar["y"], f"{label} is under the Save bar"
    page.get_by_label("Notes (optional)", exact=True).focus()
    shots(page, "notes-above-the-bar")
    box = page.get_by_label("Notes (optional)", exact=True).bounding_box()
    bar = page.locator(".record-form .form-actions").bounding_box()
    assert box["y"] + box["height"] <= bar["y"]


def test_smaller_things(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    # 0 students: asked once.
    start(page, "Extracurricular contact")
    page.get_by_label("Event name", exact=True).fill("Band concert")
    page.get_by_label("Event type", exact=True).select_option("arts")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-students_contacted-error")).to_have_text("No students? Save again to keep 0 students.")
    shots(page, "no-students")
    save(page)
    # Thousands separator.
    start(page, "Extracurricular contact")
    page.get_by_label("Event name", exact=True).fill("Graduation")
    page.get_by_label("Event type", exact=True).select_option("assembly")
    page.get_by_label("Students contacted (approximate)", exact=True).fill("4692")
    save(page)
    expect(page.locator(".rec", has_text="Graduation")).to_contain_text("4,692 students")
    # Void, then Undo.
    page.locator(".rec", has_text="Band concert").get_by_role("link").click()
    page.get_by_role("link", name="Void…").click()
    page.get_by_label("Reason").fill("Wrong event")
    page.get_by_role("button", name="Void record").click()
    toast = page.get_by_role("status")
    expect(toast).to_contain_text("Marked void on this phone")
    shots(page, "void-undo")
    toast.get_by_role("button", name="Undo").click()
    expect(toast).to_contain_text("Void undone")
    expect(page.locator(".rec.voided")).to_have_count(0)
    # Sync now while offline says so.
    page.context.set_offline(True)
    page.get_by_role("button", name="Sync now").click()
    expect(toast).to_contain_text("Offline: your records are safe on this phone")
    shots(page, "sync-now-offline")
