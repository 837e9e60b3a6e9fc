"""Webhook endpoints (board owners only): parse, one service call, respond.

Outside the caller's boards a webhook or board is a 404; a member who is not an owner gets
403 (board/access.py)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board import access
from board.models import BoardEvent

from .. import representation as r
from .. import selectors, services
from ..models import Webhook
from . import serializers as s

OWNERS_ONLY = "Only the board's owners can manage its webhooks."


def _owner_check(user, board_id) -> int:
    role = access.role_on(user=user, board_id=board_id)
    if role is None:
        raise Http404("No Board matches the given query.")
    if not access.can_manage(role):
        raise PermissionDenied(OWNERS_ONLY)
    return int(board_id)


def _owned_webhook(request, pk) -> int:
    board_id = selectors.webhook_board(webhook_id=pk)
    if board_id is None or access.role_on(user=request.user, board_id=board_id) is None:
        raise Http404("No Webhook matches the given query.")
    _owner_check(request.user, board_id)
    return int(pk)


def _parsed(request, *, partial: bool) -> dict:
    body = s.WebhookInputSerializer(data=request.data, partial=partial)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _invalid(exc: services.WebhookInvalid) -> ValidationError:
    return ValidationError({field: [message] for field, message in exc.errors.items()})


class BoardWebhooksView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.WebhookListSerializer)
    def get(self, request, board_pk):
        """The board's webhooks (secrets are not shown again)."""
        board_id = _owner_check(request.user, board_pk)
        hooks = selectors.webhooks_of_board(board_id=board_id)
        return Response({"results": [r.webhook_json(h) for h in hooks]})

    @extend_schema(request=s.WebhookInputSerializer, responses={201: s.WebhookCreatedSerializer})
    def post(self, request, board_pk):
        """A webhook that hears the board's events from now on; the secret is shown once."""
        board_id = _owner_check(request.user, board_pk)
        data = _parsed(request, partial=False)
        try:
            hook = services.webhook_create(
                user=request.user, board_id=board_id, url=data["url"],
                events=data.get("events", []), active=data.get("active", True),
            )  # fmt: skip
        except services.WebhookInvalid as exc:
            raise _invalid(exc) from None
        return Response(r.webhook_created_json(hook), status=status.HTTP_201_CREATED)


class WebhookView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.WebhookSerializer)
    def get(self, request, pk):
        hook = selectors.webhook_get(webhook_id=_owned_webhook(request, pk))
        return Response(r.webhook_json(hook))

    @extend_schema(request=s.WebhookInputSerializer, responses=s.WebhookSerializer)
    def patch(self, request, pk):
        """Change the URL, the events or active; turning it back on resumes at its cursor."""
        webhook_id = _owned_webhook(request, pk)
        try:
            hook = services.webhook_update(webhook_id=webhook_id, **_parsed(request, partial=True))
        except services.WebhookInvalid as exc:
            raise _invalid(exc) from None
        except Webhook.DoesNotExist as exc:
            raise Http404("No Webhook matches the given query.") from exc
        return Response(r.webhook_json(hook))

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.webhook_delete(webhook_id=_owned_webhook(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookPingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.DeliverySerializer)
    def post(self, request, pk):
        """Send a `webhook.ping` now and answer with its delivery (status, duration, error)."""
        webhook_id = _owned_webhook(request, pk)
        try:
            row = services.webhook_ping(webhook_id=webhook_id)
        except Webhook.DoesNotExist as exc:
            raise Http404("No Webhook matches the given query.") from exc
        return Response(r.delivery_json(row))


class WebhookDeliveriesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DeliveryListSerializer)
    def get(self, request, pk):
        """The newest 100 delivery attempts, newest first."""
        rows = selectors.deliveries_of(webhook_id=_owned_webhook(request, pk))
        return Response({"results": [r.delivery_json(row) for row in rows]})


class WebhookRedeliverView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.RedeliverSerializer, responses=s.DeliverySerializer)
    def post(self, request, pk):
        """Send one event of the board's log again now (the cursor does not move)."""
        webhook_id = _owned_webhook(request, pk)
        body = s.RedeliverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            row = services.webhook_redeliver(webhook_id=webhook_id, seq=body.validated_data["seq"])
        except Webhook.DoesNotExist as exc:
            raise Http404("No Webhook matches the given query.") from exc
        except BoardEvent.DoesNotExist as exc:
            raise Http404("No event with this seq is in the board's log.") from exc
        return Response(r.delivery_json(row))
