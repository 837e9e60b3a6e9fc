"""Bench data, written with bulk inserts (setup time is not what is measured)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from board.models import Board, Membership, Role, Task
from realtime_scrum.accounts.models import User
from realtime_scrum.accounts.sessions import session_start


@dataclass
class SeededBoard:
    board_id: int
    tokens: list[str]  # one per viewing member (sockets cycle through them)
    writer_token: str
    task_ids: list[int] = field(default_factory=list)


def users(count: int, prefix: str) -> list[User]:
    tag = secrets.token_hex(3)
    rows = [
        User(username=f"{prefix}{tag}{i}", email=f"{prefix}{tag}{i}@bench.test", password="!")
        for i in range(count)
    ]
    User.objects.bulk_create(rows)
    return list(User.objects.filter(username__startswith=f"{prefix}{tag}").order_by("pk"))


def board(members: int, tasks: int, name: str = "bench") -> SeededBoard:
    """A board with `members` viewers, one writer (its owner) and `tasks` backlog tasks."""
    writer, *viewers = users(members + 1, name)
    row = Board.objects.create(name=name, owner=writer)
    Membership.objects.bulk_create(
        [Membership(board=row, user=writer, role=Role.OWNER)]
        + [Membership(board=row, user=u, role=Role.MEMBER) for u in viewers]
    )
    Task.objects.bulk_create(
        [
            Task(
                board=row,
                name=f"task {i}",
                description="x" * 200,
                order=i,
                assigned=writer if i % 2 else None,
            )
            for i in range(tasks)
        ]  # fmt: skip
    )
    return SeededBoard(
        board_id=row.pk,
        tokens=[session_start(user=u).access for u in viewers],
        writer_token=session_start(user=writer).access,
        task_ids=list(
            Task.objects.filter(board=row).order_by("order").values_list("pk", flat=True)
        ),
    )


def boards_for_one_user(count: int) -> tuple[list[int], str]:
    """`count` small boards that one user belongs to (B2's idle sockets spread over them)."""
    (owner,) = users(1, "idle")
    Board.objects.bulk_create([Board(name=f"idle {i}", owner=owner) for i in range(count)])
    ids = list(Board.objects.filter(owner=owner).values_list("pk", flat=True))
    Membership.objects.bulk_create(
        [Membership(board_id=i, user=owner, role=Role.OWNER) for i in ids]
    )
    return ids, session_start(user=owner).access
