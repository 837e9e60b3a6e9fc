"""Rows in, an iCalendar (RFC 5545) document out, through the `icalendar` package.

Every event is an all-day DATE event (a due date and a sprint's end are days, not
instants). UIDs are stable per task and per sprint, so a calendar app updates an event it
already shows instead of adding a second one when a due date moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from board.models import Sprint, Status, Task

PRODID = "-//Realtime Scrum//calendar feed//EN"


def _board_url(site: str, board_id: int, task_id: int | None = None) -> str:
    return f"{site}/boards/{board_id}/" + (f"?task={task_id}" if task_id else "")


def _event(
    *, uid: str, day: dt.date, summary: str, url: str, description: str, stamp: dt.datetime
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    return event


def calendar_document(
    *, site: str, name: str, tasks: Iterable[Task], sprints: Iterable[Sprint]
) -> bytes:
    host = urlsplit(site).hostname or "realtime-scrum"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for task in tasks:
        assert task.due is not None
        sprint = str(task.sprint) if task.sprint is not None else "Backlog"
        description = (
            f"Board: {task.board.name}\nStatus: {Status(task.status).label}\nSprint: {sprint}"
        )
        calendar.add_component(
            _event(
                uid=f"task-{task.pk}@{host}",
                day=task.due,
                summary=task.name,
                url=_board_url(site, task.board_id, task.pk),
                description=description,
                stamp=task.updated_at,
            )  # fmt: skip
        )
    for row in sprints:
        calendar.add_component(
            _event(
                uid=f"sprint-{row.pk}@{host}",
                day=row.end,
                summary=f"Sprint ends: {row} ({row.board.name})",
                url=_board_url(site, row.board_id),
                description=f"Board: {row.board.name}\nSprint: {row}\nState: {row.state}",
                stamp=row.updated_at,
            )  # fmt: skip
        )
    return calendar.to_ical()
