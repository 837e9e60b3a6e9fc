"""Request and response shapes of /api/auth/ (also what the OpenAPI schema shows)."""

from django.contrib.auth.validators import ASCIIUsernameValidator
from rest_framework import serializers

from .models import User, validate_timezone


def ascii_username(value: str) -> str:
    """New usernames are ASCII: other members see them, and a Unicode look-alike ("оwner" with
    a Cyrillic о) would impersonate a teammate. The schema's `^[\\w.@+-]+$` is ASCII to
    every JSON Schema client too (found by tests/security/test_api_schemathesis.py)."""
    ASCIIUsernameValidator()(value)
    return value


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class StrictBooleanField(serializers.BooleanField):
    """true or false only: DRF's BooleanField also takes "yes", "0" and 1."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class NotifyEmailSerializer(serializers.Serializer):
    """Which mails the user gets: the daily digest (`digest_enabled`, the same field), mentions
    and activity on watched cards. A PATCH sends only the keys it changes."""

    digest = StrictBooleanField(source="digest_enabled", required=False)
    mentions = StrictBooleanField(source="mention_mail", required=False)
    activity = StrictBooleanField(source="activity_mail", required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                known = ", ".join(self.fields)
                raise serializers.ValidationError(
                    {key: [f"Not a mail setting (use {known})."] for key in unknown}
                )
        return super().to_internal_value(data)


class ProfileSerializer(serializers.ModelSerializer):
    # source="*": its keys are the user's own fields, merged into validated_data.
    notify_email = NotifyEmailSerializer(source="*", required=False)

    class Meta:
        model = User
        fields = [
            "id", "username", "email", "full_name", "timezone", "digest_enabled", "notify_email",
        ]  # fmt: skip
        read_only_fields = ["id"]
        extra_kwargs = {"timezone": {"validators": [validate_timezone]}}

    def validate_username(self, value: str) -> str:
        return ascii_username(value)

    def validate(self, attrs):
        # digest_enabled and notify_email.digest are one field: one request may not say both.
        raw = self.initial_data if isinstance(self.initial_data, dict) else {}
        nested = raw.get("notify_email")
        if "digest_enabled" in raw and isinstance(nested, dict) and "digest" in nested:
            # Both passed their fields' checks already: these parse.
            top = serializers.BooleanField().to_internal_value(raw["digest_enabled"])
            if top != nested["digest"]:
                raise serializers.ValidationError(
                    {"notify_email": {"digest": ["Disagrees with digest_enabled."]}}
                )
        return attrs


class SignupSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    timezone = serializers.CharField(max_length=64, required=False, validators=[validate_timezone])

    def validate_username(self, value: str) -> str:
        return ascii_username(value)


class SignupResponseSerializer(TokenPairSerializer):
    user = ProfileSerializer()


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})
