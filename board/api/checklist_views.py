"""A card's checklist (SPEC section 12). Stub: the checklist slice fills it in."""

from rest_framework.views import APIView


class TaskChecklistView(APIView):
    pass


class ChecklistItemView(APIView):
    pass
