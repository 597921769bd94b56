"""Real concurrency on the suite's engine: threads in one process, and gunicorn workers."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select, text

from server import create_app
from server.extensions import db
from server.models import AppliedMutation, Record, RecordRevision
from tests.db_support import hold_the_write_lock
from tests.factories import PASSWORD, email_of
from tests.sync_support import build_world, mutation

WRITERS = 4
ROUNDS = 8


def write_and_edit(client, school_id: int) -> None:
    for _ in range(ROUNDS):
        batch = [mutation(school_id=school_id) for _ in range(4)]
        client.push_ok(batch)
        client.push_ok([mutation(m["id"], base_version=1, school_id=school_id, count=7) for m in batch])


def test_a_pull_cursor_never_skips_a_change_under_concurrent_writers(app):
    world = build_world(app)
    writers = [world.client(world.officer_a) for _ in range(WRITERS)]
    reader = world.client(world.officer_a)
    seen: dict[str, int] = {}
    done = threading.Event()

    def read_until_done():
        cursor = None
        while True:
            finished = done.is_set()  # read the flag first: the last pull then sees every commit
            body = reader.pull(cursor, limit=5).get_json()
            for change in body["changes"]:
                seen[change["id"]] = change["version"]
            cursor = body["cursor"]
            if finished and not body["has_more"]:
                return

    reading = threading.Thread(target=read_until_done)
    reading.start()
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for future in [pool.submit(write_and_edit, client, world.school_a) for client in writers]:
            future.result()
    done.set()
    reading.join(timeout=60)

    with app.app_context():
        stored = {str(r.id): r.version for r in db.session.execute(select(Record.id, Record.version))}
    assert len(stored) == WRITERS * ROUNDS * 4
    assert seen == stored  # every record, each in its final version


def test_change_numbers_are_unique_and_dense(app):
    world = build_world(app)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        clients = [world.client(world.officer_a) for _ in range(WRITERS)]
        for future in [pool.submit(write_and_edit, client, world.school_a) for client in clients]:
            future.result()
    with app.app_context():
        numbers = sorted(db.session.scalars(select(Record.change_seq)))
        counter = db.session.execute(text("SELECT value FROM change_counter")).scalar_one()
    assert len(numbers) == len(set(numbers))
    # Each record's latest change number; creates and edits took the numbers in between.
    assert numbers[-1] == counter == WRITERS * ROUNDS * 8


def push_at_once(phones: list, batches: list[list[dict]]) -> list[list[dict]]:
    """Each phone pushes its batch at the same moment; their answers, phone by phone."""
    start = threading.Barrier(len(phones))

    def push(phone, batch):
        start.wait()
        return phone.push_ok(batch)

    with ThreadPoolExecutor(max_workers=len(phones)) as pool:
        return list(pool.map(push, phones, batches))


def test_a_retry_racing_its_original_is_a_duplicate_and_a_racing_create_a_conflict(app):
    """Writers on PostgreSQL decide side by side: the same mutation, or two creates of one record,
    sent at once must still be answered as if one had waited for the other, never as an error."""
    world = build_world(app)
    phones = [world.client(world.officer_a) for _ in range(3)]
    for _ in range(ROUNDS):
        retried = [mutation(school_id=world.school_a) for _ in range(3)]
        raced = mutation(school_id=world.school_a)
        rivals = [[*retried, mutation(raced["id"], school_id=world.school_a)] for _ in phones]
        answers = push_at_once(phones, rivals)
        for index in range(len(retried)):
            assert sorted(answer[index]["status"] for answer in answers) == ["applied", "duplicate", "duplicate"]
        assert sorted(answer[-1]["status"] for answer in answers) == ["applied", "conflict", "conflict"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Record)) == ROUNDS * 4
        # Per round: the three retried mutations once each, and all three rival creates (one applied, two conflicts).
        assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == ROUNDS * (3 + 3)
        outcomes = db.session.execute(select(RecordRevision.outcome, func.count()).group_by(RecordRevision.outcome))
        assert dict(outcomes.all()) == {"accepted": ROUNDS * 4, "rejected_conflict": ROUNDS * 2}


def push_with_retries(base_url: str, email: str, device: str, batches: list[list[dict]]) -> dict:
    """One phone: push every batch, retrying on 503 (Retry-After) like the PWA does."""
    session = requests.Session()
    token = session.post(f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD},
                         timeout=30).json()["csrf_token"]
    tally = {"busy": 0, "statuses": []}
    for batch in batches:
        while True:
            response = session.post(f"{base_url}/api/sync/push", json={"device_id": device, "mutations": batch},
                                    headers={"X-CSRF-Token": token}, timeout=60)
            if response.status_code == 503:
                tally["busy"] += 1
                time.sleep(float(response.headers["Retry-After"]) / 10)
                continue
            assert response.status_code == 200, response.text
            tally["statuses"] += [result["status"] for result in response.json()["results"]]
            break
    return tally


def test_eight_concurrent_pushers_through_gunicorn_apply_everything_exactly_once(app, live_server):
    world = build_world(app)
    email = email_of(app, world.officer_a)
    phones = {f"phone-{n}": [[mutation(school_id=world.school_a) for _ in range(25)] for _ in range(6)]
              for n in range(8)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        tallies = list(pool.map(lambda item: push_with_retries(live_server, email, *item), phones.items()))
    statuses = [status for tally in tallies for status in tally["statuses"]]
    assert set(statuses) == {"applied"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Record)) == 8 * 6 * 25
        assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == 8 * 6 * 25
        assert db.session.scalar(select(func.count()).select_from(RecordRevision)) == 8 * 6 * 25


# Another connection takes the change counter and keeps it: the app must wait, then give up.
CHANGE_COUNTER_LOCK = "SELECT value FROM change_counter WHERE id = 1 FOR UPDATE"


def test_a_database_locked_past_the_timeout_answers_503_and_writes_nothing(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SQLITE_BUSY_TIMEOUT_MS": 300})
    world = build_world(app)
    officer = world.client(world.officer_a)
    with hold_the_write_lock(database_url, CHANGE_COUNTER_LOCK):
        started = time.monotonic()
        response = officer.push([mutation(school_id=world.school_a)])
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["error"]["code"] == "service_unavailable"
    assert waited >= 0.25
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Record)) == 0
        db.engine.dispose()
    retry = officer.push_ok([mutation(str(uuid.uuid4()), school_id=world.school_a)])
    assert retry[0]["status"] == "applied"


def test_a_principals_decision_racing_its_own_retry_is_answered_duplicate(app):
    """A principal's phone retries a confirmation still in flight. The change log locks the meeting's
    row before it reads earlier answers, so the retry waits for the first and finds its answer:
    duplicate, never a second decision or an error (this breaks if the look-up moves before the lock)."""
    world = build_world(app)
    officer = world.client(world.officer_a)
    principals = [world.client(world.principal_a) for _ in range(3)]
    for _ in range(ROUNDS):
        meeting = mutation(kind="principal_meeting", school_id=world.school_a)
        officer.push_ok([meeting])
        mutation_id = str(uuid.uuid4())
        start = threading.Barrier(len(principals))

        def confirm(principal):
            start.wait()
            return principal.confirm(meeting["id"], mutation_id=mutation_id, device_id=principal.device_id)

        with ThreadPoolExecutor(max_workers=len(principals)) as pool:
            answers = list(pool.map(confirm, principals))
        assert [answer.status_code for answer in answers] == [200, 200, 200], [a.get_json() for a in answers]
        assert sorted(answer.get_json()["duplicate"] for answer in answers) == [False, True, True]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == ROUNDS * 2
