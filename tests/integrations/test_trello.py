"""A Trello board's JSON export (a hand-written fixture in Trello's format) imports into
exactly the board the rules in docs/integrations.md promise."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from board.models import Board, Membership, SprintState
from integrations.services.trello import IMPORTED_SPRINT
from tests.conftest import client_for
from tests.factories import UserFactory

FIXTURE = Path(__file__).parent / "fixtures" / "trello_board.json"


@pytest.fixture
def trello():
    return json.loads(FIXTURE.read_text())


@pytest.fixture
def olive(db):
    # Berlin: Trello's due "2026-12-05T23:30Z" is the 6th there.
    return UserFactory(username="olive", timezone="Europe/Berlin")


def test_a_trello_board_imports_as_expected(olive, trello, run_import):
    response, job = run_import(olive, trello)
    assert response.status_code == 202
    assert job["state"] == "done", job
    assert job["errors"] == [
        "2 archived card(s), or cards of archived lists, were skipped.",
        "Member 'trevor' has no account here: not added.",
        "Task 'Header overlaps the menu on Safari': 'trevor' is not a member: unassigned.",
    ]
    board = Board.objects.get(pk=job["board"])
    assert (board.owner, board.timezone) == (olive, "Europe/Berlin")
    assert list(
        Membership.objects.filter(board=board).values_list("user__username", flat=True)
    ) == ["olive"]
    doc = client_for(olive).get(f"/api/boards/{board.pk}/export/").json()
    assert doc["board"]["name"] == "Website relaunch"
    assert doc["board"]["description"] == "Everything for the new marketing site."
    assert doc["labels"] == [
        {"name": "Bug", "color": "#f87168"},
        {"name": "Docs", "color": "#6cc3e0"},
        {"name": "Feature", "color": "#4bce97"},
        {"name": "yellow", "color": "#f5cd47"},
    ]
    (sprint,) = doc["sprints"]
    assert (sprint["name"], sprint["state"]) == (IMPORTED_SPRINT, SprintState.PLANNED)
    today = timezone.localdate(timezone=dt.UTC)
    assert dt.date.fromisoformat(sprint["end"]) - today in (dt.timedelta(14), dt.timedelta(15))
    columns = [(t["sprint"], t["status"], t["position"], t["name"]) for t in doc["tasks"]]
    assert columns == [
        (None, 1, 0, "Dark mode"),
        (None, 1, 1, "Blog section"),
        ("s1", 2, 0, "Header overlaps the menu on Safari"),
        ("s1", 2, 1, "Contact form"),
        ("s1", 3, 0, "Accessibility audit"),
        ("s1", 4, 0, "Pick a font"),
        ("s1", 4, 1, "Domain and TLS"),
    ]
    tasks = {t["name"]: t for t in doc["tasks"]}
    assert tasks["Dark mode"]["labels"] == ["Feature", "yellow"]
    assert tasks["Accessibility audit"]["labels"] == ["Bug", "Docs"]
    assert tasks["Contact form"]["description"] == "Send to the sales inbox; spam filter."
    assert tasks["Contact form"]["checklist"] == [
        {"text": "Form fields", "done": True},
        {"text": "Mail to sales@", "done": True},
        {"text": "Spam filter", "done": False},
    ]
    assert tasks["Accessibility audit"]["checklist"] == [
        {"text": "Contrast", "done": True},
        {"text": "Keyboard navigation", "done": False},
    ]
    assert [(c["author"], c["body"]) for c in tasks["Contact form"]["comments"]] == [
        ("olive", "Using the existing SMTP relay."),
        ("olive", "(originally by trevor) Sales wants a phone field too."),
    ]
    assert [c["body"] for c in tasks["Header overlaps the menu on Safari"]["comments"]] == [
        "(originally by trevor) Still broken on iOS 17.1"
    ]
    assert [c["body"] for c in tasks["Pick a font"]["comments"]] == ["Inter it is."]
    assert tasks["Header overlaps the menu on Safari"]["due"] == "2026-12-06"
    assert tasks["Contact form"]["due"] == "2026-12-10"
    assert (tasks["Contact form"]["assigned"], tasks["Pick a font"]["assigned"]) == ("olive",) * 2
    assert tasks["Header overlaps the menu on Safari"]["assigned"] is None


def test_a_board_of_backlog_lists_only_needs_no_sprint(olive, trello, run_import):
    for row in trello["lists"]:
        row["name"] = f"Column {row['pos']}"
    _, job = run_import(olive, trello)
    doc = client_for(olive).get(f"/api/boards/{job['board']}/export/").json()
    assert doc["sprints"] == []
    assert {t["status"] for t in doc["tasks"]} == {1}
    assert [t["name"] for t in doc["tasks"]][:2] == ["Dark mode", "Blog section"]


def test_a_long_card_name_is_cut_and_kept_in_the_description(olive, trello, run_import):
    trello["cards"][0]["name"] = "Blog " + "x" * 200
    _, job = run_import(olive, trello)
    doc = client_for(olive).get(f"/api/boards/{job['board']}/export/").json()
    blog = next(t for t in doc["tasks"] if t["name"].startswith("Blog x"))
    assert len(blog["name"]) == 100
    assert blog["description"].startswith("Blog " + "x" * 200)
    assert any("cut to 100 characters" in e for e in job["errors"])


def test_a_trello_shape_error_is_a_400(olive):
    response = client_for(olive).post(
        "/api/boards/import/", {"name": "b", "lists": [], "cards": [{"id": "x"}]}, format="json"
    )
    assert response.status_code == 400
    assert any("cards.0" in m for m in response.json()["document"])
