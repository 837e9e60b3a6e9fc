"""Webhooks in board settings: the owner adds one (the secret shown once, with Copy), a
change reaches a real receiver signed with that secret, the delivery log shows it and
Redeliver sends it again, ping, delete; the panel fits a phone. The server runs Huey in
immediate mode, so a committed change is delivered before its response returns."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from tests.support.webhook_receiver import Receiver

from .a11y import assert_accessible
from .conftest import api, signup
from .pages import dlg, login, tool

LIVE = 10_000  # ms: generous, the machine is shared


@pytest.fixture(scope="module")
def world(server, browser, patient_expect):
    owner = signup(server, "whmira", "Mira Holt")
    board = api(server, "POST", "/api/boards/", {"name": "Hooked board"}, owner["access"])
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    login(page, server.url, "whmira")
    page.goto(f"{server.url}/boards/{board['id']}/")
    expect(page.locator(".conn")).to_have_attribute("data-status", "live")
    with Receiver() as receiver:
        yield {"server": server, "board": board, "token": owner["access"], "page": page,
               "receiver": receiver}  # fmt: skip
    context.close()


def test_the_owner_adds_a_webhook_and_its_deliveries_arrive_signed(world):
    page, receiver = world["page"], world["receiver"]
    tool(page, "Board settings").click()
    panel = dlg(page).locator(".webhooks-panel")
    expect(panel.get_by_text("No webhooks yet.")).to_be_visible()
    # A URL that is not http(s) is refused with a message under the field.
    panel.get_by_label("URL").fill("ftp://example.com/x")
    panel.get_by_role("button", name="Add webhook").click()
    expect(panel.get_by_label("URL")).to_have_attribute("aria-invalid", "true")
    panel.get_by_label("URL").fill(receiver.url)
    panel.get_by_label("Events").fill("task.*")
    panel.get_by_role("button", name="Add webhook").click()
    secret_box = panel.locator(".webhook-secret")
    expect(secret_box).to_contain_text("shown only now")
    expect(secret_box.get_by_role("button", name="Copy")).to_be_visible()
    secret = secret_box.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    row = panel.locator(".webhook-row")
    expect(row).to_contain_text(receiver.url)
    expect(row).to_contain_text("task.*")
    assert_accessible(page, "webhooks panel", include="dialog[open]")

    created = api(world["server"], "POST", "/api/tasks/",
                  {"board": world["board"]["id"], "name": "Ship it"}, world["token"])  # fmt: skip
    (request,) = receiver.wait_for(1)
    event = Webhook(secret).verify(request.body, request.headers)
    assert event["name"] == "task.created" and event["data"]["id"] == created["id"]

    row.get_by_role("button", name="Deliveries").click()
    log = row.locator(".webhook-table")
    expect(log.locator("tbody tr")).to_have_count(1)
    expect(log.locator("tbody tr").first).to_contain_text(str(event["seq"]))
    expect(log.locator("tbody tr").first).to_contain_text("200")
    log.get_by_role("button", name=f"Redeliver event {event['seq']}").click()
    again = receiver.wait_for(2)[1]
    assert again.headers["webhook-id"] == request.headers["webhook-id"]
    assert json.loads(again.body)["seq"] == event["seq"]
    expect(log.locator("tbody tr")).to_have_count(2)

    row.get_by_role("button", name="Ping").click()
    expect(page.locator("#toasts")).to_contain_text("Ping answered")
    assert receiver.wait_for(3)[2].headers["X-Scrum-Event"] == "webhook.ping"


def test_the_panel_fits_a_phone(world, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    try:
        login(page, world["server"].url, "whmira")
        page.goto(f"{world['server'].url}/boards/{world['board']['id']}/")
        tool(page, "Board settings").click()
        panel = dlg(page).locator(".webhooks-panel")
        for control in (
            panel.locator(".webhook-url"),
            panel.get_by_role("button", name="Deliveries"),
            panel.get_by_role("button", name="Add webhook"),
        ):
            control.scroll_into_view_if_needed()
            box = control.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    finally:
        context.close()


def test_the_owner_deletes_the_webhook_after_confirming(world):
    page = world["page"]
    panel = dlg(page).first.locator(".webhooks-panel")
    panel.get_by_role("button", name="Delete…").click()
    confirm = page.locator("dialog[open]").last
    expect(confirm).to_contain_text("Delete this webhook?")
    confirm.get_by_role("button", name="Delete webhook").click()
    expect(panel.get_by_text("No webhooks yet.")).to_be_visible()
