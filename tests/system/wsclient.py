"""A board socket client that behaves like the live page: it keeps `last seq`, and when the
connection drops it reconnects through nginx with `since=<last seq>`.

It records every `event` frame it is given, duplicates included, so tests can assert that
each event arrived exactly once and in order across crashes and restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import websockets
from websockets.asyncio.client import connect


class BoardSocket:
    def __init__(self, ws_url: str, board_id: int, token: str, name: str = ""):
        self.ws_url, self.board_id, self.token, self.name = ws_url, board_id, token, name
        self.events: list[dict[str, Any]] = []
        self.hellos: list[dict[str, Any]] = []
        self.reconnects = 0
        self.close_codes: list[int | None] = []
        self.ws = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._connected = asyncio.Event()
        # Events at or below our last seq that arrived after we asked to `resume`: frames that
        # were in flight when the replay started. Dropped, as the page drops them (state.js).
        self.resume_overlaps = 0
        self._resumed = False

    @property
    def last_seq(self) -> int:
        return self.events[-1]["seq"] if self.events else self.start_seq

    def url(self, since: int | None) -> str:
        query = f"token={self.token}" + (f"&since={since}" if since is not None else "")
        return f"{self.ws_url}/ws/boards/{self.board_id}/?{query}"

    async def open(self, since: int | None = None, timeout: float = 10) -> BoardSocket:
        """Connect once and wait for `hello`; later drops reconnect in the background."""
        self.start_seq = since if since is not None else 0
        self._since_first = since
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self._connected.wait(), timeout)
        if since is None:
            self.start_seq = self.hellos[0]["seq"]
        return self

    async def _run(self) -> None:
        since = self._since_first
        while not self._stopping:
            try:
                async with connect(self.url(since), open_timeout=5, ping_interval=10) as ws:
                    self.ws, self._resumed = ws, False
                    async for raw in ws:
                        self._on_frame(json.loads(raw))
                    self.close_codes.append(ws.close_code)
            except (OSError, websockets.exceptions.WebSocketException, TimeoutError) as exc:
                code = getattr(getattr(exc, "rcvd", None), "code", None)
                self.close_codes.append(code)
            self.ws = None
            if self._stopping or (self.close_codes and self.close_codes[-1] in (4401, 4403)):
                return
            # Crash, restart, network: come back from where we are, as the live page does.
            self.reconnects += 1
            since = self.last_seq
            await asyncio.sleep(0.2)

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "hello":
            self.hellos.append(frame)
            self._connected.set()
        elif kind == "event":
            if self._resumed and frame["seq"] <= self.last_seq:
                self.resume_overlaps += 1
                return
            self.events.append(frame)

    async def resume(self) -> None:
        """Ask the server for everything after our last seq on the open socket."""
        if self.ws is not None:
            self._resumed = True
            with contextlib.suppress(websockets.exceptions.ConnectionClosed):
                await self.ws.send(json.dumps({"type": "resume", "since": self.last_seq}))

    async def wait_for_seq(self, seq: int, timeout: float = 20) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.last_seq < seq:
            if loop.time() > deadline:
                raise AssertionError(
                    f"{self.name}: at seq {self.last_seq}, wanted {seq}; "
                    f"reconnects={self.reconnects} closes={self.close_codes}"
                )
            await asyncio.sleep(0.05)

    def seqs(self) -> list[int]:
        return [frame["seq"] for frame in self.events]

    async def close(self) -> None:
        self._stopping = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
