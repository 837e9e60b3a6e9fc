"""A channel layer sharded over several Redis servers: the hub probes every shard, so one
shard restarted empty (its groups forgotten, no error anywhere) is found and every group
joined again, whichever shard the hub's other traffic lives on."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer
from channels_redis.utils import _consistent_hash

from realtime_scrum.sockets import hub as hub_module
from realtime_scrum.sockets.hub import Hub, probe_groups


class TwoShards(InMemoryChannelLayer):
    """The in-memory layer with channels-redis's choice of shard for a group's name, and a
    shard that can restart empty: its groups are gone and sends to them reach nobody."""

    ring_size = 2

    def consistent_hash(self, value: str) -> int:
        return _consistent_hash(value, self.ring_size)

    def restart(self, shard: int) -> None:
        for group in [g for g in self.groups if self.consistent_hash(g) == shard]:
            del self.groups[group]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    def group_message(self, message: dict) -> None:
        self.messages.append(message)


def group_on(layer: TwoShards, shard: int) -> str:
    return next(f"board.{n}" for n in range(100) if layer.consistent_hash(f"board.{n}") == shard)


def test_one_probe_group_per_shard_each_on_its_shard():
    layer = TwoShards()
    groups = probe_groups(layer, "hub.abc")
    assert [layer.consistent_hash(g) for g in groups] == [0, 1]
    assert probe_groups(InMemoryChannelLayer(), "hub.abc") == ["hub.abc"]


async def delivered_after(layer: TwoShards, group: str, inbox: Inbox, timeout: float) -> bool:
    """Send to `group` until a message reaches the listener, as writes going on would."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await layer.group_send(group, {"type": "board.event", "group": group})
        await asyncio.sleep(0.1)
        if inbox.messages:
            return True
    return False


@pytest.mark.parametrize("shard", [0, 1])
async def test_a_shard_restarted_empty_is_found_and_its_groups_joined_again(monkeypatch, shard):
    monkeypatch.setattr(hub_module, "PROBE_S", 0.05)
    monkeypatch.setattr(hub_module, "PROBE_TIMEOUT_S", 0.3)
    layer = TwoShards()
    hub = Hub(layer)
    states: list[bool] = []
    hub.watch(states.append)
    inbox = Inbox()
    group = group_on(layer, shard)
    await hub.subscribe(group, inbox)
    try:
        assert hub.healthy
        layer.restart(shard)
        inbox.messages.clear()
        # Without a probe on each shard, one of the two shards' groups stays forgotten.
        assert await delivered_after(layer, group, inbox, timeout=10)
        assert False in states and states[-1] is True  # found away, then back (a repair)
    finally:
        await hub.unsubscribe(group, inbox)
