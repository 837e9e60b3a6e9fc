"""Who may open a socket, and every 4401/4403 close (SPEC section 5)."""

import asyncio
import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from board import services
from board.services import Actor
from realtime_scrum.accounts.sessions import session_revoke
from realtime_scrum.sockets import groups
from tests.board.conftest import board_socket, closed_with, recv, recv_type, token_for, ws_open
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db(transaction=True)


async def test_missing_token_closes_4401(board):
    comm = await ws_open(f"/ws/boards/{board.pk}/")
    assert await closed_with(comm) == 4401


async def test_garbage_token_closes_4401(board):
    comm = await ws_open(f"/ws/boards/{board.pk}/", token="not-a-jwt")
    assert await closed_with(comm) == 4401


async def test_expired_token_closes_4401(board, member):
    token = token_for(member, lifetime=-dt.timedelta(seconds=5))
    comm = await ws_open(f"/ws/boards/{board.pk}/", token=token)
    assert await closed_with(comm) == 4401


async def test_inactive_user_closes_4401(board, member):
    member.is_active = False
    await sync_to_async(member.save)()
    comm = await board_socket(member, board)
    assert await closed_with(comm) == 4401


async def test_revoked_session_closes_4401(board, member):
    token = token_for(member, sid="gone")
    await sync_to_async(session_revoke)(sid="gone")
    comm = await ws_open(f"/ws/boards/{board.pk}/", token=token)
    assert await closed_with(comm) == 4401


async def test_non_member_closes_4403_without_a_frame(board, member, outsider):
    comm = await board_socket(outsider, board)
    assert await comm.receive_output(1) == {"type": "websocket.close", "code": 4403}
    await sync_to_async(services.board_update)(
        actor=Actor(member), board_id=board.pk, name="Renamed"
    )
    assert await comm.receive_nothing(0.3)


async def test_missing_board_closes_4403(member):
    comm = await ws_open("/ws/boards/999999/", token=token_for(member))
    assert await closed_with(comm) == 4403


async def test_foreign_browser_origin_is_refused(board, member):
    from channels.testing import WebsocketCommunicator

    from realtime_scrum.asgi import application

    url = f"/ws/boards/{board.pk}/?token={token_for(member)}"
    comm = WebsocketCommunicator(application, url, headers=[(b"origin", b"https://evil.test")])
    connected, _ = await comm.connect()
    assert connected is False


@override_settings(ALLOWED_HOSTS=["app.example.com"])
async def test_allowed_browser_origin_is_accepted(board, member):
    headers = [(b"origin", b"https://app.example.com")]
    comm = await ws_open(f"/ws/boards/{board.pk}/", token_for(member), headers=headers)
    assert (await recv(comm))["type"] == "hello"


# `exp` is whole seconds (truncated), so a 3 s lifetime leaves 2-3 s: enough to connect on a
# loaded machine, where a 1 s lifetime could already have expired at the handshake.
async def test_token_expiry_closes_4401(board, member):
    comm = await board_socket(member, board, lifetime=dt.timedelta(seconds=3))
    await recv_type(comm, "hello")
    assert await closed_with(comm, timeout=5) == 4401


async def test_auth_refresh_extends_the_socket(board, member):
    comm = await board_socket(member, board, lifetime=dt.timedelta(seconds=3))
    await recv_type(comm, "hello")
    await comm.send_json_to({"type": "auth.refresh", "token": token_for(member)})
    await asyncio.sleep(3.5)  # past the first token's exp
    await comm.send_json_to({"type": "ping"})
    assert await recv_type(comm, "pong") == {"type": "pong"}


async def test_auth_refresh_with_another_users_token_closes_4401(board, member, owner):
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    await comm.send_json_to({"type": "auth.refresh", "token": token_for(owner)})
    assert await closed_with(comm) == 4401


async def test_auth_refresh_with_bad_token_closes_4401(board, member):
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    await comm.send_json_to({"type": "auth.refresh", "token": "nope"})
    assert await closed_with(comm) == 4401


async def test_logout_closes_that_sessions_sockets_4401(board, member):
    mine = await board_socket(member, board, sid="a")
    other = await board_socket(member, board, sid="b")
    await recv_type(mine, "hello")
    await recv_type(other, "hello")
    await sync_to_async(groups.close_session)("a")
    assert await closed_with(mine) == 4401
    await other.send_json_to({"type": "ping"})
    assert (await recv_type(other, "pong"))["type"] == "pong"


async def test_password_change_closes_other_sessions_4401(board, member):
    keep = await board_socket(member, board, sid="keep")
    drop = await board_socket(member, board, sid="drop")
    await recv_type(keep, "hello")
    await recv_type(drop, "hello")
    await groups.send(
        groups.user_group(member.pk), {"type": "auth.revoked", "except_session": "keep"}
    )
    assert await closed_with(drop) == 4401
    await keep.send_json_to({"type": "ping"})
    assert (await recv_type(keep, "pong"))["type"] == "pong"


async def test_member_removal_closes_4403_and_spares_others(board, member, owner):
    removed = await board_socket(member, board)
    stays = await board_socket(owner, board)
    await recv_type(removed, "hello")
    await recv_type(stays, "hello")
    await sync_to_async(services.member_remove)(
        actor=Actor(owner), board_id=board.pk, user_id=member.pk
    )
    event = await recv_type(removed, "event")
    assert event["name"] == "member.removed"
    assert await closed_with(removed) == 4403
    assert (await recv_type(stays, "event"))["name"] == "member.removed"


async def test_board_deletion_closes_4403(owner):
    board = await sync_to_async(BoardFactory)(owner=owner)
    comm = await board_socket(owner, board)
    await recv_type(comm, "hello")
    await sync_to_async(services.board_delete)(actor=Actor(owner), board_id=board.pk)
    assert await closed_with(comm) == 4403
