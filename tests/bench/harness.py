"""The bench run's environment: its own MariaDB database, a private Redis, daphne's settings,
and Django set up in this (generator) process for seeding. Everything it creates it removes."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from tests.support.mariadb import create_database, drop_database

from . import procs


class Harness:
    def __init__(self) -> None:
        self.db_name = f"rs_bench_{secrets.token_hex(4)}"
        self.log_dir = Path(tempfile.mkdtemp(prefix="rs-bench-"))
        self.redis: procs.Proc | None = None
        self.redis_port = 0
        self.mariadb_pin = None
        self.db_created = False

    def env(self, **extra: str) -> dict[str, str]:
        """What daphne (and this process's Django) run with: production settings, as deploy/
        sets them (persistent DB connections), plus the bench's baseline URL."""
        return {
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            # A developer's .env (`make run` writes one) must not reach the run.
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "DJANGO_SECRET_KEY": "bench-secret-key-not-for-production",
            "JWT_SIGNING_KEY": "bench-jwt-signing-key-not-for-production",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": f"mysql://root@127.0.0.1:3306/{self.db_name}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DB_CONN_MAX_AGE": "60",
            # A whole bench run outlives the default 15 min access token.
            "JWT_ACCESS_MINUTES": "120",
            # B2 holds 10,000 sockets of one user from a few loopback addresses: the socket
            # caps (50 per user, 500 per address) are for real clients, not the load.
            "WS_MAX_SOCKETS_PER_USER": "1000000",
            "WS_MAX_SOCKETS_PER_ADDRESS": "1000000",
            "LOG_LEVEL": "WARNING",
            **extra,
        }

    def start(self) -> None:
        procs.pin_self()
        self.mariadb_pin = procs.pin_mariadb()
        self.redis, self.redis_port = procs.start_redis(self.log_dir)
        create_database(self.db_name)
        self.db_created = True
        os.environ.update(self.env())
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)

    def stop(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may never have been set up
            pass
        if self.db_created:
            drop_database(self.db_name)
        if self.redis is not None:
            self.redis.stop()
        procs.unpin(self.mariadb_pin)
