"""The authenticator app at /review/ in Debian chromium at phone size (360x740): a supervisor made
to set one up before anything else, the code asked for at the next sign-in, a recovery code,
and an admin resetting a lost phone. Screenshots: test-results/screenshots/security-*.png."""

import time

import pyotp
import pytest
import requests
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_review_screens import PHONE, every_control_is_labelled_and_big_enough, no_horizontal_scroll

# The codes come from this process's real clock, so the server keeps the real time too (and
# nothing on these screens depends on the date).
pytestmark = pytest.mark.frozen_now(None)


def new_page(browser, live_server: str) -> Page:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="en-US",
                                  timezone_id="America/Chicago", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{live_server}/review/")
    return page


def enter_password(page: Page, user: factories.UserInfo) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()


def next_step_code(secret: str) -> str:
    """A code from the next 30-second step: the server accepts one step of drift, and never a
    step it has already accepted."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to review")).to_be_visible()


@pytest.mark.server_env(SECOND_FACTOR_REQUIRED="1")
def test_a_supervisor_sets_up_the_app_then_signs_in_with_its_code(app, browser, live_server, screenshots):
    supervisor = factories.make_user(app, "supervisor", name="Sgt. Dana Ruiz")
    page = new_page(browser, live_server)
    enter_password(page, supervisor)

    # Required: only the set-up screen until an app is on.
    expect(page.get_by_role("heading", name="Sign-in security")).to_be_visible()
    expect(page.get_by_text("Your organisation requires an authenticator app")).to_be_visible()
    expect(page.locator("#nav a")).to_have_text(["Sign-in security"])
    page.goto(f"{live_server}/review/#log")
    expect(page.get_by_role("heading", name="Sign-in security")).to_be_visible()
    assert_accessible(page, "sign-in security required")
    page.screenshot(path=str(screenshots / "security-required-phone.png"))

    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app", exact=False)).to_be_visible()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    assert len(secret) == 32
    every_control_is_labelled_and_big_enough(page)
    no_horizontal_scroll(page)
    assert_accessible(page, "sign-in security set-up")
    page.screenshot(path=str(screenshots / "security-setup-phone.png"), full_page=True)

    page.get_by_label("Code from the app").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_label("Your password").fill(supervisor.password)
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("That code does not match")).to_have_count(2)  # beside the field, and the alert
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", name="Your authenticator app is on")).to_be_focused()
    codes = page.get_by_role("list", name="Recovery codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    continue_button = page.get_by_role("button", name="Continue")
    expect(continue_button).to_be_disabled()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as text").click()
    assert codes[0] in download.value.path().read_text()
    every_control_is_labelled_and_big_enough(page)
    no_horizontal_scroll(page)
    assert_accessible(page, "recovery codes")
    page.screenshot(path=str(screenshots / "security-recovery-codes-phone.png"), full_page=True)
    page.get_by_label("I have saved my recovery codes").check()
    continue_button.click()
    expect(page.get_by_role("heading", name="Compliance")).to_be_visible()
    expect(page.locator("#nav a")).to_contain_text(["Compliance", "Log browser", "Sign-in security"])

    # The next sign-in asks for the code after the password.
    sign_out(page)
    enter_password(page, supervisor)
    code_box = page.get_by_label("Authentication code")
    expect(code_box).to_be_focused()
    every_control_is_labelled_and_big_enough(page)
    assert_accessible(page, "review sign-in with a code")
    page.screenshot(path=str(screenshots / "security-signin-code-phone.png"))
    code_box.fill("12345678")
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page.locator("[data-field=otp] .field-error")).to_contain_text("That code is not right")
    code_box.fill(next_step_code(secret))
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page.get_by_role("heading", name="Compliance")).to_be_visible()

    # A lost phone: a recovery code signs in once.
    sign_out(page)
    enter_password(page, supervisor)
    page.get_by_label("Authentication code").fill(codes[0])
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page.get_by_role("heading", name="Compliance")).to_be_visible()
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_text("9 recovery codes left.")).to_be_visible()
    no_horizontal_scroll(page)
    assert_accessible(page, "sign-in security enabled")
    page.screenshot(path=str(screenshots / "security-enabled-phone.png"), full_page=True)
    assert page.errors == []


def test_an_admin_resets_a_lost_phone_from_the_users_screen(app, browser, live_server, screenshots):
    supervisor = factories.make_user(app, "supervisor", name="Sgt. Lost Phone")
    admin = factories.make_user(app, "admin", name="Admin Avery")
    api = requests.Session()
    token = api.post(f"{live_server}/api/auth/login",
                     json={"email": supervisor.email, "password": supervisor.password}).json()["csrf_token"]
    secret = api.post(f"{live_server}/api/auth/second-factor/setup", headers={"X-CSRF-Token": token}).json()["secret"]
    enabled = api.post(f"{live_server}/api/auth/second-factor/enable", headers={"X-CSRF-Token": token},
                       json={"code": pyotp.TOTP(secret).now(), "password": supervisor.password})
    assert enabled.status_code == 200

    page = new_page(browser, live_server)
    enter_password(page, admin)
    page.goto(f"{live_server}/review/#admin/users")
    row = page.locator(f"tr[data-email='{supervisor.email}']")
    expect(row).to_contain_text("Authenticator app")
    row.get_by_text("Manage Sgt. Lost Phone").click()
    reset = row.get_by_role("button", name="Reset Sgt. Lost Phone's authenticator app")
    reset.scroll_into_view_if_needed()
    assert_accessible(page, "admin users (reset a phone)")
    page.screenshot(path=str(screenshots / "security-admin-reset-phone.png"))
    page.once("dialog", lambda dialog: dialog.accept())
    reset.click()
    expect(row.get_by_text("Authenticator app")).to_have_count(0)
    assert api.get(f"{live_server}/api/me").status_code == 401  # the supervisor's session ended
    signed = requests.post(f"{live_server}/api/auth/login",
                           json={"email": supervisor.email, "password": supervisor.password})
    assert signed.status_code == 200 and signed.json()["user"]["second_factor"]["enabled"] is False
    assert page.errors == []
