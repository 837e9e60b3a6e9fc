"""Watching a card (SPEC section 12). Stub: the watching slice fills it in."""

from rest_framework.views import APIView


class TaskWatchView(APIView):
    pass
