"""GET/PUT /api/tasks/{id}/watch/: members and viewers choose; outsiders see nothing."""

import pytest

from board import services
from board.access import MAX_ID
from board.services import Actor
from tests.conftest import client_for


@pytest.fixture
def card(team):
    return services.task_create(actor=Actor(team.owner), board_id=team.board.pk, name="Card")


def url(task_id) -> str:
    return f"/api/tasks/{task_id}/watch/"


def test_a_member_watches_and_unwatches(team, card):
    api = client_for(team.bob)
    assert api.get(url(card.pk)).json() == {"watching": False}
    response = api.put(url(card.pk), {"watching": True}, format="json")
    assert (response.status_code, response.json()) == (200, {"watching": True})
    assert api.get(url(card.pk)).json() == {"watching": True}
    assert api.put(url(card.pk), {"watching": False}, format="json").json() == {"watching": False}
    assert api.get(url(card.pk)).json() == {"watching": False}


def test_the_assignee_sees_they_watch(team):
    task = services.task_create(
        actor=Actor(team.owner), board_id=team.board.pk, name="Card", assigned=team.ann
    )
    assert client_for(team.ann).get(url(task.pk)).json() == {"watching": True}


def test_a_viewer_may_watch(team, card):
    response = client_for(team.vic).put(url(card.pk), {"watching": True}, format="json")
    assert (response.status_code, response.json()) == (200, {"watching": True})


def test_one_users_choice_is_not_anothers(team, card):
    client_for(team.bob).put(url(card.pk), {"watching": True}, format="json")
    assert client_for(team.ann).get(url(card.pk)).json() == {"watching": False}


@pytest.mark.parametrize("method", ["get", "put"])
def test_an_outsider_gets_404(team, card, outsider, method):
    response = getattr(client_for(outsider), method)(
        url(card.pk), {"watching": True}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("task_id", ["999999", str(MAX_ID), str(MAX_ID + 1)])
def test_unknown_and_out_of_range_ids_are_404(team, task_id):
    assert client_for(team.bob).get(url(task_id)).status_code == 404


def test_a_trashed_card_is_404(team, card):
    services.task_delete(actor=Actor(team.owner), task_id=card.pk)
    assert (
        client_for(team.bob).put(url(card.pk), {"watching": True}, format="json").status_code == 404
    )


@pytest.mark.parametrize("body", [{}, {"watching": None}, {"watching": "maybe"}, {"watching": [1]}])
def test_a_bad_body_is_400_with_the_field(team, card, body):
    response = client_for(team.bob).put(url(card.pk), body, format="json")
    assert response.status_code == 400
    assert "watching" in response.json()


def test_anonymous_is_401(team, card):
    from rest_framework.test import APIClient

    assert APIClient().get(url(card.pk)).status_code == 401
