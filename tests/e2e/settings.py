"""Settings for the e2e server: the test settings (fixed keys, fast hashing), with static files
collected and pre-compressed as `make run` serves them (conftest runs collectstatic into the
run's temp dir, so Lighthouse measures what users get) and a short socket
heartbeat so a dead link is noticed within seconds. Mail goes to EMAIL_URL (a file backend in
the run's temp dir, see server.py): locmem would keep it inside daphne, out of the tests' reach."""

import os

import environ

from tests.settings import *  # noqa: F403

DEBUG = False
STATIC_ROOT = os.environ["E2E_STATIC_ROOT"]
SERVESTATIC_USE_FINDERS = False
WS_HEARTBEAT_SECONDS = 2
if os.environ.get("EMAIL_URL"):
    vars().update(environ.Env.email_url_config(os.environ["EMAIL_URL"]))
# Every browser of every module logs in from 127.0.0.1 within minutes: far past the per-address
# limit (30 per 5 minutes) a real address gets. The limits are proven where they belong
# (tests/accounts/test_throttle.py); here they would only make the tier's length a failure.
AUTH_THROTTLES = {
    **AUTH_THROTTLES,  # noqa: F405
    "login_account_address": (1_000, 15 * 60),
    "login_account": (2_000, 15 * 60),
    "login_address": (10_000, 5 * 60),
}
# The webhook story (tests/e2e/test_webhooks.py) delivers to a receiver on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE = True
