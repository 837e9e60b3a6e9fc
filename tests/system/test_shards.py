"""Scale-out on real engines (SPEC sections 9, 14, 15): the channel layer sharded over two
redis-servers, three daphnes behind nginx. Sockets are opened on each daphne directly (nginx
cannot pin one to a process), on boards whose groups live on both shards; they never send
`resume` (a socket that closed comes back with `since`, as the page does)."""

from __future__ import annotations

import asyncio
import secrets
import time

import pytest

from tests.support.http import HttpClient

from .conftest import create_user, running
from .sharded import DAPHNES, SHARDS, ShardedStack, shard_of
from .sockets import head, logged_seqs
from .wsclient import BoardSocket

BOARDS_PER_SHARD = 2
# SPEC 15 asks for 2 s (from the log while a shard is away) and 5 s (after it answers); the
# waits allow a loaded machine far more, and stay far below the stack's 120 s heartbeat,
# whose repair from the log would otherwise hide a group that stopped delivering.
DEADLINE_S = 30.0


@pytest.fixture(scope="module")
def sharded():
    yield from running(ShardedStack())


@pytest.fixture(scope="module")
def token(sharded) -> str:
    return create_user(sharded, "carol")["access"]


@pytest.fixture
def boards(sharded, token) -> list[tuple[dict, dict]]:
    """Fresh boards (each with a task), as many on each shard as BOARDS_PER_SHARD."""
    api = HttpClient(sharded.base_url, token)
    by_shard: dict[int, list[tuple[dict, dict]]] = {s: [] for s in range(SHARDS)}
    while min(len(b) for b in by_shard.values()) < BOARDS_PER_SHARD:
        name = f"board {secrets.token_hex(3)}"
        board = api.write("POST", "/api/boards/", {"name": name}, 201).json()
        task = api.write("POST", "/api/tasks/", {"board": board["id"], "name": "t"}, 201).json()
        by_shard[shard_of(f"board.{board['id']}")].append((board, task))
    return [pair for shard in by_shard.values() for pair in shard[:BOARDS_PER_SHARD]]


async def open_everywhere(stack: ShardedStack, boards, token: str) -> list[BoardSocket]:
    """One socket per board on each daphne."""
    sockets = [
        BoardSocket(stack.daphne_url(i, "ws"), board["id"], token, name=f"b{board['id']}@d{i}")
        for board, _ in boards
        for i in range(DAPHNES)
    ]
    return list(await asyncio.gather(*(sock.open() for sock in sockets)))


async def all_caught_up(api: HttpClient, sockets: list[BoardSocket]) -> None:
    heads = {sock.board_id: head(api, sock.board_id) for sock in sockets}
    await asyncio.gather(*(s.wait_for_seq(heads[s.board_id], DEADLINE_S) for s in sockets))


def assert_each_event_once_in_order(api: HttpClient, sockets: list[BoardSocket]) -> None:
    for sock in sockets:
        expected = logged_seqs(api, sock.board_id, sock.start_seq)
        got = sock.seqs()
        doubled = sorted({seq for seq in got if got.count(seq) > 1})
        assert got == expected, (
            f"{sock.name}: missing {sorted(set(expected) - set(got))}, doubled {doubled}, "
            f"reconnects {sock.reconnects}, closes {sock.close_codes}"
        )


async def test_a_change_through_any_daphne_reaches_sockets_on_every_daphne(sharded, token, boards):
    sockets = await open_everywhere(sharded, boards, token)
    try:
        for board, task in boards:
            for index in range(DAPHNES):
                via = HttpClient(sharded.daphne_url(index), token)
                path = f"/api/tasks/{task['id']}/"
                await asyncio.to_thread(via.write, "PATCH", path, {"description": f"{index}"}, 200)
        api = HttpClient(sharded.base_url, token)
        await all_caught_up(api, sockets)
        await asyncio.sleep(0.3)  # a duplicate would arrive now
        assert_each_event_once_in_order(api, sockets)
        assert all(len(sock.events) == DAPHNES for sock in sockets)
    finally:
        await asyncio.gather(*(sock.close() for sock in sockets))


async def write_round(api: HttpClient, boards, n: int) -> None:
    """One PATCH to each board through nginx (round-robin over the daphnes); retries 5xx."""
    for _, task in boards:
        path = f"/api/tasks/{task['id']}/"
        await asyncio.to_thread(api.write, "PATCH", path, {"description": f"step {n}"}, 200)
        await asyncio.sleep(0.03)


async def test_one_shard_killed_and_restarted_empty_mid_stream_loses_nothing(
    sharded, token, boards
):
    api = HttpClient(sharded.base_url, token)
    sockets = await open_everywhere(sharded, boards, token)
    try:
        for n in range(3):
            await write_round(api, boards, n)
        await asyncio.to_thread(sharded.kill_shard, 1)
        for n in range(3, 6):
            await write_round(api, boards, n)
        # While shard 1 is away, every process sees it (a probe per shard) and feeds every
        # board from the log: the boards on shard 1 as well as those on the live shard 0.
        await all_caught_up(api, sockets)
        await asyncio.to_thread(sharded.start_shard, 1)  # empty: its groups are forgotten
        back = time.monotonic()
        n = 6
        # Writes go on well past the second in which a sender may still skip the layer.
        while n < 9 or time.monotonic() - back < 3:
            await write_round(api, boards, n)
            n += 1
        await all_caught_up(api, sockets)
        await asyncio.sleep(0.3)  # a duplicate would arrive now
        assert_each_event_once_in_order(api, sockets)
        assert all(sock.reconnects == 0 for sock in sockets)  # sockets stayed open
    finally:
        await asyncio.gather(*(sock.close() for sock in sockets))
