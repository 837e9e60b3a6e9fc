"""The calendar feed: POST/DELETE /api/auth/me/calendar/ issue, rotate and revoke a secret
URL; GET /api/calendar/<secret>.ics is RFC 5545 (parsed back with icalendar)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from board import services
from integrations.models import CalendarFeed
from tests.conftest import client_for


def feed_path(client) -> str:
    response = client.post("/api/auth/me/calendar/")
    assert response.status_code == 201
    url = response.json()["url"]
    assert url.startswith("http://testserver/api/calendar/") and url.endswith(".ics")
    return url.removeprefix("http://testserver")


def events(path: str) -> dict[str, dict]:
    response = APIClient().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {
        str(e["UID"]): {
            "summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"), "url": str(e["URL"]),
            "description": str(e["DESCRIPTION"]),
        }
        for e in calendar.walk("VEVENT")
    }  # fmt: skip


def test_the_feed_lists_my_due_tasks_and_my_sprints_ends(team):
    team.build()
    path = feed_path(client_for(team.bob))
    got = events(path)
    today = timezone.localdate()
    bob_tasks = team.board.tasks.filter(assigned=team.bob)
    assert bob_tasks.count() == 2
    for task in bob_tasks:
        event = got[f"task-{task.pk}@testserver"]
        assert event["summary"] == task.name
        assert (event["start"], event["end"]) == (today, today + dt.timedelta(days=1))
        assert isinstance(event["start"], dt.date) and not isinstance(event["start"], dt.datetime)
        assert event["url"] == f"http://testserver/boards/{team.board.pk}/?task={task.pk}"
        assert "Board: Launch" in event["description"]
        assert "Status: " in event["description"] and "Sprint: Sprint 1" in event["description"]
    # Sprint 1 holds bob's tasks; Sprint 2 none of them: only the first ends in his calendar.
    sprint = got[f"sprint-{team.sprint.pk}@testserver"]
    assert sprint["start"] == team.sprint.end and "Sprint 1" in sprint["summary"]
    assert f"sprint-{team.later.pk}@testserver" not in got
    assert len(got) == 3


def test_uids_are_stable_and_a_moved_due_date_moves_the_event(team):
    team.build()
    path = feed_path(client_for(team.bob))
    task = team.board.tasks.filter(assigned=team.bob).first()
    later = timezone.localdate() + dt.timedelta(days=3)
    services.task_update(actor=team.actor, task_id=task.pk, due=later)
    assert events(path)[f"task-{task.pk}@testserver"]["start"] == later


def test_rotating_kills_the_old_url_and_delete_turns_it_off(team):
    client = client_for(team.bob)
    old = feed_path(client)
    new = feed_path(client)
    assert old != new
    assert APIClient().get(old).status_code == 404
    assert APIClient().get(new).status_code == 200
    assert client.delete("/api/auth/me/calendar/").status_code == 204
    assert APIClient().get(new).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_only_a_hash_is_stored(team):
    path = feed_path(client_for(team.bob))
    secret = path.removeprefix("/api/calendar/").removesuffix(".ics")
    stored = CalendarFeed.objects.get(user=team.bob).secret_hash
    assert secret not in stored and len(stored) == 64


@pytest.mark.parametrize("secret", ["nope", "x" * 500, "%00", "..%2f"])
def test_unknown_secrets_are_404(db, secret):
    assert APIClient().get(f"/api/calendar/{secret}.ics").status_code == 404


def test_managing_the_feed_needs_a_login(db):
    assert APIClient().post("/api/auth/me/calendar/").status_code == 401


@pytest.mark.parametrize("scope", ["write", "read"])
def test_a_personal_access_token_gets_403(team, scope):
    from realtime_scrum.accounts.api_tokens import token_create

    made = token_create(user=team.bob, name="ci", scope=scope, board_ids=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {made.token}")
    assert client.get("/api/auth/me/").status_code == 200  # the token itself works
    assert client.post("/api/auth/me/calendar/").status_code == 403
    assert client.delete("/api/auth/me/calendar/").status_code == 403
    assert CalendarFeed.objects.count() == 0


def _queries(path) -> int:
    with CaptureQueriesContext(connection) as queries:
        APIClient().get(path)
    return len(queries)


def test_the_feed_costs_the_same_queries_for_more_tasks(team):
    team.build()
    path = feed_path(client_for(team.bob))
    few = _queries(path)
    team.add_tasks(5, first=1)
    assert _queries(path) == few <= 4
