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


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "full_name", "timezone", "digest_enabled"]
        read_only_fields = ["id"]
        extra_kwargs = {"timezone": {"validators": [validate_timezone]}}

    def validate_username(self, value: str) -> str:
        return ascii_username(value)


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
