"""Settings for the e2e server: the test settings (fixed keys, fast hashing), with static files
served by servestatic from the app directories (no collectstatic) and a short socket
heartbeat so a dead link is noticed within seconds."""

from tests.settings import *  # noqa: F403

DEBUG = False
WS_HEARTBEAT_SECONDS = 2
