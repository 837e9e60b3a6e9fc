"""The stack on a MariaDB primary and a real read replica of its own: two private mariadbd
(tests/support/mariadbd.py) with GTID replication over loopback. The app gets
DATABASE_URL=primary and DATABASE_REPLICA_URL=replica; its database is created on the primary
and reaches the replica by replication, as everything after it does."""

from __future__ import annotations

import shutil
import time

from tests.support.mariadbd import MariaDB

from .stack import Stack

# Both write a binlog with GTIDs (the replica too, so it could be promoted); row format, so
# the replica applies exactly what the primary changed.
BINLOG = ("--log-bin=mysql-bin", "--binlog-format=ROW", "--gtid-strict-mode=1")


class ReplicaStack(Stack):
    def __init__(self) -> None:
        super().__init__()
        for name in ("primary-db", "replica-db"):
            (self.tmp / name).mkdir()
        self.primary = MariaDB(1, [*BINLOG, "--log-slave-updates"], self.tmp / "primary-db")
        # --read-only: only the replication thread writes here, never the app by mistake.
        self.replica = MariaDB(
            2, [*BINLOG, "--log-slave-updates", "--read-only"], self.tmp / "replica-db"
        )
        self.env["DATABASE_URL"] = self.primary.url(self.db_name)
        self.env["DATABASE_REPLICA_URL"] = self.replica.url(self.db_name)

    def _create_database(self) -> None:
        self.primary.start()
        self.replica.start()
        self.replica.execute(
            f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={self.primary.port}, "
            "MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos"
        )
        self.replica.execute("START SLAVE")
        self.primary.create_database(self.db_name)
        self.db_created = True
        self.wait_replica_caught_up()

    def _drop_database(self) -> None:
        for server in (self.replica, self.primary):
            server.stop()
            # Kept with the stack's logs (tests/artifacts/system/).
            if server.log.exists():
                shutil.copy(server.log, self.tmp / f"{server.workdir.name}.log")

    # --- replication ----------------------------------------------------------------------

    def primary_position(self) -> str:
        return str(self.primary.execute("SELECT @@gtid_binlog_pos")[0][0])

    def wait_replica_caught_up(self, timeout: float = 60) -> None:
        """Until the replica has applied everything the primary has committed so far."""
        position = self.primary_position()
        reached = self.replica.execute("SELECT MASTER_GTID_WAIT(%s, %s)", [position, timeout])
        if reached[0][0] != 0:
            raise RuntimeError(f"replica not at {position} after {timeout}s:\n{self.status()}")

    def status(self) -> dict:
        conn = self.replica.connect()
        try:
            cursor = conn.cursor()
            cursor.execute("SHOW SLAVE STATUS")
            names = [column[0] for column in cursor.description]
            return dict(zip(names, cursor.fetchone() or (), strict=False))
        finally:
            conn.close()

    def stop_applying(self) -> None:
        """Lag for real: the replica keeps receiving the binlog but applies none of it."""
        self.replica.execute("STOP SLAVE SQL_THREAD")

    def start_applying(self) -> None:
        self.replica.execute("START SLAVE SQL_THREAD")

    def counters(self) -> dict[str, tuple[int, int]]:
        """(primary, replica) of what the offload is measured by, so far: SELECT statements
        run, and row reads by the storage engine (every Handler_read_* counter summed)."""
        found = []
        for server in (self.primary, self.replica):
            status = dict(
                server.execute(
                    "SHOW GLOBAL STATUS WHERE Variable_name = 'Com_select'"
                    " OR Variable_name LIKE 'Handler_read%'"
                )
            )
            found.append({
                "Com_select": int(status.pop("Com_select")),
                "Handler_read": sum(int(value) for value in status.values()),
            })  # fmt: skip
        return {name: (found[0][name], found[1][name]) for name in found[0]}

    def eventually(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout}s")
            time.sleep(0.2)
