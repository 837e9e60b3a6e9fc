"""Presence with intent (issue 17): who has a card open to edit is said in the others' dialog
before any conflict, and a change made under an open dialog shows there, marked, and is not
written back by that dialog's save.

Users and a board of their own (alma, bram, cleo the viewer), so the other modules' stories
are not disturbed; each test makes its own task. Every wait is a condition with a deadline."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, api, signup
from .pages import dlg, login

LIVE = 10_000  # ms: generous, these tests also run next to CPU burners
CARD = '.card:has(.card-open:text-is("{}"))'


pytestmark = pytest.mark.usefixtures("patient_expect")


@pytest.fixture(scope="module")
def crew(server, browser):
    token = signup(server, "alma", "Alma Ames")["access"]
    signup(server, "bram", "Bram Bell")
    signup(server, "cleo", "Cleo Cray")
    board = api(server, "POST", "/api/boards/", {"name": "Offsite", "description": ""}, token)
    members = f"/api/boards/{board['id']}/members/"
    api(server, "POST", members, {"username": "bram", "role": "member"}, token)
    api(server, "POST", members, {"username": "cleo", "role": "viewer"}, token)
    end = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    sprint = api(server, "POST", "/api/sprints/", {"board": board["id"], "end": end}, token)
    pages = {}
    for user in ("alma", "bram", "cleo"):
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
def no_dialog_left_open(crew):
    """A test that fails with a dialog open must not leave it over the next test's cards."""
    yield
    for user in ("alma", "bram", "cleo"):
        crew[user].evaluate("document.querySelectorAll('dialog[open]').forEach((d) => d.close())")


def new_task(server, crew, name: str, description: str) -> dict:
    task = api(
        server, "POST", "/api/tasks/",
        {"board": crew["board"]["id"], "sprint": crew["sprint"]["id"], "status": 1,
         "name": name, "description": description},
        crew["token"],
    )  # fmt: skip
    for user in ("alma", "bram", "cleo"):
        expect(crew[user].locator(CARD.format(name))).to_be_visible(timeout=LIVE)
    return task


def open_card(page: Page, name: str) -> None:
    # By keyboard: a click's coordinates can go stale when presence re-flows the board's head.
    page.locator(CARD.format(name)).locator(".card-open").press("Enter")
    expect(dlg(page).get_by_label("Name", exact=True)).to_have_value(name, timeout=LIVE)


def banner(page: Page):
    return dlg(page).locator(".editing-status")


def sees_focus(page: Page, username: str, name: str) -> None:
    """page has heard where username looks (their focus frame reached it)."""
    focus = page.locator(f'.presence-user[data-username="{username}"] .presence-focus')
    expect(focus).to_contain_text(name, timeout=LIVE)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_others_opening_a_card_see_who_is_editing_it(server, crew):
    alma, bram, cleo = crew["alma"], crew["bram"], crew["cleo"]
    new_task(server, crew, "Book the venue", "Somewhere with a garden.")
    open_card(alma, "Book the venue")
    open_card(bram, "Book the venue")
    expect(banner(bram)).to_have_text("Alma Ames is editing this card", timeout=LIVE)
    expect(banner(bram)).to_have_attribute("role", "status")
    # Bram's dialog edits too: Alma is told, live, without reopening hers.
    expect(banner(alma)).to_have_text("Bram Bell is editing this card", timeout=LIVE)
    shot(bram, "editing-banner")

    # A viewer's open card is a look, not an edit: her focus arrives, the banners stay.
    open_card(cleo, "Book the venue")
    expect(banner(cleo)).to_have_text("Alma Ames and Bram Bell are editing this card", timeout=LIVE)
    sees_focus(alma, "cleo", "Book the venue")
    expect(banner(alma)).to_have_text("Bram Bell is editing this card")
    cleo.get_by_role("button", name="Cancel").click()

    # Alma closes: the banner in Bram's dialog goes.
    alma.get_by_role("button", name="Cancel").click()
    expect(dlg(alma)).to_have_count(0)
    expect(banner(bram)).to_have_text("", timeout=LIVE)
    expect(banner(bram).locator(".editing-banner")).to_have_count(0)
    bram.get_by_role("button", name="Cancel").click()


def test_a_change_under_an_open_dialog_is_marked_and_never_written_back(server, crew):
    alma, bram = crew["alma"], crew["bram"]
    task = new_task(server, crew, "Plan the agenda", "Morning only.")
    patches: list[dict] = []

    def record(request) -> None:
        if request.method == "PATCH" and request.url.endswith(f"/api/tasks/{task['id']}/"):
            patches.append(json.loads(request.post_data or "{}"))

    alma.on("request", record)
    open_card(alma, "Plan the agenda")  # Alma's form holds version 1 from here on
    open_card(bram, "Plan the agenda")
    expect(banner(bram)).to_have_text("Alma Ames is editing this card", timeout=LIVE)
    dlg(bram).get_by_label("Description", exact=True).fill("Morning talks, afternoon hike.")
    bram.get_by_role("button", name="Save changes").click()
    expect(dlg(bram)).to_have_count(0, timeout=LIVE)

    # Alma's open form shows Bram's description in place, marked as his, and loses his
    # banner now that his dialog closed.
    description = dlg(alma).get_by_label("Description", exact=True)
    expect(description).to_have_value("Morning talks, afternoon hike.", timeout=LIVE)
    # `has` is relative to each field: a page-level locator, not one under the dialog.
    field = dlg(alma).locator(".field").filter(has=alma.get_by_label("Description", exact=True))
    expect(field.locator(".remote-note")).to_have_text("Changed by bram", timeout=LIVE)
    expect(banner(alma)).to_have_text("", timeout=LIVE)
    shot(alma, "editing-changed-under-dialog")

    # She renames; her save carries version 1, so the server answers 409 and she keeps hers.
    dlg(alma).get_by_label("Name", exact=True).fill("Plan the agenda (draft)")
    alma.get_by_role("button", name="Save changes").click()
    conflict = dlg(alma).locator(".conflict")
    expect(conflict).to_be_visible(timeout=LIVE)
    rows = conflict.locator("tbody tr")
    expect(rows.filter(has_text="Description").locator("td").first).to_have_text("not changed")
    alma.get_by_role("button", name="Save mine anyway").click()
    expect(dlg(alma)).to_have_count(0, timeout=LIVE)

    row = api(server, "GET", f"/api/tasks/{task['id']}/", token=crew["token"])
    assert row["name"] == "Plan the agenda (draft)", row
    assert row["description"] == "Morning talks, afternoon hike.", row
    # Neither of her PATCHes carried the field she never touched.
    assert patches and all("description" not in body for body in patches), patches
    assert all(body.get("name") == "Plan the agenda (draft)" for body in patches), patches
    for page in (alma, bram):
        card = page.locator(CARD.format("Plan the agenda (draft)"))
        expect(card.locator(".card-desc")).to_have_text(
            "Morning talks, afternoon hike.", timeout=LIVE
        )
    alma.remove_listener("request", record)
