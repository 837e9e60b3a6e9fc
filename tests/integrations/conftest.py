"""A board built the way users build one (through board/services/): owner Olive, member Bob,
viewer Vic; labels, a planned and an active sprint, tasks in every status, checklists and
comments. `run_import` posts a document and runs its job as the worker would."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from board import services
from board.models import Role, Status
from board.services import Actor
from tests.conftest import client_for
from tests.factories import UserFactory


class Team:
    def __init__(self):
        self.olive = UserFactory(username="olive", full_name="Olive Owner", timezone="UTC")
        self.bob = UserFactory(username="bob", full_name="Bob Builder")
        self.vic = UserFactory(username="vic")
        self.actor = Actor(self.olive)
        self.board = services.board_create(
            actor=self.actor, name="Launch", description="Ship it.", timezone="Europe/Berlin"
        )
        for user, role in ((self.bob, Role.MEMBER), (self.vic, Role.VIEWER)):
            services.member_add(actor=self.actor, board_id=self.board.pk, user=user, role=role)
        self.bug = services.label_create(
            actor=self.actor, board_id=self.board.pk, name="Bug", color="#d62728"
        )
        self.ui = services.label_create(
            actor=self.actor, board_id=self.board.pk, name="UI", color="#1f77b4"
        )

    def build(self, tasks_per_column: int = 1, closed: bool = False):
        today = timezone.localdate()
        if closed:  # a sprint finished early: started, its one task done, closed
            done = services.sprint_create(
                actor=self.actor, board_id=self.board.pk, name="Sprint 0",
                end=today + dt.timedelta(days=6),
            )  # fmt: skip
            services.task_create(
                actor=self.actor, board_id=self.board.pk, name="Kickoff", sprint=done,
                status=Status.DONE, started=today, completed=today,
            )  # fmt: skip
            services.sprint_start(actor=self.actor, sprint_id=done.pk)
            services.sprint_close(actor=self.actor, sprint_id=done.pk)
        sprint = services.sprint_create(
            actor=self.actor, board_id=self.board.pk, name="Sprint 1", goal="Beta",
            start=today, end=today + dt.timedelta(days=13),
        )  # fmt: skip
        later = services.sprint_create(
            actor=self.actor, board_id=self.board.pk, name="Sprint 2",
            end=today + dt.timedelta(days=27),
        )  # fmt: skip
        self.sprint, self.later = sprint, later
        services.task_create(
            actor=self.actor, board_id=self.board.pk, name="Idea", description="Later.",
            labels=[self.ui],
        )  # fmt: skip
        self.add_tasks(tasks_per_column)
        services.task_create(actor=self.actor, board_id=self.board.pk, name="Next up", sprint=later)
        services.sprint_start(actor=self.actor, sprint_id=sprint.pk)
        return self

    def add_tasks(self, tasks_per_column: int, first: int = 0) -> None:
        """Tasks in every column of the first sprint, each with a checklist and comments."""
        today = timezone.localdate()
        sprint = self.sprint
        for n in range(first, first + tasks_per_column):
            for status in Status:
                extra = {}
                if status != Status.NOT_STARTED:
                    extra["started"] = today
                if status == Status.DONE:
                    extra["completed"] = today
                task = services.task_create(
                    actor=self.actor, board_id=self.board.pk, name=f"{status.label} {n}",
                    sprint=sprint, status=status, points=Decimal("2.5"), due=today,
                    assigned=self.bob if status % 2 else self.olive,
                    labels=[self.bug, self.ui] if status == Status.TESTING else [self.bug],
                    **extra,
                )  # fmt: skip
                for text, done in (("Write it", True), ("Test it", False)):
                    services.checklist_item_create(
                        actor=self.actor, task_id=task.pk, text=text, done=done
                    )
                services.comment_create(actor=Actor(self.bob), task_id=task.pk, body="On it")
                services.comment_create(actor=self.actor, task_id=task.pk, body="Thanks @bob")


@pytest.fixture
def team(db):
    return Team()


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """POST a document as `user`; the job runs on commit (Huey is immediate in tests).
    Returns (response, job JSON or None)."""

    def run(user, document):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/boards/import/", document, format="json")
        if response.status_code != 202:
            return response, None
        return response, client.get(f"/api/imports/{response.json()['id']}/").json()

    return run
