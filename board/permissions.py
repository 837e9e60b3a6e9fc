"""Who may do what on a board. Viewers read; members write sprints and tasks; owners also
manage the board and its members. Non-members never get here: the selectors 404 first."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import Role

WRITERS = {Role.OWNER, Role.MEMBER}
MANAGERS = {Role.OWNER}


def can_write(role: str | None) -> bool:
    return role in WRITERS


def can_manage(role: str | None) -> bool:
    return role in MANAGERS


class BoardContentPermission(BasePermission):
    """For sprints and tasks: objects carry `my_role`, annotated by the selectors."""

    message = "Viewers cannot change this board."

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or can_write(getattr(obj, "my_role", None))


class BoardManagePermission(BasePermission):
    message = "Only the board's owners can do that."

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or can_manage(getattr(obj, "my_role", None))
