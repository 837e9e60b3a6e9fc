"""Settings for the e2e server: the test settings (fixed keys, fast hashing), with static files
served by servestatic from the app directories (no collectstatic) and a short socket
heartbeat so a dead link is noticed within seconds. Mail goes to EMAIL_URL (a file backend in
the run's temp dir, see server.py): locmem would keep it inside daphne, out of the tests' reach."""

import os

import environ

from tests.settings import *  # noqa: F403

DEBUG = False
WS_HEARTBEAT_SECONDS = 2
if os.environ.get("EMAIL_URL"):
    vars().update(environ.Env.email_url_config(os.environ["EMAIL_URL"]))
