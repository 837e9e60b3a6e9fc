"""GET /api/tasks/{id}/activity/: who may read it, paging, and a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from board import services
from board.history.compaction import compact
from tests.conftest import client_for
from tests.factories import UserFactory


def url(task_id) -> str:
    return f"/api/tasks/{task_id}/activity/"


def edit(team, times: int, task=None) -> None:
    task = task or team.task
    for n in range(times):
        services.task_update(actor=team.actor, task_id=task.pk, name=f"Name {n}")


def test_members_and_viewers_read_it_outsiders_and_trashed_cards_404(team, guest_api, mate_api):
    edit(team, 1)
    res = guest_api.get(url(team.task.pk))
    assert res.status_code == 200
    body = res.json()
    assert body["count"] == 2
    assert [e["name"] for e in body["results"]] == ["task.updated", "task.created"]
    assert body["results"][0]["changes"] == {"name": ["Card", "Name 0"]}
    stranger = client_for(UserFactory(username="stranger"))
    assert stranger.get(url(team.task.pk)).status_code == 404
    for bad in (2**70, 0, 10**15):
        assert mate_api.get(url(bad)).status_code == 404
    services.task_delete(actor=team.actor, task_id=team.task.pk)
    assert mate_api.get(url(team.task.pk)).status_code == 404


def test_pages_of_25_newest_first_and_page_size_up_to_100(team, mate_api):
    edit(team, 30)
    first = mate_api.get(url(team.task.pk)).json()
    assert first["count"] == 31 and len(first["results"]) == 25 and first["next"]
    seqs = [e["seq"] for e in first["results"]]
    assert seqs == sorted(seqs, reverse=True)
    second = mate_api.get(first["next"]).json()
    assert [e["changes"] for e in second["results"]][-1] == {
        "name": [None, "Card"],
        "status": [None, 1],
    }
    assert len(second["results"]) == 6 and second["results"][0]["seq"] < seqs[-1]
    assert len(mate_api.get(url(team.task.pk), {"page_size": 500}).json()["results"]) == 31
    assert mate_api.get(url(team.task.pk), {"page": 9}).status_code == 404


def _queries(api, task_id) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url(task_id), {"page_size": 100}).status_code == 200
    return len(ctx.captured_queries)


def test_the_same_queries_for_a_card_with_5_and_with_60_events(team, mate_api):
    edit(team, 4)
    _queries(mate_api, team.task.pk)  # the first request also reads the login session
    few = _queries(mate_api, team.task.pk)
    edit(team, 55)
    assert mate_api.get(url(team.task.pk), {"page_size": 100}).json()["count"] == 60
    assert _queries(mate_api, team.task.pk) == few
    # A pruned board reads its checkpoint once more, whatever the count.
    team.board.refresh_from_db()
    compact(board_id=team.board.pk, through_seq=team.board.last_seq - 30)
    pruned = _queries(mate_api, team.task.pk)
    edit(team, 20)
    assert _queries(mate_api, team.task.pk) == pruned <= few + 1
