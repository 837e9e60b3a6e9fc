"""Account writes: signup, login, password change and reset, deactivation.

Views parse and call one of these; each revocation goes through accounts.sessions so tokens
and sockets are cut in one place."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.models import update_last_login
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from rest_framework.exceptions import AuthenticationFailed

from . import throttle, user_cache
from .models import User
from .sessions import (
    IssuedTokens,
    session_refresh_tokens_spend,
    session_start,
    session_tokens,
    sessions_revoke_all,
)

log = logging.getLogger(__name__)

# One message for unknown user, wrong password and inactive account alike.
LOGIN_FAILED = "No active account found with the given credentials."
RESET_LINK_INVALID = "This reset link is invalid or has expired. Request a new one."


def _password_validate(password: str, user: User, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


@transaction.atomic
def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    full_name: str = "",
    timezone: str = "UTC",
    user_agent: str = "",
) -> tuple[User, IssuedTokens]:
    user = User(username=username, email=email, full_name=full_name, timezone=timezone)
    _password_validate(password, user, "password")
    user.set_password(password)
    user.full_clean()
    user.save()
    return user, session_start(user=user, user_agent=user_agent)


def user_login(*, username: str, password: str, address: str, user_agent: str = "") -> IssuedTokens:
    throttle.attempt("login_address", address)
    account_key = throttle.attempt("login_account", username)
    user = authenticate(username=username, password=password)
    if user is None:
        raise AuthenticationFailed(LOGIN_FAILED, code="no_active_account")
    throttle.attempt_refund(account_key)
    # last_login feeds the reset-token hash: a login invalidates reset links issued before it.
    update_last_login(None, user)
    return session_start(user=user, user_agent=user_agent)


@transaction.atomic
def password_change(*, user: User, sid: str, old_password: str, new_password: str) -> IssuedTokens:
    """Keep the caller's session (new tokens for it), end every other one."""
    # A stolen access token must not become an oracle for the password: same limit as login.
    account_key = throttle.attempt("login_account", user.username)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is not correct."]})
    throttle.attempt_refund(account_key)
    _password_validate(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_revoke_all(user_id=user.pk, except_sid=sid)
    generation = session_refresh_tokens_spend(sid=sid)
    return session_tokens(user=user, sid=sid, generation=generation)


def password_reset_request(*, email: str, address: str) -> None:
    """Identical work for known and unknown addresses: the task decides (accounts.tasks)."""
    from .tasks import password_reset_mail

    throttle.attempt("reset_address", address)
    throttle.attempt("reset_account", email)
    password_reset_mail(email.strip().lower())


def password_reset_send(*, email: str) -> None:
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None or not user.has_usable_password():
        log.info("password reset requested for an address with no active account")
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    # Django's generator: the hash covers the password and last_login, so the link dies once
    # used (or after any login) and after PASSWORD_RESET_TIMEOUT.
    token = default_token_generator.make_token(user)
    link = settings.PASSWORD_RESET_URL.format(uid=uid, token=token)
    send_mail(
        subject="Reset your Realtime Scrum password",
        message=(
            f"Hello {user.get_full_name()},\n\n"
            f"Someone asked to reset the password of the account '{user.username}'.\n"
            f"To choose a new password, open this link:\n\n{link}\n\n"
            "If it was not you, ignore this mail: your password stays as it is.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set the new password and end every session of the account."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
        user = User.objects.select_for_update().get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise ValidationError({"token": [RESET_LINK_INVALID]})
    _password_validate(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    sessions_revoke_all(user_id=user.pk)
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """The account can no longer log in; every session and socket ends."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    user_cache.forget(user.pk)  # update() sends no post_save
    sessions_revoke_all(user_id=user.pk)


@transaction.atomic
def user_delete(*, actor: User, user: User) -> None:
    """Delete an account the way its boards see it: removed from each (its tasks there
    unassigned, one member.removed event per board, its sockets closed), sessions ended.

    Boards it owns must be handed over or deleted first: deleting them with the account
    would take every other member's work with it."""
    from board import services as board_services
    from board.models import Board, Membership

    owned = list(Board.objects.filter(owner=user).values_list("name", flat=True))
    if owned:
        raise ValidationError({"user": [f"{user.username} owns boards: {', '.join(owned)}."]})
    board_actor = board_services.Actor(user=actor)
    for board_id in Membership.objects.filter(user=user).values_list("board_id", flat=True):
        board_services.member_remove(actor=board_actor, board_id=board_id, user_id=user.pk)
    sessions_revoke_all(user_id=user.pk)
    user.delete()


@transaction.atomic
def profile_update(*, user: User, **fields) -> User:
    allowed = {
        "username", "email", "full_name", "timezone", "digest_enabled", "mention_mail",
        "activity_mail",
    }  # fmt: skip
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=[*fields] if fields else None)
    return user
