"""DRF's side of the access rule (board/access.py). Non-members never get here: the
selectors 404 first."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .access import can_manage, can_write


class BoardContentPermission(BasePermission):
    """For sprints and tasks: objects carry `my_role`, annotated by the selectors."""

    message = "Viewers cannot change this board."

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or can_write(getattr(obj, "my_role", None))


class BoardManagePermission(BasePermission):
    message = "Only the board's owners can do that."

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or can_manage(getattr(obj, "my_role", None))
