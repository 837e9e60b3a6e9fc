"""The planning rules, each over REST and in the admin alike (the admin writes through the
same services, so it refuses the same things with the same messages)."""

import datetime as dt

import pytest

from board import services
from board.models import Sprint, SprintState, Status, Task
from board.services.rules import board_today
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def admin_sprint_form(sprint: Sprint | None = None, **values) -> dict:
    form = {"board": "", "name": "", "description": "", "start": "", "end": "", "goal": ""}
    if sprint is not None:
        form.update(
            board=sprint.board_id, name=sprint.name, description=sprint.description,
            start=day(sprint.start), end=day(sprint.end), goal=sprint.goal,
        )  # fmt: skip
    form.update(values)
    return form


def admin_task_form(board, **values) -> dict:
    form = {
        "board": board.pk, "sprint": "", "name": "T", "description": "",
        "status": Status.NOT_STARTED, "assigned": "", "started": "", "due": "", "completed": "",
        "points": "",
    }  # fmt: skip
    form.update(values)
    return form


def form_errors(response) -> dict:
    assert response.status_code == 200, "the admin saved the form"
    return response.context["adminform"].form.errors


@pytest.fixture
def closed_sprint(team, make_sprint):
    _, actor, _ = team
    sprint = make_sprint()
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    return services.sprint_close(actor=actor, sprint_id=sprint.pk)


# --- start <= end ---------------------------------------------------------------------------


def test_start_after_end_is_refused_over_rest(team, make_sprint, mate_api):
    board = team[0]
    end = board_today(board) + dt.timedelta(days=5)
    body = {"board": board.pk, "end": end, "start": end + dt.timedelta(days=1)}
    response = mate_api.post("/api/sprints/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"start": ["A sprint cannot start after it ends."]}
    sprint = make_sprint(start=board_today(board))
    patch = {"end": day(board_today(board)), "start": day(end)}
    response = mate_api.patch(f"/api/sprints/{sprint.pk}/", patch, format="json")
    assert response.status_code == 400 and "start" in response.json()


def test_start_after_end_is_refused_in_the_admin(team, admin_client):
    board = team[0]
    end = board_today(board) + dt.timedelta(days=5)
    form = admin_sprint_form(board=board.pk, end=day(end), start=day(end + dt.timedelta(days=1)))
    errors = form_errors(admin_client.post("/admin/board/sprint/add/", form))
    assert errors["start"] == ["A sprint cannot start after it ends."]
    ok = admin_sprint_form(board=board.pk, end=day(end), start=day(end), goal="Ship")
    assert admin_client.post("/admin/board/sprint/add/", ok).status_code == 302
    created = Sprint.objects.get(board=board, end=end)
    assert (created.start, created.goal) == (end, "Ship")


# --- a closed sprint takes no tasks ---------------------------------------------------------

CLOSED = "A closed sprint takes no new tasks."


def test_a_closed_sprint_takes_no_tasks_over_rest(team, closed_sprint, make_task, mate_api):
    board = team[0]
    task = make_task()
    create = {"board": board.pk, "name": "New", "sprint": closed_sprint.pk}
    response = mate_api.post("/api/tasks/", create, format="json")
    assert (response.status_code, response.json()) == (400, {"sprint": [CLOSED]})
    patch = {"sprint": closed_sprint.pk}
    response = mate_api.patch(f"/api/tasks/{task.pk}/", patch, format="json")
    assert (response.status_code, response.json()) == (400, {"sprint": [CLOSED]})
    move = {"sprint": closed_sprint.pk, "status": Status.NOT_STARTED}
    response = mate_api.post(f"/api/tasks/{task.pk}/move/", move, format="json")
    assert (response.status_code, response.json()) == (400, {"sprint": [CLOSED]})
    plan = {"tasks": [task.pk]}
    response = mate_api.post(f"/api/sprints/{closed_sprint.pk}/plan/", plan, format="json")
    assert (response.status_code, response.json()) == (400, {"sprint": [CLOSED]})
    assert Task.objects.get(pk=task.pk).sprint_id is None


def test_a_closed_sprint_takes_no_tasks_in_the_admin(team, closed_sprint, make_task, admin_client):
    board = team[0]
    form = admin_task_form(board, sprint=closed_sprint.pk)
    assert form_errors(admin_client.post("/admin/board/task/add/", form))["sprint"] == [CLOSED]
    task = make_task()
    url = f"/admin/board/task/{task.pk}/change/"
    assert form_errors(admin_client.post(url, form))["sprint"] == [CLOSED]
    assert not Task.objects.filter(sprint=closed_sprint).exists()


# --- one active sprint per board ------------------------------------------------------------


def test_one_active_sprint_per_board_in_the_admin(team, make_sprint, admin_client):
    first, second = make_sprint(name="First"), make_sprint(name="Second")
    changelist = "/admin/board/sprint/"
    start = {"action": "start_sprint", "_selected_action": [first.pk]}
    response = admin_client.post(changelist, start, follow=True)
    assert "First: started." in [str(m) for m in response.context["messages"]]
    start["_selected_action"] = [second.pk]
    response = admin_client.post(changelist, start, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Second: First is active on this board: close it before starting another."
    ]
    second.refresh_from_db()
    assert second.state == SprintState.PLANNED


def test_the_admin_closes_a_sprint_with_its_work_to_the_backlog(
    team, make_sprint, make_task, admin_client
):
    _, actor, _ = team
    sprint = make_sprint(name="Now")
    task = make_task(sprint=sprint, status=Status.IN_PROGRESS)
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    close = {"action": "close_sprint", "_selected_action": [sprint.pk]}
    response = admin_client.post("/admin/board/sprint/", close, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Now: closed."]
    task.refresh_from_db()
    assert (task.sprint_id, task.status) == (None, Status.NOT_STARTED)
    response = admin_client.post("/admin/board/sprint/", close, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Now: Only an active sprint can close; this one is closed."
    ]


def test_the_admin_shows_state_and_commitment_read_only(team, make_sprint, admin_client):
    _, actor, _ = team
    sprint = make_sprint()
    services.sprint_start(actor=actor, sprint_id=sprint.pk)
    page = admin_client.get(f"/admin/board/sprint/{sprint.pk}/change/")
    form = page.context["adminform"].form
    assert {"start", "goal"} <= set(form.fields) and "state" not in form.fields
    html = page.content.decode()
    assert '<div class="readonly">Active</div>' in html
    assert '<div class="readonly">{&quot;points&quot;: 0, &quot;tasks&quot;: []}</div>' in html


# --- a closed sprint's dates are frozen -----------------------------------------------------

FROZEN = "A closed sprint's dates cannot change."


def test_a_closed_sprints_dates_are_frozen_over_rest(team, closed_sprint, mate_api):
    url = f"/api/sprints/{closed_sprint.pk}/"
    later = day(closed_sprint.end + dt.timedelta(days=3))
    assert mate_api.patch(url, {"end": later}, format="json").json() == {"end": [FROZEN]}
    earlier = day(closed_sprint.start - dt.timedelta(days=1))
    assert mate_api.patch(url, {"start": earlier}, format="json").json() == {"start": [FROZEN]}
    renamed = mate_api.patch(url, {"name": "Retro done"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["state"] == "closed"


def test_a_closed_sprints_dates_are_frozen_in_the_admin(team, closed_sprint, admin_client):
    url = f"/admin/board/sprint/{closed_sprint.pk}/change/"
    later = day(closed_sprint.end + dt.timedelta(days=3))
    form = admin_sprint_form(closed_sprint, end=later)
    assert form_errors(admin_client.post(url, form))["end"] == [FROZEN]
    closed_sprint.refresh_from_db()
    assert closed_sprint.end != dt.date.fromisoformat(later)


# --- points ---------------------------------------------------------------------------------

BAD_POINTS = [1000, -1, 1.25, "abc", "NaN", "Infinity", "1e3"]


@pytest.mark.parametrize("points", BAD_POINTS)
def test_bad_points_are_refused_over_rest(team, make_task, mate_api, points):
    board = team[0]
    created = mate_api.post("/api/tasks/", {"board": board.pk, "name": "P", "points": points})
    assert created.status_code == 400 and set(created.json()) == {"points"}, created.json()
    task = make_task()
    patched = mate_api.patch(f"/api/tasks/{task.pk}/", {"points": points}, format="json")
    assert patched.status_code == 400 and set(patched.json()) == {"points"}


@pytest.mark.parametrize(("points", "stored"), [(0, 0), (999, 999), (0.5, 0.5), (None, None)])
def test_good_points_are_kept_over_rest(team, mate_api, points, stored):
    body = {"board": team[0].pk, "name": "P", "points": points}
    response = mate_api.post("/api/tasks/", body, format="json")
    assert response.status_code == 201 and response.json()["points"] == stored


@pytest.mark.parametrize("points", BAD_POINTS)
def test_bad_points_are_refused_in_the_admin(team, admin_client, points):
    form = admin_task_form(team[0], points=points)
    assert "points" in form_errors(admin_client.post("/admin/board/task/add/", form))
    assert not Task.objects.filter(name="T").exists()


def test_the_admin_saves_points(team, admin_client):
    form = admin_task_form(team[0], points="2.5")
    assert admin_client.post("/admin/board/task/add/", form).status_code == 302
    assert str(Task.objects.get(name="T").points) == "2.5"


@pytest.mark.django_db
def test_a_sprint_lasts_at_most_a_year_so_its_burndown_stays_a_report(board, member):
    """A start in year 1 (or an end in 9999 started today) would make a burndown of 700,000
    rows that no request finishes: refused where the dates are set, and when it starts."""
    api = client_for(member)
    today = dt.date.today()
    long_ago = api.post(
        "/api/sprints/",
        {"board": board.pk, "end": str(today + dt.timedelta(5)), "start": "0001-01-01"},
        format="json",
    )
    assert long_ago.status_code == 400, long_ago.content
    assert "366" in long_ago.json()["end"][0]
    far = api.post("/api/sprints/", {"board": board.pk, "end": "9999-12-31"}, format="json")
    assert far.status_code == 201, far.content
    started = api.post(f"/api/sprints/{far.json()['id']}/start/", {}, format="json")
    assert started.status_code == 400, started.content
    assert "366" in started.json()["end"][0]
    year = api.post(
        "/api/sprints/",
        {"board": board.pk, "end": str(today + dt.timedelta(365)), "start": str(today)},
        format="json",
    )
    assert year.status_code == 201, year.content
