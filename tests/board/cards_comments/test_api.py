"""/api/tasks/{id}/comments/ and /api/comments/{id}/: access, rules, JSON, pages, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.models import Comment
from board.services import Actor

from .conftest import mention_mails


def _url(team, task=None) -> str:
    return f"/api/tasks/{(task or team.task).pk}/comments/"


def test_a_member_comments_and_gets_the_comment_json(team, committed):
    with committed():
        response = team.api(team.bob).post(_url(team), {"body": " ping @mia "}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    comment = Comment.objects.get()
    assert body == {
        "id": comment.pk,
        "task": team.task.pk,
        "author": {"id": team.bob.pk, "username": "bob", "full_name": "Bob"},
        "body": "ping @mia",
        "mentions": ["mia"],
        "created_at": body["created_at"],
        "edited_at": None,
    }
    assert len(mention_mails("mia@example.com")) == 1
    task = team.api(team.bob).get(f"/api/tasks/{team.task.pk}/").json()
    assert task["comments_count"] == 1


def test_viewers_get_403_outsiders_and_trashed_cards_404(team):
    assert team.api(team.vic).post(_url(team), {"body": "hi"}).status_code == 403
    assert team.api(team.otto).post(_url(team), {"body": "hi"}).status_code == 404
    assert team.api(team.otto).get(_url(team)).status_code == 404
    assert team.api(team.vic).get(_url(team)).status_code == 200  # viewers read
    services.task_delete(actor=Actor(team.olive), task_id=team.task.pk)
    assert team.api(team.bob).post(_url(team), {"body": "hi"}).status_code == 404
    assert team.api(team.bob).get(_url(team)).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": None}, "body"),
        ({"body": ["a"]}, "body"),
    ],
)
def test_bad_bodies_are_400_with_a_body_message(team, body, field):
    response = team.api(team.bob).post(_url(team), body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_lone_surrogate_or_a_nul_is_a_400_not_a_500(team):
    client = team.api(team.bob)
    for raw in (b'{"body": "half \\ud800 pair"}', b'{"body": "nul \\u0000 byte"}'):
        response = client.post(_url(team), raw, content_type="application/json")
        assert response.status_code == 400, (raw, response.content)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "-1"])
def test_ids_out_of_range_are_404(team, pk):
    client = team.api(team.bob)
    assert client.get(f"/api/tasks/{pk}/comments/").status_code == 404
    assert client.patch(f"/api/comments/{pk}/", {"body": "x"}).status_code == 404


def test_the_list_is_oldest_first_and_paginated(team):
    made = [team.comment(team.bob, f"c{i}") for i in range(30)]
    client = team.api(team.vic)

    first = client.get(_url(team)).json()
    assert first["count"] == 30 and len(first["results"]) == 25
    assert [c["body"] for c in first["results"][:3]] == ["c0", "c1", "c2"]
    page = client.get(_url(team), {"page_size": 10, "page": 3}).json()
    assert [c["id"] for c in page["results"]] == [c.pk for c in made[20:]]
    assert len(client.get(_url(team), {"page_size": 1000}).json()["results"]) == 30  # cap 100


def _list_queries(team, n: int) -> int:
    authors = [team.bob, team.mia, team.olive]
    for i in range(n):
        team.comment(authors[i % 3], f"comment {i}")
    client = team.api(team.mia)
    client.get(_url(team))  # warm the session caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(team), {"page_size": 100})
    assert response.status_code == 200 and len(response.json()["results"]) == n
    return len(queries)


def test_the_list_costs_the_same_queries_at_3_and_30_comments(team):
    at_3 = _list_queries(team, 3)
    other = services.task_create(actor=Actor(team.olive), board_id=team.board.pk, name="Two")
    team.task = other
    at_30 = _list_queries(team, 30)
    assert at_3 == at_30 <= 6


def test_the_author_patches_others_get_403_and_outsiders_404(team, committed):
    comment = team.comment(team.bob, "typo hre")
    url = f"/api/comments/{comment.pk}/"

    assert team.api(team.mia).patch(url, {"body": "x"}, format="json").status_code == 403
    assert team.api(team.olive).patch(url, {"body": "x"}, format="json").status_code == 403
    assert team.api(team.otto).patch(url, {"body": "x"}, format="json").status_code == 404
    assert team.api(team.vic).patch(url, {"body": "x"}, format="json").status_code == 403
    assert team.api(team.bob).patch(url, {"body": ""}, format="json").status_code == 400
    with committed():
        response = team.api(team.bob).patch(url, {"body": "typo here @mia"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["body"] == "typo here @mia" and response.json()["edited_at"]
    assert response.json()["mentions"] == ["mia"]
    assert len(mention_mails("mia@example.com")) == 1


def test_the_author_or_the_owner_deletes_and_the_count_follows(team):
    mine, theirs = team.comment(team.bob, "one"), team.comment(team.mia, "two")
    third = team.comment(team.mia, "three")

    assert team.api(team.mia).delete(f"/api/comments/{mine.pk}/").status_code == 403
    assert team.api(team.otto).delete(f"/api/comments/{mine.pk}/").status_code == 404
    assert team.api(team.bob).delete(f"/api/comments/{mine.pk}/").status_code == 204
    assert team.api(team.olive).delete(f"/api/comments/{theirs.pk}/").status_code == 204
    assert team.api(team.olive).delete(f"/api/comments/{theirs.pk}/").status_code == 404

    assert list(Comment.objects.values_list("pk", flat=True)) == [third.pk]
    task = team.api(team.bob).get(f"/api/tasks/{team.task.pk}/").json()
    assert task["comments_count"] == 1


def test_a_comment_on_a_trashed_card_is_out_of_reach(team):
    comment = team.comment(team.bob, "one")
    services.task_delete(actor=Actor(team.olive), task_id=team.task.pk)
    url = f"/api/comments/{comment.pk}/"
    assert team.api(team.bob).patch(url, {"body": "two"}, format="json").status_code == 404
    assert team.api(team.bob).delete(url).status_code == 404
