"""Faults mid-stream, through nginx: a daphne SIGKILLed, Redis restarted. Sockets reconnect or
resume with `since` and end with every event exactly once, in order."""

from __future__ import annotations

import asyncio

from .sockets import open_on_both_daphnes, settle_and_check, write_stream

WRITES = 40
FAULT_AT = 15


async def test_daphne_killed_mid_stream_clients_resume_on_the_other(
    stack, users, alice, board, task
):
    tokens = [users["alice"]["access"], users["bob"]["access"]]
    sockets = await open_on_both_daphnes(stack, board["id"], tokens, count=6)
    try:
        await write_stream(alice, task["id"], WRITES, FAULT_AT, lambda: stack.kill_daphne(0))
        top = await settle_and_check(alice, board["id"], sockets)
        assert top >= sockets[0].start_seq + WRITES
        # The sockets daphne0 held came back through nginx (to daphne1).
        assert any(sock.reconnects > 0 for sock in sockets)
        # nginx really did try the dead one and fail over ("up=A, B ups=502, 101" or similar).
        access = stack.nginx_logs()["access.log"]
        assert f"127.0.0.1:{stack.daphne_ports[0]}, 127.0.0.1:{stack.daphne_ports[1]}" in access
    finally:
        await asyncio.gather(*(sock.close() for sock in sockets))
        stack.start_daphne(0)
        stack.wait_nginx_routes_to(0)


async def test_redis_restart_mid_stream_loses_nothing_after_resume(
    stack, users, alice, board, task
):
    tokens = [users["alice"]["access"], users["bob"]["access"]]
    sockets = await open_on_both_daphnes(stack, board["id"], tokens, count=4)
    old_pid = stack.procs["redis"].pid
    try:
        await write_stream(alice, task["id"], WRITES, FAULT_AT, stack.restart_redis)
        assert stack.procs["redis"].pid != old_pid  # a new, empty Redis: groups were lost
        await settle_and_check(alice, board["id"], sockets)
    finally:
        await asyncio.gather(*(sock.close() for sock in sockets))
