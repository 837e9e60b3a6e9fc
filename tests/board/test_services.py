"""Every service appends exactly one event (seq + 1) in its own transaction and broadcasts
it only after commit; a rolled-back change leaves no event and sends nothing."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from board import realtime, services
from board.models import BoardEvent, Role, Status, Task
from board.services import Actor
from tests.factories import SprintFactory, TaskFactory, UserFactory

TODAY = timezone.localdate()


def _calls(board, member, sprint_factory=SprintFactory):
    """(name, callable) for every board service, each to run once in order."""
    actor = Actor(user=board.owner, client_op_id="op-1")
    newcomer = UserFactory(username="newcomer")
    state = {}

    def sprint_create():
        state["sprint"] = services.sprint_create(
            actor=actor, board_id=board.pk, end=TODAY + dt.timedelta(days=5)
        )

    def task_create():
        state["task"] = services.task_create(
            actor=actor, board_id=board.pk, name="T", sprint=state["sprint"]
        )

    return [
        (realtime.BOARD_UPDATED, lambda: services.board_update(
            actor=actor, board_id=board.pk, name="Renamed")),
        (realtime.MEMBER_ADDED, lambda: services.member_add(
            actor=actor, board_id=board.pk, user=newcomer, role=Role.MEMBER)),
        (realtime.MEMBER_UPDATED, lambda: services.member_update(
            actor=actor, board_id=board.pk, user_id=newcomer.pk, role=Role.VIEWER)),
        (realtime.MEMBER_REMOVED, lambda: services.member_remove(
            actor=actor, board_id=board.pk, user_id=newcomer.pk)),
        (realtime.SPRINT_CREATED, sprint_create),
        (realtime.SPRINT_UPDATED, lambda: services.sprint_update(
            actor=actor, sprint_id=state["sprint"].pk, name="S1")),
        (realtime.TASK_CREATED, task_create),
        (realtime.TASK_UPDATED, lambda: services.task_update(
            actor=actor, task_id=state["task"].pk, name="T2")),
        (realtime.TASK_MOVED, lambda: services.task_move(
            actor=actor, task_id=state["task"].pk, sprint=state["sprint"],
            status=Status.IN_PROGRESS)),
        (realtime.LABEL_CREATED, lambda: state.update(label=services.label_create(
            actor=actor, board_id=board.pk, name="Bug", color="#d62728"))),
        (realtime.LABEL_UPDATED, lambda: services.label_update(
            actor=actor, label_id=state["label"].pk, color="#1f77b4")),
        (realtime.LABEL_DELETED, lambda: services.label_delete(
            actor=actor, label_id=state["label"].pk)),
        (realtime.COMMENT_CREATED, lambda: state.update(comment=services.comment_create(
            actor=actor, task_id=state["task"].pk, body="First"))),
        (realtime.COMMENT_UPDATED, lambda: services.comment_update(
            actor=actor, comment_id=state["comment"].pk, body="Second")),
        (realtime.COMMENT_DELETED, lambda: services.comment_delete(
            actor=actor, comment_id=state["comment"].pk)),
        (realtime.CHECKLIST_ITEM_CREATED, lambda: state.update(item=services.checklist_item_create(
            actor=actor, task_id=state["task"].pk, text="Step"))),
        (realtime.CHECKLIST_ITEM_UPDATED, lambda: services.checklist_item_update(
            actor=actor, item_id=state["item"].pk, done=True)),
        (realtime.CHECKLIST_ITEM_DELETED, lambda: services.checklist_item_delete(
            actor=actor, item_id=state["item"].pk)),
        # A backlog card written without the services (no event) for the plan to take.
        (realtime.SPRINT_PLANNED, lambda: services.sprint_plan(
            actor=actor, sprint_id=state["sprint"].pk,
            tasks=[TaskFactory(board=board, name="Planned").pk])),
        (realtime.SPRINT_STARTED, lambda: services.sprint_start(
            actor=actor, sprint_id=state["sprint"].pk)),
        (realtime.SPRINT_CLOSED, lambda: services.sprint_close(
            actor=actor, sprint_id=state["sprint"].pk, carry_to=None)),
        (realtime.SPRINT_DELETED, lambda: services.sprint_delete(
            actor=actor, sprint_id=state["sprint"].pk)),
        (realtime.TASK_DELETED, lambda: services.task_delete(
            actor=actor, task_id=state["task"].pk)),
        (realtime.TASK_RESTORED, lambda: services.task_restore(
            actor=actor, task_id=state["task"].pk)),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_every_service_appends_one_event_and_broadcasts_it_after_commit(board, member, broadcasts):
    seq = board.last_seq
    calls = _calls(board, member)
    assert {name for name, _ in calls} == set(realtime.EVENT_NAMES)
    for name, call in calls:
        call()
        events = list(BoardEvent.objects.filter(board=board, seq__gt=seq))
        assert [(e.seq, e.name) for e in events] == [(seq + 1, name)]
        assert [(e.seq, e.name) for e in broadcasts[-1:]] == [(seq + 1, name)]
        assert events[0].client_op_id == "op-1" and events[0].actor == board.owner
        seq += 1
    board.refresh_from_db()
    assert board.last_seq == seq
    assert len(broadcasts) == len(calls)


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_appends_and_broadcasts_nothing(board, broadcasts):
    before = board.last_seq
    with pytest.raises(RuntimeError), transaction.atomic():
        services.task_create(actor=Actor(user=board.owner), board_id=board.pk, name="Ghost")
        raise RuntimeError("the caller's transaction fails after the service ran")
    board.refresh_from_db()
    assert board.last_seq == before
    assert not BoardEvent.objects.filter(board=board).exists()
    assert not Task.objects.filter(name="Ghost").exists()
    assert broadcasts == []


@pytest.mark.django_db(transaction=True)
def test_invalid_write_appends_nothing(board, broadcasts):
    with pytest.raises(Exception, match="Backlog"):
        services.task_create(
            actor=Actor(user=board.owner), board_id=board.pk, name="X", status=Status.DONE
        )
    assert not BoardEvent.objects.exists() and broadcasts == []


@pytest.mark.django_db
def test_sprint_delete_returns_tasks_to_backlog_not_started_without_dates(board):
    sprint = SprintFactory(board=board)
    backlog = TaskFactory(board=board, order=5000)
    done = TaskFactory(board=board, sprint=sprint, status=Status.DONE, started=TODAY,
                       completed=TODAY)  # fmt: skip
    doing = TaskFactory(board=board, sprint=sprint, status=Status.IN_PROGRESS, started=TODAY)
    services.sprint_delete(actor=Actor(user=board.owner), sprint_id=sprint.pk)
    rows = list(Task.objects.filter(board=board).order_by("order"))
    assert [t.pk for t in rows] == [backlog.pk, doing.pk, done.pk]
    for task in rows:
        assert (task.sprint_id, task.status, task.started, task.completed) == (
            None, Status.NOT_STARTED, None, None)  # fmt: skip
    event = BoardEvent.objects.get(board=board, name=realtime.SPRINT_DELETED)
    assert event.data["id"] == sprint.pk
    assert {t["id"] for t in event.data["tasks"]} == {done.pk, doing.pk}
    assert all(t["version"] == 2 for t in event.data["tasks"])


@pytest.mark.django_db
def test_member_removal_unassigns_their_tasks_on_that_board(board, member):
    task = TaskFactory(board=board, assigned=member)
    services.member_remove(actor=Actor(user=board.owner), board_id=board.pk, user_id=member.pk)
    task.refresh_from_db()
    assert task.assigned is None and task.version == 2
    event = BoardEvent.objects.get(board=board, name=realtime.MEMBER_REMOVED)
    assert event.data == {
        "user": {"id": member.pk, "username": member.username, "full_name": member.full_name},
        "unassigned": [task.pk],
    }


@pytest.mark.django_db
def test_deleting_a_user_unassigns_tasks(board, member):
    task = TaskFactory(board=board, assigned=member)
    member.delete()
    task.refresh_from_db()
    assert task.assigned is None


@pytest.mark.django_db
def test_an_edit_checks_a_new_assignee_but_not_the_one_that_stays(board, member, outsider):
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = TaskFactory(board=board, assigned=member)
    actor = Actor(user=board.owner)
    with pytest.raises(ValidationError) as refused:
        services.task_update(actor=actor, task_id=task.pk, assigned=outsider)
    assert "assigned" in refused.value.message_dict

    with CaptureQueriesContext(connection) as queries:
        services.task_update(actor=actor, task_id=task.pk, name="renamed")
    assert not [q for q in queries.captured_queries if "board_membership" in q["sql"]]
    task.refresh_from_db()
    assert (task.name, task.assigned_id) == ("renamed", member.pk)
