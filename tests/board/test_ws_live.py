"""A real daphne and a real client library: the close code a bad token produces on the wire."""

import asyncio
import base64
import os

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.support.servers import start_daphne


@pytest.fixture(scope="module")
def daphne(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    # Its own file database (never the developer's db.sqlite3); a bad token never queries it.
    server = start_daphne(tmp / "daphne.log", DATABASE_URL=f"sqlite:///{tmp / 'live.sqlite3'}")
    yield server
    server.stop()


@pytest.mark.parametrize("query", ["?token=not-a-jwt", ""])
async def test_bad_token_closes_4401_as_a_client_sees_it(daphne, query):
    async with connect(f"{daphne.ws}/ws/boards/1/{query}") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd.code == 4401


async def test_foreign_origin_is_refused_at_the_handshake(daphne):
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"{daphne.ws}/ws/me/?token=x", origin="https://evil.test"):
            pass
    assert refused.value.response.status_code == 403


async def test_a_slow_reader_still_gets_its_close_code(daphne):
    """A client that reads late (a slow link, a busy event loop) must still see 4401, not a
    reset. Autobahn rounds its 1 s close-handshake timer down to a whole second, so daphne
    alone aborted such sockets anywhere from 0 to 1 s after its close frame, and the reset
    threw away the unread 101 and close frame (realtime_scrum/server.py)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", daphne.port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws/me/ HTTP/1.1\r\nHost: 127.0.0.1:{daphne.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    await asyncio.sleep(2.5)  # the server has long since sent 101 and its close frame
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 4:
        chunk = await asyncio.wait_for(reader.read(4096), 5)
        assert chunk, f"connection ended after {data!r}"
        data += chunk
    head, frame = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101")
    assert frame[0] == 0x88  # FIN + close
    assert int.from_bytes(frame[2:4], "big") == 4401
    writer.close()
