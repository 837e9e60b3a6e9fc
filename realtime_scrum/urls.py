from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .health import healthz, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/", include("realtime_scrum.accounts.urls")),
    path("api/notifications/", include("notifications.api.urls")),
    path("api/", include("board.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Last: the page owns `/` and `/boards/<id>/`.
    path("", include("frontend.urls")),
]
