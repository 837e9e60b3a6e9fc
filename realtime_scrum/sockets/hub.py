"""This process's one channel on the channel layer, and the health of that layer.

Every group a socket belongs to (its user, its login session, the board it watches) is
joined once per process, with the hub's one channel; one reader hands each message to the
local listeners of its group (senders put the group in the message: `groups.send`). So a
group_send to N local sockets is one layer delivery per process, and a failing layer is one
reader's problem, healed in one place instead of killing every socket with 1011 (Channels'
per-consumer receive loop raises redis' ConnectionError out of `await_many_dispatch`):

- the reader and every layer call are supervised: a failure marks the layer degraded, the
  supervisor backs off, re-joins every group (a Redis restarted empty forgot them) and then
  tells its watchers the layer is back, so they repair their sockets from the event log;
- a probe sent to the hub's own group every PROBE_S proves the whole path: a Redis that
  restarted behind a transparent reconnect (redis-py retries), or one that hangs, is found
  within PROBE_TIMEOUT_S, where waiting for an error would wait forever. With the layer
  sharded (CHANNEL_LAYER_URLS) there is one probe group per shard: a group lives on the
  shard its name hashes to, and one probe would not see another shard die or restart empty
  (that shard's groups would then stop delivering without an error anywhere);
- one log line per state change, never one per socket.

While degraded, board streams are fed from the log (board/live/watcher.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import uuid
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from channels.layers import BaseChannelLayer, get_channel_layer

from realtime_scrum import metrics

log = logging.getLogger(__name__)

PROBE_S = 1.0
PROBE_TIMEOUT_S = 2.0
CALL_TIMEOUT_S = 2.0
BACKOFF_MIN_S = 0.25
BACKOFF_MAX_S = 2.0


class Listener(Protocol):
    def group_message(self, message: dict[str, Any]) -> None:
        """Called on the hub's loop for each message of a group; must not block."""


class Hub:
    def __init__(self, layer: BaseChannelLayer) -> None:
        self.layer = layer
        self.groups: dict[str, set[Listener]] = {}
        self.joined: set[str] = set()
        self.channel: str | None = None
        self.probe_groups = probe_groups(layer, f"hub.{uuid.uuid4().hex}")
        self.healthy = False
        self.degraded_since: float | None = None
        self.watchers: list[Callable[[bool], None]] = []
        self._supervisor: asyncio.Task | None = None
        self._reader: asyncio.Task | None = None
        self._probe: tuple[int, dict[int, asyncio.Future]] | None = None
        self._probe_seq = 0
        self._renewed = time.monotonic()
        self._settled = asyncio.Event()  # the first join attempt has an outcome

    # --- listeners ------------------------------------------------------------------------

    async def subscribe(self, group: str, listener: Listener) -> None:
        """Join `group` for `listener`. Never raises: while the layer is away the group is
        joined by the supervisor once it is back."""
        listeners = self.groups.setdefault(group, set())
        listeners.add(listener)
        self._ensure_running()
        if not self.healthy and self.degraded_since is None:
            # Starting: the supervisor's first join includes this group. Callers read the
            # log's head after this returns, so the group must be joined by then (or the
            # layer known to be away, when the log poll covers it).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._settled.wait(), CALL_TIMEOUT_S + PROBE_TIMEOUT_S)
        if self.healthy and group not in self.joined:
            try:
                await self._call(self.layer.group_add(group, await self._channel()))
                self.joined.add(group)
            except Exception as exc:
                self._set_degraded(f"group_add failed: {type(exc).__name__}")

    async def unsubscribe(self, group: str, listener: Listener) -> None:
        listeners = self.groups.get(group)
        if listeners is None:
            return
        listeners.discard(listener)
        if listeners:
            return
        del self.groups[group]
        if group in self.joined:
            self.joined.discard(group)
            if self.healthy:
                try:  # best effort: a stale member only costs dropped messages
                    await self._call(self.layer.group_discard(group, await self._channel()))
                except Exception as exc:
                    self._set_degraded(f"group_discard failed: {type(exc).__name__}")
        if not self.groups:
            self._stop()

    def watch(self, callback: Callable[[bool], None]) -> None:
        """callback(healthy) on every change of the layer's state."""
        self.watchers.append(callback)

    def unwatch(self, callback: Callable[[bool], None]) -> None:
        if callback in self.watchers:
            self.watchers.remove(callback)

    # --- the supervised reader ------------------------------------------------------------

    def _ensure_running(self) -> None:
        if self._supervisor is None or self._supervisor.done():
            self._supervisor = asyncio.get_running_loop().create_task(self._supervise())

    def _stop(self) -> None:
        """No group left: nothing to read (and no task left behind on a closing loop)."""
        for task in (self._reader, self._supervisor):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        self._reader = self._supervisor = None
        self.joined.clear()
        self.healthy = False
        if self.degraded_since is not None:
            metrics.layer_degraded_ended(time.monotonic() - self.degraded_since)
        self.degraded_since = None
        self._settled.clear()

    async def _channel(self) -> str:
        if self.channel is None:
            self.channel = await self.layer.new_channel()
        return self.channel

    async def _call(self, awaitable: Any) -> Any:
        # socket_timeout is None on the layer (an idle blocking read must not time out), so a
        # hung Redis would hang every call: bound each one here instead.
        return await asyncio.wait_for(awaitable, CALL_TIMEOUT_S)

    async def _supervise(self) -> None:
        backoff = BACKOFF_MIN_S
        while True:
            if not self.healthy:
                try:
                    await self._rejoin()
                    self._start_reader()
                    if not await self._probe_once():
                        raise ConnectionError("probe not delivered")
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    self._set_degraded(f"{type(exc).__name__}: {exc}"[:200])
                    self._cancel_reader()
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, BACKOFF_MAX_S)
                    continue
                backoff = BACKOFF_MIN_S
                self._set_healthy()
            await asyncio.sleep(PROBE_S)
            if self._reader is None or self._reader.done():
                self._set_degraded("reader stopped")
            elif not await self._probe_once():
                self._set_degraded("probe not delivered")
            elif time.monotonic() - self._renewed > self._group_expiry() / 2:
                # The layer forgets group members after group_expiry (24 h by default).
                self.joined.clear()
                await self._rejoin()
            if not self.healthy:
                self._cancel_reader()

    async def _rejoin(self) -> None:
        channel = await self._channel()
        self.joined.difference_update(self.probe_groups)
        while True:
            todo = [g for g in [*self.probe_groups, *self.groups] if g not in self.joined]
            if not todo:
                break
            for group in todo:
                await self._call(self.layer.group_add(group, channel))
                self.joined.add(group)
        self._renewed = time.monotonic()

    def _group_expiry(self) -> float:
        return float(getattr(self.layer, "group_expiry", 86400))

    def _start_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.get_running_loop().create_task(self._read())

    def _cancel_reader(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            self._reader = None

    async def _read(self) -> None:
        channel = await self._channel()
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._set_degraded(f"receive failed: {type(exc).__name__}")
                return
            self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if message.get("type") == "hub.probe":
            probe = self._probe
            if probe is not None and probe[0] == message.get("probe"):
                waiter = probe[1].get(message.get("shard", 0))
                if waiter is not None and not waiter.done():
                    waiter.set_result(True)
            return
        for listener in list(self.groups.get(message.get("group", ""), ())):
            try:
                listener.group_message(message)
            except Exception:
                log.exception("socket group listener failed")

    async def _probe_once(self) -> bool:
        self._probe_seq += 1
        loop = asyncio.get_running_loop()
        waiters = {shard: loop.create_future() for shard in range(len(self.probe_groups))}
        self._probe = (self._probe_seq, waiters)
        try:
            for shard, group in enumerate(self.probe_groups):
                message = {"type": "hub.probe", "probe": self._probe_seq, "shard": shard}
                await self._call(self.layer.group_send(group, message))
            await asyncio.wait_for(asyncio.gather(*waiters.values()), PROBE_TIMEOUT_S)
            return True
        except asyncio.CancelledError:
            raise
        except Exception:
            return False
        finally:
            self._probe = None

    # --- state ----------------------------------------------------------------------------

    def _set_degraded(self, reason: str) -> None:
        if self.degraded_since is None:
            self.degraded_since = time.monotonic()
            log.warning(
                "channel layer unavailable (%s): sockets are fed from the event log", reason
            )
        self.healthy = False
        self.joined.clear()
        self._settled.set()
        self._notify(False)

    def _set_healthy(self) -> None:
        self.healthy = True
        self._settled.set()
        if self.degraded_since is not None:
            away = time.monotonic() - self.degraded_since
            self.degraded_since = None
            metrics.layer_degraded_ended(away)
            log.warning(
                "channel layer back after %.1f s: %d groups joined again", away, len(self.joined)
            )
        self._notify(True)

    def _notify(self, healthy: bool) -> None:
        for callback in list(self.watchers):
            try:
                callback(healthy)
            except Exception:
                log.exception("layer state watcher failed")


def _layer_background_losses(loop: asyncio.AbstractEventLoop) -> None:
    """channels-redis starts tasks of its own that nobody awaits (after each receive it pops
    the channel's backup set in a fire-and-forget task). When Redis goes away under one, asyncio
    logs "Task exception was never retrieved" with a traceback: the hub has already seen the
    same outage and logged its one line, so those become a debug line."""
    previous = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if _is_layer_loss(context):
            log.debug("channel layer background call failed: %s", context["exception"])
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)


def _is_layer_loss(context: dict[str, Any]) -> bool:
    exc, task = context.get("exception"), context.get("future")
    if exc is None or not isinstance(task, asyncio.Task):
        return False
    code = getattr(task.get_coro(), "cr_code", None)
    where = getattr(code, "co_filename", "")
    return type(exc).__module__.startswith("redis") and "channels_redis" in where


def probe_groups(layer: BaseChannelLayer, base: str) -> list[str]:
    """One group name per shard of the layer, each hashing to its shard (channels-redis
    picks a group's shard by `consistent_hash(name)`); one name for an unsharded layer."""
    shards = int(getattr(layer, "ring_size", 1))
    if shards <= 1:
        return [base]
    names: dict[int, str] = {}
    for n in itertools.count():
        name = f"{base}.{n}"
        names.setdefault(layer.consistent_hash(name), name)
        if len(names) == shards:
            return [names[shard] for shard in range(shards)]
    raise AssertionError("unreachable")


# Tasks and futures belong to one event loop (tests run one loop each): one hub per loop.
_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    layer = get_channel_layer()
    current = _hubs.get(loop)
    if current is None or current.layer is not layer:
        if current is None:
            _layer_background_losses(loop)
        current = _hubs[loop] = Hub(layer)
    return current


def layer_state() -> str:
    """ "ok", "degraded" or "idle" (no socket in this process) for /readyz, from any thread."""
    states = [h for h in list(_hubs.values()) if h.groups]
    if not states:
        return "idle"
    return "ok" if all(h.healthy for h in states) else "degraded"


def degraded_since_all() -> list[float]:
    """When each of this process's hubs lost the layer, for those still without it
    (realtime_scrum/metrics.py: degraded seconds go on counting while it is away)."""
    return [h.degraded_since for h in list(_hubs.values()) if h.degraded_since is not None]
