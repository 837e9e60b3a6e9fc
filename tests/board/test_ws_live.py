"""A real daphne and a real client library: the close code a bad token produces on the wire."""

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.live import Daphne


@pytest.fixture(scope="module")
def daphne(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    # Its own file database (never the developer's db.sqlite3); a bad token never queries it.
    server = Daphne({"DATABASE_URL": f"sqlite:///{tmp / 'live.sqlite3'}"}, tmp / "daphne.log")
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
