"""Board settings over REST: name, description and the board's IANA `timezone` (the creator's
by default), owners only, field errors for bad values, and one `board.updated` event that
carries the new values."""

import pytest

from board.models import Board, BoardEvent
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_board_keeps_its_creators_days_unless_told_otherwise():
    tokyo = client_for(UserFactory(username="kenji", timezone="Asia/Tokyo"))
    assert tokyo.post("/api/boards/", {"name": "Mine"}).json()["timezone"] == "Asia/Tokyo"
    chosen = tokyo.post("/api/boards/", {"name": "Ours", "timezone": "Europe/Paris"}).json()
    assert chosen["timezone"] == "Europe/Paris"
    assert Board.objects.get(pk=chosen["id"]).timezone == "Europe/Paris"


def test_an_owner_renames_and_moves_the_board_in_one_event(board, owner, member):
    api = client_for(owner)
    body = {"name": "Renamed", "description": "Now with a plan", "timezone": "America/Denver"}
    response = api.patch(f"/api/boards/{board.pk}/", body)
    assert response.status_code == 200
    assert {k: response.json()[k] for k in body} == body
    assert client_for(member).get(f"/api/boards/{board.pk}/").json()["timezone"] == (
        "America/Denver"
    )
    event = BoardEvent.objects.filter(board=board).latest("seq")
    assert event.name == "board.updated"
    assert {k: event.data[k] for k in body} == body
    # The same values again: nothing written, no event.
    assert api.patch(f"/api/boards/{board.pk}/", body).status_code == 200
    assert BoardEvent.objects.filter(board=board).latest("seq").seq == event.seq


@pytest.mark.parametrize(
    "body, field",
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": "x" * 65}, "timezone"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_settings_are_field_errors(board, owner, body, field):
    response = client_for(owner).patch(f"/api/boards/{board.pk}/", body)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_members_cannot_change_the_settings(board, member):
    response = client_for(member).patch(f"/api/boards/{board.pk}/", {"timezone": "UTC"})
    assert response.status_code == 403
