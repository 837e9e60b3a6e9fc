"""The Huey worker (entrypoint.sh worker) consumes from the private Redis: a password reset
requested through nginx is mailed by the worker process, not by daphne."""

from __future__ import annotations

import time

from tests.support.http import HttpClient


def test_reset_mail_is_sent_by_the_worker(stack, users):
    assert "huey" in stack.procs, "the app has Huey, so the stack must run its worker"
    resp = HttpClient(stack.base_url).post(
        "/api/auth/password/reset/", {"email": "bob@example.com"}
    )
    assert resp.status == 202
    worker_log = stack.procs["huey"].log
    deadline = time.monotonic() + 20
    while "To: bob@example.com" not in worker_log.read_text(errors="replace"):
        assert time.monotonic() < deadline, stack.procs["huey"].tail()
        time.sleep(0.2)
    for index in range(2):
        assert "To: bob@example.com" not in (stack.tmp / f"daphne{index}.log").read_text()
