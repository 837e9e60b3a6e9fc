"""Reports from the event log (SPEC section 11): burndown and velocity."""

from rest_framework.views import APIView


class SprintBurndownView(APIView):
    pass


class BoardVelocityView(APIView):
    pass
