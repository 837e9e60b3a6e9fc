"""Comments on a card (SPEC section 12). Stub: the comments slice fills it in."""

from rest_framework.views import APIView


class TaskCommentsView(APIView):
    pass


class CommentDetailView(APIView):
    pass
