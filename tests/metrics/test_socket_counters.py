"""The socket counters move where the thing happens: a board socket opening, an event
reaching it, its close (by code), a slow reader's 4409."""

import pytest
from asgiref.sync import sync_to_async

from realtime_scrum.sendbuffer import SendBuffer
from realtime_scrum.server import CLOSE_SEND_BUFFER_FULL, ScrumWebSocketProtocol
from tests.board.conftest import board_socket, closed_with, recv_type
from tests.conftest import client_for
from tests.factories import TaskFactory

from .conftest import sample


@pytest.mark.django_db(transaction=True)
async def test_a_socket_open_an_event_and_a_close_move_their_counters(board, member):
    task = await sync_to_async(TaskFactory)(board=board, name="Before")
    api = await sync_to_async(client_for)(member)
    open_before = sample("rs_sockets_open")
    connects = sample("rs_socket_connects_total")
    closes = sample("rs_socket_closes_total", code="1000")
    broadcast = sample("rs_events_broadcast_total")
    delivered = sample("rs_event_deliveries_total")

    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    assert sample("rs_sockets_open") == open_before + 1
    assert sample("rs_socket_connects_total") == connects + 1

    response = await sync_to_async(api.patch)(
        f"/api/tasks/{task.pk}/", {"name": "After"}, format="json"
    )
    assert response.status_code == 200
    frame = await recv_type(comm, "event")
    assert frame["data"]["name"] == "After"
    assert "request_id" not in frame  # logs only, never frames
    assert sample("rs_events_broadcast_total") == broadcast + 1
    assert sample("rs_event_deliveries_total") == delivered + 1

    await comm.disconnect(code=1000)
    assert sample("rs_sockets_open") == open_before
    assert sample("rs_socket_closes_total", code="1000") == closes + 1


@pytest.mark.django_db(transaction=True)
async def test_a_close_the_server_makes_counts_its_code(board, outsider):
    refused = sample("rs_socket_closes_total", code="4403")
    open_before = sample("rs_sockets_open")
    comm = await board_socket(outsider, board)
    assert await closed_with(comm) == 4403
    await comm.disconnect(code=1006)  # what daphne reports when the client just goes
    assert sample("rs_socket_closes_total", code="4403") == refused + 1
    assert sample("rs_sockets_open") == open_before


def test_a_client_code_outside_the_known_ones_is_counted_as_other():
    from realtime_scrum import metrics

    other = sample("rs_socket_closes_total", code="other")
    metrics.socket_closed(3999)
    assert sample("rs_socket_closes_total", code="other") == other + 1
    assert sample("rs_socket_closes_total", code="3999") == 0


def test_a_slow_reader_closed_with_4409_is_counted(monkeypatch):
    closed: list[int] = []
    monkeypatch.setattr(
        "daphne.ws_protocol.WebSocketProtocol.serverClose",
        lambda self, code=None: closed.append(code),
    )
    protocol = ScrumWebSocketProtocol.__new__(ScrumWebSocketProtocol)
    protocol.outbox = SendBuffer(1024, 4096)
    before = sample("rs_slow_reader_closes_total")
    protocol._close_send_buffer_full()
    assert closed == [CLOSE_SEND_BUFFER_FULL]
    assert sample("rs_slow_reader_closes_total") == before + 1
