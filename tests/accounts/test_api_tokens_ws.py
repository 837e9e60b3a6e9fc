"""Personal access tokens on sockets: the handshake takes them by header or `?token=`, a
board-limited token's socket to another board closes 4403, and revocation or expiry closes
an open socket with 4401 (the session group `session.pat-<id>`, the expiry timer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from realtime_scrum.accounts.api_tokens import token_create, token_revoke
from realtime_scrum.accounts.models import ApiToken
from tests.board.conftest import closed_with, recv, recv_type, run_sync, ws_open
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db(transaction=True)


async def _token(user, **kw) -> tuple[int, str]:
    kw = {"name": "bot", "scope": "write", "board_ids": None, **kw}
    created = await run_sync(token_create, user=user, **kw)
    return created.row.pk, created.token


async def test_a_query_token_opens_the_board(board, member):
    _, token = await _token(member)
    comm = await ws_open(f"/ws/boards/{board.pk}/", token)
    hello = await recv_type(comm, "hello")
    assert hello["user"]["username"] == "member" and hello["board"] == board.pk
    await comm.disconnect()


async def test_a_header_token_opens_the_board(board, member):
    _, token = await _token(member, scope="read")
    headers = [(b"authorization", b"Bearer " + token.encode())]
    comm = await ws_open(f"/ws/boards/{board.pk}/", headers=headers)
    hello = await recv_type(comm, "hello")
    # A read token may write nothing, whatever its user's role: the page must not offer it.
    assert hello["role"] == "member" and hello["can"] == {"write": False, "manage": False}
    await comm.disconnect()


async def test_an_unknown_token_closes_4401(board):
    comm = await ws_open(f"/ws/boards/{board.pk}/", "rs_pat_" + "x" * 40)
    assert await closed_with(comm) == 4401


async def test_a_board_limited_tokens_socket_to_another_board_closes_4403(board, member):
    elsewhere = await run_sync(BoardFactory, owner=member)
    _, token = await _token(member, board_ids=[elsewhere.pk])
    comm = await ws_open(f"/ws/boards/{board.pk}/", token)
    assert await closed_with(comm) == 4403
    allowed = await ws_open(f"/ws/boards/{elsewhere.pk}/", token)
    assert (await recv_type(allowed, "hello"))["board"] == elsewhere.pk
    await allowed.disconnect()


async def test_a_board_limited_token_gets_no_personal_socket(board, member):
    _, token = await _token(member, board_ids=[board.pk])
    assert await closed_with(await ws_open("/ws/me/", token)) == 4403
    _, everywhere = await _token(member)
    comm = await ws_open("/ws/me/", everywhere)
    assert (await recv(comm))["type"] == "hello"
    await comm.disconnect()


async def test_revoking_closes_its_open_socket_4401_within_2_s(board, member):
    token_id, token = await _token(member)
    _, kept = await _token(member, name="other")
    comm = await ws_open(f"/ws/boards/{board.pk}/", token)
    other = await ws_open(f"/ws/boards/{board.pk}/", kept)
    await recv_type(comm, "hello")
    await recv_type(other, "hello")
    assert await run_sync(token_revoke, user=member, token_id=token_id)
    assert await closed_with(comm, timeout=2) == 4401
    await other.send_json_to({"type": "ping"})
    assert (await recv_type(other, "pong"))["type"] == "pong"
    await other.disconnect()
    again = await ws_open(f"/ws/boards/{board.pk}/", token)
    assert await closed_with(again) == 4401


async def test_a_token_expiring_while_open_closes_4401(board, member):
    token_id, token = await _token(member, expires_in_days=1)
    soon = timezone.now() + dt.timedelta(seconds=3)  # time to connect on a loaded machine
    await run_sync(lambda: ApiToken.objects.filter(pk=token_id).update(expires_at=soon))
    comm = await ws_open(f"/ws/boards/{board.pk}/", token)
    await recv_type(comm, "hello")
    assert await closed_with(comm, timeout=6) == 4401
