"""The label endpoints: who may read and write, the 400s, the responses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from board.models import Label

from .conftest import last_seq, make_label

pytestmark = pytest.mark.django_db


def labels_url(board) -> str:
    return f"/api/boards/{board.pk}/labels/"


def label_url(label_id) -> str:
    return f"/api/labels/{label_id}/"


def test_members_and_viewers_list_the_boards_labels_by_id(team, mate_api, guest_api):
    second, first = make_label(team, name="Zeta"), make_label(team, name="Alpha", color="#ABCDEF")
    for api in (mate_api, guest_api):
        response = api.get(labels_url(team.board))
        assert response.status_code == 200
        assert response.json() == [
            {"id": second.pk, "board": team.board.pk, "name": "Zeta", "color": "#d62728"},
            {"id": first.pk, "board": team.board.pk, "name": "Alpha", "color": "#abcdef"},
        ]


def test_outsiders_and_anonymous_callers_see_no_labels(team, stranger_api):
    make_label(team)
    assert stranger_api.get(labels_url(team.board)).status_code == 404
    assert APIClient().get(labels_url(team.board)).status_code == 401
    assert stranger_api.get(labels_url(team.elsewhere)).json() == []


def test_the_list_costs_the_same_queries_for_3_or_30_labels(team, mate_api):
    for i in range(3):
        make_label(team, name=f"L{i}")
    mate_api.get(labels_url(team.board))  # the session's first request reads it
    with CaptureQueriesContext(connection) as few:
        assert len(mate_api.get(labels_url(team.board)).json()) == 3
    for i in range(3, 30):
        make_label(team, name=f"L{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(mate_api.get(labels_url(team.board)).json()) == 30
    assert len(many) == len(few) <= 6


def test_a_member_creates_a_label(team, mate_api):
    response = mate_api.post(labels_url(team.board), {"name": " Bug ", "color": "#FF7F0E"})
    assert response.status_code == 201
    label = Label.objects.get()
    assert response.json() == {"id": label.pk, "board": team.board.pk, "name": "Bug",
                               "color": "#ff7f0e"}  # fmt: skip


def test_a_viewer_may_not_write_and_an_outsider_finds_nothing(team, guest_api, stranger_api):
    label = make_label(team)
    seq = last_seq(team.board)
    body = {"name": "New", "color": "#000000"}
    assert guest_api.post(labels_url(team.board), body).status_code == 403
    assert guest_api.patch(label_url(label.pk), {"name": "X"}).status_code == 403
    assert guest_api.delete(label_url(label.pk)).status_code == 403
    assert stranger_api.post(labels_url(team.board), body).status_code == 404
    assert stranger_api.patch(label_url(label.pk), {"name": "X"}).status_code == 404
    assert stranger_api.delete(label_url(label.pk)).status_code == 404
    assert last_seq(team.board) == seq
    assert Label.objects.get().name == "Bug"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"color": "#000000"}, "name"),
        ({"name": "", "color": "#000000"}, "name"),
        ({"name": "   ", "color": "#000000"}, "name"),
        ({"name": None, "color": "#000000"}, "name"),
        ({"name": "x" * 31, "color": "#000000"}, "name"),
        ({"name": "Bug"}, "color"),
        ({"name": "Bug", "color": "red"}, "color"),
        ({"name": "Bug", "color": "#0000000"}, "color"),
        ({"name": "Bug", "color": 123456}, "color"),
        ({"name": ["Bug"], "color": "#000000"}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(team, mate_api, body, field):
    response = mate_api.post(labels_url(team.board), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Label.objects.exists()


def test_a_name_clash_in_another_case_is_a_400(team, mate_api):
    make_label(team, name="Bug")
    response = mate_api.post(labels_url(team.board), {"name": "bug", "color": "#000000"})
    assert response.status_code == 400
    assert response.json() == {"name": ["This board already has a label with that name."]}


def test_past_100_labels_is_a_400(team, mate_api):
    Label.objects.bulk_create(
        Label(board=team.board, name=f"L{i}", name_key=f"l{i}", color="#000000") for i in range(100)
    )
    response = mate_api.post(labels_url(team.board), {"name": "More", "color": "#000000"})
    assert response.status_code == 400
    assert "at most 100" in response.json()["non_field_errors"][0]


def test_a_member_renames_and_recolours_a_label(team, mate_api):
    label, other = make_label(team, name="Bug"), make_label(team, name="Feature")
    response = mate_api.patch(label_url(label.pk), {"color": "#ABCDEF"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": label.pk, "board": team.board.pk, "name": "Bug",
                               "color": "#abcdef"}  # fmt: skip
    assert mate_api.patch(label_url(label.pk), {"name": "Defect"}).json()["name"] == "Defect"
    clash = mate_api.patch(label_url(other.pk), {"name": "DEFECT"})
    assert clash.status_code == 400 and list(clash.json()) == ["name"]
    assert mate_api.patch(label_url(label.pk), {"color": "nope"}).status_code == 400
    assert mate_api.patch(label_url(label.pk), {"name": "x" * 31}).status_code == 400


def test_a_member_deletes_a_label(team, mate_api):
    label = make_label(team)
    assert mate_api.delete(label_url(label.pk)).status_code == 204
    assert not Label.objects.exists()
    assert mate_api.delete(label_url(label.pk)).status_code == 404


@pytest.mark.parametrize("label_id", ["0", "999999", str(2**63 - 1), str(2**70)])
def test_unknown_label_ids_are_a_404(team, mate_api, label_id):
    assert mate_api.patch(label_url(label_id), {"name": "X"}).status_code == 404
    assert mate_api.delete(label_url(label_id)).status_code == 404
