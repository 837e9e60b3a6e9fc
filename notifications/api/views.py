"""`/api/notifications/`: the caller's notifications, unread first; mark one read."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..models import Notification
from .serializers import NotificationSerializer


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    search_fields: list[str] = []
    ordering_fields: list[str] = []

    def get_queryset(self):
        # Scoped to the caller, so another user's notification is a 404, not a 403.
        return selectors.notification_list_for_user(user=self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        note = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(note).data)
