"""/api/auth/: parse, call one service, respond."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import serializers as s
from . import services
from .permissions import LoginSessionOnly
from .sessions import SESSION_CLAIM, session_logout, session_refresh
from .throttle import client_address, login_limits

RESET_ACCEPTED = {
    "detail": "If an account uses this address, a reset link is on its way to it.",
}

_UNAUTHORIZED = OpenApiResponse(s.DetailSerializer, description="Invalid or revoked token.")
_THROTTLED = OpenApiResponse(
    s.DetailSerializer, description="Too many attempts; retry after the Retry-After header."
)


def _user_agent(request: Request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


def _wrong_login(exc: Exception) -> bool:
    return isinstance(exc, AuthenticationFailed)


def _wrong_old_password(exc: Exception) -> bool:
    # A weak new password after a right old one is a ValidationError too, on new_password.
    return isinstance(exc, ValidationError) and "old_password" in getattr(exc, "error_dict", {})


class PublicAuthView(APIView):
    # No authentication at all: a stale Authorization header must not turn a login, a
    # refresh or a logout into a 401.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        # Without an authenticator DRF would turn a bad token's 401 into 403.
        return 'Bearer realm="api"'


class SignupView(PublicAuthView):
    @extend_schema(request=s.SignupSerializer, responses={201: s.SignupResponseSerializer})
    def post(self, request: Request) -> Response:
        data = s.SignupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, tokens = services.user_signup(**data.validated_data, user_agent=_user_agent(request))
        body = {"user": s.ProfileSerializer(user).data, **tokens.as_response()}
        return Response(body, status=status.HTTP_201_CREATED)


class LoginView(PublicAuthView):
    @extend_schema(
        request=s.LoginSerializer,
        responses={200: s.TokenPairSerializer, 401: _UNAUTHORIZED, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = client_address(request)
        # Per (account, address) first; the service then counts per address and per account.
        with login_limits(data.validated_data["username"], address, _wrong_login):
            tokens = services.user_login(
                **data.validated_data, address=address, user_agent=_user_agent(request)
            )
        return Response(tokens.as_response())


class RefreshView(PublicAuthView):
    @extend_schema(
        request=s.RefreshSerializer, responses={200: s.TokenPairSerializer, 401: _UNAUTHORIZED}
    )
    def post(self, request: Request) -> Response:
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(session_refresh(raw_refresh=data.validated_data["refresh"]).as_response())


class LogoutView(PublicAuthView):
    @extend_schema(
        request=s.RefreshSerializer,
        responses={205: OpenApiResponse(description="Session ended."), 401: _UNAUTHORIZED},
    )
    def post(self, request: Request) -> Response:
        data = s.RefreshSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session_logout(raw_refresh=data.validated_data["refresh"])
        return Response(status=status.HTTP_205_RESET_CONTENT)


class PasswordChangeView(APIView):
    # Not with a personal access token: it has no session to keep, and a leaked token must
    # not take the account over.
    permission_classes = [LoginSessionOnly]

    @extend_schema(
        request=s.PasswordChangeSerializer,
        responses={200: s.TokenPairSerializer, 401: _UNAUTHORIZED, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The same limits as login: a stolen access token is no oracle for the password.
        with login_limits(request.user.username, client_address(request), _wrong_old_password):
            tokens = services.password_change(
                user=request.user, sid=request.auth[SESSION_CLAIM], **data.validated_data
            )
        return Response(tokens.as_response())


class PasswordResetView(PublicAuthView):
    @extend_schema(
        request=s.PasswordResetSerializer,
        responses={202: s.DetailSerializer, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        data = s.PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(
            email=data.validated_data["email"], address=client_address(request)
        )
        return Response(RESET_ACCEPTED, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(PublicAuthView):
    @extend_schema(request=s.PasswordResetConfirmSerializer, responses={200: s.DetailSerializer})
    def post(self, request: Request) -> Response:
        data = s.PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data)
        return Response({"detail": "Password changed. Log in with the new password."})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.ProfileSerializer(request.user).data)

    @extend_schema(request=s.ProfileSerializer, responses=s.ProfileSerializer)
    def patch(self, request: Request) -> Response:
        data = s.ProfileSerializer(request.user, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, **data.validated_data)
        return Response(s.ProfileSerializer(user).data)
