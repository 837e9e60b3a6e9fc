"""WebSockets through nginx: the handshake and close codes pass through, and a change made
through one daphne reaches sockets held by the other (channels-redis between them)."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets
from websockets.asyncio.client import connect

from .sockets import head, open_on_both_daphnes, ws_connects


async def test_change_through_one_daphne_reaches_sockets_on_the_other(
    stack, users, alice, board, task
):
    tokens = [users["alice"]["access"], users["bob"]["access"]]
    sockets = await open_on_both_daphnes(stack, board["id"], tokens, count=4)
    try:
        assert all(ws_connects(stack, i, board["id"]) > 0 for i in (0, 1))
        hello = sockets[0].hellos[0]
        assert hello["board"] == board["id"] and hello["seq"] == head(alice, board["id"])
        resp = alice.patch(f"/api/tasks/{task['id']}/", {"name": "live"}, X_Client_Op_Id="op-1")
        assert resp.status == 200
        seq = head(alice, board["id"])
        for sock in sockets:
            await sock.wait_for_seq(seq, timeout=10)
            frame = sock.events[-1]
            assert (frame["name"], frame["data"]["name"]) == ("task.updated", "live")
            assert frame["client_op_id"] == "op-1"
            assert frame["actor"]["username"] == "alice"
    finally:
        await asyncio.gather(*(sock.close() for sock in sockets))


async def test_bad_token_closes_4401_through_nginx(stack, board):
    url = f"{stack.ws_url}/ws/boards/{board['id']}/?token=not-a-jwt"
    async with connect(url) as ws:
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 4401


async def test_idle_socket_outlives_a_quiet_spell(stack, users, board):
    """nginx's read timeout and the layer's socket_timeout (TRAPS.md) leave a quiet socket
    alone; 8 s is past redis-py 8's 5 s default that would have killed it."""
    url = f"{stack.ws_url}/ws/boards/{board['id']}/?token={users['bob']['access']}"
    async with connect(url, ping_interval=None) as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello"
        await asyncio.sleep(8)
        await ws.send('{"type": "ping"}')
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
            if frame["type"] == "pong":
                break
