"""axe on every view, at a desktop and a phone size, and fresh loads that log nothing.

One user of their own with a board of a few cards (some due today, so the morning digest
leaves a notification in the inbox). For each screen size one page walks the views in order:
login, my boards, the board, the task dialog, the profile dialog, the notifications. The
fresh-load tests open new pages and record everything the page reports (a11y.watch)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .a11y import assert_accessible, assert_quiet, watch
from .conftest import ARTIFACTS, PASSWORD, api, signup

SCREENS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
WAIT = 10_000  # ms: the machine is shared and slow


@pytest.fixture(scope="module")
def world(server):
    token = signup(server, "ally", "Ally Access")["access"]
    signup(server, "axel", "Axel Aubert")
    board = api(server, "POST", "/api/boards/", {"name": "Accessible launch"}, token)
    api(server, "POST", f"/api/boards/{board['id']}/members/", {"username": "axel"}, token)
    end = (dt.date.today() + dt.timedelta(days=9)).isoformat()
    sprint = api(
        server, "POST", "/api/sprints/", {"board": board["id"], "name": "Sprint 1", "end": end},
        token,
    )  # fmt: skip
    today = dt.date.today().isoformat()
    cards = [
        ("Write the alt texts", 1, "ally", today),
        ("Check focus order", 2, "axel", None),
        ("Review colour contrast", 3, "ally", today),
        ("Ship the audit", 4, None, None),
    ]
    for name, status, who, due in cards:
        api(
            server, "POST", "/api/tasks/",
            {"board": board["id"], "sprint": sprint["id"], "status": status, "name": name,
             "assigned": who, "due": due, "description": f"{name}, for everyone."},
            token,
        )  # fmt: skip
    digest = server.manage("send_due_today", check=False)
    assert digest.returncode == 0, digest.stderr
    return {"board": board, "board_url": f"{server.url}/boards/{board['id']}/"}


@pytest.fixture(scope="module", params=list(SCREENS))
def screen(request, browser, world):
    context = browser.new_context(viewport=SCREENS[request.param])
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Page, url: str) -> None:
    page.get_by_label("Username").fill("ally")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible(timeout=WAIT)


def on_board(page: Page, world) -> None:
    if page.url != world["board_url"]:
        page.goto(world["board_url"])
    expect(page.locator(".card").first).to_be_visible(timeout=WAIT)


def check(page: Page, view: str) -> None:
    size = page.viewport_size or {}
    page.screenshot(path=str(ARTIFACTS / f"a11y-{view}-{size.get('width')}.png"))
    assert_accessible(page, view)


def test_login(screen, server):
    screen.goto(f"{server.url}/")
    expect(screen.get_by_label("Username")).to_be_visible(timeout=WAIT)
    check(screen, "login")
    log_in(screen, server.url)


def test_boards_list(screen, server):
    screen.goto(f"{server.url}/")
    boards_shown(screen)
    check(screen, "boards")


def test_board(screen, world):
    on_board(screen, world)
    board_live(screen)
    check(screen, "board")


def test_task_dialog(screen, world):
    on_board(screen, world)
    screen.locator(".card-open:visible").first.click()
    dialog = screen.get_by_role("dialog")
    expect(dialog.get_by_label("Name", exact=True)).to_be_visible(timeout=WAIT)
    check(screen, "task-dialog")
    screen.keyboard.press("Escape")
    expect(dialog).to_be_hidden(timeout=WAIT)


def test_profile_dialog(screen, world):
    on_board(screen, world)
    screen.get_by_role("button", name="Ally Access").click()
    dialog = screen.get_by_role("dialog")
    expect(dialog.get_by_label("Time zone")).to_be_visible(timeout=WAIT)
    check(screen, "profile-dialog")
    screen.keyboard.press("Escape")
    expect(dialog).to_be_hidden(timeout=WAIT)


def test_notifications(screen, world):
    on_board(screen, world)
    screen.get_by_role("button", name=re.compile(r"^Notifications")).click()
    inbox = screen.get_by_role("dialog", name="Notifications")
    expect(inbox).to_be_visible(timeout=WAIT)
    expect(inbox).to_contain_text("Write the alt texts", timeout=WAIT)
    check(screen, "notifications")
    screen.keyboard.press("Escape")
    expect(inbox).to_be_hidden(timeout=WAIT)


def settled(page: Page) -> None:
    # Until the network is idle: a late 4xx or failed request would otherwise go unseen.
    page.wait_for_load_state("networkidle", timeout=WAIT)


def boards_shown(page: Page) -> None:
    expect(page.get_by_role("link", name="Accessible launch")).to_be_visible(timeout=WAIT)


def board_live(page: Page) -> None:
    expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=WAIT)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=SCREENS["desktop"])
    yield context
    context.close()


def test_a_fresh_load_of_the_login_page_is_quiet(context, server):
    page = context.new_page()
    log = watch(page)
    page.goto(f"{server.url}/")
    expect(page.get_by_label("Username")).to_be_visible(timeout=WAIT)
    settled(page)
    page.close()
    assert_quiet(log, "a fresh load of / (logged out)")


def test_fresh_loads_of_my_boards_and_a_board_are_quiet(context, server, world):
    first = context.new_page()
    first.goto(f"{server.url}/")
    log_in(first, server.url)
    first.close()  # the session now lives only in the cookie, as after closing a tab
    logs = {}
    for view, url, ready in (
        ("/ (logged in)", f"{server.url}/", boards_shown),
        ("the board", world["board_url"], board_live),
    ):
        page = context.new_page()
        logs[view] = watch(page)
        page.goto(url)
        ready(page)
        settled(page)
        page.close()
    for view, log in logs.items():
        assert_quiet(log, f"a fresh load of {view}")
