"""A board made by services with an owner, two members and a viewer; pushes and mail
schedules recorded after commit."""

import datetime as dt

import pytest
import time_machine

from board import services
from board.models import Role
from board.services import Actor
from board.services.rules import board_today
from tests.factories import UserFactory

T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def team(db, broadcasts):
    """owner (olive), members ann and bob, viewer vic; `board`, `actor(user)`."""
    olive = UserFactory(username="olive")
    board = services.board_create(actor=Actor(olive), name="Cards")

    class Team:
        pass

    team = Team()
    team.board, team.owner = board, olive
    for name, role in (("ann", Role.MEMBER), ("bob", Role.MEMBER), ("vic", Role.VIEWER)):
        user = UserFactory(username=name)
        services.member_add(actor=Actor(olive), board_id=board.pk, user=user, role=role)
        setattr(team, name, user)
    # Only a sprint's cards leave "Not Started"
    end = board_today(board) + dt.timedelta(days=14)
    team.sprint = services.sprint_create(actor=Actor(olive), board_id=board.pk, end=end)
    return team


@pytest.fixture
def pushes(monkeypatch):
    """(user id, frame) of every personal push, in order, as sent after commit."""
    sent = []
    monkeypatch.setattr(
        "realtime_scrum.sockets.groups.push_to_users", lambda batch: sent.extend(batch)
    )
    return sent


@pytest.fixture
def mail_schedules(monkeypatch):
    """The (args, kwargs) of each activity mail the services ask Huey to schedule."""
    calls = []
    monkeypatch.setattr(
        "notifications.tasks.activity_mail.schedule", lambda *a, **kw: calls.append((a, kw))
    )
    return calls


@pytest.fixture
def at():
    """`with at(minutes): ...` freezes the clock at T0 + minutes."""

    def travel(minutes: float = 0):
        return time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False)

    return travel


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block scheduled on commit as it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
