"""Socket handshakes authenticated by an `Authorization: Bearer` header (SPEC section 5:
non-browser clients; the token then never appears in a URL), next to `?token=`."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from realtime_scrum.accounts.sessions import session_revoke
from tests.board.conftest import closed_with, recv, token_for

pytestmark = pytest.mark.django_db(transaction=True)


async def _open(path: str, authorization: bytes | None = None) -> WebsocketCommunicator:
    from realtime_scrum.asgi import application

    headers = [(b"authorization", authorization)] if authorization is not None else []
    comm = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await comm.connect()
    assert connected  # accepted, then closed with a code if refused
    return comm


def _bearer(token: str) -> bytes:
    return b"Bearer " + token.encode()


async def test_a_header_token_authenticates(board, member):
    comm = await _open(f"/ws/boards/{board.pk}/", _bearer(token_for(member)))
    hello = await recv(comm)
    assert hello["type"] == "hello" and hello["user"]["username"] == "member"
    await comm.disconnect()


async def test_a_bad_header_token_closes_4401(board, member):
    comm = await _open(f"/ws/boards/{board.pk}/", b"Bearer not-a-jwt")
    assert await closed_with(comm) == 4401


async def test_no_token_at_all_closes_4401(board):
    comm = await _open(f"/ws/boards/{board.pk}/")
    assert await closed_with(comm) == 4401


async def test_a_malformed_bearer_header_closes_4401_though_the_query_has_a_token(board, member):
    path = f"/ws/boards/{board.pk}/?token={token_for(member)}"
    comm = await _open(path, b"Bearer " + token_for(member).encode() + b" extra")
    assert await closed_with(comm) == 4401


async def test_the_header_wins_over_the_query(board, member):
    good, bad = token_for(member), "not-a-jwt"
    comm = await _open(f"/ws/boards/{board.pk}/?token={bad}", _bearer(good))
    assert (await recv(comm))["type"] == "hello"
    await comm.disconnect()

    comm = await _open(f"/ws/boards/{board.pk}/?token={good}", _bearer(bad))
    assert await closed_with(comm) == 4401


async def test_another_scheme_leaves_the_query_token_in_charge(board, member):
    comm = await _open(f"/ws/boards/{board.pk}/?token={token_for(member)}", b"Basic dXNlcjpwdw==")
    assert (await recv(comm))["type"] == "hello"
    await comm.disconnect()


async def test_a_header_token_of_a_logged_out_session_closes_4401(board, member):
    token = token_for(member, sid="loggedout")
    await sync_to_async(session_revoke)(sid="loggedout")
    comm = await _open(f"/ws/boards/{board.pk}/", _bearer(token))
    assert await closed_with(comm) == 4401


async def test_a_query_token_of_a_logged_out_session_closes_4401(board, member):
    # The real revocation path (the cache, then the database), not a patched check.
    token = token_for(member, sid="gone")
    await sync_to_async(session_revoke)(sid="gone")
    comm = await _open(f"/ws/boards/{board.pk}/?token={token}")
    assert await closed_with(comm) == 4401
