from django.urls import path, register_converter

from realtime_scrum.converters import IdConverter

from . import views

# Its own name: board/api/urls.py registers "id" (registering a name twice is deprecated).
register_converter(IdConverter, "rowid")

urlpatterns = [
    path(
        "boards/<rowid:board_pk>/webhooks/",
        views.BoardWebhooksView.as_view(),
        name="board-webhooks",
    ),  # fmt: skip
    path("webhooks/<rowid:pk>/", views.WebhookView.as_view(), name="webhook"),
    path("webhooks/<rowid:pk>/ping/", views.WebhookPingView.as_view(), name="webhook-ping"),
    path(
        "webhooks/<rowid:pk>/deliveries/",
        views.WebhookDeliveriesView.as_view(),
        name="webhook-deliveries",
    ),  # fmt: skip
    path(
        "webhooks/<rowid:pk>/redeliver/",
        views.WebhookRedeliverView.as_view(),
        name="webhook-redeliver",
    ),  # fmt: skip
]
