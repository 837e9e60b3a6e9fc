"""The deployment in miniature: private Redis, a MariaDB database of our own, migrations through
deploy/entrypoint.sh, two daphnes, the Huey worker (once the app has one) and Debian's nginx
running the compose template. Tests reach it only through nginx (`stack.base_url`)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.http import http_ok
from tests.support.mariadb import create_database, drop_database
from tests.support.ports import free_port
from tests.support.servers import ROOT, Process, nginx_server, start_redis

from . import nginx

BIN = Path(sys.executable).parent
ENTRYPOINT = str(ROOT / "deploy" / "entrypoint.sh")
ARTIFACTS = ROOT / "tests" / "artifacts" / "system"
HUEY_APP = "huey.contrib.djhuey"


class Stack:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="rs-system-"))
        # nginx workers drop root (to nobody): they must be able to reach static/ inside.
        self.tmp.chmod(0o711)
        self.db_name = f"rs_system_{secrets.token_hex(4)}"
        self.redis_port = free_port()
        self.daphne_ports = [free_port(), free_port()]
        self.nginx_port = free_port()
        self.static_root = self.tmp / "static"
        self.nginx_root = self.tmp / "nginx"
        self.procs: dict[str, Process] = {}
        self.db_created = False
        self.env = self._app_env()

    # --- environment ----------------------------------------------------------------------

    def _app_env(self) -> dict[str, str]:
        """Production settings (DEBUG off) from a clean environment: nothing leaks in from the
        caller's shell except PATH and locale."""
        return {
            "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            "PYTHON": str(BIN / "python"),
            "DJANGO_SETTINGS_MODULE": "realtime_scrum.settings",
            # A developer's .env (`make run` writes one) must not reach the stack.
            "DJANGO_READ_DOT_ENV_FILE": "false",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(32),
            "JWT_SIGNING_KEY": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"mysql://root@127.0.0.1:3306/{self.db_name}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "STATIC_ROOT": str(self.static_root),
            "EMAIL_URL": "consolemail://",
            # nginx is the one proxy hop: the client address is the last X-Forwarded-For entry.
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "INFO",
            "LOG_FORMAT": "text",
            # Each daphne's /metrics, scraped directly (tests/system/test_metrics.py).
            "METRICS_TOKEN": secrets.token_urlsafe(24),
            "PYTHONUNBUFFERED": "1",
        }

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.nginx_port}"

    # --- bring up -------------------------------------------------------------------------

    def up(self) -> Stack:
        self.start_redis()
        self._create_database()
        self._migrate_twice_at_once()
        self.manage("collectstatic", "--noinput", "-v0")
        for index in range(len(self.daphne_ports)):
            self.start_daphne(index)
        self.start_worker_if_configured()
        self.start_nginx()
        return self

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {args} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def _create_database(self) -> None:
        create_database(self.db_name)
        self.db_created = True

    def _drop_database(self) -> None:
        if not self.db_created:
            return
        drop_database(self.db_name)

    def _migrate_twice_at_once(self) -> None:
        """Two `entrypoint.sh migrate` at the same moment, as two deploy hosts would: both
        must succeed, and the named lock must make exactly one of them do the work."""
        runs = [
            subprocess.Popen(
                [ENTRYPOINT, "migrate"],
                cwd=ROOT,
                env=self.env,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=180)[0] for run in runs]
        for run, out in zip(runs, outputs, strict=True):
            if run.returncode != 0:
                raise RuntimeError(f"entrypoint.sh migrate failed:\n{out}")
        self.migrate_outputs = outputs

    def start_redis(self) -> None:
        self.procs["redis"] = start_redis(self.redis_port, self.tmp, self.env)

    def restart_redis(self) -> None:
        """Stop the private Redis (its data is gone: no persistence) and start a fresh one."""
        self.procs["redis"].stop()
        self.start_redis()

    def start_daphne(self, index: int) -> None:
        port = self.daphne_ports[index]
        env = {
            **self.env,
            "DAPHNE_BIND": "127.0.0.1",
            "DAPHNE_PORT": str(port),
            "DAPHNE_ACCESS_LOG": str(self.daphne_access_log(index)),
        }
        name = f"daphne{index}"
        proc = Process(name, [ENTRYPOINT, "web"], self.tmp / f"{name}.log", env, ROOT).start()
        proc.wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/readyz"), timeout=60)
        self.procs[name] = proc

    def wait_nginx_routes_to(self, index: int, timeout: float = 20) -> None:
        """After a restart nginx keeps a failed daphne out for fail_timeout; wait until it
        sends requests there again, so the next test starts with both in rotation."""
        log = self.daphne_access_log(index)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = log.stat().st_size if log.exists() else 0
            for _ in range(2):
                http_ok(f"{self.base_url}/healthz")
            if log.exists() and log.stat().st_size > before:
                return
            time.sleep(0.5)
        raise RuntimeError(f"nginx did not route to daphne{index} again within {timeout}s")

    def daphne_access_log(self, index: int) -> Path:
        return self.tmp / f"daphne{index}.access.log"

    def kill_daphne(self, index: int) -> None:
        self.procs[f"daphne{index}"].kill()

    def huey_configured(self) -> bool:
        from django.conf import settings

        return HUEY_APP in settings.INSTALLED_APPS

    def start_worker_if_configured(self) -> None:
        """The Huey consumer, as compose's `worker` service runs it, when the app has Huey."""
        if not self.huey_configured():
            return
        proc = Process("huey", [ENTRYPOINT, "worker"], self.tmp / "huey.log", self.env, ROOT)
        proc.start().wait_until(lambda: "consumer started" in proc.log_text().lower(), timeout=60)
        self.procs["huey"] = proc

    def start_nginx(self) -> None:
        conf = nginx.write_config(
            self.nginx_root,
            listen=self.nginx_port,
            daphne_ports=self.daphne_ports,
            static_root=self.static_root,
        )
        proc = nginx_server(
            self.nginx_root, conf, self.tmp / "nginx.stdout.log", self.env, self.tmp
        ).start()
        proc.wait_until(lambda: http_ok(f"{self.base_url}/readyz"))
        self.procs["nginx"] = proc

    def nginx_logs(self) -> dict[str, str]:
        logs = self.nginx_root / "logs"
        return {p.name: p.read_text(errors="replace") for p in sorted(logs.glob("*.log"))}

    # --- tear down ------------------------------------------------------------------------

    def down(self) -> None:
        # nginx first so nothing new reaches the daphnes; Redis last so they shut down cleanly.
        order = ["nginx", "daphne0", "daphne1", "huey", "redis"]
        for name in order + [n for n in self.procs if n not in order]:
            if name in self.procs:
                self.procs[name].stop()
        try:
            self._drop_database()
        finally:
            self._keep_logs()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _keep_logs(self) -> None:
        """Copy every log to tests/artifacts/system/ (git-ignored) for a post-mortem."""
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for path in [*self.tmp.glob("*.log"), *(self.nginx_root / "logs").glob("*.log")]:
            prefix = "nginx-" if path.parent.name == "logs" else ""
            shutil.copy(path, ARTIFACTS / f"{prefix}{path.name}")
