import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from board.models import Board, Membership, Role, Sprint, Status, Task


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    full_name = factory.LazyAttribute(lambda u: u.username.title())
    password = factory.django.Password("pw-secret-123")


class BoardFactory(factory.django.DjangoModelFactory):
    """A board with its owner as an owner member (as board_create leaves it)."""

    class Meta:
        model = Board
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Board {n}")
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_membership(self, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(board=self, user=self.owner, role=Role.OWNER)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class SprintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sprint

    board = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Sprint {n}")
    end = factory.Sequence(lambda n: timezone.localdate() + dt.timedelta(days=7 + n))


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    board = factory.SubFactory(BoardFactory)
    sprint = None
    name = factory.Sequence(lambda n: f"Task {n}")
    status = Status.NOT_STARTED
    order = factory.Sequence(lambda n: (n + 1) * 1024)
