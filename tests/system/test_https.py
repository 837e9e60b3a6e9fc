"""Behind https: the nginx template sends Strict-Transport-Security and tells daphne the request
was https, so Django's cookies are Secure; over plain http neither happens, and a client cannot
claim https for itself.

The stack's nginx renders the template with NGINX_PUBLIC_SCHEME=http (compose's default); a
second nginx here renders it with `https`, as compose does with PUBLIC_SCHEME=https behind a
TLS terminator, in front of the same two daphnes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.http import HttpClient, http_ok
from tests.support.ports import free_port
from tests.support.servers import nginx_server

from . import nginx

ROOT = Path(__file__).resolve().parents[2]
HSTS = "Strict-Transport-Security"
STATIC = "/static/frontend/app.css"


def csrf_cookie(resp) -> str:
    cookie = resp.headers.get("Set-Cookie", "")
    assert cookie.startswith("csrftoken="), resp.headers
    return cookie


def is_secure(cookie: str) -> bool:
    return any(part.strip().lower() == "secure" for part in cookie.split(";"))


@pytest.fixture(scope="module")
def https_nginx(stack):
    """The template rendered with NGINX_PUBLIC_SCHEME=https, beside the stack's own nginx."""
    root = stack.tmp / "nginx-https"
    port = free_port()
    conf = nginx.write_config(
        root,
        listen=port,
        daphne_ports=stack.daphne_ports,
        static_root=stack.static_root,
        public_scheme="https",
    )
    proc = nginx_server(root, conf, stack.tmp / "nginx-https.stdout.log", stack.env, stack.tmp)
    base = f"http://127.0.0.1:{port}"
    proc.start().wait_until(lambda: http_ok(f"{base}/readyz"))
    try:
        yield HttpClient(base)
    finally:
        proc.stop()


def test_plain_http_sends_no_hsts_and_plain_cookies(stack):
    client = HttpClient(stack.base_url)
    page = client.get("/")
    assert page.status == 200
    assert not is_secure(csrf_cookie(page))
    for resp in (page, client.get(STATIC), client.get("/api/boards/"), client.get("/ws/me/")):
        assert HSTS not in resp.headers, resp.headers
    # A client claiming https does not get it: nginx sets X-Forwarded-Proto itself.
    spoofed = client.get("/", X_Forwarded_Proto="https")
    assert not is_secure(csrf_cookie(spoofed))


def test_behind_https_every_answer_has_hsts_and_cookies_are_secure(https_nginx):
    page = https_nginx.get("/")
    assert page.status == 200
    assert is_secure(csrf_cookie(page))
    answers = {
        "page": page,
        "static (nginx)": https_nginx.get(STATIC),
        "api 401": https_nginx.get("/api/boards/"),
        "api 404": https_nginx.get("/api/nope/"),
        "plain /ws/ (nginx 426)": https_nginx.get("/ws/me/"),
    }
    assert answers["static (nginx)"].status == 200
    assert answers["plain /ws/ (nginx 426)"].status == 426
    for name, resp in answers.items():
        assert resp.headers.get(HSTS) == "max-age=31536000", (name, resp.headers)


def test_every_template_placeholder_is_set_by_compose():
    """compose's nginx service substitutes only the names in NGINX_ENVSUBST_FILTER: a new
    placeholder missing there would reach nginx as a literal `${...}`."""
    template = (ROOT / "deploy" / "nginx" / "scrum.conf.template").read_text()
    compose = (ROOT / "deploy" / "docker-compose.yml").read_text()
    names = set(nginx.PLACEHOLDER.findall(template))
    assert "NGINX_PUBLIC_SCHEME" in names
    filtered = re.search(r'NGINX_ENVSUBST_FILTER: "\^\(([^)]*)\)', compose)
    assert filtered and set(filtered.group(1).split("|")) == names
    for name in names:
        assert re.search(rf"^\s+{name}: ", compose, re.M), f"compose does not set {name}"
