"""Issue 16 through the page: two users on one board plan a sprint by dragging backlog cards
into it, start it, move cards to Done while both watch the burndown redraw live, then close
it with carry-over and both see the velocity chart.

The tests run in file order and share the board (one planning session). Values are read
from the charts' data tables and SVG descriptions, waiting with expect (no sleeps)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import ARTIFACTS, api, signup
from .pages import dlg, login

LIVE = 5000  # ms: reports are refetched ~300 ms after the events that change them
CARD = '.card:has(.card-open:text-is("{}"))'
BACKLOG = [("Design the schema", 3), ("Write the importer", 5), ("Review the API", 2),
           ("Polish the docs", 1)]  # fmt: skip


@pytest.fixture(scope="module")
def world(server, browser):
    pia = signup(server, "pia", "Pia Planner")
    signup(server, "raf", "Raf Reviewer")
    token = pia["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Harbour app", "description": ""}, token)
    api(server, "POST", f"/api/boards/{board['id']}/members/", {"username": "raf"}, token)
    today = dt.date.today()
    sprints = [
        api(server, "POST", "/api/sprints/",
            {"board": board["id"], "name": name, "goal": goal,
             "end": (today + dt.timedelta(days=days)).isoformat()}, token)
        for name, days, goal in (("Sprint 1", 9, "Import the old data"), ("Sprint 2", 23, ""))
    ]  # fmt: skip
    for name, points in BACKLOG:
        api(server, "POST", "/api/tasks/",
            {"board": board["id"], "sprint": None, "status": 1, "name": name, "points": points},
            token)  # fmt: skip
    pages = {}
    for user in ("pia", "raf"):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        login(page, server.url, user)
        page.goto(f"{server.url}/boards/{board['id']}/?sprint={sprints[0]['id']}")
        expect(page.locator(".conn")).to_have_attribute("data-status", "live", timeout=10_000)
        pages[user] = page
    yield {"board": board, "sprints": sprints, **pages}
    for page in pages.values():
        page.context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def remaining(page: Page):
    """The burndown's last day (today) as the data table gives it."""
    return page.locator(".burndown-table tbody tr").last.locator('td[data-col="remaining"]')


def test_points_show_on_cards_and_the_sprint_is_planned_by_dragging(world):
    pia, raf = world["pia"], world["raf"]
    card = pia.locator(f".column-backlog {CARD.format('Write the importer')}")
    expect(card.locator(".points")).to_contain_text("5 pt")
    expect(card.locator(".points .sr-only")).to_have_text("5 story points")
    expect(pia.locator(".column-backlog .column-points")).to_contain_text("11 pt")
    expect(pia.locator("#sprint-picker option:checked")).to_contain_text("· planned")

    pia.get_by_role("button", name="Plan sprint Sprint 1").click()
    view = dlg(pia)
    expect(view.get_by_role("heading", name="Plan “Sprint 1”")).to_be_visible()
    assert_accessible(pia, "planning view", include="dialog[open]")
    target = view.locator(".plan-sprint")
    for name in ("Design the schema", "Write the importer"):
        view.locator(f'.plan-backlog li:has(.plan-name:text-is("{name}"))').drag_to(target)
        expect(target.locator(f'.plan-name:text-is("{name}")')).to_be_visible(timeout=LIVE)
    # The keyboard's way: a card's own button.
    view.get_by_role("button", name="Add to sprint: Review the API").click()
    expect(view.locator("#plan-sprint-total")).to_have_text("3 cards · 10 pt", timeout=LIVE)
    expect(view.locator("#plan-backlog-total")).to_have_text("1 card · 1 pt")
    shot(pia, "planning-view")
    view.get_by_role("button", name="Done").click()
    expect(pia.locator("dialog[open]")).to_have_count(0)
    # The other screen follows: the cards are in the sprint's Not Started column.
    for name in ("Design the schema", "Write the importer", "Review the API"):
        expect(raf.locator(f".column-s1 {CARD.format(name)}")).to_be_visible(timeout=LIVE)
    expect(raf.locator(".column-s1 .column-points")).to_contain_text("10 pt")


def test_both_watch_the_burndown_as_the_sprint_runs(world):
    pia, raf = world["pia"], world["raf"]
    for page in (pia, raf):
        page.get_by_role("button", name="Reports").click()
        expect(page.locator("#reports-panel")).to_contain_text("The burndown starts when")
    pia.get_by_role("button", name="Start sprint Sprint 1").click()
    for page in (pia, raf):
        expect(remaining(page)).to_have_text("10", timeout=LIVE)
        expect(page.locator("#sprint-picker option:checked")).to_contain_text("· active")
    assert_accessible(raf, "reports panel", include="#reports-panel")

    pia.drag_and_drop(CARD.format("Design the schema"), ".column-s4 .column-head")
    for page in (pia, raf):
        expect(remaining(page)).to_have_text("7", timeout=LIVE)
        expect(page.locator("svg.chart-burndown desc")).to_contain_text("7 of 10 points remain")
    pia.drag_and_drop(CARD.format("Write the importer"), ".column-s4 .column-head")
    for page in (pia, raf):
        expect(remaining(page)).to_have_text("2", timeout=LIVE)
        expect(page.locator(".column-s4 .column-points")).to_contain_text("8 pt")
    expect(raf.locator("svg.chart-burndown")).to_have_attribute("data-remaining", "2")
    shot(raf, "reports-burndown")


def test_closing_carries_unfinished_work_and_velocity_shows_it(world):
    pia, raf = world["pia"], world["raf"]
    first, second = world["sprints"]
    for page in (pia, raf):
        expect(page.locator("#reports-panel")).to_contain_text("No closed sprint yet")
    pia.get_by_role("button", name="Close sprint Sprint 1…").click()
    form = dlg(pia)
    expect(form).to_contain_text("1 unfinished card (2 pt)")
    form.get_by_label("Move unfinished cards to").select_option(label="Sprint 2")
    form.get_by_role("button", name="Close sprint", exact=True).click()
    expect(pia.locator("dialog[open]")).to_have_count(0)
    for page in (pia, raf):
        row = page.locator(f'.velocity-table tr[data-key="{first["id"]}"]')
        expect(row.locator('td[data-col="completed"]')).to_have_text("8", timeout=LIVE)
        expect(row.locator('td[data-col="committed"]')).to_have_text("10")
        expect(page.locator("svg.chart-velocity desc")).to_contain_text(
            "Sprint 1: 8 of 10 points done"
        )
    # The carried card went with the close: Pia follows it to Sprint 2.
    expect(pia.locator("#sprint-picker")).to_have_value(str(second["id"]))
    expect(pia.locator(f".column-s1 {CARD.format('Review the API')}")).to_be_visible(timeout=LIVE)
    raf.locator("#sprint-picker").select_option(str(first["id"]))
    expect(raf.locator("#sprint-picker option:checked")).to_contain_text("· closed")
    expect(raf.get_by_role("button", name="Close sprint Sprint 1…")).to_be_hidden()
    shot(pia, "reports-velocity")


def test_points_are_estimated_in_the_task_dialog(world):
    pia, raf = world["pia"], world["raf"]
    pia.locator(CARD.format("Polish the docs")).locator(".card-open").click()
    points = dlg(pia).get_by_label("Points", exact=True)
    expect(points).to_have_value("1")
    points.fill("1.5")
    pia.get_by_role("button", name="Save changes").click()
    expect(pia.locator("dialog[open]")).to_have_count(0)
    badge = raf.locator(f"{CARD.format('Polish the docs')} .points")
    expect(badge).to_contain_text("1.5 pt", timeout=LIVE)
    expect(raf.locator(".column-backlog .column-points")).to_contain_text("1.5 pt")


def test_the_planning_view_and_reports_work_at_phone_width(world):
    raf = world["raf"]
    second = world["sprints"][1]
    raf.set_viewport_size({"width": 390, "height": 844})
    raf.locator("#sprint-picker").select_option(str(second["id"]))
    raf.get_by_role("button", name="Plan sprint Sprint 2").click()
    view = dlg(raf)
    backlog = view.locator(".plan-backlog").bounding_box()
    sprint = view.locator(".plan-sprint").bounding_box()
    assert sprint["y"] >= backlog["y"] + backlog["height"], "the lists stack on a phone"
    assert sprint["x"] + sprint["width"] <= 390
    expect(view.locator(".plan-sprint")).to_contain_text("Review the API")
    assert_accessible(raf, "planning view", include="dialog[open]")
    shot(raf, "planning-view-phone")
    view.get_by_role("button", name="Done").click()
    assert_accessible(raf, "reports panel", include="#reports-panel")
    shot(raf, "reports-phone")
