"""What every e2e module does to a page: log in through the form, find the open dialog, read
the board as the user sees it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import PASSWORD


def login(page: Page, url: str, username: str, timeout: float = 10_000) -> None:
    page.goto(f"{url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form.auth-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your boards")).to_be_visible(timeout=timeout)


def dlg(page: Page):
    return page.locator("dialog[open]")


def dump(page: Page) -> list:
    """The board as the user sees it: each column's card names, in order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.column[data-column]')].map(c =>
              [c.dataset.column, [...c.querySelectorAll('.card-open')].map(b => b.textContent)])"""
    )


def tool(page: Page, name: str):
    """A board toolbar button by name; on a phone the rarer ones sit behind "More"."""
    expect(page.locator(".board-tools")).to_be_visible(timeout=10_000)  # the board has loaded
    more = page.locator(".tools-more-toggle")
    if more.is_visible() and more.get_attribute("aria-expanded") != "true":
        more.click()
    return page.get_by_role("button", name=name)
