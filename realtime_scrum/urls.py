from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .health import healthz, readyz
from .metrics_view import metrics

# JSON for /api/ paths that reach no DRF view (no route matched, a body refused before the
# view); Django's pages for the rest.
handler400 = "realtime_scrum.http_errors.bad_request"
handler404 = "realtime_scrum.http_errors.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/", include("realtime_scrum.accounts.urls")),
    path("api/notifications/", include("notifications.api.urls")),
    path("api/", include("webhooks.api.urls")),
    # Before board's: `boards/import/` is ours, not a board id; `auth/me/calendar/` falls
    # through the accounts include (no match there) to here.
    path("api/", include("integrations.api.urls")),
    path("api/", include("board.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Prometheus, per process; token or loopback only (realtime_scrum/metrics_view.py).
    path("metrics", metrics, name="metrics"),
    # Last: the page owns `/` and `/boards/<id>/`.
    path("", include("frontend.urls")),
]
