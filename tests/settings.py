"""Test settings: the real settings with fast hashing, captured mail and test-only keys.

The same file serves the unit tier (SQLite, in-memory layer) and the services tier
(DATABASE_URL/REDIS_URL point at MariaDB and Redis, set by the Makefile)."""

import os

# Never the developer's .env (`make run` writes one): a test run sees only what it sets.
os.environ["DJANGO_READ_DOT_ENV_FILE"] = "false"
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("JWT_SIGNING_KEY", "test-jwt-signing-key-not-for-production")
# Webhooks never look a name up nor connect beyond loopback here, whatever a test or a fuzzer
# writes into a URL (servers the tests start inherit it through the environment).
os.environ.setdefault("WEBHOOK_LOOPBACK_ONLY", "true")

from realtime_scrum.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Serve static files straight from the app directories: no collectstatic step in tests.
STATIC_ROOT = None
SERVESTATIC_USE_FINDERS = True

# Tasks run inline when called, on an in-memory queue: no consumer, no Redis, no file; a
# reset request's mail is in mail.outbox when the response returns.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
HUEY_IN_PROCESS = False
SITE_URL = "http://testserver"
