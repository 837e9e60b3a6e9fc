"""A user with no mouse: log in, then create, edit, move (Alt+Arrow) and delete a card with
the keyboard alone (page.keyboard only: no clicks, no element.focus()), at 1400×900. Tab
never leaves an open dialog, and the server's field errors show under their field.

A user and a board of their own (ursa). Every wait is a condition with a deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, PASSWORD, api, signup
from .pages import dlg

LIVE = 10000  # ms: generous, the machine is shared
CARD = '.card:has(.card-open:text-is("{}"))'
WIDTH, HEIGHT = 1400, 900


@pytest.fixture(scope="module")
def world(server, browser):
    token = signup(server, "ursa", "Ursa Tabb")["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Keys only", "description": ""}, token)
    end = (dt.date.today() + dt.timedelta(days=8)).isoformat()
    api(server, "POST", "/api/sprints/", {"board": board["id"], "end": end}, token)
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.goto(f"{server.url}/")
    expect(page.get_by_label("Username")).to_be_visible(timeout=LIVE)
    tab_to(page, "input[name=username]")
    page.keyboard.type("ursa")
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible(timeout=LIVE)
    page.goto(f"{server.url}/boards/{board['id']}/")
    expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=LIVE)
    expect(page.get_by_role("heading", name="Not Started")).to_be_visible()
    yield {"page": page}
    context.close()


def focused(page: Page, selector: str, text: str | None) -> bool:
    return page.evaluate(
        "([s, t]) => { const a = document.activeElement;"
        " return a.matches(s) && (t === null || a.textContent === t); }",
        [selector, text],
    )


def tab_to(page: Page, selector: str, text: str | None = None, limit: int = 150) -> None:
    """Tab until the focused element matches `selector` (and has `text`), as a user would."""
    for _ in range(limit):
        if focused(page, selector, text):
            in_view(page)
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached in {limit} Tab presses")


def in_view(page: Page) -> None:
    box = page.evaluate(
        "() => { const r = document.activeElement.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; }"
    )
    left, top, right, bottom = box
    assert left >= 0 and top >= 0 and right <= WIDTH and bottom <= HEIGHT, box


def tab_stays_in_dialog(page: Page, presses: int = 30, key: str = "Tab") -> None:
    for i in range(presses):
        page.keyboard.press(key)
        where = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a.closest('dialog[open]') ? '' : a.tagName + '.' + a.className; }"
        )
        assert where == "", f"{key} press {i + 1} left the dialog for {where}"
        in_view(page)


def name_input(page: Page):
    return dlg(page).get_by_label("Name", exact=True)


def test_create_with_a_field_error_then_edit_move_and_delete_by_keyboard(world):
    page = world["page"]
    tab_to(page, '[aria-label="Add a task to Not Started"]')
    page.keyboard.press("Enter")
    expect(dlg(page)).to_be_visible()
    expect(name_input(page)).to_be_focused()

    # A name of spaces passes the browser's check; the server's message goes under the field.
    page.keyboard.type("   ")
    page.keyboard.press("Enter")
    error = dlg(page).locator(".field:has(input[name=name]) .field-error")
    expect(error).to_have_text("This field may not be blank.", timeout=LIVE)
    expect(name_input(page)).to_have_attribute("aria-invalid", "true")
    expect(name_input(page)).to_be_focused()
    expect(dlg(page).locator(".form-error")).to_be_hidden()
    described = name_input(page).get_attribute("aria-describedby") or ""
    assert error.get_attribute("id") in described.split()
    page.screenshot(path=str(ARTIFACTS / "keyboard-field-error.png"))

    tab_stays_in_dialog(page)
    tab_stays_in_dialog(page, key="Shift+Tab")
    tab_to(page, "dialog[open] input[name=name]")
    page.keyboard.press("Control+a")
    page.keyboard.type("Plan the demo")
    expect(error).to_have_count(0)
    page.keyboard.press("Enter")
    expect(dlg(page)).to_have_count(0, timeout=LIVE)
    card = page.locator(f".column-s1 {CARD.format('Plan the demo')}")
    expect(card).to_be_visible(timeout=LIVE)

    tab_to(page, ".card-open", "Plan the demo")
    page.keyboard.press("Enter")
    expect(dlg(page)).to_be_visible()
    tab_stays_in_dialog(page)
    tab_to(page, "dialog[open] input[name=name]")
    page.keyboard.press("Control+a")
    page.keyboard.type("Plan the demo day")
    page.keyboard.press("Enter")
    expect(dlg(page)).to_have_count(0, timeout=LIVE)
    renamed = '.card-open:text-is("Plan the demo day")'
    expect(page.locator(renamed)).to_be_visible(timeout=LIVE)
    # Focus came back to the card the dialog was opened from.
    expect(page.locator(renamed)).to_be_focused()

    # A quick user: the card is opened while its move is still on its way (held here until
    # the dialog is open), and the delete must build on the moved version, not the old one.
    held = []

    def hold(route):
        held.append(route)

    page.route("**/move/", hold)
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator(f".column-s2 {renamed}")).to_be_visible(timeout=LIVE)
    expect(page.locator(renamed)).to_be_focused()
    in_view(page)
    page.keyboard.press("Enter")
    expect(dlg(page)).to_be_visible()
    held[0].continue_()
    page.unroute("**/move/", hold)
    expect(page.locator(f".column-s2 {renamed}")).not_to_contain_text("Not saved", timeout=LIVE)
    tab_to(page, "dialog[open] .btn-danger")
    page.keyboard.press("Enter")
    expect(dlg(page).get_by_role("button", name="Confirm delete")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dlg(page)).to_have_count(0, timeout=LIVE)
    expect(page.locator(renamed)).to_have_count(0, timeout=LIVE)


def test_tab_stays_in_the_sprint_dialog(world):
    page = world["page"]
    tab_to(page, "#new-sprint")
    page.keyboard.press("Enter")
    expect(dlg(page)).to_be_visible()
    tab_stays_in_dialog(page)
    tab_stays_in_dialog(page, key="Shift+Tab")
    page.keyboard.press("Escape")
    expect(dlg(page)).to_have_count(0)
    expect(page.locator("#new-sprint")).to_be_focused()
