"""Protocol fuzzing against a live daphne: 10,000 generated frames over ~200 sockets.

Every frame is followed by a `ping`; everything the server sends before the `pong` is that
frame's answer. An invalid frame must get exactly one `error` and leave the socket open, or
close it with its documented code (4413 oversize, 4401 a foreign token); never 1011, never a
traceback in the server log, and the bystander sockets keep receiving events.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from .frames import ERROR, OK, generate
from .live import signup, tracebacks

FRAMES = 10_000
BOARDS = 20
SOCKETS_PER_BOARD = 10  # plus one /ws/me/ socket per board and one bystander each
NOISE = {"presence", "heartbeat", "event", "resync_required"}
pytestmark = pytest.mark.security


class Socket:
    def __init__(self, url: str):
        self.url = url
        self.ws = None

    async def open(self) -> None:
        self.ws = await connect(self.url, max_size=2**21, open_timeout=20)
        hello = json.loads(await asyncio.wait_for(self.ws.recv(), 20))
        assert hello["type"] == "hello", hello

    async def answer(self, data: str | bytes, pongs: int = 1) -> list[dict]:
        """Send a frame then a ping; return the frames that came before the ping's pong
        (`pongs=2` when the frame is itself a ping)."""
        await self.ws.send(data)
        await self.ws.send('{"type":"ping"}')
        out = []
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), 20))
            if frame["type"] == "pong":
                pongs -= 1
                if pongs == 0:
                    return out
            else:
                out.append(frame)


async def drive(sock: Socket, frames, tally: Counter) -> None:
    await sock.open()
    for frame in frames:
        try:
            answers = await sock.answer(frame.data, pongs=2 if frame.kind == "control" else 1)
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            assert code == frame.expect, (frame.kind, str(frame.data)[:200], code)
            tally[f"close {code}"] += 1
            await sock.open()
            continue
        assert frame.expect in (ERROR, OK), (frame.kind, "socket stayed open", answers)
        errors = [a for a in answers if a["type"] == "error"]
        assert all(a["type"] in NOISE | {"error"} for a in answers), answers
        assert len(errors) == (1 if frame.expect == ERROR else 0), (frame.kind, frame.data, answers)
        for error in errors:
            assert error["code"] != "internal", (frame.kind, str(frame.data)[:200])
            tally[error["code"]] += 1
        tally["ok" if not errors else "answered"] += 1
    await sock.ws.close()


async def test_ten_thousand_generated_frames(fuzz_server):
    server = fuzz_server
    boards = []
    for _ in range(BOARDS):
        api, _user, _ = signup(server.base, "fz")
        board = api.ok("POST", "/api/boards/", {"name": "fuzz"})
        boards.append((api, board["id"]))

    bystanders = []
    for api, board_id in boards:
        by = Socket(f"{server.ws}/ws/boards/{board_id}/?token={api.token}")
        await by.open()
        bystanders.append(by)

    sockets = []
    for api, board_id in boards:
        sockets += [Socket(f"{server.ws}/ws/boards/{board_id}/?token={api.token}")
                    for _ in range(SOCKETS_PER_BOARD)]  # fmt: skip
        sockets.append(Socket(f"{server.ws}/ws/me/?token={api.token}"))
    frames = generate(FRAMES)
    shares = [frames[i :: len(sockets)] for i in range(len(sockets))]
    tally: Counter = Counter()
    started = time.monotonic()
    await asyncio.gather(
        *(drive(s, share, tally) for s, share in zip(sockets, shares, strict=True))
    )
    elapsed = time.monotonic() - started
    print(f"\n{FRAMES} frames over {len(sockets)} sockets in {elapsed:.1f}s: {dict(tally)}")

    assert (
        sum(tally[k] for k in ("ok", "answered"))
        + sum(v for k, v in tally.items() if k.startswith("close"))
        == FRAMES
    )
    assert "close 1011" not in tally
    # Other sockets were unaffected: each bystander still answers and still gets its events.
    for (api, board_id), by in zip(boards, bystanders, strict=True):
        api.ok("PATCH", f"/api/boards/{board_id}/", {"description": "after the fuzz"})
        answers = await by.answer('{"type":"ping"}')
        deadline = time.monotonic() + 5
        while not any(a.get("name") == "board.updated" for a in answers):
            assert time.monotonic() < deadline, answers
            answers += await by.answer('{"type":"ping"}')
        await by.ws.close()
    assert tracebacks(server) == []
