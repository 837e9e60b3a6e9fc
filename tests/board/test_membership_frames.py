"""Personal `membership.*` frames: a user's open boards list (/ws/me/) hears, after commit,
that they were added to a board, that their role there changed, or that they lost it (removed,
left, or the board deleted). Board sockets never carry them: a removed member's board socket
gets the member.removed event and then 4403, nothing in between."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from board import services
from board.models import Role
from board.services import Actor
from tests.board.conftest import board_socket, closed_with, recv_type, token_for, ws_open
from tests.conftest import client_for
from tests.factories import BoardFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


# A deadline, not a pause: the frame is taken the moment it arrives; a loaded machine (the
# first push of a run imports and connects lazily) can take more than a second.
LIVE = 5


async def me_socket(user):
    comm = await ws_open("/ws/me/", token_for(user))
    await recv_type(comm, "hello", timeout=LIVE)
    return comm


def rest(user, method: str, path: str, body=None):
    return sync_to_async(lambda: getattr(client_for(user), method)(path, body))()


async def test_an_invitee_hears_the_board_with_their_role(board, owner):
    guest = await sync_to_async(UserFactory)(username="guest")
    comm = await me_socket(guest)
    response = await rest(
        owner, "post", f"/api/boards/{board.pk}/members/", {"username": "guest", "role": "viewer"}
    )
    assert response.status_code == 201
    frame = await recv_type(comm, "membership.added", timeout=LIVE)
    assert set(frame) == {"type", "board"}
    listed = (await rest(guest, "get", f"/api/boards/{board.pk}/")).json()
    # The board as the invitee's own GET returns it, links relative as in every frame.
    assert frame["board"] == {**listed, "links": frame["board"]["links"]}
    assert frame["board"]["role"] == "viewer" and frame["board"]["can"]["write"] is False
    assert frame["board"]["links"]["self"] == f"/api/boards/{board.pk}/"
    assert await comm.receive_nothing(0.2)
    await comm.disconnect()


async def test_a_role_change_reaches_that_member_only(board, owner, member, viewer):
    mine, theirs = await me_socket(viewer), await me_socket(member)
    url = f"/api/boards/{board.pk}/members/{viewer.pk}/"
    assert (await rest(owner, "patch", url, {"role": "member"})).status_code == 200
    frame = await recv_type(mine, "membership.updated", timeout=LIVE)
    assert frame["board"]["id"] == board.pk and frame["board"]["role"] == "member"
    assert frame["board"]["can"] == {"write": True, "manage": False}
    assert await theirs.receive_nothing(0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_removed_and_left_say_why_and_who(board, owner, member, viewer):
    comm = await me_socket(viewer)
    await rest(owner, "delete", f"/api/boards/{board.pk}/members/{viewer.pk}/")
    frame = await recv_type(comm, "membership.removed", timeout=LIVE)
    assert frame == {
        "type": "membership.removed",
        "board": {"id": board.pk, "name": "Team board"},
        "reason": "removed",
        "actor": {"id": owner.pk, "username": "owner"},
    }
    await comm.disconnect()
    comm = await me_socket(member)
    await rest(member, "delete", f"/api/boards/{board.pk}/members/{member.pk}/")
    frame = await recv_type(comm, "membership.removed", timeout=LIVE)
    assert (frame["reason"], frame["actor"]["username"]) == ("left", "member")
    await comm.disconnect()


async def test_a_deleted_board_leaves_every_members_list(board, owner, member, viewer):
    sockets = [await me_socket(user) for user in (owner, member, viewer)]
    assert (await rest(owner, "delete", f"/api/boards/{board.pk}/")).status_code == 204
    for comm in sockets:
        frame = await recv_type(comm, "membership.removed", timeout=LIVE)
        assert (frame["board"]["id"], frame["reason"]) == (board.pk, "deleted")
        await comm.disconnect()


async def test_a_new_board_reaches_the_creators_other_tabs(owner):
    comm = await me_socket(owner)
    created = (await rest(owner, "post", "/api/boards/", {"name": "Fresh"})).json()
    frame = await recv_type(comm, "membership.added", timeout=LIVE)
    assert (frame["board"]["id"], frame["board"]["role"]) == (created["id"], "owner")
    await comm.disconnect()


async def test_a_rolled_back_invitation_pushes_nothing(board, owner):
    guest = await sync_to_async(UserFactory)(username="guest")
    comm = await me_socket(guest)

    def add_then_fail():
        with transaction.atomic():
            services.member_add(actor=Actor(owner), board_id=board.pk, user=guest, role="member")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await sync_to_async(add_then_fail)()
    assert await comm.receive_nothing(0.3)
    await comm.disconnect()


async def test_board_sockets_do_not_carry_them(board, owner, member):
    other = await sync_to_async(BoardFactory)(owner=owner)
    watching = await board_socket(member, board)
    await recv_type(watching, "hello", timeout=LIVE)
    # Added elsewhere: a frame for a boards list, which this page does not show.
    await sync_to_async(services.member_add)(
        actor=Actor(owner), board_id=other.pk, user=member, role=Role.MEMBER
    )
    assert await watching.receive_nothing(0.3)
    await sync_to_async(services.member_remove)(
        actor=Actor(owner), board_id=board.pk, user_id=member.pk
    )
    assert (await recv_type(watching, "event"))["name"] == "member.removed"
    assert await closed_with(watching) == 4403
