"""A private mariadbd for the live tiers: a datadir of its own, root without a password on
127.0.0.1:<free port>, started, killed and started again by the PID we own. The shared MariaDB
on 3306 is never restarted by a test (other tiers use it); a fault test restarts this one.

    db = MariaDB(server_id=1).start()   # installs the datadir on first start
    db.create_database("app")
    url = db.url("app")                 # mysql://root@127.0.0.1:<port>/app
    db.kill(); db.start()               # a crash and a restart on the same port and datadir
    db.remove()                         # stop, then delete its directory
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

from .ports import free_port
from .servers import Process

MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"

# Small enough for a test machine shared by several tiers. Durability settings stay at their
# defaults (flush at every commit): a restart test asserts that what answered 200 survived.
SIZING = ("--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M")


def _as_root() -> tuple[str, ...]:
    # mariadbd refuses to run as root unless told to; as another user it runs as that user.
    return ("--user=root",) if os.geteuid() == 0 else ()


class MariaDB(Process):
    """One private server. `extra_args` are more mariadbd options (a replica pair adds
    `--log-bin`, `--binlog-format=ROW`, `--gtid-strict-mode`, `--log-slave-updates`...).
    Not started by the constructor: `start()` installs the datadir if needed and returns once
    the server answers a query."""

    def __init__(
        self,
        server_id: int = 1,
        extra_args: Sequence[str] = (),
        workdir: Path | None = None,
        port: int | None = None,
        name: str = "mariadbd",
    ):
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="rs-mariadbd-"))
        self.datadir = self.workdir / "data"
        # A short path: a Unix socket path is limited to ~107 bytes.
        self.socket = self.workdir / "mysqld.sock"
        self.port = port or free_port()
        self.server_id = server_id
        argv = [
            MARIADBD,
            "--no-defaults",  # never /etc/mysql/*: the shared server's config is not ours
            *_as_root(),
            f"--datadir={self.datadir}",
            f"--socket={self.socket}",
            f"--pid-file={self.workdir / 'mysqld.pid'}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--server-id={server_id}",
            "--skip-name-resolve",
            *SIZING,
            *extra_args,
        ]
        super().__init__(name, argv, self.workdir / f"{name}.log", env=None, cwd=self.workdir)

    # --- life cycle ---------------------------------------------------------------------

    def install(self) -> None:
        """A fresh datadir: system tables only, root@localhost/127.0.0.1 with no password."""
        result = subprocess.run(
            [INSTALL_DB, "--no-defaults", *_as_root(), f"--datadir={self.datadir}",
             "--auth-root-authentication-method=normal", "--skip-test-db", *SIZING],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed:\n{result.stdout}\n{result.stderr}")

    def start(self, timeout: float = 60) -> Self:
        """Start (installing the datadir the first time) and wait until a query answers.
        After `kill()` this is a crash recovery on the same datadir and port."""
        if not (self.datadir / "mysql").is_dir():
            self.install()
        super().start()
        return self.wait_until(self.answers, timeout, interval=0.2)

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM is mariadbd's clean shutdown (it flushes InnoDB, which takes a moment)."""
        super().stop(timeout)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- talking to it ------------------------------------------------------------------

    def connect(self, database: str | None = None, timeout: int = 5) -> Any:
        import MySQLdb  # the services tier installs mysqlclient

        kwargs: dict[str, Any] = {"db": database} if database else {}
        conn = MySQLdb.connect(
            host="127.0.0.1", port=self.port, user="root", password="",
            connect_timeout=timeout, **kwargs,
        )  # fmt: skip
        conn.autocommit(True)
        return conn

    def answers(self) -> bool:
        try:
            return self.execute("SELECT 1") == ((1,),)
        except Exception:  # not listening yet, or recovering: not ready
            return False

    def execute(self, sql: str, params: Sequence[Any] | None = None, database: str | None = None):
        """One statement on a connection of its own (autocommit); its rows, if any."""
        conn = self.connect(database)
        try:
            cur = conn.cursor()
            cur.execute(sql, params)
            return cur.fetchall()
        finally:
            conn.close()

    def create_database(self, name: str) -> None:
        self.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")

    def url(self, database: str) -> str:
        """A DATABASE_URL for the app (django-environ's mysql:// form)."""
        return f"mysql://root@127.0.0.1:{self.port}/{database}"
