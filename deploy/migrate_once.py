"""Apply migrations once, however many copies start at the same moment.

Compose runs a one-shot `migrate` service before web and worker, but a deploy can still start
two (a re-run, a second host, a scaled job). On MySQL/MariaDB a named lock (GET_LOCK) makes
the copies take turns: the first migrates, the others wait and then find nothing to apply.
Django's own migrate takes no such lock, and two concurrent runs can both try CREATE TABLE.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realtime_scrum.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

LOCK_NAME = "realtime_scrum.migrate"
LOCK_WAIT_S = int(os.environ.get("MIGRATE_LOCK_WAIT_SECONDS", "600"))


def main() -> int:
    if connection.vendor != "mysql":
        # SQLite (the embedded default) has one writer and one process: nothing to race.
        call_command("migrate", interactive=False)
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT GET_LOCK(%s, %s)", [LOCK_NAME, LOCK_WAIT_S])
        if cursor.fetchone()[0] != 1:
            print(f"migrate: lock {LOCK_NAME} not free after {LOCK_WAIT_S}s", file=sys.stderr)
            return 1
        try:
            print("migrate: lock held, applying migrations", flush=True)
            call_command("migrate", interactive=False)
        finally:
            cursor.execute("SELECT RELEASE_LOCK(%s)", [LOCK_NAME])
    return 0


if __name__ == "__main__":
    sys.exit(main())
