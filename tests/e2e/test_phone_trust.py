"""Issue 11, trust repairs on the officer's phone (360 x 740): one bad change never stalls the
queue, an idle phone locks itself (offline too), a session's end leaves only unsynced work on
the phone, and old synced records leave it for the server (looked up online).

The page clock and the server clock are pinned to the same moment (tests/e2e/conftest.py), so
every date here is relative to `frozen_now`, whatever the real day.
"""

import json
from datetime import datetime, timedelta

from playwright.sync_api import Page, Route, expect

from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import PASSWORD, api_session, owned_by, pull_everything
from tests.e2e.phone import (
    SYNC_TIMEOUT_MS,
    expect_pending,
    expect_set_aside,
    open_app,
    record_activity,
    record_contact,
    sign_in,
    wait_until_offline_ready,
)
from tests.sync_support import mutation

# What the phone holds for one user: its records and queue, and the names in its meta store.
READ_USER_DB = """async (name) => {
  if (!(await indexedDB.databases()).some((db) => db.name === name)) return null;
  const db = await new Promise((resolve, reject) => {
    const opening = indexedDB.open(name);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const read = (store, how) => new Promise((resolve, reject) => {
    const asked = db.transaction(store).objectStore(store)[how]();
    asked.onsuccess = () => resolve(asked.result);
    asked.onerror = () => reject(asked.error);
  });
  try {
    const verifier = await new Promise((resolve) => {
      const asked = db.transaction("meta").objectStore("meta").get("verifier");
      asked.onsuccess = () => resolve(asked.result ?? null);
    });
    return {
      records: (await read("records", "getAll")).map((r) => ({ name: r.data.event_name ?? r.kind, state: r.state })),
      outbox: (await read("outbox", "getAll")).map((entry) => entry.data.event_name ?? entry.kind),
      meta: await read("meta", "getAllKeys"),
      metaText: JSON.stringify(await read("meta", "getAll")),
      verifier: verifier && { salt: verifier.salt.length, iterations: verifier.iterations, bits: verifier.bits.length },
    };
  } finally {
    db.close();
  }
}"""


def phone_db(page: Page, user_id: int) -> dict | None:
    return page.evaluate(READ_USER_DB, f"sro-user-{user_id}")


def stored_names(page: Page, user_id: int) -> list[str]:
    return sorted(record["name"] for record in phone_db(page, user_id)["records"])


def names_on_server(base_url: str, supervisor_email: str, owner_id: int) -> list[str]:
    return sorted(change["data"].get("event_name") or change["kind"]
                  for change in owned_by(pull_everything(base_url, supervisor_email), owner_id))


# --- 1. one change the server keeps failing on ---------------------------------------------

CHOKES_THE_SERVER = "text-the-database-cannot-store"


def test_a_change_the_server_keeps_failing_on_is_set_aside_and_the_others_sync(page: Page, live_server, world, shots):
    pushes: list[tuple[int, bool]] = []

    def fail_on_the_marked_record(route: Route) -> None:
        body = route.request.post_data or ""
        pushes.append((len(json.loads(body)["mutations"]), CHOKES_THE_SERVER in body))
        if CHOKES_THE_SERVER in body:
            route.fulfill(status=500, json={"error": {"code": "internal_error", "message": "Internal server error."}})
        else:
            route.continue_()

    open_app(page, live_server)
    sign_in(page, world.officer.email)
    page.route("**/api/sync/push", fail_on_the_marked_record)
    page.context.set_offline(True)
    record_contact(page, "Varsity football")
    record_contact(page, "Choir concert", notes=f"Quiet night {CHOKES_THE_SERVER}")
    record_contact(page, "Science fair")
    expect_pending(page, 3)
    page.context.set_offline(False)

    attention = expect_set_aside(page, "Choir concert")
    shots(page, "bad-change-set-aside")
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == ["Science fair", "Varsity football"]
    marked = [size for size, has_marker in pushes if has_marker]
    assert marked[:2] == [3, 3], pushes  # the whole batch failed twice before it was halved...
    assert marked[-1] == 1, pushes  # ...down to the one change the server cannot take

    attention.get_by_text("Choir concert").click()
    expect(page.get_by_role("alert")).to_contain_text("The server could not take this change.")
    shots(page, "why-it-was-set-aside")


# --- 2. the local lock -----------------------------------------------------------------------

def lock_by_idling(page: Page) -> None:
    page.clock.fast_forward("31:00")  # nobody touches the phone for 31 minutes
    expect(page.get_by_role("heading", name="Locked")).to_be_visible()


def unlock_with(page: Page, password: str) -> None:
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Unlock").click()


def test_an_idle_phone_locks_and_the_password_unlocks_it_offline(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    stored = phone_db(page, world.officer.id)
    assert stored["verifier"]["iterations"] >= 100_000
    assert (stored["verifier"]["salt"], stored["verifier"]["bits"]) == (16, 32)
    assert PASSWORD not in stored["metaText"]

    page.context.set_offline(True)
    record_contact(page, "Homecoming parade")
    expect_pending(page, 1)
    lock_by_idling(page)
    expect(page.get_by_text("Homecoming parade")).to_have_count(0)
    expect(page.locator("#pending-count")).to_have_count(0)
    expect(page.get_by_text(world.officer.name)).to_have_count(0)  # not even whose phone it is
    expect(page.get_by_role("link", name="Extracurricular contact", exact=True)).to_have_count(0)
    assert_accessible(page, "lock screen")
    shots(page, "locked")

    unlock_with(page, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text(
        "Wrong password. 4 tries left, then a full sign-in with a connection is needed.")
    expect(page.get_by_text("Homecoming parade")).to_have_count(0)
    assert_accessible(page, "lock screen with error")
    shots(page, "wrong-password-refused")

    unlock_with(page, PASSWORD)
    expect(page.get_by_text("Homecoming parade")).to_be_visible()
    expect_pending(page, 1)
    shots(page, "unlocked-offline")
    page.context.set_offline(False)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == ["Homecoming parade"]


def test_five_wrong_passwords_on_the_lock_need_a_full_sign_in(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    page.context.set_offline(True)
    record_contact(page, "Band practice")
    lock_by_idling(page)
    for left in (4, 3, 2, 1):
        unlock_with(page, f"guess-{left}")
        expect(page.get_by_role("alert")).to_contain_text(f"{left} {'try' if left == 1 else 'tries'} left")
    unlock_with(page, "guess-0")

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Too many wrong passwords to unlock.")).to_be_visible()
    expect(page.locator("#waiting")).to_have_text("1 record waits for Officer Dana Reyes to sign in again.")
    shots(page, "too-many-tries")
    assert phone_db(page, world.officer.id)["verifier"] is None  # the lock cannot be tried again
    page.context.set_offline(False)
    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == ["Band practice"]


# --- 3. what stays on the phone when a session ends ----------------------------------------

def one_synced_and_two_queued(page: Page, world) -> None:
    record_contact(page, "Synced scrimmage")
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.locator(".rec .badge", has_text="Synced")).to_have_count(1)
    page.context.set_offline(True)
    record_contact(page, "Queued dance")
    record_activity(page)
    expect_pending(page, 2)
    assert stored_names(page, world.officer.id) == ["Queued dance", "Synced scrimmage", "activity"]


def expect_only_the_queue_on_the_phone(page: Page, world) -> None:
    stored = phone_db(page, world.officer.id)
    assert sorted(record["name"] for record in stored["records"]) == ["Queued dance", "activity"]
    assert {record["state"] for record in stored["records"]} == {"pending"}
    assert sorted(stored["outbox"]) == ["Queued dance", "activity"]
    assert stored["meta"] == []  # no cursor, copy of the forms, unlock verifier or name left


def test_signing_out_removes_synced_records_and_keeps_the_queue(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    one_synced_and_two_queued(page, world)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign out anyway").click()
    expect(page.locator("#waiting")).to_have_text("2 records wait for Officer Dana Reyes to sign in again.")
    expect(page.get_by_text("Synced scrimmage")).to_have_count(0)
    expect_only_the_queue_on_the_phone(page, world)
    shots(page, "signed-out-queue-kept")

    page.context.set_offline(False)
    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_text("Synced scrimmage")).to_be_visible()  # pulled again from the server
    expect(page.locator("#waiting")).to_have_count(0)
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == [
        "Queued dance", "Synced scrimmage", "activity"]


def test_a_401_from_the_server_removes_synced_records_and_keeps_the_queue(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    one_synced_and_two_queued(page, world)
    page.context.clear_cookies()  # the server session ends while the phone is offline
    page.context.set_offline(False)

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_text("Your session has ended. Sign in again to go on.")).to_be_visible()
    expect(page.locator("#waiting")).to_have_text("2 records wait for Officer Dana Reyes to sign in again.")
    expect(page.get_by_label("Email", exact=True)).to_have_value(world.officer.email)
    expect_only_the_queue_on_the_phone(page, world)
    shots(page, "session-ended-queue-kept")
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == ["Synced scrimmage"]

    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == [
        "Queued dance", "Synced scrimmage", "activity"]


def test_someone_else_signing_in_never_sees_or_sends_the_first_officers_records(page: Page, live_server, world, shots):
    open_app(page, live_server)
    sign_in(page, world.officer.email)
    record_contact(page, "Dana's synced game")
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    busy = {"error": {"code": "busy", "message": "The database is busy."}}
    page.route("**/api/sync/push", lambda route: route.fulfill(status=503, headers={"Retry-After": "30"}, json=busy))
    record_contact(page, "Dana's queued game")
    expect_pending(page, 1)

    page.goto(f"{live_server}/#/signin")  # Sam picks up the phone Dana left signed in
    sign_in(page, world.officer2.email)
    expect(page.get_by_text("Nothing recorded yet")).to_be_visible()
    expect(page.get_by_text("Dana's", exact=False)).to_have_count(0)
    assert stored_names(page, world.officer.id) == ["Dana's queued game"]  # Dana's synced record left the phone
    page.unroute("**/api/sync/push")
    record_contact(page, "Sam's chess club")
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    shots(page, "second-officer-sees-only-his-own")
    assert names_on_server(live_server, world.supervisor.email, world.officer2.id) == ["Sam's chess club"]
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == ["Dana's synced game"]

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#waiting")).to_have_text("1 record waits for Officer Dana Reyes to sign in again.")
    assert phone_db(page, world.officer2.id) is None  # all of Sam's work had synced: nothing of his stays
    shots(page, "dana-still-waits")
    sign_in(page, world.officer.email)
    expect_pending(page, 0, timeout=SYNC_TIMEOUT_MS)
    expect(page.get_by_text("Sam's chess club")).to_have_count(0)
    assert names_on_server(live_server, world.supervisor.email, world.officer.id) == [
        "Dana's queued game", "Dana's synced game"]


# --- 4. old synced records leave the phone --------------------------------------------------

def test_synced_records_older_than_the_keep_limit_leave_the_phone_and_are_found_online(
        page: Page, live_server, world, frozen_now, shots):
    now = datetime.fromisoformat(frozen_now)
    pushed = api_session(live_server, world.officer.email).post(f"{live_server}/api/sync/push", timeout=10, json={
        "device_id": "old-phone", "mutations": [
            mutation(kind="extracurricular_contact", school_id=world.school_id, when=now - timedelta(days=days),
                     event_name=name)
            for name, days in (("Fall festival", 60), ("Cross-country meet", 50), ("Fun run", 10))]})
    assert [result["status"] for result in pushed.json()["results"]] == ["applied"] * 3

    open_app(page, live_server)
    sign_in(page, world.officer.email)
    wait_until_offline_ready(page)
    expect(page.get_by_text("Fun run")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect_pending(page, 0)
    assert stored_names(page, world.officer.id) == ["Fun run"]  # 45 days (PHONE_KEEP_DAYS) kept, no more
    expect(page.get_by_text("Fall festival")).to_have_count(0)

    page.get_by_role("link", name="Older records (online)").click()
    older = page.locator("#older-records")
    expect(page.locator("#older-status")).to_have_text("2 of 2 older records")
    expect(page.locator("#older-more")).to_be_hidden()  # nothing more to show
    expect(older.locator(".rec-summary")).to_have_text([
        "Cross-country meet · Athletic · 40 students", "Fall festival · Athletic · 40 students"])
    assert_accessible(page, "older records online")
    shots(page, "older-records-online")
    assert stored_names(page, world.officer.id) == ["Fun run"]  # looked at, not stored

    page.get_by_role("link", name="Back").click()
    page.context.set_offline(True)
    page.get_by_role("link", name="Older records (online)").click()
    expect(page.locator("#older-status")).to_have_text(
        "Looking up older records needs a connection. Try again when you are online.")
    expect(older.locator("li")).to_have_count(0)
    shots(page, "older-records-offline")
