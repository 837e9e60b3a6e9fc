"""Sprint lifecycle and planning (SPEC section 11): start, close with carry-over, plan."""

from rest_framework.views import APIView

# Filled in by the lifecycle work: each view is one call into services/sprint_lifecycle.py.


class SprintStartView(APIView):
    pass


class SprintCloseView(APIView):
    pass


class SprintPlanView(APIView):
    pass
