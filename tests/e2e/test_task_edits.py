"""Two users edit one card at once and neither loses the other's change (issue 14); what the
page offers follows the server's `can`, live.

Users and a board of their own (kate, liam, mona), so the story in test_board_live.py is not
disturbed; each test makes its own task. Every wait is a condition with a deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, api, signup
from .pages import dlg, login

LIVE = 5000  # ms: generous, these tests also run next to CPU burners
CARD = '.card:has(.card-open:text-is("{}"))'


@pytest.fixture(scope="module")
def team(server, browser):
    kate = signup(server, "kate", "Kate King")
    signup(server, "liam", "Liam Lane")
    signup(server, "mona", "Mona Moss")
    token = kate["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Retro", "description": ""}, token)
    members = f"/api/boards/{board['id']}/members/"
    api(server, "POST", members, {"username": "liam", "role": "member"}, token)
    api(server, "POST", members, {"username": "mona", "role": "viewer"}, token)
    end = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    sprint = api(server, "POST", "/api/sprints/", {"board": board["id"], "end": end}, token)
    pages = {}
    for user in ("kate", "liam", "mona"):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/")
        expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=LIVE)
        pages[user] = page
    yield {"board": board, "sprint": sprint, "token": token, **pages}
    for page in pages.values():
        page.context.close()


@pytest.fixture(autouse=True)
def no_dialog_left_open(team):
    """A test that fails with a dialog open must not leave it over the next test's cards."""
    yield
    for user in ("kate", "liam", "mona"):
        team[user].evaluate("document.querySelectorAll('dialog[open]').forEach((d) => d.close())")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def new_task(server, team, name: str, description: str) -> dict:
    task = api(
        server, "POST", "/api/tasks/",
        {"board": team["board"]["id"], "sprint": team["sprint"]["id"], "status": 1,
         "name": name, "description": description},
        team["token"],
    )  # fmt: skip
    for user in ("kate", "liam"):
        expect(team[user].locator(CARD.format(name))).to_be_visible(timeout=LIVE)
    return task


def open_card(page: Page, name: str) -> None:
    # By keyboard (cards open with Enter): a click's coordinates can go stale when the
    # others' presence re-flows the head of the board between aiming and clicking.
    page.locator(CARD.format(name)).locator(".card-open").press("Enter")
    expect(dlg(page).get_by_label("Name", exact=True)).to_have_value(name, timeout=LIVE)


def sees_viewing(page: Page, username: str, name: str) -> None:
    """page shows username looking at the card `name` (their focus reached everyone)."""
    focus = page.locator(f'.presence-user[data-username="{username}"] .presence-focus')
    expect(focus).to_contain_text(name, timeout=LIVE)


def note(page: Page, label: str):
    """The live note under a field of the open dialog (what someone else changed there)."""
    field = dlg(page).locator(".field").filter(has=page.get_by_label(label, exact=True))
    return field.locator(".remote-note")


def test_a_stale_save_keeps_the_other_users_change_to_another_field(server, team):
    kate, liam = team["kate"], team["liam"]
    task = new_task(server, team, "Plan the retro", "Book a room.")
    open_card(liam, "Plan the retro")  # Liam's form holds version 1 from here on
    sees_viewing(kate, "liam", "Plan the retro")

    open_card(kate, "Plan the retro")
    dlg(kate).get_by_label("Name", exact=True).fill("Plan the retro (with snacks)")
    kate.get_by_role("button", name="Save changes").click()
    expect(dlg(kate)).to_have_count(0, timeout=LIVE)

    # Liam's open dialog shows Kate's rename in place, marked, as it arrives.
    expect(dlg(liam).get_by_label("Name", exact=True)).to_have_value(
        "Plan the retro (with snacks)", timeout=LIVE
    )
    expect(note(liam, "Name")).to_have_text("Changed by kate", timeout=LIVE)
    expect(note(liam, "Name")).to_have_attribute("aria-live", "polite")
    expect(note(liam, "Description")).to_have_text("")
    shot(liam, "edit-changed-by-other")

    # He changes only the description; his save carries version 1, so the server says 409.
    dlg(liam).get_by_label("Description", exact=True).fill("Book a room and bring sticky notes.")
    liam.get_by_role("button", name="Save changes").click()
    conflict = dlg(liam).locator(".conflict")
    expect(conflict).to_be_visible(timeout=LIVE)
    rows = conflict.locator("tbody tr")
    expect(rows.filter(has_text="Description").locator(".mine-value")).to_have_text(
        "Book a room and bring sticky notes."
    )
    expect(rows.filter(has_text="Name").locator("td").first).to_have_text("not changed")
    shot(liam, "edit-conflict-mine-anyway")
    liam.get_by_role("button", name="Save mine anyway").click()
    expect(dlg(liam)).to_have_count(0, timeout=LIVE)

    row = api(server, "GET", f"/api/tasks/{task['id']}/", token=team["token"])
    assert row["name"] == "Plan the retro (with snacks)", row
    assert row["description"] == "Book a room and bring sticky notes.", row
    for page in (kate, liam):
        card = page.locator(CARD.format("Plan the retro (with snacks)"))
        expect(card.locator(".card-desc")).to_have_text(
            "Book a room and bring sticky notes.", timeout=LIVE
        )


def test_a_field_being_edited_keeps_the_input_and_shows_the_other_value(server, team):
    kate, liam = team["kate"], team["liam"]
    new_task(server, team, "Collect feedback", "From the whole team.")
    due = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    open_card(liam, "Collect feedback")
    dlg(liam).get_by_label("Name", exact=True).fill("Collect feedback by Friday")
    sees_viewing(kate, "liam", "Collect feedback")

    open_card(kate, "Collect feedback")
    dlg(kate).get_by_label("Name", exact=True).fill("Collect anonymous feedback")
    dlg(kate).get_by_label("Due", exact=True).fill(due)
    kate.get_by_role("button", name="Save changes").click()
    expect(dlg(kate)).to_have_count(0, timeout=LIVE)

    expect(note(liam, "Name")).to_contain_text(
        "kate changed this to “Collect anonymous feedback”", timeout=LIVE
    )
    expect(dlg(liam).get_by_label("Name", exact=True)).to_have_value("Collect feedback by Friday")
    shot(liam, "edit-clash")
    # The untouched due date took Kate's value in place.
    expect(dlg(liam).get_by_label("Due", exact=True)).to_have_value(due)
    expect(note(liam, "Due")).to_have_text("Changed by kate")
    note(liam, "Name").get_by_role("button", name="Use theirs").click()
    expect(dlg(liam).get_by_label("Name", exact=True)).to_have_value("Collect anonymous feedback")
    liam.get_by_role("button", name="Cancel").click()
    expect(dlg(liam)).to_have_count(0)


def test_what_the_page_offers_follows_can_live(server, team):
    mona = team["mona"]
    new_task(server, team, "Pick a facilitator", "Someone new each time.")
    # A viewer: the board JSON's `can` says read only, so no add buttons, no new sprint, and
    # a card opens as a read-only form.
    expect(mona.locator(CARD.format("Pick a facilitator"))).to_be_visible(timeout=LIVE)
    expect(mona.get_by_role("button", name="Add a task to Backlog")).to_have_count(0)
    expect(mona.locator("#new-sprint")).to_be_hidden()
    open_card(mona, "Pick a facilitator")
    name = dlg(mona).get_by_label("Name", exact=True)
    expect(name).to_be_disabled()
    expect(dlg(mona).get_by_role("button", name="Save changes")).to_be_hidden()

    members = api(server, "GET", f"/api/boards/{team['board']['id']}/members/", token=team["token"])
    rows = members["results"] if isinstance(members, dict) else members
    mona_id = next(m["user"]["id"] for m in rows if m["user"]["username"] == "mona")
    api(
        server, "PATCH", f"/api/boards/{team['board']['id']}/members/{mona_id}/",
        {"role": "member"}, team["token"],
    )  # fmt: skip
    # member.updated about her carries her new `can`: the open form and the board offer
    # writing at once, without a reload; managing members stays the owner's.
    expect(name).to_be_enabled(timeout=LIVE)
    expect(dlg(mona).get_by_role("button", name="Save changes")).to_be_visible()
    mona.get_by_role("button", name="Cancel").click()
    expect(mona.get_by_role("button", name="Add a task to Backlog")).to_be_visible(timeout=LIVE)
    expect(mona.locator("#new-sprint")).to_be_visible()
    expect(mona.locator(".members-pop .invite-form")).to_have_count(0)
