"""The review screens at /review/ (issue 6) in Debian chromium, desktop (1280x800) and phone (360x740).

Data comes from tests/factories.py; every record is created through POST /api/sync/push
(tests/sync_support.py). Screenshots land in test-results/screenshots/review-*.png; people look at them.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import E2E_NOW, pin_clock
from tests.sync_support import CENTRAL, mutation, record_data, signed_in

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
YEAR = "2026-2027"
NOW = E2E_NOW  # for the server (the marker) and every browser context open_review makes
TODAY = datetime.fromisoformat(NOW).date()
pytestmark = pytest.mark.frozen_now(NOW)


@dataclass
class ReviewWorld:
    north: factories.SchoolInfo
    lake: factories.SchoolInfo
    dana: factories.UserInfo  # officer at North, supervised by lee
    sam: factories.UserInfo  # officer at Lake, not supervised by lee
    principal: factories.UserInfo  # principal of North
    lee: factories.UserInfo  # supervisor of dana only
    admin: factories.UserInfo
    edited_id: str  # a record of dana's with an update and a rejected conflicting proposal


def at(day: date, hour: int = 10) -> str:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=CENTRAL).isoformat()


def school_weeks(first: date, until: date):
    """Tuesdays of the weeks from `first` while they are in the past."""
    day = first + timedelta(days=(1 - first.weekday()) % 7)
    while day < until:
        yield day
        day += timedelta(days=7)


def year_of_records(officer_client, principal_client, school_id: int, start: date, skip_weeks: set[int]) -> None:
    """A realistic start of the year, pushed as an officer's phone would: meetings most weeks
    (confirmed, disputed or still pending), introductions, faculty meetings, a semester review,
    extracurricular contacts and activities."""
    mutations, meetings = [], []
    for index, tuesday in enumerate(school_weeks(start, min(TODAY, date(2026, 12, 18)))):
        if index in skip_weeks:
            continue
        meeting = mutation(kind="principal_meeting", school_id=school_id, when=datetime.fromisoformat(at(tuesday, 9)))
        meetings.append(meeting["id"])
        mutations.append(meeting)
        mutations.append(mutation(kind="activity", data=record_data(
            "activity", school_id, datetime.fromisoformat(at(tuesday + timedelta(days=1), 13)),
            activity_type="counseling_student", count=1 + index % 3)))
        if index % 2 == 0:
            mutations.append(mutation(kind="extracurricular_contact", data=record_data(
                "extracurricular_contact", school_id, datetime.fromisoformat(at(tuesday + timedelta(days=2), 19)),
                event_name="Varsity football", students_contacted=60 + 10 * index)))
        if index % 4 == 1:
            mutations.append(mutation(kind="activity", data=record_data(
                "activity", school_id, datetime.fromisoformat(at(tuesday + timedelta(days=1), 15)),
                activity_type="faculty_meeting", count=1, topic="Staff briefing")))
    for audience, offset in (("new_students", 1), ("faculty", 2), ("support_staff", 3)):
        mutations.append(mutation(kind="introduction", data=record_data(
            "introduction", school_id, datetime.fromisoformat(at(start + timedelta(days=offset), 9)),
            audience=audience, people_count=80)))
    mutations.append(mutation(kind="activity", data=record_data(
        "activity", school_id, datetime.fromisoformat(at(date(2026, 11, 10), 14)), activity_type="semester_review",
        count=1, topic="Fall review with the lieutenant", review_outcome="The agreement still fits",
        agreement_changes=False)))
    results = officer_client.push_ok(mutations)
    assert {result["status"] for result in results} == {"applied"}, results
    for index, meeting_id in enumerate(meetings[:-3]):  # the last three weeks still wait for the principal
        decision = "disputed" if index % 6 == 5 else "confirmed"
        comment = "No meeting that week" if decision == "disputed" else None
        response = principal_client.confirm(meeting_id, decision, **({"comment": comment} if comment else {}))
        assert response.status_code == 200, response.get_json()


@pytest.fixture
def review_world(app, live_server) -> ReviewWorld:
    north = factories.make_school(app, "NHS" + uuid.uuid4().hex[:3].upper(), "Northside High School")
    lake = factories.make_school(app, "LMS" + uuid.uuid4().hex[:3].upper(), "Lakeview Middle School")
    dana = factories.make_user(app, "officer", name="Officer Dana Reyes")
    sam = factories.make_user(app, "officer", name="Officer Sam Ortiz")
    factories.assign_officer(app, dana, north, date(2026, 8, 1))
    factories.assign_officer(app, sam, lake, date(2026, 8, 1))
    principal = factories.make_principal_for(app, north, factories.make_user(app, "principal", name="Dr. Ana Moore"))
    lake_principal = factories.make_principal_for(app, lake, factories.make_user(app, "principal", name="Mr. Luis Ortega"))
    lee = factories.make_user(app, "supervisor", name="Sgt. Lee Kim")
    factories.supervise(app, lee, dana)
    admin = factories.make_user(app, "admin", name="Alex Admin")

    dana_phone, sam_phone = signed_in(app, dana.email), signed_in(app, sam.email)
    year_of_records(dana_phone, signed_in(app, principal.email), north.id, date(2026, 8, 19), skip_weeks={4, 9})
    year_of_records(sam_phone, signed_in(app, lake_principal.email), lake.id, date(2026, 8, 19), skip_weeks={2})

    # One record with a history: created, edited, then a stale edit from a second device rejected.
    created = mutation(kind="activity", data=record_data("activity", north.id, datetime.fromisoformat(
        at(date(2026, 10, 6), 11)), activity_type="classroom_presentation", count=1, topic="Internet safety"))
    dana_phone.push_ok([created])
    edit = mutation(created["id"], "activity", base_version=1, data={**created["data"], "count": 3})
    assert dana_phone.push_ok([edit])[0]["status"] == "applied"
    stale = mutation(created["id"], "activity", base_version=1, data={**created["data"], "topic": "Cyberbullying"})
    second_device = signed_in(app, dana.email)
    assert second_device.push_ok([stale])[0]["status"] == "conflict"
    return ReviewWorld(north, lake, dana, sam, principal, lee, admin, created["id"])


def open_review(browser: Browser, live_server: str, user: factories.UserInfo, viewport=DESKTOP) -> Page:
    context = pin_clock(browser.new_context(viewport=viewport, device_scale_factor=1 if viewport is DESKTOP else 2,
                                            locale="en-US", timezone_id="America/Chicago", accept_downloads=True), NOW)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/review/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.errors = errors
    return page


def every_control_is_labelled_and_big_enough(page: Page) -> None:
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !el.labels.length && !el.getAttribute('aria-label')).map((el) => el.name)""")
    assert not unlabelled, unlabelled
    small = page.evaluate("""() => [...document.querySelectorAll('button, .button, select, input, summary, nav a')]
        .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 44).map((el) => el.outerHTML.slice(0, 80))""")
    assert not small, small


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], \
        "the page must not scroll sideways (wide tables scroll inside their own region)"


def test_supervisor_dashboard_and_monthly_report_at_desktop_and_phone(browser, live_server, review_world, screenshots):
    world = review_world
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = open_review(browser, live_server, world.lee, viewport)
        expect(page.get_by_role("heading", name="Program compliance")).to_be_visible()
        summary = page.get_by_role("table", name="Summary: one row per officer and school")
        expect(summary).to_contain_text("Officer Dana Reyes")
        # A supervisor sees only the officers they supervise.
        expect(page.locator("main")).not_to_contain_text("Officer Sam Ortiz")
        expect(page.locator("main")).not_to_contain_text("Lakeview Middle School")
        grid = page.get_by_role("img", name=re.compile("Weekly meetings with the principal or designee, Officer Dana Reyes"))
        expect(grid).to_be_visible()
        # Colour plus text: the grid has a text description, a legend and a table of the same weeks.
        assert "school weeks" in grid.locator("desc").text_content()
        expect(page.locator(".legend").first).to_contain_text("Confirmed")
        card = page.locator("article.unit").first
        for rule in ("KY 20", "KY 5", "KY 3", "KY 8", "KY 17", "KY 9"):
            expect(card).to_contain_text(rule)
        expect(card).to_contain_text("Disputed")
        expect(card).to_contain_text("Missing")
        no_horizontal_scroll(page)
        every_control_is_labelled_and_big_enough(page)
        assert_accessible(page, f"review dashboard ({name})")
        page.screenshot(path=str(screenshots / f"review-dashboard-{name}.png"), full_page=name == "desktop")
        if name == "phone":
            grid.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshots / "review-dashboard-phone-grid.png"))
        card.get_by_text("Weeks as a table").click()
        expect(card.get_by_role("table", name=re.compile("Every school week"))).to_contain_text("Confirmed")
        no_horizontal_scroll(page)

        page.get_by_role("link", name="Monthly report").click()
        expect(page.get_by_role("heading", name="Monthly activity report")).to_be_visible()
        report = page.get_by_role("table", name=f"Monthly activity, {YEAR}")
        expect(report).to_contain_text("Principal meetings")
        expect(page.get_by_role("img", name="Principal meetings per month")).to_be_visible()
        csv_link = page.get_by_role("link", name="Download CSV")
        assert "/api/reports/monthly.csv?school_year=2026-2027" in csv_link.get_attribute("href")
        no_horizontal_scroll(page)
        assert_accessible(page, f"review monthly report ({name})")
        page.screenshot(path=str(screenshots / f"review-monthly-{name}.png"), full_page=name == "desktop")
        if name == "phone":
            report.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshots / "review-monthly-phone-table.png"))
        assert not page.errors, page.errors
        page.context.close()

    # The CSV link, with the officer filter the screen offers, downloads the same report.
    page = open_review(browser, live_server, world.lee)
    page.get_by_role("link", name="Monthly report").click()
    # The dashboard has the same Officer filter and Show button: wait until the report has
    # replaced it, or the choice lands on the screen being left.
    expect(page.get_by_role("heading", name="Monthly activity report")).to_be_visible()
    expect(page.locator(".as-of")).to_contain_text("All officers in scope")
    page.get_by_label("Officer", exact=True).select_option(label="Officer Dana Reyes")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".as-of")).to_contain_text("Officer Dana Reyes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text()
    assert text.startswith("category,label,measure,2026-07"), text[:80]
    # The officer list offers only the supervisor's own officers.
    options = page.get_by_label("Officer", exact=True).locator("option").all_text_contents()
    assert "Officer Dana Reyes" in options and "Officer Sam Ortiz" not in options
    page.emulate_media(media="print")
    expect(page.locator("nav#nav")).to_be_hidden()
    expect(page.get_by_role("table", name=f"Monthly activity, {YEAR}")).to_be_visible()
    page.context.close()


def test_supervisor_log_browser_filters_pages_and_shows_history(browser, live_server, review_world, screenshots):
    world = review_world
    page = open_review(browser, live_server, world.lee)
    page.get_by_role("link", name="Log browser").click()
    table = page.get_by_role("table", name=re.compile(r"^Records 1–"))
    expect(table).to_be_visible()
    officers = page.locator("td[data-label='Officer']").all_text_contents()
    assert officers and set(officers) == {"Officer Dana Reyes"}, set(officers)
    total = int(re.search(r"of (\d+)", page.locator(".pager p").text_content()).group(1))
    assert total > 25

    page.get_by_label("Per page").select_option("25")
    page.get_by_label("Kind").select_option(label="Principal meeting")
    page.get_by_label("Confirmation").select_option(label="Disputed")
    page.get_by_role("button", name="Show records").click()
    expect(page.locator(".pager p")).to_contain_text("Records 1–")
    kinds = set(page.locator("td[data-label='Kind']").all_text_contents())
    assert kinds == {"Principal meeting"}, kinds
    assert set(page.locator("td[data-label='Confirmation']").all_text_contents()) == {"!Disputed"}

    # A refused filter is explained beside the field the API names.
    page.get_by_label("From").fill("2026-10-10")
    page.get_by_label("To", exact=True).fill("2026-10-01")
    page.get_by_role("button", name="Show records").click()
    expect(page.locator("[data-field='date_to'] .field-error")).to_contain_text("on or after date_from")
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_role("button", name="Clear filters").click()
    page.get_by_label("Per page").select_option("25")
    page.get_by_role("button", name="Show records").click()
    expect(page.locator(".pager p")).to_have_text(f"Records 1–25 of {total}")
    page.get_by_role("button", name="Next page").click()
    expect(page.locator(".pager p")).to_have_text(f"Records 26–{min(50, total)} of {total}")
    # Sorting by a column header asks the server (aria-sort follows).
    page.get_by_role("button", name=re.compile("^Kind")).click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Kind")
    every_control_is_labelled_and_big_enough(page)
    assert_accessible(page, "log browser")
    page.screenshot(path=str(screenshots / "review-log-desktop.png"))

    page.goto(f"{live_server}/review/#record/{world.edited_id}")
    expect(page.get_by_role("heading", name=re.compile("^Other activity, 6 Oct 2026"))).to_be_visible()
    history = page.locator("ol.revisions > li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Version 1: Create")
    expect(history.nth(1)).to_contain_text("Version 2: Update")
    expect(history.nth(1)).to_contain_text("How many")  # the field's label from /api/forms
    expect(page.locator("li.revision.rejected")).to_contain_text("Rejected proposal (conflict)")
    expect(page.locator("li.revision.rejected")).to_contain_text("Cyberbullying")
    # Devices by whose they are and when they first synced, never a raw UUID.
    expect(page.locator("li.revision").first).to_contain_text(re.compile(r"Dana's phone( \d+)?, added \d{1,2} [A-Z][a-z]{2}"))
    expect(page.locator(".facts")).to_contain_text(re.compile(r"Dana's phone"))
    assert_accessible(page, "record history")
    page.screenshot(path=str(screenshots / "review-record-history-desktop.png"), full_page=True)
    assert not page.errors, page.errors
    page.context.close()


def test_principal_sees_only_aggregate_views_of_their_school(browser, live_server, review_world, screenshots):
    world = review_world
    page = open_review(browser, live_server, world.principal)
    expect(page.get_by_role("heading", name="Program compliance at your school")).to_be_visible()
    nav = page.get_by_role("navigation", name="Review screens")
    # Involvements: their school's totals (issue 13; tests/e2e/test_involvements_report.py).
    expect(nav.get_by_role("link")).to_have_text(["Compliance", "Monthly report", "Involvements", "Public report"])
    main = page.locator("main")
    expect(main).to_contain_text("Northside High School")
    expect(main).not_to_contain_text("Lakeview Middle School")
    expect(main).not_to_contain_text("Officer Sam Ortiz")

    # No log browser and no record detail: a principal sees counts, never individual contacts.
    page.goto(f"{live_server}/review/#log")
    expect(page.get_by_role("heading", name="Program compliance at your school")).to_be_visible()
    page.goto(f"{live_server}/review/#record/{world.edited_id}")
    expect(page.get_by_role("heading", name="Program compliance at your school")).to_be_visible()
    expect(page.locator("table.records")).to_have_count(0)

    page.get_by_role("link", name="Public report").click()
    expect(page.get_by_role("heading", name="Public report")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Northside High School"))).to_be_visible()
    expect(main).not_to_contain_text("Lakeview Middle School")
    expect(page.locator("td.suppressed").first).to_have_text("<5")
    assert "/api/reports/public.csv?school_year=2026-2027" in page.get_by_role("link", name="Download public CSV").get_attribute("href")
    assert_accessible(page, "review public report")
    page.screenshot(path=str(screenshots / "review-public-principal-desktop.png"), full_page=True)

    page.get_by_role("link", name="Monthly report").click()
    expect(page.get_by_role("table", name=f"Monthly activity, {YEAR}")).to_contain_text("Extracurricular events")
    expect(page.get_by_label("Officer", exact=True)).to_have_count(0)
    assert not page.errors, page.errors

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to review")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="You are signed out.")).to_be_visible()
    assert_accessible(page, "review sign-in")
    page.reload()
    expect(page.get_by_role("heading", name="Sign in to review")).to_be_visible()
    page.context.close()


def test_admin_creates_a_user_and_sees_it_in_the_audit_log(browser, live_server, review_world, screenshots):
    world = review_world
    page = open_review(browser, live_server, world.admin)
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Create a user")).to_be_visible()
    form = page.get_by_role("form", name="Create a user")
    email = f"new-officer-{uuid.uuid4().hex[:6]}@test.example"
    form.get_by_label("Name").fill("Officer New Hire")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Role").select_option("officer")
    form.get_by_label("Password").fill("short")
    form.get_by_role("button", name="Create user").click()
    # The API's error is shown beside the field it names.
    error = form.locator("[data-field='password'] .field-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("at least 8")
    expect(form.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    every_control_is_labelled_and_big_enough(page)
    assert_accessible(page, "admin users (with a field error)")
    page.screenshot(path=str(screenshots / "review-admin-user-error-desktop.png"))

    form.get_by_label("Password").fill("a-long-enough-passphrase-2026")
    form.get_by_role("button", name="Create user").click()
    expect(form.get_by_role("status")).to_contain_text(f"Created Officer New Hire ({email})")
    expect(page.locator(f"tr[data-email='{email}']")).to_contain_text("Officer")

    page.get_by_role("link", name="Audit log").click()
    # The action without its prefix finds it; the target is the person, by name.
    page.get_by_label("Action").fill("user_create")
    page.get_by_role("button", name="Show events").click()
    row = page.locator("table.audit tbody tr").first
    expect(row).to_contain_text("admin.user_create")
    expect(row).to_contain_text(f"Officer New Hire ({email})")
    expect(row).to_contain_text(world.admin.email)
    # The Who filter and the rows say the same "Name (email)".
    who = page.get_by_label("Who").locator("option").all_text_contents()
    assert any(world.admin.email in option for option in who), who
    expect(row).to_contain_text("Success")
    assert_accessible(page, "admin audit log")
    page.screenshot(path=str(screenshots / "review-admin-audit-desktop.png"))

    # Browsing records leaves a trace, and the action box offers the read events by name.
    page.get_by_role("link", name="Log browser").click()
    expect(page.get_by_role("table", name=re.compile(r"^Records 1–"))).to_be_visible()
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Audit log").click()
    for action in ("records.pull", "records.browse", "records.history"):
        expect(page.locator(f"#audit-actions option[value='{action}']")).to_have_count(1)
    page.get_by_label("Action").fill("records.browse")
    page.get_by_role("button", name="Show events").click()
    browsed = page.locator("table.audit tbody tr").first
    expect(browsed).to_contain_text("records.browse")
    expect(browsed).to_contain_text(world.admin.email)

    # The other admin sections draw from the API.
    page.get_by_role("link", name="Schools and calendars").click()
    expect(page.get_by_role("heading", name=re.compile("Terms of"))).to_be_visible()
    expect(page.get_by_role("table", name="Terms")).to_contain_text("Fall semester")
    page.get_by_text("Edit Lakeview Middle School").click()
    edit = page.get_by_role("form", name="Edit Lakeview Middle School")
    edit.get_by_label("Code").fill("bad code!")
    edit.get_by_role("button", name="Save school").click()
    expect(edit.locator("[data-field='code'] .field-error")).to_contain_text("Letters, digits")
    edit.get_by_label("School name").fill("Lakeview Middle School East")
    edit.get_by_label("Code").fill(world.lake.code)
    edit.get_by_role("button", name="Save school").click()
    expect(page.get_by_role("table", name="2 schools")).to_contain_text("Lakeview Middle School East")
    assert_accessible(page, "admin schools and calendars")
    page.get_by_role("link", name="Assignments and supervision").click()
    expect(page.get_by_role("table", name=re.compile("supervisions"))).to_contain_text("Sgt. Lee Kim")
    assert_accessible(page, "admin assignments and supervision")
    assert not page.errors, page.errors
    page.context.close()


def test_an_officer_is_sent_to_the_officer_app(browser, live_server, review_world):
    page = open_review(browser, live_server, review_world.dana)
    page.wait_for_url(f"{live_server}/")
    page.context.close()


def test_review_page_is_not_in_the_officer_shell(live_server):
    worker = requests.get(f"{live_server}/sw.js", timeout=10).text
    files = re.search(r"^const SHELL_FILES = (.*);$", worker, re.MULTILINE).group(1)
    assert "/review/" not in files
    page = requests.get(f"{live_server}/review/", timeout=10)
    assert page.status_code == 200 and "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert requests.get(f"{live_server}/api/sync/push", timeout=10).status_code == 405
    # Strict CSP: no inline script or style in the page, and no style attributes built by the scripts.
    assert "<style" not in page.text and "style=" not in page.text
    assert all(re.search(r'src="[^"]+"', tag) for tag in re.findall(r"<script[^>]*>", page.text))
    for script in (ROOT / "pwa" / "review").glob("*.js"):
        source = script.read_text()
        assert ".style" not in source and "innerHTML" not in source and '"style"' not in source, script.name


def test_review_page_opens_where_the_officer_service_worker_is_installed(browser, live_server):
    """A desktop that once opened the officer app still gets the review page at /review/."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server}/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(f"{live_server}/")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    page.goto(f"{live_server}/review/")
    expect(page.get_by_role("heading", name="Sign in to review")).to_be_visible()
    context.close()


def test_an_officer_at_two_schools_is_flagged_not_refused(app, browser, live_server, review_world, screenshots):
    world = review_world
    factories.assign_officer(app, world.sam, world.north, date(2026, 9, 1))  # Lake and North at once (KY 9)
    page = open_review(browser, live_server, world.admin)
    summary = page.get_by_role("table", name="Summary: one row per officer and school")
    sam_rows = summary.locator("tbody tr").filter(has_text="Officer Sam Ortiz")
    expect(sam_rows).to_have_count(2)
    for index in range(2):
        expect(sam_rows.nth(index)).to_contain_text("More than one school")
    expect(summary.locator("tbody tr").filter(has_text="Officer Dana Reyes")).to_contain_text("One school")
    card = page.locator("article.unit").filter(has_text="Officer Sam Ortiz at Northside").first
    expect(card.locator("p.flag")).to_contain_text("More than one school")
    # Assigned from 1 September: the weeks before say so instead of "missing".
    expect(card).to_contain_text("Not assigned")
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Assignments and supervision").click()
    expect(page.get_by_role("table", name="3 assignments").locator("tr").filter(has_text="Officer Sam Ortiz").first) \
        .to_contain_text("More than one school")
    assert not page.errors, page.errors
    page.context.close()


def test_a_session_that_ends_mid_use_asks_for_sign_in_and_forgets_the_screens(browser, live_server, review_world):
    page = open_review(browser, live_server, review_world.lee)
    # Wait for the dashboard's requests: a response still in flight would set the old session
    # cookie again, and the server still accepts it after a sign-out (reported; server side).
    expect(page.get_by_role("table", name="Summary: one row per officer and school")).to_be_visible()
    # The session ends on the server (idle lock, or signed out in another tab).
    status = page.evaluate("""async () => {
        const { csrf_token } = await (await fetch('/api/auth/csrf')).json();
        return (await fetch('/api/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf_token } })).status;
    }""")
    assert status == 204, status
    assert page.evaluate("fetch('/api/me').then((response) => response.status)") == 401
    page.get_by_role("link", name="Monthly report").click()
    expect(page.get_by_role("heading", name="Sign in to review")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Your session ended")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Officer Dana Reyes")
    page.get_by_label("Email").fill(review_world.lee.email)
    page.get_by_label("Password").fill(review_world.lee.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Program compliance")).to_be_visible()
    page.context.close()
