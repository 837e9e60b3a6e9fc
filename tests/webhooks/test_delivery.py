"""A real receiver on 127.0.0.1: what arrives, in which order, signed how (webhooks/drain.py)."""

import json
from unittest import mock

import pytest
from standardwebhooks import Webhook as StandardWebhook

from board import services as board_services
from board.services import Actor
from tests.support.ports import free_port
from tests.support.webhook_receiver import Receiver, always
from webhooks import drain, targets
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


def seqs(requests):
    return [json.loads(r.body)["seq"] for r in requests]


def test_a_receiver_verifies_the_signature_with_the_standard_library(
    receiver, make_hook, write, board
):
    hook = make_hook(receiver.url)
    (seq,) = write(1)
    drain.drain(hook.pk)
    (request,) = receiver.wait_for(1)
    payload = StandardWebhook(hook.secret).verify(request.body, request.headers)
    assert payload["seq"] == seq and payload["name"] == "task.created"
    assert payload["board"] == board.pk and payload["data"]["name"] == "task 0"
    assert request.headers["X-Scrum-Event"] == "task.created"
    assert request.headers["X-Scrum-Seq"] == str(seq)
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["webhook-id"] == f"msg_{hook.pk}_{seq}"
    assert request.headers["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception, match="signature"):
        StandardWebhook("whsec_" + "A" * 43 + "=").verify(request.body, request.headers)


def test_the_body_is_the_rest_event_object_plus_board(receiver, make_hook, write, board, owner):
    from tests.conftest import client_for

    hook = make_hook(receiver.url)
    write(1)
    drain.drain(hook.pk)
    (request,) = receiver.wait_for(1)
    rest = client_for(owner).get(f"/api/boards/{board.pk}/events/?after={hook.cursor}").json()
    assert json.loads(request.body) == {**rest["results"][0], "board": board.pk}


def test_events_go_out_in_strict_seq_order_and_the_cursor_follows(receiver, make_hook, write):
    hook = make_hook(receiver.url)
    written = write(250)  # more than one batch
    report = drain.drain(hook.pk)
    assert report.delivered == 250
    assert seqs(receiver.wait_for(250)) == written
    hook.refresh_from_db()
    assert hook.cursor == written[-1] and hook.last_status == 200


def test_a_new_webhook_starts_at_the_boards_last_seq(receiver, make_hook, write):
    write(3)
    hook = make_hook(receiver.url)
    later = write(2)
    drain.drain(hook.pk)
    assert seqs(receiver.wait_for(2)) == later


def test_a_filter_of_globs_skips_events_without_a_request(receiver, make_hook, board, owner):
    hook = make_hook(receiver.url, events=["board.*", "task.upd*"])
    actor = Actor(owner)
    task = board_services.task_create(actor=actor, board_id=board.pk, name="a")
    board_services.task_update(actor=actor, task_id=task.pk, name="b")
    board_services.board_update(actor=actor, board_id=board.pk, name="Renamed")
    board_services.task_create(actor=actor, board_id=board.pk, name="c")
    report = drain.drain(hook.pk)
    names = [r.headers["X-Scrum-Event"] for r in receiver.wait_for(2)]
    assert names == ["task.updated", "board.updated"]
    assert (report.delivered, report.skipped) == (2, 2)
    board.refresh_from_db()
    hook.refresh_from_db()
    assert hook.cursor == board.last_seq  # the filtered-out last event moved it too


def test_a_receiver_down_for_a_while_then_up_gets_everything_in_order(
    allow_private, make_hook, write, time_machine
):
    port = free_port()  # nothing listens: connections are refused
    hook = make_hook(f"http://127.0.0.1:{port}/hook")
    first = write(5)
    time_machine.move_to("2026-12-01 10:00Z", tick=False)
    for minute in range(3):  # three sweeps while it is down
        time_machine.move_to(f"2026-12-01 10:0{minute * 2}Z", tick=False)
        assert drain.drain(hook.pk).failed == 1
        more = write(2)
        first += more
    errors = set(Delivery.objects.filter(webhook=hook).values_list("error", flat=True))
    assert errors == {"Connection refused."}
    with Receiver(port=port) as receiver:
        time_machine.move_to("2026-12-01 10:10Z", tick=False)
        drain.drain(hook.pk)
        assert seqs(receiver.wait_for(len(first))) == first
    hook.refresh_from_db()
    assert (hook.cursor, hook.attempts, hook.failing_since, hook.retry_at) == (
        first[-1], 0, None, None,
    )  # fmt: skip


def test_a_500_is_retried_then_a_200_advances_and_the_log_shows_both(
    allow_private, make_hook, write, time_machine
):
    answers = iter([500, 200, 200])
    with Receiver(answer=lambda request: (next(answers), {})) as receiver:
        hook = make_hook(receiver.url)
        (one, two) = write(2)
        time_machine.move_to("2026-12-01 10:00Z", tick=False)
        assert drain.drain(hook.pk).failed == 1
        hook.refresh_from_db()
        assert hook.cursor == one - 1 and hook.last_status == 500
        assert drain.drain(hook.pk).leased is False  # the retry is not due yet
        time_machine.move_to("2026-12-01 10:00:30Z", tick=False)
        drain.drain(hook.pk)
        assert seqs(receiver.wait_for(3)) == [one, one, two]
    log = list(
        Delivery.objects.filter(webhook=hook)
        .order_by("id")
        .values_list("seq", "attempt", "status_code")
    )
    assert log == [(one, 1, 500), (one, 2, 200), (two, 1, 200)]
    error = Delivery.objects.filter(webhook=hook).order_by("id").first().error
    assert error.startswith("HTTP 500")


def test_a_redirect_is_a_failure_and_is_not_followed(allow_private, make_hook, write):
    with Receiver() as target, Receiver(answer=always(302, Location=target.url)) as mover:
        hook = make_hook(mover.url)
        write(1)
        assert drain.drain(hook.pk).failed == 1
        assert len(mover.wait_for(1)) == 1
        assert target.requests == []
    row = Delivery.objects.get(webhook=hook)
    assert row.status_code == 302 and "Redirect not followed" in row.error


def test_a_private_address_is_refused_at_delivery_when_dns_changed(settings, make_hook, write):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    answers = {"hooks.example.com": ["93.184.215.14"]}
    with mock.patch.object(targets, "resolve", lambda host, port: answers[host]):
        hook = make_hook("https://hooks.example.com/in")  # public when saved
        write(1)
        answers["hooks.example.com"] = ["10.1.2.3"]  # rebinding: private at delivery
        sent = mock.Mock()
        assert drain.drain(hook.pk, sender=sent).failed == 1
    sent.post.assert_not_called()  # no connection at all, to any address
    row = Delivery.objects.get(webhook=hook)
    assert row.status_code is None and "10.1.2.3" in row.error
    assert Webhook.objects.get(pk=hook.pk).retry_at is not None


def test_the_connection_goes_to_the_checked_address_not_the_name(allow_private, make_hook, write):
    """The name resolves (patched) to the receiver's loopback address: the request arrives
    with the name in Host, although the real resolver does not know the name."""
    with (
        Receiver() as receiver,
        mock.patch.object(targets, "resolve", lambda host, port: ["127.0.0.1"]),
    ):
        hook = make_hook(f"http://receiver.invalid:{receiver.port}/hook")
        write(1)
        assert drain.drain(hook.pk).delivered == 1
        (request,) = receiver.wait_for(1)
    assert request.headers["Host"] == f"receiver.invalid:{receiver.port}"


def test_a_committed_write_wakes_the_drain_through_huey(
    receiver, make_hook, board, owner, django_capture_on_commit_callbacks
):
    """Huey runs in immediate mode here: each commit's callback drains at once, and the
    receiver still sees the events in seq order."""
    hook = make_hook(receiver.url)
    actor = Actor(owner)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            board_services.task_create(actor=actor, board_id=board.pk, name=f"t{n}")
    board.refresh_from_db()
    assert seqs(receiver.wait_for(5)) == list(range(board.last_seq - 4, board.last_seq + 1))
    hook.refresh_from_db()
    assert hook.cursor == board.last_seq


def test_the_delivery_log_is_bounded(receiver, make_hook, write, monkeypatch):
    monkeypatch.setattr(drain, "DELIVERIES_KEPT", 5)
    hook = make_hook(receiver.url)
    written = write(12)
    drain.drain(hook.pk)
    kept = list(Delivery.objects.filter(webhook=hook).order_by("seq").values_list("seq", flat=True))
    assert kept == written[-5:]


def test_a_webhook_deleted_during_its_drain_ends_it_quietly(
    receiver, make_hook, write, monkeypatch
):
    monkeypatch.setattr(drain, "CHECKPOINT", 0)  # a write after every delivery
    hook = make_hook(receiver.url)
    write(3)
    real_post = drain.SENDER.post

    def post(*args, **kwargs):
        Webhook.objects.filter(pk=hook.pk).delete()  # the owner deletes it meanwhile
        return real_post(*args, **kwargs)

    sender = type("Sender", (), {"post": staticmethod(post)})()
    assert drain.drain(hook.pk, sender=sender).delivered == 1  # noticed at its next write
    assert len(receiver.wait_for(1)) == 1
    assert not Delivery.objects.exists()
