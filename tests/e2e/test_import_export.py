"""The boards page's import and export: a Trello export picked in the file chooser becomes a
new board (progress, notes, a link to it, its columns); a board's Export button saves its
`realtime-scrum/1` document. axe runs over the page with the import's result showing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .a11y import assert_accessible
from .conftest import api, signup
from .pages import login

LIVE = 15_000  # ms: the machine is shared and loaded (patient_expect)
TRELLO = Path(__file__).parents[1] / "integrations" / "fixtures" / "trello_board.json"


@pytest.fixture(scope="module")
def world(server):
    access = signup(server, "ines", "Ines Import")["access"]
    board = api(server, "POST", "/api/boards/", {"name": "Roadmap"}, access)
    return {"access": access, "board": board}


@pytest.fixture
def page(browser, patient_expect):
    context = browser.new_context(viewport={"width": 1280, "height": 820}, accept_downloads=True)
    yield context.new_page()
    context.close()


def test_a_trello_export_imports_into_a_new_board(server, world, page: Page):
    login(page, server.url, "ines")
    panel = page.locator(".import-board")
    panel.get_by_label("Choose a file…").set_input_files(str(TRELLO))
    # Notes: the archived cards, and Trello's members who have no account here.
    expect(panel.get_by_role("status")).to_have_text(re.compile(r"^Imported, with \d+ notes\.$"))
    expect(panel.locator(".import-notes li").first).to_contain_text("2 archived card(s)")
    assert_accessible(page, "boards-import")
    panel.get_by_role("link", name="Open the imported board").click()
    expect(page.get_by_role("heading", name="Website relaunch")).to_be_visible()
    for name in ("Dark mode", "Contact form", "Accessibility audit", "Pick a font"):
        expect(page.locator(".card-open", has_text=name)).to_be_visible()
    assert not page.locator(".card-open", has_text="Flash intro animation").count()


def test_a_file_that_is_not_json_is_refused_before_upload(server, world, page: Page, tmp_path):
    login(page, server.url, "ines")
    bad = tmp_path / "board.json"
    bad.write_text("{not json")
    page.locator(".import-board").get_by_label("Choose a file…").set_input_files(str(bad))
    expect(page.locator(".import-board").get_by_role("status")).to_have_text(
        "The file is not JSON."
    )


def test_export_saves_the_boards_document(server, world, page: Page):
    login(page, server.url, "ines")
    card = page.locator(f'.board-card[data-board-id="{world["board"]["id"]}"]')
    with page.expect_download() as download:
        card.get_by_role("button", name="Export").click()
    saved = download.value
    assert saved.suggested_filename == f"roadmap-{world['board']['id']}.json"
    document = json.loads(Path(saved.path()).read_text())
    assert (document["format"], document["board"]["name"]) == ("realtime-scrum/1", "Roadmap")
