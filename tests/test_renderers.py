"""The orjson renderer writes the bytes DRF's JSONRenderer writes (realtime_scrum/renderers)."""

import datetime as dt
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer as DRFRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from realtime_scrum.renderers import JSONRenderer
from tests.factories import TaskFactory

SAMPLES = [
    {"name": "Café ☕ 🚀", "line": "a\u2028b\u2029c", "quote": '"\\/'},
    ReturnList([ReturnDict({"id": 1, "status": 2}, serializer=None)], serializer=None),
    {"detail": ErrorDetail("No such board.", code="not_found"), "lazy": gettext_lazy("Yes")},
    {
        "at": dt.datetime(2026, 12, 1, 7, 0, 0, 123456, tzinfo=dt.UTC),
        "local": dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))),
        "day": dt.date(2026, 12, 1),
        "time": dt.time(7, 30),
        "span": dt.timedelta(minutes=90),
        "amount": decimal.Decimal("1.50"),
        "uid": uuid.UUID(int=7),
    },
    {1: "int keys become strings", "nested": [None, True, False, 0, -1, 2**40, 1.5]},
    {"huge": 2**70},  # past orjson's 64 bits: DRF's renderer takes it
]


@pytest.mark.parametrize("data", SAMPLES)
def test_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == DRFRenderer().render(data)


def test_pretty_printing_is_still_offered():
    rendered = JSONRenderer().render({"a": [1]}, "application/json; indent=2")
    assert rendered == DRFRenderer().render({"a": [1]}, "application/json; indent=2")
    assert b"\n" in rendered


@pytest.mark.django_db
def test_the_api_answers_with_it(api, board, member):
    TaskFactory(board=board, name="Ship it ✓", assigned=member)
    response = api.get(f"/api/tasks/?board={board.pk}")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert response.content == DRFRenderer().render(response.data)
