from django.urls import path

from . import views

app_name = "frontend"

urlpatterns = [
    path("", views.page, name="home"),
    # Digest mails link here (`?task=<id>` focuses that card); the SPA routes client-side.
    path("boards/<int:board_id>/", views.page, name="board"),
    # The password-reset mail's link (uid and token in the fragment, read by the page).
    path("reset-password/", views.page, name="reset-password"),
    path("app/session/", views.session_adopt, name="session-adopt"),
    path("app/session/refresh/", views.session_refresh, name="session-refresh"),
    path("app/session/logout/", views.session_logout, name="session-logout"),
]
