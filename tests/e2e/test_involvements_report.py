"""The Involvements section and the training column of the review screens (issue 13), on the demo
data (server/seed/demo.py, written through the sync service), at desktop and phone width.

A supervisor opens Involvements: the counts by basis and action per school and month, the share
returned to school staff, the one exception with its reason and a link to its record, and the
threats per week as a chart with its text equivalent; the log browser filters by basis and by
provider. The compliance summary has a training column, each officer's card the three training
measures, and the monthly report the training table and the time per school. axe runs on each screen; the 360 px screenshots are for people.
"""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from server import create_app
from server.extensions import db
from server.seed.demo import DEMO_PASSWORD, EXCEPTION_REASON, THREAT_WEEKS, seed_demo
from tests import factories
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import E2E_NOW
from tests.e2e.test_review_screens import (
    DESKTOP, PHONE, every_control_is_labelled_and_big_enough, no_horizontal_scroll, open_review,
)

YEAR = "2026-2027"
# The demo's Northside officer logs one imminent threat in each of these school weeks of the fall term.
NHS_THREATS = len(THREAT_WEEKS["NHS"])


@pytest.fixture
def demo(database_url, live_server) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "FROZEN_NOW": E2E_NOW})
    with app.app_context():
        seed_demo(today=datetime.fromisoformat(E2E_NOW).date())
        db.engine.dispose()


def person(email: str, name: str) -> factories.UserInfo:
    return factories.UserInfo(id=0, email=email, name=name, role="", password=DEMO_PASSWORD)


SUPERVISOR = ("supervisor@demo.test", "Sgt. Karen Walsh")
PRINCIPAL = ("principal@demo.test", "Dr. Angela Moore")


@pytest.mark.parametrize("name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_supervisor_reads_involvements_exceptions_threats_and_training(browser, live_server, demo, screenshots,
                                                                         name, viewport):
    page = open_review(browser, live_server, person(*SUPERVISOR), viewport)
    expect(page.get_by_role("heading", name="Program compliance")).to_be_visible()

    # The compliance summary's training column and the officer's training in their card.
    summary = page.get_by_role("table", name="Summary: one row per officer and school")
    expect(summary.get_by_role("columnheader", name="Training (KY 22)")).to_be_attached()
    lakeview = summary.get_by_role("row").filter(has_text="Officer Priya Natarajan")
    expect(lakeview).to_contain_text("Not met")
    expect(lakeview).to_contain_text("1 topic gap")
    card = page.locator("article.unit").filter(has_text="Officer Priya Natarajan")
    expect(card).to_contain_text("Basic SRO course completed on")
    topics = card.get_by_role("list", name="Chicago training topics")
    expect(topics.get_by_role("listitem").filter(has_text="Restorative justice")).to_contain_text("Gap")
    expect(topics.get_by_role("listitem").filter(has_text="De-escalation")).to_contain_text("Covered")
    assert_accessible(page, f"compliance with training ({name})")
    if name == "phone":
        card.get_by_role("heading", name="Training (KY 22)").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "review-training-phone.png"))

    page.get_by_role("link", name="Involvements").click()
    expect(page.get_by_role("heading", name="Involvements", exact=True)).to_be_visible()
    exceptions = page.get_by_role("table", name=re.compile("^Exceptions: police action"))
    expect(exceptions).to_contain_text(EXCEPTION_REASON)
    expect(exceptions).to_contain_text("Officer Jordan Ellis")
    expect(exceptions).to_contain_text("Northside High School")
    expect(exceptions.get_by_role("row")).to_have_count(2)  # the header and the one exception
    expect(page.locator(".share-line").first).to_contain_text("returned to school staff")
    page.screenshot(path=str(screenshots / f"review-involvements-{name}.png"), full_page=name == "desktop")
    if name == "phone":  # the README's: the exception and the first school's figures
        page.get_by_role("heading", name="Exceptions").evaluate("(heading) => heading.scrollIntoView()")
        page.screenshot(path=str(screenshots / "review-involvements-phone-exceptions.png"))
    by_basis = page.get_by_role("table", name="By basis, per month, Northside High School (NHS)")
    expect(by_basis.get_by_role("rowheader", name="Discipline")).to_be_visible()
    expect(page.get_by_role("table", name="By action, per month, Northside High School (NHS)")
           .get_by_role("rowheader", name="Returned to school staff")).to_be_attached()
    chart = page.get_by_role("img", name="Imminent threats per week, Northside High School (NHS)")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_have_text(re.compile(rf"^{NHS_THREATS} threats in {NHS_THREATS} of \d+ weeks"))
    # The chart's text equivalent: a caption and the same weeks as a table (Northside's: the first
    # "Threat weeks as a table" on the page may be another school's, and a closed one hides its rows).
    page.locator("section.rule").filter(has=chart).get_by_text("Threat weeks as a table").click()
    threat_table = page.get_by_role("table", name="Imminent threats per week, Northside High School (NHS)")
    expect(threat_table.get_by_role("row")).to_have_count(1 + NHS_THREATS)  # the header and a row per week
    no_horizontal_scroll(page)
    every_control_is_labelled_and_big_enough(page)
    assert_accessible(page, f"involvements ({name})")
    if name == "phone":
        chart.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "review-involvements-phone-threats.png"))

    # The exception links to its record in the log browser.
    exceptions.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name=re.compile("^Involvement, "))).to_be_visible()
    expect(page.locator("main")).to_contain_text(EXCEPTION_REASON)

    # The log browser filters by involvement basis (and training provider): the five threats.
    page.get_by_role("link", name="Log browser", exact=True).click()
    expect(page.get_by_role("heading", name="Log browser")).to_be_visible()
    page.get_by_label("Involvement basis").select_option(label="Imminent threat")
    page.get_by_role("button", name="Show records").click()
    records = page.get_by_role("table", name=re.compile(r"^Records 1–5 of 5,"))
    expect(records.get_by_role("row").filter(has_text="Involvement")).to_have_count(5)
    page.get_by_role("button", name="Clear filters").click()
    page.get_by_label("Training provider").select_option(label="NASRO")
    page.get_by_role("button", name="Show records").click()
    expect(page.get_by_role("table", name=re.compile(r"^Records 1–1 of 1,"))).to_contain_text("Officer Priya Natarajan")
    assert_accessible(page, f"log browser with the new filters ({name})")

    page.get_by_role("link", name="Monthly report").click()
    expect(page.get_by_role("heading", name="Monthly activity report")).to_be_visible()
    training = page.get_by_role("table", name=re.compile("^Training compliance per officer"))
    expect(training).to_contain_text("Officer Priya Natarajan")
    expect(training).to_contain_text("Not yet trained in restorative justice.")
    expect(page.get_by_role("table", name="Minutes recorded per school, and each school's share")).to_contain_text("%")
    expect(page.get_by_role("table", name=f"Monthly activity, {YEAR}")).to_contain_text("Meetings covering")
    no_horizontal_scroll(page)
    assert_accessible(page, f"monthly report with training ({name})")
    if name == "phone":
        page.get_by_role("heading", name="Time per school").evaluate("(heading) => heading.scrollIntoView()")
        page.screenshot(path=str(screenshots / "review-monthly-training-phone.png"))
    assert not page.errors, page.errors
    page.context.close()


def test_principal_sees_their_school_totals_without_officers_or_reasons(browser, live_server, demo, screenshots):
    page = open_review(browser, live_server, person(*PRINCIPAL), PHONE)
    page.get_by_role("link", name="Involvements").click()
    expect(page.get_by_role("heading", name="Involvements at your school")).to_be_visible()
    expect(page.get_by_role("table", name="By basis, per month, Northside High School (NHS)")).to_be_visible()
    main = page.locator("main")
    expect(main).not_to_contain_text("Lakeview")
    expect(main).not_to_contain_text("Officer Jordan Ellis")
    expect(main).not_to_contain_text(EXCEPTION_REASON)
    expect(page.get_by_role("table", name=re.compile("^Exceptions"))).to_have_count(0)
    # No training column either: training is the officer's, never the school's.
    page.get_by_role("link", name="Compliance").click()
    expect(page.get_by_role("table", name="Summary: one row per officer and school")).not_to_contain_text("KY 22")
    no_horizontal_scroll(page)
    page.get_by_role("link", name="Involvements").click()
    expect(page.get_by_role("heading", name="Involvements at your school")).to_be_visible()
    assert_accessible(page, "principal involvements (phone)")
    page.screenshot(path=str(screenshots / "review-involvements-principal-phone.png"))
    assert not page.errors, page.errors
    page.context.close()
