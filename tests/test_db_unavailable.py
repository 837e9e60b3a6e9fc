"""The database server gone (realtime_scrum/db_unavailable.py), on SQLite: the connection is
made to raise what mysqlclient raises when MariaDB restarts, and REST answers 503 JSON with
Retry-After, sockets close 4503 or get an `unavailable` error, never a 500 or a traceback.
tests/system/test_primary_restart.py does the same against a real restart."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.test import RequestFactory

from board.models import Task
from realtime_scrum.db_unavailable import DatabaseUnavailableMiddleware, is_unavailable
from tests.board.conftest import board_socket, closed_with, recv, recv_type
from tests.factories import TaskFactory

GONE = OperationalError(2006, "MySQL server has gone away")


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (GONE, True),
        (OperationalError(2013, "Lost connection to server during query"), True),
        (OperationalError(2003, "Can't connect to server on '127.0.0.1' (111)"), True),
        (OperationalError(1927, "Connection was killed"), True),
        (InterfaceError(0, ""), True),
        (OperationalError("database is locked"), False),  # SQLite's: a real fault, a 500
        (OperationalError(1205, "Lock wait timeout exceeded"), False),
        (IntegrityError(1062, "Duplicate entry"), False),
        (ValueError(2006), False),
    ],
)
def test_only_a_server_that_is_gone_counts_as_unavailable(exc, expected):
    assert is_unavailable(exc) is expected


def server_gone(execute, sql, params, many, context):
    raise GONE


def assert_503_json(resp) -> None:
    assert resp.status_code == 503
    assert resp["Content-Type"].startswith("application/json")
    assert resp["Retry-After"] == "2"
    body = json.loads(resp.content)
    assert body["code"] == "database_unavailable" and body["detail"]


@pytest.mark.django_db
def test_a_patch_whose_database_went_away_answers_503_json_and_writes_nothing(api, board, caplog):
    task = TaskFactory(board=board, name="before")
    caplog.set_level(logging.INFO)
    with connection.execute_wrapper(server_gone):
        resp = api.patch(f"/api/tasks/{task.pk}/", {"name": "after"}, format="json")
    assert_503_json(resp)
    assert Task.objects.get(pk=task.pk).name == "before"
    # One WARNING saying what happened; no ERROR line (Django logs every 5xx as one).
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("answered 503" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_page_outside_drf_gets_the_same_503_through_the_middleware(client, owner):
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client.force_login(owner)
    with connection.execute_wrapper(server_gone):
        resp = client.get("/admin/")  # the admin's user check queries the database
    assert_503_json(resp)


def test_the_middleware_leaves_other_database_errors_to_the_500_path():
    request = RequestFactory().get("/app/session/")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert_503_json(middleware.process_exception(request, GONE))
    assert middleware.process_exception(request, OperationalError("database is locked")) is None


# --- sockets ---------------------------------------------------------------------------------

socket_db = pytest.mark.django_db(transaction=True)


def raise_gone(*args, **kwargs):
    raise GONE


@socket_db
async def test_a_handshake_whose_token_check_finds_the_database_gone_closes_4503(
    board, member, monkeypatch
):
    monkeypatch.setattr("realtime_scrum.accounts.ws_auth._authenticate_handshake", raise_gone)
    comm = await board_socket(member, board)
    assert await closed_with(comm) == 4503


@socket_db
async def test_a_handshake_whose_access_check_finds_the_database_gone_closes_4503(
    board, member, monkeypatch, caplog
):
    with monkeypatch.context() as patch:
        patch.setattr("board.access.role_on", raise_gone)
        comm = await board_socket(member, board)
        assert await closed_with(comm) == 4503
        await comm.wait()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # Its socket was counted back (caps, groups): the next one, database back, is served.
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")


@socket_db
async def test_a_board_stream_opened_while_the_database_is_gone_is_not_taken_for_deleted(
    board, member, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr("board.selectors.board_head", raise_gone)
        comm = await board_socket(member, board)
        assert await closed_with(comm) == 4503  # not 4403, which tells a client to give up
        await comm.wait()
    comm = await board_socket(member, board)
    assert (await recv_type(comm, "hello"))["board"] == board.pk


@socket_db
async def test_a_frame_that_needs_the_gone_database_gets_an_unavailable_error(
    board, member, monkeypatch, caplog
):
    comm = await board_socket(member, board)
    await recv_type(comm, "hello")
    monkeypatch.setattr("board.access.role_on", raise_gone)
    await comm.send_json_to({"type": "resume", "since": 0})
    frame = await recv_type(comm, "error")
    assert frame["code"] == "unavailable" and frame["detail"]
    await comm.send_json_to({"type": "ping"})
    assert await recv(comm) == {"type": "pong"}  # the socket stays open
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.django_db
def test_webhooks_not_woken_when_the_database_went_away_right_after_the_commit(board, caplog):
    from webhooks.triggers import board_event_committed

    with connection.execute_wrapper(server_gone):
        board_event_committed(board.pk)  # an on_commit callback: it must not raise or log ERROR
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("not woken" in r.getMessage() for r in caplog.records)
