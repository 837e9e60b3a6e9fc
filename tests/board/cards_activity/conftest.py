"""The checklist tests' team (a board with a history, owner, member, viewer, a card)."""

from board.history.activity import task_activity
from tests.board.cards_checklist.conftest import Team, guest_api, mate_api, team  # noqa: F401


def activity(crew: Team, task_id: int | None = None) -> list[dict]:
    """The card's activity, newest first, as the view serves it (before paging)."""
    crew.board.refresh_from_db()
    return task_activity(
        board_id=crew.board.pk,
        history_from=crew.board.history_from,
        task_id=task_id or crew.task.pk,
    )


def changes(crew: Team, task_id: int | None = None) -> list[tuple[str, dict]]:
    """(name, changes) of each entry, oldest first: easier to read in a test."""
    return [(e["name"], e["changes"]) for e in reversed(activity(crew, task_id))]
