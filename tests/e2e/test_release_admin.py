"""Publishing the public report from the review screens (issue 15), at 360 px: an admin previews a
month, confirms it, sees it in the list, corrects it; the public site shows the correction and marks
the old release superseded. Screenshots: test-results/screenshots/release-admin-*.png."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_review_screens import PHONE, every_control_is_labelled_and_big_enough, no_horizontal_scroll, open_review
from tests.report_support import push, record
from tests.sync_support import signed_in


@pytest.fixture
def admin(app, live_server) -> factories.UserInfo:
    """A school with an officer who recorded 7 principal meetings and 2 arrests for a crime in October 2026."""
    school = factories.make_school(app, "NHS", "Northside High School")
    officer = factories.make_user(app, "officer", name="Officer Dana Reyes")
    factories.assign_officer(app, officer, school, date(2026, 8, 1))
    phone = signed_in(app, officer.email)
    push(phone, [record("principal_meeting", school.id, date(2026, 10, day)) for day in range(5, 12)])
    push(phone, [record("involvement", school.id, date(2026, 10, 14), requested_by="teacher", basis="crime",
                        action="arrest", students_involved=1) for _ in range(2)])
    return factories.make_user(app, "admin", name="Alex Admin")


def test_an_admin_previews_publishes_and_corrects_a_release(browser, live_server, admin, screenshots):
    page = open_review(browser, live_server, admin, viewport=PHONE)
    page.get_by_role("link", name="Publish").click()
    form = page.get_by_role("form", name="A new release")
    form.get_by_label("Period").select_option("month")
    form.get_by_label("School year").select_option("2026-2027")
    form.get_by_label("Month").select_option("2026-10")
    expect(form.get_by_label("Title")).to_have_value("October 2026")  # the title follows the period
    expect(form.get_by_label("Quarter")).to_be_hidden()
    form.get_by_label("Notes").fill("The first month published.")
    form.get_by_role("button", name="Preview").click()

    preview = page.locator(".release-preview-card")
    expect(preview.get_by_role("heading", name="Preview: October 2026")).to_be_visible()
    counts = preview.get_by_role("table", name="Counts, Northside High School")
    expect(counts.get_by_role("row", name=re.compile("^Meetings with the principal or designee"))).to_contain_text("7")
    involvements = preview.get_by_role("table", name="Involvements, Northside High School")
    expect(involvements.get_by_role("row", name=re.compile("^Crime: arrest"))).to_contain_text("<5")
    expect(involvements.get_by_role("row", name=re.compile("^Crime: all actions"))).to_contain_text("x")
    program = preview.get_by_role("table", name="Involvements, program-wide")
    expect(program.get_by_role("row", name=re.compile("^Crime: arrest"))).to_contain_text("x")  # its school is hidden
    expect(preview).to_contain_text("Hidden")
    every_control_is_labelled_and_big_enough(page)
    no_horizontal_scroll(page)
    assert_accessible(page, "publish: preview")
    page.screenshot(path=str(screenshots / "release-admin-preview-phone.png"), full_page=True)

    # Changing the draft withdraws the preview: only what was shown can be confirmed.
    form.get_by_label("Notes").fill("The first month published, checked.")
    expect(page.get_by_role("button", name="Publish this release")).to_have_count(0)
    form.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Publish this release").click()
    expect(page.get_by_role("status").filter(has_text="Published release")).to_contain_text("October 2026")
    releases = page.get_by_role("table", name=re.compile("^1 release"))
    first = releases.locator("tbody tr").first
    expect(first).to_contain_text("Current")
    first_id = int(first.get_attribute("data-release"))

    first.get_by_role("button", name=f"Correct release {first_id}").click()
    correction = page.get_by_role("form", name="Correct a release")
    expect(correction).to_contain_text(f"Correcting release {first_id}")
    expect(correction.get_by_label("Title")).to_have_value("October 2026 (corrected)")
    correction.get_by_role("button", name="Preview").click()
    expect(correction.locator("[data-field='changes'] .field-error")).to_contain_text("Required with supersedes")
    correction.get_by_label("What changed").fill("A late meeting record was added.")
    correction.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: October 2026 (corrected)")).to_be_visible()
    assert_accessible(page, "publish: correction preview")
    page.get_by_role("button", name="Publish this correction").click()
    listed = page.get_by_role("table", name=re.compile("^2 releases"))
    expect(listed.locator(f"tr[data-release='{first_id}']")).to_contain_text(f"Superseded by release {first_id + 1}")
    expect(listed.locator(f"tr[data-release='{first_id + 1}']")).to_contain_text(f"corrects release {first_id}")
    every_control_is_labelled_and_big_enough(page)
    no_horizontal_scroll(page)
    assert_accessible(page, "publish: list with a correction")
    page.screenshot(path=str(screenshots / "release-admin-list-phone.png"), full_page=True)

    listed.locator(f"tr[data-release='{first_id}']").get_by_role("link", name=f"Public page of release {first_id}").click()
    expect(page.get_by_role("link", name=f"A correction replaces this release: read release {first_id + 1}.")).to_be_visible()
    page.goto(f"{live_server}/public/")
    expect(page.get_by_role("heading", name="Latest release: October 2026 (corrected)")).to_be_visible()
    expect(page.locator(".archive")).to_contain_text(f"Superseded by release {first_id + 1}")
    assert not page.errors, page.errors
    page.context.close()
