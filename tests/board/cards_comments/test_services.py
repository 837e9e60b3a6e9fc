"""Comment writes: the rules, the card's counter, the events (after commit, with counts)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from board import realtime, services
from board.models import BoardEvent, Comment, Task
from board.services import Actor
from board.services import comments as comment_services


def _count(task) -> int:
    return Task.all_objects.get(pk=task.pk).comments_count


def test_create_strips_the_body_and_counts_the_comment(team):
    first = team.comment(team.bob, "  looks good \n")
    team.comment(team.mia, "agreed")

    assert first.body == "looks good" and first.author == team.bob and first.edited_at is None
    assert _count(team.task) == 2
    # The counter is no edit of the card: its version stays.
    assert Task.objects.get(pk=team.task.pk).version == team.task.version


@pytest.mark.parametrize(
    "body", ["", "   \n\t", "x" * 10_001, "bad \ud800 half", "nul \x00 here", None, 42]
)
def test_a_bad_body_is_refused_with_a_body_message_and_writes_nothing(team, body):
    with pytest.raises(ValidationError) as refused:
        team.comment(team.bob, body)
    assert "body" in refused.value.message_dict
    assert not Comment.objects.exists() and _count(team.task) == 0


def test_the_longest_body_is_taken(team):
    assert len(team.comment(team.bob, "é" * 10_000).body) == 10_000


def test_a_trashed_card_takes_no_comment_and_its_comments_cannot_change(team):
    comment = team.comment(team.bob, "before the trash")
    services.task_delete(actor=Actor(team.olive), task_id=team.task.pk)

    with pytest.raises(Task.DoesNotExist):
        team.comment(team.bob, "after")
    with pytest.raises(Task.DoesNotExist):
        team.edit(team.bob, comment, "edited")
    with pytest.raises(Task.DoesNotExist):
        team.delete(team.bob, comment)


def test_only_the_author_edits(team):
    comment = team.comment(team.bob, "mine")
    with pytest.raises(PermissionDenied):
        team.edit(team.olive, comment, "the owner's words")  # not even the owner
    comment.refresh_from_db()
    assert comment.body == "mine" and comment.edited_at is None


def test_an_edit_sets_edited_at_and_an_unchanged_body_is_no_edit(team):
    comment = team.comment(team.bob, "draft")
    seq = BoardEvent.objects.filter(board=team.board).count()

    same = team.edit(team.bob, comment, "  draft  ")
    assert same.edited_at is None
    assert BoardEvent.objects.filter(board=team.board).count() == seq

    edited = team.edit(team.bob, comment, "final")
    edited.refresh_from_db()
    assert edited.body == "final" and edited.edited_at is not None
    assert BoardEvent.objects.filter(board=team.board).count() == seq + 1


def test_the_author_or_the_owner_deletes_nobody_else(team):
    by_bob, by_mia = team.comment(team.bob, "one"), team.comment(team.mia, "two")

    with pytest.raises(PermissionDenied):
        team.delete(team.mia, by_bob)
    team.delete(team.bob, by_bob)
    team.delete(team.olive, by_mia)

    assert not Comment.objects.exists() and _count(team.task) == 0


def test_each_write_is_one_event_broadcast_after_commit_with_the_cards_counts(
    team, broadcasts, committed
):
    with committed():
        comment = team.comment(team.bob, "hello @mia")
    with committed():
        team.edit(team.bob, comment, "hello @mia and @olive")
    with committed():
        team.comment(team.mia, "hi")
    with committed():
        team.delete(team.bob, comment)

    names = [e.name for e in broadcasts]
    assert names == [
        realtime.COMMENT_CREATED,
        realtime.COMMENT_UPDATED,
        realtime.COMMENT_CREATED,
        realtime.COMMENT_DELETED,
    ]
    created, updated, _, deleted = (e.data for e in broadcasts)
    assert created == {
        "id": comment.pk,
        "task": team.task.pk,
        "author": {"id": team.bob.pk, "username": "bob", "full_name": "Bob"},
        "body": "hello @mia",
        "mentions": ["mia"],
        "created_at": created["created_at"],
        "edited_at": None,
        "counts": {"comments_count": 1, "checklist_total": 0, "checklist_done": 0},
    }
    assert updated["mentions"] == ["mia", "olive"] and updated["edited_at"] is not None
    assert updated["counts"]["comments_count"] == 1
    assert deleted == {
        "id": comment.pk,
        "task": team.task.pk,
        "counts": {"comments_count": 1, "checklist_total": 0, "checklist_done": 0},
    }
    # The card's activity finds them by task (event_append's index).
    assert [e.seq for e in broadcasts] == sorted(e.seq for e in broadcasts)


def test_a_rolled_back_comment_leaves_no_row_no_count_no_event(team, broadcasts, committed):
    seq = BoardEvent.objects.filter(board=team.board).count()
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        team.comment(team.bob, "ghost @mia")
        raise RuntimeError("the caller's transaction fails")

    assert not Comment.objects.exists() and _count(team.task) == 0
    assert BoardEvent.objects.filter(board=team.board).count() == seq
    assert broadcasts == []


def test_the_commenter_watches_and_the_watchers_hear_of_it_less_those_mentioned(team, monkeypatch):
    watched, told = [], []
    monkeypatch.setattr("board.services.watching.auto_watch", lambda **kw: watched.append(kw))
    monkeypatch.setattr("board.services.watching.notify_watchers", lambda **kw: told.append(kw))

    comment = team.comment(team.bob, "@mia @otto please look")
    team.edit(team.bob, comment, "@mia @otto please look again")

    assert watched == [{"task_id": team.task.pk, "user_id": team.bob.pk}]
    assert len(told) == 1  # an edit is not news for watchers
    call = told[0]
    assert call["what"] == "comment" and call["task"].pk == team.task.pk
    assert call["actor"].user == team.bob and call["exclude"] == {team.mia.pk}
    assert call["detail"] == {"comment": comment.pk, "excerpt": "@mia @otto please look"}


@pytest.mark.django_db(transaction=True)
def test_comment_events_commit_with_the_write(team, broadcasts):
    """Outside a test transaction (MariaDB's real commit): the event goes out once."""
    comment = comment_services.comment_create(
        actor=Actor(team.bob, client_op_id="c-1"), task_id=team.task.pk, body="live"
    )
    assert [(e.name, e.client_op_id, e.data["id"]) for e in broadcasts] == [
        (realtime.COMMENT_CREATED, "c-1", comment.pk)
    ]
