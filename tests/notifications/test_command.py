import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from notifications.models import DigestLedger

from .conftest import LONDON, TOKYO, at


def send(*args: str) -> str:
    out = StringIO()
    call_command("send_due_today", *args, stdout=out)
    return out.getvalue()


# A real commit, as from the shell: mail goes out before the command reports.
@pytest.mark.django_db(transaction=True)
def test_date_sends_that_date_whatever_the_hour_and_only_once(team):
    tokyo, london = team.user("tokyo", TOKYO), team.user("london", LONDON)
    day = dt.date(2025, 6, 12)
    team.assign(tokyo, day)
    team.assign(london, day)
    team.assign(london, day + dt.timedelta(days=1))

    with time_machine.travel(at(LONDON, 2025, 6, 10, 23, 30), tick=False):  # late, days early
        assert send("--date", "2025-06-12").startswith("2 digests sent, 2 mailed")
        assert send("--date", "2025-06-12").startswith("0 digests sent, 0 mailed")

    assert sorted(m.to[0] for m in mail.outbox) == ["london@example.com", "tokyo@example.com"]
    assert set(DigestLedger.objects.values_list("local_date", flat=True)) == {day}


def test_default_is_each_users_own_today(team):
    tokyo, london = team.user("tokyo", TOKYO), team.user("london", LONDON)
    team.assign(tokyo, dt.date(2025, 6, 10))
    team.assign(london, dt.date(2025, 6, 9))
    team.assign(london, dt.date(2025, 6, 10))

    # 02:00 on the 10th in Tokyo is still 18:00 on the 9th in London.
    with time_machine.travel(at(TOKYO, 2025, 6, 10, 2, 0), tick=False):
        send()

    assert sorted(DigestLedger.objects.values_list("user__username", "local_date")) == [
        ("london", dt.date(2025, 6, 9)),
        ("tokyo", dt.date(2025, 6, 10)),
    ]


def test_the_periodic_job_does_not_resend_what_the_command_sent(team, run_job):
    team.assign(team.user("london", LONDON), dt.date(2025, 6, 10))
    with time_machine.travel(at(LONDON, 2025, 6, 10, 6, 0), tick=False):
        send()

    run_job(at(LONDON, 2025, 6, 10, 7, 0))

    assert len(mail.outbox) == 1


def test_bad_date_is_an_error(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        send("--date", "10/06/2025")
