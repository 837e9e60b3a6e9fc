"""Links into the live board page, in one place so the page and the mails agree.

The board page (`/`, frontend/) opens a board from `/boards/<board_id>/` and the task's
detail from `?task=<task_id>`."""

from django.conf import settings


def task_page_url(board_id: int, task_id: int) -> str:
    return f"{settings.SITE_URL}/boards/{board_id}/?task={task_id}"
