"""The fault tier's stack: a private Redis we can SIGKILL and restart empty on the same port, a
MariaDB database of its own (created, migrated once, dropped) and daphnes with production
settings and short socket timers. Everything binds 127.0.0.1 on ports picked at run time and
is stopped through the PID we started, never by name; the shared Redis on 6379 is never used.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.http import HttpClient, http_ok
from tests.support.mariadb import create_database, drop_database
from tests.support.ports import free_port
from tests.support.servers import ROOT, Daphne, Process, redis_server

BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "tests" / "artifacts" / "faults"
PASSWORD = secrets.token_urlsafe(16)

# The socket settings of the tier (SPEC section 15; read by realtime_scrum/settings.py).
SOCKET_ENV = {
    "WS_HEARTBEAT_SECONDS": "1",
    "WS_SEND_BUFFER_BYTES": "262144",
    "WS_MAX_SOCKETS_PER_USER": "40",
    "WS_MAX_SOCKETS_PER_ADDRESS": "200",
    "WS_DEGRADED_POLL_SECONDS": "0.5",
}


def redis_command(port: int, *args: str, timeout: float = 2) -> str | None:
    """One command through redis-cli against OUR private Redis only; None if it failed."""
    assert port != 6379, "the fault tier never talks to the shared Redis"
    try:
        out = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip()


class FaultDaphne(Daphne):
    """A daphne of the tier (`name` is "a", "b", ...) and the readings the cases take."""

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def readyz(self, timeout: float = 5) -> tuple[int | None, Any]:
        """(status, parsed JSON or raw text); status None when nothing answered in time."""
        try:
            resp = HttpClient(self.base, timeout=timeout).get("/readyz")
        except OSError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        data = resp.data
        return resp.status, data[:300] if isinstance(data, str) else data


@dataclass
class User:
    username: str
    id: int
    access: str
    api: HttpClient = field(repr=False)


class FaultStack:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="rs-faults-"))
        self.db_name = f"rs_faults_{secrets.token_hex(4)}"
        self.redis_port = free_port()
        assert self.redis_port != 6379
        self.redis: Process | None = None
        self.redis_starts = 0
        self.daphnes: dict[str, FaultDaphne] = {}
        self.db_created = False
        (self.tmp / "static").mkdir()
        self.env = {
            "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "realtime_scrum.settings",
            # A developer's .env (`make run` writes one) must not reach the stack.
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(32),
            "JWT_SIGNING_KEY": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"mysql://root@127.0.0.1:3306/{self.db_name}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "STATIC_ROOT": str(self.tmp / "static"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "INFO",
            "LOG_FORMAT": "text",
            "PYTHONUNBUFFERED": "1",
            **SOCKET_ENV,
        }
        self.users: dict[str, User] = {}

    # --- Redis ----------------------------------------------------------------------------

    def redis_answers(self) -> bool:
        return redis_command(self.redis_port, "PING", timeout=1) == "PONG"

    def start_redis(self, timeout: float = 15) -> float:
        """A fresh, empty Redis on the same port; returns the monotonic time it answered."""
        self.redis_starts += 1
        proc = redis_server(self.redis_port, self.tmp, self.env).start()
        proc.wait_until(self.redis_answers, timeout, interval=0.02)
        self.redis = proc
        return time.monotonic()

    def kill_redis(self) -> float:
        """SIGKILL our Redis (no persistence: its data is gone); returns when it died."""
        assert self.redis is not None
        self.redis.kill()
        return time.monotonic()

    def drop_layer_connections(self) -> str | None:
        """CLIENT KILL TYPE normal on the private Redis: every daphne connection (the layer's
        blocking reads, its pools, the cache) dropped at once; redis-cli itself is skipped."""
        return redis_command(self.redis_port, "CLIENT", "KILL", "TYPE", "normal")

    # --- database and daphnes --------------------------------------------------------------

    def manage(self, *args: str) -> str:
        out = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if out.returncode != 0:
            raise RuntimeError(f"manage.py {args} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def launch_daphne(
        self, name: str, env: dict[str, str] | None = None, port: int | None = None
    ) -> FaultDaphne:
        daphne = FaultDaphne(
            self.tmp / f"daphne-{name}.log", {**self.env, **(env or {})}, port, name
        ).start()
        self.daphnes[name] = daphne
        return daphne

    def restart_daphnes(self, names: tuple[str, ...]) -> None:
        """Stop (SIGTERM, then SIGKILL) and start again on the same ports, env and logs."""
        old = [self.daphnes[name] for name in names]
        for daphne in old:
            daphne.stop()
        for daphne in old:
            daphne.start()
        for daphne in old:
            self.wait_daphne(daphne)

    def wait_daphne(self, daphne: FaultDaphne, timeout: float = 60) -> None:
        daphne.wait_until(lambda: http_ok(f"{daphne.base}/healthz", 2), timeout=timeout)

    def start_daphne(self, name: str, env: dict[str, str] | None = None) -> FaultDaphne:
        daphne = self.launch_daphne(name, env)
        self.wait_daphne(daphne)
        return daphne

    def up(self) -> FaultStack:
        self.start_redis()
        create_database(self.db_name)
        self.db_created = True
        self.manage("migrate", "--noinput", "-v0")
        started = [self.launch_daphne("a"), self.launch_daphne("b")]
        for daphne in started:
            self.wait_daphne(daphne)
        for name in ("owner", "member", "viewer"):
            self.signup(name)
        return self

    @property
    def a(self) -> FaultDaphne:
        return self.daphnes["a"]

    @property
    def b(self) -> FaultDaphne:
        return self.daphnes["b"]

    def signup(self, username: str) -> User:
        api = HttpClient(self.a.base)
        resp = api.post(
            "/api/auth/signup/",
            {"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        )
        assert resp.status == 201, (resp.status, resp.body[:500])
        body = resp.json()
        api = HttpClient(self.a.base, body["access"])
        user = User(username, body["user"]["id"], body["access"], api)
        self.users[username] = user
        return user

    def api(self, username: str, daphne: FaultDaphne | None = None) -> HttpClient:
        return HttpClient((daphne or self.a).base, self.users[username].access)

    def new_board(self, members: dict[str, str] | None = None) -> dict:
        """A fresh board (its own seq space) owned by `owner`, with {username: role} added."""
        owner = self.api("owner")
        resp = owner.post("/api/boards/", {"name": f"faults {secrets.token_hex(3)}"})
        assert resp.status == 201, (resp.status, resp.body[:300])
        board = resp.json()
        for username, role in (members or {}).items():
            resp = owner.post(
                f"/api/boards/{board['id']}/members/", {"username": username, "role": role}
            )
            assert resp.status == 201, (resp.status, resp.body[:300])
        return board

    def new_task(self, board_id: int, name: str = "the task") -> dict:
        resp = self.api("owner").post("/api/tasks/", {"board": board_id, "name": name})
        assert resp.status == 201, (resp.status, resp.body[:300])
        return resp.json()

    def head(self, board_id: int, daphne: FaultDaphne | None = None) -> int:
        resp = self.api("owner", daphne).get(f"/api/boards/{board_id}/")
        assert resp.status == 200, (resp.status, resp.body[:300])
        return resp.json()["seq"]

    def event_log(
        self, board_id: int, after: int = 0, daphne: FaultDaphne | None = None
    ) -> list[dict]:
        """The server's truth: every event row after `after`, through REST."""
        rows: list[dict] = []
        api = self.api("owner", daphne)
        while True:
            resp = api.get(f"/api/boards/{board_id}/events/?after={after}&limit=100")
            assert resp.status == 200, (resp.status, resp.body[:300])
            page = resp.json()
            batch = page["results"] if isinstance(page, dict) else page
            if not batch:
                return rows
            rows += batch
            after = batch[-1]["seq"]

    # --- logs -----------------------------------------------------------------------------

    def log_marks(self) -> dict[str, int]:
        return {name: d.log_size() for name, d in self.daphnes.items()}

    def logs_since(self, marks: dict[str, int]) -> dict[str, str]:
        return {name: d.log_since(marks.get(name, 0)) for name, d in self.daphnes.items()}

    # --- tear down ------------------------------------------------------------------------

    def down(self) -> None:
        for daphne in self.daphnes.values():
            daphne.stop()
        if self.redis is not None:
            self.redis.stop()
        try:
            if self.db_created:
                drop_database(self.db_name)
        finally:
            shutil.rmtree(ARTIFACTS, ignore_errors=True)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for path in self.tmp.glob("*.log"):
                with contextlib.suppress(OSError):
                    shutil.copy(path, ARTIFACTS / path.name)
            shutil.rmtree(self.tmp, ignore_errors=True)


TRACEBACK_END = re.compile(r"^(\w[\w.]*(Error|Exception|Exit|Interrupt)\b.*)$", re.M)


def tracebacks(logs: dict[str, str]) -> list[str]:
    """One line per daphne log that holds a Traceback: how many and which exceptions."""
    found = []
    for name, text in logs.items():
        count = text.count("Traceback")
        if count:
            kinds = sorted({m.group(1)[:120] for m in TRACEBACK_END.finditer(text)})[:4]
            found.append(f"daphne {name} log holds {count} Traceback(s): {kinds}")
    return found
