"""What the digest contains, who gets it, and the mail it sends."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.core import mail

from board.models import Status
from notifications.models import DigestLedger, Notification
from tests.factories import BoardFactory, MembershipFactory, SprintFactory, TaskFactory

from .conftest import LONDON, at

DAY = dt.date(2025, 6, 10)
MORNING = at(LONDON, 2025, 6, 10, 7, 0)


def test_only_my_open_tasks_due_on_my_local_date(run_job, team):
    me, other = team.user("me", LONDON), team.user("other", LONDON, digest_enabled=False)
    wanted = [
        team.assign(me, DAY, status=Status.NOT_STARTED, name="Write spec", sprint=False),
        team.assign(me, DAY, status=Status.IN_PROGRESS, name="Fix login"),
        team.assign(me, DAY, status=Status.TESTING, name="Review <b>PR</b>"),
    ]
    team.assign(me, DAY, status=Status.DONE, name="Already done")
    team.assign(me, DAY + dt.timedelta(days=1), name="Due tomorrow")
    team.assign(me, DAY - dt.timedelta(days=1), name="Overdue since yesterday")
    team.assign(other, DAY, name="Someone else's")
    TaskFactory(board=team.board, due=DAY, name="Unassigned")

    run_job(MORNING)

    [note] = Notification.objects.filter(user=me)
    assert note.kind == "due_today"
    assert note.title == "3 tasks due today"
    assert note.data["date"] == "2025-06-10"
    assert sorted(t["id"] for t in note.data["tasks"]) == sorted(t.pk for t in wanted)
    assert [m.to for m in mail.outbox] == [["me@example.com"]]


def test_mail_lists_each_task_with_board_sprint_and_a_working_link(run_job, team):
    me = team.user("me", LONDON)
    in_sprint = team.assign(me, DAY, name="Fix login")
    in_backlog = team.assign(me, DAY, name="Write spec", sprint=False, status=Status.NOT_STARTED)
    other_board = BoardFactory(name="Zeus")
    MembershipFactory(board=other_board, user=me)
    unnamed = SprintFactory(board=other_board, name="", end=dt.date(2030, 2, 1))
    elsewhere = TaskFactory(board=other_board, sprint=unnamed, assigned=me, due=DAY, name="Ship")

    run_job(MORNING)

    [message] = mail.outbox
    assert message.subject == "Due today (Tue 10 Jun): 3 tasks"
    text = message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Board: Apollo\n  Sprint: Sprint 7" in text
    assert "Board: Apollo\n  Sprint: Backlog" in text
    assert "Board: Zeus\n  Sprint: Sprint ending 2030-02-01" in text
    for task in (in_sprint, in_backlog, elsewhere):
        url = f"http://testserver/boards/{task.board_id}/?task={task.pk}"
        assert f"Open: {url}" in text
        assert f'<a href="{url}">{task.name}</a>' in html
        parts = urlsplit(url)  # the link names the task's own board and the task
        assert parts.path == f"/boards/{task.board_id}/"
        assert parse_qs(parts.query) == {"task": [str(task.pk)]}
    assert "Done" not in text


def test_html_mail_escapes_task_names(run_job, team):
    team.assign(team.user("me", LONDON), DAY, name="<script>alert(1)</script>")

    run_job(MORNING)

    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in mail.outbox[0].body  # plain text stays plain


def test_digest_disabled_opts_out(run_job, team):
    team.assign(team.user("me", LONDON, digest_enabled=False), DAY)

    run_job(MORNING)

    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not DigestLedger.objects.exists()


def test_nothing_due_means_no_mail_no_notification(run_job, team):
    me = team.user("me", LONDON)
    team.assign(me, DAY, status=Status.DONE)
    team.assign(me, DAY + dt.timedelta(days=1))

    run_job(MORNING)

    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not DigestLedger.objects.exists()
