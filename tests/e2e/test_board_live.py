"""Two users, two browser contexts, one board: everything one does shows up for the other.

The tests run in file order and share the board (a story, like a real session): setup,
presence, a card's life, a stale edit, going offline, a server restart, a due-today push.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, PASSWORD, api, signup
from .pages import dlg, dump, login

LIVE = 1000  # ms: a change by one user is on the other's screen within a second
CARD = '.card:has(.card-open:text-is("{}"))'


@pytest.fixture(scope="module")
def world(server, browser):
    alice = signup(server, "alice", "Alice Anders")
    signup(server, "bob", "Bob Brown")
    token = alice["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Launch plan", "description": ""}, token)
    api(server, "POST", f"/api/boards/{board['id']}/members/", {"username": "bob"}, token)
    end = (dt.date.today() + dt.timedelta(days=12)).isoformat()
    sprint = api(
        server, "POST", "/api/sprints/",
        {"board": board["id"], "name": "Sprint 7", "end": end, "description": "Ship the beta"},
        token,
    )  # fmt: skip
    seed = [
        ("Draft release notes", None, 1, "alice"),
        ("Review pricing page", sprint["id"], 1, "bob"),
        ("Fix login redirect", sprint["id"], 2, "alice"),
        ("Load test the API", sprint["id"], 3, "bob"),
        ("Set up monitoring", sprint["id"], 4, "alice"),
    ]
    for name, sprint_id, status, who in seed:
        api(
            server, "POST", "/api/tasks/",
            {"board": board["id"], "sprint": sprint_id, "status": status, "name": name,
             "assigned": who, "description": f"{name} before the beta."},
            token,
        )  # fmt: skip
    pages = {}
    for user in ("alice", "bob"):
        context = browser.new_context(viewport={"width": 1440, "height": 860})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/")
        expect(page.locator(".card").first).to_be_visible()
        pages[user] = page
    yield {"board": board, "sprint": sprint, "token": token, **pages}
    for page in pages.values():
        page.context.close()


def same_board(a: Page, b: Page, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while dump(a) != dump(b):
        assert time.monotonic() < deadline, f"boards differ:\n{dump(a)}\n{dump(b)}"
        time.sleep(0.1)


def status(page: Page, value: str, timeout: int = 5000) -> None:
    expect(page.locator(".conn")).to_have_attribute("data-status", value, timeout=timeout)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_both_are_live_and_see_each_other(world):
    alice, bob = world["alice"], world["bob"]
    status(alice, "live")
    status(bob, "live")
    expect(alice.locator('.presence-user[data-username="bob"]')).to_be_visible()
    expect(bob.locator('.presence-user[data-username="alice"]')).to_be_visible()


def test_a_card_is_created_edited_moved_and_deleted_live(world):
    alice, bob = world["alice"], world["bob"]
    name = "Write the onboarding email"

    alice.get_by_role("button", name="Add a task to Not Started").click()
    dlg(alice).get_by_label("Name", exact=True).fill(name)
    dlg(alice).get_by_label("Description", exact=True).fill(
        "Welcome, three tips, a link to the docs."
    )
    dlg(alice).get_by_label("Assignee", exact=True).select_option("bob")
    dlg(alice).get_by_label("Due", exact=True).fill(
        (dt.date.today() + dt.timedelta(days=3)).isoformat()
    )
    alice.get_by_role("button", name="Create task").click()
    expect(bob.locator(f".column-s1 {CARD.format(name)}")).to_be_visible(timeout=LIVE)

    # Opening a card tells the others what you are looking at.
    alice.locator(CARD.format(name)).locator(".card-open").click()
    expect(bob.locator('.presence-user[data-username="alice"] .presence-focus')).to_contain_text(
        name, timeout=LIVE
    )
    expect(bob.locator(f"{CARD.format(name)} .watchers")).to_be_visible(timeout=LIVE)
    shot(bob, "board-presence")
    renamed = f"{name} (v2)"
    dlg(alice).get_by_label("Name", exact=True).fill(renamed)
    alice.get_by_role("button", name="Save changes").click()
    expect(bob.locator(CARD.format(renamed))).to_be_visible(timeout=LIVE)

    # Drag and drop to another column, then within it.
    alice.drag_and_drop(CARD.format(renamed), ".column-s2 .cards")
    expect(bob.locator(f".column-s2 {CARD.format(renamed)}")).to_be_visible(timeout=LIVE)
    alice.drag_and_drop(CARD.format(renamed), CARD.format("Fix login redirect"),
                        target_position={"x": 20, "y": 4})  # fmt: skip
    expect(bob.locator(".column-s2 .card-open").first).to_have_text(renamed, timeout=LIVE)

    # The keyboard does the same: Alt+Right moves the focused card to Testing.
    alice.locator(CARD.format(renamed)).locator(".card-open").focus()
    alice.keyboard.press("Alt+ArrowRight")
    expect(bob.locator(f".column-s3 {CARD.format(renamed)}")).to_be_visible(timeout=LIVE)
    same_board(alice, bob)
    shot(alice, "board-alice")
    shot(bob, "board-bob")

    alice.locator(CARD.format(renamed)).locator(".card-open").click()
    alice.get_by_role("button", name="Delete").click()
    alice.get_by_role("button", name="Confirm delete").click()
    expect(bob.locator(CARD.format(renamed))).to_have_count(0, timeout=LIVE)
    same_board(alice, bob)


def test_a_stale_edit_shows_the_conflict_with_current_values(world, server):
    alice, bob = world["alice"], world["bob"]
    bob.locator(CARD.format("Review pricing page")).locator(".card-open").click()
    expect(bob.get_by_role("dialog")).to_be_visible()
    # Alice saves first, while Bob's form still holds the old version.
    alice.locator(CARD.format("Review pricing page")).locator(".card-open").click()
    dlg(alice).get_by_label("Name", exact=True).fill("Review pricing page and FAQ")
    alice.get_by_role("button", name="Save changes").click()
    expect(bob.locator(CARD.format("Review pricing page and FAQ"))).to_be_visible(timeout=LIVE)

    dlg(bob).get_by_label("Name", exact=True).fill("Review the pricing page copy")
    bob.get_by_role("button", name="Save changes").click()
    conflict = bob.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone else changed this task")
    expect(conflict.locator("tr.differs .current-value").first).to_have_text(
        "Review pricing page and FAQ"
    )
    shot(bob, "conflict")
    bob.get_by_role("button", name="Use current values").click()
    expect(dlg(bob).get_by_label("Name", exact=True)).to_have_value("Review pricing page and FAQ")
    bob.get_by_role("button", name="Cancel").click()
    same_board(alice, bob)


def test_offline_and_back_ends_with_the_same_board(world):
    alice, bob = world["alice"], world["bob"]
    bob.context.set_offline(True)
    try:
        status(bob, "offline")
        shot(bob, "offline")
        alice.get_by_role("button", name="Add a task to Backlog").click()
        dlg(alice).get_by_label("Name", exact=True).fill("Made while Bob was offline")
        alice.get_by_role("button", name="Create task").click()
        # As a user would: the new card is on Alice's board (its event re-rendered the
        # columns) before she starts the drag, so the drag is not cut by that re-render.
        created = CARD.format("Made while Bob was offline")
        expect(alice.locator(f".column-backlog {created}")).to_be_visible()
        alice.drag_and_drop(CARD.format("Load test the API"), ".column-s4 .cards")
        expect(alice.locator(f".column-s4 {CARD.format('Load test the API')}")).to_be_visible()
    finally:
        bob.context.set_offline(False)  # a failure here must not leave Bob offline for the rest
    status(bob, "live")
    same_board(alice, bob)


def test_a_server_restart_reconnects_and_resumes(world, server):
    alice, bob = world["alice"], world["bob"]
    server.stop()
    try:
        status(alice, "reconnecting")
        status(bob, "reconnecting")
    finally:
        server.start()  # a failure here must not leave the later tests without a server
    status(alice, "live", timeout=15000)
    status(bob, "live", timeout=15000)
    alice.locator(CARD.format("Draft release notes")).locator(".card-open").focus()
    alice.keyboard.press("Alt+ArrowRight")
    expect(bob.locator(f".column-s1 {CARD.format('Draft release notes')}")).to_be_visible(
        timeout=LIVE
    )
    same_board(alice, bob)
    expect(bob.locator('.presence-user[data-username="alice"]')).to_be_visible()


def test_a_refreshed_token_is_handed_to_the_open_socket(world):
    alice, bob = world["alice"], world["bob"]
    # Record what the page sends on its (already open) socket.
    bob.evaluate(
        """() => {
             window.__sent = [];
             const send = WebSocket.prototype.send;
             WebSocket.prototype.send = function (d) {
               window.__sent.push(d);
               return send.call(this, d);
             };
           }"""
    )
    auth = "import('/static/frontend/auth.js').then(m => {})"
    before = bob.evaluate(auth.format("m.accessToken()"))
    assert bob.evaluate(auth.format("m.refresh()")) is True
    after = bob.evaluate(auth.format("m.accessToken()"))
    assert after and after != before
    sent = [json.loads(f) for f in bob.evaluate("window.__sent")]
    assert {"type": "auth.refresh", "token": after} in sent
    # The socket lives on with the new token.
    alice.locator(CARD.format("Draft release notes")).locator(".card-open").focus()
    alice.keyboard.press("Alt+ArrowLeft")
    expect(bob.locator(f".column-backlog {CARD.format('Draft release notes')}")).to_be_visible(
        timeout=LIVE
    )
    status(bob, "live")


def test_a_due_today_push_shows_a_toast(world, server):
    bob = world["bob"]
    api(
        server, "POST", "/api/tasks/",
        {"board": world["board"]["id"], "sprint": world["sprint"]["id"], "status": 2,
         "name": "Send the beta invites", "assigned": "bob", "due": dt.date.today().isoformat()},
        world["token"],
    )  # fmt: skip
    result = server.manage("send_due_today", check=False)
    assert result.returncode == 0, result.stderr
    # Bob watches the cards Alice moved earlier: their activity may toast too.
    toast = bob.locator(".toast-notification").filter(has_text="task due today")
    expect(toast).to_be_visible(timeout=5000)
    expect(toast).to_contain_text("Send the beta invites")
    shot(bob, "toast")


def test_a_task_link_opens_the_board_with_the_card(world, server):
    bob = world["bob"]
    tasks = api(server, "GET", f"/api/tasks/?board={world['board']['id']}", token=world["token"])
    task = next(t for t in tasks["results"] if t["name"] == "Fix login redirect")
    bob.goto(f"{server.url}/boards/{world['board']['id']}/?task={task['id']}")
    expect(bob.get_by_role("dialog")).to_be_visible()
    expect(dlg(bob).get_by_label("Name", exact=True)).to_have_value("Fix login redirect")
    expect(bob.locator(f"{CARD.format('Fix login redirect')}.highlight")).to_be_visible()
    bob.keyboard.press("Escape")
    status(bob, "live")


def test_signup_create_board_and_invite_through_the_page(server, browser):
    signup(server, "dave", "Dave Diaz")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{server.url}/")
    expect(page.get_by_role("tab", name="Create account")).to_be_visible()
    shot(page, "login")
    page.get_by_role("tab", name="Create account").click()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Email").fill("carol@example.com")
    page.get_by_label("Full name (optional)").fill("Carol Chen")
    page.get_by_role("button", name="Create account").last.click()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Design system")
    page.get_by_role("button", name="Create board").click()
    expect(page.locator(".board-title")).to_have_text("Design system")
    page.get_by_role("button", name="+ New sprint").click()
    dlg(page).get_by_label("Name", exact=True).fill("Tokens")
    dlg(page).get_by_label("Ends on").fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Create sprint").click()
    expect(page.locator("#sprint-picker option:checked")).to_contain_text("Tokens")
    expect(page.get_by_role("heading", name="Testing")).to_be_visible()
    page.locator(".members-box summary").click()
    page.locator(".members-pop").get_by_label("Username").fill("dave")
    page.locator(".members-pop").get_by_role("button", name="Invite").click()
    expect(page.locator(".member-list")).to_contain_text("Dave Diaz")

    # The refresh token is in an HttpOnly cookie: no script can read it.
    cookie = next(c for c in context.cookies() if c["name"] == "rs_refresh")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "rs_refresh" not in page.evaluate("document.cookie")
    # A reload keeps the session (the cookie gives a new access token).
    page.reload()
    expect(page.locator(".board-title")).to_have_text("Design system")
    context.close()
