"""The server goes away while a user works: the board says it is offline and when it tries
again, what the user changes meanwhile waits in a visible queue (shown on the board as not
saved, never as "Something went wrong"), and once the server is back the queue is sent and
the other user sees every change. A queued edit that meets someone else's change on the way
shows the conflict, and Retry and Discard do what they say.

Users and a board of their own (olga, pete), so the other modules' stories are untouched.
Every wait is a condition with a deadline; the server is always started again (finally)."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, api, signup
from .pages import dlg, dump, login

LIVE = 10000  # ms: generous, the machine is shared
CARD = '.card:has(.card-open:text-is("{}"))'
ROW_URL = re.compile(r".*/api/tasks/\d+/$")  # a task's own URL: PATCH and DELETE


@pytest.fixture(scope="module")
def world(server, browser):
    olga = signup(server, "olga", "Olga Orr")
    pete = signup(server, "pete", "Pete Park")
    token = olga["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Field trip", "description": ""}, token)
    api(server, "POST", f"/api/boards/{board['id']}/members/", {"username": "pete"}, token)
    end = (dt.date.today() + dt.timedelta(days=9)).isoformat()
    sprint = api(server, "POST", "/api/sprints/", {"board": board["id"], "end": end}, token)
    for name, column in [("Book the bus", 1), ("Pack lunches", 1), ("Print maps", 2)]:
        api(
            server, "POST", "/api/tasks/",
            {"board": board["id"], "sprint": sprint["id"], "status": column, "name": name},
            token,
        )  # fmt: skip
    pages = {}
    for user in ("olga", "pete"):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/")
        status(page, "live")
        pages[user] = page
    yield {"board": board, "token": token, "pete_token": pete["access"], **pages}
    for page in pages.values():
        page.context.close()


def status(page: Page, value: str, timeout: int = LIVE) -> None:
    expect(page.locator(".conn")).to_have_attribute("data-status", value, timeout=timeout)


def same_board(a: Page, b: Page, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while dump(a) != dump(b):
        assert time.monotonic() < deadline, f"boards differ:\n{dump(a)}\n{dump(b)}"
        time.sleep(0.1)


def rename(server, world, row: dict, name: str) -> None:
    """Pete renames a task (through the API: his page is not the point here)."""
    api(server, "PATCH", f"/api/tasks/{row['id']}/", {"name": name}, world["pete_token"])


def alt_move(page: Page, name: str, key: str) -> None:
    page.locator(CARD.format(name)).locator(".card-open").focus()
    page.keyboard.press(f"Alt+{key}")


def test_changes_made_while_the_server_is_down_are_sent_when_it_is_back(world, server):
    olga, pete = world["olga"], world["pete"]
    panel = olga.locator(".outbox")
    server.stop()
    try:
        status(olga, "offline")
        expect(olga.locator(".conn")).to_contain_text(re.compile(r"Offline · retrying in \d+ s"))
        olga.screenshot(path=str(ARTIFACTS / "offline-indicator.png"))
        # "Retry now" tries at once; a board still offline says so again, with a countdown.
        olga.get_by_role("button", name="Retry now").click()
        expect(olga.locator(".conn")).to_contain_text(re.compile(r"Offline · retrying in \d+ s"))
        status(olga, "offline")

        olga.get_by_role("button", name="Add a task to Not Started").click()
        dlg(olga).get_by_label("Name", exact=True).fill("Call the museum")
        olga.get_by_role("button", name="Create task").click()
        expect(dlg(olga)).to_have_count(0)
        expect(olga.locator(f".column-s1 {CARD.format('Call the museum')}")).to_contain_text(
            "Not saved"
        )
        alt_move(olga, "Print maps", "ArrowRight")
        expect(olga.locator(f".column-s3 {CARD.format('Print maps')}")).to_contain_text("Not saved")
        expect(panel).to_contain_text("2 changes not saved")
        expect(panel).to_contain_text("Create “Call the museum”")
        expect(panel).to_contain_text("Move “Print maps” to Testing")
        expect(olga.get_by_text("Something went wrong")).to_have_count(0)

        # Retry while the server is still away: the changes stay, in their order.
        panel.get_by_role("button", name="Retry all").click()
        expect(panel.locator(".outbox-item").first).to_contain_text(
            "Waiting for the connection", timeout=LIVE
        )
        expect(panel).to_contain_text("2 changes not saved")

        # Changes the user takes back: a quick-added card goes, a moved card returns where
        # the server has it.
        olga.get_by_role("button", name="Add a card to Backlog").click()
        olga.get_by_label("Name of the new card in Backlog").fill("Buy tickets")
        olga.keyboard.press("Enter")
        expect(olga.locator(f".column-backlog {CARD.format('Buy tickets')}")).to_contain_text(
            "Not saved"
        )
        olga.keyboard.press("Escape")
        alt_move(olga, "Pack lunches", "ArrowLeft")
        expect(olga.locator(f".column-backlog {CARD.format('Pack lunches')}")).to_be_visible()
        expect(panel).to_contain_text("4 changes not saved")
        olga.screenshot(path=str(ARTIFACTS / "offline-queue.png"))
        panel.get_by_role("button", name="Discard: Create “Buy tickets”").click()
        expect(olga.locator(CARD.format("Buy tickets"))).to_have_count(0)
        panel.get_by_role("button", name="Discard: Move “Pack lunches” to Backlog").click()
        expect(panel).to_contain_text("2 changes not saved")
        expect(olga.locator(f".column-s1 {CARD.format('Pack lunches')}")).to_be_visible()
        expect(olga.locator(f".column-s1 {CARD.format('Pack lunches')}")).not_to_contain_text(
            "Not saved"
        )
        expect(pete.locator(CARD.format("Call the museum"))).to_have_count(0)
    finally:
        server.start()  # a failure above must not leave the later modules without a server
    status(olga, "live", timeout=20000)
    expect(panel).to_be_hidden(timeout=LIVE)
    expect(pete.locator(f".column-s1 {CARD.format('Call the museum')}")).to_be_visible(timeout=LIVE)
    expect(pete.locator(f".column-s3 {CARD.format('Print maps')}")).to_be_visible(timeout=LIVE)
    expect(pete.locator(f".column-s1 {CARD.format('Pack lunches')}")).to_be_visible()
    expect(pete.locator(CARD.format("Buy tickets"))).to_have_count(0)
    same_board(olga, pete)
    expect(olga.locator(".unsaved-badge")).to_have_count(0)


def test_a_queued_edit_that_meets_another_change_shows_the_conflict(world, server):
    olga, pete = world["olga"], world["pete"]
    panel = olga.locator(".outbox")

    # The proxy in front of the app answers 503 for olga's writes: her edit waits.
    def down(route):
        route.fulfill(status=503, body="Service Unavailable")

    olga.route(ROW_URL, down)
    try:
        olga.locator(CARD.format("Book the bus")).locator(".card-open").click()
        dlg(olga).get_by_label("Name", exact=True).fill("Book the big bus")
        olga.get_by_role("button", name="Save changes").click()
        expect(dlg(olga)).to_have_count(0)
        expect(panel).to_contain_text("1 change not saved")
        expect(panel).to_contain_text("Edit “Book the big bus”")
        expect(olga.locator(CARD.format("Book the big bus"))).to_contain_text("Not saved")
        # Meanwhile pete renames it.
        tasks = api(
            server, "GET", f"/api/tasks/?board={world['board']['id']}", token=world["token"]
        )
        row = next(t for t in tasks["results"] if t["name"] == "Book the bus")
        rename(server, world, row, "Book the coach")
    finally:
        olga.unroute(ROW_URL, down)
    panel.get_by_role("button", name="Retry: Edit “Book the big bus”").click()
    conflict = dlg(olga).locator(".conflict")
    expect(conflict).to_contain_text("Someone else changed this task", timeout=LIVE)
    expect(conflict.locator("tr.differs .mine-value").first).to_have_text("Book the big bus")
    expect(conflict.locator("tr.differs .current-value").first).to_have_text("Book the coach")
    expect(panel).to_contain_text("Someone else changed this task meanwhile.")
    olga.screenshot(path=str(ARTIFACTS / "offline-conflict.png"))
    # Pete again, before olga's "Save mine anyway": refused once more, and the focus stays
    # in the dialog (the panel it was on is redrawn) for a keyboard user to go on.
    rename(server, world, row, "Book the minibus")
    expect(pete.locator(CARD.format("Book the minibus"))).to_be_visible(timeout=LIVE)
    expect(dlg(olga).get_by_label("Name", exact=True)).to_have_value("Book the big bus")
    dlg(olga).get_by_role("button", name="Save mine anyway").press("Enter")
    expect(conflict.locator("tr.differs .current-value").first).to_have_text(
        "Book the minibus", timeout=LIVE
    )
    assert olga.evaluate("!!document.activeElement.closest('dialog[open]')")
    dlg(olga).get_by_role("button", name="Save mine anyway").click()
    expect(dlg(olga)).to_have_count(0)
    expect(panel).to_be_hidden(timeout=LIVE)
    expect(pete.locator(CARD.format("Book the big bus"))).to_be_visible(timeout=LIVE)
    same_board(olga, pete)
