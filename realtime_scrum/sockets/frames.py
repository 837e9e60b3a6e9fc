"""The one JSON encoding of a socket frame (board frames are built in board/realtime.py)."""

from __future__ import annotations

import json
from typing import Any


def frame_text(frame: dict[str, Any]) -> str:
    """Compact, `type` first (clients may sniff it)."""
    return json.dumps(frame, separators=(",", ":"))
