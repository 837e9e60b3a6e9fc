"""/api/auth/tokens/: personal access tokens of the caller (accounts.api_tokens).

Only a login session may manage tokens (LoginSessionOnly): a token that could mint tokens
would survive its own revocation."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import api_tokens
from .models import ApiToken, User
from .permissions import LoginSessionOnly
from .serializers import DetailSerializer

MAX_ID = 2**63 - 1


class TokenInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=[ApiToken.READ, ApiToken.WRITE])
    boards = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_null=True,
        required=False,
        default=None,
        max_length=api_tokens.MAX_BOARDS,
        help_text="Board ids the token is limited to; null: every board of yours.",
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, allow_null=True, default=None
    )


class TokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The first characters after `rs_pat_`.")
    scope = serializers.ChoiceField(choices=[ApiToken.READ, ApiToken.WRITE])
    boards = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, source="board_ids"
    )
    expires_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class TokenCreatedOutput(TokenOutput):
    token = serializers.CharField(help_text="`rs_pat_…`: shown in this response only.")


def _caller(request: Request) -> User:
    return cast(User, request.user)  # LoginSessionOnly admitted only an authenticated user


_SESSION_ONLY = OpenApiResponse(DetailSerializer, description="Not a login session's token.")


class TokenListView(APIView):
    permission_classes = [LoginSessionOnly]
    pagination_class = None

    @extend_schema(responses={200: TokenOutput(many=True), 403: _SESSION_ONLY})
    def get(self, request: Request) -> Response:
        rows = api_tokens.token_list_for_user(user=_caller(request))
        return Response(TokenOutput(rows, many=True).data)

    @extend_schema(request=TokenInput, responses={201: TokenCreatedOutput, 403: _SESSION_ONLY})
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        created = api_tokens.token_create(
            user=_caller(request),
            name=values["name"],
            scope=values["scope"],
            board_ids=values["boards"],
            expires_in_days=values["expires_in_days"],
        )
        body = {**TokenOutput(created.row).data, "token": created.token}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    permission_classes = [LoginSessionOnly]

    @extend_schema(
        responses={204: OpenApiResponse(description="Revoked."), 403: _SESSION_ONLY, 404: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        if pk > MAX_ID or not api_tokens.token_revoke(user=_caller(request), token_id=pk):
            raise NotFound("No such token.")
        return Response(status=status.HTTP_204_NO_CONTENT)
