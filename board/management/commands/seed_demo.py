"""Seed a demo board with two users (idempotent) and print how to log in."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from board import services
from board.models import Board, Membership, Status
from board.services import Actor

DEMO_USERS = [
    ("alice", "alice@example.com", "Alice Anders", "Europe/London"),
    ("bob", "bob@example.com", "Bob Brown", "America/New_York"),
]
PASSWORD = "demo-password-123"
BOARD_NAME = "Demo board"


class Command(BaseCommand):
    help = "Create demo users and a demo board (safe to run repeatedly)."

    def handle(self, *args, **options):
        User = get_user_model()
        users = []
        for username, email, full_name, tz in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": email, "full_name": full_name, "timezone": tz},
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
            users.append(user)
        alice, bob = users
        with transaction.atomic():
            if not Board.objects.filter(name=BOARD_NAME, owner=alice).exists():
                self._seed_board(alice, bob)
        self.stdout.write(self.style.SUCCESS("Demo board ready. Log in with:"))
        for username, *_ in DEMO_USERS:
            self.stdout.write(f"  username: {username}   password: {PASSWORD}")

    def _seed_board(self, alice, bob) -> None:
        actor = Actor(user=alice)
        board = services.board_create(
            actor=actor, name=BOARD_NAME, description="A board to try things out."
        )
        if not Membership.objects.filter(board=board, user=bob).exists():
            services.member_add(actor=actor, board_id=board.pk, user=bob, role="member")
        today = timezone.localdate()
        sprint = services.sprint_create(
            actor=actor, board_id=board.pk, name="Sprint 1", end=today + dt.timedelta(days=13)
        )
        tasks = [
            ("Write the README", None, Status.NOT_STARTED, alice),
            ("Sketch the board page", sprint, Status.NOT_STARTED, bob),
            ("Wire up the REST API", sprint, Status.IN_PROGRESS, alice),
            ("Review the event log", sprint, Status.TESTING, bob),
            ("Set up the project", sprint, Status.DONE, alice),
        ]
        for name, task_sprint, status, user in tasks:
            extra = {}
            if status != Status.NOT_STARTED:
                extra["started"] = today
            if status == Status.DONE:
                extra["completed"] = today
            services.task_create(
                actor=actor, board_id=board.pk, name=name, sprint=task_sprint, status=status,
                assigned=user, due=today, **extra,
            )  # fmt: skip
