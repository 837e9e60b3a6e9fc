"""Follow one board live, forever, with a personal access token: the worked example of
docs/integrations.md.

    RS_URL=https://scrum.example.com RS_TOKEN=rs_pat_... python board_follower.py 7

It loads the board's snapshot once, then keeps a socket open and applies every event in seq
order. When the socket closes (a deploy, a network cut, 4408 after a laptop slept) it
reconnects with `since` (the last seq it applied) and `epoch` (the history that seq belongs
to), so the server replays exactly what it missed. `resync_required` means the missing events
cannot be replayed (too old, or the board's history was reset): load the snapshot again.

Only the standard library and `websockets` (pip install websockets).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import urllib.request
from typing import Any

import websockets

# Close codes after which reconnecting cannot help (docs/realtime.md): the token is bad or
# revoked, or the token's user is not (or no longer) a member of the board.
FATAL_CLOSE_CODES = {4401, 4403}


class Board:
    """The board as this client knows it: the snapshot plus every event applied after it."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.seq: int = snapshot["seq"]
        self.epoch: str = snapshot["epoch"]
        self.tasks: dict[int, dict[str, Any]] = {t["id"]: t for t in snapshot["tasks"]}

    def apply(self, event: dict[str, Any]) -> None:
        name, data = event["name"], event["data"]
        if name in ("task.created", "task.updated", "task.restored"):
            self.tasks[data["id"]] = data
        elif name == "task.moved":
            self.tasks[data["task"]["id"]] = data["task"]
        elif name == "task.deleted":
            self.tasks.pop(data["id"], None)
        self.seq = event["seq"]


def get_json(base: str, path: str, token: str) -> dict[str, Any]:
    # S310: the URL is the one this script was given (RS_URL).
    headers = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.load(response)


async def snapshot(base: str, token: str, board_id: int) -> Board:
    path = f"/api/boards/{board_id}/snapshot/"
    return Board(await asyncio.to_thread(get_json, base, path, token))


async def follow(base: str, token: str, board_id: int, on_frame=None, stop=None) -> Board:
    """Apply the board's events until `stop` (an asyncio.Event) is set or a fatal close;
    `on_frame(board, frame)` sees every frame once it is applied."""
    board = await snapshot(base, token, board_id)
    ws_base = base.replace("http", "ws", 1)
    delay = 1.0
    while stop is None or not stop.is_set():
        url = f"{ws_base}/ws/boards/{board_id}/?since={board.seq}&epoch={board.epoch}"
        try:
            # The token goes in a header, so it never appears in a URL or an access log.
            async with websockets.connect(
                url, additional_headers={"Authorization": f"Bearer {token}"}
            ) as socket:
                delay = 1.0
                async for raw in socket:
                    frame = json.loads(raw)
                    if frame["type"] == "resync_required":
                        board = await snapshot(base, token, board_id)
                        await socket.send(json.dumps({"type": "resume", "since": board.seq}))
                    elif frame["type"] == "event" and frame["seq"] == board.seq + 1:
                        board.apply(frame)
                    elif frame["type"] == "event" and frame["seq"] > board.seq + 1:
                        # Never expected (the server fills holes itself): ask for the rest.
                        await socket.send(json.dumps({"type": "resume", "since": board.seq}))
                    if on_frame is not None:
                        on_frame(board, frame)
                    if stop is not None and stop.is_set():
                        return board
        except websockets.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            if code in FATAL_CLOSE_CODES:
                print(f"closed {code}: {closed.rcvd.reason}", file=sys.stderr)
                return board
        except OSError:
            pass  # the server is restarting: retry below
        await asyncio.sleep(delay)
        delay = min(delay * 2, 30.0)
    return board


if __name__ == "__main__":

    def show(board: Board, frame: dict[str, Any]) -> None:
        if frame["type"] == "hello":
            print(f"connected at #{frame['seq']}")
        elif frame["type"] == "event":
            print(f"#{frame['seq']} {frame['name']}: {len(board.tasks)} tasks")

    asyncio.run(follow(os.environ["RS_URL"], os.environ["RS_TOKEN"], int(sys.argv[1]), show))
