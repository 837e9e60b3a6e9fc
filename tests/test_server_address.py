"""The address a server was started on: mail links (SITE_URL's fallback) and the URL it
prints once it listens (realtime_scrum/server.py, server_address.py)."""

import os
import subprocess
import sys

import pytest
from daphne.cli import CommandLineInterface

from realtime_scrum.server import ScrumCommandLine, ScrumServer
from realtime_scrum.server_address import announcement, http_url


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8123, "http://127.0.0.1:8123"),
        ("localhost", 80, "http://localhost:80"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::", 9000, "http://localhost:9000"),
        ("::1", 9000, "http://[::1]:9000"),
        ("[::1]", 9000, "http://[::1]:9000"),
    ],
)
def test_url_of_a_bind_address(host, port, url):
    assert http_url(host, port) == url


def test_the_url_to_open_comes_last():
    text = announcement([("127.0.0.1", 8123)], "Log in as alice\n")
    assert text.splitlines() == [
        "Log in as alice",
        "Open http://127.0.0.1:8123/ in a browser (Ctrl-C stops the server).",
    ]


@pytest.fixture
def started(monkeypatch):
    """Run our command line up to the point where daphne would load the app."""
    # Recorded, then removed: whatever the command line sets is undone after the test.
    monkeypatch.setenv("SERVER_URL", "")
    monkeypatch.delenv("SERVER_URL")
    monkeypatch.setattr(CommandLineInterface, "run", lambda self, args: None)
    monkeypatch.setattr(ScrumServer, "banner", None)

    def start(*args: str) -> str | None:
        ScrumCommandLine().run([*args, "realtime_scrum.asgi:application"])
        return os.environ.get("SERVER_URL")

    return start


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (("-b", "127.0.0.1", "-p", "8123"), "http://127.0.0.1:8123"),
        (("-p", "8124"), "http://127.0.0.1:8124"),
        (("-b", "localhost"), "http://localhost:8000"),
        ((), "http://127.0.0.1:8000"),  # daphne's own defaults
        (("-u", "/tmp/scrum.sock"), None),  # no TCP address to name
        (("-p", "0"), None),  # the kernel picks the port after the settings load
    ],
)
def test_the_server_exports_the_address_it_was_started_on(started, args, url):
    assert started(*args) == url


def test_the_banner_is_handed_to_the_server(started):
    started("--banner", "Log in as alice")
    assert ScrumServer.banner == "Log in as alice"


def _site_url(**env: str) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SITE_URL); print(settings.PASSWORD_RESET_URL)"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "SERVER_URL")}
    env = {**base, "DJANGO_SETTINGS_MODULE": "realtime_scrum.settings",
           "DJANGO_READ_DOT_ENV_FILE": "false", "DJANGO_DEBUG": "1", **env}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_mail_links_use_the_servers_address_unless_site_url_is_set():
    started_on = {"SERVER_URL": "http://127.0.0.1:8123"}
    assert _site_url(**started_on) == [
        "http://127.0.0.1:8123",
        "http://127.0.0.1:8123/reset-password/#uid={uid}&token={token}",
    ]
    assert _site_url(**started_on, SITE_URL="https://scrum.example/")[0] == "https://scrum.example"
    assert _site_url()[0] == "http://127.0.0.1:8000"
