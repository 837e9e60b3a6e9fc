"""`GET /api/boards/{id}/snapshot/?seq=N|?at=<ISO 8601>`: the board as it stood then, in the
live snapshot's shape plus "as_of"; every bad parameter a 400 with its field named."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import BoardEvent, Role
from board.services import Actor
from tests.conftest import client_for
from tests.factories import UserFactory

from .support import clock_at, days_ago, past_body, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """A board built a day ago, one event a minute: joined (1), task A (2), renamed (3),
    mate added (4), task B (5)."""
    owner, mate = UserFactory(username="olive"), UserFactory(username="mate")
    actor = Actor(owner)
    with clock_at(days_ago(1)) as clock:
        board = services.board_create(actor=actor, name="Past", timezone="Europe/Paris")
        clock.tick(minutes=1)
        task = services.task_create(actor=actor, board_id=board.pk, name="A", points=3)
        clock.tick(minutes=1)
        services.task_update(actor=actor, task_id=task.pk, name="A2")
        clock.tick(minutes=1)
        services.member_add(actor=actor, board_id=board.pk, user=mate, role=Role.VIEWER)
        clock.tick(minutes=1)
        services.task_create(actor=Actor(owner), board_id=board.pk, name="B")
    board.refresh_from_db()
    return board, owner, mate


def event_time(board, seq):
    return BoardEvent.objects.get(board=board, seq=seq).created_at


def test_a_past_seq_shows_the_board_as_it_was_with_the_marker(history):
    board, owner, _ = history
    body = snapshot(client_for(owner), board.pk, seq=2).json()
    assert body["seq"] == body["board"]["seq"] == 2
    assert [t["name"] for t in body["tasks"]] == ["A"]
    assert [m["user"]["username"] for m in body["members"]] == ["olive"]
    at = event_time(board, 2).isoformat().replace("+00:00", "Z")
    assert body["as_of"] == {"seq": 2, "at": at}
    assert set(body) == {"board", "members", "sprints", "tasks", "labels", "seq", "epoch", "as_of"}


def test_the_live_snapshot_has_no_marker_and_equals_the_past_view_at_its_head(history):
    board, owner, _ = history
    client = client_for(owner)
    live = snapshot(client, board.pk).json()
    assert "as_of" not in live and live["seq"] == 5
    assert past_body(client, board.pk, seq=5) == live


def test_seq_zero_is_the_board_as_created_before_anyone_joined(history):
    board, owner, _ = history
    body = snapshot(client_for(owner), board.pk, seq=0).json()
    assert (body["seq"], body["members"], body["tasks"]) == (0, [], [])
    assert body["board"]["name"] == "Past" and body["board"]["role"] == "owner"
    assert body["as_of"]["seq"] == 0


def test_an_instant_picks_the_last_event_at_or_before_it(history):
    board, owner, _ = history
    client = client_for(owner)
    third = event_time(board, 3)
    assert past_body(client, board.pk, at=third.isoformat()) == past_body(client, board.pk, seq=3)
    between = (third + dt.timedelta(seconds=30)).isoformat()
    assert snapshot(client, board.pk, at=between).json()["as_of"]["seq"] == 3
    # The owner joined in the instant the board was made (one clock tick here).
    assert snapshot(client, board.pk, at=board.created_at.isoformat()).json()["seq"] == 1
    before = (board.created_at - dt.timedelta(microseconds=1)).isoformat()
    assert "created" in snapshot(client, board.pk, at=before).json()["at"]


def test_an_instant_without_offset_is_read_in_the_boards_zone(history):
    board, owner, _ = history
    fourth = event_time(board, 4)
    paris = fourth.astimezone(zoneinfo.ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    utc = fourth.astimezone(dt.UTC).replace(tzinfo=None)
    client = client_for(owner)
    assert snapshot(client, board.pk, at=paris.isoformat()).json()["as_of"]["seq"] == 4
    # The UTC wall time read in Paris is an hour or two earlier: before the board existed.
    assert "created" in snapshot(client, board.pk, at=utc.isoformat()).json()["at"]


def test_an_unencoded_plus_offset_still_reads(history):
    board, owner, _ = history
    at = event_time(board, 3).astimezone(dt.timezone(dt.timedelta(hours=2)))
    spaced = at.isoformat().replace("+", " ")
    assert snapshot(client_for(owner), board.pk, at=spaced).json()["as_of"]["seq"] == 3


def test_a_member_who_joined_later_sees_the_past_with_their_role_now(history):
    board, _, mate = history
    client = client_for(mate)
    assert snapshot(client, board.pk, seq=2).json()["board"]["role"] == "viewer"
    assert snapshot(client, board.pk, seq=4).json()["board"]["role"] == "viewer"


def test_non_members_get_404_whatever_they_ask(history):
    board, _, _ = history
    outsider = client_for(UserFactory(username="out"))
    for params in ({"seq": 1}, {"seq": "x"}, {"at": "yesterday"}):
        assert snapshot(outsider, board.pk, **params).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"seq": "6"}, "seq"),  # past the head
        ({"seq": "-1"}, "seq"),
        ({"seq": "two"}, "seq"),
        ({"seq": ""}, "seq"),
        ({"seq": "1.5"}, "seq"),
        ({"seq": "9" * 40}, "seq"),  # past 64 bits
        ({"seq": "1", "at": "2026-01-01T00:00:00Z"}, "at"),
        ({"at": "yesterday"}, "at"),
        ({"at": ""}, "at"),
        ({"at": "2026-13-01T00:00:00Z"}, "at"),
        ({"at": "10000-01-01T00:00:00Z"}, "at"),
        ({"at": "0001-01-01T00:00:00+05:00"}, "at"),  # before year 1 in UTC
        ({"at": "9999-12-31T23:59:59-05:00"}, "at"),  # after 9999 in UTC
        ({"at": "2000-01-01T00:00:00Z"}, "at"),  # before the board existed
        ({"at": "2999-01-01T00:00:00Z"}, "at"),  # the future
        ({"at": "2026-01-01T00:00:00Z\x00"}, "at"),
    ],
)
def test_bad_parameters_get_400_naming_the_field(history, params, field):
    board, owner, _ = history
    response = snapshot(client_for(owner), board.pk, **params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_lone_surrogates_and_nul_bytes_get_400(history):
    board, owner, _ = history
    client = client_for(owner)
    for raw in ("2026-01-01T00:00:00%ED%A0%80", "%00", "1%00"):
        for name in ("seq", "at"):
            response = client.get(f"/api/boards/{board.pk}/snapshot/?{name}={raw}")
            assert response.status_code == 400, (name, raw, response.content)


def test_a_past_view_costs_a_bounded_number_of_queries_whatever_the_history(history):
    board, owner, _ = history
    client = client_for(owner)
    actor = Actor(owner)
    with CaptureQueriesContext(connection) as short:
        snapshot(client, board.pk, seq=3)
    for n in range(40):
        services.task_create(actor=actor, board_id=board.pk, name=f"T{n}")
    for params in ({"seq": 44}, {"at": days_ago(0).isoformat()}):
        with CaptureQueriesContext(connection) as long:
            assert snapshot(client, board.pk, **params).status_code == 200
        assert len(long) <= len(short) + 1, [q["sql"] for q in long]
