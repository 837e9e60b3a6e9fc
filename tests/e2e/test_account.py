"""The account in the page: forgot password through the mailed link, the profile dialog (time
zone, digest opt-out) and a password change. Users of their own, so the board story in
test_board_live.py is not disturbed. The server writes mail to files (server.mail_dir)."""

from __future__ import annotations

import email
import time
from email import policy

import pytest
from playwright.sync_api import Page, expect

from tests.support.http import StatusError

from .conftest import ARTIFACTS, PASSWORD, api, signup

NEW_PASSWORD = "brand-new-passphrase-77"
SEPARATOR = "-" * 79  # between messages in a file of Django's file backend


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def mails_to(server, address: str) -> list[str]:
    """Plain-text bodies of every message sent to address so far, oldest first."""
    bodies = []
    for path in sorted(server.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
        for chunk in path.read_text().split(SEPARATOR):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.strip(), policy=policy.default)
            if address in (message["To"] or ""):
                bodies.append(message.get_body(("plain",)).get_content())
    return bodies


def reset_link(server, address: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    while not (bodies := mails_to(server, address) if server.mail_dir.exists() else []):
        assert time.monotonic() < deadline, f"no mail to {address} in {server.mail_dir}"
        time.sleep(0.1)
    return next(line.strip() for line in bodies[-1].splitlines() if "/reset-password/" in line)


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("form.auth-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible()


def login_status(server, username: str, password: str) -> int:
    try:
        api(server, "POST", "/api/auth/login/", {"username": username, "password": password})
    except StatusError as error:
        return error.status
    return 200


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 820})
    yield context.new_page()
    context.close()


def test_forgot_password_mail_link_sets_a_new_password_once(server, browser, page):
    signup(server, "erin", "Erin Evans")
    page.goto(f"{server.url}/")
    page.get_by_role("button", name="Forgot password?").click()
    expect(page.get_by_label("Email")).to_be_focused()
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses erin@example.com")
    shot(page, "forgot-sent")

    # An unknown address gets the very same answer.
    page.get_by_role("button", name="Back to log in").click()
    page.get_by_role("button", name="Forgot password?").click()
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account uses nobody@example.com")

    link = reset_link(server, "erin@example.com")
    assert link.startswith(f"{server.url}/reset-password/#uid=")
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_be_focused()
    assert page.url == f"{server.url}/reset-password/", "the token left the address bar"

    # The server's validators answer under the field; the link survives a refused password.
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Set new password").click()
    error = page.locator(".field-error")
    expect(error).to_contain_text("too short")
    expect(page.get_by_label("New password", exact=True)).to_have_attribute("aria-invalid", "true")
    shot(page, "reset-field-error")

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("status")).to_contain_text("Password changed")
    expect(page.get_by_label("Username")).to_be_visible()
    shot(page, "reset-done")
    assert login_status(server, "erin", PASSWORD) == 401
    log_in(page, server.url, "erin", NEW_PASSWORD)

    # The link worked once: opened again (a fresh tab, no session), it says so.
    again = page.context.browser.new_context().new_page()
    again.goto(link)
    again.get_by_label("New password", exact=True).fill("another-passphrase-91")
    again.get_by_label("New password again").fill("another-passphrase-91")
    again.get_by_role("button", name="Set new password").click()
    expect(again.get_by_role("alert")).to_contain_text("invalid or has expired")
    shot(again, "reset-used-link")
    again.get_by_role("button", name="Request a new link").click()
    expect(again.get_by_role("heading", name="Reset your password")).to_be_visible()
    # Links mailed before the route existed (/#/reset-password?uid=..) open the view too.
    again.goto(f"{server.url}/#/reset-password?{link.split('#', 1)[1]}")
    expect(again.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert again.url == f"{server.url}/reset-password/"
    again.context.close()
    assert login_status(server, "erin", NEW_PASSWORD) == 200


def profile_dialog(page: Page):
    page.locator(".user-button").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_role("heading", name="Your profile")).to_be_visible()
    return dialog


def test_profile_dialog_saves_time_zone_and_digest(server, page):
    token = signup(server, "frank", "Frank Fischer")["access"]
    log_in(page, server.url, "frank", PASSWORD)
    expect(page.locator(".user-button")).to_contain_text("Frank Fischer")

    dialog = profile_dialog(page)
    expect(dialog.get_by_label("Full name")).to_be_focused()
    expect(dialog.get_by_label("Time zone")).to_have_value("UTC")
    expect(dialog.get_by_label("Email me the tasks due today")).to_be_checked()
    # A field error from the 400 (the address belongs to someone else) sits under its field.
    dialog.get_by_label("Email", exact=True).fill("erin@example.com")
    dialog.get_by_role("button", name="Save profile").click()
    expect(dialog.locator(".field-error")).to_contain_text("already exists")
    expect(dialog.get_by_label("Email", exact=True)).to_be_focused()

    dialog.get_by_label("Email", exact=True).fill("frank@example.com")
    dialog.get_by_label("Full name").fill("Frank F. Fischer")
    dialog.get_by_label("Time zone").select_option("Asia/Tokyo")
    dialog.get_by_label("Email me the tasks due today").uncheck()
    shot(page, "profile-dialog")
    dialog.get_by_role("button", name="Save profile").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(page.locator(".user-button")).to_contain_text("Frank F. Fischer")
    expect(page.locator(".user-button")).to_be_focused()

    me = api(server, "GET", "/api/auth/me/", token=token)
    assert (me["timezone"], me["digest_enabled"], me["full_name"]) == (
        "Asia/Tokyo", False, "Frank F. Fischer",
    )  # fmt: skip

    page.reload()
    dialog = profile_dialog(page)
    expect(dialog.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    expect(dialog.get_by_label("Email me the tasks due today")).not_to_be_checked()
    page.keyboard.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)


def test_password_change_in_the_profile_ends_other_sessions(server, page):
    signup(server, "gina", "Gina Gray")
    other = api(server, "POST", "/api/auth/login/", {"username": "gina", "password": PASSWORD})
    log_in(page, server.url, "gina", PASSWORD)

    dialog = profile_dialog(page)
    dialog.get_by_label("Current password").fill("not-my-password")
    dialog.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    dialog.get_by_label("New password again").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Change password").click()
    expect(dialog.locator(".field-error")).to_contain_text("current password is not correct")

    dialog.get_by_label("Current password").fill(PASSWORD)
    dialog.get_by_role("button", name="Change password").click()
    expect(dialog.get_by_role("status")).to_contain_text("Password changed")
    shot(page, "profile-password-changed")

    with pytest.raises(StatusError) as ended:
        api(server, "GET", "/api/auth/me/", token=other["access"])
    assert ended.value.status == 401
    # This tab's session goes on: a reload restores it from the (new) cookie.
    page.reload()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible()
    assert login_status(server, "gina", NEW_PASSWORD) == 200
