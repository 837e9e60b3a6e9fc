"""deploy/docker-compose.yml is valid (the docker client parses it; no engine needed) and
wires what the system tests run: the same nginx template, N daphnes, migrate before web."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = "deploy/docker-compose.yml"


def compose_command() -> list[str]:
    """`docker compose` (v2 plugin) where present, else Debian's `docker-compose`; both are
    installed by scripts/system-up.sh when missing."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail("neither `docker compose` nor `docker-compose` is installed")


def example_env() -> dict[str, str]:
    env = {}
    for line in (ROOT / "deploy" / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value
    return env


def run_config(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [*compose_command(), "-f", COMPOSE_FILE, "config"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_config_is_valid_with_the_example_env():
    result = run_config(example_env())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for service in ("mysql:", "redis:", "migrate:", "web:", "worker:", "nginx:"):
        assert f"\n  {service}" in out
    assert "replicas: 2" in out
    assert "service_completed_successfully" in out
    assert "/readyz" in out
    assert "DAPHNE_UPSTREAMS: server web:8000" in out


def test_compose_refuses_to_run_without_secrets():
    env = {k: v for k, v in example_env().items() if k != "DJANGO_SECRET_KEY"}
    result = run_config(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_image_and_tests_share_one_nginx_template():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "COPY deploy/nginx/scrum.conf.template /etc/nginx/templates/" in dockerfile
    assert "--proxy-headers" in (ROOT / "deploy" / "entrypoint.sh").read_text()
