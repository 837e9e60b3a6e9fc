"""Every event name a socket can receive is documented where integrators look for it."""

from pathlib import Path

from board import realtime

DOCS = Path(__file__).resolve().parents[2] / "docs" / "realtime.md"


def test_every_event_name_has_its_entry_in_the_protocol_docs():
    text = DOCS.read_text()
    missing = [name for name in realtime.EVENT_NAMES if f"`{name}`" not in text]
    assert missing == []
