"""When the digest goes out: each user's own 07:00, once, with catch-up and DST."""

import datetime as dt

import pytest
from django.core import mail

from notifications.models import DigestLedger, Notification

from .conftest import LONDON, NEW_YORK, TOKYO, at, utc

DAY = dt.date(2025, 6, 10)


def sweep(run_job, start: dt.datetime, end: dt.datetime) -> dict[str, list[dt.datetime]]:
    """Run the job every 15 minutes from start to end; when did each address get mail?"""
    got: dict[str, list[dt.datetime]] = {}
    now = start
    while now <= end:
        before = len(mail.outbox)
        run_job(now)
        for message in mail.outbox[before:]:
            got.setdefault(message.to[0], []).append(now)
        now += dt.timedelta(minutes=15)
    return got


@pytest.fixture
def three_zones(team):
    users = {
        "tokyo": team.user("tokyo", TOKYO),
        "london": team.user("london", LONDON),
        "newyork": team.user("newyork", NEW_YORK),
    }
    for user in users.values():
        team.assign(user, DAY)
    return users


def test_each_zone_gets_exactly_one_digest_at_its_own_0700(run_job, three_zones):
    got = sweep(run_job, utc(2025, 6, 9, 0, 0), utc(2025, 6, 11, 23, 45))

    assert got == {
        # 07:00 JST on the 10th is still the 9th in UTC: the local date, not UTC's, decides.
        "tokyo@example.com": [at(TOKYO, 2025, 6, 10, 7, 0)],
        "london@example.com": [at(LONDON, 2025, 6, 10, 7, 0)],
        "newyork@example.com": [at(NEW_YORK, 2025, 6, 10, 7, 0)],
    }
    assert Notification.objects.count() == 3
    assert DigestLedger.objects.filter(local_date=DAY).count() == 3


@pytest.mark.parametrize("zone", [TOKYO, LONDON, NEW_YORK])
def test_a_run_at_0659_local_sends_nothing(run_job, team, zone):
    team.assign(team.user("u", zone), DAY)

    run_job(at(zone, 2025, 6, 10, 6, 59))
    assert mail.outbox == []
    assert not Notification.objects.exists()

    run_job(at(zone, 2025, 6, 10, 7, 0))
    assert len(mail.outbox) == 1


def test_noon_and_later_is_too_late(run_job, team):
    team.assign(team.user("u", LONDON), DAY)

    run_job(at(LONDON, 2025, 6, 10, 12, 0))
    run_job(at(LONDON, 2025, 6, 10, 18, 0))

    assert mail.outbox == []


def test_worker_down_from_0655_to_0900_catches_up_then_sends_nothing_more(run_job, team):
    user = team.user("u", NEW_YORK)
    team.assign(user, DAY)
    run_job(at(NEW_YORK, 2025, 6, 10, 6, 45))
    run_job(at(NEW_YORK, 2025, 6, 10, 6, 55))
    assert mail.outbox == []

    # Down from 06:55; the 07:00 ... 08:45 runs never happened.
    run_job(at(NEW_YORK, 2025, 6, 10, 9, 0))
    assert len(mail.outbox) == 1

    for minute in (0, 15, 30):  # three more runs, the first one at the very same instant
        run_job(at(NEW_YORK, 2025, 6, 10, 9, minute))
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(user=user).count() == 1


def test_next_day_gets_its_own_digest(run_job, team):
    user = team.user("u", LONDON)
    team.assign(user, DAY)
    team.assign(user, DAY + dt.timedelta(days=1))

    run_job(at(LONDON, 2025, 6, 10, 7, 0))
    run_job(at(LONDON, 2025, 6, 11, 7, 0))

    assert len(mail.outbox) == 2
    assert sorted(DigestLedger.objects.values_list("local_date", flat=True)) == [
        DAY,
        DAY + dt.timedelta(days=1),
    ]


@pytest.mark.parametrize(
    ("zone", "day", "first_utc"),
    [
        # Spring forward: London's 01:00 GMT becomes 02:00 BST, so 07:00 BST is 06:00 UTC.
        (LONDON, dt.date(2025, 3, 30), utc(2025, 3, 30, 6, 0)),
        # Fall back: London's 02:00 BST becomes 01:00 GMT, so 07:00 GMT is 07:00 UTC.
        (LONDON, dt.date(2025, 10, 26), utc(2025, 10, 26, 7, 0)),
        # New York springs forward at 02:00 EST -> 03:00 EDT: 07:00 EDT is 11:00 UTC.
        (NEW_YORK, dt.date(2025, 3, 9), utc(2025, 3, 9, 11, 0)),
        # ... and falls back at 02:00 EDT -> 01:00 EST: 07:00 EST is 12:00 UTC.
        (NEW_YORK, dt.date(2025, 11, 2), utc(2025, 11, 2, 12, 0)),
    ],
)
def test_dst_change_days_send_once_at_local_0700(run_job, team, zone, day, first_utc):
    team.assign(team.user("u", zone), day)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(days=1)

    got = sweep(run_job, start, start + dt.timedelta(days=2, hours=12))

    assert got == {"u@example.com": [first_utc]}
    assert first_utc.astimezone(at(zone, 2025, 1, 1).tzinfo).time() == dt.time(7, 0)
