"""`send_due_today` handing its run to the server's consumer: exactly one of them sends.

The live story (a real `make run`, a socket, a second process, no server) is in
tests/test_make_run_live.py; here the claim that settles a late pickup, in immediate mode."""

import datetime as dt
import secrets

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from notifications import embedded
from notifications.models import DigestLedger, Notification
from notifications.tasks import due_today_by_hand

from .conftest import LONDON

DAY = dt.date(2025, 6, 10)


@pytest.mark.django_db(transaction=True)
def test_a_server_that_takes_the_job_after_the_command_gave_up_sends_nothing(team):
    team.assign(team.user("late", LONDON), DAY)
    job = secrets.token_hex(8)
    assert embedded.job_claim(job, embedded.COMMAND)  # the command stopped waiting

    assert due_today_by_hand.call_local(job, DAY) is None  # the consumer gets to it late

    assert mail.outbox == []
    assert not DigestLedger.objects.exists()


def test_the_command_cannot_take_back_a_job_the_server_took(db):
    job = secrets.token_hex(8)
    assert embedded.job_claim(job, embedded.SERVER)
    assert not embedded.job_claim(job, embedded.COMMAND)


@pytest.mark.django_db(transaction=True)
def test_the_job_the_server_runs_reports_back_to_the_command(team):
    # Immediate mode runs the queued job at once, as a consumer that took it would.
    team.assign(team.user("on-time", LONDON), DAY)

    handoff = embedded.digest_send_in_server(local_date=DAY, wait=5)

    assert handoff.by_server
    assert (handoff.report.digests, handoff.report.emailed) == (1, 1)
    assert [m.to for m in mail.outbox] == [["on-time@example.com"]]
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("wait", ["-1", "soon", "nan", "7200"])
def test_a_bad_wait_is_an_error(db, wait):
    with pytest.raises(CommandError, match="--wait must be a number of seconds"):
        call_command("send_due_today", "--wait", wait)
