"""The baseline of B1/B2: a raw `websockets` broadcast server, nothing else.

Subscribers connect to any path; a publisher connects to /pub and sends a task's JSON. For each
message the server builds the same kind of frame the app sends (`{"type":"event","seq":...}`),
serializes it once and hands it to `websockets.broadcast`: the floor any framework pays.
Run as `python -m tests.bench.raw_server PORT` (loopback only).
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime

from websockets.asyncio.server import broadcast, serve

subscribers: set = set()
seq = 0


async def handler(ws) -> None:
    global seq
    if ws.request.path == "/pub":
        async for message in ws:
            seq += 1
            frame = {
                "type": "event",
                "seq": seq,
                "name": "task.updated",
                "data": json.loads(message),
                "actor": None,
                "client_op_id": None,
                "at": datetime.now(UTC).isoformat(),
            }
            broadcast(subscribers, json.dumps(frame, separators=(",", ":")))
            await ws.send(str(seq))
        return
    subscribers.add(ws)
    try:
        async for _ in ws:  # clients' keep-alive pings: read and drop
            pass
    finally:
        subscribers.discard(ws)


async def main(port: int) -> None:
    # max_queue/size defaults are fine: subscribers send almost nothing.
    async with serve(handler, "127.0.0.1", port, compression=None):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
