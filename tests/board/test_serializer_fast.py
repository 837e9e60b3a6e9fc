"""TaskSerializer's written-out to_representation equals DRF's generic one."""

import datetime as dt

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from board.api.serializers import TaskSerializer
from board.models import Status
from board.selectors import task_list_for_user
from tests.factories import SprintFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_fast_representation_equals_generic(board, member):
    user = member
    sprint = SprintFactory(board=board, end=dt.date(2030, 1, 31))
    TaskFactory(board=board, name="bare")
    TaskFactory(
        board=board, name="full ✓", description="d", sprint=sprint, assigned=user,
        status=Status.TESTING, started=dt.date(2030, 1, 2), due=dt.date(2030, 1, 3),
        completed=dt.date(2030, 1, 4),
    )  # fmt: skip
    request = APIRequestFactory().get("/api/tasks/", HTTP_HOST="127.0.0.1")
    request.user = user
    for context in ({"request": request}, {}):
        rows = list(task_list_for_user(user=user).filter(board=board))
        fast = TaskSerializer(rows, many=True, context=context).data
        generic = [
            serializers.ModelSerializer.to_representation(TaskSerializer(context=context), row)
            for row in rows
        ]
        assert [dict(r) for r in fast] == [dict(r) for r in generic]
        assert [list(r) for r in fast] == [list(r) for r in generic]  # same key order
