"""Each delivery attempt's outcome is counted once (realtime_scrum/metrics.py): ok, failed
(no or a non-2xx answer), refused (a target address not allowed)."""

import pytest

from tests.metrics.conftest import sample
from tests.support.ports import free_port
from webhooks import drain

pytestmark = pytest.mark.django_db
NAME = "rs_webhook_deliveries_total"


def test_a_delivered_event_is_counted_ok(receiver, make_hook, write):
    hook = make_hook(receiver.url)
    write(2)
    before = sample(NAME, outcome="ok")
    assert drain.drain(hook.pk).delivered == 2
    assert sample(NAME, outcome="ok") == before + 2


def test_a_receiver_that_refuses_connections_is_counted_failed(allow_private, make_hook, write):
    hook = make_hook(f"http://127.0.0.1:{free_port()}/hook")
    write(1)
    before = sample(NAME, outcome="failed")
    assert drain.drain(hook.pk).failed == 1
    assert sample(NAME, outcome="failed") == before + 1


def test_a_target_no_longer_allowed_is_counted_refused(settings, allow_private, make_hook, write):
    hook = make_hook(f"http://127.0.0.1:{free_port()}/hook")
    write(1)
    settings.WEBHOOK_ALLOW_PRIVATE = False  # loopback is private: refused before any connect
    before = sample(NAME, outcome="refused")
    assert drain.drain(hook.pk).failed == 1
    assert sample(NAME, outcome="refused") == before + 1
