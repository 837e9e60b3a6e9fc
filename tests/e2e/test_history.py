"""The board's past on the page: the trash, Undo on the toast of your own change, and the
board as of a past time (read-only).

Two members (Hana, Ivo) in two browser contexts and a viewer (Vera) on one board; the tests
run in file order and share it. Screenshots go to tests/artifacts/history-*.png."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import ARTIFACTS, api, signup
from .pages import dlg, dump, login, tool

LIVE = 2000  # ms: a change by one user is on the other's screen within this
CARD = '.card:has(.card-open:text-is("{}"))'
SPRINT = "Sprint H"


@pytest.fixture(scope="module")
def world(server, browser):
    token = signup(server, "hist_hana", "Hana Hill")["access"]
    signup(server, "hist_ivo", "Ivo Ivanov")
    ivo = api(server, "POST", "/api/auth/login/",
              {"username": "hist_ivo", "password": "e2e-password-4821"})["access"]  # fmt: skip
    signup(server, "hist_vera", "Vera Viewer")
    board = api(server, "POST", "/api/boards/", {"name": "History board"}, token)
    for username, role in (("hist_ivo", "member"), ("hist_vera", "viewer")):
        api(server, "POST", f"/api/boards/{board['id']}/members/",
            {"username": username, "role": role}, token)  # fmt: skip
    end = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    sprint = api(server, "POST", "/api/sprints/",
                 {"board": board["id"], "name": SPRINT, "end": end}, token)  # fmt: skip
    tasks = {}
    for name, sprint_id, status in [
        ("Write changelog", sprint["id"], 1),
        ("Plan retro", sprint["id"], 1),
        ("Old idea", sprint["id"], 2),
        ("Tidy backlog", None, 1),
    ]:
        tasks[name] = api(server, "POST", "/api/tasks/",
                          {"board": board["id"], "sprint": sprint_id, "status": status,
                           "name": name}, token)  # fmt: skip
    pages = {}
    for user in ("hist_hana", "hist_ivo"):
        context = browser.new_context(viewport={"width": 1440, "height": 860})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/")
        expect(page.locator(".card").first).to_be_visible()
        expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=10_000)
        pages[user] = page
    yield {"board": board, "tasks": tasks, "token": token, "ivo_token": ivo,
           "hana": pages["hist_hana"], "ivo": pages["hist_ivo"]}  # fmt: skip
    for page in pages.values():
        page.context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"history-{name}.png"))


def column_of(page: Page, name: str) -> str | None:
    for column, names in dump(page):
        if name in names:
            return column
    return None


def undo_toast(page: Page, text: str):
    toast = page.locator(".toast-undo", has_text=text)
    expect(toast).to_be_visible(timeout=LIVE)
    return toast


def test_a_deleted_card_goes_to_the_trash_and_comes_back_live(world, server, browser):
    hana, ivo = world["hana"], world["ivo"]
    hana.locator(CARD.format("Old idea")).locator(".card-open").click()
    dlg(hana).get_by_role("button", name="Delete").click()
    hana.get_by_role("button", name="Confirm delete").click()
    expect(ivo.locator(CARD.format("Old idea"))).to_have_count(0, timeout=LIVE)
    undo_toast(hana, "Deleted “Old idea”")

    # A viewer sees the list, with nothing to press.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    vera = context.new_page()
    try:
        login(vera, server.url, "hist_vera")
        vera.goto(f"{server.url}/boards/{world['board']['id']}/")
        tool(vera, "Trash").click()
        expect(dlg(vera).locator(".trash-row", has_text="Old idea")).to_contain_text("Hana Hill")
        expect(dlg(vera).get_by_role("button", name="Restore “Old idea”")).to_have_count(0)
        assert_accessible(vera, "trash (viewer)")
    finally:
        context.close()

    hana.get_by_role("button", name="Trash").click()
    row = dlg(hana).locator(".trash-row", has_text="Old idea")
    expect(row).to_contain_text("by Hana Hill")
    assert_accessible(hana, "trash")
    shot(hana, "trash")
    dlg(hana).get_by_role("button", name="Restore “Old idea”").click()
    expect(row).to_have_count(0)
    dlg(hana).get_by_role("button", name="Close").click()
    expect(hana.locator(f".column-s2 {CARD.format('Old idea')}")).to_be_visible(timeout=LIVE)
    expect(ivo.locator(f".column-s2 {CARD.format('Old idea')}")).to_be_visible(timeout=LIVE)


def test_undo_on_the_toast_puts_a_moved_card_back(world):
    hana, ivo = world["hana"], world["ivo"]
    before = dump(hana)
    hana.locator(CARD.format("Write changelog")).locator(".card-open").focus()
    hana.keyboard.press("Alt+ArrowRight")
    expect(ivo.locator(f".column-s2 {CARD.format('Write changelog')}")).to_be_visible(timeout=LIVE)
    toast = undo_toast(hana, f"Moved “Write changelog” to In Progress ({SPRINT})")
    shot(hana, "undo-toast")
    toast.get_by_role("button", name="Undo").click()
    expect(ivo.locator(f".column-s1 {CARD.format('Write changelog')}")).to_be_visible(timeout=LIVE)
    expect(hana.locator(f".column-s1 {CARD.format('Write changelog')}")).to_be_visible(timeout=LIVE)
    # Back where it was: the same order in every column, on both screens.
    deadline = time.monotonic() + 5
    while dump(hana) != before or dump(ivo) != before:
        assert time.monotonic() < deadline, f"not back:\n{before}\n{dump(hana)}\n{dump(ivo)}"
        time.sleep(0.1)
    expect(hana.locator(".toast", has_text="Undone")).to_be_visible()


def test_undo_after_someone_else_changed_the_card_says_so(world, server):
    hana, ivo = world["hana"], world["ivo"]
    hana.locator(CARD.format("Plan retro")).locator(".card-open").focus()
    hana.keyboard.press("Alt+ArrowRight")
    toast = undo_toast(hana, "Moved “Plan retro” to In Progress")
    task = world["tasks"]["Plan retro"]
    api(server, "PATCH", f"/api/tasks/{task['id']}/", {"name": "Plan the retro"},
        world["ivo_token"])  # fmt: skip
    expect(hana.locator(CARD.format("Plan the retro"))).to_be_visible(timeout=LIVE)
    toast.get_by_role("button", name="Undo").click()
    error = hana.locator(".toast-error", has_text="Could not undo").last
    expect(error).to_contain_text("Someone changed it since")
    expect(error).to_contain_text("Plan the retro")
    shot(hana, "undo-conflict")
    # Nothing moved back.
    assert column_of(hana, "Plan the retro") == "s2"
    assert column_of(ivo, "Plan the retro") == "s2"


def wall_second_after_now() -> dt.datetime:
    """The next whole UTC second, once it has passed: every event so far is before it, and a
    change made now is after it (the form reads whole seconds)."""
    mark = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=1)
    while dt.datetime.now(dt.UTC) < mark + dt.timedelta(milliseconds=50):
        time.sleep(0.02)
    return mark


def test_the_board_as_of_a_time_before_a_change_is_read_only(world, server):
    hana, ivo = world["hana"], world["ivo"]
    mark = wall_second_after_now()
    task = world["tasks"]["Tidy backlog"]
    api(server, "PATCH", f"/api/tasks/{task['id']}/", {"name": "Tidy the backlog"},
        world["ivo_token"])  # fmt: skip
    expect(hana.locator(CARD.format("Tidy the backlog"))).to_be_visible(timeout=LIVE)

    hana.get_by_role("button", name="Board as of…").click()
    dialog = dlg(hana)
    # The board's zone is its creator's, UTC here.
    # Chromium writes a datetime-local value without ":00" seconds, and Playwright's fill checks
    # the value it reads back: give whole minutes the way the input itself writes them.
    wall = "%Y-%m-%dT%H:%M" if mark.second == 0 else "%Y-%m-%dT%H:%M:%S"
    dialog.get_by_label("Date and time (UTC)").fill(mark.strftime(wall))
    dialog.get_by_role("button", name="Show the board then").click()
    heading = dialog.get_by_role("heading", level=2)
    expect(heading).to_contain_text("(read-only)")
    expect(heading).to_contain_text("Board as of")
    past = dialog.locator(".asof-board")
    expect(past.locator(".past-backlog")).to_contain_text("Tidy backlog")
    expect(past).not_to_contain_text("Tidy the backlog")
    # Nothing on the past board can be pressed, dragged or typed into.
    assert past.locator("button, input, select, textarea, [draggable=true]").count() == 0
    assert_accessible(hana, "board as of")
    shot(hana, "as-of")

    # One change later is the rename.
    dialog.get_by_role("button", name="Later change →").click()
    expect(past.locator(".past-backlog")).to_contain_text("Tidy the backlog")
    dialog.get_by_role("button", name="Back to live board").click()
    expect(dlg(hana)).to_have_count(0)
    expect(hana.locator(f".column-backlog {CARD.format('Tidy the backlog')}")).to_be_visible()
    assert column_of(ivo, "Tidy the backlog") == "backlog"


def test_the_board_as_of_a_change_fits_a_phone(world):
    hana = world["hana"]
    hana.set_viewport_size({"width": 390, "height": 844})
    try:
        tool(hana, "Board as of…").click()
        dialog = dlg(hana)
        dialog.get_by_label("After change number").fill("1")
        dialog.get_by_role("button", name="Show that change").click()
        expect(dialog.get_by_role("heading", level=2)).to_contain_text("(read-only)")
        expect(dialog.get_by_text("Change #1 of")).to_be_visible()
        # Before any card existed: the sprint's columns are empty.
        expect(dialog.locator(".past-card")).to_have_count(0)
        box = dialog.bounding_box()
        assert box and box["width"] <= 390, box
        assert_accessible(hana, "board as of (phone)")
        shot(hana, "as-of-phone")
        dialog.get_by_role("button", name="Back to live board").click()
    finally:
        hana.set_viewport_size({"width": 1440, "height": 860})


def test_a_pruned_part_of_the_history_says_so_and_offers_the_earliest(world, server):
    """Last: it prunes the board's first events (an operator's retention would, hourly)."""
    hana = world["hana"]
    board = world["board"]["id"]
    code = f"from board.history.compaction import compact; compact(board_id={board}, through_seq=3)"
    server.manage("shell", "-c", code)
    hana.get_by_role("button", name="Board as of…").click()
    dialog = dlg(hana)
    dialog.get_by_label("After change number").fill("1")
    dialog.get_by_role("button", name="Show that change").click()
    pruned = dialog.locator(".asof-pruned")
    expect(pruned).to_contain_text("That part of the history was pruned")
    expect(pruned).to_contain_text("#3")
    assert_accessible(hana, "board as of (pruned)")
    dialog.get_by_role("button", name="Show the earliest (change #3)").click()
    expect(pruned).to_be_hidden()
    expect(dialog.get_by_text("Change #3 of")).to_be_visible()
    # The first step back would be pruned too: there is none.
    expect(dialog.get_by_role("button", name="← Earlier change")).to_be_disabled()
    dialog.get_by_role("button", name="Back to live board").click()
