"""Labels and checklists on cards (issue 17), seen live by a second user.

Users and a board of their own (ulla, ugo), so the other stories are not disturbed; the tests
run in file order and share the board: Ulla makes a label and puts it on a card, Ugo sees the
chip and filters by it; Ulla ticks checklist items and Ugo's card counts along; on a phone
the labels widget and the checklist are usable. Every wait is a condition with a deadline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, api, signup
from .pages import dlg, login

LIVE = 10_000  # ms: generous, these tests also run next to CPU burners
CARD = '.card:has(.card-open:text-is("{}"))'
PHONE = {"width": 390, "height": 844}
NAMES = ("Fix the login bug", "Write the docs", "Tidy the styles")


pytestmark = pytest.mark.usefixtures("patient_expect")


@pytest.fixture(scope="module")
def world(server, browser):
    ulla = signup(server, "ulla", "Ulla Umber")
    signup(server, "ugo", "Ugo Uccello")
    token = ulla["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Card details", "description": ""}, token)
    api(server, "POST", f"/api/boards/{board['id']}/members/", {"username": "ugo"}, token)
    end = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    sprint = api(server, "POST", "/api/sprints/", {"board": board["id"], "end": end}, token)
    for name in NAMES:
        api(
            server, "POST", "/api/tasks/",
            {"board": board["id"], "sprint": sprint["id"], "status": 1, "name": name},
            token,
        )  # fmt: skip
    pages = {}
    for user in ("ulla", "ugo"):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/")
        expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=LIVE)
        pages[user] = page
    yield {"board": board, "token": token, "url": f"{server.url}/boards/{board['id']}/", **pages}
    for page in pages.values():
        page.context.close()


@pytest.fixture(autouse=True)
def no_dialog_left_open(world):
    """A test that fails with a dialog open must not leave it over the next test's cards."""
    yield
    for user in ("ulla", "ugo"):
        world[user].evaluate("document.querySelectorAll('dialog[open]').forEach((d) => d.close())")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_card(page: Page, name: str) -> None:
    # By keyboard (cards open with Enter): a click can land on a card that re-flowed.
    page.locator(CARD.format(name)).locator(".card-open").press("Enter")
    expect(dlg(page).get_by_label("Name", exact=True)).to_have_value(name, timeout=LIVE)


def labels_menu(page: Page):
    """The toolbar's Labels toggle (a <summary>, as the members' popover has)."""
    expect(page.locator(".board-tools")).to_be_visible(timeout=LIVE)  # the board has loaded
    return page.locator(".labels-box > summary")


def chips(page: Page, name: str):
    return (
        page.locator(CARD.format(name)).get_by_role("list", name="Labels").get_by_role("listitem")
    )


def badge(page: Page, name: str):
    return page.locator(CARD.format(name)).locator(".checklist-badge [aria-hidden=true]")


def outside(box, selector: str) -> list[str]:
    """The controls under `box` that stick out of the phone's width, scrolled into view."""
    return box.evaluate(
        """(root, [selector, width]) => [...root.querySelectorAll(selector)]
            .filter((el) => el.getClientRects().length)
            .filter((el) => {
              el.scrollIntoView({ block: 'nearest' });
              const r = el.getBoundingClientRect();
              return r.left < 0 || r.right > width;
            })
            .map((el) => el.outerHTML.slice(0, 120))""",
        [selector, PHONE["width"]],
    )


def test_a_label_made_and_put_on_a_card_shows_live_and_filters(world):
    ulla, ugo = world["ulla"], world["ugo"]
    labels_menu(ulla).click()
    pop = ulla.locator(".labels-pop")
    pop.get_by_label("Label name").fill("Bug")
    pop.locator(".label-create").get_by_role("button", name="Red").click()
    pop.get_by_role("button", name="Add label").click()
    expect(pop.get_by_role("list", name="Labels of this board")).to_contain_text("Bug")
    shot(ulla, "labels-widget")
    labels_menu(ulla).click()  # closes the popover

    open_card(ulla, "Fix the login bug")
    dlg(ulla).get_by_role("group", name="Labels").get_by_role("checkbox", name="Bug").check()
    ulla.get_by_role("button", name="Save changes").click()
    expect(dlg(ulla)).to_have_count(0, timeout=LIVE)

    # Ugo's board shows the chip without a reload, on the label's colour with white text.
    chip = chips(ugo, "Fix the login bug")
    expect(chip).to_have_text(["Bug"], timeout=LIVE)
    # Retried: the card may be redrawn between finding the chip and reading its style.
    expect(chip).to_have_css("background-color", "rgb(198, 40, 40)")
    expect(chip).to_have_css("color", "rgb(255, 255, 255)")
    expect(chips(ugo, "Write the docs")).to_have_count(0)

    # He filters by it: only that card stays, and the URL says so; clearing brings all back.
    ugo.locator(".label-filter summary").click()
    ugo.locator(".label-filter").get_by_role("checkbox", name="Bug").check()
    expect(ugo.locator(".card")).to_have_count(1, timeout=LIVE)
    expect(ugo.locator(CARD.format("Fix the login bug"))).to_be_visible()
    expect(ugo).to_have_url(re.compile(r"[?&]label=\d+"))
    shot(ugo, "labels-filtered")
    ugo.get_by_role("button", name="Clear filters").click()
    expect(ugo.locator(".card")).to_have_count(len(NAMES), timeout=LIVE)
    assert "label=" not in ugo.url


def test_ticking_checklist_items_updates_the_other_card_live(world):
    ulla, ugo = world["ulla"], world["ugo"]
    open_card(ulla, "Write the docs")
    checklist = dlg(ulla).locator(".card-checklist")
    expect(checklist.get_by_text("No items yet.")).to_be_visible(timeout=LIVE)
    new_item = checklist.get_by_label("New checklist item")
    for text in ("Outline", "Examples"):
        new_item.fill(text)
        new_item.press("Enter")
        expect(checklist.get_by_role("checkbox", name=text)).to_be_visible(timeout=LIVE)
    expect(badge(ugo, "Write the docs")).to_have_text("☑ 0/2", timeout=LIVE)

    checklist.get_by_role("checkbox", name="Outline").check()
    expect(checklist.locator(".checklist-count")).to_have_text("1/2", timeout=LIVE)
    expect(badge(ugo, "Write the docs")).to_have_text("☑ 1/2", timeout=LIVE)
    # Ugo opens the card: the same list; Ulla's next tick lands in his open dialog.
    open_card(ugo, "Write the docs")
    theirs = dlg(ugo).locator(".card-checklist")
    expect(theirs.get_by_role("checkbox", name="Outline")).to_be_checked(timeout=LIVE)
    checklist.get_by_role("checkbox", name="Examples").check()
    expect(theirs.get_by_role("checkbox", name="Examples")).to_be_checked(timeout=LIVE)
    expect(theirs.locator(".checklist-count")).to_have_text("2/2")
    ugo.get_by_role("button", name="Cancel").click()
    expect(badge(ugo, "Write the docs")).to_have_text("☑ 2/2", timeout=LIVE)

    # Reordering by keyboard: "Examples" moves up, and stays first for Ugo too.
    checklist.get_by_role("button", name="Move “Examples” up").press("Enter")
    expect(checklist.locator(".checklist-text")).to_have_text(["Examples", "Outline"], timeout=LIVE)
    expect(checklist.get_by_role("button", name="Move “Examples” up")).to_be_focused()
    shot(ulla, "checklist-dialog")
    ulla.get_by_role("button", name="Cancel").click()
    open_card(ugo, "Write the docs")
    expect(dlg(ugo).locator(".checklist-text")).to_have_text(["Examples", "Outline"], timeout=LIVE)
    ugo.get_by_role("button", name="Cancel").click()


def test_a_phone_manages_labels_and_a_checklist(world, server, browser):
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    try:
        login(phone, server.url, "ugo")
        phone.goto(world["url"])
        expect(phone.locator(".conn")).to_have_attribute("data-status", "live", timeout=LIVE)
        labels_menu(phone).click()
        pop = phone.locator(".labels-pop")
        pop.get_by_label("Label name").fill("Needs review")
        pop.locator(".label-create").get_by_role("button", name="Yellow").click()
        pop.get_by_role("button", name="Add label").click()
        row = pop.locator(".label-row").filter(has_text="Needs review")
        expect(row).to_be_visible(timeout=LIVE)
        # Yellow takes black text; the row's buttons fit the screen.
        expect(row.locator(".label-chip")).to_have_css("color", "rgb(0, 0, 0)")
        row.get_by_role("button", name="Edit label Needs review").click()
        pop.get_by_label("Name of label Needs review").fill("Review")
        pop.get_by_role("button", name="Save").click()
        # Saved: the edit row is gone (has_text would also match "Needs review" in it).
        expect(pop.get_by_label("Name of label Needs review")).to_have_count(0, timeout=LIVE)
        expect(
            pop.locator(".label-row .label-chip").get_by_text("Review", exact=True)
        ).to_be_visible()
        # Measured in one step in the page: a redraw between two reads cannot swap the rows.
        assert outside(pop, "button") == []
        # A long sprint name in the header's <select> must not widen the page either.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(phone, "labels-phone")
        # The label reached Ulla's page live.
        expect(world["ulla"].locator(".label-filter")).to_contain_text("Review", timeout=LIVE)
        labels_menu(phone).click()

        open_card(phone, "Tidy the styles")
        checklist = dlg(phone).locator(".card-checklist")
        new_item = checklist.get_by_label("New checklist item")
        new_item.fill("Check the contrast of every label")
        checklist.get_by_role("button", name="Add", exact=True).click()
        item = checklist.get_by_role("checkbox", name="Check the contrast of every label")
        item.check()
        expect(checklist.locator(".checklist-count")).to_have_text("1/1", timeout=LIVE)
        assert outside(checklist, "button, input") == []
        shot(phone, "checklist-phone")
        expect(badge(world["ulla"], "Tidy the styles")).to_have_text("☑ 1/1", timeout=LIVE)
    finally:
        context.close()
