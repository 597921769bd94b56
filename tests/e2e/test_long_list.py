"""Issue 16: a big officer's list of records draws a window at a time, and every record stays
reachable (search, scrolling, the keyboard's "Show more"), accessible at 360 px."""

import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import E2E_NOW, push
from tests.e2e.phone import SYNC_TIMEOUT_MS, expect_pending, open_app, sign_in

RECORDS = 300
WINDOW = 100  # pwa/views/home.js LIST_WINDOW
FAR_TOPIC = "Bike rodeo"
PHONE_ZONE = ZoneInfo("America/Chicago")  # the browser's (tests/e2e/conftest.py browser_context_args)


def occurred_at(index: int) -> datetime:
    """When the index-th newest record happened: every three hours back from the e2e "now"."""
    return datetime.fromisoformat(E2E_NOW) - timedelta(hours=3 * (index + 1))


def week_of(index: int) -> date:
    """The Monday, on the phone's clock, of the week the index-th newest record is drawn in."""
    day = occurred_at(index).astimezone(PHONE_ZONE).date()
    return day - timedelta(days=day.weekday())


def push_records(base_url: str, email: str, school_id: int) -> None:
    """RECORDS activities over the last six weeks, pushed as the officer's other phone would;
    the oldest, the farthest down the list, is the only one about FAR_TOPIC."""
    mutations = [{
        "mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4()), "kind": "activity", "base_version": None,
        "voided": False, "void_reason": None,
        "data": {"school_id": school_id, "duration_minutes": 30, "notes": None,
                 "occurred_at": occurred_at(index).isoformat(),
                 "activity_type": "counseling_student", "count": 1,
                 "topic": FAR_TOPIC if index == RECORDS - 1 else f"Check-in {index}"}}
        for index in range(RECORDS)]
    push(base_url, email, mutations, device_id="other-phone")


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
    # Each says where it stands in its whole week, drawn or not: the last drawn item's week goes on
    # past the window, so its set is bigger than its position.
    weeks = Counter(week_of(index) for index in range(RECORDS))
    first, last = items.first, items.nth(WINDOW - 1)
    expect(first).to_have_attribute("aria-posinset", "1")
    expect(first).to_have_attribute("aria-setsize", str(weeks[week_of(0)]))
    last_week = week_of(WINDOW - 1)
    drawn_of_last_week = sum(1 for index in range(WINDOW) if week_of(index) == last_week)
    assert drawn_of_last_week < weeks[last_week], "the test's data must leave the window's last week partly drawn"
    expect(last).to_have_attribute("aria-posinset", str(drawn_of_last_week))
    expect(last).to_have_attribute("aria-setsize", str(weeks[last_week]))
    expect(page.locator("#all-records")).not_to_contain_text(FAR_TOPIC)
    assert_accessible(page, "all records, first window")
    shots(page, "first-window")

    # A far record is one search away.
    page.get_by_label("Search records").fill("bike rodeo")
    expect(items).to_have_count(1)
    expect(page.locator("#records-shown")).to_have_text(f"1 of {RECORDS} records")
    expect(page.locator("#all-records")).to_contain_text(FAR_TOPIC)

    # A sync that finishes while the officer is searching redraws the screen in place: the search,
    # its result and the focus stay as they were (the list is marked to see that it was redrawn).
    page.locator("#all-records").evaluate("(list) => { list.dataset.beforeSync = 'yes'; }")
    page.context.set_offline(True)
    page.context.set_offline(False)  # back online: the app syncs at once
    expect(page.locator("#all-records[data-before-sync]")).to_have_count(0, timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_label("Search records")).to_have_value("bike rodeo")
    expect(page.get_by_label("Search records")).to_be_focused()
    expect(items).to_have_count(1)
    expect(page.locator("#records-shown")).to_have_text(f"1 of {RECORDS} records")
    page.get_by_label("Search records").fill("")
    expect(items).to_have_count(WINDOW)

    # Scrolling towards the end draws the next window before the officer gets there.
    page.locator("#records-more").scroll_into_view_if_needed()
    expect(items).to_have_count(2 * WINDOW)

    # The keyboard's way: "Show more records" draws the rest and puts the focus on the first new record.
    page.get_by_role("button", name="Show more records").press("Enter")
    expect(items).to_have_count(RECORDS)
    expect(items.nth(2 * WINDOW).get_by_role("link")).to_be_focused()
    expect(page.get_by_role("button", name="Show more records")).to_be_hidden()
    expect(page.locator("#records-shown")).to_have_text(f"{RECORDS} records, newest first, by week")
    expect(page.locator("#all-records")).to_contain_text(FAR_TOPIC)
    assert_accessible(page, "all records, every window")
    shots(page, "every-window")
