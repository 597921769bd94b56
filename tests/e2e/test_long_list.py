"""Issue 16: a big officer's list of records draws a window at a time, and every record stays
reachable (search, scrolling, the keyboard's "Show more"), accessible at 360 px."""

import uuid
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import E2E_NOW, api_session
from tests.e2e.phone import SYNC_TIMEOUT_MS, expect_pending, open_app, sign_in

RECORDS = 300
WINDOW = 100  # pwa/views/home.js LIST_WINDOW
FAR_TOPIC = "Bike rodeo"


def push_records(base_url: str, email: str, school_id: int) -> None:
    """RECORDS activities over the last six weeks, pushed as the officer's other phone would;
    the oldest, the farthest down the list, is the only one about FAR_TOPIC."""
    now = datetime.fromisoformat(E2E_NOW)
    mutations = [{
        "mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4()), "kind": "activity", "base_version": None,
        "voided": False, "void_reason": None,
        "data": {"school_id": school_id, "duration_minutes": 30, "notes": None,
                 "occurred_at": (now - timedelta(hours=3 * (index + 1))).isoformat(),
                 "activity_type": "counseling_student", "count": 1,
                 "topic": FAR_TOPIC if index == RECORDS - 1 else f"Check-in {index}"}}
        for index in range(RECORDS)]
    response = api_session(base_url, email).post(f"{base_url}/api/sync/push",
                                                 json={"device_id": "other-phone", "mutations": mutations}, timeout=30)
    assert response.status_code == 200, response.text
    assert {result["status"] for result in response.json()["results"]} == {"applied"}


def test_a_long_list_draws_a_window_and_every_record_stays_reachable(page: Page, live_server, world, shots):
    push_records(live_server, world.officer.email, world.school_id)
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    page.goto(live_server + "/#/all")
    expect(page.get_by_role("heading", name=f"All records ({RECORDS})")).to_be_visible()

    # Only the first window is drawn, each item saying where it stands in its week.
    items = page.locator("#all-records li")
    expect(items).to_have_count(WINDOW)
    expect(page.locator("#records-shown")).to_have_text(f"{RECORDS} records, newest first, by week; "
                                                        f"the first {WINDOW} shown")
    first = items.first
    expect(first).to_have_attribute("aria-posinset", "1")
    assert int(first.get_attribute("aria-setsize")) >= 1
    expect(page.locator("#all-records")).not_to_contain_text(FAR_TOPIC)
    assert_accessible(page, "all records, first window")
    shots(page, "first-window")

    # A far record is one search away.
    page.get_by_label("Search records").fill("bike rodeo")
    expect(items).to_have_count(1)
    expect(page.locator("#records-shown")).to_have_text(f"1 of {RECORDS} records")
    expect(page.locator("#all-records")).to_contain_text(FAR_TOPIC)
    page.get_by_label("Search records").fill("")
    expect(items).to_have_count(WINDOW)

    # Scrolling towards the end draws the next window before the officer gets there.
    page.locator("#records-more").scroll_into_view_if_needed()
    expect(items).to_have_count(2 * WINDOW)

    # The keyboard's way: "Show more records" draws the rest and puts the focus on the first new record.
    page.get_by_role("button", name="Show more records").focus()
    page.keyboard.press("Enter")
    expect(items).to_have_count(RECORDS)
    expect(items.nth(2 * WINDOW).get_by_role("link")).to_be_focused()
    expect(page.get_by_role("button", name="Show more records")).to_be_hidden()
    expect(page.locator("#records-shown")).to_have_text(f"{RECORDS} records, newest first, by week")
    expect(page.locator("#all-records")).to_contain_text(FAR_TOPIC)
    assert_accessible(page, "all records, every window")
    shots(page, "every-window")
