"""A Hypothesis state machine over a live daphne: users, boards, memberships, sockets, and
random REST writes, moves and membership changes, in any order.

After every step each open socket is drained (read until its board's head seq) and checked:
- its view (snapshot + events applied) equals a fresh snapshot: nothing lost or doubled;
- seq rose by exactly one per event on every socket;
- no socket ever got a frame of a board its user could not read at that seq (a removed
  member's socket gets nothing past the removal and closes 4403; an outsider's, nothing);
- versions only go up, in REST responses and in events alike.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.support.http import HttpClient

from .board_view import BoardView
from .live import signup

pytestmark = pytest.mark.security
SERVER = {}
STATS = {"events": 0, "removals": 0}
# Names a user could type: no control characters (those are a 400 by design).
NAMES = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=30)
USERS = 3  # user 0 owns every board
ROLES = ["member", "viewer"]
STATUSES = [1, 2, 3, 4]
WRITERS = {"owner", "member"}


class Socket:
    def __init__(self, base_ws: str, user: int, board: int, api: HttpClient, snapshot):
        self.user, self.board = user, board
        self.view = BoardView(snapshot) if snapshot else None
        since = f"&since={snapshot['seq']}" if snapshot else ""
        # The sync client wants a context manager; the machine closes it in teardown.
        self._conn = connect(f"{base_ws}/ws/boards/{board}/?token={api.token}{since}")
        self.ws = self._conn.__enter__()
        self.closed: int | None = None
        self.max_seq_allowed: int | None = None  # set when the user is removed

    def drain(self, head: int) -> None:
        """Read until the view reaches `head` or the socket closes."""
        while self.closed is None and (self.view is None or self.view.seq < head):
            try:
                frame = json.loads(self.ws.recv(timeout=5))
            except ConnectionClosed as closed:
                self.closed = closed.rcvd.code if closed.rcvd else None
                return
            except TimeoutError:
                raise AssertionError(f"socket of user {self.user} stuck below seq {head}") from None
            assert self.view is not None, ("an outsider's socket got a frame", frame)
            if frame["type"] == "event":
                limit = self.max_seq_allowed
                assert limit is None or frame["seq"] <= limit, ("event after removal", frame)
                self.view.apply(frame)
                STATS["events"] += 1
            else:
                # A watcher's own task_activity notifications reach their board sockets too.
                kinds = ("hello", "presence", "heartbeat", "resync_required", "notification")
                assert frame["type"] in kinds


class BoardMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        base = SERVER["base"]
        self.apis = [signup(base, "sm")[0] for _ in range(USERS)]
        self.users = [api.ok("GET", "/api/auth/me/") for api in self.apis]
        self.boards = {}  # board id -> {user index: role}
        self.sprints = {}
        for _ in range(2):
            board = self.apis[0].ok("POST", "/api/boards/", {"name": "sm"})["id"]
            end = (dt.date.today() + dt.timedelta(days=20)).isoformat()
            body = {"board": board, "name": "s", "end": end}
            self.sprints[board] = self.apis[0].ok("POST", "/api/sprints/", body)["id"]
            self.boards[board] = {0: "owner"}
        self.sockets: list[Socket] = []
        self.versions: dict[int, int] = {}
        # Start with people on the boards and watching them, so every run has traffic.
        first, second = list(self.boards)
        self.add_or_change_member(user=1, pick=0, role="member")
        self.add_or_change_member(user=2, pick=1, role="viewer")
        for user, pick in ((0, 0), (0, 1), (1, 0), (2, 1)):
            self.open_socket(user=user, pick=pick)

    # --- helpers --------------------------------------------------------------------------

    def role(self, board: int, user: int) -> str | None:
        return self.boards[board].get(user)

    def head(self, board: int) -> int:
        return self.apis[0].ok("GET", f"/api/boards/{board}/snapshot/")["seq"]

    def saw_version(self, task: dict) -> None:
        last = self.versions.get(task["id"], 0)
        assert task["version"] >= last, ("version went back over REST", task)
        self.versions[task["id"]] = task["version"]

    def some_task(self, data, board: int) -> int | None:
        tasks = self.apis[0].ok("GET", f"/api/tasks/?board={board}&page_size=100")["results"]
        return data.draw(st.sampled_from([t["id"] for t in tasks])) if tasks else None

    def expect(self, board: int, user: int, status: int, body, write: bool = True) -> None:
        role = self.role(board, user)
        if role is None:
            assert status in (400, 404), (status, body)  # the board is not even a choice
        elif write and role not in WRITERS:
            assert status == 403, (status, body)
        else:
            assert status < 500, (status, body)
            if isinstance(body, dict) and "version" in body and status < 300:
                self.saw_version(body)

    # --- rules ----------------------------------------------------------------------------

    @rule(user=st.integers(0, USERS - 1), pick=st.integers(0, 1))
    def open_socket(self, user, pick):
        if len(self.sockets) >= 6:
            return
        board = list(self.boards)[pick]
        status, snap = self.apis[user].call("GET", f"/api/boards/{board}/snapshot/")
        assert status == (200 if self.role(board, user) else 404), status
        sock = Socket(SERVER["ws"], user, board, self.apis[user], snap if status == 200 else None)
        if status != 200:
            sock.drain(0)
            sock._conn.__exit__(None, None, None)
            assert sock.closed == 4403
            return
        self.sockets.append(sock)

    @rule(user=st.integers(0, USERS - 1), pick=st.integers(0, 1), name=NAMES)
    def create_task(self, user, pick, name):
        board = list(self.boards)[pick]
        status, body = self.apis[user].call(
            "POST", "/api/tasks/", {"board": board, "name": name or "t"}
        )
        self.expect(board, user, status, body)

    @rule(data=st.data(), user=st.integers(0, USERS - 1), pick=st.integers(0, 1),
          assignee=st.integers(0, USERS - 1))  # fmt: skip
    def update_task(self, data, user, pick, assignee):
        board = list(self.boards)[pick]
        task = self.some_task(data, board)
        if task is not None:
            body = {"name": "u", "assigned": self.users[assignee]["username"]}
            status, out = self.apis[user].call("PATCH", f"/api/tasks/{task}/", body)
            self.expect(board, user, status, out)

    @rule(data=st.data(), user=st.integers(0, USERS - 1), pick=st.integers(0, 1),
          status=st.sampled_from(STATUSES), in_sprint=st.booleans())  # fmt: skip
    def move_task(self, data, user, pick, status, in_sprint):
        board = list(self.boards)[pick]
        task = self.some_task(data, board)
        if task is not None:
            body = {"sprint": self.sprints[board] if in_sprint else None, "status": status}
            code, out = self.apis[user].call("POST", f"/api/tasks/{task}/move/", body)
            self.expect(board, user, code, out)

    @rule(data=st.data(), user=st.integers(0, USERS - 1), pick=st.integers(0, 1))
    def delete_task(self, data, user, pick):
        board = list(self.boards)[pick]
        task = self.some_task(data, board)
        if task is not None:
            status, out = self.apis[user].call("DELETE", f"/api/tasks/{task}/")
            self.expect(board, user, status, out)

    @rule(user=st.integers(1, USERS - 1), pick=st.integers(0, 1), role=st.sampled_from(ROLES))
    def add_or_change_member(self, user, pick, role):
        board = list(self.boards)[pick]
        if self.role(board, user) is None:
            body = {"username": self.users[user]["username"], "role": role}
            self.apis[0].ok("POST", f"/api/boards/{board}/members/", body)
        else:
            uid = self.users[user]["id"]
            self.apis[0].ok("PATCH", f"/api/boards/{board}/members/{uid}/", {"role": role})
        self.boards[board][user] = role

    @rule(user=st.integers(1, USERS - 1), pick=st.integers(0, 1))
    def remove_member(self, user, pick):
        board = list(self.boards)[pick]
        if self.role(board, user) is None:
            return
        self.apis[0].ok("DELETE", f"/api/boards/{board}/members/{self.users[user]['id']}/")
        del self.boards[board][user]
        removal = self.head(board)
        for sock in self.sockets:
            if sock.board == board and sock.user == user:
                sock.max_seq_allowed = removal

    @rule(pick=st.integers(0, 1), name=NAMES.filter(str.strip))
    def rename_board(self, pick, name):
        board = list(self.boards)[pick]
        self.apis[0].ok("PATCH", f"/api/boards/{board}/", {"name": name})

    # --- the invariants -------------------------------------------------------------------

    @invariant()
    def sockets_match_a_fresh_snapshot(self):
        if not hasattr(self, "sockets"):
            return
        fresh = {b: BoardView(self.apis[0].ok("GET", f"/api/boards/{b}/snapshot/"))
                 for b in self.boards}  # fmt: skip
        for sock in list(self.sockets):
            sock.drain(fresh[sock.board].seq)
            if sock.max_seq_allowed is not None:
                # Removed: everything up to the removal, then 4403, never more.
                sock.drain(10**9)
                assert sock.closed == 4403, sock.closed
                STATS["removals"] += 1
                self.sockets.remove(sock)
                continue
            assert sock.closed is None, f"socket closed {sock.closed}"
            assert sock.view.as_dict() == fresh[sock.board].as_dict()

    def teardown(self):
        for sock in getattr(self, "sockets", []):
            sock._conn.__exit__(None, None, None)


def test_board_state_machine(fuzz_server):
    from hypothesis.stateful import run_state_machine_as_test

    SERVER.update(base=fuzz_server.base, ws=fuzz_server.ws)
    run_state_machine_as_test(
        BoardMachine,
        settings=settings(max_examples=15, stateful_step_count=30, deadline=None,
                          database=None, suppress_health_check=list(HealthCheck),
                          # No shrinking: it replays the machine hundreds of times; the
                          # failing steps are printed as run.
                          phases=[Phase.explicit, Phase.generate]),
    )  # fmt: skip
    print(f"\nstate machine: {STATS}")
    # The run exercised what it claims: events reached sockets, removals closed some.
    assert STATS["events"] > 50 and STATS["removals"] > 0, STATS
