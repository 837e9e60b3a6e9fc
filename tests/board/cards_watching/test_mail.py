"""Activity mail: scheduled once per new row, WINDOW later; sent then if still unread."""

import pytest
from django.core import mail
from django.db import transaction

from board import services
from board.models import Status
from board.services import Actor
from notifications.models import Kind, Notification
from notifications.services.activity import activity_mail_send
from notifications.tasks import activity_mail


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


def _note(user):
    return Notification.objects.get(user=user, kind=Kind.TASK_ACTIVITY)


def test_a_new_row_schedules_its_mail_when_the_window_closes(
    team, card, at, committed, mail_schedules
):
    with at(0), committed():
        _move(team, card, Status.IN_PROGRESS)
    assert mail_schedules == [((), {"args": ([_note(team.ann).pk],), "delay": 600})]
    with at(5), committed():
        _move(team, card, Status.TESTING)
    assert len(mail_schedules) == 1  # a coalesced update sends no second mail


def test_nothing_is_scheduled_before_the_commit_or_after_a_rollback(
    team, card, mail_schedules, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _move(team, card, Status.IN_PROGRESS)
        raise RuntimeError("rolled back")
    assert mail_schedules == []
    assert not Notification.objects.filter(kind=Kind.TASK_ACTIVITY).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _move(team, card, Status.IN_PROGRESS)
    assert mail_schedules == []
    for callback in callbacks:
        callback()
    assert len(mail_schedules) == 1


def test_no_mail_is_scheduled_for_users_who_turned_it_off_or_have_no_address(
    team, card, committed, mail_schedules
):
    team.ann.activity_mail = False
    team.ann.save()
    with committed():
        _move(team, card, Status.IN_PROGRESS)
    assert _note(team.ann)  # the bell still rings
    assert mail_schedules == []


def test_the_mail_lists_what_happened_with_a_link_to_the_card(
    team, card, at, committed, mail_schedules
):
    with at(0), committed():
        _move(team, card, Status.IN_PROGRESS)
        services.task_update(actor=Actor(team.owner), task_id=card.pk, assigned=team.bob)
    note = _note(team.ann)
    assert activity_mail_send(notification_ids=[note.pk]) == 1
    [message] = mail.outbox
    assert message.to == [team.ann.email]
    assert message.subject == '2 updates on "Fix login"'
    assert "bob moved it from Not Started to In Progress" in message.body
    assert "olive assigned it to Bob" in message.body
    assert f"/boards/{team.board.pk}/?task={card.pk}" in message.body
    html = message.alternatives[0][0]
    assert "olive assigned it to Bob" in html


def test_the_huey_task_sends_the_mail(team, card, committed, mail_schedules):
    with committed():
        _move(team, card, Status.IN_PROGRESS)
    mail.outbox.clear()
    assert activity_mail([_note(team.ann).pk]).get() == 1  # Huey is immediate in tests
    assert len(mail.outbox) == 1


def test_a_row_read_before_the_window_closed_is_not_mailed(team, card, committed, mail_schedules):
    from notifications.services import notification_mark_read

    with committed():
        _move(team, card, Status.IN_PROGRESS)
    note = _note(team.ann)
    notification_mark_read(notification=note)
    assert activity_mail_send(notification_ids=[note.pk]) == 0
    assert mail.outbox == []


def test_turning_mail_off_stops_a_mail_already_scheduled(team, card, committed, mail_schedules):
    with committed():
        _move(team, card, Status.IN_PROGRESS)
    team.ann.activity_mail = False
    team.ann.save()
    assert activity_mail_send(notification_ids=[_note(team.ann).pk]) == 0
    assert mail.outbox == []


def test_a_comment_mail_quotes_its_excerpt(team, card, committed, mail_schedules):
    from board.services import comments

    with committed():
        comments.comment_create(actor=Actor(team.bob), task_id=card.pk, body="Ready for review")
    assert activity_mail_send(notification_ids=[_note(team.ann).pk]) == 1
    assert "bob commented: Ready for review" in mail.outbox[-1].body
