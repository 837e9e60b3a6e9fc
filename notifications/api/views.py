"""`/api/notifications/`: the caller's notifications, unread first, with the unread count;
mark one read, or all of them."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from realtime_scrum.accounts.permissions import NotBoardLimited

from .. import selectors, services
from ..models import Notification
from .pagination import InboxPagination
from .serializers import NotificationSerializer, ReadAllInput, ReadAllOutput


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    # The inbox spans every board: a board-limited personal access token is refused it.
    permission_classes = [IsAuthenticated, NotBoardLimited]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    pagination_class = InboxPagination
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        # Scoped to the caller, so another user's notification is a 404, not a 403.
        return selectors.notification_list_for_user(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(note).data)

    @extend_schema(request=ReadAllInput, responses=ReadAllOutput)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark the caller's unread notifications read (all, or those up to `up_to`)."""
        data = ReadAllInput(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notification_mark_all_read(
            user=request.user, up_to=data.validated_data.get("up_to")
        )
        return Response(ReadAllOutput({"marked": marked}).data)
