"""Every frame a test receives from a server socket is held to GET /api/asyncapi.json.

`check_frame(raw, path)` finds the frame's message in the AsyncAPI document (board/asyncapi/)
by its `type` (and an event's `name`) among those the endpoint at `path` sends, and validates
it against that message's JSON Schema. A frame of a type the document does not describe
there, or one that does not conform, raises `FrameViolation` and is recorded.

`install()` (tests/conftest.py, once per run) wraps every receiving path the suite uses:
channels' WebsocketCommunicator.receive_output (receive_from and receive_json_from go
through it) and the `recv` of websockets' asyncio and sync clients (`async for` goes through
it). Clients that parse frames by hand call `check_frame` themselves (tests/faults/client.py's
RawSlowSocket). A violation raised inside a client's background task would be lost with the
task, so tests/conftest.py also fails the test that recorded one (`raise_recorded`).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

DOC_URI = "urn:realtime-scrum:asyncapi"
ANY_CHANNEL = "*"  # a path no channel's address matches: any message of the document


class FrameViolation(AssertionError):
    pass


_recorded: list[str] = []
_lock = threading.Lock()


def reset() -> None:
    with _lock:
        _recorded.clear()


def raise_recorded(cause: BaseException | None = None) -> None:
    """Raise the first violation recorded since `reset()` (they may come from any thread)."""
    with _lock:
        found, _recorded[:] = list(_recorded), []
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise FrameViolation(found[0] + more) from cause


def _document() -> dict[str, Any]:
    from board.asyncapi import asyncapi_document

    return asyncapi_document()


class Catalog:
    """The document's server -> client messages, per channel, keyed (type, event name|None)."""

    def __init__(self, document: dict[str, Any]):
        registry = Registry().with_resource(
            DOC_URI, Resource.from_contents(document, default_specification=DRAFT7)
        )
        self.channels: list[tuple[str, re.Pattern[str]]] = []
        self.sends: dict[str, dict[tuple[str, str | None], Draft7Validator]] = {ANY_CHANNEL: {}}
        messages = document["components"]["messages"]
        for operation in document["operations"].values():
            if operation["action"] != "send":  # the server's sends: what a client receives
                continue
            channel = operation["channel"]["$ref"].rsplit("/", 1)[1]
            address = document["channels"][channel]["address"]
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(address)) + "$")
            if channel not in self.sends:
                self.channels.append((channel, pattern))
                self.sends[channel] = {}
            for ref in operation["messages"]:
                key = document["channels"][channel]["messages"][ref["$ref"].rsplit("/", 1)[1]]
                name = key["$ref"].rsplit("/", 1)[1]
                props = messages[name]["payload"]["properties"]
                index = (props["type"]["const"], props.get("name", {}).get("const"))
                validator = Draft7Validator(
                    {"$ref": f"{DOC_URI}#/components/messages/{name}/payload"}, registry=registry
                )
                self.sends[channel][index] = validator
                self.sends[ANY_CHANNEL][index] = validator

    def channel_of(self, path: str | None) -> str:
        bare = (path or "").split("?", 1)[0]
        for channel, pattern in self.channels:
            if pattern.match(bare):
                return channel
        return ANY_CHANNEL

    def violation(self, frame: Any, path: str | None) -> str | None:
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            return f"not a frame (an object with a string `type`): {frame!r:.300}"
        channel = self.channel_of(path)
        sends = self.sends[channel]
        name = frame.get("name") if frame["type"] == "event" else None
        validator = sends.get((frame["type"], name))
        if validator is None:
            what = frame["type"] + (f" {name!r}" if name is not None else "")
            return f"frame type {what} is not in the AsyncAPI document for channel {channel!r}"
        error = best_match(validator.iter_errors(frame))
        if error is None:
            return None
        where = "/".join(str(p) for p in error.absolute_path) or "(frame)"
        return f"{frame['type']} frame does not conform at {where}: {error.message:.400}"


@functools.cache
def catalog() -> Catalog:
    return Catalog(_document())


def check_frame(raw: str | bytes | dict[str, Any], path: str | None = None) -> Any:
    """The frame, parsed; FrameViolation (also recorded) if the document does not allow it."""
    if isinstance(raw, bytes):
        return _fail(f"a binary frame (the protocol is JSON text): {raw!r:.300}", path)
    try:
        frame = raw if isinstance(raw, dict) else json.loads(raw)
    except ValueError:
        return _fail(f"a frame that is not JSON: {raw!r:.300}", path)
    problem = catalog().violation(frame, path)
    return frame if problem is None else _fail(problem, path)


def _fail(problem: str, path: str | None) -> Any:
    message = f"{problem} (socket {(path or '?').split('?', 1)[0]})"
    with _lock:
        _recorded.append(message)
    raise FrameViolation(message)


# --- the receiving paths of the suite ------------------------------------------------------


def install() -> None:
    """Wrap the receive methods of every client library the tests use (idempotent)."""
    from channels.testing import WebsocketCommunicator
    from websockets.asyncio.client import ClientConnection as AsyncClient
    from websockets.sync.client import ClientConnection as SyncClient

    if getattr(WebsocketCommunicator, "_frame_checked", False):
        return
    receive_output = WebsocketCommunicator.receive_output

    async def checked_output(self, timeout: float = 1) -> dict[str, Any]:
        out = await receive_output(self, timeout)
        if out.get("type") == "websocket.send":
            text = out.get("text")
            check_frame(text if text is not None else out.get("bytes") or b"", self.scope["path"])
        return out

    async_recv = AsyncClient.recv

    async def checked_async_recv(self, *args: Any, **kwargs: Any) -> Any:
        data = await async_recv(self, *args, **kwargs)
        check_frame(data, _client_path(self))
        return data

    sync_recv = SyncClient.recv

    def checked_sync_recv(self, *args: Any, **kwargs: Any) -> Any:
        data = sync_recv(self, *args, **kwargs)
        check_frame(data, _client_path(self))
        return data

    WebsocketCommunicator.receive_output = checked_output  # type: ignore[method-assign]
    AsyncClient.recv = checked_async_recv  # type: ignore[method-assign,assignment]
    SyncClient.recv = checked_sync_recv  # type: ignore[method-assign,assignment]
    WebsocketCommunicator._frame_checked = True  # type: ignore[attr-defined]


def _client_path(connection: Any) -> str | None:
    request = getattr(connection, "request", None)
    return getattr(request, "path", None)
