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
    # The total and the unread count in one aggregate, then the page (the user: a cache hit).
    with django_assert_max_num_queries(2):
        api.get("/api/notifications/?page_size=100")


def test_list_carries_the_unread_count_of_every_page(me):
    for i in range(30):
        note(me, f"n{i}", i, read=i % 3 == 0)
    note(UserFactory(username="other"), "not mine", 0)

    api = client_for(me)
    first = api.get("/api/notifications/?page_size=5").json()
    assert (first["count"], first["unread"]) == (30, 20)
    assert len(first["results"]) == 5
    # Filtered, the number is about the listed ones.
    assert api.get("/api/notifications/?unread=false").json()["unread"] == 0
    assert api.get("/api/notifications/?unread=true").json()["unread"] == 20


def test_an_empty_inbox_has_zero_unread(me):
    body = client_for(me).get("/api/notifications/").json()
    assert (body["count"], body["unread"], body["results"]) == (0, 0, [])


def test_read_all_marks_only_my_unread_ones_and_keeps_first_read_times(me):
    earlier = note(me, "read an hour ago", 90, read=True)
    mine = [note(me, f"n{i}", i) for i in range(3)]
    theirs = note(UserFactory(username="other"), "not mine", 1)
    api = client_for(me)

    response = api.post("/api/notifications/read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert api.get("/api/notifications/").json()["unread"] == 0
    read_times = {n.read_at for n in Notification.objects.filter(pk__in=[m.pk for m in mine])}
    assert len(read_times) == 1 and None not in read_times
    assert Notification.objects.get(pk=earlier.pk).read_at == earlier.read_at
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert api.post("/api/notifications/read-all/").json() == {"marked": 0}


def test_read_all_then_one_read_agree_on_the_count(me):
    first, second = note(me, "a", 2), note(me, "b", 1)
    api = client_for(me)
    api.post(f"/api/notifications/{first.pk}/read/")
    assert api.get("/api/notifications/").json()["unread"] == 1
    assert api.post("/api/notifications/read-all/").json() == {"marked": 1}
    second.refresh_from_db()
    assert second.read_at is not None


def test_read_all_needs_a_login_and_a_post(client, me):
    note(me, "x", 1)
    assert client.post("/api/notifications/read-all/").status_code == 401
    assert client_for(me).get("/api/notifications/read-all/").status_code == 405
    assert Notification.objects.get().read_at is None


def test_an_id_past_64_bits_is_a_json_404(me):
    response = client_for(me).post(f"/api/notifications/{2**70}/read/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_read_all_query_count_is_constant(me, django_assert_max_num_queries):
    for i in range(40):
        note(me, f"n{i}", i)
    api = client_for(me)
    api.get("/api/notifications/?page_size=1")  # warm the session cache (a cache hit after)
    with django_assert_max_num_queries(1):  # one UPDATE, whatever the number of rows
        api.post("/api/notifications/read-all/")


def test_read_all_up_to_leaves_newer_ones_unread(me):
    seen = [note(me, f"seen {i}", 10 - i) for i in range(3)]
    newer = note(me, "pushed after the click", 0)
    api = client_for(me)

    response = api.post("/api/notifications/read-all/", {"up_to": seen[-1].pk})

    assert response.json() == {"marked": 3}
    body = api.get("/api/notifications/").json()
    assert body["unread"] == 1
    assert [n["title"] for n in body["results"] if n["read_at"] is None] == [newer.title]


@pytest.mark.parametrize("up_to", [0, -1, "x", 2**63, 1.5, [1], None])
def test_read_all_with_a_bad_up_to_is_a_400_that_changes_nothing(me, up_to):
    note(me, "x", 1)
    response = client_for(me).post("/api/notifications/read-all/", {"up_to": up_to})
    assert response.status_code == 400
    assert "up_to" in response.json()
    assert Notification.objects.get().read_at is None
