"""Browser fixtures: one daphne for the module, Debian's chromium, two users in two contexts.

The e2e tier (`make test-e2e`, E2E=1) talks to its own server over HTTP and never touches
the pytest-django test database; tests/conftest.py leaves this folder out of other runs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.support.http import HttpClient

from .server import ROOT, Server

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]  # fmt: skip
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "e2e-password-4821"


@pytest.fixture(scope="session")
def server():
    if not Path(CHROMIUM).exists():
        # `make test-e2e` installs it first; reaching this means that step was skipped.
        pytest.fail(f"{CHROMIUM} is missing: run scripts/e2e-up.sh", pytrace=False)
    workdir = Path(tempfile.mkdtemp(prefix="rs-e2e-"))
    srv = Server(workdir)
    srv.manage("migrate", "--noinput")
    srv.manage("collectstatic", "--noinput", "-v0")
    srv.start()
    yield srv
    srv.stop()
    if os.environ.get("E2E_KEEP") != "1":
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield instance
        instance.close()


def api(server: Server, method: str, path: str, body=None, token: str | None = None):
    """The JSON of a 2xx answer; any other status raises StatusError (tests.support.http)."""
    return HttpClient(server.url, token).ok(method, path, body)


def signup(server: Server, username: str, full_name: str) -> dict:
    return api(
        server, "POST", "/api/auth/signup/",
        {"username": username, "email": f"{username}@example.com", "password": PASSWORD,
         "full_name": full_name, "timezone": "UTC"},
    )  # fmt: skip


@pytest.fixture(scope="module")
def patient_expect(request):
    """Every assertion of a module that asks for this waits up to its LIVE (the machine is
    shared); the other modules keep Playwright's default."""
    expect.set_options(timeout=request.module.LIVE)
    yield
    expect.set_options(timeout=5_000)
