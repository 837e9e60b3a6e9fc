"""One task_activity row per watcher and card per 10 minutes, in bounded queries."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import Status
from board.services import Actor, _events, watching
from notifications.models import Kind, Notification
from notifications.services.activity import MAX_ITEMS
from tests.factories import MembershipFactory, UserFactory

STATUSES = [Status.IN_PROGRESS, Status.TESTING, Status.DONE, Status.NOT_STARTED]


@pytest.fixture
def card(team):
    return services.task_create(
        actor=Actor(team.owner), board_id=team.board.pk, name="Fix login", sprint=team.sprint,
        assigned=team.ann,
    )  # fmt: skip


def _move(team, card, status, by=None):
    services.task_move(
        actor=Actor(by or team.bob), task_id=card.pk, sprint=team.sprint, status=status
    )


def _notes(user):
    return list(Notification.objects.filter(user=user, kind=Kind.TASK_ACTIVITY).order_by("pk"))


def test_changes_within_ten_minutes_coalesce_into_one_row(team, card, at, pushes, committed):
    with at(0), committed():
        _move(team, card, Status.IN_PROGRESS)
    with at(9.9), committed():
        _move(team, card, Status.TESTING, by=team.owner)
    [note] = _notes(team.ann)
    assert note.data["count"] == 2
    assert [i["what"] for i in note.data["items"]] == ["status", "status"]
    assert [i["actor"]["username"] for i in note.data["items"]] == ["bob", "olive"]
    assert note.title == '2 updates on "Fix login"'
    assert note.updated_at > note.created_at
    # The page replaces the bell's entry: the second push carries the same id, updated.
    assert [f["id"] for _, f in pushes] == [note.pk, note.pk]
    assert pushes[-1][1]["data"]["count"] == 2
    assert pushes[-1][1]["title"] == note.title


def test_after_ten_minutes_a_new_row_opens(team, card, at, committed):
    with at(0), committed():
        _move(team, card, Status.IN_PROGRESS)
    with at(10.01), committed():
        _move(team, card, Status.TESTING)
    first, second = _notes(team.ann)
    assert (first.data["count"], second.data["count"]) == (1, 1)
    assert second.title == 'Activity on "Fix login"'


def test_a_read_row_is_not_reopened(team, card, at, committed, pushes):
    with at(0), committed():
        _move(team, card, Status.IN_PROGRESS)
    [read] = _notes(team.ann)
    with at(1):
        services_read(read)
    with at(2), committed():
        _move(team, card, Status.TESTING)
    first, second = _notes(team.ann)
    assert first.pk == read.pk and first.data["count"] == 1
    assert second.data["count"] == 1 and second.pk != read.pk
    assert pushes[-1][1]["id"] == second.pk


def services_read(note):
    from notifications.services import notification_mark_read

    notification_mark_read(notification=note)


def test_each_card_has_its_own_row(team, card, at, committed):
    other = services.task_create(
        actor=Actor(team.owner), board_id=team.board.pk, name="Other", sprint=team.sprint,
        assigned=team.ann,
    )  # fmt: skip
    with at(0), committed():
        _move(team, card, Status.IN_PROGRESS)
        _move(team, other, Status.IN_PROGRESS)
    assert sorted(n.data["task"] for n in _notes(team.ann)) == sorted([card.pk, other.pk])


def test_a_row_keeps_the_latest_items_and_counts_them_all(team, card, at, committed):
    moves = MAX_ITEMS + 3
    with at(0), committed():
        for n in range(moves):
            _move(team, card, STATUSES[n % len(STATUSES)])
    [note] = _notes(team.ann)
    assert note.data["count"] == moves
    assert len(note.data["items"]) == MAX_ITEMS
    assert note.data["items"][-1]["detail"]["to"] == STATUSES[(moves - 1) % len(STATUSES)]


def _watchers(team, card, n):
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(board=team.board, user=user)
        watching.watch_set(actor=Actor(user), task_id=card.pk, watching=True)


def _notify_queries(team, card):
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        board = _events.board_lock(team.board.pk)
        watching.notify_watchers(
            board=board, task=card, actor=Actor(team.owner), what=watching.COMMENT,
            detail={"comment": 1, "excerpt": "hi"},
        )  # fmt: skip
    return len(ctx.captured_queries)


@pytest.mark.parametrize("coalesced", [False, True], ids=["new rows", "coalesced rows"])
def test_queries_do_not_grow_with_the_watchers(team, card, at, mail_schedules, coalesced):
    counts = []
    for added in (1, 18):  # with ann: 2 watchers, then 20
        _watchers(team, card, added)
        Notification.objects.all().delete()
        with at(0):
            if coalesced:
                _notify_queries(team, card)  # opens the rows the measured call updates
            counts.append(_notify_queries(team, card))
    assert Notification.objects.filter(kind=Kind.TASK_ACTIVITY).count() == 20
    assert counts[0] == counts[1], counts
