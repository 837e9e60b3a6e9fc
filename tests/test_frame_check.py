"""The suite-wide frame check (tests/support/frame_check.py): a frame the AsyncAPI document
does not describe, or that does not conform, fails the test that received it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator

from tests.support import frame_check
from tests.support.frame_check import FrameViolation, check_frame

ROOT = Path(__file__).resolve().parents[1]
BOARD, ME = "/ws/boards/7/", "/ws/me/"


@contextlib.contextmanager
def violation(says: str):
    """The check raises here, and the violation it recorded is forgotten: it is the point of
    these tests, not their failure (tests/conftest.py fails a test that recorded one)."""
    with pytest.raises(FrameViolation, match=re.escape(says)):
        yield
    frame_check.reset()


def test_frames_the_document_describes_pass():
    assert check_frame('{"type":"pong"}', BOARD) == {"type": "pong"}
    check_frame({"type": "error", "code": "bad_json", "detail": "The frame is not valid JSON."})
    check_frame({"type": "heartbeat"}, ME)
    check_frame(
        {"type": "notification", "id": 3, "kind": "a_kind_added_later", "title": "t", "data": {}},
        ME,
    )


@pytest.mark.parametrize(
    ("frame", "path", "says"),
    [
        ({"type": "surprise"}, BOARD, "frame type surprise is not in the AsyncAPI document"),
        (
            {"type": "event", "seq": 1, "name": "task.teleported", "data": {}, "actor": None,
             "client_op_id": None, "at": "2026-12-01T09:00:00Z"},
            BOARD,
            "frame type event 'task.teleported' is not in",
        ),
        # Each endpoint sends its own frames: a boards-list frame never reaches a board socket.
        (
            {"type": "membership.removed", "board": {"id": 1, "name": "x"}, "reason": "left",
             "actor": None},
            BOARD,
            "not in the AsyncAPI document for channel 'board'",
        ),
        ({"type": "heartbeat"}, BOARD, "heartbeat frame does not conform at (frame)"),
        ({"type": "error", "code": "oops", "detail": "x"}, BOARD, "does not conform at code"),
        ({"type": "pong", "extra": 1}, ME, "does not conform"),
        ("[1, 2]", BOARD, "not a frame"),
        ("{not json", BOARD, "not JSON"),
        (b'{"type":"pong"}', BOARD, "a binary frame"),
    ],
)  # fmt: skip
def test_an_undescribed_or_nonconforming_frame_raises(frame, path, says):
    with violation(says):
        check_frame(frame if not isinstance(frame, dict) else json.dumps(frame), path)


async def _app_sending(frame: dict):
    async def app(scope, receive, send):
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps(frame)})
        await receive()

    return app


async def test_a_communicator_receiving_an_undescribed_frame_raises():
    comm = WebsocketCommunicator(await _app_sending({"type": "surprise"}), BOARD)
    assert (await comm.connect())[0]
    with violation("frame type surprise is not in the AsyncAPI document"):
        await comm.receive_json_from()
    await comm.disconnect()


PROBE = """
import asyncio, json
from channels.testing import WebsocketCommunicator


async def app(scope, receive, send):
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": json.dumps(FRAME)})
    await receive()


def test_receives_it_in_a_task_that_swallows_every_error():
    async def client():
        comm = WebsocketCommunicator(app, "/ws/boards/1/")
        await comm.connect()
        try:
            await comm.receive_from()
        except Exception:
            pass  # a background client that dies quietly
        await comm.disconnect()

    asyncio.run(client())
"""


@pytest.mark.parametrize(
    ("frame", "outcome"),
    [({"type": "pong"}, "1 passed"), ({"type": "surprise"}, "1 failed")],
)
def test_a_test_whose_client_swallowed_a_violation_still_fails(tmp_path, frame, outcome):
    """A pytest run of its own, with the suite's conftest hooks: the probe test passes on a
    described frame and fails on an undescribed one though its client caught the error."""
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import django
        django.setup()
        from tests.conftest import (
            pytest_configure, pytest_runtest_call, pytest_runtest_setup, pytest_runtest_teardown,
        )
        """)
    )
    (tmp_path / "test_probe.py").write_text(f"FRAME = {frame!r}\n" + PROBE)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:django",
         "-p", "no:asyncio", "-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert outcome in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]
    if outcome == "1 failed":
        assert "frame type surprise is not in the AsyncAPI document" in run.stdout
