"""The send buffer's accounting on its own: no reactor, no sockets (the live test drives it
through a real daphne: tests/test_sendbuffer_live.py)."""

import timeit

from realtime_scrum.sendbuffer import (
    FRAME_HEADER_MAX,
    HELD,
    OVER,
    READING,
    REFUSED,
    STUCK,
    UNDER,
    SendBuffer,
)

CAPACITY = 48 * 1024
HARD = 4 * CAPACITY
FRAME = 1000
SIZE = FRAME + FRAME_HEADER_MAX


def paused_buffer() -> SendBuffer:
    buffer = SendBuffer(CAPACITY, HARD)
    buffer.pause()
    return buffer


def test_nothing_is_held_or_counted_while_the_transport_is_not_full():
    buffer = SendBuffer(CAPACITY, HARD)
    assert not buffer.paused
    assert buffer.next_frame() is None
    assert buffer.size == 0


def test_held_frames_count_exactly_up_to_the_limit():
    buffer = paused_buffer()
    held = 0
    while buffer.hold(held, FRAME) == HELD:
        held += 1
    assert held == CAPACITY // SIZE
    assert buffer.size == (held + 1) * SIZE  # the first one past the limit is held, OVER


def test_past_the_limit_frames_are_held_up_to_the_hard_cap_and_then_refused():
    buffer = paused_buffer()
    results = []
    while (result := buffer.hold("frame", FRAME)) != REFUSED:
        results.append(result)
    assert results.count(HELD) == CAPACITY // SIZE
    assert set(results[CAPACITY // SIZE :]) == {OVER}
    assert buffer.size <= HARD < buffer.size + SIZE  # the refused frame is not counted
    assert buffer.hold("again", FRAME) == REFUSED, "every later frame is refused too"


def test_a_frame_past_the_hard_cap_on_its_own_is_refused():
    buffer = paused_buffer()
    assert buffer.hold("big", HARD) == REFUSED
    assert buffer.hold("small", FRAME) == HELD


def test_the_verdict_on_a_socket_past_the_limit():
    buffer = paused_buffer()
    while buffer.hold("frame", FRAME) != OVER:
        pass
    for _ in range(5):
        assert buffer.hold("frame", FRAME) == OVER
    then = buffer.drains
    assert buffer.verdict(then) == STUCK, "nothing taken since it went over"

    buffer.resume()  # the transport emptied: the client took something
    assert buffer.next_frame() == "frame"
    buffer.pause()
    assert buffer.verdict(then) == READING, "over still, but reading"

    buffer.resume()
    while buffer.next_frame() is not None:
        pass
    assert buffer.verdict(buffer.drains) == UNDER


def test_held_frames_come_back_in_order_once_the_transport_is_empty():
    buffer = paused_buffer()
    for n in range(5):
        buffer.hold(n, FRAME)
    assert buffer.next_frame() is None, "nothing goes out while the transport is full"
    buffer.resume()
    assert [buffer.next_frame() for _ in range(5)] == [0, 1, 2, 3, 4]
    assert buffer.next_frame() is None
    assert buffer.size == 0


def test_a_write_that_fills_the_transport_again_stops_the_flush():
    buffer = paused_buffer()
    for n in range(5):
        buffer.hold(n, FRAME)
    buffer.resume()
    assert buffer.next_frame() == 0
    assert buffer.next_frame() == 1
    buffer.pause()  # what the transport does from inside the write of frame 1
    assert buffer.next_frame() is None
    assert buffer.size == 3 * SIZE
    assert buffer.hold(5, FRAME) == HELD, "later frames queue behind the rest"
    buffer.resume()
    assert [buffer.next_frame() for _ in range(4)] == [2, 3, 4, 5]


def test_a_reader_that_keeps_taking_is_never_past_the_limit():
    """What the queue is for: a client that reads, however slowly, is credited for each
    byte it takes, so a long stream never adds up against it."""
    buffer = SendBuffer(CAPACITY, HARD)
    for _ in range(10_000):  # 10 MB through a 48 KiB queue
        buffer.pause()
        assert buffer.hold("frame", FRAME) == HELD
        buffer.resume()
        assert buffer.next_frame() == "frame"


def test_clear_frees_what_was_held():
    buffer = paused_buffer()
    buffer.hold("a", FRAME)
    buffer.clear()
    assert buffer.size == 0
    buffer.resume()
    assert buffer.next_frame() is None


def test_a_held_frame_costs_well_under_a_microsecond():
    """Only frames to a socket whose transport is full get here; the rest cost one attribute
    test in the protocol. Measured on the dev machine: hold + next_frame about 0.2 us; the
    bound only catches a slow path creeping in."""
    buffer = SendBuffer(1 << 62, 1 << 62)
    buffer.pause()
    n = 100_000

    def cycle():
        buffer.hold("frame", FRAME)
        buffer.paused = False
        buffer.next_frame()
        buffer.paused = True

    per_cycle = min(timeit.repeat(cycle, number=n, repeat=5)) / n
    assert per_cycle < 2e-6, f"{per_cycle * 1e9:.0f} ns per held frame"
