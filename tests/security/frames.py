"""Generated client frames for protocol fuzzing: seeded, so a failure replays exactly.

Each frame comes with what the server must do with it: answer an `error` (the socket stays
open), close with a documented code, or (for the few valid controls) answer without an error.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

MAX_FRAME = 64 * 1024
ERROR = "error"
OK = "ok"


@dataclass(frozen=True)
class Frame:
    kind: str
    data: str | bytes
    expect: str | int  # ERROR, OK, or a close code


def _garbage_text(rng: random.Random) -> str:
    alphabet = '{}[]":,\\ abcxyz019-+.eE\t\n\u00e9\u4e2d\U0001f600'
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))


def _bad_json(rng: random.Random) -> str:
    valid = json.dumps({"type": "ping", "n": rng.randint(0, 9)})
    choices = [
        _garbage_text(rng),
        valid[: rng.randint(1, len(valid) - 1)],  # truncated
        "{'type': 'ping'}",  # single quotes
        '{"type": "ping",}',  # trailing comma
        '{"type": "ping"} {"type": "ping"}',  # two documents
        "",  # empty text frame
        '{"type": "resume", "since": ' + "9" * rng.randint(4400, 6000) + "}",  # > int digits
    ]
    candidate = rng.choice(choices)
    try:
        json.loads(candidate)
    except ValueError:
        return candidate
    return "{" + candidate


NOT_OBJECTS = ["1", "-0", "1e999", "null", "true", '"ping"', "[]", '[{"type": "ping"}]', "NaN"]
BAD_TYPE_VALUES = [None, 1, 1.5, True, [], ["ping"], {}, {"type": "ping"}, 10**30]
UNKNOWN_TYPES = [
    "", "PING", "ping ", "pong", "hello", "event", "error", "close", "connect", "dispatch",
    "websocket.connect", "websocket.disconnect", "websocket.receive", "board.event",
    "board_event", "board.deleted", "board.member.removed", "auth.revoked", "user.frame",
    "on_ping", "__init__", "__class__", "send", "receive", "handlers", "\u0000", "\ud7ff",
    "focus\u0000", "x" * 5000,
]  # fmt: skip
BAD_SINCE = ["x", "10", -1, -(2**70), 1.5, 1e308, True, False, None, [], {}, [1], {"n": 1}]
BAD_FOCUS = ["x", "1", -1, 1.5, 1e308, True, [], {}, [1], {"task": 1}]
BAD_TOKEN = ["", 0, 5, None, [], {}, True, 10**40]


def _bad_fields(rng: random.Random) -> Frame:
    pick = rng.randrange(4)
    if pick == 0:
        body = {"type": "resume", "since": rng.choice(BAD_SINCE)}
    elif pick == 1:
        body = {"type": "focus", "task": rng.choice(BAD_FOCUS)}
    elif pick == 2:
        body = {"type": "auth.refresh", "token": rng.choice(BAD_TOKEN)}
    else:
        body = {"type": "resume"}  # a required field missing
    return Frame("bad_fields", json.dumps(body), ERROR)


def _deep(rng: random.Random) -> str:
    depth = rng.choice([500, 1_000, 5_000, 20_000, 30_000])
    if rng.random() < 0.5:
        return "[" * depth + "]" * depth
    # Valid JSON whose one field nests deeper than Python's recursion limit.
    levels = max(depth // 6, 1_200)  # past the decoder's recursion limit: never a valid ping
    return '{"type": "ping", "x": ' + '{"a": ' * levels + "1" + "}" * levels + "}"


def _oversize(rng: random.Random) -> str | bytes:
    size = rng.choice([MAX_FRAME + 1, MAX_FRAME + 100, 200_000, 900_000])  # under daphne's 1 MiB
    if rng.random() < 0.5:
        return b"\x00" * size
    return json.dumps({"type": "ping", "pad": "x" * size})


def generate(count: int, seed: int = 9) -> list[Frame]:
    rng = random.Random(seed)
    frames: list[Frame] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.22:
            frames.append(Frame("bad_json", _bad_json(rng), ERROR))
        elif roll < 0.32:
            frames.append(Frame("not_object", rng.choice(NOT_OBJECTS), ERROR))
        elif roll < 0.42:
            body = {"type": rng.choice(BAD_TYPE_VALUES)}
            if rng.random() < 0.3:
                body = {"kind": "ping"}
            frames.append(Frame("bad_type", json.dumps(body), ERROR))
        elif roll < 0.57:
            frames.append(
                Frame("unknown_type", json.dumps({"type": rng.choice(UNKNOWN_TYPES)}), ERROR)
            )
        elif roll < 0.77:
            frames.append(_bad_fields(rng))
        elif roll < 0.84:
            frames.append(Frame("deep", _deep(rng), ERROR))
        elif roll < 0.94:
            data = rng.randbytes(rng.randint(0, 512))
            if rng.random() < 0.2:
                data = b'{"type": "ping"}'
            frames.append(Frame("binary", data, ERROR))
        elif roll < 0.95:
            frames.append(Frame("oversize", _oversize(rng), 4413))
        elif roll < 0.955:
            # A token string that is not ours: the socket's credentials are now in doubt.
            token = rng.choice(["a.b.c", "not-a-jwt", "eyJhbGciOiJub25lIn0.e30."])
            frames.append(
                Frame("bad_refresh", json.dumps({"type": "auth.refresh", "token": token}), 4401)
            )
        else:
            frames.append(Frame("control", json.dumps({"type": "ping"}), OK))
    return frames
