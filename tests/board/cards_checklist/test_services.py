"""Checklist writes: order by the move pattern, the card's counters, versions, one event each."""

import pytest
from django.core.exceptions import ValidationError

from board import services
from board.models import BoardEvent, ChecklistItem, Task
from board.services import VersionConflict
from board.services import checklist as svc
from board.services.tasks import ORDER_GAP
from tests.board.history.test_fold import live_snapshot, replayed_snapshot

from .conftest import add, counters, texts


def last_event(board):
    return BoardEvent.objects.filter(board=board).order_by("-seq").first()


def test_items_append_in_order_and_count_on_the_card(team):
    a, b = add(team, "Write", "Review")
    c = svc.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="Ship", done=True)
    assert texts(team.task) == ["Write", "Review", "Ship"]
    assert [a.order, b.order, c.order] == [ORDER_GAP, 2 * ORDER_GAP, 3 * ORDER_GAP]
    assert counters(team.task) == (3, 1)


def test_a_checklist_write_is_no_edit_of_the_card(team):
    version = team.task.version
    (item,) = add(team, "One")
    svc.checklist_item_update(actor=team.actor, item_id=item.pk, done=True)
    svc.checklist_item_delete(actor=team.actor, item_id=item.pk)
    assert Task.objects.get(pk=team.task.pk).version == version


def test_text_is_stripped_and_bounded(team):
    (item,) = add(team, "  padded  ")
    assert item.text == "padded"
    add(team, "x" * 200)
    for bad in ("", "   ", "x" * 201, None):
        with pytest.raises(ValidationError) as err:
            svc.checklist_item_create(actor=team.actor, task_id=team.task.pk, text=bad)
        assert "text" in err.value.message_dict
    assert counters(team.task) == (2, 0)


def test_a_card_holds_at_most_100_items(team):
    ChecklistItem.objects.bulk_create(
        ChecklistItem(board=team.board, task=team.task, text=str(n), order=n * ORDER_GAP)
        for n in range(1, svc.ITEMS_MAX + 1)
    )
    with pytest.raises(ValidationError) as err:
        add(team, "one too many")
    assert "checklist" in err.value.message_dict


def test_before_and_after_place_an_item_between_its_siblings(team):
    a, b = add(team, "A", "B")
    svc.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="first", before=a.pk)
    svc.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="mid", after=a.pk)
    assert texts(team.task) == ["first", "A", "mid", "B"]


def test_an_anchor_must_be_an_item_of_the_same_card(team):
    other = services.task_create(actor=team.actor, board_id=team.board.pk, name="Other")
    (foreign,) = add(team, "elsewhere", task=other)
    (a,) = add(team, "A")
    cases = [{"before": foreign.pk}, {"after": 10**12}, {"before": a.pk, "after": a.pk}]
    for anchor in cases:
        with pytest.raises(ValidationError):
            svc.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="x", **anchor)
    with pytest.raises(ValidationError) as err:
        svc.checklist_item_update(actor=team.actor, item_id=a.pk, after=a.pk)
    assert "after" in err.value.message_dict
    assert texts(team.task) == ["A"]


def test_siblings_are_renumbered_only_when_no_gap_is_left(team):
    a, b, c = add(team, "A", "B", "C")
    ChecklistItem.objects.filter(pk=a.pk).update(order=5)
    ChecklistItem.objects.filter(pk=b.pk).update(order=6)
    item = svc.checklist_item_create(actor=team.actor, task_id=team.task.pk, text="N", before=b.pk)
    assert texts(team.task) == ["A", "N", "B", "C"]
    data = last_event(team.board).data
    rows = dict(ChecklistItem.objects.filter(task=team.task).values_list("pk", "order"))
    assert rows == {a.pk: ORDER_GAP, item.pk: 2 * ORDER_GAP, b.pk: 3 * ORDER_GAP, c.pk: 4096}
    assert sorted(data["reordered"], key=lambda r: r["id"]) == [
        {"id": pk, "order": rows[pk]} for pk in sorted((a.pk, b.pk, c.pk))
    ]
    assert data["order"] == rows[item.pk]
    # With room again, a move writes one row and reports no sibling.
    svc.checklist_item_update(actor=team.actor, item_id=c.pk, before=a.pk)
    assert texts(team.task) == ["C", "A", "N", "B"]
    assert last_event(team.board).data["reordered"] == []


def test_update_ticks_edits_and_moves_with_one_version_each(team):
    a, b = add(team, "A", "B")
    item = svc.checklist_item_update(actor=team.actor, item_id=a.pk, done=True)
    assert (item.version, counters(team.task)) == (2, (2, 1))
    item = svc.checklist_item_update(actor=team.actor, item_id=a.pk, text=" A2 ", done=False)
    assert (item.text, item.version, counters(team.task)) == ("A2", 3, (2, 0))
    item = svc.checklist_item_update(actor=team.actor, item_id=a.pk, after=b.pk)
    assert item.version == 4 and texts(team.task) == ["B", "A2"]


def test_an_update_that_changes_nothing_emits_nothing(team, broadcasts):
    a, b = add(team, "A", "B")
    seq = last_event(team.board).seq
    sent = len(broadcasts)
    for same in ({"text": "A"}, {"text": " A "}, {"done": False}, {"before": b.pk}, {}):
        item = svc.checklist_item_update(actor=team.actor, item_id=a.pk, **same)
        assert item.version == 1
    assert last_event(team.board).seq == seq and len(broadcasts) == sent


def test_a_stale_version_conflicts(team):
    (a,) = add(team, "A")
    svc.checklist_item_update(actor=team.actor, item_id=a.pk, done=True, expected_version=1)
    with pytest.raises(VersionConflict) as err:
        svc.checklist_item_update(actor=team.actor, item_id=a.pk, text="B", expected_version=1)
    assert err.value.current.version == 2
    with pytest.raises(VersionConflict):
        svc.checklist_item_delete(actor=team.actor, item_id=a.pk, expected_version=1)
    assert texts(team.task) == ["A"]


def test_delete_takes_the_item_off_the_card_counters(team):
    a, b = add(team, "A", "B")
    svc.checklist_item_update(actor=team.actor, item_id=a.pk, done=True)
    svc.checklist_item_delete(actor=team.actor, item_id=a.pk)
    assert texts(team.task) == ["B"] and counters(team.task) == (1, 0)
    assert last_event(team.board).data == {
        "id": a.pk, "task": team.task.pk,
        "counts": {"comments_count": 0, "checklist_total": 1, "checklist_done": 0},
    }  # fmt: skip


def test_a_trashed_card_takes_no_checklist_writes(team):
    (a,) = add(team, "A")
    services.task_delete(actor=team.actor, task_id=team.task.pk)
    with pytest.raises(Task.DoesNotExist):
        add(team, "B")
    with pytest.raises(Task.DoesNotExist):
        svc.checklist_item_update(actor=team.actor, item_id=a.pk, done=True)
    with pytest.raises(Task.DoesNotExist):
        svc.checklist_item_delete(actor=team.actor, item_id=a.pk)


def test_each_write_is_one_event_broadcast_after_commit(
    team, broadcasts, django_capture_on_commit_callbacks
):
    calls = [
        ("checklist_item.created", lambda: add(team, "A")[0]),
        ("checklist_item.updated",
         lambda: svc.checklist_item_update(actor=team.actor, item_id=item_id(), done=True)),
        ("checklist_item.deleted",
         lambda: svc.checklist_item_delete(actor=team.actor, item_id=item_id())),
    ]  # fmt: skip

    def item_id():
        return ChecklistItem.objects.get(task=team.task).pk

    for name, call in calls:
        sent = len(broadcasts)
        with django_capture_on_commit_callbacks(execute=True):
            call()
            assert len(broadcasts) == sent  # not before the commit
        assert [e.name for e in broadcasts[sent:]] == [name]
        assert broadcasts[-1].data["task"] == team.task.pk


def test_event_data_is_the_item_with_the_cards_counts(team):
    (a,) = add(team, "A")
    event = last_event(team.board)
    assert event.name == "checklist_item.created"
    assert event.data == {
        "id": a.pk, "task": team.task.pk, "text": "A", "done": False, "order": ORDER_GAP,
        "version": 1, "reordered": [],
        "counts": {"comments_count": 0, "checklist_total": 1, "checklist_done": 0},
    }  # fmt: skip
    svc.checklist_item_update(actor=team.actor, item_id=a.pk, done=True)
    data = last_event(team.board).data
    assert (data["done"], data["version"], data["counts"]["checklist_done"]) == (True, 2, 1)


def test_the_replayed_board_shows_the_live_counters(team):
    a, b = add(team, "A", "B")
    svc.checklist_item_update(actor=team.actor, item_id=b.pk, done=True)
    svc.checklist_item_delete(actor=team.actor, item_id=a.pk)
    team.board.refresh_from_db()
    live = live_snapshot(team.board.pk, team.owner)
    assert replayed_snapshot(team.board, team.owner, team.board.last_seq) == live
    card = next(t for t in live["tasks"] if t["id"] == team.task.pk)
    assert (card["checklist_total"], card["checklist_done"]) == (1, 1)
