import os

import pytest
from channels.layers import channel_layers
from rest_framework.test import APIClient

from board.live import presence
from board.models import Role
from realtime_scrum.accounts.sessions import session_start
from realtime_scrum.sockets import groups
from tests.factories import BoardFactory, MembershipFactory, UserFactory
from tests.support import frame_check

# The system tier (nginx + two daphnes + MariaDB + a private Redis) runs only from
# `make test-system`, which sets RS_SYSTEM_TESTS; the browser tier only from `make test-e2e`
# (E2E=1). The unit and services tiers collect neither.
collect_ignore = [] if os.environ.get("RS_SYSTEM_TESTS") else ["system"]
if os.environ.get("E2E") != "1":
    collect_ignore.append("e2e")


def pytest_configure(config):
    # Every frame a test receives from a server socket is held to GET /api/asyncapi.json.
    frame_check.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    frame_check.reset()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # A violation raised in a client's background task dies with the task: fail the test here.
    try:
        result = yield
    except frame_check.FrameViolation:
        frame_check.reset()  # raised where it was received: it says it all
        raise
    except BaseException as exc:
        frame_check.raise_recorded(cause=exc)  # a lost client may be why the test failed
        raise
    frame_check.raise_recorded()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    frame_check.raise_recorded()
    return result


@pytest.fixture(autouse=True)
def fresh_layer_and_presence():
    # Channel layers (their queues, channels-redis's per-prefix receive locks) and presence
    # belong to one event loop: one test's loop each. Every tier's socket tests need this
    # (tests/security's communicator tests failed now and then with "bound to a different
    # event loop" while it lived in tests/board only).
    channel_layers.backends = {}
    presence._store = None
    groups._outage.reset()
    presence._outage.reset()
    yield
    channel_layers.backends = {}
    presence._store = None
    # A layer a test took down leaves its send guard closed for a second (outage.py): the
    # next test's first push was skipped with it (test_membership_frames, now and then).
    groups._outage.reset()
    presence._outage.reset()


def client_for(user) -> APIClient:
    """An API client authenticated the way real clients are: a JWT access token of a fresh
    login session (a token without a session id is refused)."""
    client = APIClient()
    token = session_start(user=user).access
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def board(owner):
    return BoardFactory(owner=owner, name="Team board")


@pytest.fixture
def member(board):
    return MembershipFactory(board=board, user=UserFactory(username="member")).user


@pytest.fixture
def viewer(board):
    return MembershipFactory(
        board=board, user=UserFactory(username="viewer"), role=Role.VIEWER
    ).user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def api(member):
    """A member's client: members write sprints and tasks."""
    return client_for(member)


@pytest.fixture
def broadcasts(monkeypatch):
    """Events broadcast after commit, in order (board.realtime.broadcast_event calls)."""
    sent = []
    monkeypatch.setattr("board.realtime.broadcast_event", sent.append)
    return sent
