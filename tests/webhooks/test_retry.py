"""Backoff (30 s doubling up to 1 h) and giving up after 24 h of failing (webhooks/drain.py)."""

import datetime as dt

import pytest

from notifications.models import Kind, Notification
from tests.factories import MembershipFactory, UserFactory
from tests.support.ports import free_port
from webhooks import drain, tasks
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def dead_hook(allow_private, make_hook, write):
    """A webhook whose receiver refuses every connection, with one event to send."""
    hook = make_hook(f"http://127.0.0.1:{free_port()}/hook")
    write(1)
    return hook


def test_the_backoff_doubles_from_30_seconds_up_to_an_hour():
    waits = [drain.backoff(n).total_seconds() for n in range(1, 11)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_retries_come_due_on_that_schedule_and_not_before(dead_hook, time_machine):
    time_machine.move_to(START, tick=False)
    now = START
    for wait in (30, 60, 120, 240):
        assert drain.drain(dead_hook.pk).failed == 1
        hook = Webhook.objects.get(pk=dead_hook.pk)
        assert hook.retry_at == now + dt.timedelta(seconds=wait)
        time_machine.move_to(now + dt.timedelta(seconds=wait - 1), tick=False)
        assert drain.drain(dead_hook.pk).leased is False  # one second early: nothing
        assert tasks.webhooks_sweep.call_local() == 0
        now += dt.timedelta(seconds=wait)
        time_machine.move_to(now, tick=False)
    attempts = list(Delivery.objects.filter(webhook=dead_hook).values_list("attempt", flat=True))
    assert attempts == [1, 2, 3, 4]
    assert Webhook.objects.get(pk=dead_hook.pk).failing_since == START


def test_the_sweep_drains_a_due_retry(dead_hook, time_machine):
    time_machine.move_to(START, tick=False)
    drain.drain(dead_hook.pk)
    time_machine.move_to(START + dt.timedelta(seconds=30), tick=False)
    assert tasks.webhooks_sweep.call_local() == 1
    assert Delivery.objects.filter(webhook=dead_hook).count() == 2


def test_after_24_hours_of_failing_it_is_disabled_and_the_owners_are_told(
    dead_hook, board, owner, django_capture_on_commit_callbacks, time_machine
):
    co_owner = MembershipFactory(board=board, user=UserFactory(username="co"), role="owner").user
    MembershipFactory(board=board, user=UserFactory(username="plain"))
    time_machine.move_to(START, tick=False)
    drain.drain(dead_hook.pk)
    now = START
    while Webhook.objects.get(pk=dead_hook.pk).active:
        now = Webhook.objects.get(pk=dead_hook.pk).retry_at
        time_machine.move_to(now, tick=False)
        with django_capture_on_commit_callbacks(execute=True) as pushed:
            drain.drain(dead_hook.pk)
    hook = Webhook.objects.get(pk=dead_hook.pk)
    assert now - START >= dt.timedelta(hours=24)
    assert now - START < dt.timedelta(hours=25)  # gave up at the first failure past 24 h
    assert hook.retry_at is None and "Failing for 24 hours" in hook.disabled_reason
    notes = Notification.objects.filter(kind=Kind.WEBHOOK_DISABLED)
    assert sorted(n.user.username for n in notes) == sorted([owner.username, co_owner.username])
    assert notes[0].data["webhook"] == hook.pk and notes[0].data["url"] == hook.url
    assert len(pushed) == 1  # the pushes go out on commit
    time_machine.move_to(now + dt.timedelta(hours=2), tick=False)
    assert drain.drain(hook.pk).leased is False  # disabled: nothing more is attempted


def test_a_success_ends_the_streak(allow_private, make_hook, write, time_machine):
    from tests.support.webhook_receiver import Receiver

    port = free_port()
    hook = make_hook(f"http://127.0.0.1:{port}/hook")
    write(1)
    time_machine.move_to(START, tick=False)
    drain.drain(hook.pk)
    with Receiver(port=port):
        time_machine.move_to(START + dt.timedelta(hours=20), tick=False)
        drain.drain(hook.pk)
    hook.refresh_from_db()
    assert (hook.attempts, hook.failing_since, hook.retry_at) == (0, None, None)


def test_the_minute_sweep_does_not_fill_the_log(caplog):
    """`make run`'s last line is its URL (tests/test_make_run_live.py): Huey's INFO lines
    about the sweep, once a minute, are dropped; other tasks' lines are kept."""
    import logging

    with caplog.at_level(logging.INFO, logger="huey"):
        tasks.webhooks_sweep()
        tasks.webhook_drain(0)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("huey")]
    assert not [line for line in lines if "webhooks_sweep" in line]
    assert [line for line in lines if "webhook_drain" in line]
