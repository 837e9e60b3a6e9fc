from django.urls import path, register_converter
from rest_framework.routers import DefaultRouter

from realtime_scrum.converters import IdConverter

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
    path("boards/<id:board_pk>/members/", members, name="board-members"),
    path("boards/<id:board_pk>/members/<id:user_id>/", member, name="board-member"),
    *router.urls,
]
