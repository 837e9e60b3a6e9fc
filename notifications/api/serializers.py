from rest_framework import serializers

from realtime_scrum.converters import MAX_ID

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "data", "created_at", "read_at"]
        read_only_fields = fields


class ReadAllInput(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only notifications with an id up to this one (the newest the client showed).",
    )


class ReadAllOutput(serializers.Serializer):
    marked = serializers.IntegerField(
        help_text="How many notifications were unread and now are read."
    )
