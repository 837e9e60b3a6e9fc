"""System tier: one stack for the session, users and a board made through nginx."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.http import HttpClient

from .stack import Stack

PASSWORD = secrets.token_urlsafe(16)


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # Every test here needs the stack: mark them so `-m "not system"` works anywhere. Tests
    # marked `system_last` (the log audit) run after everything that produced tokens.
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.system)
    items.sort(key=lambda item: item.get_closest_marker("system_last") is not None)


def running(stack: Stack) -> Iterator[Stack]:
    """The body of a fixture that owns a stack (any Stack variant): up, yielded, always down."""
    try:
        stack.up()
        yield stack
    finally:
        stack.down()


@pytest.fixture(scope="session")
def stack():
    yield from running(Stack())


def login(stack: Stack, username: str) -> dict:
    resp = HttpClient(stack.base_url).post(
        "/api/auth/login/", {"username": username, "password": PASSWORD}
    )
    assert resp.status == 200, resp.body
    return resp.json()


def create_user(stack: Stack, username: str) -> dict:
    """A user made by the operator command (createsuperuser), then logged in over REST: the
    login's tokens."""
    stack.manage(
        "createsuperuser", "--noinput", "--username", username,
        "--email", f"{username}@example.com", env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip
    return login(stack, username)


@pytest.fixture(scope="session")
def users(stack):
    """alice (owner) and bob (member): created by the operator command, used over REST."""
    return {name: create_user(stack, name) for name in ("alice", "bob")}


@pytest.fixture(scope="session")
def alice(stack, users) -> HttpClient:
    return HttpClient(stack.base_url, users["alice"]["access"])


@pytest.fixture(scope="session")
def bob(stack, users) -> HttpClient:
    return HttpClient(stack.base_url, users["bob"]["access"])


@pytest.fixture
def board(alice, bob) -> dict:
    """A fresh board per test (its own seq space), bob a member."""
    board = alice.write("POST", "/api/boards/", {"name": f"board {secrets.token_hex(3)}"}, 201)
    board = board.json()
    alice.write(
        "POST", f"/api/boards/{board['id']}/members/", {"username": "bob", "role": "member"}, 201
    )
    return board


@pytest.fixture
def task(alice, board) -> dict:
    return alice.write("POST", "/api/tasks/", {"board": board["id"], "name": "first"}, 201).json()
