"""The AsyncAPI document (board/asyncapi/): valid by the reference parser, and complete.

Complete means: every event name of board/realtime.py, every frame type a consumer takes,
every `error` code the protocol raises and every frame type the server code builds has its
message. tests/test_frame_check.py shows the other half: frames the suite receives conform.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from board import realtime
from board.asyncapi import asyncapi_document
from board.asyncapi.frames import ERROR_CODES
from board.consumers import BoardConsumer, MeConsumer

ROOT = Path(__file__).resolve().parents[3]
VALIDATE = ROOT / "scripts" / "asyncapi-validate.mjs"
PARSER = ROOT / "node_modules" / "@asyncapi" / "parser"


def validate(document: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    """scripts/asyncapi-validate.mjs on the document: @asyncapi/parser as package.json pins it."""
    node = shutil.which("node")
    assert node and PARSER.is_dir(), (
        "node and @asyncapi/parser are needed: `bash scripts/js-lint-up.sh` (make lint-js)"
    )
    path = tmp_path / "asyncapi.json"
    path.write_text(json.dumps(document))
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [node, str(VALIDATE), str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=env,
    )  # fmt: skip


def messages(document: dict, channel: str, action: str) -> list[dict]:
    refs = [
        ref["$ref"].rsplit("/", 1)[1]
        for op in document["operations"].values()
        if op["action"] == action and op["channel"]["$ref"] == f"#/channels/{channel}"
        for ref in op["messages"]
    ]
    return [document["components"]["messages"][key] for key in refs]


def frame_types(document: dict, channel: str, action: str) -> set[str]:
    return {
        m["payload"]["properties"]["type"]["const"] for m in messages(document, channel, action)
    }


def test_the_reference_parser_finds_no_error(tmp_path):
    run = validate(asyncapi_document(), tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid AsyncAPI 3.0.0" in run.stdout


def test_the_parser_check_fails_on_an_invalid_document(tmp_path):
    document = asyncapi_document()
    # An operation naming a message its channel lacks, and a payload of no JSON type.
    del document["channels"]["board"]["messages"]["pong"]
    document["components"]["messages"]["error"]["payload"]["type"] = "objekt"
    run = validate(document, tmp_path)
    assert run.returncode == 1, run.stdout
    assert "#/channels/board/messages/pong' does not exist" in run.stdout
    assert "components/messages/error/payload/type" in run.stdout


def test_every_event_name_has_its_message():
    document = asyncapi_document()
    names = [
        m["payload"]["properties"]["name"]["const"]
        for m in messages(document, "board", "send")
        if m["payload"]["properties"]["type"]["const"] == "event"
    ]
    assert sorted(names) == sorted(realtime.EVENT_NAMES)


def test_no_event_name_ships_without_a_schema(monkeypatch):
    from board.asyncapi import events

    monkeypatch.setattr(realtime, "EVENT_NAMES", (*realtime.EVENT_NAMES, "task.teleported"))
    with pytest.raises(LookupError, match="task.teleported"):
        events.event_messages()


def test_the_frames_each_endpoint_takes_are_its_consumers_handlers():
    document = asyncapi_document()
    assert frame_types(document, "board", "receive") == set(BoardConsumer.handlers)
    assert frame_types(document, "me", "receive") == set(MeConsumer.handlers)


def _string_args(call_names: set[str], paths: list[Path]) -> set[str]:
    """The first string argument of every call to one of `call_names` in `paths`."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                first = node.args[0]
                if name in call_names and isinstance(first, ast.Constant):
                    found.add(first.value)
    return found


SERVER_CODE = [
    *sorted((ROOT / "board" / "consumers").glob("*.py")),
    *sorted((ROOT / "board" / "live").glob("*.py")),
    *sorted((ROOT / "realtime_scrum" / "sockets").glob("*.py")),
    ROOT / "board" / "realtime.py",
]


def test_every_error_code_the_protocol_raises_is_in_the_document():
    raised = _string_args({"ProtocolError", "protocol_error"}, SERVER_CODE)
    assert raised, "the scan found no ProtocolError: has the protocol moved?"
    # Not raised as ProtocolErrors: a handler's bug, and the database away (db_unavailable.py).
    assert raised | {"internal", "unavailable"} == set(ERROR_CODES)
    document = asyncapi_document()
    schema = document["components"]["messages"]["error"]["payload"]["properties"]["code"]
    assert schema["enum"] == list(ERROR_CODES)


# `type`s of messages between server parts (the layer, the hub, a stream's queue), not frames.
INTERNAL = {
    "auth.revoked",
    "board.deleted",
    "board.event",
    "board.presence",
    "hub.probe",
    "stream.repair",
    "stream.roles",
    "user.frame",
    "websocket.send",
}


def _literal_types(paths: list[Path]) -> set[str]:
    """Every `{"type": "<literal>", ...}` the server code builds."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    is_type = isinstance(key, ast.Constant) and key.value == "type"
                    if is_type and isinstance(value, ast.Constant):
                        found.add(value.value)
    return found


def test_every_frame_type_the_server_builds_is_in_the_document():
    document = asyncapi_document()
    sent = frame_types(document, "board", "send") | frame_types(document, "me", "send")
    built = _literal_types(SERVER_CODE) | set(realtime.BOARDS_LIST_FRAMES)
    assert built - INTERNAL - sent == set(), "frames the document does not describe"
    assert "heartbeat" in built and "resync_required" in built  # the scan sees the code


def test_close_codes_are_all_described():
    from realtime_scrum.sockets import limits

    document = asyncapi_document()
    codes = {value for name, value in vars(limits).items() if name.startswith("CLOSE_")}
    for channel in ("board", "me"):
        described = {int(code) for code in document["channels"][channel]["x-close-codes"]}
        assert described == codes
    for code in codes:
        assert f"| {code} |" in document["info"]["description"]
