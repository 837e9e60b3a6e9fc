"""One drain per webhook at a time (webhooks/lease.py)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from tests.support.webhook_receiver import Receiver
from webhooks import drain, lease
from webhooks.models import Webhook

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_held_lease_refuses_a_second_drain(receiver, make_hook, write):
    hook = make_hook(receiver.url)
    write(3)
    token = lease.acquire(hook.pk, now=dt.datetime.now(dt.UTC))
    assert token is not None
    assert lease.acquire(hook.pk, now=dt.datetime.now(dt.UTC)) is None
    report = drain.drain(hook.pk)
    assert report.leased is False and receiver.requests == []
    lease.release(hook.pk, token)
    assert drain.drain(hook.pk).delivered == 3


@pytest.mark.django_db
def test_an_expired_lease_is_taken_over_and_the_old_holder_can_no_longer_write(make_hook):
    hook = make_hook("https://93.184.215.14/in")
    old = lease.acquire(hook.pk, now=NOW)
    new = lease.acquire(hook.pk, now=NOW + lease.LEASE + dt.timedelta(seconds=1))
    assert new is not None and new != old
    assert lease.write(hook.pk, old, now=NOW, cursor=99) is False
    assert Webhook.objects.get(pk=hook.pk).cursor != 99


@pytest.mark.django_db
def test_a_drain_started_during_a_delivery_does_nothing(receiver, make_hook, write):
    """A second worker arrives while the first is mid-request (played in one thread: the
    sender starts the second drain before it sends)."""
    hook = make_hook(receiver.url)
    written = write(3)
    second = []
    real_post = drain.SENDER.post

    def post(*args, **kwargs):
        second.append(drain.drain(hook.pk))
        return real_post(*args, **kwargs)

    sender = type("Sender", (), {"post": staticmethod(post)})()
    assert drain.drain(hook.pk, sender=sender).delivered == 3
    assert [r.leased for r in second] == [False, False, False]
    assert [int(r.headers["X-Scrum-Seq"]) for r in receiver.wait_for(3)] == written


@pytest.mark.django_db
def test_a_drain_that_lost_its_lease_stops_at_its_next_checkpoint(
    receiver, make_hook, write, monkeypatch
):
    """Another worker took the lease over (this one looked stuck): the old drain finds out
    when it next writes its cursor, and sends nothing more."""
    monkeypatch.setattr(drain, "CHECKPOINT", 0)  # write the cursor after every delivery
    hook = make_hook(receiver.url)
    written = write(5)
    real_post = drain.SENDER.post
    sent = []

    def post(*args, **kwargs):
        outcome = real_post(*args, **kwargs)
        sent.append(outcome)
        if len(sent) == 2:
            Webhook.objects.filter(pk=hook.pk).update(lease_token="another-worker")
        return outcome

    sender = type("Sender", (), {"post": staticmethod(post)})()
    assert drain.drain(hook.pk, sender=sender).delivered == 2
    assert [int(r.headers["X-Scrum-Seq"]) for r in receiver.wait_for(2)] == written[:2]
    assert Webhook.objects.get(pk=hook.pk).cursor == written[0]  # its last write that held


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_drains_never_deliver_twice_or_out_of_order(allow_private, board, owner):
    """Two threads drain the same webhook while the receiver holds each request a moment:
    every event arrives once, in order (on MariaDB with real row locks, too)."""
    from board import services as board_services
    from board.services import Actor
    from webhooks import services

    gate = threading.Event()

    def slow(request):
        gate.wait(0.02)  # a slow receiver widens the window a second drain would use
        return 200, {}

    with Receiver(answer=slow) as receiver:
        # Off while the events are written: each commit would drain it at once (Huey runs
        # in immediate mode), leaving the two workers nothing to race for.
        hook = services.webhook_create(
            user=owner, board_id=board.pk, url=receiver.url, events=[], active=False
        )
        for n in range(20):
            board_services.task_create(actor=Actor(owner), board_id=board.pk, name=f"t{n}")
        Webhook.objects.filter(pk=hook.pk).update(active=True)
        reports = []

        def run():
            try:
                reports.append(drain.drain(hook.pk))
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        seqs = [int(r.headers["X-Scrum-Seq"]) for r in receiver.requests]
    board.refresh_from_db()
    assert seqs == list(range(board.last_seq - 19, board.last_seq + 1))
    assert sum(r.delivered for r in reports) == 20
