"""OpenAPI: document SessionJWTAuthentication as the bearer scheme simplejwt's is.

drf-spectacular's extension matches simplejwt's exact class, not subclasses; imported from
AccountsConfig.ready so it is registered before any schema is generated."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class SessionJWTScheme(SimpleJWTScheme):
    target_class = "realtime_scrum.accounts.authentication.SessionJWTAuthentication"
