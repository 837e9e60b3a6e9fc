"""A board made the way users make one (services.board_create): its owner Olive, members Bob
and Mia, a viewer Vic, an outsider Otto, and a card; pushes and mails captured."""

import pytest
from django.core import mail

from board import services
from board.models import Comment, Role
from board.services import Actor
from board.services import comments as comment_services
from tests.conftest import client_for
from tests.factories import UserFactory


class Team:
    def __init__(self):
        self.olive = UserFactory(username="olive", full_name="Olive Owner")
        self.board = services.board_create(actor=Actor(self.olive), name="Cards")
        self.bob = self.add("bob", Role.MEMBER)
        self.mia = self.add("mia", Role.MEMBER)
        self.vic = self.add("vic", Role.VIEWER)
        self.otto = UserFactory(username="otto")
        self.task = services.task_create(
            actor=Actor(self.olive), board_id=self.board.pk, name="Fix login"
        )

    def add(self, username: str, role: str):
        user = UserFactory(username=username)
        services.member_add(actor=Actor(self.olive), board_id=self.board.pk, user=user, role=role)
        return user

    def comment(self, user, body: str, task=None) -> Comment:
        return comment_services.comment_create(
            actor=Actor(user), task_id=(task or self.task).pk, body=body
        )

    def edit(self, user, comment: Comment, body: str) -> Comment:
        return comment_services.comment_update(actor=Actor(user), comment_id=comment.pk, body=body)

    def delete(self, user, comment: Comment) -> None:
        comment_services.comment_delete(actor=Actor(user), comment_id=comment.pk)

    def api(self, user):
        return client_for(user)


@pytest.fixture
def team(db):
    return Team()


@pytest.fixture
def pushes(monkeypatch):
    """Personal frames sent after commit, as (user id, frame)."""
    sent = []
    monkeypatch.setattr(
        "realtime_scrum.sockets.groups.push_to_users", lambda pairs: sent.extend(pairs)
    )
    return sent


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block schedules on commit (broadcasts, pushes, mail tasks) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def mention_mails(to: str | None = None):
    return [
        m for m in mail.outbox
        if "mentioned you" in m.subject and (to is None or m.to == [to])
    ]  # fmt: skip
