"""The page (one template, routed client-side) and the cookie session behind it.

Why a cookie for the refresh token: an HttpOnly, SameSite=Strict cookie scoped to
/app/session/ cannot be read by any script (ours included, so an XSS cannot steal a
14-day credential) and is sent only to these three endpoints. The short-lived access token
lives in page memory only. CSRF: these are Django views with the CSRF middleware on, so a
cross-site POST fails twice (no SameSite cookie, no token)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from . import tokens

COOKIE = "rs_refresh"
COOKIE_PATH = "/app/session/"


def _csp(request: HttpRequest) -> str:
    # Everything is served from this origin: no CDN, no inline script, sockets to ourselves.
    host = request.get_host()
    sockets = f"wss://{host}" if request.is_secure() else f"ws://{host}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {sockets}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    )


@require_GET
@ensure_csrf_cookie
@never_cache
def page(request: HttpRequest, board_id: int | None = None) -> HttpResponse:
    response = render(request, "frontend/index.html")
    response["Content-Security-Policy"] = _csp(request)
    response["Referrer-Policy"] = "same-origin"
    return response


def _with_cookie(request: HttpRequest, pair: tokens.Pair) -> JsonResponse:
    try:
        user = tokens.user_of(pair.access)
    except Exception as exc:  # the user was deleted a moment ago: no session after all
        raise tokens.SessionInvalid(str(exc)) from exc
    response = JsonResponse({"access": pair.access, "user": user})
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    response.set_cookie(
        COOKIE,
        pair.refresh,
        max_age=int(lifetime.total_seconds()),
        path=COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    response["Cache-Control"] = "no-store"
    return response


def _unauthorized() -> JsonResponse:
    response = JsonResponse({"detail": "Your session has ended. Please log in again."}, status=401)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")
    return response


@require_POST
def session_adopt(request: HttpRequest) -> JsonResponse:
    """Take the refresh token from login/signup, rotate it, keep the new one in the cookie."""
    try:
        raw = json.loads(request.body or b"{}").get("refresh")
    except (ValueError, AttributeError, RecursionError):  # RecursionError: '[' * 5000
        raw = None
    if not isinstance(raw, str) or not raw:
        return JsonResponse({"refresh": ["This field is required."]}, status=400)
    try:
        return _with_cookie(request, tokens.rotate(raw))
    except tokens.SessionInvalid:
        return _unauthorized()


def _no_session(*, had_cookie: bool) -> HttpResponse:
    # 204, not 401: every page load asks, and a browser logs each 4xx answer to a fetch as a
    # console error, so a visitor without a session (or with a revoked one) would see one on
    # every load of the login screen. Either way the page's answer is the same: log in.
    response = HttpResponse(status=204)
    if had_cookie:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def session_refresh(request: HttpRequest) -> HttpResponse:
    """A new access token (and rotated cookie) for a page that has none or whose one expires;
    204 with no body when there is no session to refresh."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return _no_session(had_cookie=False)
    try:
        return _with_cookie(request, tokens.rotate(raw))
    except tokens.SessionInvalid:
        return _no_session(had_cookie=True)


@require_POST
def session_logout(request: HttpRequest) -> HttpResponse:
    raw = request.COOKIES.get(COOKIE)
    if raw:
        tokens.end(raw)
    response = HttpResponse(status=205)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")
    return response
