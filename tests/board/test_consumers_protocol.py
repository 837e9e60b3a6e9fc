"""Client messages, error frames, limits and their close codes (4400, 4408, 4429, 4413)."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings

from realtime_scrum.sockets import groups
from realtime_scrum.sockets import protocol as base
from tests.board.conftest import board_socket, closed_with, recv, recv_type, token_for, ws_open

pytestmark = pytest.mark.django_db(transaction=True)


async def opened(user, board):
    comm = await board_socket(user, board)
    await recv_type(comm, "hello")
    return comm


async def test_ping_gets_pong(board, member):
    comm = await opened(member, board)
    await comm.send_json_to({"type": "ping"})
    assert await recv(comm) == {"type": "pong"}


@override_settings(WS_HEARTBEAT_SECONDS=0.2)
async def test_server_heartbeat_carries_the_last_seq(board, member):
    comm = await opened(member, board)
    assert await recv(comm) == {"type": "heartbeat", "seq": 0}


@override_settings(WS_HEARTBEAT_SECONDS=0.1, WS_IDLE_TIMEOUT_SECONDS=0.35)
async def test_silent_client_is_closed_4408(board, member):
    comm = await opened(member, board)
    assert await closed_with(comm) == 4408


@override_settings(WS_HEARTBEAT_SECONDS=0.1, WS_IDLE_TIMEOUT_SECONDS=0.35)
async def test_pinging_client_is_kept(board, member):
    comm = await opened(member, board)
    for _ in range(6):
        await comm.send_json_to({"type": "ping"})
        assert (await recv_type(comm, "pong"))["type"] == "pong"
        await comm.receive_nothing(0.1)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"kind": "ping"}', "bad_frame"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "resume", "since": "x"}', "bad_since"),
        ('{"type": "resume", "since": true}', "bad_since"),
        ('{"type": "focus", "task": "abc"}', "bad_focus"),
        ('{"type": "auth.refresh"}', "bad_token"),
    ],
)
async def test_malformed_frame_gets_an_error(board, member, text, code):
    comm = await opened(member, board)
    await comm.send_to(text_data=text)
    frame = await recv(comm)
    assert frame["type"] == "error" and frame["code"] == code and frame["detail"]
    await comm.send_json_to({"type": "ping"})
    assert await recv(comm) == {"type": "pong"}


async def test_binary_frame_gets_an_error(board, member):
    comm = await opened(member, board)
    await comm.send_to(bytes_data=b"\x00\x01")
    assert (await recv(comm))["code"] == "bad_frame"


async def test_bad_since_in_the_url_gets_an_error(board, member):
    comm = await ws_open(f"/ws/boards/{board.pk}/", token_for(member) + "&since=-3")
    await recv_type(comm, "hello")
    assert (await recv_type(comm, "error"))["code"] == "bad_since"


@override_settings(WS_MAX_PROTOCOL_ERRORS=3)
async def test_repeated_protocol_errors_close_4400(board, member):
    comm = await opened(member, board)
    for _ in range(3):
        await comm.send_to(text_data="nope")
    codes = [(await recv(comm))["code"] for _ in range(3)]
    assert codes == ["bad_json"] * 3
    assert await closed_with(comm) == 4400


@override_settings(WS_RATE_PER_SECOND=1, WS_RATE_BURST=5)
async def test_message_flood_closes_4429(board, member):
    comm = await opened(member, board)
    for _ in range(6):
        await comm.send_json_to({"type": "ping"})
    assert [await recv(comm) for _ in range(5)] == [{"type": "pong"}] * 5
    assert await closed_with(comm) == 4429


async def test_frame_over_64_kib_closes_4413(board, member):
    comm = await opened(member, board)
    await comm.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 65536}))
    assert await closed_with(comm) == 4413


async def test_frame_at_the_limit_is_processed(board, member):
    comm = await opened(member, board)
    frame = {"type": "ping", "pad": ""}
    frame["pad"] = "x" * (65536 - len(json.dumps(frame)))
    await comm.send_to(text_data=json.dumps(frame))
    assert await recv(comm) == {"type": "pong"}


async def test_malformed_input_does_not_affect_other_sockets(board, member, owner):
    bad = await opened(member, board)
    good = await opened(owner, board)
    await bad.send_to(text_data="{{{")
    await good.send_json_to({"type": "ping"})
    assert (await recv_type(good, "pong")) == {"type": "pong"}


async def test_notification_is_forwarded_verbatim(board, member):
    on_board = await opened(member, board)
    personal = await ws_open("/ws/me/", token_for(member))
    hello = await recv(personal)
    assert hello == {
        "type": "hello",
        "user": {"id": member.pk, "username": "member"},
        "heartbeat_s": 25.0,
    }
    frame = {"type": "notification", "id": 9, "kind": "due_today", "title": "2 due", "data": {}}
    await sync_to_async(groups.push_to_user)(member.pk, frame)
    assert await recv_type(on_board, "notification") == frame
    assert await recv(personal) == frame


async def test_me_socket_without_token_closes_4401(db):
    comm = await ws_open("/ws/me/")
    assert await closed_with(comm) == 4401


async def test_presence_tracks_join_focus_and_leave(board, member, owner):
    first = await opened(member, board)
    second = await board_socket(owner, board)
    hello = await recv_type(second, "hello")
    both = [
        {
            "id": member.pk,
            "username": "member",
            "full_name": "Member",
            "focus": None,
            "mode": "view",
        },
        {"id": owner.pk, "username": "owner", "full_name": "Owner", "focus": None, "mode": "view"},
    ]
    assert hello["presence"] == both
    assert await recv_type(first, "presence") == {"type": "presence", "users": both}
    await second.send_json_to({"type": "focus", "task": 42})
    focused = [both[0], {**both[1], "focus": 42}]
    assert await recv_type(first, "presence") == {"type": "presence", "users": focused}
    await second.disconnect()
    assert await recv_type(first, "presence") == {"type": "presence", "users": [both[0]]}


async def test_dispatch_skips_the_db_hop_except_for_connect(board, member, monkeypatch):
    calls = []

    async def counting():
        calls.append(1)

    monkeypatch.setattr(base, "aclose_old_connections", counting)
    comm = await opened(member, board)
    assert calls == [1]
    for _ in range(3):
        await comm.send_json_to({"type": "ping"})
        await recv(comm)
    assert calls == [1]
