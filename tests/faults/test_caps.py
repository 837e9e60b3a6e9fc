"""SPEC section 15: socket caps. Past WS_MAX_SOCKETS_PER_USER (or WS_MAX_SOCKETS_PER_ADDRESS)
open sockets in one process, the next socket is accepted and then closed with 4429; once one
closes, a new one is accepted. A daphne of its own ("c") with small caps; every client comes
from 127.0.0.1, so the address cap is reached with several users."""

from __future__ import annotations

import asyncio
import time

import pytest

from .checks import report
from .client import FaultClient

PER_USER = 3
PER_ADDRESS = 6
STAY_S = 2.5  # an accepted socket must stay open this long (over two 1 s heartbeats)


@pytest.fixture(scope="module")
def capped(stack):
    daphne = stack.start_daphne(
        "c",
        {"WS_MAX_SOCKETS_PER_USER": str(PER_USER), "WS_MAX_SOCKETS_PER_ADDRESS": str(PER_ADDRESS)},
    )
    for n in range(1, 5):
        if f"cap{n}" not in stack.users:
            stack.signup(f"cap{n}")
    yield daphne
    daphne.stop()
    del stack.daphnes["c"]


def capped_board(stack) -> dict:
    return stack.new_board({f"cap{n}": "member" for n in range(1, 5)})


async def open_one(stack, daphne, board_id: int, user: str, name: str) -> FaultClient:
    client = FaultClient(daphne.ws, board_id, stack.users[user].access, name)
    return await client.start_no_wait()


async def outcome(client: FaultClient, within: float) -> str:
    """'open' (hello and still open after `within`), 'closed <code>' or 'no hello'."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if client.close_codes:
            return f"closed {client.close_codes[0]}"
        await asyncio.sleep(0.02)
    if client.close_codes:
        return f"closed {client.close_codes[0]}"
    return "open" if client.hellos else f"no hello ({client.handshake_errors})"


async def accepted_within(stack, daphne, board_id, user, name, within: float = 3.0):
    """A socket that must be accepted: a 4429 right after another closed may be the server
    not having counted the close yet, so retry on 4429 until `within` (bounded)."""
    deadline = time.monotonic() + within
    tries = []
    while True:
        client = await open_one(stack, daphne, board_id, user, name)
        result = await outcome(client, STAY_S)
        tries.append(result)
        if result != "closed 4429" or time.monotonic() > deadline:
            return client, tries
        await client.stop()


async def test_socket_caps_per_user_and_per_address(stack, capped, marks):
    board = capped_board(stack)
    board_id = board["id"]
    clients: list[FaultClient] = []
    problems: list[str] = []
    try:
        # --- per user: PER_USER sockets of cap1, then one more -----------------------------
        first = [
            await open_one(stack, capped, board_id, "cap1", f"c6-u{n}") for n in range(PER_USER)
        ]
        clients += first
        results = await asyncio.gather(*(outcome(c, STAY_S) for c in first))
        if results != ["open"] * PER_USER:
            problems.append(
                f"the first {PER_USER} sockets of one user: {results}, all should be open"
            )
        extra = await open_one(stack, capped, board_id, "cap1", "c6-u-extra")
        clients.append(extra)
        got = await outcome(extra, 5)
        if got != "closed 4429":
            problems.append(
                f"socket {PER_USER + 1} of one user (WS_MAX_SOCKETS_PER_USER={PER_USER}): {got}, "
                f"expected accepted then closed 4429 ({extra.summary()})"
            )
        elif extra.handshake_errors:
            problems.append(
                f"socket {PER_USER + 1} refused at the handshake: {extra.handshake_errors}"
            )
        others = [c.summary() for c in first if c.close_codes]
        if others:
            problems.append(f"the over-cap socket closed sockets under the cap: {others}")
        await first[0].stop()
        again, tries = await accepted_within(stack, capped, board_id, "cap1", "c6-u-again")
        clients.append(again)
        if tries[-1] != "open":
            problems.append(
                f"after closing one of the user's sockets a new one was refused: {tries}"
            )
        for c in clients:
            await c.stop()
        clients.clear()

        # --- per address: PER_ADDRESS sockets of three users, then one from a fourth -------
        batch = [
            await open_one(stack, capped, board_id, f"cap{n % 3 + 1}", f"c6-a{n}")
            for n in range(PER_ADDRESS)
        ]
        results = await asyncio.gather(*(outcome(c, STAY_S) for c in batch))
        for n, (client, result) in enumerate(zip(batch, results, strict=True)):
            if result == "closed 4429":  # the server may not have counted phase 1's closes yet
                await client.stop()
                client, tries = await accepted_within(
                    stack, capped, board_id, f"cap{n % 3 + 1}", f"c6-a{n}-retry"
                )
                result = f"{tries}"
            clients.append(client)
            if not client.hellos or client.close_codes:
                problems.append(
                    f"socket {n + 1} of {PER_ADDRESS} from the address not accepted: {result}"
                )
        extra = await open_one(stack, capped, board_id, "cap4", "c6-a-extra")
        got = await outcome(extra, 5)
        if got != "closed 4429":
            problems.append(
                f"socket {PER_ADDRESS + 1} from one address (WS_MAX_SOCKETS_PER_ADDRESS="
                f"{PER_ADDRESS}), a fourth user: {got}, expected accepted then closed 4429 "
                f"({extra.summary()})"
            )
        clients.append(extra)
        await clients[0].stop()
        again, tries = await accepted_within(stack, capped, board_id, "cap4", "c6-a-again")
        clients.append(again)
        if tries[-1] != "open":
            problems.append(
                f"after closing one socket of the address a new one was refused: {tries}"
            )
        problems += [f"{c.name} saw close code 1011" for c in clients if 1011 in c.close_codes]
        from .harness import tracebacks

        problems += tracebacks(stack.logs_since(marks))
    finally:
        await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)
    report(problems)
