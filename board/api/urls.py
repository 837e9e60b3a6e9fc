from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import BoardViewSet, MemberViewSet, SprintViewSet, TaskViewSet, UserViewSet

router = DefaultRouter()
router.register("boards", BoardViewSet, basename="board")
router.register("sprints", SprintViewSet, basename="sprint")
router.register("tasks", TaskViewSet, basename="task")
router.register("users", UserViewSet, basename="user")

members = MemberViewSet.as_view({"get": "list", "post": "create"})
member = MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("boards/<int:board_pk>/members/", members, name="board-members"),
    path("boards/<int:board_pk>/members/<int:user_id>/", member, name="board-member"),
    *router.urls,
]
