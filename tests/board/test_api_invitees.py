"""`GET /api/boards/{id}/invitees/?search=`: who an owner may invite, including people who
share no board with them yet, without making the API a user directory: owners only, a prefix
of 2+ characters, at most 10 answers, members left out, and only id/username/full_name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(board) -> str:
    return f"/api/boards/{board.pk}/invitees/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [u["username"] for u in response.json()["results"]]


def test_an_owner_finds_strangers_by_username_or_a_word_of_their_name(board, owner, member):
    UserFactory(username="dana", full_name="Dana Scully")
    UserFactory(username="fox", full_name="Fox William Mulder")
    UserFactory(username="walter", full_name="Walter Skinner")
    api = client_for(owner)
    assert names(api.get(url(board), {"search": "da"})) == ["dana"]
    # A word of the full name, any case; not the middle of a word.
    assert names(api.get(url(board), {"search": "WIL"})) == ["fox"]
    assert names(api.get(url(board), {"search": "ul"})) == []
    assert names(api.get(url(board), {"search": "mul"})) == ["fox"]
    body = api.get(url(board), {"search": "wa"}).json()
    assert body == {
        "results": [
            {"id": body["results"][0]["id"], "username": "walter", "full_name": "Walter Skinner"}
        ]
    }


def test_members_inactive_users_and_like_wildcards_are_left_out(board, owner, member, viewer):
    UserFactory(username="membership-fan")
    UserFactory(username="memo", is_active=False)
    UserFactory(username="m_x")
    api = client_for(owner)
    assert names(api.get(url(board), {"search": "mem"})) == ["membership-fan"]
    assert names(api.get(url(board), {"search": "vie"})) == []
    # `_` and `%` are characters here, not LIKE wildcards.
    assert names(api.get(url(board), {"search": "m_"})) == ["m_x"]
    assert names(api.get(url(board), {"search": "%%"})) == []


def test_at_most_ten_in_username_order(board, owner):
    for n in range(14):
        UserFactory(username=f"sam{n:02d}")
    found = names(client_for(owner).get(url(board), {"search": "sam"}))
    assert found == [f"sam{n:02d}" for n in range(10)]


@pytest.mark.parametrize("search", [None, "", "a", " a ", "x" * 151, "ab\x00"])
def test_a_short_long_or_missing_search_is_a_field_error(board, owner, search):
    params = {} if search is None else {"search": search}
    response = client_for(owner).get(url(board), params)
    assert response.status_code == 400
    assert list(response.json()) == ["search"]


def test_only_the_boards_owners_may_search(board, owner, member, viewer, outsider):
    UserFactory(username="stranger")
    assert client_for(member).get(url(board), {"search": "st"}).status_code == 403
    assert client_for(viewer).get(url(board), {"search": "st"}).status_code == 403
    # Outside the board: as if it did not exist (the search is not even validated).
    assert client_for(outsider).get(url(board), {"search": "st"}).status_code == 404
    assert client_for(outsider).get(url(board), {"search": "s"}).status_code == 404
    assert (
        client_for(owner).get("/api/boards/999999/invitees/", {"search": "st"}).status_code == 404
    )
    assert client_for(owner).get(url(board), {"search": "st"}).status_code == 200


def test_queries_stay_constant_in_the_number_of_users(board, owner):
    api = client_for(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url(board), {"search": "bulk"}).status_code == 200
        return len(queries)

    UserFactory(username="bulk-0")
    count()  # the first request of a session also loads the user and the session
    few = count()
    for n in range(1, 30):
        UserFactory(username=f"bulk-{n}")
    assert count() == few
    # The board with the caller's role, and the search (members left out by a subquery).
    assert few == 2
