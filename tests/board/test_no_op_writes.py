"""A write that changes nothing bumps nothing and emits nothing (a needless version bump
makes every other editor's next save a 409), one version rule holds for every row, and a
service's parameters are explicit: a misspelt field is an error, not a silently dropped key."""

import datetime as dt

import pytest
from django.utils import timezone

from board import services
from board.models import BoardEvent, Role, Status
from board.services import Actor
from tests.factories import MembershipFactory, SprintFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _events(board) -> int:
    return BoardEvent.objects.filter(board=board).count()


@pytest.fixture
def task(board):
    return TaskFactory(board=board, name="Card", description="d")


def test_a_patch_of_read_only_fields_only_changes_nothing(api, board, task):
    before = _events(board)
    body = {"order": 5, "created_at": "2020-01-01T00:00:00Z", "status_display": "x", "id": 9}
    response = api.patch(f"/api/tasks/{task.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == task.version == 1
    assert response["ETag"] == '"1"'
    assert _events(board) == before


def test_a_patch_with_the_same_values_changes_nothing(api, board, task):
    before = _events(board)
    response = api.patch(f"/api/tasks/{task.pk}/", {"name": "Card", "description": "d"})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert _events(board) == before
    response = api.patch(f"/api/tasks/{task.pk}/", {"name": "Card 2"})
    assert response.json()["version"] == 2 and _events(board) == before + 1


def test_a_move_to_where_the_card_already_is_changes_nothing(api, board):
    first, second = TaskFactory(board=board), TaskFactory(board=board)
    before = _events(board)
    move = {"sprint": None, "status": Status.NOT_STARTED, "before": second.pk}
    response = api.post(f"/api/tasks/{first.pk}/move/", move, format="json")
    assert response.status_code == 200 and response.json()["version"] == 1
    response = api.post(
        f"/api/tasks/{second.pk}/move/", {"sprint": None, "status": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 1
    assert _events(board) == before
    response = api.post(
        f"/api/tasks/{second.pk}/move/", {**move, "before": first.pk}, format="json"
    )
    assert response.json()["version"] == 2 and _events(board) == before + 1


def test_sprint_board_and_member_writes_that_change_nothing_emit_nothing(api, board, member):
    sprint = SprintFactory(board=board, name="S", end=TODAY + dt.timedelta(days=3))
    owner = Actor(board.owner)
    viewer = MembershipFactory(board=board, user=UserFactory(), role=Role.VIEWER).user
    before = _events(board)
    response = api.patch(f"/api/sprints/{sprint.pk}/", {"name": "S", "end": str(sprint.end)})
    assert response.status_code == 200 and response.json()["version"] == 1
    services.board_update(actor=owner, board_id=board.pk, name=board.name)
    services.member_update(actor=owner, board_id=board.pk, user_id=viewer.pk, role=Role.VIEWER)
    assert _events(board) == before


def test_deleting_a_sprint_honours_its_version(api, board):
    sprint = SprintFactory(board=board, end=TODAY + dt.timedelta(days=3))
    api.patch(f"/api/sprints/{sprint.pk}/", {"name": "renamed"})
    stale = api.delete(f"/api/sprints/{sprint.pk}/", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409 and stale.json()["current"]["name"] == "renamed"
    fresh = api.delete(f"/api/sprints/{sprint.pk}/", HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 204


@pytest.mark.parametrize(
    "service, kwargs",
    [
        (services.task_update, {"nmae": "typo"}),
        (services.task_create, {"board_id": 1, "name": "x", "estimate": 3}),
        (services.sprint_update, {"title": "typo"}),
        (services.board_update, {"owner": None}),
    ],
)
def test_a_misspelt_field_is_an_error_not_a_dropped_key(board, service, kwargs):
    ids = {"task_update": "task_id", "sprint_update": "sprint_id", "board_update": "board_id"}
    extra = {ids[service.__name__]: 1} if service.__name__ in ids else {}
    with pytest.raises(TypeError):
        service(actor=Actor(board.owner), **extra, **kwargs)
