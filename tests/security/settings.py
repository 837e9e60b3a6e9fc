"""Settings for the security tier's live daphnes: the test settings, plus the socket limits
taken from the environment, so a fuzz server can allow thousands of bad frames per socket
(every one must still be answered) while another keeps the production limits."""

import os

from tests.settings import *  # noqa: F403

for _name in ("WS_MAX_PROTOCOL_ERRORS", "WS_RATE_BURST", "WS_MAX_FRAME_BYTES"):
    if _name in os.environ:
        globals()[_name] = int(os.environ[_name])
for _name in ("WS_RATE_PER_SECOND", "WS_HEARTBEAT_SECONDS"):
    if _name in os.environ:
        globals()[_name] = float(os.environ[_name])
