from tests.conftest import client_for


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_board_list_shows_only_my_boards(board, member, outsider):
    assert [b["name"] for b in client_for(member).get("/api/boards/").json()["results"]] == [
        "Team board"
    ]
    assert client_for(outsider).get("/api/boards/").json()["results"] == []
