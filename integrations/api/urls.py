"""Mounted at /api/ before board's include: `boards/import/` would otherwise be read as a
board id. `auth/me/calendar/` is reached after the accounts include finds no match."""

from django.urls import path

from . import views

urlpatterns = [
    path("boards/import/", views.BoardImportView.as_view(), name="board-import"),
    path("boards/<int:pk>/export/", views.BoardExportView.as_view(), name="board-export"),
    path("imports/<int:pk>/", views.ImportJobView.as_view(), name="import-detail"),
    path("auth/me/calendar/", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("calendar/<str:secret>.ics", views.CalendarIcsView.as_view(), name="calendar-ics"),
]
