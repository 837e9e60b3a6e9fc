"""SPEC section 5: only members ever receive a board's events, also when the message that
announces a removal is lost. Redis is killed, the owner removes a viewer, writes go on (one of
them a task named "SECRET after removal"), Redis comes back empty. The viewer's sockets, and a
hostile script of the viewer's that sends `resume {since: 0}` again and again, close with 4403
and never get anything committed after the removal; the member's sockets get everything."""

from __future__ import annotations

import asyncio
import time

from .checks import failed_writes, final_checks, report, timed_write, wait_for_head, write_loop
from .client import FaultClient, HostileClient

AFTER_S = 5.0


async def test_removal_lost_with_redis_never_leaks_to_the_removed(stack, marks):
    board = stack.new_board({"member": "member", "viewer": "viewer"})
    board_id = board["id"]
    task = stack.new_task(board_id)
    viewer_id = stack.users["viewer"].id
    owner = stack.api("owner")

    def client(cls, daphne, user, name):
        return cls(daphne.ws, board_id, stack.users[user].access, name)

    members = [client(FaultClient, d, "member", f"c4-member-{d.name}") for d in (stack.a, stack.b)]
    viewers = [client(FaultClient, d, "viewer", f"c4-viewer-{d.name}") for d in (stack.a, stack.b)]
    hostiles = [
        client(HostileClient, d, "viewer", f"c4-hostile-{d.name}") for d in (stack.a, stack.b)
    ]
    everyone = members + viewers + hostiles
    problems: list[str] = []
    try:
        await asyncio.gather(*(c.start() for c in everyone))
        before = await write_loop(owner, task["id"], 4, 5, "c4pre")
        head = await asyncio.to_thread(stack.head, board_id)
        problems += await wait_for_head(everyone, head, time.monotonic() + 10)

        await asyncio.to_thread(stack.kill_redis)
        removal = await asyncio.to_thread(
            timed_write, owner, "DELETE", f"/api/boards/{board_id}/members/{viewer_id}/", None,
            "c4-remove",
        )  # fmt: skip
        for hostile in hostiles:
            hostile.attack()  # resume {since: 0} every 0.2 s from now on
        secret = await asyncio.to_thread(
            timed_write, owner, "POST", "/api/tasks/",
            {"board": board_id, "name": "SECRET after removal"}, "c4-secret",
        )  # fmt: skip
        during = await write_loop(
            owner, task["id"], 10, 2, "c4out", body=lambda n: {"description": f"SECRET {n}"}
        )
        back = await asyncio.to_thread(stack.start_redis)
        after = await write_loop(
            owner, task["id"], 4, 2, "c4post", body=lambda n: {"description": f"SECRET post {n}"}
        )

        if removal.status != 204:
            problems.append(
                f"DELETE member while Redis was away: {removal.status} {removal.detail!r}"
            )
        if secret.status != 201:
            problems.append(f"POST task while Redis was away: {secret.status} {secret.detail!r}")
        problems += failed_writes(before + during + after)

        rows = await asyncio.to_thread(stack.event_log, board_id, 0)
        removed = [
            r["seq"] for r in rows if r["name"] == "member.removed" and removed_user(r) == viewer_id
        ]
        removed_clients = viewers + hostiles
        deadline = max(back, after[-1].returned) + AFTER_S
        if len(removed) != 1:
            problems.append(
                f"the event log holds {len(removed)} member.removed of the viewer: the removal "
                "did not happen, so the viewer's sockets were not checked"
            )
        else:
            problems += await removed_checks(removed_clients, removed[0], deadline)

        problems += await final_checks(stack, board_id, members, deadline, marks)
    finally:
        await asyncio.gather(*(c.stop() for c in everyone), return_exceptions=True)
    report(problems)


async def removed_checks(clients: list[FaultClient], removed_seq: int, deadline: float) -> list:
    """The removed user's sockets all end closed with 4403 (bounded wait), and none of them
    ever got an event, a hello or a byte of what was committed after the removal."""
    problems = []
    while time.monotonic() < deadline and not all(c.stopped for c in clients):
        await asyncio.sleep(0.05)
    for c in clients:
        if c.gave_up_code != 4403:
            state = "still open" if c.open else "reconnecting"
            problems.append(
                f"{c.name}: not closed with 4403 by {AFTER_S} s after Redis came back "
                f"({state}; {c.summary()})"
            )
        leaked = sorted({f.data["seq"] for f in c.events if f.data["seq"] > removed_seq})
        if leaked:
            problems.append(
                f"{c.name}: got {len(leaked)} events committed after its removal "
                f"(member.removed is seq {removed_seq}; got seqs {leaked[:10]})"
            )
        secret = [f.data.get("type") for f in c.frames if "SECRET" in f.raw]
        if secret:
            problems.append(f"{c.name}: {len(secret)} frames held 'SECRET' ({secret[:5]})")
        late = [f.data.get("seq") for f in c.hellos if (f.data.get("seq") or 0) > removed_seq]
        if late:
            problems.append(f"{c.name}: hello after the removal (seq {late})")
        if 1011 in c.close_codes:
            problems.append(f"{c.name} saw close code 1011")
    return problems


def removed_user(row: dict) -> int | None:
    user = row["data"].get("user")
    return user.get("id") if isinstance(user, dict) else user
