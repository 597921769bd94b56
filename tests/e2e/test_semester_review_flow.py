"""The semester review (KY 8) with three beat, in the browsers each party uses (issue 14):
the officer records it on the phone, the principal confirms it in the same app, the supervisor
confirms it on the review pages, and compliance counts it as met only then. A dispute shows as
disputed, with its comment, to the supervisor.

Screenshots land in test-results/screenshots/ (semester-review-*.png); people look at them.
"""

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.test_review_screens import open_review
from tests.e2e.conftest import PHONE, Beat, api_session, pull_everything
from tests.e2e.phone import SYNC_TIMEOUT_MS, expect_pending, open_app, save, sign_in, start

OUTCOME = "The agreement fits; more presence at dismissal"


def officer_records_the_review(page: Page, base_url: str, beat: Beat, shots) -> None:
    open_app(page, base_url)
    sign_in(page, beat.officer.email)
    start(page, "Other activity")
    outcome = page.get_by_label("Outcome of the semester review", exact=True)
    expect(outcome).to_be_hidden()  # asked for only when the activity is a semester review
    page.get_by_label("Activity type", exact=True).select_option("semester_review")
    outcome.fill(OUTCOME)
    page.get_by_label("The written agreement needs changes", exact=True).check()
    shots(page, "officer-form", full_page=True)
    save(page)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)


def principal_phone(new_context, base_url: str, beat: Beat) -> Page:
    page = new_context().new_page()
    open_app(page, base_url)
    sign_in(page, beat.principal.email, page.get_by_role("heading", name="Semester reviews to confirm (1)"))
    return page


def supervisor_dashboard(browser: Browser, base_url: str, beat: Beat) -> Page:
    page = open_review(browser, base_url, beat.supervisor, PHONE)
    expect(page.get_by_role("heading", name="Program compliance")).to_be_visible()
    return page


def ky8_rule(page: Page):
    return page.locator("section.rule", has_text="KY 8").first


def review_of(base_url: str, beat: Beat) -> dict:
    [review] = [change for change in pull_everything(base_url, beat.officer.email)
                if change["data"].get("activity_type") == "semester_review"]
    return review


def test_officer_records_principal_and_supervisor_confirm_and_compliance_counts_it(
        page: Page, browser, new_context, live_server, beat, shots):
    officer_records_the_review(page, live_server, beat, shots)

    principal = principal_phone(new_context, live_server, beat)
    reviews = principal.locator("#semester-reviews")
    expect(reviews).to_contain_text(OUTCOME)
    expect(reviews).to_contain_text("Officer Dana Reyes")
    assert_accessible(principal, "principal: semester reviews to confirm")
    shots(principal, "principal-to-confirm")
    reviews.get_by_role("link", name=re.compile("Semester review")).click()
    expect(principal.get_by_role("heading", name=re.compile("^Semester review on"))).to_be_visible()
    expect(principal.locator("dl.fields")).to_contain_text("The written agreement needs changes")
    assert_accessible(principal, "principal: one semester review")
    shots(principal, "principal-review", full_page=True)
    principal.get_by_role("button", name="Confirm", exact=True).click()
    expect(principal.locator("#pending-count")).to_have_text("All decisions sent", timeout=SYNC_TIMEOUT_MS)
    expect(principal.get_by_role("heading", name="Semester reviews", exact=True)).to_be_visible()

    supervisor = supervisor_dashboard(browser, live_server, beat)
    rule = ky8_rule(supervisor)
    expect(rule).to_contain_text("waiting for the supervisor to confirm")
    expect(rule).to_contain_text("Confirmed by Dr. Maria Alvarez")
    rule.scroll_into_view_if_needed()
    assert_accessible(supervisor, "supervisor: semester review to confirm")
    shots(supervisor, "supervisor-to-confirm")
    rule.get_by_role("button", name="Confirm I took part").click()
    rule = ky8_rule(supervisor)
    expect(rule).to_contain_text("the supervisor and the principal confirmed it", timeout=SYNC_TIMEOUT_MS)
    expect(rule.locator("h4 .badge")).to_have_text(re.compile("In progress|Met"))
    rule.scroll_into_view_if_needed()
    shots(supervisor, "supervisor-confirmed")

    report = api_session(live_server, beat.supervisor.email).get(
        f"{live_server}/api/reports/compliance", params={"school_year": "2026-2027"}, timeout=10).json()
    [fall] = [term for term in report["units"][0]["semester_reviews"]["terms"] if term["status"] != "not_applicable"
              and term["review"]]
    assert fall["status"] == "met"
    assert review_of(live_server, beat)["participation"]["supervisor"]["status"] == "confirmed"

    # The officer's phone hears of both confirmations on its next sync.
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    page.goto(f"{live_server}/#/record/{review_of(live_server, beat)['id']}")
    participation = page.locator("#participation")
    expect(participation).to_contain_text("Supervisor: confirmed", timeout=SYNC_TIMEOUT_MS)
    expect(participation).to_contain_text("Principal: confirmed")
    assert_accessible(page, "officer: a confirmed semester review")
    shots(page, "officer-confirmed", full_page=True)


def test_a_principals_dispute_shows_disputed_to_the_supervisor(
        page: Page, browser, new_context, live_server, beat, shots):
    officer_records_the_review(page, live_server, beat, shots)
    principal = principal_phone(new_context, live_server, beat)
    principal.locator("#semester-reviews").get_by_role("link", name="Dispute…").click()
    principal.get_by_role("button", name="Dispute").click()
    expect(principal.locator("#comment-error")).to_contain_text("a dispute needs a comment")
    principal.get_by_label("Comment").fill("I was not at this review")
    principal.get_by_role("button", name="Dispute").click()
    expect(principal.locator("#pending-count")).to_have_text("All decisions sent", timeout=SYNC_TIMEOUT_MS)

    supervisor = supervisor_dashboard(browser, live_server, beat)
    rule = ky8_rule(supervisor)
    expect(rule).to_contain_text("the principal disputed the record")
    expect(rule).to_contain_text("I was not at this review")
    expect(rule.locator("h4 .badge")).to_have_text(re.compile("Not met"))
    rule.scroll_into_view_if_needed()
    shots(supervisor, "supervisor-disputed")
    # The supervisor's own dispute needs a comment too; the server's message shows beside the field.
    rule.get_by_role("button", name="Dispute").click()
    expect(rule.locator(".field-error")).to_contain_text("Required when disputing a semester review.")
    assert review_of(live_server, beat)["participation"]["principal"]["status"] == "disputed"
