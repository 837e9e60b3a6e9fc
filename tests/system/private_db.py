"""The stack on a MariaDB primary of its own (tests/support/mariadbd.py), so a test may kill it
and start it again: the shared server on 3306 serves every other tier and is never touched."""

from __future__ import annotations

from tests.support.mariadbd import MariaDB

from .stack import Stack


class PrivateDbStack(Stack):
    def __init__(self) -> None:
        super().__init__()
        # In the stack's directory: its log is kept with the others, its datadir removed.
        self.primary = MariaDB(server_id=1, workdir=self.tmp)
        self.env["DATABASE_URL"] = self.primary.url(self.db_name)

    def _create_database(self) -> None:
        self.primary.start()
        self.primary.create_database(self.db_name)
        self.db_created = True

    def _drop_database(self) -> None:
        self.primary.stop()  # the datadir goes with the stack's directory

    def stop_primary(self, crash: bool) -> None:
        """SIGKILL (a crash: InnoDB recovers at the next start) or mariadbd's clean shutdown."""
        if crash:
            self.primary.kill()
        else:
            self.primary.stop()

    def start_primary(self) -> None:
        """The same datadir and port: the daphnes' DATABASE_URL holds again."""
        self.primary.start()
