import zoneinfo
from functools import cache

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(f"'{value}' is not an IANA time zone name (e.g. Europe/London).")


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """The account. Email is stored lowercased so its unique index is case-insensitive on
    every backend (MariaDB has no expression indexes)."""

    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    digest_enabled = models.BooleanField(default=True)
    # notify_email in the profile: {digest: digest_enabled, mentions, activity}.
    mention_mail = models.BooleanField(default=True)
    activity_mail = models.BooleanField(default=True)

    objects = CaseInsensitiveUserManager()

    REQUIRED_FIELDS = ["email"]

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        # The unique index is case-sensitive on SQLite; login looks names up with iexact, so
        # "Alice" next to "alice" would make one of them unable to log in.
        taken = User.objects.filter(username__iexact=self.username).exclude(pk=self.pk)
        if self.username and taken.exists():
            raise ValidationError({"username": "A user with that username already exists."})

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.username


class LoginSession(models.Model):
    """One login: every token pair minted from it carries its `sid`. The row is the source of
    truth for revocation; the cache (accounts.sessions) only speeds up the per-request check,
    so clearing the cache can never bring a revoked session back."""

    sid = models.CharField(max_length=32, primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    # Bumped by a password change made from this session; refresh tokens carry the value they
    # were minted under, so a copy taken before the change stops working (accounts.sessions).
    generation = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["user", "revoked_at"]),
            # The sessions revoked lately, rewritten into the cache after a Redis outage.
            models.Index(fields=["revoked_at"], name="accounts_session_revoked_idx"),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "live"
        return f"{self.user_id}/{self.sid} ({state})"


class ApiToken(models.Model):
    """A personal access token (accounts.api_tokens). Only the sha256 of the token is kept:
    the token is 240 random bits, so a plain hash is as good as a slow one and lets every
    request find its row by one indexed lookup."""

    READ, WRITE = "read", "write"
    SCOPES = ((READ, "read"), (WRITE, "write"))

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters after `rs_pat_`: enough for its owner to recognise it in a list.
    prefix = models.CharField(max_length=16)
    scope = models.CharField(max_length=5, choices=SCOPES)
    # None: every board the user is a member of; else only these (ids, not foreign keys: a
    # deleted board's id simply stops matching a membership, and never widens the token).
    board_ids = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="accounts_pat_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.name} (rs_pat_{self.prefix}…)"
