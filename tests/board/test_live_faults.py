"""The socket side under a failing channel layer (SPEC sections 5 and 15), in one process:
the layer goes away and comes back empty, messages are lost, a removed member keeps asking.
Clients here never send `resume` unless a test says the client is hostile."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers, get_channel_layer
from django.test import override_settings

from board import services
from board.models import Membership
from board.services import Actor
from tests.board.conftest import board_socket, closed_with, recv, token_for, ws_open
from tests.board.flaky_layer import FlakyLayer
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FLAKY = {"default": {"BACKEND": "tests.board.flaky_layer.FlakyLayer"}}


@pytest.fixture(autouse=True)
def flaky_layer(settings):
    settings.CHANNEL_LAYERS = FLAKY
    settings.WS_HEARTBEAT_SECONDS = 0.3
    settings.WS_DEGRADED_POLL_SECONDS = 0.1
    settings.WS_IDLE_TIMEOUT_SECONDS = 60
    channel_layers.backends = {}
    FlakyLayer.down = False
    yield
    FlakyLayer.down = False
    channel_layers.backends = {}


def rename(user, task_id: int, name: str) -> None:
    services.task_update(actor=Actor(user), task_id=task_id, name=name)


async def events_until(comm, seq: int, timeout: float = 5) -> list[dict]:
    """Every event frame up to `seq` (asserting no close and nothing out of protocol)."""
    got: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not got or got[-1]["seq"] < seq:
        out = await comm.receive_output(max(0.05, deadline - loop.time()))
        assert out["type"] == "websocket.send", (out, got)
        frame = json.loads(out["text"])
        assert frame["type"] in ("event", "presence", "heartbeat"), frame
        if frame["type"] == "event":
            got.append(frame)
    return got


async def assert_no_more_events(comm, for_s: float = 0.6) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + for_s
    while loop.time() < deadline:
        if not await comm.receive_nothing(0.05):
            assert (await recv(comm))["type"] in ("presence", "heartbeat")


async def layer_down() -> None:
    FlakyLayer.down = True


async def layer_back_empty() -> None:
    get_channel_layer().restart_empty()
    FlakyLayer.down = False


async def test_the_layer_away_and_back_empty_every_socket_gets_every_event_once(board, member):
    task = await sync_to_async(services.task_create)(
        actor=Actor(member), board_id=board.pk, name="t"
    )
    sockets = [await board_socket(member, board) for _ in range(3)]
    for comm in sockets:
        assert (await recv(comm))["type"] == "hello"
    await layer_down()
    for n in range(5):
        await sync_to_async(rename)(member, task.pk, f"away {n}")
    # Degraded: from the log, within the poll period (not at the next heartbeat of 25 s).
    for comm in sockets:
        assert [e["seq"] for e in await events_until(comm, 6, timeout=2)] == [2, 3, 4, 5, 6]
    await layer_back_empty()
    for n in range(3):
        await sync_to_async(rename)(member, task.pk, f"back {n}")
    for comm in sockets:
        assert [e["seq"] for e in await events_until(comm, 9)] == [7, 8, 9]
        await assert_no_more_events(comm)


async def test_readyz_says_degraded_while_the_layer_is_away(board, member, client):
    comm = await board_socket(member, board)
    await recv(comm)
    await layer_down()
    await asyncio.sleep(2.5)  # the probe's period and timeout
    body = (await sync_to_async(client.get)("/readyz")).json()
    assert body["checks"]["realtime"] == "degraded"
    await layer_back_empty()
    for _ in range(40):
        body = (await sync_to_async(client.get)("/readyz")).json()
        if body["checks"]["realtime"] == "ok":
            break
        await asyncio.sleep(0.1)
    assert body["checks"]["realtime"] == "ok"
    await comm.disconnect()


async def test_a_lost_removal_still_closes_the_socket_before_anything_after_it(
    board, member, viewer, owner
):
    task = await sync_to_async(services.task_create)(
        actor=Actor(member), board_id=board.pk, name="t"
    )
    watching = await board_socket(viewer, board)
    assert (await recv(watching))["type"] == "hello"
    await layer_down()
    await sync_to_async(services.member_remove)(
        actor=Actor(owner), board_id=board.pk, user_id=viewer.pk
    )
    await sync_to_async(rename)(member, task.pk, "SECRET after removal")
    got = []
    while True:
        out = await watching.receive_output(3)
        if out["type"] == "websocket.close":
            break
        got.append(out["text"])
    assert out["code"] == 4403
    assert "SECRET" not in "".join(got)
    assert '"member.removed"' in got[-1]


async def test_a_removed_member_asking_to_resume_gets_nothing(board, member, viewer, owner):
    task = await sync_to_async(services.task_create)(
        actor=Actor(member), board_id=board.pk, name="t"
    )
    hostile = await board_socket(viewer, board)
    assert (await recv(hostile))["type"] == "hello"
    await layer_down()
    await sync_to_async(services.member_remove)(
        actor=Actor(owner), board_id=board.pk, user_id=viewer.pk
    )
    await sync_to_async(rename)(member, task.pk, "SECRET after removal")
    await hostile.send_json_to({"type": "resume", "since": 0})
    frames = []
    while True:
        out = await hostile.receive_output(3)
        if out["type"] == "websocket.close":
            break
        frames.append(out["text"])
    assert out["code"] == 4403
    assert "SECRET" not in "".join(frames)


async def test_a_membership_gone_without_its_event_closes_at_the_next_check(board, viewer):
    comm = await board_socket(viewer, board)
    assert (await recv(comm))["type"] == "hello"
    # As a user deletion does: the row goes, no member.removed event is written.
    await sync_to_async(Membership.objects.filter(user=viewer).delete)()
    assert await closed_with(comm, timeout=3) == 4403


async def test_auth_refresh_checks_membership_again(board, viewer):
    comm = await board_socket(viewer, board, sid="s1")
    assert (await recv(comm))["type"] == "hello"
    await sync_to_async(Membership.objects.filter(user=viewer).delete)()
    await comm.send_json_to({"type": "auth.refresh", "token": token_for(viewer, sid="s1")})
    assert await closed_with(comm, timeout=3) == 4403


async def test_since_from_another_epoch_gets_resync_required(board, member):
    await sync_to_async(services.task_create)(actor=Actor(member), board_id=board.pk, name="t")
    comm = await ws_open(
        f"/ws/boards/{board.pk}/", f"{token_for(member)}&since=0&epoch=0123456789abcdef"
    )
    hello = await recv(comm)
    assert hello["epoch"] == board.epoch
    frame = await recv(comm)
    while frame["type"] == "presence":
        frame = await recv(comm)
    assert frame == {"type": "resync_required", "seq": 1, "epoch": board.epoch}


async def test_since_with_its_own_epoch_replays(board, member):
    await sync_to_async(services.task_create)(actor=Actor(member), board_id=board.pk, name="t")
    comm = await ws_open(
        f"/ws/boards/{board.pk}/", f"{token_for(member)}&since=0&epoch={board.epoch}"
    )
    assert (await recv(comm))["type"] == "hello"
    assert [e["seq"] for e in await events_until(comm, 1)] == [1]


@override_settings(WS_MAX_SOCKETS_PER_USER=2)
async def test_sockets_past_the_per_user_cap_close_4429(board, member):
    first = await board_socket(member, board)
    await board_socket(member, board)
    third = await board_socket(member, board)
    assert await closed_with(third) == 4429
    await first.disconnect()
    fourth = await board_socket(member, board)
    assert (await recv(fourth))["type"] == "hello"


@override_settings(WS_MAX_SOCKETS_PER_ADDRESS=2)
async def test_sockets_past_the_per_address_cap_close_4429(board, member):
    other = await sync_to_async(lambda: MembershipFactory(board=board, user=UserFactory()))()
    await board_socket(member, board)
    await board_socket(other.user, board)
    third = await board_socket(member, board)
    assert await closed_with(third) == 4429


@override_settings(WS_MAX_SOCKETS_PER_USER=1)
async def test_a_handshake_that_fails_gives_its_place_under_the_cap_back(
    board, member, monkeypatch
):
    """A bug in a handshake ends that socket (1011) without taking the user's next one."""
    from channels.testing import WebsocketCommunicator

    from board.consumers.board import BoardConsumer
    from realtime_scrum.asgi import application

    real = BoardConsumer.authorize

    async def broken(self):
        raise RuntimeError("a bug in the handshake")

    monkeypatch.setattr(BoardConsumer, "authorize", broken)
    comm = WebsocketCommunicator(application, f"/ws/boards/{board.pk}/?token={token_for(member)}")
    await comm.connect()
    with pytest.raises(RuntimeError):
        await comm.wait(1)
    monkeypatch.setattr(BoardConsumer, "authorize", real)
    again = await board_socket(member, board)
    assert (await recv(again))["type"] == "hello"
