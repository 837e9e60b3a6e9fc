"""Talking on a card (issue 17): Oona mentions Pablo through the autocomplete, Pablo's bell and a
toast say so at once, the notification opens the card with the comment, his open dialog shows
her next comments (and their edits) live, the watch toggle round-trips and the activity panel
lists the comments as they come.

Users and a board of their own (oona, pablo), so the other modules' stories are not disturbed;
the tests run in file order and share the card. Every wait is a condition with a deadline."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, api, signup
from .pages import dlg, login

LIVE = 10_000  # ms: generous, these tests also run next to CPU burners
CARD = '.card:has(.card-open:text-is("{}"))'
NAME = "Fix the login redirect"
BELL = "button.bell-button"


pytestmark = pytest.mark.usefixtures("patient_expect")


@pytest.fixture(scope="module")
def team(server, browser):
    oona = signup(server, "oona", "Oona Owens")
    pablo = signup(server, "pablo", "Pablo Pike")
    token = oona["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Threads", "description": ""}, token)
    api(server, "POST", f"/api/boards/{board['id']}/members/", {"username": "pablo"}, token)
    end = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    sprint = api(server, "POST", "/api/sprints/", {"board": board["id"], "end": end}, token)
    task = api(
        server, "POST", "/api/tasks/",
        {"board": board["id"], "sprint": sprint["id"], "status": 1, "name": NAME},
        token,
    )  # fmt: skip
    pages = {}
    for user in ("oona", "pablo"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/")
        expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=LIVE)
        pages[user] = page
    tokens = {"oona": token, "pablo": pablo["access"]}
    yield {"board": board, "task": task, "tokens": tokens, **pages}
    for page in pages.values():
        page.context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"comments-{name}.png"))


def open_card(page: Page) -> None:
    # By keyboard: a click's coordinates can go stale while presence re-flows the board.
    page.locator(CARD.format(NAME)).locator(".card-open").press("Enter")
    expect(dlg(page).get_by_label("Name", exact=True)).to_have_value(NAME, timeout=LIVE)


def comments(page: Page):
    return dlg(page).locator(".card-comments .comment")


def send(page: Page, text: str) -> None:
    box = dlg(page).get_by_label("Add a comment")
    box.fill(text)
    box.press("Control+Enter")
    expect(comments(page).filter(has_text=text)).to_have_count(1, timeout=LIVE)
    expect(box).to_have_value("")


def bell_says(page: Page, unread: int) -> None:
    label = f"Notifications, {unread} unread" if unread else "Notifications, none unread"
    expect(page.locator(BELL)).to_have_attribute("aria-label", label, timeout=LIVE)


def watching(server, team, user: str, expected: bool) -> None:
    path = f"/api/tasks/{team['task']['id']}/watch/"
    deadline = time.monotonic() + LIVE / 1000
    while api(server, "GET", path, token=team["tokens"][user])["watching"] is not expected:
        assert time.monotonic() < deadline, f"{user} watching is not {expected}"
        time.sleep(0.1)


def test_a_mention_picked_from_the_list_reaches_the_other_user_live(team):
    oona, pablo = team["oona"], team["pablo"]
    bell_says(pablo, 0)
    open_card(oona)
    box = dlg(oona).get_by_label("Add a comment")
    people = dlg(oona).get_by_role("listbox", name="People to mention")

    # Escape closes the suggestions, not the card.
    box.press_sequentially("cc @")
    expect(people).to_be_visible()
    box.press("Escape")
    expect(people).to_be_hidden()
    expect(dlg(oona)).to_have_count(1)

    box.fill("")
    box.press_sequentially("Looks good, @pa")
    option = people.get_by_role("option", name=re.compile("Pablo Pike"))
    expect(option).to_have_attribute("aria-selected", "true")
    expect(people.get_by_role("option")).to_have_count(1)  # not herself, not "oona"
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    expect(people).to_be_hidden()
    expect(box).to_have_value("Looks good, @pablo ")
    box.press_sequentially("please review.")
    box.press("Control+Enter")
    mine = comments(oona).filter(has_text="please review.")
    expect(mine).to_have_count(1, timeout=LIVE)
    expect(mine.locator(".mention")).to_have_text("@pablo")
    shot(oona, "mention-sent")

    # Pablo, on the board page: the count and a toast, live.
    bell_says(pablo, 1)
    toast = pablo.locator(".toast-notification").filter(has_text="mentioned you")
    expect(toast).to_be_visible(timeout=LIVE)
    pablo.locator(BELL).click()
    pop = pablo.get_by_role("dialog", name="Notifications")
    item = pop.locator(".inbox-item").filter(has_text="mentioned you")
    expect(item).to_have_attribute("data-kind", "mention", timeout=LIVE)
    expect(item).to_contain_text("please review.")
    link = item.get_by_role("link", name=NAME)
    href = f"/boards/{team['board']['id']}/?task={team['task']['id']}"
    expect(link).to_have_attribute("href", href)
    link.click()
    expect(dlg(pablo).get_by_label("Name", exact=True)).to_have_value(NAME, timeout=LIVE)
    seen = comments(pablo).filter(has_text="please review.")
    expect(seen).to_have_count(1, timeout=LIVE)
    expect(seen.locator(".mention-me")).to_have_text("@pablo")
    expect(seen.locator(".comment-actions")).to_have_count(0)  # not his to edit or delete
    expect(seen).not_to_contain_text("null")
    shot(pablo, "mention-opened")


def test_the_next_comments_and_their_edits_show_live_in_the_open_dialog(team):
    oona, pablo = team["oona"], team["pablo"]
    send(oona, "Second thought: ship it Friday")
    live = comments(pablo).filter(has_text="Second thought: ship it Friday")
    expect(live).to_have_count(1, timeout=LIVE)
    expect(comments(pablo)).to_have_count(2)
    expect(comments(pablo).last).to_contain_text("Oona Owens")
    expect(live.get_by_role("button", name="Edit comment")).to_have_count(0)  # not his

    # By id: while it is edited, its text is in a textarea, not in the item's text.
    cid = comments(oona).filter(has_text="Second thought").get_attribute("data-comment-id")
    mine = comments(oona).and_(oona.locator(f'[data-comment-id="{cid}"]'))
    mine.get_by_role("button", name="Edit comment").click()
    editor = mine.get_by_label("Edit your comment")
    editor.fill("Second thought: ship it Monday")
    editor.press("Control+Enter")
    expect(mine.locator(".comment-edited")).to_have_text("(edited)", timeout=LIVE)
    edited = comments(pablo).filter(has_text="ship it Monday")
    expect(edited).to_have_count(1, timeout=LIVE)
    expect(edited.locator(".comment-edited")).to_have_text("(edited)")

    send(oona, "Typo, ignore")
    expect(comments(pablo).filter(has_text="Typo, ignore")).to_have_count(1, timeout=LIVE)
    doomed = comments(oona).filter(has_text="Typo, ignore")
    doomed.get_by_role("button", name="Delete comment").click()
    doomed.get_by_role("button", name="Confirm delete comment").click()
    expect(comments(oona).filter(has_text="Typo, ignore")).to_have_count(0, timeout=LIVE)
    expect(comments(pablo).filter(has_text="Typo, ignore")).to_have_count(0, timeout=LIVE)
    expect(dlg(pablo).locator(".comments-total")).to_have_text("(2)", timeout=LIVE)


def test_the_watch_toggle_round_trips(server, team):
    pablo = team["pablo"]
    toggle = dlg(pablo).locator(".watch-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false", timeout=LIVE)
    expect(toggle).to_have_text("Watch")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("Watching")
    watching(server, team, "pablo", True)

    pablo.keyboard.press("Escape")
    expect(dlg(pablo)).to_have_count(0, timeout=LIVE)
    open_card(pablo)
    toggle = dlg(pablo).locator(".watch-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "true", timeout=LIVE)
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    watching(server, team, "pablo", False)
    # Oona commented, so she watches without asking.
    expect(dlg(team["oona"]).locator(".watch-toggle")).to_have_attribute("aria-pressed", "true")


def test_the_activity_panel_lists_the_comments_as_they_come(team):
    oona, pablo = team["oona"], team["pablo"]
    dlg(oona).locator(".card-activity summary").click()
    entries = dlg(oona).locator(".activity-entry")
    expect(
        entries.filter(has_text="oona commented: “Looks good, @pablo please review.”")
    ).to_have_count(1, timeout=LIVE)
    expect(entries.filter(has_text="oona deleted a comment")).to_have_count(1)
    expect(entries.first.locator("time")).to_have_text("just now")

    send(pablo, "On it")
    expect(entries.first).to_contain_text("pablo commented: “On it”", timeout=LIVE)
    shot(oona, "activity")
