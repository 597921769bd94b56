"""Two app nodes on one PostgreSQL and one Redis, behind a lossy round-robin proxy (scripts/cluster.sh).

Three phones (two of one officer, so their edits race, one of another) sync random changes through
a link that drops requests and responses; node 1 is killed with SIGKILL midway and started again.
At the end: every change a phone believes applied is on the server at its version, nothing is
applied twice, and every pull cursor is gap-free. Sign-in limits hold across the nodes as if they
were one. Runs on the PostgreSQL pass only (tests/conftest.py): a cluster needs a shared database.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import func, select

from server import create_app
from server.extensions import db
from server.models import AppliedMutation, Record, RecordRevision, User
from tests.conftest import unavailable
from tests.db_support import find_pg_bin
from tests.factories import PASSWORD, email_of, make_user
from tests.settings import subprocess_environment
from tests.sync_support import build_world, record_data

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cluster.sh"
DROP_REQUESTS = 0.12
DROP_RESPONSES = 0.12
SEED = 16
ROUNDS_BEFORE_KILL = 24  # phone rounds (all phones together) before node 1 is killed
NODE_DOWN_SECONDS = 2.0
NODE1_ANSWERS_AFTER_RESTART = 15  # the phones run on until node 1 has served this many more requests
RETRY_PAUSE_SECONDS = 0.05
MAX_ATTEMPTS = 60
# The production limits (server/config.py), set here so that no variable of the caller's shell changes them.
PER_ADDRESS, PER_ACCOUNT = 30, 10
LIMITS = {"RATELIMIT_ENABLED": "1", "LOGIN_LIMIT_PER_ADDRESS": f"{PER_ADDRESS} per minute",
          "LOGIN_LIMIT_PER_ACCOUNT": f"{PER_ACCOUNT} per minute"}
pytestmark = pytest.mark.slow


# --- the cluster -------------------------------------------------------------------------------

@dataclass
class Cluster:
    directory: Path
    settings: dict[str, str] = field(default_factory=dict)

    def run(self, *arguments: str) -> str:
        done = subprocess.run(["bash", str(SCRIPT), *arguments], capture_output=True, text=True, timeout=180,
                              env=subprocess_environment(CLUSTER_DIR=str(self.directory), **LIMITS))
        if done.returncode != 0:
            pytest.fail(f"scripts/cluster.sh {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
        return done.stdout

    def read_settings(self) -> None:
        lines = (self.directory / "cluster.env").read_text().splitlines()
        self.settings = dict(line.split("=", 1) for line in lines)

    @property
    def proxy_url(self) -> str:
        return self.settings["PROXY_URL"]

    @property
    def node_urls(self) -> list[str]:
        return [self.settings["NODE1_URL"], self.settings["NODE2_URL"]]

    def proxy_stats(self) -> dict:
        return requests.get(f"{self.proxy_url}/_proxy/stats", timeout=10).json()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if find_pg_bin() is None:
        unavailable("PostgreSQL is not installed; `make test` installs it (apt-get install postgresql).")
    if shutil.which("redis-server") is None and not os.access("/usr/bin/redis-server", os.X_OK):
        unavailable("redis-server is not installed; `make test` installs it (apt-get install redis-server).")
    cluster = Cluster(tmp_path_factory.mktemp("cluster") / "state")
    print(cluster.run("start", "--drop-requests", str(DROP_REQUESTS), "--drop-responses", str(DROP_RESPONSES),
                      "--seed", str(SEED)))
    try:
        cluster.read_settings()
        yield cluster
    finally:
        print(cluster.run("stop"))


@pytest.fixture(scope="module")
def cluster_app(cluster):
    """The app in this process, on the cluster's database: to build accounts and to read the truth."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": cluster.settings["DATABASE_URL"]})
    yield app
    with app.app_context():
        db.engine.dispose()


# --- a phone on a lossy link -----------------------------------------------------------------------

class LinkDown(AssertionError):
    """A request failed MAX_ATTEMPTS times in a row: the cluster is not serving."""


@dataclass
class Phone:
    """One device's outbox, its copy of the records and its pull cursor, as the PWA keeps them.

    A request whose answer never came is sent again unchanged (same mutation_ids, same cursor):
    the phone cannot know whether the server applied it."""

    name: str
    base_url: str
    email: str
    school_id: int
    random: random.Random
    device_id: str = field(default_factory=lambda: f"phone-{uuid.uuid4().hex[:8]}")
    session: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    records: dict[str, dict] = field(default_factory=dict)  # id -> the server's record, as last heard
    outbox: list[dict] = field(default_factory=list)  # changes made, their answer not yet heard
    sent: dict[str, dict] = field(default_factory=dict)  # mutation_id -> the mutation
    answers: dict[str, dict] = field(default_factory=dict)  # mutation_id -> the answer heard
    cursor: str | None = None
    versions_pulled: list[tuple[str, int]] = field(default_factory=list)
    failed_attempts: int = 0
    changes_made: int = 0

    # -- the link
    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """The answer, after as many tries as the lossy link needs. A dropped request, a dropped
        answer, a 502 (node died holding it) and a 503 (busy) are all retried as they were."""
        for _ in range(MAX_ATTEMPTS):
            try:
                response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
            except requests.ConnectionError:
                response = None
            if response is not None and response.status_code not in (502, 503):
                return response
            self.failed_attempts += 1
            time.sleep(RETRY_PAUSE_SECONDS)
        raise LinkDown(f"{self.name}: {method} {path} failed {MAX_ATTEMPTS} times")

    def sign_in(self) -> None:
        response = self.request("POST", "/api/auth/login", json={"email": self.email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        self.token = response.json()["csrf_token"]

    # -- changes made on the phone
    def make_change(self) -> None:
        self.changes_made += 1
        editable = [record for record_id, record in self.records.items()
                    if not record["voided"] and not any(m["id"] == record_id for m in self.outbox)]
        roll = self.random.random()
        if not editable or roll < 0.5:
            self.queue(str(uuid.uuid4()), None, record_data("activity", self.school_id))
            return
        # Among the few records heard of last, which an officer's two phones both edit: some edits race.
        record = self.random.choice(editable[-4:])
        void_reason = "Entered twice" if roll >= 0.9 else None
        self.queue(record["id"], record["version"], dict(record["data"]), void_reason)

    def queue(self, record_id: str, base_version: int | None, data: dict, void_reason: str | None = None) -> None:
        # Unique notes tell, on the server, which mutation a revision came from.
        data["notes"] = f"{self.name} change {self.changes_made}"
        mutation = {"mutation_id": str(uuid.uuid4()), "id": record_id, "kind": "activity",
                    "base_version": base_version, "data": data, "voided": void_reason is not None,
                    "void_reason": void_reason}
        self.outbox.append(mutation)
        self.sent[mutation["mutation_id"]] = mutation

    # -- sync
    def push(self) -> None:
        if not self.outbox:
            return
        body = {"device_id": self.device_id, "mutations": list(self.outbox)}
        response = self.request("POST", "/api/sync/push", json=body, headers={"X-CSRF-Token": self.token})
        assert response.status_code == 200, response.text
        for result in response.json()["results"]:
            self.hear(result)
        self.outbox = [m for m in self.outbox if m["mutation_id"] not in self.answers]

    def hear(self, result: dict) -> None:
        assert result["status"] in ("applied", "duplicate", "conflict"), result
        mutation = self.sent[result["mutation_id"]]
        # "duplicate" is the answer to a retry whose first answer was lost: the change is applied.
        self.answers[result["mutation_id"]] = {**result, "applied": result["status"] != "conflict"}
        if result["status"] == "conflict":
            self.keep(result["record"])
        else:
            self.keep({"id": mutation["id"], "version": result["version"], "data": mutation["data"],
                       "voided": mutation["voided"]})

    def keep(self, record: dict) -> None:
        known = self.records.get(record["id"])
        if known is None or record["version"] > known["version"]:
            self.records[record["id"]] = {key: record[key] for key in ("id", "version", "data", "voided")}

    def pull(self) -> None:
        while True:
            params = {"limit": self.random.choice([3, 10, 50])}
            if self.cursor:
                params["since"] = self.cursor
            response = self.request("GET", "/api/sync/pull", params=params)
            assert response.status_code == 200, response.text
            body = response.json()
            for change in body["changes"]:
                self.versions_pulled.append((change["id"], change["version"]))
                self.keep(change)
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return

    def sync(self) -> None:
        self.push()
        self.pull()

    def round(self) -> None:
        for _ in range(self.random.randint(1, 3)):
            self.make_change()
        self.sync()


def pull_from_zero(phone: Phone) -> list[dict]:
    """Every change the phone's account may see, pulled in small pages over the lossy link."""
    fresh = Phone(f"{phone.name} (fresh pull)", phone.base_url, phone.email, phone.school_id,
                  random.Random(phone.name), session=phone.session, token=phone.token)
    changes = []
    while True:
        params = {"limit": 4, **({"since": fresh.cursor} if fresh.cursor else {})}
        response = fresh.request("GET", "/api/sync/pull", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        changes += body["changes"]
        fresh.cursor = body["cursor"]
        if not body["has_more"]:
            return changes


# --- the drill -----------------------------------------------------------------------------------

@dataclass
class Drill:
    phones: list[Phone]
    cluster: Cluster
    rounds: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run_phone(self, phone: Phone) -> None:
        try:
            phone.sign_in()
            while not self.stop.is_set():
                phone.round()
                with self.lock:
                    self.rounds += 1
        except BaseException as error:  # reported by the test, not lost in a thread
            self.errors.append(error)
            self.stop.set()

    def wait_for_rounds(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.rounds < count and not self.stop.is_set():
            assert time.monotonic() < deadline, f"only {self.rounds} rounds in {timeout}s"
            time.sleep(0.05)

    def wait_for_node1_answers(self, more_than: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.cluster.proxy_stats()["answered_by_node"]["1"] < more_than and not self.stop.is_set():
            assert time.monotonic() < deadline, f"node 1 served fewer than {more_than} requests after its restart"
            time.sleep(0.1)


def test_three_phones_through_a_lossy_link_and_a_node_crash_lose_and_duplicate_nothing(cluster, cluster_app):
    world = build_world(cluster_app)
    officer_a, officer_b = (email_of(cluster_app, officer) for officer in (world.officer_a, world.officer_b))
    rng = random.Random(SEED)
    phones = [Phone("phone A1", cluster.proxy_url, officer_a, world.school_a, random.Random(rng.random())),
              Phone("phone A2", cluster.proxy_url, officer_a, world.school_a, random.Random(rng.random())),
              Phone("phone B", cluster.proxy_url, officer_b, world.school_b, random.Random(rng.random()))]
    drill = Drill(phones, cluster)
    threads = [threading.Thread(target=drill.run_phone, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    try:
        drill.wait_for_rounds(ROUNDS_BEFORE_KILL, timeout=60)
        print(cluster.run("kill-node", "1"))
        time.sleep(NODE_DOWN_SECONDS)  # the phones go on against node 2 alone
        print(cluster.run("start-node", "1"))
        answered_before = cluster.proxy_stats()["answered_by_node"]["1"]
        drill.wait_for_node1_answers(answered_before + NODE1_ANSWERS_AFTER_RESTART, timeout=60)
    finally:
        drill.stop.set()
        for thread in threads:
            thread.join(timeout=120)
    assert not drill.errors, drill.errors
    # Back where the signal is good: every phone sends what it holds, then every phone pulls.
    for phone in phones:
        phone.push()
    for phone in phones:
        phone.pull()

    stats = cluster.proxy_stats()
    conflicts = sum(not answer["applied"] for phone in phones for answer in phone.answers.values())
    print(f"{drill.rounds} rounds, {sum(len(p.sent) for p in phones)} mutations ({conflicts} conflicts); "
          f"proxy: {stats}; retries per phone: {[p.failed_attempts for p in phones]}")
    assert stats["dropped_requests"] > 0 and stats["dropped_responses"] > 0
    assert stats["refused_by_node"]["1"] > 0, "no request met node 1 while it was down"
    assert all(not phone.outbox for phone in phones)
    with cluster_app.app_context():
        for phone in phones:
            assert_server_agrees_with_the_phone(phone)
        assert_nothing_applied_twice()
        for officer_phones in (phones[:2], phones[2:]):
            assert_pull_cursors_are_gap_free(officer_phones, user_id_of(officer_phones[0].email))


def assert_server_agrees_with_the_phone(phone: Phone) -> None:
    """Every mutation the phone sent has one answer on the server, the one the phone heard; each
    change it believes applied is stored as the revision of that version, with its data."""
    stored = {str(row.mutation_id): row for row in db.session.scalars(
        select(AppliedMutation).where(AppliedMutation.device_id == phone.device_id))}
    assert set(stored) == set(phone.sent), f"{phone.name}: the server's answers are not the mutations sent"
    for mutation_id, heard in phone.answers.items():
        assert stored[mutation_id].status == ("applied" if heard["applied"] else "conflict"), mutation_id
        assert stored[mutation_id].version == heard["version"], mutation_id
    for mutation_id, heard in phone.answers.items():
        if not heard["applied"]:
            continue
        revision = db.session.scalars(select(RecordRevision).where(
            RecordRevision.mutation_id == uuid.UUID(mutation_id), RecordRevision.outcome == "accepted")).one()
        assert revision.version == heard["version"]
        assert revision.snapshot["data"]["notes"] == phone.sent[mutation_id]["data"]["notes"]


def assert_nothing_applied_twice() -> None:
    twice = db.session.execute(
        select(RecordRevision.mutation_id).where(RecordRevision.outcome == "accepted")
        .group_by(RecordRevision.mutation_id).having(func.count() > 1)).all()
    assert not twice, f"mutations applied more than once: {twice}"
    # Each record's accepted revisions are exactly versions 1..version: none lost, none repeated.
    for record in db.session.scalars(select(Record)):
        versions = db.session.scalars(select(RecordRevision.version).where(
            RecordRevision.record_id == record.id, RecordRevision.outcome == "accepted")
            .order_by(RecordRevision.version)).all()
        assert versions == list(range(1, record.version + 1)), record.id


def assert_pull_cursors_are_gap_free(phones: list[Phone], owner_id: int) -> None:
    """The server's change log, its records in change order, is what each phone holds after pulling
    incrementally all along, and what a pull from the start returns: each record once, in that order."""
    change_log = [(str(record.id), record.version, record.voided, record.notes) for record in db.session.scalars(
        select(Record).where(Record.owner_id == owner_id).order_by(Record.change_seq))]
    assert change_log, "the phones made no records"
    for phone in phones:
        held = sorted((r["id"], r["version"], r["voided"], r["data"]["notes"]) for r in phone.records.values())
        assert held == sorted(change_log), f"{phone.name}: incremental pulls missed a change"
        seen: dict[str, int] = {}
        for record_id, version in phone.versions_pulled:
            assert version >= seen.get(record_id, 0), f"{phone.name}: a pull went back to an older version"
            seen[record_id] = version
        from_zero = [(c["id"], c["version"], c["voided"], c["data"]["notes"]) for c in pull_from_zero(phone)]
        assert from_zero == change_log, f"{phone.name}: a pull from the start is not the change log"


# --- sign-in limits ---------------------------------------------------------------------------

def sign_in_attempts(cluster: Cluster, attempts: list[tuple[str, str, str]]) -> list[requests.Response]:
    """(email, password, client address) attempts, all at once, alternately straight to node 1 and
    node 2 (2 workers each: four processes). The address reaches the app as X-Forwarded-For."""

    def attempt(numbered):
        number, (email, password, address) = numbered
        return requests.post(f"{cluster.node_urls[number % 2]}/api/auth/login", timeout=60,
                             json={"email": email, "password": password}, headers={"X-Forwarded-For": address})

    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(attempt, enumerate(attempts)))


def outcome(response: requests.Response) -> str:
    if response.status_code == 429:
        # Both are 429 too_many_requests; the lockout's message names the failed sign-ins.
        message = response.json()["error"]["message"]
        return "locked" if "failed sign-ins" in message else "throttled"
    return {200: "signed in", 401: "refused"}[response.status_code]


def outcomes(responses: list[requests.Response]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for response in responses:
        counted[outcome(response)] = counted.get(outcome(response), 0) + 1
    return counted


def test_sign_in_limits_hold_across_both_nodes_as_if_one(cluster, cluster_app):
    spray = [(f"nobody{n}@spray.example", "wrong-password-1", "10.16.0.1") for n in range(PER_ADDRESS + 4)]
    assert outcomes(sign_in_attempts(cluster, spray)) == {"refused": PER_ADDRESS, "throttled": 4}

    officer = make_user(cluster_app, "officer")
    busy = [(officer.email, PASSWORD, f"10.16.1.{n}") for n in range(PER_ACCOUNT + 2)]
    assert outcomes(sign_in_attempts(cluster, busy)) == {"signed in": PER_ACCOUNT, "throttled": 2}

    # The lockout counts in the database: LOGIN_MAX_FAILURES (5) failed passwords lock the account.
    guessed = make_user(cluster_app, "officer")
    guesses = [(guessed.email, "wrong-password-1", f"10.16.2.{n}") for n in range(8)]
    assert outcomes(sign_in_attempts(cluster, guesses)) == {"refused": 5, "locked": 3}

    store = redis.Redis.from_url(cluster.settings["RATELIMIT_STORAGE_URI"])
    assert any(officer.email in key.decode() for key in store.keys("*")), "the counters are not in Redis"


def test_a_session_opened_on_one_node_works_on_the_other_and_ends_on_both(cluster, cluster_app):
    officer = make_user(cluster_app, "officer")
    node_1, node_2 = cluster.node_urls
    phone = requests.Session()
    token = phone.post(f"{node_1}/api/auth/login", json={"email": officer.email, "password": PASSWORD},
                       timeout=30).json()["csrf_token"]
    signed_in_cookie = phone.cookies.get("sro_session")
    assert phone.get(f"{node_2}/api/me", timeout=30).status_code == 200
    assert phone.post(f"{node_2}/api/auth/logout", headers={"X-CSRF-Token": token}, timeout=30).status_code == 204
    # The cookie is only a signed key: the session itself ended in the database, for every node.
    replayed = requests.get(f"{node_1}/api/me", cookies={"sro_session": signed_in_cookie}, timeout=30)
    assert replayed.status_code == 401


def user_id_of(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))
