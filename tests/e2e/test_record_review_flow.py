"""Closing the oversight loop in Chromium (issue 14): a supervisor sends a record back, the officer
reads the comment on the phone, corrects it offline and syncs, the supervisor approves it; and a
signed-off month amended later shows its snapshot beside today's figures with the difference.
Both apps at phone size (360 px); screenshots in test-results/screenshots/, axe on each new screen.
"""

import re
from datetime import datetime

from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PASSWORD, PHONE, World, owned_by, pull_everything, push
from tests.e2e.phone import SYNC_TIMEOUT_MS, expect_pending, open_app, record_contact, save, sign_in, wait_until_offline_ready
from tests.e2e.test_review_screens import open_review
from tests.sync_support import CENTRAL, mutation


def supervisor_reviews(browser: Browser, base_url: str, world: World) -> Page:
    """The review pages at phone size, signed in as the world's supervisor."""
    supervisor = factories.UserInfo(world.supervisor.id, world.supervisor.email, world.supervisor.name, "supervisor",
                                    PASSWORD)
    page = open_review(browser, base_url, supervisor, PHONE)
    expect(page.get_by_role("link", name="Review queue")).to_be_visible()
    return page


def the_record(base_url: str, reader_email: str, owner_id: int) -> dict:
    [record] = owned_by(pull_everything(base_url, reader_email), owner_id)
    return record


def test_needs_correction_is_read_on_the_phone_fixed_offline_and_approved(page: Page, browser, live_server,
                                                                          world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    record_contact(page, "Friday night football", students=3)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)

    supervisor = supervisor_reviews(browser, live_server, world)
    supervisor.get_by_role("link", name="Review queue").click()
    supervisor.get_by_label("Officer", exact=True).select_option(label=world.officer.name)
    supervisor.get_by_role("button", name="Show records").click()
    item = supervisor.locator(".review-item", has_text="Friday night football")
    expect(item).to_be_visible()
    expect(item).to_contain_text("Waiting for review")
    assert_accessible(supervisor, "review queue")
    shots(supervisor, "review-queue", full_page=True)
    item.get_by_role("button", name="Needs correction").click()
    expect(item.get_by_role("alert")).to_have_text("Say what the officer should correct.")
    item.get_by_label("Comment for the officer").fill("Add how many adults were there.")
    item.get_by_role("button", name="Needs correction").click()
    expect(supervisor.get_by_text("No records match.")).to_be_visible()  # none left waiting
    assert the_record(live_server, world.supervisor.email, world.officer.id)["review"]["status"] == "needs_correction"

    page.get_by_role("button", name="Sync now").click()
    attention = page.locator("#attention")
    expect(attention).to_contain_text("Add how many adults were there.")
    expect(attention.locator(".badge", has_text="Needs correction")).to_be_visible()
    assert_accessible(page, "officer home with a record to correct")
    shots(page, "officer-needs-correction")

    page.context.set_offline(True)
    attention.get_by_text("Friday night football").click()
    expect(page.locator("#review-comment")).to_contain_text("Add how many adults were there.")
    assert_accessible(page, "officer record with the supervisor's comment")
    shots(page, "officer-record-comment")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label(re.compile("^Adults contacted")).fill("6")
    save(page)
    expect_pending(page, 1)
    page.context.set_offline(False)
    page.get_by_role("button", name="Sync now").click()
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#attention")).to_have_count(0, timeout=SYNC_TIMEOUT_MS)
    shots(page, "officer-corrected")

    corrected = the_record(live_server, world.supervisor.email, world.officer.id)
    assert (corrected["review"]["status"], corrected["data"]["adults_contacted"]) == ("submitted", 6)

    supervisor.get_by_role("button", name="Show records").click()
    item = supervisor.locator(".review-item", has_text="Friday night football")
    expect(item).to_contain_text("Waiting for review")
    item.get_by_role("button", name="Approve").click()
    expect(supervisor.get_by_text("No records match.")).to_be_visible()
    assert the_record(live_server, world.supervisor.email, world.officer.id)["review"]["status"] == "approved"
    assert not supervisor.errors
    supervisor.context.close()


def test_a_stale_decision_shows_the_record_as_it_is_now(page: Page, browser, live_server, world, shots):
    """The officer edits while the supervisor has the record open: the decision is a 409, the
    page shows the new version and the supervisor decides again."""
    contact = mutation(kind="extracurricular_contact", school_id=world.school_id,
                       when=datetime(2026, 11, 27, 18, 0, tzinfo=CENTRAL), event_name="Band concert")
    push(live_server, world.officer.email, [contact])
    supervisor = supervisor_reviews(browser, live_server, world)
    supervisor.goto(f"{live_server}/review/#record/{contact['id']}")
    review = supervisor.locator("#review")
    expect(review).to_contain_text("Waiting for review")
    push(live_server, world.officer.email, [mutation(contact["id"], kind="extracurricular_contact", base_version=1,
                                                     school_id=world.school_id, event_name="Band concert (winter)",
                                                     when=datetime(2026, 11, 27, 18, 0, tzinfo=CENTRAL))])
    review.get_by_role("button", name="Approve").click()
    expect(supervisor.get_by_role("alert").first).to_contain_text("version 2")
    expect(supervisor.get_by_text("Band concert (winter)").first).to_be_visible()
    assert_accessible(supervisor, "record page after a stale decision")
    shots(supervisor, "stale-decision", full_page=True)
    supervisor.locator("#review").get_by_role("button", name="Approve").click()
    expect(supervisor.locator("#review")).to_contain_text("Approved")
    assert not supervisor.errors
    supervisor.context.close()


def test_a_signed_off_month_amended_later_shows_the_difference(browser, live_server, world, shots):
    november = [mutation(kind="extracurricular_contact", school_id=world.school_id, event_name=name,
                         students_contacted=20, when=datetime(2026, 11, 10, 18, 0, tzinfo=CENTRAL))
                for name in ("Homecoming game", "Fall play")]
    push(live_server, world.officer.email, november)
    supervisor = supervisor_reviews(browser, live_server, world)
    supervisor.get_by_role("link", name="Month sign-off").click()
    supervisor.get_by_label("Officer", exact=True).select_option(label=world.officer.name)
    supervisor.get_by_label("Month", exact=True).fill("2026-11")
    supervisor.get_by_role("button", name="Sign off this month").click()
    signed = supervisor.get_by_role("link", name="Nov 2026")
    expect(signed).to_be_visible()
    assert_accessible(supervisor, "month sign-off")
    shots(supervisor, "signoff-list", full_page=True)

    push(live_server, world.officer.email, [
        mutation(november[0]["id"], kind="extracurricular_contact", base_version=1, voided=True,
                 void_reason="Entered twice", data={})])
    supervisor.reload()
    expect(supervisor.get_by_role("row", name=world.officer.name)).to_contain_text("1 record")
    supervisor.get_by_role("link", name="Nov 2026").click()
    expect(supervisor.get_by_role("status").first).to_contain_text("changed since the sign-off")
    expect(supervisor.get_by_role("row", name="Extracurricular events (all types)")).to_have_text(
        re.compile(r"Extracurricular events \(all types\)\s*2\s*1\s*−1"))
    expect(supervisor.get_by_role("region", name="Records amended after this sign-off")).to_contain_text("Voided")
    assert_accessible(supervisor, "sign-off snapshot beside today's figures")
    shots(supervisor, "signoff-difference", full_page=True)

    supervisor.get_by_role("link", name="Log browser").click()
    expect(supervisor.locator("tr", has_text="Fall play")).to_contain_text("Late entry")
    expect(supervisor.locator("tr", has_text="Homecoming game")).to_contain_text("Amended after sign-off")
    shots(supervisor, "log-browser-flags", full_page=True)
    assert not supervisor.errors
    supervisor.context.close()
