from django.urls import path, register_converter
from rest_framework.routers import DefaultRouter

from realtime_scrum.converters import IdConverter

from . import (
    activity_views,
    asyncapi_view,
    checklist_views,
    comment_views,
    label_views,
    planning_views,
    report_views,
    undo_views,
    watch_views,
)
from .views import BoardViewSet, MemberViewSet, SprintViewSet, TaskViewSet, UserViewSet

# `<id:...>`: 1-19 digits up to 2**63-1; a longer id is a 404 (JSON, realtime_scrum/http_errors.py)
# instead of an OverflowError from SQLite. The router's detail routes need none: their lookups
# (DRF's get_object, selectors.row_access) already treat an out-of-range pk as no row.
register_converter(IdConverter, "id")

router = DefaultRouter()
router.register("boards", BoardViewSet, basename="board")
router.register("sprints", SprintViewSet, basename="sprint")
router.register("tasks", TaskViewSet, basename="task")
router.register("users", UserViewSet, basename="user")

members = MemberViewSet.as_view({"get": "list", "post": "create"})
member = MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    # The socket protocol, machine-readable (SPEC section 13): not REST, not in /api/schema/.
    path("asyncapi.json", asyncapi_view.asyncapi_json, name="asyncapi"),
    path("boards/<id:board_pk>/members/", members, name="board-members"),
    path("boards/<id:board_pk>/members/<id:user_id>/", member, name="board-member"),
    # Planning (SPEC section 11)
    path("sprints/<id:pk>/start/", planning_views.SprintStartView.as_view(), name="sprint-start"),
    path("sprints/<id:pk>/close/", planning_views.SprintCloseView.as_view(), name="sprint-close"),
    path("sprints/<id:pk>/plan/", planning_views.SprintPlanView.as_view(), name="sprint-plan"),
    # Reports
    path(
        "sprints/<id:pk>/burndown/",
        report_views.SprintBurndownView.as_view(),
        name="sprint-burndown",
    ),
    path(
        "boards/<id:pk>/velocity/", report_views.BoardVelocityView.as_view(), name="board-velocity"
    ),
    # Undo and the trash
    path(
        "boards/<id:pk>/events/<id:seq>/revert/",
        undo_views.EventRevertView.as_view(),
        name="board-event-revert",
    ),
    path("boards/<id:pk>/trash/", undo_views.BoardTrashView.as_view(), name="board-trash"),
    path("tasks/<id:pk>/restore/", undo_views.TaskRestoreView.as_view(), name="task-restore"),
    # Collaboration on cards (SPEC section 12)
    path("boards/<id:pk>/labels/", label_views.BoardLabelsView.as_view(), name="board-labels"),
    path("labels/<id:pk>/", label_views.LabelDetailView.as_view(), name="label-detail"),
    path("tasks/<id:pk>/comments/", comment_views.TaskCommentsView.as_view(), name="task-comments"),
    path("comments/<id:pk>/", comment_views.CommentDetailView.as_view(), name="comment-detail"),
    path(
        "tasks/<id:pk>/checklist/",
        checklist_views.TaskChecklistView.as_view(),
        name="task-checklist",
    ),
    path(
        "checklist-items/<id:pk>/",
        checklist_views.ChecklistItemView.as_view(),
        name="checklist-item",
    ),
    path(
        "tasks/<id:pk>/activity/", activity_views.TaskActivityView.as_view(), name="task-activity"
    ),
    path("tasks/<id:pk>/watch/", watch_views.TaskWatchView.as_view(), name="task-watch"),
    *router.urls,
]
