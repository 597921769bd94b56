"""What an officer does with the PWA, as Playwright steps (no waiting on fixed sleeps)."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PASSWORD

SYNC_TIMEOUT_MS = 10_000


def open_app(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.locator("body[data-ready=true]")).to_be_attached()


def sign_in(page: Page, email: str, landing: Locator | None = None) -> None:
    """Sign in on the app's sign-in screen and wait until `landing` shows (by default the officer's
    home: its "Extracurricular contact" link; a principal lands elsewhere)."""
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    landing = landing or page.get_by_role("link", name="Extracurricular contact", exact=True)
    expect(landing).to_be_visible()


def wait_until_offline_ready(page: Page) -> None:
    """The service worker controls the page and has told it the shell version."""
    expect(page.locator(".version")).to_contain_text("App version")


def expect_pending(page: Page, count: int, timeout: int = 5_000) -> None:
    text = re.compile("All records synced|Nothing to send") if count == 0 else f"{count} waiting to sync"
    expect(page.locator("#pending-count")).to_have_text(text, timeout=timeout)


def start(page: Page, action: str) -> None:
    page.get_by_role("link", name=action, exact=True).click()
    expect(page.locator("form.record-form")).to_be_visible()


def save(page: Page) -> None:
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved on this phone")


def record_contact(page: Page, event: str, students: int = 3, when: str | None = None, notes: str | None = None) -> None:
    start(page, "Extracurricular contact")
    page.get_by_label("Event name", exact=True).fill(event)
    page.get_by_label("Event type", exact=True).select_option("athletic")
    for _ in range(students):
        page.get_by_role("button", name="One more: Students contacted (approximate)").click()
    if when:
        page.get_by_label("When", exact=True).fill(when)
    if notes:
        page.get_by_label("Notes (optional)", exact=True).fill(notes)
    save(page)


def expect_set_aside(page: Page, event: str) -> Locator:
    """The queue has drained and the one record the server would not take needs attention; returns that list."""
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#attention-count")).to_have_text("1 needs attention")
    attention = page.locator("#attention")
    expect(attention.get_by_text(event)).to_be_visible()
    expect(attention.locator(".badge", has_text="Needs attention")).to_be_visible()
    return attention


def record_introduction(page: Page) -> None:
    start(page, "Introduction")
    page.get_by_label("Audience", exact=True).select_option("new_students")
    page.get_by_label("Format", exact=True).select_option("assembly")
    page.get_by_label("People present", exact=True).fill("120")
    save(page)


def record_meeting(page: Page, attendee: str = "Dr. Alvarez") -> None:
    start(page, "Principal meeting")
    page.get_by_label("Met with (name)", exact=True).fill(attendee)
    page.get_by_label("Their role", exact=True).select_option("principal")
    page.get_by_label("Safety concerns", exact=True).check()
    page.get_by_label("Upcoming events", exact=True).check()
    save(page)


def record_activity(page: Page) -> None:
    start(page, "Other activity")
    page.get_by_label("Activity type", exact=True).select_option("classroom_presentation")
    page.get_by_label("Topic (optional)", exact=True).fill("Internet safety")
    save(page)
