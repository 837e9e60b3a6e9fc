"""One access rule (board/access.py): every form of "which boards does this user see, with
which role" agrees with `memberships_of`, and where the rule is written again for speed (the
one-statement row check) a test holds the two equal."""

import itertools

import pytest

from board import access, selectors
from board.api.serializers import TaskSerializer
from board.models import Membership, Role, Sprint, Task
from tests.factories import BoardFactory, MembershipFactory, SprintFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two boards; users with every role on one, both, or none; an inactive member."""
    alice, bob, carol, dave = (UserFactory(username=n) for n in ("alice", "bob", "carol", "dave"))
    gone = UserFactory(username="gone")
    one, two = BoardFactory(owner=alice), BoardFactory(owner=bob)
    MembershipFactory(board=one, user=bob, role=Role.VIEWER)
    MembershipFactory(board=two, user=carol, role=Role.MEMBER)
    MembershipFactory(board=one, user=gone, role=Role.MEMBER)
    gone.is_active = False
    gone.save()
    rows = []
    for board in (one, two):
        sprint = SprintFactory(board=board)
        rows += [sprint, TaskFactory(board=board, sprint=None), TaskFactory(board=board)]
    return [alice, bob, carol, dave, gone], [one, two], rows


def _rule(user, board_id):
    return dict(access.memberships_of(user).values_list("board_id", "role")).get(board_id)


def test_row_access_equals_the_rule_for_every_user_and_row(world):
    users, _, rows = world
    for user, row in itertools.product(users, rows):
        expected = _rule(user, row.board_id)
        got = access.row_access(user=user, model=type(row), pk=row.pk)
        assert got == (None if expected is None else (row.board_id, expected)), (user, row)
    missing = max(Task.objects.values_list("pk", flat=True)) + 1
    assert access.row_access(user=users[0], model=Task, pk=missing) is None
    for junk in ("x", -1, 0, 2**63, "1e3", None):
        assert access.row_access(user=users[0], model=Sprint, pk=junk) is None


def test_every_read_path_agrees_with_the_rule(world):
    users, boards, _ = world
    for user in users:
        seen = {b.pk for b in boards if _rule(user, b.pk) is not None}
        listed = selectors.boards_with_role(user=user)
        assert {b.pk: b.my_role for b in listed} == {pk: _rule(user, pk) for pk in seen}
        assert {t.board_id for t in selectors.task_list_for_user(user=user)} == seen
        assert {s.board_id for s in selectors.sprint_list_for_user(user=user)} == seen
        assert set(access.boards_visible_to(user).values_list("pk", flat=True)) == seen
        for board in boards:
            assert access.role_on(user=user, board_id=board.pk) == _rule(user, board.pk)
        roles = access.roles_on(board_ids=[b.pk for b in boards])
        assert {pk for pk, members in roles.items() if user.pk in members} == seen


def test_an_inactive_user_sees_nothing_even_with_a_membership(world):
    users, boards, _ = world
    gone = users[4]
    assert Membership.objects.filter(user=gone).exists()
    assert access.role_on(user=gone, board_id=boards[0].pk) is None
    assert not selectors.boards_with_role(user=gone).exists()


def test_a_serializer_without_a_request_resolves_no_board(world):
    """The input fields fail closed: without a caller no board id resolves (they fell back
    to every board)."""
    _, boards, _ = world
    serializer = TaskSerializer(data={"board": boards[0].pk, "name": "x"})
    assert not serializer.is_valid()
    assert "board" in serializer.errors


def test_abilities_follow_the_role():
    assert access.abilities(Role.OWNER) == {"write": True, "manage": True}
    assert access.abilities(Role.MEMBER) == {"write": True, "manage": False}
    assert access.abilities(Role.VIEWER) == {"write": False, "manage": False}
    assert access.abilities(None) == {"write": False, "manage": False}
