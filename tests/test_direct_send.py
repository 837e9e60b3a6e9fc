"""The direct-send lever (realtime_scrum/direct_send.py): frames equal to RFC 6455 framing,
built once per shared text, and never written past bytes Twisted still holds.

The last tests run Twisted's own FileDescriptor with a kernel that takes what the test says:
if an upgrade renames or redefines the buffer attributes the lever reads, they fail here."""

from __future__ import annotations

import json

import pytest
from twisted.internet.abstract import FileDescriptor
from websockets.frames import Frame, Opcode

from realtime_scrum import direct_send


def parse(frame: bytes) -> Frame:
    """The frame as the `websockets` client library reads it (a second implementation)."""
    data = bytearray(frame)

    def read_exact(n: int):
        chunk = bytes(data[:n])
        del data[:n]
        return chunk
        yield  # a generator, as Frame.parse expects

    gen = Frame.parse(read_exact, mask=False)
    try:
        while True:
            next(gen)
    except StopIteration as done:
        assert not data, "bytes after the frame"
        return done.value


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_frames_are_rfc_6455_text_frames(size):
    text = "é" * (size // 2) + "x" * (size % 2)
    frame = parse(direct_send.frame_of(direct_send.shared(text), False))
    assert (frame.opcode, frame.fin, frame.data.decode()) == (Opcode.TEXT, True, text)
    raw = direct_send.frame_of(text, False)
    assert direct_send.payload_length(raw) == len(text.encode())


def test_binary_frames():
    frame = parse(direct_send.frame_of(b"\x00\xff", True))
    assert (frame.opcode, frame.data) == (Opcode.BINARY, b"\x00\xff")


def test_a_shared_text_is_framed_once_for_every_socket():
    text = direct_send.shared('{"type":"event","seq":1}')
    first = direct_send.frame_of(text, False)
    assert direct_send.frame_of(text, False) is first
    assert direct_send.shared(text) is text
    # A plain str is framed on each send: nothing is cached on it.
    plain = '{"type":"pong"}'
    assert direct_send.frame_of(plain, False) == direct_send.frame_of(plain, False)


class _Reactor:
    def addWriter(self, writer):
        pass

    def removeWriter(self, writer):
        pass


class Kernel(FileDescriptor):
    """Twisted's buffering over a socket that accepts `room` bytes per send."""

    def __init__(self) -> None:
        super().__init__(reactor=_Reactor())
        self.connected = 1
        self.room = 1 << 20
        self.wire = bytearray()
        self.sends = 0

    def writeSomeData(self, data):
        self.sends += 1
        taken = bytes(data[: self.room])
        self.room -= len(taken)
        self.wire += taken
        return len(taken)


def test_an_idle_socket_is_written_at_once():
    kernel = Kernel()
    direct_send.write(kernel, b"abc")
    assert (bytes(kernel.wire), kernel.sends) == (b"abc", 1)
    assert not kernel._tempDataLen and kernel.offset == len(kernel.dataBuffer)


def test_what_the_kernel_does_not_take_is_left_to_twisted_in_order():
    kernel = Kernel()
    kernel.room = 2
    direct_send.write(kernel, b"abcd")
    assert bytes(kernel.wire) == b"ab"
    assert kernel._tempDataLen == 2  # Twisted holds "cd": the next frame must queue behind it
    direct_send.write(kernel, b"ef")
    assert bytes(kernel.wire) == b"ab" and kernel.sends == 1
    kernel.room = 100
    kernel.doWrite()
    assert bytes(kernel.wire) == b"abcdef"
    # Drained: Twisted's own bookkeeping says so, and the lever writes directly again.
    assert not kernel._tempDataLen and kernel.offset == len(kernel.dataBuffer)
    direct_send.write(kernel, b"g")
    assert bytes(kernel.wire) == b"abcdefg" and kernel.sends == 3


def test_a_closing_transport_gets_nothing_directly():
    kernel = Kernel()
    kernel._writeDisconnected = True
    direct_send.write(kernel, b"abc")
    assert kernel.sends == 0


# --- the server's direct send (scope extension) --------------------------------------------


def test_our_daphne_offers_each_socket_its_direct_send():
    import asyncio

    from realtime_scrum.server import ScrumServer, ScrumWebSocketProtocol

    scopes = []

    async def app(scope, receive, send):
        scopes.append(scope)

    async def main():
        server = ScrumServer.__new__(ScrumServer)  # no reactor, no endpoints
        server.application = app
        protocol = ScrumWebSocketProtocol()
        server.connections = {protocol: {}}
        server.create_application(protocol, {"type": "websocket"})
        await server.connections[protocol]["application_instance"]
        return protocol

    protocol = asyncio.run(main())
    send_now = scopes[0]["extensions"][direct_send.EXTENSION]
    assert send_now == protocol.send_text_now


@pytest.mark.django_db(transaction=True)
async def test_a_consumer_sends_through_the_servers_direct_send(board, member):
    """Under our daphne the frames of a socket leave by send_text_now, not by ASGI sends."""
    from channels.testing import WebsocketCommunicator

    from realtime_scrum.asgi import application
    from tests.board.conftest import token_for

    sent: list[str] = []
    token = await database_sync(token_for, member)
    comm = WebsocketCommunicator(application, f"/ws/boards/{board.pk}/?token={token}")
    comm.scope["extensions"] = {direct_send.EXTENSION: sent.append}
    connected, _ = await comm.connect()
    assert connected
    await comm.send_json_to({"type": "ping"})
    await wait_for(lambda: '{"type":"pong"}' in sent)
    assert json.loads(sent[0])["type"] == "hello"
    assert await comm.receive_nothing(0.2)  # nothing came the ASGI way
    await comm.disconnect()


async def database_sync(fn, *args):
    from asgiref.sync import sync_to_async

    return await sync_to_async(fn)(*args)


async def wait_for(condition, timeout: float = 3.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)
