"""In-process regressions for what the security tier's fuzzers found (each fixed once)."""

import pytest

from tests.board.conftest import board_socket, recv_type
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "frame",
    ["[" * 5000 + "]" * 5000, '{"type": "ping", "x": ' + '{"a": ' * 3000 + "1" + "}" * 3001],
    ids=["deep-array", "deep-field"],
)
async def test_deeply_nested_json_is_bad_json_not_a_server_error(frame):
    # Found by tests/security/test_ws_fuzz.py: json.loads raised RecursionError, which the
    # catch-all logged as a traceback and answered `internal`.
    user = await run(UserFactory)
    board = await run(BoardFactory, owner=user)
    comm = await board_socket(user, board)
    await recv_type(comm, "hello")
    await comm.send_to(text_data=frame)
    error = await recv_type(comm, "error")
    assert error["code"] == "bad_json"
    await comm.disconnect()


def run(factory, **kwargs):
    from channels.db import database_sync_to_async

    return database_sync_to_async(factory)(**kwargs)


async def test_a_send_racing_the_clients_close_is_dropped_not_raised():
    # Found by tests/security/test_ws_fuzz.py on a live daphne: a presence frame sent while the
    # client's close handshake was in flight raised autobahn's Disconnected out of the consumer
    # ("Exception inside application"), skipping the disconnect cleanup.
    from autobahn.exception import Disconnected

    from realtime_scrum.sockets.protocol import ProtocolConsumer

    async def closed_protocol(message):
        raise Disconnected("Attempt to send on a closed protocol")

    consumer = ProtocolConsumer()
    consumer.base_send = closed_protocol
    consumer.closed = False
    await consumer.send_json({"type": "presence", "users": []})
    assert consumer.closed


@pytest.mark.parametrize("since", ["%C2%B2", "9" * 5000, "-1", "1e3"])
async def test_a_malformed_since_is_bad_since_not_1011(since):
    # Found by tests/security/test_ws_fuzz.py's handshake variants: "²" passes str.isdigit()
    # but not int(); 5000 digits exceed int()'s limit. Both ended the socket with 1011.
    from tests.board.conftest import token_for, ws_open

    user = await run(UserFactory)
    board = await run(BoardFactory, owner=user)
    token = token_for(user)
    comm = await ws_open(f"/ws/boards/{board.pk}/?since={since}&token={token}")
    await recv_type(comm, "hello")
    assert (await recv_type(comm, "error"))["code"] == "bad_since"
    await comm.disconnect()


async def test_a_board_id_past_64_bits_is_4403_not_1011():
    # Found by the handshake variants: SQLite raised OverflowError in membership_role.
    from tests.board.conftest import closed_with, token_for, ws_open

    user = await run(UserFactory)
    comm = await ws_open(f"/ws/boards/{10**30}/", token_for(user))
    assert await closed_with(comm) == 4403


@pytest.mark.parametrize("path", ["/ws/nope/", "/ws/boards/abc/", "/ws/boards/1/extra/", "/"])
async def test_an_unknown_socket_path_is_refused_at_the_handshake(path):
    # Found by the handshake variants: URLRouter raised "No route found" (a traceback and an
    # HTTP 500 per request, for anyone). Now the handshake is refused like a foreign origin.
    from channels.testing import WebsocketCommunicator

    from realtime_scrum.asgi import application

    comm = WebsocketCommunicator(application, path)
    connected, _ = await comm.connect()
    assert not connected


@pytest.mark.parametrize("username", ["\U0002b098", "\u043ewner", "ow\u200bner"])
def test_new_usernames_are_ascii(username):
    # Found by tests/security/test_api_schemathesis.py: a username of one CJK letter was
    # accepted (Python's \w is Unicode) but violated the schema's pattern; the same rule let
    # a Cyrillic look-alike of a teammate's name in.
    from rest_framework.test import APIClient

    body = {"username": username, "email": "x@example.test", "password": "a-Long-pass-9921"}
    response = APIClient().post("/api/auth/signup/", body, format="json")
    assert response.status_code == 400
    assert "username" in response.json()
