"""Writes to a board's labels (SPEC section 12).

A label's name is unique per board case-insensitively: `name_key` (the casefolded name) carries
the unique constraint. The clash check asks the database with the same equality the
constraint uses, so it agrees with it on every backend: MariaDB's utf8mb4_unicode_ci also
equates "Café" and "cafe", which casefold alone does not.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import realtime
from ..models import Board, Label, Task
from ._events import UNSET, Actor, Unset, board_lock, board_lock_of, event_append, given

NAME_MAX = 30
# Every label travels in the snapshot and the page's filter menu: keep the set small.
LABELS_PER_BOARD_MAX = 100
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
_COLOR = re.compile(COLOR_PATTERN)
_CLASH = "This board already has a label with that name."


def _clean_name(name: str) -> str:
    name = str(name).strip()
    if not name:
        raise ValidationError({"name": "Give the label a name."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Use at most {NAME_MAX} characters."})
    # Casefolding can lengthen a name ("ß" -> "ss"); name_key holds NAME_MAX characters, and
    # MariaDB's strict mode would answer a longer one with a DataError (a 500).
    if len(name.casefold()) > NAME_MAX:
        raise ValidationError({"name": f"Use a shorter name (at most {NAME_MAX} characters)."})
    return name


def _clean_color(color: str) -> str:
    # fullmatch: `$` would also accept a trailing newline.
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        raise ValidationError({"color": "Use a colour like #1f77b4."})
    return color.lower()


def _check_free(board: Board, name_key: str, label_id: int | None = None) -> None:
    clash = Label.objects.filter(board=board, name_key=name_key)
    if label_id is not None:
        clash = clash.exclude(pk=label_id)
    if clash.exists():
        raise ValidationError({"name": _CLASH})


def _save(label: Label) -> None:
    """Save under a savepoint: should the constraint still fire, the caller's transaction
    survives it and the client gets the same 400 as from the check."""
    try:
        with transaction.atomic():
            label.save()
    except IntegrityError as exc:
        raise ValidationError({"name": _CLASH}) from exc


def label_create(*, actor: Actor, board_id: int, name: str, color: str) -> Label:
    name, color = _clean_name(name), _clean_color(color)
    with transaction.atomic():
        board = board_lock(board_id)
        if Label.objects.filter(board=board).count() >= LABELS_PER_BOARD_MAX:
            raise ValidationError(f"A board has at most {LABELS_PER_BOARD_MAX} labels.")
        label = Label(board=board, name=name, name_key=name.casefold(), color=color)
        _check_free(board, label.name_key)
        _save(label)
        event_append(board, actor, realtime.LABEL_CREATED, realtime.label_payload(label))
    return label


def label_update(
    *,
    actor: Actor,
    label_id: int,
    name: str | Unset = UNSET,
    color: str | Unset = UNSET,
) -> Label:
    """Rename or recolour; an edit that changes nothing emits nothing. A change of case only
    ("bug" to "Bug") is a rename that clashes with nothing."""
    fields = given(
        name=UNSET if isinstance(name, Unset) else _clean_name(name),
        color=UNSET if isinstance(color, Unset) else _clean_color(color),
    )
    with transaction.atomic():
        board = board_lock_of(Label, label_id)
        label = Label.objects.get(pk=label_id)
        if all(getattr(label, key) == value for key, value in fields.items()):
            return label
        for key, value in fields.items():
            setattr(label, key, value)
        if "name" in fields:
            label.name_key = label.name.casefold()
            _check_free(board, label.name_key, label.pk)
        _save(label)
        event_append(board, actor, realtime.LABEL_UPDATED, realtime.label_payload(label))
    return label


def label_delete(*, actor: Actor, label_id: int) -> None:
    """Delete a label; the cards carrying it lose it. Their versions stay: the label went
    away, nobody edited the cards (a client's If-Match on one of them still holds). Trashed
    tasks are listed too, so a replay strips it from them as the database did."""
    with transaction.atomic():
        board = board_lock_of(Label, label_id)
        label = Label.objects.get(pk=label_id)
        tasks = sorted(
            Task.all_objects.filter(labels=label).values_list("pk", flat=True).distinct()
        )
        label.delete()
        event_append(board, actor, realtime.LABEL_DELETED, {"id": label_id, "tasks": tasks})
