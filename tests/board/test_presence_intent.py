"""Presence with intent (spec 5, 12): `focus` {task, mode} tells the others who views and who
edits a card; a bad mode is an error frame, a reader's edit counts as a view."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from board.live.presence import users_from
from board.models import Role
from board.services import Actor, member_update
from tests.board.conftest import board_socket, recv, recv_type, run_sync
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)


async def opened(user, board):
    comm = await board_socket(user, board)
    hello = await recv_type(comm, "hello")
    return comm, hello


async def presence_until(comm, check, timeout: float = 3.0) -> list[dict[str, Any]]:
    """The users of the first presence frame that satisfies `check`. Frames are coalesced and
    may overtake each other, so earlier ones are skipped, and so are events in between."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = None
    while True:
        left = deadline - loop.time()
        assert left > 0, f"no presence frame matched; last seen: {last}"
        frame = await recv(comm, timeout=left)
        if frame["type"] == "presence":
            last = frame["users"]
            if check(last):
                return last


def row_of(users, user) -> dict[str, Any]:
    return next(u for u in users if u["id"] == user.pk)


def focused(user, task, mode):
    return lambda users: any(
        u["id"] == user.pk and u["focus"] == task and u["mode"] == mode for u in users
    )


@pytest.fixture
def task(board):
    return TaskFactory(board=board, name="Write the release notes")


async def test_hello_names_everyone_with_full_name_and_mode(board, member, owner):
    first, _ = await opened(member, board)
    _, hello = await opened(owner, board)
    assert hello["presence"] == [
        {
            "id": member.pk,
            "username": "member",
            "full_name": "Member",
            "focus": None,
            "mode": "view",
        },
        {"id": owner.pk, "username": "owner", "full_name": "Owner", "focus": None, "mode": "view"},
    ]
    await first.disconnect()


async def test_editing_a_card_reaches_the_others_and_so_does_stopping(board, member, owner, task):
    watcher, _ = await opened(member, board)
    editor, _ = await opened(owner, board)
    await editor.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    users = await presence_until(watcher, focused(owner, task.pk, "edit"))
    assert row_of(users, owner) == {
        "id": owner.pk,
        "username": "owner",
        "full_name": "Owner",
        "focus": task.pk,
        "mode": "edit",
    }
    assert row_of(users, member)["mode"] == "view"
    # Same card, only the mode changes: that alone is news for the others.
    await editor.send_json_to({"type": "focus", "task": task.pk, "mode": "view"})
    await presence_until(watcher, focused(owner, task.pk, "view"))
    await editor.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    await presence_until(watcher, focused(owner, task.pk, "edit"))
    # No mode at all means viewing (the frame of a client that predates intents).
    await editor.send_json_to({"type": "focus", "task": task.pk})
    await presence_until(watcher, focused(owner, task.pk, "view"))
    await editor.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    await presence_until(watcher, focused(owner, task.pk, "edit"))
    await editor.send_json_to({"type": "focus", "task": None})
    await presence_until(watcher, focused(owner, None, "view"))
    await editor.disconnect()
    await watcher.disconnect()


@pytest.mark.parametrize(
    "frame",
    [
        {"task": 1, "mode": "write"},
        {"task": 1, "mode": "EDIT"},
        {"task": 1, "mode": 1},
        {"task": 1, "mode": True},
        {"task": 1, "mode": ["edit"]},
        {"task": 1, "mode": {"edit": True}},
        {"task": None, "mode": "edit"},
        {"mode": "edit"},
    ],
)
async def test_a_bad_mode_is_an_error_frame_and_changes_nothing(board, member, owner, frame):
    comm, _ = await opened(member, board)
    await comm.send_json_to({"type": "focus", **frame})
    error = await recv_type(comm, "error")
    assert error["code"] == "bad_focus" and error["detail"]
    await comm.send_json_to({"type": "ping"})
    assert (await recv_type(comm, "pong"))["type"] == "pong"
    # Someone arriving now sees the member as they were: looking at nothing.
    other, hello = await opened(owner, board)
    assert row_of(hello["presence"], member) == {
        "id": member.pk,
        "username": "member",
        "full_name": "Member",
        "focus": None,
        "mode": "view",
    }
    await other.disconnect()
    await comm.disconnect()


async def test_a_viewer_asking_to_edit_is_shown_viewing(board, viewer, owner, task):
    watcher, _ = await opened(owner, board)
    reader, _ = await opened(viewer, board)
    await reader.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    users = await presence_until(watcher, focused(viewer, task.pk, "view"))
    assert row_of(users, viewer)["focus"] == task.pk
    await reader.send_json_to({"type": "ping"})
    assert await recv_type(reader, "pong") == {"type": "pong"}  # no error: not a client's fault
    await reader.disconnect()
    await watcher.disconnect()


async def test_a_member_demoted_while_connected_edits_no_more(board, member, owner, task):
    watcher, _ = await opened(owner, board)
    editor, _ = await opened(member, board)
    await editor.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    await presence_until(watcher, focused(member, task.pk, "edit"))
    await run_sync(
        member_update,
        actor=Actor(user=owner),
        board_id=board.pk,
        user_id=member.pk,
        role=Role.VIEWER,
    )
    await editor.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    await presence_until(watcher, focused(member, task.pk, "view"))
    await editor.disconnect()
    await watcher.disconnect()


async def test_an_edit_in_one_tab_outlasts_a_look_in_another(board, member, owner, task):
    watcher, _ = await opened(owner, board)
    editing_tab, _ = await opened(member, board)
    browsing_tab, _ = await opened(member, board)
    other = await run_sync(TaskFactory, board=board, name="Another card")
    await editing_tab.send_json_to({"type": "focus", "task": task.pk, "mode": "edit"})
    await presence_until(watcher, focused(member, task.pk, "edit"))
    await browsing_tab.send_json_to({"type": "focus", "task": other.pk})
    # The browsing tab's later look is seen by the server (its seat holds it) but the
    # editing tab's open dialog is what the others must know about.
    await browsing_tab.send_json_to({"type": "ping"})
    await recv_type(browsing_tab, "pong")
    third, hello = await opened(owner, board)
    assert row_of(hello["presence"], member)["focus"] == task.pk
    assert row_of(hello["presence"], member)["mode"] == "edit"
    # The dialog closes: that is the member's latest change, until the other tab moves on.
    await editing_tab.send_json_to({"type": "focus", "task": None})
    await presence_until(watcher, focused(member, None, "view"))
    await browsing_tab.send_json_to({"type": "focus", "task": other.pk})
    await presence_until(watcher, focused(member, other.pk, "view"))
    for comm in (third, browsing_tab, editing_tab, watcher):
        await comm.disconnect()


def entry(uid, username, focus=None, mode=None, changed=0.0, **extra):
    row = {"id": uid, "username": username, "focus": focus, "ts": time.time(), "changed": changed}
    if mode is not None:
        row["mode"] = mode
    return row | extra


def test_users_from_prefers_an_edit_then_the_latest_change():
    rows = users_from(
        [
            entry(1, "ann", focus=5, mode="edit", changed=1.0, full_name="Ann A"),
            entry(1, "ann", focus=7, mode="view", changed=2.0, full_name="Ann A"),
            entry(2, "bob", focus=3, mode="view", changed=1.0, full_name="Bob B"),
            entry(2, "bob", focus=4, mode="view", changed=2.0, full_name="Bob B"),
        ],
        stale_s=60,
    )
    assert rows == [
        {"id": 1, "username": "ann", "full_name": "Ann A", "focus": 5, "mode": "edit"},
        {"id": 2, "username": "bob", "full_name": "Bob B", "focus": 4, "mode": "view"},
    ]


def test_users_from_reads_entries_written_before_intents():
    # A process of the previous release may still hold seats in Redis during a deploy.
    rows = users_from([entry(1, "ann", focus=5)], stale_s=60)
    assert rows == [{"id": 1, "username": "ann", "full_name": "", "focus": 5, "mode": "view"}]


def test_users_from_leaves_out_a_stale_edit():
    old = entry(1, "ann", focus=5, mode="edit", changed=1.0) | {"ts": time.time() - 120}
    assert users_from([old], stale_s=60) == []
