"""At most once per user and local date: retries, racing workers, failed mail."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from notifications.models import DigestLedger, Notification
from notifications.services import digest
from notifications.services.digest import digest_run, digests_due
from notifications.services.window import targets_in_window

from .conftest import LONDON, at

DAY = dt.date(2025, 6, 10)
MORNING = at(LONDON, 2025, 6, 10, 7, 0)


@pytest.fixture
def me(team):
    user = team.user("me", LONDON)
    team.assign(user, DAY)
    return user


def test_a_worker_that_loses_the_race_sends_nothing(run_job, me, monkeypatch):
    # Worker A reads the candidates, then worker B runs the whole job before A claims.
    stale = digests_due(targets_in_window(MORNING, [LONDON]))
    assert [d.user_id for d in stale] == [me.pk]
    run_job(MORNING)

    monkeypatch.setattr(digest, "digests_due", lambda targets, user_id=None: stale)
    run_job(MORNING)

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert DigestLedger.objects.count() == 1


def test_a_run_that_fails_before_commit_leaves_no_trace_and_the_retry_sends_once(
    run_job, me, monkeypatch
):
    real = digest._notifications_create

    def boom(*args):
        real(*args)
        raise RuntimeError("database went away")

    monkeypatch.setattr(digest, "_notifications_create", boom)
    run_job(MORNING)  # Huey logs the error and schedules a retry (retries=2)
    assert not DigestLedger.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []

    monkeypatch.setattr(digest, "_notifications_create", real)
    run_job(MORNING + dt.timedelta(minutes=1))  # Huey's retry
    run_job(MORNING + dt.timedelta(minutes=15))
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


class FlakyBackend(EmailBackend):
    """Fails the first `failures` sends, like an SMTP server that is briefly down."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    return FlakyBackend


def test_failed_mail_is_retried_later_without_a_second_notification(run_job, me, flaky_mail):
    flaky_mail.failures = 1
    run_job(MORNING)
    row = DigestLedger.objects.get()
    assert mail.outbox == []
    assert (row.emailed_at, row.mail_attempts) == (None, 1)
    assert "connection lost" in row.mail_error
    assert Notification.objects.count() == 1  # the user still sees it in the app

    run_job(MORNING + dt.timedelta(minutes=5))  # within the lease: left alone
    assert mail.outbox == []

    run_job(MORNING + dt.timedelta(minutes=15))
    assert len(mail.outbox) == 1
    assert DigestLedger.objects.get().emailed_at == MORNING + dt.timedelta(minutes=15)

    for minutes in (30, 45, 60):
        run_job(MORNING + dt.timedelta(minutes=minutes))
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_mail_retries_stop_after_the_limit_and_at_noon(run_job, me, flaky_mail):
    flaky_mail.failures = 100
    now = MORNING
    while now < at(LONDON, 2025, 6, 10, 13, 0):
        run_job(now)
        now += dt.timedelta(minutes=15)
    assert DigestLedger.objects.get().mail_attempts == 5

    flaky_mail.failures = 0
    run_job(at(LONDON, 2025, 6, 10, 11, 45))
    assert mail.outbox == []


def test_retry_mail_carries_the_digest_as_it_was_sent(run_job, me, team, flaky_mail):
    flaky_mail.failures = 1
    run_job(MORNING)
    team.assign(me, DAY, name="Added after the digest")

    run_job(MORNING + dt.timedelta(minutes=15))

    assert "Added after the digest" not in mail.outbox[0].body
    assert "1 task assigned to you is due today" in mail.outbox[0].body


def test_delivery_waits_for_the_commit(me, django_capture_on_commit_callbacks):
    with time_machine.travel(MORNING, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            report = digest_run()
        assert report.digests == 1
        assert mail.outbox == []
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
    assert report.emailed == 1
