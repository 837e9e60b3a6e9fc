"""The event log stores facts, not presentation: no link and no display label in a stored
row, so renaming a route or a label never rewrites history. Frames and the REST event
endpoint derive both when they are built, and they agree with each other and with the rows'
own REST JSON."""

import datetime as dt
import importlib

import pytest
from asgiref.sync import sync_to_async
from django.apps import apps as django_apps
from django.utils import timezone

from board import realtime, services
from board.models import BoardEvent, Role, Status
from board.services import Actor
from tests.board.conftest import board_socket, recv_type
from tests.conftest import client_for
from tests.factories import UserFactory

TODAY = timezone.localdate()
PRESENTATION = {"links", "status_display", "can"}


def _every_change(board, member):
    """A task, sprint and member change of every kind, with an assignee and a sprint."""
    actor = Actor(board.owner, client_op_id="op-1")
    newcomer = UserFactory(username="newcomer")
    sprint = services.sprint_create(actor=actor, board_id=board.pk, end=TODAY + dt.timedelta(5))
    task = services.task_create(
        actor=actor, board_id=board.pk, name="T", sprint=sprint, assigned=member
    )
    services.task_update(actor=actor, task_id=task.pk, name="T2", description="d")
    services.task_move(actor=actor, task_id=task.pk, sprint=sprint, status=Status.IN_PROGRESS)
    label = services.label_create(actor=actor, board_id=board.pk, name="Bug", color="#d62728")
    services.label_update(actor=actor, label_id=label.pk, name="Bugs")
    services.task_update(actor=actor, task_id=task.pk, labels=[label])
    services.label_delete(actor=actor, label_id=label.pk)
    note = services.comment_create(actor=actor, task_id=task.pk, body="Hi @member")
    services.comment_update(actor=actor, comment_id=note.pk, body="Hello @member")
    services.comment_delete(actor=actor, comment_id=note.pk)
    item = services.checklist_item_create(actor=actor, task_id=task.pk, text="Step")
    services.checklist_item_update(actor=actor, item_id=item.pk, done=True)
    services.checklist_item_delete(actor=actor, item_id=item.pk)
    services.sprint_update(actor=actor, sprint_id=sprint.pk, name="S1")
    services.member_add(actor=actor, board_id=board.pk, user=newcomer, role=Role.VIEWER)
    services.member_update(actor=actor, board_id=board.pk, user_id=newcomer.pk, role=Role.MEMBER)
    services.board_update(actor=actor, board_id=board.pk, name="Renamed")
    backlog = services.task_create(actor=actor, board_id=board.pk, name="B", points=2)
    services.sprint_plan(actor=actor, sprint_id=sprint.pk, tasks=[backlog.pk])
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    services.sprint_close(actor=actor, sprint_id=sprint.pk, carry_to=None)
    services.sprint_delete(actor=actor, sprint_id=sprint.pk)
    services.task_delete(actor=actor, task_id=task.pk)
    services.task_restore(actor=actor, task_id=task.pk)
    services.member_remove(actor=actor, board_id=board.pk, user_id=newcomer.pk)


def _presentation_in(value, path="data"):
    """Paths of every link, label or URL-looking string inside a stored value."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PRESENTATION:
                found.append(f"{path}.{key}")
            found += _presentation_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _presentation_in(item, f"{path}[{index}]")
    elif isinstance(value, str) and ("/api/" in value or "/ws/" in value):
        found.append(path)
    return found


@pytest.mark.django_db
def test_a_stored_event_holds_no_link_and_no_display_label(board, member):
    _every_change(board, member)
    events = list(BoardEvent.objects.filter(board=board).order_by("seq"))
    assert {e.name for e in events} == set(realtime.EVENT_NAMES)
    for event in events:
        assert _presentation_in(event.data) == [], (event.name, event.data)


@pytest.mark.django_db(transaction=True)
async def test_socket_frames_equal_the_rest_event_endpoint_and_the_rows_json(board, member):
    comm = await board_socket(member, board)
    hello = await recv_type(comm, "hello")
    await sync_to_async(_every_change)(board, member)
    frames = []
    while len(frames) < 26:  # one per change in _every_change
        # The assignee watches the card: the owner's comment also brings a notification.
        frames.append(await recv_type(comm, "event", timeout=3, also=("notification",)))
    await comm.disconnect()

    def rest_events():
        api = client_for(member)
        return api.get(f"/api/boards/{board.pk}/events/?after={hello['seq']}").json()["results"]

    assert [{k: v for k, v in f.items() if k != "type"} for f in frames] == await sync_to_async(
        rest_events
    )()
    created = next(f["data"] for f in frames if f["name"] == realtime.TASK_CREATED)
    assert created["status_display"] == "Not Started"
    assert created["links"] == {
        "self": f"/api/tasks/{created['id']}/",
        "sprint": f"/api/sprints/{created['sprint']}/",
        "assigned": f"/api/users/{member.pk}/",
    }
    assert "assigned_id" not in created  # a stored fact the task JSON does not carry
    added = next(f["data"] for f in frames if f["name"] == realtime.MEMBER_ADDED)
    assert added["can"] == {"write": False, "manage": False}


@pytest.mark.django_db
def test_the_frame_of_a_task_equals_its_rest_json_less_the_origin(board, member):
    api = client_for(member)
    task = api.post("/api/tasks/", {"board": board.pk, "name": "T", "assigned": "member"}).json()
    event = BoardEvent.objects.get(board=board, seq=board.last_seq + 1)
    frame_data = realtime.event_frame(event)["data"]
    origin = "http://testserver"
    relative = {k: (v.removeprefix(origin) if v else v) for k, v in task["links"].items()}
    assert frame_data == {**task, "links": relative}


@pytest.mark.django_db
def test_the_migration_turns_old_rows_into_values_that_render_as_before(board, member):
    """Rows written before the log stored values (links and labels inside) are rewritten; a
    frame built from the rewritten row equals the frame the old row made."""
    migration = importlib.import_module("board.migrations.0003_event_domain_values")
    api = client_for(member)
    task = api.post("/api/tasks/", {"board": board.pk, "name": "T", "assigned": "member"}).json()
    old_frame = dict(task)
    old_frame["links"] = {k: v.removeprefix("http://testserver") if v else v
                          for k, v in task["links"].items()}  # fmt: skip
    old = BoardEvent.objects.get(board=board, name=realtime.TASK_CREATED)
    old.data = old_frame  # the shape the old code stored: the REST JSON without a request
    old.save(update_fields=["data"])
    moved = BoardEvent.objects.create(
        board=board, seq=999, name=realtime.TASK_MOVED, data={"task": old_frame, "reordered": []}
    )

    migration.forwards(django_apps, None)

    old.refresh_from_db()
    moved.refresh_from_db()
    assert _presentation_in(old.data) == [] and _presentation_in(moved.data) == []
    assert old.data["assigned_id"] == member.pk
    assert realtime.event_frame(old)["data"] == old_frame
    assert realtime.event_frame(moved)["data"]["task"] == old_frame
