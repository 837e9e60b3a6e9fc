"""The profile dialog's Tokens and Calendar feed sections: a token is created from the page,
shown once with a copy button, works against the API, is listed by its prefix only and is
revoked after a confirmation; the calendar feed URL is issued, rotated and turned off. axe
runs over the dialog with a new secret showing, at a desktop and a phone size."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.support.http import HttpClient

from .a11y import assert_accessible
from .conftest import ARTIFACTS, PASSWORD, api, signup

LIVE = 15_000  # ms: the machine is shared and loaded (patient_expect)
SCREENS = {"desktop": {"width": 1280, "height": 820}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def world(server):
    access = signup(server, "tess", "Tess Token")["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Automation"}, access)
    api(server, "POST", "/api/boards/", {"name": "Private notes"}, access)
    return {"access": access, "board": board}


@pytest.fixture(params=list(SCREENS))
def page(request, browser, patient_expect):
    context = browser.new_context(viewport=SCREENS[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def open_profile(page: Page, url: str):
    page.goto(f"{url}/")
    boards = page.get_by_role("heading", name="Your boards")
    login = page.locator("form.auth-form")
    expect(login.or_(boards)).to_be_visible()
    if not boards.is_visible():  # the first visit of this context
        login.get_by_label("Username").fill("tess")
        login.get_by_label("Password").fill(PASSWORD)
        login.locator("button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible()
    page.locator(".user-button").click()
    dialog = page.locator("dialog.profile-dialog")
    expect(dialog.get_by_role("heading", name="Tokens")).to_be_visible()
    return dialog


def feed_status(server, path: str) -> int:
    return HttpClient(server.url).get(path, Accept="*/*").status


def fits_the_width(page: Page) -> bool:
    return page.evaluate(
        "() => { const d = document.querySelector('dialog.profile-dialog');"
        " return d.scrollWidth <= d.clientWidth + 1; }"
    )


def test_a_token_is_shown_once_works_and_is_revoked(server, world, page):
    name = f"CI pipeline {(page.viewport_size or {}).get('width')}"  # one per screen size
    dialog = open_profile(page, server.url)
    tokens = dialog.locator(".tokens-section")
    tokens.get_by_label("Name", exact=True).fill(name)
    tokens.get_by_label("Scope").select_option("read")
    tokens.get_by_label("Expires").select_option("30")
    tokens.get_by_label("Automation").check()
    tokens.get_by_role("button", name="Create token").click()

    shown = tokens.get_by_label(f'Your new token "{name}"')
    expect(shown).to_be_focused()
    expect(tokens).to_contain_text("you won't see it again")
    token = shown.input_value()
    assert token.startswith("rs_pat_")
    tokens.get_by_role("button", name="Copy").click()
    expect(tokens.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == token

    item = tokens.locator(".token-item", has_text=name)
    expect(item).to_contain_text(token[:15] + "…")
    expect(item).to_contain_text("Read only")
    expect(item).to_contain_text("Automation")
    expect(item).to_contain_text("Never used")
    assert fits_the_width(page)
    size = page.viewport_size or {}
    page.screenshot(path=str(ARTIFACTS / f"profile-tokens-{size.get('width')}.png"))
    assert_accessible(page, "profile-dialog-tokens")

    client = HttpClient(server.url, token)
    assert client.call("GET", f"/api/boards/{world['board']['id']}/")[0] == 200
    assert client.call("POST", "/api/boards/", {"name": "nope"})[0] == 403
    boards = client.ok("GET", "/api/boards/")["results"]
    assert [b["name"] for b in boards] == ["Automation"]

    # Reopened, the dialog lists the token by its prefix only.
    page.keyboard.press("Escape")
    dialog = open_profile(page, server.url)
    tokens = dialog.locator(".tokens-section")
    item = tokens.locator(".token-item", has_text=name)
    expect(item).to_contain_text("today")  # last used: by the requests above
    assert token not in page.content()

    item.get_by_role("button", name=f"Revoke token {name}").click()
    confirm = page.locator("dialog.confirm-dialog")
    expect(confirm).to_contain_text("stops working at once")
    confirm.get_by_role("button", name="Revoke token").click()
    expect(tokens.locator(".token-item", has_text=name)).to_have_count(0)
    assert client.call("GET", "/api/auth/me/")[0] == 401


def test_the_calendar_feed_is_issued_rotated_and_turned_off(server, world, page):
    dialog = open_profile(page, server.url)
    calendar = dialog.locator(".calendar-section")
    calendar.get_by_role("button", name="Create feed URL").click()
    shown = calendar.get_by_label("Your calendar feed URL")
    expect(shown).to_be_focused()
    first = shown.input_value()
    assert "/api/calendar/" in first and first.endswith(".ics")
    expect(calendar).to_contain_text("you won't see it again")
    assert_accessible(page, "profile-dialog-calendar")
    assert fits_the_width(page)

    calendar.get_by_role("button", name="Rotate URL").click()
    expect(shown).not_to_have_value(first)
    second = calendar.get_by_label("Your calendar feed URL").input_value()
    path = urlsplit(second).path
    assert feed_status(server, path) == 200
    assert feed_status(server, urlsplit(first).path) == 404

    calendar.get_by_role("button", name="Turn off").click()
    expect(calendar.get_by_label("Your calendar feed URL")).to_have_count(0)
    expect(calendar.get_by_role("button", name="Create feed URL")).to_be_visible()
    assert feed_status(server, path) == 404
