"""A board-limited personal access token sees only its boards, through the one access rule
(board/access.py): the rule's forms stay equal with a token grant on the user, and REST
answers 404 for everything of another board."""

from __future__ import annotations

import itertools

import pytest

from board import access, selectors
from board.models import Label, Role, Sprint, Task
from realtime_scrum.accounts.api_tokens import token_authenticate, token_create
from tests.accounts.test_api_tokens import pat_client
from tests.factories import BoardFactory, MembershipFactory, SprintFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Alice owns `mine`, is a viewer of `shared` and a member of `other`; her token names
    `mine` and `shared` only. `foreign` is not hers at all."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    mine, shared = BoardFactory(owner=alice), BoardFactory(owner=bob)
    other, foreign = BoardFactory(owner=bob), BoardFactory(owner=bob)
    MembershipFactory(board=shared, user=alice, role=Role.VIEWER)
    MembershipFactory(board=other, user=alice, role=Role.MEMBER)
    rows = []
    for board in (mine, shared, other, foreign):
        sprint = SprintFactory(board=board)
        rows += [sprint, TaskFactory(board=board, sprint=sprint), TaskFactory(board=board)]
        rows.append(Label.objects.create(board=board, name=f"l{board.pk}", color="#123456"))
    created = token_create(
        user=alice, name="limited", scope="write", board_ids=[mine.pk, shared.pk]
    )
    return alice, created.token, {"mine": mine, "shared": shared, "other": other}, rows


def _rule(user, board_id):
    return dict(access.memberships_of(user).values_list("board_id", "role")).get(board_id)


def test_the_rule_keeps_only_the_tokens_boards(world):
    alice, token, boards, _ = world
    user, _ = token_authenticate(token)
    assert {b.pk for b in access.boards_visible_to(user)} == {
        boards["mine"].pk,
        boards["shared"].pk,
    }
    assert _rule(user, boards["other"].pk) is None
    assert _rule(alice, boards["other"].pk) == Role.MEMBER  # the session user: every board


def test_row_access_equals_the_rule_under_a_token(world):
    alice, token, _, rows = world
    user, _ = token_authenticate(token)
    for who, row in itertools.product((user, alice), rows):
        expected = _rule(who, row.board_id)
        got = access.row_access(user=who, model=type(row), pk=row.pk)
        assert got == (None if expected is None else (row.board_id, expected)), (who, row)


def test_every_read_path_follows_the_token(world):
    _, token, boards, _ = world
    user, _ = token_authenticate(token)
    seen = {boards["mine"].pk, boards["shared"].pk}
    assert {b.pk for b in selectors.boards_with_role(user=user)} == seen
    assert {t.board_id for t in selectors.task_list_for_user(user=user)} == seen
    assert {s.board_id for s in selectors.sprint_list_for_user(user=user)} == seen
    for board in boards.values():
        assert access.role_on(user=user, board_id=board.pk) == _rule(user, board.pk)


def test_rest_404s_everything_of_another_board(world):
    _, token, boards, rows = world
    client = pat_client(token)
    other = boards["other"]
    task = next(r for r in rows if isinstance(r, Task) and r.board_id == other.pk)
    sprint = next(r for r in rows if isinstance(r, Sprint) and r.board_id == other.pk)
    label = next(r for r in rows if isinstance(r, Label) and r.board_id == other.pk)
    for method, path in [
        ("get", f"/api/boards/{other.pk}/"),
        ("get", f"/api/boards/{other.pk}/members/"),
        ("get", f"/api/boards/{other.pk}/labels/"),
        ("get", f"/api/tasks/{task.pk}/"),
        ("get", f"/api/tasks/{task.pk}/comments/"),
        ("patch", f"/api/tasks/{task.pk}/"),
        ("get", f"/api/sprints/{sprint.pk}/"),
        ("patch", f"/api/labels/{label.pk}/"),
    ]:
        response = getattr(client, method)(path, {"name": "x"} if method == "patch" else None)
        assert response.status_code == 404, (method, path, response.status_code)
    listed = client.get("/api/boards/").json()
    assert {b["id"] for b in listed["results"]} == {boards["mine"].pk, boards["shared"].pk}
    tasks = client.get("/api/tasks/").json()["results"]
    assert {t["board"] for t in tasks} <= {boards["mine"].pk, boards["shared"].pk}
    assert client.get(f"/api/boards/{boards['mine'].pk}/").status_code == 200


def test_a_limited_token_cannot_create_into_another_board(world):
    _, token, boards, _ = world
    response = pat_client(token).post(
        "/api/tasks/", {"board": boards["other"].pk, "name": "sneaky"}, format="json"
    )
    assert response.status_code == 400 and "board" in response.json()
    assert not Task.objects.filter(name="sneaky").exists()


def test_a_limited_token_is_refused_the_inbox(world):
    _, token, _, _ = world
    response = pat_client(token).get("/api/notifications/")
    assert response.status_code == 403 and "board-limited" in response.json()["detail"]


def test_users_it_sees_are_those_of_its_boards(world):
    """User search derives from the rule too: someone Alice shares only `other` with is
    visible to her session, not to her token."""
    alice, token, boards, _ = world
    MembershipFactory(board=boards["other"], user=UserFactory(username="zed"))
    user, _ = token_authenticate(token)
    by_token = set(selectors.users_visible_to(user=user).values_list("username", flat=True))
    by_session = set(selectors.users_visible_to(user=alice).values_list("username", flat=True))
    assert "zed" in by_session and "zed" not in by_token
    assert "alice" in by_token and "bob" in by_token


def test_a_read_tokens_board_json_says_it_may_not_write(world):
    alice, _, boards, _ = world
    read = token_create(user=alice, name="reader", scope="read", board_ids=None).token
    client = pat_client(read)
    board = boards["mine"].pk
    nothing = {"write": False, "manage": False}
    assert client.get(f"/api/boards/{board}/").json()["can"] == nothing
    assert all(b["can"] == nothing for b in client.get("/api/boards/").json()["results"])
    assert client.get(f"/api/boards/{board}/snapshot/").json()["board"]["can"] == nothing
    # The same user's write token, on the same board, may do what the owner may.
    write = pat_client(token_create(user=alice, name="w", scope="write", board_ids=None).token)
    assert write.get(f"/api/boards/{board}/").json()["can"] == {"write": True, "manage": True}
    # The board as of a past seq (a board made through the services has its history).
    made = write.post("/api/boards/", {"name": "Made"}, format="json").json()["id"]
    past = client.get(f"/api/boards/{made}/snapshot/?seq=0").json()
    assert past["board"]["can"] == nothing, past
