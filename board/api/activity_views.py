"""A card's activity from the event log (SPEC section 12). Stub: the activity slice fills it in."""

from rest_framework.views import APIView


class TaskActivityView(APIView):
    pass
