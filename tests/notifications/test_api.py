import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.conftest import client_for
from tests.factories import UserFactory


def note(user, title: str, minutes_ago: int, read: bool = False) -> Notification:
    created = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        user=user, kind="due_today", title=title, data={"date": "2025-06-10", "tasks": []},
        created_at=created, read_at=created if read else None,
    )  # fmt: skip


@pytest.fixture
def me(db):
    return UserFactory(username="me")


def test_list_is_mine_unread_first_then_newest(me):
    note(me, "old unread", 50)
    note(me, "new read", 1, read=True)
    note(me, "new unread", 5)
    note(me, "old read", 60, read=True)
    note(UserFactory(username="other"), "not mine", 0)

    body = client_for(me).get("/api/notifications/").json()

    titles = [n["title"] for n in body["results"]]
    assert titles == ["new unread", "old unread", "new read", "old read"]
    assert body["count"] == 4
    assert set(body["results"][0]) == {"id", "kind", "title", "data", "created_at", "read_at"}


def test_unread_filter_and_page_size(me):
    for i in range(30):
        note(me, f"n{i}", i, read=i % 2 == 0)

    api = client_for(me)
    assert len(api.get("/api/notifications/").json()["results"]) == 25
    unread = api.get("/api/notifications/?unread=true&page_size=100").json()
    assert unread["count"] == 15
    assert all(n["read_at"] is None for n in unread["results"])


def test_mark_read_is_idempotent(me):
    item = note(me, "x", 1)
    api = client_for(me)

    first = api.post(f"/api/notifications/{item.pk}/read/")
    second = api.post(f"/api/notifications/{item.pk}/read/")

    assert first.status_code == second.status_code == 200
    assert first.json()["read_at"] is not None
    assert second.json()["read_at"] == first.json()["read_at"]
    assert api.get("/api/notifications/?unread=true").json()["count"] == 0


def test_someone_elses_notification_is_404(me):
    theirs = note(UserFactory(username="other"), "secret", 1)

    api = client_for(me)
    assert api.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert api.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_401(client, db):
    assert client.get("/api/notifications/").status_code == 401


def test_list_query_count_is_constant(me, django_assert_max_num_queries):
    for i in range(40):
        note(me, f"n{i}", i)
    api = client_for(me)
    api.get("/api/notifications/?page_size=1")  # warm the session cache (a cache hit after)
    with django_assert_max_num_queries(3):  # user, count, page
        api.get("/api/notifications/?page_size=100")
