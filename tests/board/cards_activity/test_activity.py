"""A card's activity from the log: what each kind of event shows as changes."""

import datetime as dt

from board import services
from board.history.compaction import compact
from board.models import BoardEvent, Status
from board.services import checklist, comments, labels
from board.services.rules import board_today

from .conftest import activity, changes


def test_creation_lists_what_it_set_and_edits_only_what_they_changed(team):
    task = services.task_create(
        actor=team.actor, board_id=team.board.pk, name="Login", points=3, assigned=team.mate
    )
    services.task_update(actor=team.actor, task_id=task.pk, name="Log in", description="SSO")
    services.task_update(actor=team.actor, task_id=task.pk, points=None, assigned=None)
    assert changes(team, task.pk) == [
        ("task.created", {"name": [None, "Login"], "status": [None, 1], "assigned": [None, "mate"],
                          "points": [None, 3]}),
        ("task.updated", {"name": ["Login", "Log in"], "description": ["", "SSO"]}),
        ("task.updated", {"points": [3, None], "assigned": ["mate", None]}),
    ]  # fmt: skip


def test_entries_are_newest_first_with_actor_and_time(team):
    services.task_update(actor=services.Actor(team.mate), task_id=team.task.pk, name="Renamed")
    newest, created = activity(team)
    team.board.refresh_from_db()
    assert newest["seq"] == team.board.last_seq > created["seq"]
    assert newest["actor"] == {"id": team.mate.pk, "username": "mate"}
    assert created["actor"] == {"id": team.owner.pk, "username": "olive"}
    assert dt.datetime.fromisoformat(newest["at"].replace("Z", "+00:00"))
    assert set(newest) == {"seq", "name", "actor", "at", "changes"}


def test_a_move_shows_status_and_dates_but_not_order(team):
    end = board_today(team.board) + dt.timedelta(days=9)
    sprint = services.sprint_create(actor=team.actor, board_id=team.board.pk, end=end, name="S")
    task, other = (
        services.task_create(actor=team.actor, board_id=team.board.pk, name=n, sprint=sprint)
        for n in "AB"
    )
    doing = Status.IN_PROGRESS
    services.task_move(actor=team.actor, task_id=task.pk, sprint=sprint, status=doing)
    services.task_move(actor=team.actor, task_id=other.pk, sprint=sprint, status=doing)
    # Reordering inside the column changes nothing a person reads: no entry.
    services.task_move(
        actor=team.actor, task_id=task.pk, sprint=sprint, status=doing, after=other.pk
    )
    last = BoardEvent.objects.filter(board=team.board).order_by("-seq").first()
    assert (last.name, last.data["task"]["id"]) == ("task.moved", task.pk)  # it did move
    today = board_today(team.board).isoformat()
    assert changes(team, task.pk)[1:] == [
        ("task.moved", {"status": [1, 2], "started": [None, today]}),
    ]


def test_sprint_events_show_the_cards_own_change(team):
    end = board_today(team.board) + dt.timedelta(days=9)
    sprint = services.sprint_create(actor=team.actor, board_id=team.board.pk, end=end, name="S")
    services.sprint_plan(actor=team.actor, sprint_id=sprint.pk, tasks=[team.task.pk])
    services.sprint_start(actor=team.actor, sprint_id=sprint.pk)
    services.sprint_close(actor=team.actor, sprint_id=sprint.pk)
    assert changes(team)[1:] == [
        ("sprint.planned", {"sprint": [None, sprint.pk]}),
        ("sprint.closed", {"sprint": [sprint.pk, None]}),
    ]


def test_trash_and_restore_and_a_removed_assignee(team):
    services.task_update(actor=team.actor, task_id=team.task.pk, assigned=team.mate)
    services.member_remove(actor=team.actor, board_id=team.board.pk, user_id=team.mate.pk)
    services.task_delete(actor=team.actor, task_id=team.task.pk)
    services.task_restore(actor=team.actor, task_id=team.task.pk)
    assert changes(team)[1:] == [
        ("task.updated", {"assigned": [None, "mate"]}),
        ("member.removed", {"assigned": ["mate", None]}),
        ("task.deleted", {"deleted": [False, True]}),
        ("task.restored", {"deleted": [True, False]}),
    ]


def test_labels_set_and_a_deleted_label(team):
    bug = labels.label_create(actor=team.actor, board_id=team.board.pk, name="Bug", color="#ff0000")
    ux = labels.label_create(actor=team.actor, board_id=team.board.pk, name="UX", color="#00ff00")
    services.task_update(actor=team.actor, task_id=team.task.pk, labels=[ux, bug])
    labels.label_delete(actor=team.actor, label_id=bug.pk)
    assert changes(team)[1:] == [
        ("task.updated", {"labels": [[], sorted([bug.pk, ux.pk])]}),
        ("label.deleted", {"labels": [sorted([bug.pk, ux.pk]), [ux.pk]]}),
    ]


def test_comments_show_their_bodies(team):
    note = comments.comment_create(actor=team.actor, task_id=team.task.pk, body="First")
    comments.comment_update(actor=team.actor, comment_id=note.pk, body="First!")
    comments.comment_delete(actor=team.actor, comment_id=note.pk)
    entries = activity(team)[:3]
    assert [(e["name"], e["changes"], e["comment"]) for e in reversed(entries)] == [
        ("comment.created", {"comment": [None, "First"]}, note.pk),
        ("comment.updated", {"comment": ["First", "First!"]}, note.pk),
        ("comment.deleted", {"comment": ["First!", None]}, note.pk),
    ]


def test_checklist_items_show_their_text_and_tick(team):
    item = checklist.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="Plan")
    other = checklist.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="Do")
    checklist.checklist_item_update(actor=team.actor, item_id=item.pk, done=True)
    checklist.checklist_item_update(actor=team.actor, item_id=item.pk, text="Plan it")
    checklist.checklist_item_update(actor=team.actor, item_id=item.pk, after=other.pk)  # order
    checklist.checklist_item_delete(actor=team.actor, item_id=item.pk)
    mine = [e for e in reversed(activity(team)) if e.get("item") == item.pk]
    assert [(e["name"], e["changes"]) for e in mine] == [
        ("checklist_item.created", {"checklist": [None, "Plan"]}),
        ("checklist_item.updated", {"checklist": ["Plan", "Plan"], "done": [False, True]}),
        ("checklist_item.updated", {"checklist": ["Plan", "Plan it"], "text": ["Plan", "Plan it"]}),
        ("checklist_item.deleted", {"checklist": ["Plan it", None]}),
    ]


def test_an_undo_shows_what_it_reverts(team):
    services.task_update(actor=team.actor, task_id=team.task.pk, name="Oops")
    team.board.refresh_from_db()
    edit = team.board.last_seq
    services.event_revert(actor=team.actor, board_id=team.board.pk, seq=edit)
    undo = activity(team)[0]
    assert undo["changes"] == {"name": ["Oops", "Card"]} and undo["reverts"] == edit


def test_other_cards_events_are_not_in_the_activity(team):
    other = services.task_create(actor=team.actor, board_id=team.board.pk, name="Other")
    services.task_update(actor=team.actor, task_id=other.pk, name="Other 2")
    checklist.checklist_item_create(actor=team.actor, task_id=other.pk, text="x")
    assert [name for name, _ in changes(team)] == ["task.created"]


def test_after_pruning_the_first_remaining_event_diffs_from_the_checkpoint(team):
    services.task_update(actor=team.actor, task_id=team.task.pk, name="Before", points=2)
    item = checklist.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="Old")
    team.board.refresh_from_db()
    assert compact(board_id=team.board.pk, through_seq=team.board.last_seq)
    services.task_update(actor=team.actor, task_id=team.task.pk, name="After")
    checklist.checklist_item_update(actor=team.actor, item_id=item.pk, done=True)
    # The checkpoint holds cards, not checklist items: an item's old values are unknown.
    assert changes(team) == [
        ("task.updated", {"name": ["Before", "After"]}),
        ("checklist_item.updated",
         {"checklist": [None, "Old"], "text": [None, "Old"], "done": [None, True]}),
    ]  # fmt: skip


def test_a_card_trashed_before_the_pruning_is_still_in_the_trash_after_it(team):
    services.task_delete(actor=team.actor, task_id=team.task.pk)
    team.board.refresh_from_db()
    compact(board_id=team.board.pk, through_seq=team.board.last_seq)
    services.task_restore(actor=team.actor, task_id=team.task.pk)
    assert changes(team) == [("task.restored", {"deleted": [True, False]})]
