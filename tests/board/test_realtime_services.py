"""Services tier: two daphne processes on MariaDB + Redis (channels-redis core layer).

Marked `mysql`: the unit tier deselects it and `make test-services` runs it with
DATABASE_URL=mysql://... and REDIS_URL set. Run without them it fails; it never skips.
"""

import asyncio
import contextlib
import json
import os
import time

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from websockets.asyncio.client import connect
from websockets.sync.client import connect as connect_sync

from board import services
from board.services import Actor
from realtime_scrum.sockets import groups
from tests.board.conftest import token_for
from tests.factories import BoardFactory, MembershipFactory, TaskFactory, UserFactory
from tests.support.http import HttpClient
from tests.support.servers import start_daphne

HAVE_SERVICES = os.environ.get("DATABASE_URL", "").startswith("mysql") and bool(
    os.environ.get("REDIS_URL")
)
pytestmark = [pytest.mark.mysql, pytest.mark.django_db(transaction=True)]
IDLE_SECONDS = 60


@pytest.fixture(scope="module")
def daphnes(django_db_setup, tmp_path_factory):
    """Two daphne processes on the test database and the test Redis db."""
    assert HAVE_SERVICES, "the services tier needs DATABASE_URL=mysql://... and REDIS_URL"
    tmp = tmp_path_factory.mktemp("daphnes")
    db = settings.DATABASES["default"]
    env = {"DATABASE_URL": f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    started = []
    try:
        for name in ("a", "b"):
            started.append(start_daphne(tmp / f"daphne-{name}.log", **env))
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture(scope="module")
def idle_sockets(daphnes, django_db_blocker):
    """Sockets opened first and left silent while the other tests run; the idle test (last
    in this module) checks them once IDLE_SECONDS have passed. Measured: without
    `socket_timeout: None` on the layer's hosts, both close with 1011 before the minute ends.
    Personal sockets (/ws/me/): the other tests flush the database, and a board socket
    rightly closes 4403 once its board is gone."""
    with django_db_blocker.unblock():
        user = UserFactory(username="idler")
        tokens = [token_for(user) for _ in daphnes]
    with contextlib.ExitStack() as stack:
        sockets = []
        for server, token in zip(daphnes, tokens, strict=True):
            ws = stack.enter_context(connect_sync(f"{server.ws}/ws/me/?token={token}"))
            sockets.append((ws, json.loads(ws.recv(5))))
        yield user.pk, sockets, time.monotonic()


def rest(server, method: str, path: str, user, body: dict | None = None, op: str = ""):
    headers = {"X_Client_Op_Id": op} if op else {}
    return HttpClient(server.base, token_for(user)).call(method, path, body, **headers)


async def events(ws, count: int, timeout: float = 10) -> list[dict]:
    got = []
    while len(got) < count:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if frame["type"] == "event":
            got.append(frame)
        else:
            assert frame["type"] in ("hello", "presence", "heartbeat"), frame
    return got


async def quiet(ws, seconds: float = 0.5) -> bool:
    """True if no event (or error) arrives for `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), left))
        except TimeoutError:
            return True
        if frame["type"] not in ("hello", "presence", "heartbeat"):
            return False
    return True


@pytest.fixture
def team(db):
    owner = UserFactory(username="lead")
    board = BoardFactory(owner=owner)
    member = MembershipFactory(board=board, user=UserFactory(username="dev")).user
    return board, owner, member


def ws_url(server, board, user, since: int | None = None) -> str:
    url = f"{server.ws}/ws/boards/{board.pk}/?token={token_for(user)}"
    return url if since is None else f"{url}&since={since}"


async def test_a_rest_change_on_one_process_reaches_sockets_on_both(daphnes, idle_sockets, team):
    board, owner, member = team
    task = await sync_to_async(TaskFactory)(board=board)
    a, b = daphnes
    async with connect(ws_url(a, board, owner)) as on_a, connect(ws_url(b, board, member)) as on_b:
        status, _ = await asyncio.to_thread(
            rest, a, "PATCH", f"/api/tasks/{task.pk}/", member, {"name": "Edited"}, "op-1"
        )
        assert status == 200
        for ws in (on_a, on_b):
            (event,) = await events(ws, 1)
            assert (event["seq"], event["name"]) == (1, "task.updated")
            assert event["data"]["name"] == "Edited" and event["client_op_id"] == "op-1"


async def test_reconnect_with_since_gets_every_missed_change_once_in_order(daphnes, team):
    board, owner, member = team
    task = await sync_to_async(TaskFactory)(board=board)
    a, b = daphnes
    async with connect(ws_url(a, board, member)) as ws:
        seq = json.loads(await ws.recv())["seq"]
    # 50 changes while disconnected, spread over both processes.
    for n in range(50):
        server = daphnes[n % 2]
        status, _ = await asyncio.to_thread(
            rest, server, "PATCH", f"/api/tasks/{task.pk}/", owner, {"name": f"v{n}"}
        )
        assert status == 200

    async def writer(count: int) -> None:
        # More changes race with the reconnect: the replay/live switch-over under load.
        for n in range(count):
            await asyncio.to_thread(
                rest, a, "PATCH", f"/api/tasks/{task.pk}/", owner, {"name": f"w{n}"}
            )

    async with connect(ws_url(b, board, member, since=seq)) as ws:
        racing = asyncio.create_task(writer(20))
        got = await events(ws, 70, timeout=20)
        await racing
        assert [e["seq"] for e in got] == list(range(seq + 1, seq + 71))
        assert [e["data"]["name"] for e in got[:50]] == [f"v{n}" for n in range(50)]
        assert await quiet(ws)


async def test_a_rolled_back_write_emits_nothing(daphnes, team):
    board, owner, member = team
    task = await sync_to_async(TaskFactory)(board=board)
    a, b = daphnes

    def rolled_back() -> None:
        with transaction.atomic():
            services.task_update(actor=Actor(owner), task_id=task.pk, name="never")
            raise RuntimeError("abort")

    async with connect(ws_url(a, board, member)) as on_a, connect(ws_url(b, board, member)) as on_b:
        with pytest.raises(RuntimeError):
            await sync_to_async(rolled_back)()
        # A REST write refused by the rules (rule 7) is rolled back too.
        status, _ = await asyncio.to_thread(
            rest, a, "PATCH", f"/api/tasks/{task.pk}/", owner, {"completed": "2030-01-01"}
        )
        assert status == 400
        assert await quiet(on_a) and await quiet(on_b)
        await sync_to_async(services.task_update)(actor=Actor(owner), task_id=task.pk, name="ok")
        for ws in (on_a, on_b):
            (event,) = await events(ws, 1)
            assert (event["seq"], event["data"]["name"]) == (1, "ok")


async def test_bad_token_closes_4401_on_a_live_server(daphnes):
    from websockets.exceptions import ConnectionClosed

    async with connect(f"{daphnes[0].ws}/ws/me/?token=bad") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd.code == 4401


async def test_zz_idle_sockets_stay_open(idle_sockets):
    """Last on purpose: it waits out the idle period the other tests have already used."""
    user_id, sockets, opened = idle_sockets
    await asyncio.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - opened)))
    frame = {"type": "notification", "id": 1, "kind": "due_today", "title": "t", "data": {}}
    # Through Redis to both processes: their channel-layer reads survived the idle minute.
    await sync_to_async(groups.push_to_user)(user_id, frame)
    for ws, _ in sockets:
        while True:
            got = json.loads(await asyncio.to_thread(ws.recv, 5))
            if got["type"] == "notification":
                break
            assert got["type"] == "heartbeat", got
        assert got == frame
        ws.send(json.dumps({"type": "ping"}))
        while (got := json.loads(await asyncio.to_thread(ws.recv, 5)))["type"] != "pong":
            assert got["type"] == "heartbeat", got
