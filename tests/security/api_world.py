"""Two boards on a live server for the API fuzzer: one the fuzzer's owner may change freely,
and a private one, of another owner, whose rows and names an outsider must never reach."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from tests.support.http import HttpClient

from .live import signup


def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=30)).isoformat()


@dataclass
class Board:
    owner: HttpClient
    board: int
    sprint: int
    task: int
    member: int
    label: int
    comment: int
    item: int
    markers: list[str] = field(default_factory=list)
    token: int = 0  # the owner's personal access token (its id: DELETE /api/auth/tokens/{id}/)
    webhook: int = 0  # off, at a loopback port nothing listens on (fuzz_server allows loopback)


def make_board(base: str, owner: HttpClient | None = None) -> Board:
    """A board with a sprint, a task in it and a second member; every name carries a marker."""
    owner = owner or signup(base, "own")[0]
    mark = f"s3cr3t{secrets.token_hex(4)}"
    member_api, member, _ = signup(base, "mbr")
    board = owner.ok("POST", "/api/boards/", {"name": f"{mark}-board", "description": mark})
    owner.ok("POST", f"/api/boards/{board['id']}/members/", {"username": member["username"]})
    sprint = owner.ok(
        "POST", "/api/sprints/", {"board": board["id"], "name": f"{mark}-sprint", "end": _future()}
    )
    task = owner.ok(
        "POST",
        "/api/tasks/",
        {"board": board["id"], "sprint": sprint["id"], "name": f"{mark}-task", "description": mark},
    )
    label = owner.ok(
        "POST", f"/api/boards/{board['id']}/labels/", {"name": f"{mark}-label", "color": "#1f77b4"}
    )
    comment = owner.ok("POST", f"/api/tasks/{task['id']}/comments/", {"body": f"{mark}-comment"})
    item = owner.ok("POST", f"/api/tasks/{task['id']}/checklist/", {"text": f"{mark}-item"})
    token = owner.ok("POST", "/api/auth/tokens/", {"name": f"{mark}-pat", "scope": "read"})
    webhook = owner.ok("POST", f"/api/boards/{board['id']}/webhooks/", _webhook_body(mark))
    return Board(
        owner, board["id"], sprint["id"], task["id"], member["id"],
        label["id"], comment["id"], item["id"], [mark, member["username"]], token["id"],
        webhook["id"],
    )  # fmt: skip


def _webhook_body(mark: str) -> dict:
    # Port 9 (discard): nothing listens, so a fuzzed ping is refused at once, on loopback.
    return {"url": f"http://127.0.0.1:9/{mark}", "events": [], "active": False}


def victim(world: Board, base: str, path: str) -> dict[str, int]:
    """Fresh rows for a DELETE to destroy, so the shared rows survive the fuzzer."""
    api = world.owner
    if path.startswith("/api/auth/tokens/"):
        body = {"name": "victim", "scope": "read"}
        return {"id": api.ok("POST", "/api/auth/tokens/", body)["id"]}
    if path.startswith("/api/boards/{board_pk}/members/"):
        _, user, _ = signup(base, "vic")
        api.ok("POST", f"/api/boards/{world.board}/members/", {"username": user["username"]})
        return {"board_pk": world.board, "user_id": user["id"]}
    if path.startswith("/api/webhooks/"):
        hook = api.ok("POST", f"/api/boards/{world.board}/webhooks/", _webhook_body("victim"))
        return {"id": hook["id"]}
    if path.startswith("/api/boards/"):
        return {"id": api.ok("POST", "/api/boards/", {"name": "victim"})["id"]}
    if path.startswith("/api/sprints/"):
        body = {"board": world.board, "name": "victim", "end": _future_unique()}
        return {"id": api.ok("POST", "/api/sprints/", body)["id"]}
    if path.startswith("/api/labels/"):
        body = {"name": f"victim-{next(_ends)}", "color": "#2ca02c"}
        return {"id": api.ok("POST", f"/api/boards/{world.board}/labels/", body)["id"]}
    if path.startswith("/api/comments/"):
        return {"id": api.ok("POST", f"/api/tasks/{world.task}/comments/", {"body": "v"})["id"]}
    if path.startswith("/api/checklist-items/"):
        return {"id": api.ok("POST", f"/api/tasks/{world.task}/checklist/", {"text": "v"})["id"]}
    return {"id": api.ok("POST", "/api/tasks/", {"board": world.board, "name": "victim"})["id"]}


_ends = iter(range(40, 100_000))


def _future_unique() -> str:
    # Sprint ends are unique per board.
    return (dt.date.today() + dt.timedelta(days=next(_ends))).isoformat()


def path_ids(world: Board, path: str) -> dict[str, int]:
    """The real ids behind an operation's path parameters."""
    if path.startswith("/api/boards/{board_pk}/members/"):
        return {"board_pk": world.board, "user_id": world.member}
    if path.startswith("/api/boards/{board_pk}/webhooks/"):
        return {"board_pk": world.board}
    if path.startswith("/api/webhooks/"):
        return {"id": world.webhook}
    if path.startswith("/api/boards/"):
        return {"id": world.board}
    if path.startswith("/api/sprints/"):
        return {"id": world.sprint}
    if path.startswith("/api/tasks/"):
        return {"id": world.task}
    if path.startswith("/api/users/"):
        return {"id": world.member}
    if path.startswith("/api/labels/"):
        return {"id": world.label}
    if path.startswith("/api/comments/"):
        return {"id": world.comment}
    if path.startswith("/api/checklist-items/"):
        return {"id": world.item}
    if path.startswith("/api/auth/tokens/"):
        return {"id": world.token}
    return {}
