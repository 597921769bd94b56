"""The officer PWA in real Chromium at phone size: offline capture, sync, sessions, updates.

Each test saves screenshots of the screens it passes to test-results/screenshots/.
"""

import json
import re
import time
import uuid

from playwright.sync_api import Page, Route, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import api_session, owned_by, pull_everything
from tests.e2e.phone import (
    SYNC_TIMEOUT_MS,
    expect_pending,
    expect_set_aside,
    open_app,
    record_activity,
    record_contact,
    record_introduction,
    record_meeting,
    save,
    sign_in,
    start,
    wait_until_offline_ready,
)


def test_offline_capture_of_every_kind_syncs_on_reconnect(page: Page, live_server, world, shots):
    open_app(page, live_server)
    assert_accessible(page, "officer sign-in")
    shots(page, "sign-in")
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("link", name="Introduction", exact=True)).to_be_visible()
    record_contact(page, "Friday night football")
    start(page, "Extracurricular contact")
    assert_accessible(page, "officer form")
    shots(page, "contact-form")
    page.get_by_role("link", name="Cancel").click()
    record_introduction(page)
    record_meeting(page)
    start(page, "Other activity")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Check 1 field below.")).to_be_visible()
    expect(page.locator("#f-activity_type-error")).to_have_text("Choose one.")
    assert_accessible(page, "officer form with errors")
    shots(page, "validation-beside-the-field")
    page.get_by_role("link", name="Cancel").click()
    record_activity(page)
    expect_pending(page, 4)
    expect(page.locator(".rec .badge", has_text="Saved on phone")).to_have_count(4)
    assert_accessible(page, "officer home (offline queue)")
    shots(page, "four-saved-offline")

    page.reload()
    expect_pending(page, 4)
    expect(page.locator("#sync-status")).to_have_text("Offline: records are saved on this phone.")

    page.context.set_offline(False)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.locator(".rec .badge", has_text="Synced")).to_have_count(4)
    expect(page.locator(".rec .badge", has_text="Awaiting principal")).to_have_count(1)
    assert_accessible(page, "officer home (synced)")
    shots(page, "all-synced")

    mine = owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)
    assert sorted(change["kind"] for change in mine) == [
        "activity", "extracurricular_contact", "introduction", "principal_meeting"]
    contact = next(change for change in mine if change["kind"] == "extracurricular_contact")
    assert contact["data"]["event_name"] == "Friday night football"
    assert contact["data"]["students_contacted"] == 3
    assert contact["data"]["occurred_at"].endswith("-06:00")  # the phone's offset is kept


def test_a_dropped_push_response_is_retried_without_a_duplicate(page: Page, live_server, world, shots):
    pushes: list[dict] = []

    def drop_first_answer(route: Route) -> None:
        pushes.append(json.loads(route.request.post_data))
        if len(pushes) == 1:
            route.fetch()  # the server commits...
            route.abort("connectionreset")  # ...and the phone never hears back
        else:
            route.continue_()

    open_app(page, live_server)
    sign_in(page, world.officer.email)
    page.route("**/api/sync/push", drop_first_answer)
    record_contact(page, "Winter dance", students=2)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    shots(page, "synced-after-retry")

    assert len(pushes) >= 2
    assert pushes[1]["mutations"][0]["mutation_id"] == pushes[0]["mutations"][0]["mutation_id"]
    mine = owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)
    assert [change["data"]["event_name"] for change in mine] == ["Winter dance"]
    assert mine[0]["version"] == 1


def test_a_rejected_change_needs_attention_and_later_changes_still_sync(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    page.context.set_offline(True)
    # Before the officer's assignment began (1 Sept 2026): only the server knows that rule.
    record_contact(page, "Summer camp", when="2026-08-15T10:00")
    record_contact(page, "Band concert")
    record_meeting(page)
    expect_pending(page, 3)
    page.context.set_offline(False)

    attention = expect_set_aside(page, "Summer camp")
    shots(page, "needs-attention")
    names = [c["data"].get("event_name") for c in owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)]
    assert sorted(filter(None, names)) == ["Band concert"]

    attention.get_by_text("Summer camp").click()
    expect(page.get_by_role("alert")).to_contain_text("not assigned to school")
    assert_accessible(page, "officer record")
    shots(page, "why-it-was-rejected")
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Event name", exact=True)).to_have_value("Summer camp")
    page.get_by_label("When", exact=True).fill("2026-11-02T10:00")
    save(page)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#attention-count")).to_have_count(0)
    names = [c["data"].get("event_name") for c in owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)]
    assert sorted(filter(None, names)) == ["Band concert", "Summer camp"]


def test_an_expired_session_keeps_the_queue_and_syncs_after_signing_in(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    record_contact(page, "Basketball game")
    record_activity(page)
    page.context.clear_cookies()  # the session ends while the phone is offline
    page.reload()
    expect_pending(page, 2)
    page.context.set_offline(False)

    # The 401 ends the session on the phone too: the queue stays, counted on the sign-in screen.
    expect(page.get_by_text("Your session has ended")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#waiting")).to_have_text("2 records wait for Officer Dana Reyes to sign in again.")
    expect(page.get_by_label("Email", exact=True)).to_have_value(world.officer.email)
    assert_accessible(page, "sign-in after the session ended")
    shots(page, "session-ended")
    assert owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id) == []

    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    assert len(owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)) == 2


def test_two_people_on_one_phone_never_see_or_send_each_others_records(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    record_contact(page, "Dana's unsynced game")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign out?")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("1 record has not reached the server yet")
    shots(page, "sign-out-warning")
    page.get_by_role("button", name="Sign out anyway").click()
    expect(page.get_by_label("Email", exact=True)).to_be_visible()

    page.context.set_offline(False)
    sign_in(page, world.officer2.email)
    expect(page.get_by_text("Nothing recorded yet")).to_be_visible()
    expect(page.get_by_text("Dana's unsynced game")).to_have_count(0)
    record_contact(page, "Sam's chess club")
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    shots(page, "second-officer-home")
    seen = pull_everything(live_server, world.supervisor.email)
    assert [c["data"]["event_name"] for c in owned_by(seen, world.officer2.id)] == ["Sam's chess club"]
    assert owned_by(seen, world.officer.id) == []  # Sam's session sent none of Dana's queue

    page.get_by_role("button", name="Sign out").click()  # all synced: no second question
    expect(page.get_by_label("Email", exact=True)).to_be_visible()
    sign_in(page, world.officer.email)
    expect(page.get_by_text("Sam's chess club")).to_have_count(0)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_text("Dana's unsynced game")).to_be_visible()
    shots(page, "first-officer-back")
    seen = pull_everything(live_server, world.supervisor.email)
    assert [c["data"]["event_name"] for c in owned_by(seen, world.officer.id)] == ["Dana's unsynced game"]
    assert [c["data"]["event_name"] for c in owned_by(seen, world.officer2.id)] == ["Sam's chess club"]


def wait_for(condition, what: str, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.1)


def shell_cache_names(page: Page) -> list[str]:
    return page.evaluate("async () => (await caches.keys()).filter((name) => name.startsWith('sro-shell-'))")


def test_a_new_service_worker_version_prompts_and_reloads_into_the_new_shell(page: Page, shell_server, world, shots):
    base_url, shell = shell_server
    open_app(page, base_url)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    old_version = page.locator(".version").text_content().removeprefix("App version ")
    assert shell_cache_names(page) == [f"sro-shell-{old_version}"]

    styles = shell / "styles.css"
    styles.write_text(styles.read_text() + "\n.version { font-weight: 700; }\n")  # a deploy
    page.reload()
    banner = page.locator("#update-banner")
    expect(banner).to_contain_text("A new version of the app is ready.")
    expect(page.locator(".version")).to_have_text(f"App version {old_version}")  # nothing swapped silently
    assert_accessible(page, "update offered")
    shots(page, "update-offered")

    with page.expect_event("load"):
        banner.get_by_role("button", name="Update").click()
    expect(page.locator(".version")).to_have_text(re.compile(rf"^App version (?!{old_version})[0-9a-f]{{16}}$"))
    new_version = page.locator(".version").text_content().removeprefix("App version ")
    expect(page.locator("#update-banner")).to_have_count(0)
    expect(page.locator(".version")).to_have_css("font-weight", "700")
    wait_for(lambda: shell_cache_names(page) == [f"sro-shell-{new_version}"], "the old shell cache is deleted")
    shots(page, "new-version")


def test_a_conflict_shows_both_versions_and_a_merge_keeps_a_field_from_each(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    record_contact(page, "JV soccer", students=2)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)

    page.context.set_offline(True)
    page.get_by_text("JV soccer").click()
    page.get_by_role("link", name="Edit").click()
    for _ in range(3):
        page.get_by_role("button", name="One more: Students contacted (approximate)").click()
    save(page)

    other_device = api_session(live_server, world.officer.email)  # the same officer, on a tablet
    [record] = owned_by(pull_everything(live_server, world.officer.email), world.officer.id)
    answer = other_device.post(f"{live_server}/api/sync/push", timeout=10, json={
        "device_id": "tablet", "mutations": [{
            "mutation_id": str(uuid.uuid4()), "id": record["id"], "kind": record["kind"], "base_version": 1,
            "data": {**record["data"], "event_name": "JV soccer (home)"}, "voided": False, "void_reason": None}]})
    assert answer.json()["results"][0]["status"] == "applied"

    page.context.set_offline(False)
    expect(page.locator("#attention-count")).to_have_text("1 needs attention", timeout=SYNC_TIMEOUT_MS)
    page.locator("#attention").get_by_text("JV soccer").click()
    page.get_by_role("link", name="Resolve the conflict").click()
    event_name = page.get_by_role("group", name="Event name")
    expect(event_name).to_contain_text("JV soccer (home)")
    expect(page.get_by_role("group", name="Students contacted (approximate)")).to_contain_text("5")
    event_name.get_by_text("Server").click()
    assert_accessible(page, "officer conflict")
    shots(page, "conflict-side-by-side")
    page.get_by_role("button", name="Save my choices (merge)").click()
    expect(page.get_by_role("status")).to_have_text("Your choice is saved on this phone.")
    expect(page.locator("#pending-count")).to_have_text("All records synced", timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#attention-count")).to_have_count(0)

    [merged] = owned_by(pull_everything(live_server, world.supervisor.email), world.officer.id)
    assert merged["version"] == 3
    assert (merged["data"]["event_name"], merged["data"]["students_contacted"]) == ("JV soccer (home)", 5)


def test_a_tab_left_open_shows_and_sends_nothing_once_someone_else_signs_in(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    page.context.route("**/api/sync/push", lambda route: route.abort("internetdisconnected"))
    record_contact(page, "Dana's queued game")
    expect_pending(page, 1)

    other_tab = page.context.new_page()
    open_app(other_tab, live_server)
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.get_by_role("button", name="Sign out anyway").click()
    sign_in(other_tab, world.officer2.email)
    expect(other_tab.get_by_text("Dana's queued game")).to_have_count(0)

    expect(page.get_by_label("Email", exact=True)).to_be_visible()  # the first tab left Dana's screen
    expect(page.get_by_text("Dana's queued game")).to_have_count(0)
    shots(page, "left-open-tab")
    page.context.unroute("**/api/sync/push")
    other_tab.get_by_role("button", name="Sync now").click()
    expect_pending(other_tab, 0, timeout=SYNC_TIMEOUT_MS)
    assert pull_everything(live_server, world.supervisor.email) == []  # Sam's session sent none of Dana's queue
    other_tab.close()

    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    [sent] = pull_everything(live_server, world.supervisor.email)
    assert (sent["owner_id"], sent["data"]["event_name"]) == (world.officer.id, "Dana's queued game")
