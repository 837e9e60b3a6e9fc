"""Helpers shared by the socket tests: open sockets until both daphnes hold some, drive a
stream of writes, read the board's head and its event log."""

from __future__ import annotations

import asyncio
import re

from tests.support.http import HttpClient

from .wsclient import BoardSocket

WSCONNECT = re.compile(r"WSCONNECT /ws/boards/(\d+)/")


def ws_connects(stack, index: int, board_id: int) -> int:
    log = stack.daphne_access_log(index).read_text()
    return sum(1 for m in WSCONNECT.finditer(log) if int(m.group(1)) == board_id)


async def open_on_both_daphnes(stack, board_id: int, tokens: list[str], count: int):
    """Open `count` sockets (cycling tokens) through nginx, more if needed until each daphne
    holds at least one: daphne's access log says where each landed."""
    sockets: list[BoardSocket] = []
    while len(sockets) < count or min(ws_connects(stack, i, board_id) for i in (0, 1)) == 0:
        assert len(sockets) < count + 8, "nginx never sent a socket to one of the daphnes"
        token = tokens[len(sockets) % len(tokens)]
        sock = BoardSocket(stack.ws_url, board_id, token, name=f"s{len(sockets)}")
        sockets.append(await sock.open())
        await asyncio.sleep(0.05)  # let daphne write its access-log line
    return sockets


def head(api: HttpClient, board_id: int) -> int:
    return api.get(f"/api/boards/{board_id}/").json()["seq"]


def logged_seqs(api: HttpClient, board_id: int, after: int) -> list[int]:
    """The server's truth: every seq in the event log after `after`."""
    seqs: list[int] = []
    while True:
        page = api.get(f"/api/boards/{board_id}/events/?after={after}&limit=100").json()
        rows = page["results"] if isinstance(page, dict) else page
        if not rows:
            return seqs
        seqs += [row["seq"] for row in rows]
        after = rows[-1]["seq"]


async def write_stream(api: HttpClient, task_id: int, count: int, fault_at: int, fault) -> None:
    """`count` PATCHes through nginx at a steady pace; run `fault()` (blocking) before write
    number `fault_at`. Writes retry through 5xx, as a client would."""
    for n in range(count):
        if n == fault_at:
            await asyncio.to_thread(fault)
        await asyncio.to_thread(
            api.write, "PATCH", f"/api/tasks/{task_id}/", {"description": f"step {n}"}, 200
        )
        await asyncio.sleep(0.03)


async def settle_and_check(api: HttpClient, board_id: int, sockets: list[BoardSocket]) -> int:
    """Every socket ends with each event after its start exactly once, in seq order."""
    top = head(api, board_id)
    await asyncio.sleep(0.5)  # nothing in flight: a resume now cannot overlap a live frame
    for sock in sockets:
        if sock.last_seq < top:
            await sock.resume()
    for sock in sockets:
        await sock.wait_for_seq(top)
    await asyncio.sleep(0.3)  # a duplicate would arrive now
    for sock in sockets:
        expected = logged_seqs(api, board_id, sock.start_seq)
        assert expected == list(range(sock.start_seq + 1, top + 1))
        got = sock.seqs()
        missing = sorted(set(expected) - set(got))
        doubled = sorted({seq for seq in got if got.count(seq) > 1})
        assert got == expected, (
            f"{sock.name}: missing {missing}, doubled {doubled}, reconnects {sock.reconnects}, "
            f"closes {sock.close_codes}, resume overlaps {sock.resume_overlaps}"
        )
    return top
