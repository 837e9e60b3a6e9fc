"""Request bodies (parsed here) and response shapes (for the schema; bodies come from
webhooks/representation.py)."""

from rest_framework import serializers

from board.access import MAX_ID

from ..services import EVENTS_MAX
from ..targets import URL_MAX


class WebhookInputSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=URL_MAX, help_text="http(s) URL; private and loopback targets are refused."
    )
    events = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=EVENTS_MAX, required=False,
        help_text='Event names or globs ("task.*"); empty or ["*"]: every event.',
    )  # fmt: skip
    active = serializers.BooleanField(required=False)


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    board = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    cursor = serializers.IntegerField(help_text="The last seq this webhook has finished.")
    last_status = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    last_delivery_at = serializers.DateTimeField(allow_null=True)
    failing_since = serializers.DateTimeField(allow_null=True)
    retry_at = serializers.DateTimeField(allow_null=True)
    disabled_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(help_text="whsec_<base64>: shown only in this response.")


class WebhookListSerializer(serializers.Serializer):
    results = WebhookSerializer(many=True)


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField(allow_null=True)
    event = serializers.CharField()
    trigger = serializers.ChoiceField(choices=["event", "ping", "redeliver"])
    attempt = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField()
    error = serializers.CharField()
    at = serializers.DateTimeField()


class DeliveryListSerializer(serializers.Serializer):
    results = DeliverySerializer(many=True)


class RedeliverSerializer(serializers.Serializer):
    seq = serializers.IntegerField(min_value=1, max_value=MAX_ID)
