"""Who sees which board, with which role, and what each role may do: the one access rule.

`memberships_of` is the rule. Everything else is derived from it (`boards_visible_to`,
`role_on`, `roles_on`, the page's `can`) or held equal to it by a test (`row_access`, the
one-statement check a write to a sprint or task starts with:
tests/board/test_access_rule.py). Non-members never learn that a board exists: callers
answer 404 over REST and 4403 over WebSocket.

A request authenticated by a board-limited personal access token carries its grant on the
user (realtime_scrum/accounts/grants.py): the rule then keeps only the grant's boards, so a
token sees a board only if its user is a member *and* the token names it, on every path
derived from here (tests/accounts/test_api_tokens_access.py holds row_access equal to it).
`roles_on` reads the boards' side for the socket watcher and knows no request: a token's
socket is admitted by `role_on` at connect, and a token's boards never change.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.db import connection, models
from django.db.models import QuerySet

from realtime_scrum import db_router
from realtime_scrum.accounts.grants import grant_of

from . import sql
from .models import Board, Membership, Role

MAX_ID = 2**63 - 1  # BigAutoField's range; SQLite raises OverflowError past it
WRITERS = frozenset({Role.OWNER, Role.MEMBER})
MANAGERS = frozenset({Role.OWNER})


class Abilities(TypedDict):
    """What a role may do, as the page and API clients read it (`can` in board/member JSON)."""

    write: bool  # create, edit, move and delete sprints and tasks
    manage: bool  # rename or delete the board, manage its members


def can_write(role: str | None) -> bool:
    return role in WRITERS


def can_manage(role: str | None) -> bool:
    return role in MANAGERS


def abilities(role: str | None, *, user: Any = None) -> Abilities:
    """What `role` may do; for the request's `user` when given: a read-only personal access
    token's requests may do neither, whatever its user's role (the 403 they would get)."""
    grant = grant_of(user)
    if grant is not None and grant.read_only:
        return {"write": False, "manage": False}
    return {"write": can_write(role), "manage": can_manage(role)}


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def memberships_of(user: Any) -> QuerySet[Membership]:
    """The rule: an active user sees exactly the boards they hold a membership of, with its role.
    An anonymous or deactivated user sees none; a board-limited token's user only the
    token's boards among them."""
    if not _active(user):
        return Membership.objects.none()
    mine = Membership.objects.filter(user_id=user.pk)
    grant = grant_of(user)
    if grant is not None and grant.board_ids is not None:
        mine = mine.filter(board_id__in=sorted(grant.board_ids))
    return mine


def visible_board_ids(user: Any) -> QuerySet[Membership, Any] | list[int]:
    """The ids of the boards `user` sees, as a subquery for `board_id__in=`.

    In a handler reading the replica (realtime_scrum/db_router.py) they are read here, from
    the primary, and handed on as a list: the rows may come from a replica that lags, the
    decision who may read them never does."""
    ids = memberships_of(user).values("board_id")
    if db_router.reading_replica():
        primary = ids.using(db_router.PRIMARY).order_by()
        return list(primary.values_list("board_id", flat=True))
    return ids


def boards_visible_to(user: Any) -> QuerySet[Board]:
    return Board.objects.filter(pk__in=visible_board_ids(user))


def valid_id(value: Any) -> int | None:
    """`value` as a row id, or None when it cannot name a row (not an integer, out of range)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def role_on(*, user: Any, board_id: Any) -> str | None:
    """The user's role on a board, or None (not a member, no such board, not an id)."""
    board_pk = valid_id(board_id)
    if board_pk is None:
        return None
    return memberships_of(user).filter(board_id=board_pk).values_list("role", flat=True).first()


def roles_on(*, board_ids: list[int]) -> dict[int, dict[int, str]]:
    """{board id: {user id: role}} for many boards in one statement (the socket watcher's
    check). The same rule as `memberships_of`, read from the boards' side."""
    roles: dict[int, dict[int, str]] = {board_id: {} for board_id in board_ids}
    rows = Membership.objects.filter(board_id__in=board_ids, user__is_active=True).values_list(
        "board_id", "user_id", "role"
    )
    for board_id, user_id, role in rows:
        roles[board_id][user_id] = role
    return roles


def row_access(*, user: Any, model: type[models.Model], pk: Any) -> tuple[int, str] | None:
    """(board id, the user's role there) for one sprint or task, or None when the row does not
    exist or lies outside the user's boards: the check a write to that row starts with.

    The rule above as one SQL statement (board/sql.py). The write re-reads the row under its
    board's lock, so nothing else of the row is needed here."""
    row_pk = valid_id(pk)
    if row_pk is None or not _active(user):
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql.row_access(model), [row_pk, user.pk])
        found = cursor.fetchone()
    if found is None:
        return None
    grant = grant_of(user)
    if grant is not None and not grant.allows_board(int(found[0])):
        return None  # the rule's narrowing to a token's boards (memberships_of)
    return int(found[0]), str(found[1])
