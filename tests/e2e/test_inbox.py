"""The bell, the top bar and a quiet session, as one user's morning: a fresh load logs nothing,
the digest pushes reach the open page on either socket and raise the bell's count live, the
list opens a card, reads agree between toast and list and survive a reload, the top bar is one
row on a phone, and a logout is not reported as an ended session (a real one still is).

A user of its own (ivy), so the other modules' stories are not disturbed: the digest command
only reaches users with tasks due on the date it is given, and only once per user and date."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, PASSWORD, api, signup

WAIT = 10_000  # ms: generous, the machine is shared
BELL = "button.bell-button"


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"inbox-{name}.png"))


class Quiet:
    """Console errors, failed requests and error answers a page produced. (Chromium reports a
    fetch whose body the page left unread, a 204's too, as failed: auth.js reads them.)"""

    def __init__(self, page: Page):
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("requestfailed", lambda r: self.problems.append(f"failed {r.url} {r.failure}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")


class Sockets:
    """The page's sockets that said hello, so a push is sent only once one is listening."""

    def __init__(self, page: Page):
        self.page = page
        self.ready: list = []
        page.on("websocket", self._opened)

    def _opened(self, ws) -> None:
        def frame(payload) -> None:
            if isinstance(payload, str) and json.loads(payload).get("type") == "hello":
                self.ready.append(ws)

        ws.on("framereceived", frame)

    def wait(self, path: str, timeout: float = WAIT / 1000) -> None:
        deadline = time.monotonic() + timeout
        while not any(path in ws.url and not ws.is_closed() for ws in self.ready):
            assert time.monotonic() < deadline, f"no live socket on {path}"
            self.page.wait_for_timeout(50)  # lets Playwright deliver the socket's events


def log_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible(timeout=WAIT)


@pytest.fixture(scope="module")
def world(server, browser):
    token = signup(server, "ivy", "Ivy Inglewood")["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Inbox zero", "description": ""}, token)
    today = dt.datetime.now(dt.UTC).date()  # ivy's time zone is UTC
    end = (today + dt.timedelta(days=14)).isoformat()
    sprint = api(
        server, "POST", "/api/sprints/", {"board": board["id"], "name": "Week 1", "end": end}, token
    )
    due = {}
    for name, days in [("Write the launch post", 0), ("Book the venue", 0),
                       ("Order the swag", 1), ("Print the badges", 2)]:  # fmt: skip
        task = api(
            server, "POST", "/api/tasks/",
            {"board": board["id"], "sprint": sprint["id"], "status": 2, "name": name,
             "assigned": "ivy", "due": (today + dt.timedelta(days=days)).isoformat()},
            token,
        )  # fmt: skip
        due[name] = task
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sockets = Sockets(page)
    log_in(page, server.url, "ivy")
    yield {"board": board, "tasks": due, "today": today, "page": page, "sockets": sockets}
    context.close()


def digest(server, date: dt.date | None = None) -> None:
    args = ["send_due_today"] + (["--date", date.isoformat()] if date else [])
    result = server.manage(*args, check=False)
    assert result.returncode == 0, result.stderr


def bell_says(page: Page, unread: int) -> None:
    label = f"Notifications, {unread} unread" if unread else "Notifications, none unread"
    expect(page.locator(BELL)).to_have_attribute("aria-label", label, timeout=WAIT)
    badge = page.locator(f"{BELL} .bell-badge")
    if unread:
        expect(badge).to_have_text(str(unread))
    else:
        expect(badge).to_be_hidden()


def test_a_fresh_load_without_a_session_logs_nothing(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    quiet = Quiet(page)
    # The first load of a fresh server on a loaded machine can be slow: wait long.
    with page.expect_response("**/app/session/refresh/", timeout=60_000) as refresh:
        page.goto(f"{server.url}/", timeout=60_000)
    assert refresh.value.status == 204
    expect(page.get_by_role("tab", name="Create account")).to_be_visible(timeout=WAIT)
    assert page.get_by_text("session ended").count() == 0
    assert quiet.problems == []
    context.close()


def test_the_digest_push_raises_the_bell_live_on_either_socket(world, server):
    page, sockets = world["page"], world["sockets"]
    bell_says(page, 0)
    sockets.wait("/ws/me/")  # the boards list listens on the personal socket
    digest(server)
    toast = page.locator(".toast-notification").filter(has_text="2 tasks due today")
    expect(toast).to_be_visible(timeout=WAIT)
    expect(toast).to_contain_text("Write the launch post")
    bell_says(page, 1)

    page.goto(f"{server.url}/boards/{world['board']['id']}/")
    expect(page.locator(".board-title")).to_have_text("Inbox zero", timeout=WAIT)
    bell_says(page, 1)  # loaded from the server on a fresh page
    sockets.wait(f"/ws/boards/{world['board']['id']}/")
    digest(server, world["today"] + dt.timedelta(days=1))
    expect(page.locator(".toast-notification").filter(has_text="Order the swag")).to_be_visible(
        timeout=WAIT
    )
    bell_says(page, 2)
    digest(server, world["today"] + dt.timedelta(days=2))
    bell_says(page, 3)
    shot(page, "bell-3")


def test_the_list_shows_each_notification_and_opens_its_card(world):
    page = world["page"]
    bell = page.locator(BELL)
    bell.focus()
    page.keyboard.press("Enter")
    expect(bell).to_have_attribute("aria-expanded", "true")
    pop = page.get_by_role("dialog", name="Notifications")
    expect(pop).to_be_visible()
    expect(pop).to_be_focused()
    items = pop.locator(".inbox-item")
    expect(items).to_have_count(3, timeout=WAIT)
    expect(items.first).to_contain_text("Print the badges")  # newest first
    expect(items.nth(2)).to_contain_text("2 tasks due today")
    expect(items.nth(2).locator("time")).to_have_text("just now")
    expect(items.nth(2).get_by_role("link")).to_have_count(2)
    expect(pop).to_contain_text("3 unread")
    shot(page, "list")

    # Escape closes it and the bell has focus again.
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    expect(bell).to_be_focused()
    expect(bell).to_have_attribute("aria-expanded", "false")

    bell.click()
    task = world["tasks"]["Book the venue"]
    link = pop.get_by_role("link", name="Book the venue")
    expect(link).to_have_attribute("href", f"/boards/{world['board']['id']}/?task={task['id']}")
    link.click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible(timeout=WAIT)
    expect(dialog.get_by_label("Name", exact=True)).to_have_value("Book the venue")
    assert page.url.endswith(f"?task={task['id']}")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    bell_says(page, 3)  # opening a card is not reading the notification


def test_reads_from_the_toast_and_the_list_agree_and_survive_a_reload(world, server):
    page = world["page"]
    # The toast of the second push (still on screen) marks that one read.
    toast = page.locator(".toast-notification").filter(has_text="Order the swag")
    toast.get_by_role("button", name="Mark read").click()
    expect(toast).to_have_count(0)
    bell_says(page, 2)

    page.locator(BELL).click()
    pop = page.get_by_role("dialog", name="Notifications")
    expect(pop).to_contain_text("2 unread", timeout=WAIT)
    unread = pop.locator(".inbox-item.unread")
    expect(unread).to_have_count(2)
    expect(pop.locator(".inbox-item:not(.unread)")).to_contain_text("Order the swag")

    # One from the list: its toast (the third push's, still on screen) goes too.
    newest = pop.locator(".inbox-item").filter(has_text="Print the badges")
    newest_toast = page.locator(".toast-notification").filter(has_text="Print the badges")
    expect(newest_toast).to_be_visible()
    newest.get_by_role("button", name="Mark read").click()
    bell_says(page, 1)
    expect(newest_toast).to_have_count(0)
    expect(pop).to_contain_text("1 unread")
    expect(newest).to_be_focused()  # the keyboard user stays on the item

    pop.get_by_role("button", name="Mark all read").click()
    bell_says(page, 0)
    expect(pop).to_contain_text("All read")
    expect(pop.locator(".inbox-item.unread")).to_have_count(0)
    expect(page.locator(".toast-notification")).to_have_count(0)

    page.goto(f"{server.url}/boards/{world['board']['id']}/")  # a fresh load, no ?task=
    expect(page.locator(".board-title")).to_have_text("Inbox zero", timeout=WAIT)
    bell_says(page, 0)
    page.locator(BELL).click()
    expect(page.locator(".inbox-item")).to_have_count(3, timeout=WAIT)
    expect(page.locator(".inbox-item.unread")).to_have_count(0)
    page.keyboard.press("Escape")


def test_the_top_bar_is_one_row_inside_a_phone_screen(world, server):
    page = world["page"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/")
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible(timeout=WAIT)
    bar = page.locator("#topbar").bounding_box()
    parts = [page.locator(s) for s in (".brand", BELL, ".user-button", "button.logout")]
    for part in parts:
        expect(part).to_be_visible()
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert bar["y"] <= box["y"] and box["y"] + box["height"] <= bar["y"] + bar["height"]
    assert bar["height"] <= 64, f"the top bar wrapped: {bar}"
    # Named even where the name is not shown.
    expect(page.get_by_role("button", name="Ivy Inglewood")).to_be_visible()
    expect(page.get_by_role("link", name="Realtime Scrum")).to_be_visible()

    page.locator(BELL).click()
    pop = page.get_by_role("dialog", name="Notifications")
    expect(pop).to_be_visible()
    box = pop.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert box["y"] + box["height"] <= 844, box
    shot(page, "phone")
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1400, "height": 900})


def test_a_logout_is_quiet_and_a_revoked_cookie_too(world, server):
    page = world["page"]
    cookie = next(c for c in page.context.cookies() if c["name"] == "rs_refresh")
    quiet = Quiet(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("tab", name="Create account")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("status").filter(has_text="You have logged out")).to_be_visible()
    # Counted now, not awaited: a toast would be there already, and expect(...).to_have_count(0)
    # would wait until its 5 s timeout took it away.
    assert page.get_by_text("session ended").count() == 0
    expect(page.locator(BELL)).to_have_count(0)

    # The old cookie (its session now revoked) sent again: the login screen, still quiet.
    page.context.add_cookies([cookie])
    with page.expect_response("**/app/session/refresh/") as refresh:
        page.reload()
    assert refresh.value.status == 204
    expect(page.get_by_role("tab", name="Create account")).to_be_visible(timeout=WAIT)
    assert quiet.problems == []
    assert all(c["name"] != "rs_refresh" for c in page.context.cookies()), "the dead one is gone"


def test_a_session_that_really_ends_still_says_so(world, server):
    page = world["page"]
    log_in(page, server.url, "ivy")
    world["sockets"].wait("/ws/me/")
    # A password change elsewhere ends every other session, this page's included.
    other = api(server, "POST", "/api/auth/login/", {"username": "ivy", "password": PASSWORD})
    api(
        server, "POST", "/api/auth/password/change/",
        {"old_password": PASSWORD, "new_password": "another-passphrase-2931"}, other["access"],
    )  # fmt: skip
    expect(page.locator(".toast").filter(has_text="Your session ended")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("tab", name="Create account")).to_be_visible(timeout=WAIT)
