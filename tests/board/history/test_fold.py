"""The fold (board/history/state.py) rebuilds the live snapshot from the log alone: after a
history with a change of every kind, the state at the head renders exactly as the live
snapshot does, and every intermediate state is reachable by seq."""

import datetime as dt

import pytest
from django.utils import timezone

from board import selectors, services
from board.history import past
from board.history.replay import state_at
from board.models import Role, Status
from board.representation import RELATIVE
from board.services import Actor
from tests.factories import UserFactory

TODAY = timezone.localdate()


def live_snapshot(board_id, user):
    return selectors.board_snapshot(board_id=board_id, user=user).json(RELATIVE)


def replayed_snapshot(board, user, seq):
    state = state_at(board.pk, seq)
    return past.snapshot_json(state, board, role=state.role_of(user.pk), links=RELATIVE)


@pytest.mark.django_db
def test_every_state_along_a_history_is_the_live_snapshot_of_its_seq():
    owner = UserFactory(username="olive")
    actor = Actor(owner)
    board = services.board_create(actor=actor, name="Fold")
    seen = {}

    def record():
        snap = live_snapshot(board.pk, owner)
        seen[snap["seq"]] = snap

    mate, guest = UserFactory(username="mate"), UserFactory(username="guest")
    record()
    services.member_add(actor=actor, board_id=board.pk, user=mate, role=Role.MEMBER)
    services.member_add(actor=actor, board_id=board.pk, user=guest, role=Role.VIEWER)
    sprint = services.sprint_create(actor=actor, board_id=board.pk, end=TODAY + dt.timedelta(9))
    record()
    a = services.task_create(actor=actor, board_id=board.pk, name="A", sprint=sprint, points=3)
    b = services.task_create(actor=actor, board_id=board.pk, name="B", sprint=sprint, assigned=mate)
    c = services.task_create(actor=actor, board_id=board.pk, name="C", points=0.5)
    record()
    services.task_move(actor=actor, task_id=b.pk, sprint=sprint, status=Status.DONE)
    services.task_move(actor=actor, task_id=a.pk, sprint=sprint, status=Status.DONE, before=b.pk)
    record()
    services.task_update(actor=actor, task_id=c.pk, name="C2", points=None)
    services.member_update(actor=actor, board_id=board.pk, user_id=guest.pk, role=Role.MEMBER)
    services.board_update(actor=actor, board_id=board.pk, name="Fold 2", description="x")
    record()
    # A card's counters (comments, checklist progress) come back from the card events.
    note = services.comment_create(actor=actor, task_id=b.pk, body="Looks done")
    services.comment_create(actor=actor, task_id=b.pk, body="Agreed")
    step = services.checklist_item_create(actor=actor, task_id=a.pk, text="Review")
    services.checklist_item_create(actor=actor, task_id=a.pk, text="Ship", done=True)
    record()
    services.checklist_item_update(actor=actor, item_id=step.pk, done=True)
    services.comment_delete(actor=actor, comment_id=note.pk)
    record()
    services.checklist_item_delete(actor=actor, item_id=step.pk)
    services.member_remove(actor=actor, board_id=board.pk, user_id=mate.pk)
    services.task_delete(actor=actor, task_id=c.pk)
    record()
    services.sprint_update(actor=actor, sprint_id=sprint.pk, name="S", goal="Ship")
    services.sprint_delete(actor=actor, sprint_id=sprint.pk)
    record()
    for seq, snap in seen.items():
        assert replayed_snapshot(board, owner, seq) == snap, seq
