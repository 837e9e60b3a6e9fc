"""Deleting an account: its boards hear about it, its tasks are unassigned, nothing is lost."""

import pytest
from django.core.exceptions import ValidationError

from board.models import BoardEvent, Task
from realtime_scrum.accounts.models import User
from realtime_scrum.accounts.services import user_delete
from tests.factories import SprintFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_member_unassigns_their_tasks_with_one_event_per_board(board, member):
    sprint = SprintFactory(board=board)
    task = TaskFactory(board=board, sprint=sprint, assigned=member, name="Keep me")
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    user_delete(actor=admin, user=member)
    task.refresh_from_db()
    assert (task.name, task.assigned, task.version) == ("Keep me", None, 2)
    event = BoardEvent.objects.get(board=board, name="member.removed")
    assert event.data["unassigned"] == [task.pk] and event.actor == admin
    assert not User.objects.filter(pk=member.pk).exists()


def test_a_board_owner_cannot_be_deleted_before_their_boards(board, owner):
    with pytest.raises(ValidationError):
        user_delete(actor=owner, user=owner)
    assert User.objects.filter(pk=owner.pk).exists()


def test_admin_deletes_through_the_service_and_hides_delete_for_owners(
    board, member, owner, client
):
    TaskFactory(board=board, assigned=member)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/accounts/user/{member.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert BoardEvent.objects.filter(board=board, name="member.removed").count() == 1
    assert Task.objects.get().assigned is None
    assert client.get(f"/admin/accounts/user/{owner.pk}/delete/").status_code == 403
