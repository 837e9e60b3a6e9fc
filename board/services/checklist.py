"""Writes to a card's checklist (SPEC section 12): items ordered like cards in a column.

Items keep sparse orders (tasks.ORDER_GAP): adding or moving one writes one row, and its
siblings are renumbered only when no gap is left, as a card move does. The card's counters
(checklist_total, checklist_done) move by F() in the same transaction, under the board's
lock like every board write, so they always equal the rows they count without a COUNT.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from .. import realtime, representation
from ..models import Board, ChecklistItem, Task
from ._events import UNSET, Actor, Unset, board_lock_of, check_version, event_append
from .tasks import ORDER_GAP, _slot

TEXT_MAX = 200
ITEMS_MAX = 100


def _text(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError({"text": "Write what the item is."})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": f"At most {TEXT_MAX} characters."})
    return text


def _live_task(task_id: int) -> Task:
    """The card, read under its board's lock; a trashed card is no card (a 404)."""
    return Task.objects.get(pk=task_id)


def _siblings(task: Task, exclude: int | None = None) -> list[ChecklistItem]:
    rows = ChecklistItem.objects.filter(task=task).order_by("order", "pk")
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return list(rows)


def _place(
    item: ChecklistItem, items: list[ChecklistItem], before: int | None, after: int | None
) -> list[ChecklistItem]:
    """Give `item` the order of its slot among `items` (its siblings, in order); returns the
    siblings renumbered because no gap was left there (already written)."""
    anchor, key = (before, "before") if before is not None else (after, "after")
    if anchor is not None:
        if anchor == item.pk:
            raise ValidationError({key: "An item cannot anchor itself."})
        if all(row.pk != anchor for row in items):
            raise ValidationError({key: "That item is not on this card's checklist."})
    # _slot reads only pk and order: cards and items share the move pattern.
    index, order = _slot(cast(list[Any], items), before, after)
    reordered: list[ChecklistItem] = []
    if order is None:
        ordered = [*items[:index], item, *items[index:]]
        for position, row in enumerate(ordered, start=1):
            if row is not item and row.order != position * ORDER_GAP:
                row.order = position * ORDER_GAP
                reordered.append(row)
        ChecklistItem.objects.bulk_update(reordered, ["order"])
        order = (index + 1) * ORDER_GAP
    item.order = order
    return reordered


def _one_anchor(before: int | None, after: int | None) -> None:
    if before is not None and after is not None:
        raise ValidationError({"before": "Give either before or after, not both."})


def _count(task: Task, *, total: int, done: int) -> None:
    """Move the card's counters by (total, done), in the row and in `task` for the event."""
    if not total and not done:
        return
    Task.all_objects.filter(pk=task.pk).update(
        checklist_total=F("checklist_total") + total, checklist_done=F("checklist_done") + done
    )
    task.checklist_total += total
    task.checklist_done += done


def _payload(item: ChecklistItem, task: Task, reordered: list[ChecklistItem]) -> dict[str, Any]:
    moved = [{"id": row.pk, "order": row.order} for row in reordered]
    return realtime.card_payload(representation.checklist_item_values(item), task, reordered=moved)


def checklist_item_create(
    *,
    actor: Actor,
    task_id: int,
    text: str,
    done: bool = False,
    before: int | None = None,
    after: int | None = None,
) -> ChecklistItem:
    """Add an item to a live card: at the end, or next to `before`/`after`."""
    _one_anchor(before, after)
    with transaction.atomic():
        board: Board = board_lock_of(Task, task_id)
        task = _live_task(task_id)
        text = _text(text)
        items = _siblings(task)
        if len(items) >= ITEMS_MAX:
            raise ValidationError({"checklist": f"A card holds at most {ITEMS_MAX} items."})
        item = ChecklistItem(board=board, task=task, text=text, done=bool(done))
        reordered = _place(item, items, before, after)
        item.save()
        _count(task, total=1, done=1 if item.done else 0)
        event_append(board, actor, realtime.CHECKLIST_ITEM_CREATED, _payload(item, task, reordered))
    return item


def _moves(
    item: ChecklistItem, items: list[ChecklistItem], before: int | None, after: int | None
) -> bool:
    """Whether placing `item` by before/after would put it anywhere but where it is."""
    if before is None and after is None:
        return False
    place = sum(1 for row in items if (row.order, row.pk) < (item.order, item.pk))
    anchor = before if before is not None else after
    index = next((i for i, row in enumerate(items) if row.pk == anchor), None)
    if index is None or anchor == item.pk:
        return True  # let _place refuse it with its message
    return place != (index if before is not None else index + 1)


def checklist_item_update(
    *,
    actor: Actor,
    item_id: int,
    text: str | Unset = UNSET,
    done: bool | Unset = UNSET,
    before: int | None = None,
    after: int | None = None,
    expected_version: int | None = None,
) -> ChecklistItem:
    """Edit an item's text or tick, or move it next to `before`/`after`. An edit that changes
    nothing bumps nothing and emits nothing."""
    _one_anchor(before, after)
    with transaction.atomic():
        board = board_lock_of(ChecklistItem, item_id)
        item = ChecklistItem.objects.select_for_update().get(pk=item_id)
        task = _live_task(item.task_id)
        check_version(item, expected_version)
        new_text = item.text if isinstance(text, Unset) else _text(text)
        new_done = item.done if isinstance(done, Unset) else bool(done)
        items = _siblings(task, exclude=item.pk)
        moves = _moves(item, items, before, after)
        if new_text == item.text and new_done == item.done and not moves:
            return item
        reordered = _place(item, items, before, after) if moves else []
        ticked = int(new_done) - int(item.done)
        item.text, item.done = new_text, new_done
        item.version += 1
        item.save()
        _count(task, total=0, done=ticked)
        event_append(board, actor, realtime.CHECKLIST_ITEM_UPDATED, _payload(item, task, reordered))
    return item


def checklist_item_delete(
    *, actor: Actor, item_id: int, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        board = board_lock_of(ChecklistItem, item_id)
        item = ChecklistItem.objects.select_for_update().get(pk=item_id)
        task = _live_task(item.task_id)
        check_version(item, expected_version)
        data = {"id": item.pk, "task": task.pk}
        item.delete()
        _count(task, total=-1, done=-1 if item.done else 0)
        event_append(
            board, actor, realtime.CHECKLIST_ITEM_DELETED, realtime.card_payload(data, task)
        )
