import pytest

from board import services as board_services
from board.services import Actor
from tests.support.webhook_receiver import Receiver
from webhooks import services


@pytest.fixture
def allow_private(settings):
    """The receiver is on 127.0.0.1: loopback targets allowed for this test."""
    settings.WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver(allow_private):
    with Receiver() as running:
        yield running


@pytest.fixture
def make_hook(board, owner):
    def make(url: str, events=(), active=True):
        return services.webhook_create(
            user=owner, board_id=board.pk, url=url, events=list(events), active=active
        )

    return make


@pytest.fixture
def write(board, owner):
    """Board writes through the services (each appends one event); returns the new seqs."""

    def tasks(count: int, prefix: str = "task") -> list[int]:
        actor = Actor(owner)
        for n in range(count):
            board_services.task_create(actor=actor, board_id=board.pk, name=f"{prefix} {n}")
        board.refresh_from_db()
        return list(range(board.last_seq - count + 1, board.last_seq + 1))

    return tasks
