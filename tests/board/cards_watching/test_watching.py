"""Who watches a card and who hears about it: auto-watch, explicit choices, membership."""

import pytest
from django.db import transaction

from board import services
from board.models import Status, Task, TaskWatch
from board.services import Actor, watching
from notifications.models import Kind, Notification


def _task(team, **kw):
    return services.task_create(
        actor=Actor(team.owner), board_id=team.board.pk, name="Fix login", sprint=team.sprint, **kw
    )


def _move(team, task, by, status=Status.IN_PROGRESS):
    return services.task_move(actor=Actor(by), task_id=task.pk, sprint=team.sprint, status=status)


def _activity(user):
    return list(Notification.objects.filter(user=user, kind=Kind.TASK_ACTIVITY))


def test_the_assignee_of_a_new_card_watches_it(team):
    task = _task(team, assigned=team.ann)
    assert watching.is_watching(user_id=team.ann.pk, task_id=task.pk)
    assert not watching.is_watching(user_id=team.bob.pk, task_id=task.pk)


def test_a_new_assignee_watches_and_hears_who_assigned_them(team, pushes, committed):
    task = _task(team)
    with committed():
        services.task_update(actor=Actor(team.owner), task_id=task.pk, assigned=team.bob)
    assert watching.is_watching(user_id=team.bob.pk, task_id=task.pk)
    [note] = _activity(team.bob)
    [item] = note.data["items"]
    assert item["what"] == "assigned"
    assert item["detail"] == {"from": None, "to": team.bob.pk}
    assert item["actor"] == {"id": team.owner.pk, "username": "olive"}
    assert [uid for uid, _ in pushes] == [team.bob.pk]


def test_a_status_move_by_someone_else_notifies_the_watcher(team, pushes, committed):
    task = _task(team, assigned=team.ann)
    with committed():
        _move(team, task, by=team.bob)
    [note] = _activity(team.ann)
    assert note.title == 'Activity on "Fix login"'
    assert note.group_key == f"task:{task.pk}"
    assert note.read_at is None
    assert note.data["board"] == team.board.pk
    assert note.data["task"] == task.pk
    assert note.data["task_name"] == "Fix login"
    assert note.data["count"] == 1
    assert note.data["items"][0]["what"] == "status"
    assert note.data["items"][0]["detail"] == {"from": Status.NOT_STARTED, "to": Status.IN_PROGRESS}
    assert pushes == [
        (team.ann.pk, {"type": "notification", "id": note.pk, "kind": "task_activity",
                       "title": note.title, "data": note.data}),
    ]  # fmt: skip
    assert _activity(team.bob) == []  # the mover does not watch, and hears nothing anyway


def test_an_edit_of_the_status_notifies_and_an_edit_of_the_name_does_not(team, committed):
    task = _task(team, assigned=team.ann)
    with committed():
        services.task_update(actor=Actor(team.bob), task_id=task.pk, name="Fix login now")
    assert _activity(team.ann) == []
    with committed():
        services.task_update(actor=Actor(team.bob), task_id=task.pk, status=Status.IN_PROGRESS)
    [note] = _activity(team.ann)
    assert note.data["items"][0]["detail"] == {"from": Status.NOT_STARTED, "to": Status.IN_PROGRESS}
    assert note.data["task_name"] == "Fix login now"


def test_nobody_hears_about_their_own_change(team, pushes, committed):
    task = _task(team, assigned=team.ann)
    with committed():
        _move(team, task, by=team.ann)
    assert Notification.objects.filter(kind=Kind.TASK_ACTIVITY).count() == 0
    assert pushes == []


def test_every_watcher_hears_viewers_included(team, committed):
    task = _task(team, assigned=team.ann)
    for user in (team.bob, team.vic):
        watching.watch_set(actor=Actor(user), task_id=task.pk, watching=True)
    with committed():
        _move(team, task, by=team.owner)
    assert {n.user_id for n in Notification.objects.filter(kind=Kind.TASK_ACTIVITY)} == {
        team.ann.pk, team.bob.pk, team.vic.pk,
    }  # fmt: skip


def test_a_former_member_who_still_has_a_watch_row_hears_nothing(team, pushes, committed):
    task = _task(team, assigned=team.ann)
    services.member_remove(actor=Actor(team.owner), board_id=team.board.pk, user_id=team.ann.pk)
    assert TaskWatch.objects.filter(user=team.ann, watching=True).exists()
    pushes.clear()
    with committed():
        _move(team, task, by=team.owner)
    assert _activity(team.ann) == []
    assert pushes == []


def test_unwatching_stops_notifications_and_a_later_assignment_does_not_rewatch(team, committed):
    task = _task(team, assigned=team.ann)
    assert watching.watch_set(actor=Actor(team.ann), task_id=task.pk, watching=False) is False
    with committed():
        _move(team, task, by=team.bob)
    assert _activity(team.ann) == []

    with committed():
        services.task_update(actor=Actor(team.owner), task_id=task.pk, assigned=None)
        services.task_update(actor=Actor(team.owner), task_id=task.pk, assigned=team.ann)
        _move(team, task, by=team.bob, status=Status.TESTING)
    assert not watching.is_watching(user_id=team.ann.pk, task_id=task.pk)
    assert _activity(team.ann) == []


def test_watching_again_after_unwatching_resumes_notifications(team, committed):
    task = _task(team, assigned=team.ann)
    watching.watch_set(actor=Actor(team.ann), task_id=task.pk, watching=False)
    watching.watch_set(actor=Actor(team.ann), task_id=task.pk, watching=True)
    with committed():
        _move(team, task, by=team.bob)
    assert len(_activity(team.ann)) == 1


def test_an_outsider_cannot_watch(team, outsider):
    task = _task(team)
    with pytest.raises(Task.DoesNotExist):
        watching.watch_set(actor=Actor(outsider), task_id=task.pk, watching=True)
    assert not TaskWatch.objects.filter(user=outsider).exists()


def test_a_rolled_back_change_leaves_no_notification_and_pushes_nothing(team, pushes, committed):
    task = _task(team, assigned=team.ann)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        _move(team, task, by=team.bob)
        assert len(_activity(team.ann)) == 1  # the row exists inside the transaction
        raise RuntimeError("the request failed after the move")
    assert _activity(team.ann) == []
    assert pushes == []


def test_pushes_wait_for_the_commit(team, pushes, django_capture_on_commit_callbacks):
    task = _task(team, assigned=team.ann)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _move(team, task, by=team.bob)
    assert pushes == []
    for callback in callbacks:
        callback()
    assert [uid for uid, _ in pushes] == [team.ann.pk]


def test_a_comment_tells_the_watchers_but_not_its_author_and_the_author_watches(team, committed):
    from board.services import comments

    task = _task(team, assigned=team.ann)
    with committed():
        comments.comment_create(actor=Actor(team.bob), task_id=task.pk, body="Looks done to me")
    [note] = _activity(team.ann)
    [item] = note.data["items"]
    assert item["what"] == "comment"
    assert item["detail"]["excerpt"] == "Looks done to me"
    assert _activity(team.bob) == []
    assert watching.is_watching(user_id=team.bob.pk, task_id=task.pk)


def test_a_watcher_the_comment_mentions_gets_the_mention_only(team, committed):
    from board.services import comments

    task = _task(team, assigned=team.ann)
    with committed():
        comments.comment_create(actor=Actor(team.bob), task_id=task.pk, body="@ann please look")
    assert _activity(team.ann) == []
    assert Notification.objects.filter(user=team.ann, kind=Kind.MENTION).count() == 1


def test_exclude_leaves_those_users_out(team, committed):
    task = _task(team, assigned=team.ann)
    watching.watch_set(actor=Actor(team.bob), task_id=task.pk, watching=True)
    with committed(), transaction.atomic():
        watching.notify_watchers(
            board=team.board, task=task, actor=Actor(team.owner), what=watching.COMMENT,
            detail={"comment": 1, "excerpt": "hi"}, exclude={team.ann.pk},
        )  # fmt: skip
    assert _activity(team.ann) == []
    assert len(_activity(team.bob)) == 1
