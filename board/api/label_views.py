"""Labels of a board (SPEC section 12). Stub: the labels slice fills it in."""

from rest_framework.views import APIView


class BoardLabelsView(APIView):
    pass


class LabelDetailView(APIView):
    pass
