"""Revocation through the real account flows: REST logout, password change, deactivation
and reset close the affected sockets with 4401 within 2 s; other sessions stay open."""

import pytest
from rest_framework.test import APIClient

from realtime_scrum.accounts.sessions import session_revoke, session_start
from tests.board.conftest import closed_with, recv_type, run_sync, ws_open

pytestmark = pytest.mark.django_db(transaction=True)


async def _socket(board, access: str):
    comm = await ws_open(f"/ws/boards/{board.pk}/", access)
    await recv_type(comm, "hello")
    return comm


def _post(access: str, path: str, body: dict):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.post(path, body, format="json")


async def _still_open(comm) -> None:
    await comm.send_json_to({"type": "ping"})
    assert (await recv_type(comm, "pong"))["type"] == "pong"


async def test_rest_logout_closes_that_sessions_socket_only(board, member):
    a = await run_sync(session_start, user=member)
    b = await run_sync(session_start, user=member)
    sock_a, sock_b = await _socket(board, a.access), await _socket(board, b.access)
    response = await run_sync(_post, a.access, "/api/auth/logout/", {"refresh": a.refresh})
    assert response.status_code == 205
    assert await closed_with(sock_a, timeout=2) == 4401
    await _still_open(sock_b)
    # And the logged-out access token cannot open a new socket.
    again = await ws_open(f"/ws/boards/{board.pk}/", a.access)
    assert await closed_with(again) == 4401


async def test_password_change_closes_every_other_session(board, member):
    keep = await run_sync(session_start, user=member)
    drop = await run_sync(session_start, user=member)
    sock_keep, sock_drop = await _socket(board, keep.access), await _socket(board, drop.access)
    body = {"old_password": "pw-secret-123", "new_password": "a-much-better-passphrase-42"}
    response = await run_sync(_post, keep.access, "/api/auth/password/change/", body)
    assert response.status_code == 200, response.json()
    assert await closed_with(sock_drop, timeout=2) == 4401
    await _still_open(sock_keep)


async def test_revoked_session_cannot_connect(board, member):
    tokens = await run_sync(session_start, user=member)
    await run_sync(session_revoke, sid=tokens.sid)
    comm = await ws_open(f"/ws/boards/{board.pk}/", tokens.access)
    assert await closed_with(comm) == 4401


async def test_deactivated_user_is_closed_and_refused(board, member):
    tokens = await run_sync(session_start, user=member)
    sock = await _socket(board, tokens.access)

    def deactivate():
        from realtime_scrum.accounts.sessions import sessions_revoke_all

        member.is_active = False
        member.save(update_fields=["is_active"])
        sessions_revoke_all(user_id=member.pk)

    await run_sync(deactivate)
    assert await closed_with(sock, timeout=2) == 4401
    comm = await ws_open(f"/ws/boards/{board.pk}/", tokens.access)
    assert await closed_with(comm) == 4401
