"""Issue 13: an admin enters an officer's 120-hour basic course from the compliance screen, and the
officer's training rule turns from missing to met. The course becomes the officer's own record
(tests/api/test_training_entered_by_admin.py holds the server side)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.test_review_screens import NOW, PHONE, every_control_is_labelled_and_big_enough, open_review, review_world  # noqa: F401

pytestmark = pytest.mark.frozen_now(NOW)


def test_admin_enters_the_basic_course_and_the_rule_is_met(browser, live_server, review_world, screenshots):  # noqa: F811
    page = open_review(browser, live_server, review_world.admin, PHONE)
    expect(page.get_by_role("heading", name="Program compliance")).to_be_visible()
    card = page.locator("article.unit").filter(has_text="Officer Dana Reyes")
    expect(card).to_contain_text("No basic SRO course (120 hours) recorded.")

    card.get_by_text("Enter a course for Officer Dana Reyes").click()
    entry = card.get_by_role("form", name="Enter a course for Officer Dana Reyes")
    expect(entry.get_by_label("Hours")).to_have_value("120")
    expect(entry.get_by_label("This is the 120-hour basic SRO course")).to_be_checked()
    every_control_is_labelled_and_big_enough(page)
    assert_accessible(page, "course entry (phone)")
    entry.get_by_role("button", name="Record the course").click()
    # No date: the message stands beside the field, and nothing is sent.
    expect(entry.get_by_label("Completed on")).to_have_attribute("aria-invalid", "true")
    expect(entry).to_contain_text("Enter the date the course was completed.")
    page.screenshot(path=str(screenshots / "review-course-entry-error-phone.png"))
    entry.get_by_label("Completed on").fill("2021-06-18")
    entry.get_by_label("Certificate number (optional)").fill("KY-SRO-4471")
    entry.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "review-course-entry-phone.png"))
    entry.get_by_role("button", name="Record the course").click()

    card = page.locator("article.unit").filter(has_text="Officer Dana Reyes")
    expect(card).to_contain_text("Basic SRO course completed on 2021-06-18.")
    assert not page.errors
