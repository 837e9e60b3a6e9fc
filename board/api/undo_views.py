"""Undo of a change and the trash (SPEC section 11): revert an event, list and restore."""

from rest_framework.views import APIView


class EventRevertView(APIView):
    pass


class BoardTrashView(APIView):
    pass


class TaskRestoreView(APIView):
    pass
