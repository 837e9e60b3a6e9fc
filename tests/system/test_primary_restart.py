"""SPEC 15, "MariaDB restarted mid-stream", on a private mariadbd (tests/support/mariadbd.py):
the shared server on 3306 is never restarted by a test."""

from __future__ import annotations

import pytest

from tests.support.mariadbd import MariaDB


@pytest.fixture
def private_db():
    db = MariaDB(server_id=11)
    try:
        yield db.start()
    finally:
        db.remove()


def test_a_private_mariadbd_keeps_committed_rows_across_a_crash_and_a_clean_restart(private_db):
    db = private_db
    db.create_database("kept")
    db.execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB", database="kept")
    db.execute("INSERT INTO t VALUES (1), (2)", database="kept")
    port, first_pid = db.port, db.pid

    db.kill()
    assert not db.answers(), "a SIGKILLed server still answered"
    db.start()
    assert (db.port, db.pid != first_pid) == (port, True)
    assert db.execute("SELECT id FROM t ORDER BY id", database="kept") == ((1,), (2,))

    db.stop()
    assert not db.alive()
    db.start()
    assert db.execute("SELECT @@server_id, COUNT(*) FROM kept.t") == ((11, 2),)
