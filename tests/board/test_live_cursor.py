"""The Feed (board/live/cursor.py): every event once, in seq order, nothing after a removal.
Plain objects: these tests need neither Channels nor a database."""

import subprocess
import sys

from board.live.cursor import Close, Feed, Fill, Outgoing, Send


def ev(seq: int, removes: int | None = None) -> Outgoing:
    return Outgoing(seq, f"e{seq}", removes)


def texts(steps) -> list[str]:
    return [s.text for s in steps if isinstance(s, Send)]


def test_the_next_event_is_sent_and_old_ones_are_dropped():
    feed = Feed(user_id=1, sent=4)
    assert texts(feed.offer(ev(5))) == ["e5"]
    assert feed.offer(ev(5)) == []
    assert feed.offer(ev(3)) == []
    assert feed.sent == 5


def test_a_hole_is_filled_from_the_log_before_the_event_that_revealed_it():
    feed = Feed(user_id=1, sent=1)
    assert feed.offer(ev(4)) == [Fill(after=1, upto=3)]
    assert feed.offer(ev(5)) == []  # held behind the fill
    assert texts(feed.release([ev(2), ev(3)])) == ["e2", "e3", "e4", "e5"]
    assert feed.sent == 5


def test_live_events_during_a_replay_wait_and_overlaps_are_dropped():
    feed = Feed(user_id=1, sent=10)
    feed.hold(rewind_to=7)  # `resume` {since: 7}
    assert feed.offer(ev(11)) == []
    assert feed.offer(ev(10)) == []
    assert texts(feed.release([ev(8), ev(9), ev(10)])) == ["e8", "e9", "e10", "e11"]


def test_nothing_after_the_users_removal_is_sent_whichever_path_brings_it():
    feed = Feed(user_id=7, sent=1)
    steps = feed.release([ev(2), ev(3, removes=7), ev(4)])
    assert steps == [Send("e2"), Send("e3"), Close(4403)]
    assert feed.offer(ev(5)) == []
    feed.hold(rewind_to=0)
    assert feed.release([ev(1), ev(2), ev(3), ev(4)]) == []


def test_another_users_removal_is_just_an_event():
    feed = Feed(user_id=7, sent=0)
    assert texts(feed.offer(ev(1, removes=8))) == ["e1"]
    assert not feed.closed


def test_a_removal_held_behind_a_fill_still_closes():
    feed = Feed(user_id=7, sent=0)
    assert feed.offer(ev(2, removes=7)) == [Fill(after=0, upto=1)]
    assert feed.offer(ev(3)) == []
    assert feed.release([ev(1)]) == [Send("e1"), Send("e2"), Close(4403)]


def test_revoke_closes_once_and_drops_what_was_held():
    feed = Feed(user_id=7, sent=0)
    feed.hold()
    feed.offer(ev(1))
    assert feed.revoke() == [Close(4403)]
    assert feed.revoke() == []
    assert feed.release([]) == []


def test_the_cursor_needs_no_channels():
    code = "import sys, board.live.cursor; sys.exit('channels' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_steady_state_shortcut_agrees_with_offer():
    fast, slow = Feed(user_id=7, sent=3), Feed(user_id=7, sent=3)
    for out in [ev(4), ev(4), ev(6), ev(5, removes=7)]:
        text = fast.next_text(out)
        steps = fast.offer(out) if text is None else [Send(text)]
        assert steps == slow.offer(out)
        assert fast.sent == slow.sent
